/** FACS coding: a checklist of action units, each with an A–E intensity unless scored present/absent. */

import { h } from "../../dom";
import type { FacsField } from "../types";
import { fieldShell } from "./common";
import type { FieldContext } from "./context";

const LEVELS = ["A", "B", "C", "D", "E"];

export function renderFacs(field: FacsField, ctx: FieldContext): HTMLElement {
  const value = (): Record<string, string | true> => ({ ...((ctx.state.get(field.name) as Record<string, string | true>) ?? {}) });
  const write = (next: Record<string, string | true>): void => ctx.state.set(field.name, Object.keys(next).length ? next : undefined);
  const list = h("div", { className: "facs-list" });
  for (const unit of field.units) {
    const scored = unit.intensity !== false;
    const box = h("input", { attrs: { type: "checkbox", "aria-label": `${unit.code} present` } });
    const level = h("select", { attrs: { "aria-label": `${unit.code} intensity` } });
    for (const letter of LEVELS) level.append(h("option", { text: letter, attrs: { value: letter } }));
    const current = value()[unit.code];
    box.checked = current !== undefined;
    if (typeof current === "string") level.value = current;
    else level.value = "A";
    level.disabled = !ctx.editable || !box.checked;
    box.disabled = !ctx.editable;
    box.addEventListener("change", () => {
      const next = value();
      if (box.checked) next[unit.code] = scored ? level.value : true;
      else delete next[unit.code];
      level.disabled = !ctx.editable || !box.checked;
      write(next);
    });
    level.addEventListener("change", () => {
      const next = value();
      next[unit.code] = level.value;
      write(next);
    });
    list.append(
      h("label", { className: "facs-row", data: { unit: unit.code } },
        box,
        h("span", { className: "facs-code", text: unit.code }),
        h("span", { className: "facs-label", text: unit.label ?? "" }),
        scored ? level : h("span", { className: "muted", text: "present/absent" })),
    );
  }
  return fieldShell(field, list);
}
