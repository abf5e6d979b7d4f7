/**
 * Dimensional ratings: SAM-style buttons for short stepped scales, sliders otherwise. The value is
 * stored once every required rating has a number (ratings marked "required": false may be left
 * out). Until then the ratings given so far are kept in this browser (localStorage, per page and
 * field), because the server refuses a value with a required rating missing: a reload or a crash
 * loses nothing, and the widget says what is still to rate.
 */

import { h } from "../../dom";
import type { DimensionalField, Rating } from "../types";
import { fieldShell, scaleLabel, scaleSteps } from "./common";
import type { FieldContext } from "./context";

const MAX_BUTTONS = 11;

type RatingDef = Rating & { required?: boolean };
type Ratings = Record<string, number>;

export interface DimensionalHandle {
  element: HTMLElement;
  /** Set ratings from outside (an accepted suggestion); unknown names are ignored. */
  apply(values: Record<string, number>): void;
}

/** Unsaved partial ratings, keyed by the page (one per assignment) and the field. */
const draftKey = (field: string): string => `affectlab:label-draft:${window.location.pathname}:${field}`;

function draftRead(field: string): Ratings | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(draftKey(field)) ?? "null") as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
    const out: Ratings = {};
    for (const [name, value] of Object.entries(parsed)) if (typeof value === "number" && Number.isFinite(value)) out[name] = value;
    return out;
  } catch {
    return null;
  }
}

function draftWrite(field: string, ratings: Ratings | null): void {
  try {
    if (ratings && Object.keys(ratings).length) localStorage.setItem(draftKey(field), JSON.stringify(ratings));
    else localStorage.removeItem(draftKey(field));
  } catch {
    // Storage full or disabled: the ratings stay on screen until the page closes.
  }
}

export function renderDimensional(field: DimensionalField, ctx: FieldContext): DimensionalHandle {
  const stored = ctx.state.get(field.name) as Ratings | undefined;
  // A draft only stands in for a value the server does not have yet; a stored value wins.
  const local = stored === undefined && ctx.editable ? draftRead(field.name) : null;
  if (stored !== undefined) draftWrite(field.name, null);
  const names = new Set(field.ratings.map((r) => r.name));
  const draft: Ratings = {};
  for (const [name, value] of Object.entries({ ...stored, ...local })) if (names.has(name)) draft[name] = value;
  const painters: (() => void)[] = [];
  const status = h("p", { className: "muted dim-status", attrs: { "aria-live": "polite" } });
  const commit = (edited: boolean): void => {
    const required = (field.ratings as RatingDef[]).filter((r) => r.required !== false);
    const missing = required.filter((r) => draft[r.name] === undefined);
    const given = Object.keys(draft).length > 0;
    if (!missing.length && given) {
      if (edited || local) ctx.state.set(field.name, { ...draft });
      draftWrite(field.name, null);
      status.textContent = "";
    } else {
      if (edited && ctx.editable) draftWrite(field.name, draft);
      const left = `Still to rate: ${missing.map((r) => r.label || r.name).join(", ")}`;
      status.textContent = given ? `${left}. The ratings given so far are kept in this browser and saved once these are set.` : left;
    }
    for (const paint of painters) paint();
  };
  const rows = field.ratings.map((rating) => ratingRow(rating, draft, ctx.editable, painters, (value) => {
    draft[rating.name] = value;
    commit(true);
  }));
  commit(false);
  const element = fieldShell(field, ...rows, status);
  return {
    element,
    apply(values) {
      for (const rating of field.ratings) if (values[rating.name] !== undefined) draft[rating.name] = values[rating.name];
      commit(true);
    },
  };
}

function ratingRow(
  rating: Rating,
  draft: Record<string, number>,
  editable: boolean,
  painters: (() => void)[],
  onPick: (value: number) => void,
): HTMLElement {
  const title = rating.label || rating.name;
  const optional = (rating as RatingDef).required === false;
  const name = h("span", { className: "rating-name", text: title }, optional ? h("span", { className: "muted", text: " (optional)" }) : null);
  const steps = scaleSteps(rating);
  if (steps && steps.length <= MAX_BUTTONS) {
    const group = h("div", { className: "sam-buttons", attrs: { role: "group", "aria-label": title } });
    const buttons = steps.map((step) => {
      const button = h("button", {
        className: "sam-button",
        text: scaleLabel(rating, step),
        attrs: { type: "button", "aria-pressed": "false", "aria-label": `${title} ${step}` },
      });
      button.disabled = !editable;
      button.addEventListener("click", () => onPick(step));
      group.append(button);
      return [step, button] as const;
    });
    painters.push(() => {
      for (const [step, button] of buttons) button.setAttribute("aria-pressed", String(draft[rating.name] === step));
    });
    return h("div", { className: "rating-row", data: { rating: rating.name } }, name, group);
  }
  const slider = h("input", {
    attrs: {
      type: "range",
      min: String(rating.min),
      max: String(rating.max),
      step: rating.step ? String(rating.step) : "any",
      "aria-label": title,
    },
  });
  slider.disabled = !editable;
  const out = h("output", { className: "rating-value" });
  slider.addEventListener("input", () => onPick(Number(slider.value)));
  painters.push(() => {
    const value = draft[rating.name];
    if (value !== undefined) slider.value = String(value);
    out.value = value === undefined ? "not rated" : String(Number(value.toFixed(3)));
  });
  return h("div", { className: "rating-row", data: { rating: rating.name } }, name, slider, out);
}
