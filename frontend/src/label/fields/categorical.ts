/** Item-level categorical fields: one class (hard), several (multi), or a distribution (soft). */

import { h } from "../../dom";
import type { CategoricalField, ClassDef } from "../types";
import { classTitle } from "../types";
import { classColour, fieldShell, intensityScale, intensitySelect } from "./common";
import { DIGITS, type FieldContext } from "./context";
import { setShare, type Distribution } from "./soft";

type Intensities = Record<string, number>;

export function renderCategorical(field: CategoricalField, ctx: FieldContext): HTMLElement {
  if (field.mode === "soft") return renderSoft(field, ctx);
  return renderChoice(field, ctx);
}

function keyHint(cls: ClassDef, index: number, digits: boolean): string {
  if (cls.key) return cls.key;
  return digits && index < 9 ? DIGITS[index] : "";
}

function renderChoice(field: CategoricalField, ctx: FieldContext): HTMLElement {
  const multi = field.mode === "multi";
  const digits = ctx.claimDigits();
  const buttons = new Map<string, HTMLButtonElement>();
  const intensityRow = h("div", { className: "intensities" });
  const chosen = (): string[] => {
    const value = ctx.state.get(field.name) as { class?: string; classes?: string[] } | undefined;
    if (!value) return [];
    return multi ? value.classes ?? [] : value.class ? [value.class] : [];
  };
  const intensities = (): Intensities => {
    const value = ctx.state.get(field.name) as { intensity?: number | Intensities } | undefined;
    if (!value || value.intensity === undefined) return {};
    if (multi) return (value.intensity as Intensities) ?? {};
    const only = chosen()[0];
    return only && typeof value.intensity === "number" ? { [only]: value.intensity } : {};
  };
  const write = (ids: string[], levels: Intensities): void => {
    const kept = Object.fromEntries(Object.entries(levels).filter(([id]) => ids.includes(id)));
    if (!ids.length) ctx.state.set(field.name, undefined);
    else if (multi) ctx.state.set(field.name, Object.keys(kept).length ? { classes: ids, intensity: kept } : { classes: ids });
    else ctx.state.set(field.name, kept[ids[0]] !== undefined ? { class: ids[0], intensity: kept[ids[0]] } : { class: ids[0] });
    paint();
  };
  const pick = (id: string): void => {
    if (!ctx.editable) return;
    const now = chosen();
    if (multi) write(now.includes(id) ? now.filter((c) => c !== id) : [...now, id], intensities());
    else write(now[0] === id ? [] : [id], intensities());
  };
  const paint = (): void => {
    const now = chosen();
    for (const [id, button] of buttons) button.setAttribute("aria-pressed", String(now.includes(id)));
    intensityRow.replaceChildren();
    const levels = intensities();
    for (const id of now) {
      const cls = field.classes.find((c) => c.id === id);
      const scale = cls ? intensityScale(field, cls) : null;
      if (!cls || !scale) continue;
      intensityRow.append(
        h("label", { className: "intensity-row" }, `${classTitle(cls)} `,
          intensitySelect(scale, `Intensity of ${classTitle(cls)}`, levels[id], (level) => {
            const next = { ...intensities() };
            if (level === undefined) delete next[id];
            else next[id] = level;
            write(chosen(), next);
          })),
      );
    }
  };
  const group = h("div", { className: "class-buttons", attrs: { role: "group", "aria-label": field.label || field.name } });
  field.classes.forEach((cls, index) => {
    const hint = keyHint(cls, index, digits);
    const button = h(
      "button",
      { className: "class-button", attrs: { type: "button", "aria-pressed": "false", title: cls.description ?? "" }, data: { class: cls.id } },
      h("span", { className: "swatch", attrs: { "aria-hidden": "true" } }),
      classTitle(cls),
      hint ? h("span", { className: "key-hint", text: hint }) : null,
    );
    button.querySelector<HTMLElement>(".swatch")!.style.background = classColour(index, 1);
    button.disabled = !ctx.editable;
    button.addEventListener("click", () => pick(cls.id));
    buttons.set(cls.id, button);
    group.append(button);
    if (hint) {
      ctx.shortcuts.add({
        keys: hint,
        label: `${multi ? "Toggle" : "Choose"} “${classTitle(cls)}” (${field.label || field.name})`,
        group: "Labels",
        run: () => (ctx.editable ? pick(cls.id) : false),
      });
    }
  });
  paint();
  return fieldShell(field, group, intensityRow);
}

/**
 * Soft labels: a share per class (always summing to 100 %) and, for classes with an intensity scale
 * (their own or the field's), an optional intensity once their share is above 0. A class whose
 * share drops to 0 loses its intensity, as the schema allows intensity only for chosen classes.
 */
