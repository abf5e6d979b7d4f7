/**
 * One registry of keyboard shortcuts: every binding is declared with the words the help overlay
 * shows, so the overlay can never fall out of step with what the keys do. Several bindings may
 * share a key (digits pick a class of the selected segment, else of the item-level field); the
 * first whose `run` returns true handles the press.
 */

import { h } from "../dom";

export interface Shortcut {
  /** As shown and matched: "Space", "Ctrl+Enter", "Shift+N", "ArrowLeft", "1-9", "?" */
  keys: string;
  label: string;
  group: string;
  match?: (event: KeyboardEvent) => boolean;
  run: (event: KeyboardEvent) => boolean | void;
  /** Also while typing in a text box (only for chords that cannot be text, e.g. Ctrl+Enter). */
  inText?: boolean;
  /** Higher runs first when several bindings share a key. */
  priority?: number;
}

const TEXT_INPUT = new Set(["text", "search", "email", "url", "number", "password", "tel"]);

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT.has(target.type);
}

function onSlider(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement && target.type === "range";
}

function parse(keys: string): { key: string; ctrl: boolean; alt: boolean; shift: boolean } {
  const parts = keys.split("+");
  const key = parts.pop() || "+";
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return { key: key === "Space" ? " " : key, ctrl: mods.has("ctrl"), alt: mods.has("alt"), shift: mods.has("shift") };
}

/** Matches "Shift+N" against a press: letters compare case-insensitively; symbols ignore Shift. */
export function matches(keys: string, event: KeyboardEvent): boolean {
  const want = parse(keys);
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl !== want.ctrl || event.altKey !== want.alt) return false;
  const letter = /^[a-z]$/i.test(want.key);
  if (letter) return event.key.toLowerCase() === want.key.toLowerCase() && event.shiftKey === want.shift;
  if (want.key.length > 1 && event.shiftKey !== want.shift) return false;
  return event.key === want.key;
}

export class Shortcuts {
  private readonly bindings: Shortcut[] = [];

  add(shortcut: Shortcut): void {
    this.bindings.push(shortcut);
  }

  private ordered(): Shortcut[] {
    return [...this.bindings].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  }

  list(): readonly Shortcut[] {
    return this.bindings;
  }

  attach(target: Document = document): void {
    target.addEventListener("keydown", (event) => this.handle(event));
  }

  private handle(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.isComposing) return;
    const inText = typing(event.target);
    const slider = onSlider(event.target);
    if (document.querySelector("dialog[open]")) return; // the dialog has the keys (Escape closes it)
    for (const binding of this.ordered()) {
      if (inText && !binding.inText) continue;
      if (slider && event.key.startsWith("Arrow")) continue;
      const hit = binding.match ? binding.match(event) : matches(binding.keys, event);
      if (!hit) continue;
      if (binding.run(event) === false) continue;
      event.preventDefault();
      return;
    }
  }

  /** The overlay's table: one section per group, in the order bindings were added. */
  renderHelp(table: HTMLTableElement): void {
    table.replaceChildren();
    const groups = new Map<string, Shortcut[]>();
    const seen = new Set<string>();
    for (const binding of this.bindings) {
      const id = `${binding.group}|${binding.keys}|${binding.label}`;
      if (seen.has(id)) continue;
      seen.add(id);
      groups.set(binding.group, [...(groups.get(binding.group) ?? []), binding]);
    }
    for (const [group, bindings] of groups) {
      const body = h("tbody", {}, h("tr", {}, h("th", { text: group, attrs: { colspan: "2", scope: "colgroup" } })));
      for (const binding of bindings) {
        body.append(h("tr", {}, h("td", {}, h("kbd", { text: binding.keys })), h("td", { text: binding.label })));
      }
      table.append(body);
    }
  }
}
