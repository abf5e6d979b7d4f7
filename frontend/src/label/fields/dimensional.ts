/**
 * Dimensional ratings: SAM-style buttons for short stepped scales, sliders otherwise. The value is
 * stored once every rating has a number (the schema requires all of them); until then the widget
 * says how many are left.
 */

import { h } from "../../dom";
import type { DimensionalField, Rating } from "../types";
import { fieldShell, scaleLabel, scaleSteps } from "./common";
import type { FieldContext } from "./context";

const MAX_BUTTONS = 11;

export interface DimensionalHandle {
  element: HTMLElement;
  /** Set ratings from outside (an accepted suggestion); unknown names are ignored. */
  apply(values: Record<string, number>): void;
}

export function renderDimensional(field: DimensionalField, ctx: FieldContext): DimensionalHandle {
  const stored = (ctx.state.get(field.name) as Record<string, number> | undefined) ?? {};
  const draft: Record<string, number> = { ...stored };
  const painters: (() => void)[] = [];
  const status = h("p", { className: "muted dim-status" });
  const commit = (): void => {
    const missing = field.ratings.filter((r) => draft[r.name] === undefined);
    status.textContent = missing.length ? `Still to rate: ${missing.map((r) => r.label || r.name).join(", ")}` : "";
    if (!missing.length) ctx.state.set(field.name, { ...draft });
    for (const paint of painters) paint();
  };
  const rows = field.ratings.map((rating) => ratingRow(rating, draft, ctx.editable, painters, (value) => {
    draft[rating.name] = value;
    commit();
  }));
  commit();
  const element = fieldShell(field, ...rows, status);
  return {
    element,
    apply(values) {
      for (const rating of field.ratings) if (values[rating.name] !== undefined) draft[rating.name] = values[rating.name];
      commit();
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
    return h("div", { className: "rating-row", data: { rating: rating.name } }, h("span", { className: "rating-name", text: title }), group);
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
  return h("div", { className: "rating-row", data: { rating: rating.name } }, h("span", { className: "rating-name", text: title }), slider, out);
}
