/**
 * A valence/arousal/dominance estimate offered for dimensional ratings of the same names. Nothing
 * is copied unless the annotator presses Accept; the 1–9 estimate is mapped onto the rating's own
 * scale (and step).
 */

import { h } from "../../dom";
import type { DimensionalHandle } from "../fields/dimensional";
import type { DimensionalField, TrackWindow } from "../types";
import { num } from "./trackData";

const SOURCE_MIN = 1;
const SOURCE_MAX = 9;

export function meanOf(window: TrackWindow, column: string): number | null {
  let sum = 0;
  let count = 0;
  for (const row of window.rows) {
    const value = num(row[column]);
    if (value === null) continue;
    sum += value;
    count += 1;
  }
  return count ? sum / count : null;
}

export function onScale(value: number, rating: { min: number; max: number; step?: number | null }): number {
  const f = (value - SOURCE_MIN) / (SOURCE_MAX - SOURCE_MIN);
  let mapped = rating.min + Math.max(0, Math.min(1, f)) * (rating.max - rating.min);
  if (rating.step) mapped = rating.min + Math.round((mapped - rating.min) / rating.step) * rating.step;
  return Number(mapped.toFixed(6));
}

export function vadSuggestion(field: DimensionalField, handle: DimensionalHandle, window: TrackWindow, editable: boolean): HTMLElement | null {
  const proposal: Record<string, number> = {};
  for (const rating of field.ratings) {
    const mean = meanOf(window, rating.name.toLowerCase());
    if (mean !== null) proposal[rating.name] = onScale(mean, rating);
  }
  const names = Object.keys(proposal);
  if (!names.length) return null;
  const text = names.map((name) => `${name} ${proposal[name]}`).join(", ");
  const accept = h("button", { className: "button small", text: "Accept", attrs: { type: "button" }, data: { field: field.name } });
  accept.disabled = !editable;
  accept.addEventListener("click", () => handle.apply(proposal));
  return h(
    "div",
    { className: "suggestion", data: { field: field.name } },
    h("p", {}, h("strong", { text: `${field.label || field.name}: ` }), `estimate ${text} (mean over the item; a heuristic, check it).`),
    accept,
  );
}