function renderSoft(field: CategoricalField, ctx: FieldContext): HTMLElement {
  const ids = field.classes.map((c) => c.id);
  const digits = ctx.claimDigits();
  const rows = new Map<string, { slider: HTMLInputElement; bar: HTMLElement; out: HTMLOutputElement; level: HTMLElement | null }>();
  const current = (): Distribution | null => {
    const value = ctx.state.get(field.name) as { distribution?: Distribution } | undefined;
    return value?.distribution ?? null;
  };
  const levels = (): Intensities => {
    const value = ctx.state.get(field.name) as { intensity?: Intensities } | undefined;
    return value?.intensity && typeof value.intensity === "object" ? value.intensity : {};
  };
  const write = (dist: Distribution | null, wanted: Intensities): void => {
    if (!dist) {
      ctx.state.set(field.name, undefined);
      return;
    }
    const kept = Object.fromEntries(Object.entries(wanted).filter(([id]) => (dist[id] ?? 0) > 0));
    ctx.state.set(field.name, Object.keys(kept).length ? { distribution: dist, intensity: kept } : { distribution: dist });
  };
  const status = h("p", { className: "muted soft-status" });
  const paint = (): void => {
    const dist = current();
    const given = levels();
    for (const id of ids) {
      const row = rows.get(id)!;
      const share = dist?.[id] ?? 0;
      row.slider.value = String(Math.round(share * 100));
      row.bar.style.width = `${share * 100}%`;
      row.out.value = dist ? `${(share * 100).toFixed(0)}%` : "–";
      if (row.level) {
        row.level.hidden = share <= 0;
        const input = row.level.querySelector<HTMLInputElement | HTMLSelectElement>("select, input");
        if (input) input.value = given[id] === undefined ? "" : String(given[id]);
      }
    }
    status.textContent = dist ? "Shares always sum to 100%." : "Not set: move a slider to give this item a distribution.";
  };
  const set = (id: string, share: number): void => {
    if (!ctx.editable) return;
    write(setShare(ids, current(), id, share), levels());
    paint();
  };
  const setLevel = (id: string, level: number | undefined): void => {
    const dist = current();
    if (!ctx.editable || !dist) return;
    const next = { ...levels() };
    if (level === undefined) delete next[id];
    else next[id] = level;
    write(dist, next);
    paint();
  };
  const withIntensity = field.classes.some((cls) => intensityScale(field, cls));
  const list = h("div", { className: withIntensity ? "soft-list with-intensity" : "soft-list" });
  field.classes.forEach((cls, index) => {
    const label = classTitle(cls);
    const slider = h("input", {
      className: "soft-slider",
      attrs: { type: "range", min: "0", max: "100", step: "1", value: "0", "aria-label": `Share of ${label}` },
      data: { class: cls.id },
    });
    slider.disabled = !ctx.editable;
    slider.addEventListener("input", () => set(cls.id, Number(slider.value) / 100));
    const bar = h("span", { className: "soft-bar-fill" });
    bar.style.background = classColour(index, 0.85);
    const out = h("output", { className: "soft-value" });
    const scale = intensityScale(field, cls);
    const level = scale ? intensitySelect(scale, `Intensity of ${label}`, levels()[cls.id], (value) => setLevel(cls.id, value)) : null;
    if (level) level.querySelector<HTMLInputElement | HTMLSelectElement>("select, input")!.disabled = !ctx.editable;
    rows.set(cls.id, { slider, bar, out, level });
    const hint = keyHint(cls, index, digits);
    list.append(
      h("div", { className: "soft-row", data: { class: cls.id } },
        h("span", { className: "soft-name" }, label, hint ? h("span", { className: "key-hint", text: hint }) : null),
        slider,
        h("span", { className: "soft-bar", attrs: { "aria-hidden": "true" } }, bar),
        out,
        withIntensity ? level ?? h("span", { className: "intensity" }) : null),
    );
    if (hint) {
      ctx.shortcuts.add({
        keys: hint,
        label: `Add 10% to “${label}” (${field.label || field.name})`,
        group: "Labels",
        run: () => (ctx.editable ? set(cls.id, Math.min(1, (current()?.[cls.id] ?? 0) + 0.1)) : false),
      });
    }
  });
  const clear = h("button", { className: "button ghost small", text: "Clear", attrs: { type: "button" } });
  clear.disabled = !ctx.editable;
  clear.addEventListener("click", () => {
    write(null, {});
    paint();
  });
  paint();
  return fieldShell(field, list, h("div", { className: "soft-foot" }, status, clear));
}
