/** Small pieces shared by field widgets: headings, scale inputs, class colours. */

import { h } from "../../dom";
import type { ClassDef, Field, Scale } from "../types";
import { fieldTitle } from "../types";

export const PALETTE = ["#4f46e5", "#12805c", "#c0362c", "#a15c07", "#0e7490", "#9333ea", "#be185d", "#4d7c0f", "#475569"];

export function classColour(index: number, alpha = 0.28): string {
  const hex = PALETTE[index % PALETTE.length];
  const r = parseInt(hex.slice(1, 3), 16);
  const g = parseInt(hex.slice(3, 5), 16);
  const b = parseInt(hex.slice(5, 7), 16);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export function fieldShell(field: Field, ...children: (Node | null)[]): HTMLFieldSetElement {
  const legend = h("legend", { className: "field-legend", text: fieldTitle(field) });
  if (field.required === false) legend.append(h("span", { className: "muted", text: " (optional)" }));
  const set = h("fieldset", { className: `label-field kind-${field.kind}`, data: { field: field.name, kind: field.kind } }, legend);
  if (field.description) set.append(h("p", { className: "field-help muted", text: field.description }));
  for (const child of children) if (child) set.append(child);
  return set;
}

/** The values a stepped scale allows, or null for a continuous one. */
export function scaleSteps(scale: Scale): number[] | null {
  if (scale.step === null || scale.step === undefined) return null;
  const count = Math.round((scale.max - scale.min) / scale.step);
  if (count > 100) return null;
  return Array.from({ length: count + 1 }, (_, i) => Number((scale.min + i * scale.step!).toFixed(6)));
}

export function scaleLabel(scale: Scale, value: number): string {
  return scale.labels?.find((entry) => entry.value === value)?.label ?? String(value);
}

/** A select for an optional intensity on a scale; "" means none. */
export function intensitySelect(scale: Scale, label: string, current: number | undefined, onPick: (v: number | undefined) => void): HTMLElement {
  const steps = scaleSteps(scale);
  if (!steps) {
    const input = h("input", {
      attrs: { type: "number", min: String(scale.min), max: String(scale.max), step: "any", "aria-label": label },
    });
    if (current !== undefined) input.value = String(current);
    input.addEventListener("change", () => onPick(input.value === "" ? undefined : Number(input.value)));
    return h("span", { className: "intensity" }, input);
  }
  const select = h("select", { attrs: { "aria-label": label } }, h("option", { text: "intensity –", attrs: { value: "" } }));
  for (const step of steps) {
    const option = h("option", { text: scaleLabel(scale, step), attrs: { value: String(step) } });
    if (step === current) option.selected = true;
    select.append(option);
  }
  select.addEventListener("change", () => onPick(select.value === "" ? undefined : Number(select.value)));
  return h("span", { className: "intensity" }, select);
}

export function intensityScale(field: { intensity?: Scale | null }, cls: ClassDef): Scale | null {
  if (cls.intensity !== undefined) return cls.intensity ?? null;
  return field.intensity ?? null;
}
