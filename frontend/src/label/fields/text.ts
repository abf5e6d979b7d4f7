/** Free text (an explanation) or open-vocabulary tags. Empty text leaves the field unset. */

import { h } from "../../dom";
import type { TextField } from "../types";
import { fieldShell } from "./common";
import type { FieldContext } from "./context";

export function renderText(field: TextField, ctx: FieldContext): HTMLElement {
  return field.format === "tags" ? renderTags(field, ctx) : renderFree(field, ctx);
}

function renderFree(field: TextField, ctx: FieldContext): HTMLElement {
  const area = h("textarea", {
    className: "text-input",
    attrs: { rows: "3", "aria-label": field.label || field.name, maxlength: String(field.max_length ?? 10000) },
  });
  area.value = typeof ctx.state.get(field.name) === "string" ? (ctx.state.get(field.name) as string) : "";
  area.disabled = !ctx.editable;
  const count = h("span", { className: "muted text-count" });
  const paint = (): void => {
    const length = area.value.trim().length;
    const min = field.min_length ?? 0;
    count.textContent = min && length < min ? `${length} / at least ${min} characters` : `${length} characters`;
  };
  area.addEventListener("input", () => {
    ctx.state.set(field.name, area.value.trim() ? area.value : undefined);
    paint();
  });
  paint();
  return fieldShell(field, area, count);
}

function renderTags(field: TextField, ctx: FieldContext): HTMLElement {
  const tags = (): string[] => (Array.isArray(ctx.state.get(field.name)) ? [...(ctx.state.get(field.name) as string[])] : []);
  const chips = h("ul", { className: "tag-list", attrs: { "aria-label": `${field.label || field.name} tags` } });
  const input = h("input", { attrs: { type: "text", "aria-label": `Add a tag to ${field.label || field.name}`, placeholder: "type a word, Enter to add" } });
  input.disabled = !ctx.editable;
  const write = (next: string[]): void => {
    ctx.state.set(field.name, next.length ? next : undefined);
    paint();
  };
  const paint = (): void => {
    chips.replaceChildren();
    for (const tag of tags()) {
      const remove = h("button", { className: "icon-button", text: "×", attrs: { type: "button", "aria-label": `Remove ${tag}` } });
      remove.disabled = !ctx.editable;
      remove.addEventListener("click", () => write(tags().filter((t) => t !== tag)));
      chips.append(h("li", { className: "chip" }, tag, remove));
    }
  };
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const word = input.value.trim();
    if (!word) return;
    const now = tags();
    if (!now.some((t) => t.toLocaleLowerCase() === word.toLocaleLowerCase())) write([...now, word]);
    input.value = "";
  });
  paint();
  return fieldShell(field, chips, input);
}
