/** A text item: the utterance and its speaker, with the dialogue's other turns around it (as text). */

import { h } from "../dom";
import type { Workspace } from "./types";

export function renderTextItem(workspace: Workspace, host: HTMLElement): void {
  const item = workspace.item;
  const limit = workspace.schema?.definition.context?.dialogue_turns_before;
  const turn = item.turn ?? Number.POSITIVE_INFINITY;
  let before = workspace.context.filter((t) => (t.turn ?? -1) < turn);
  const after = workspace.context.filter((t) => (t.turn ?? -1) > turn);
  if (typeof limit === "number") before = limit > 0 ? before.slice(-limit) : [];
  const line = (speaker: string, text: string, className: string): HTMLElement =>
    h("li", { className: `turn ${className}` }, h("span", { className: "speaker", text: speaker || "—" }), h("span", { className: "utterance", text }));
  const list = h("ol", { className: "dialogue", attrs: { "aria-label": "Dialogue" } });
  for (const t of before) list.append(line(t.speaker, t.text, "context"));
  const current = line(item.speaker, item.text, "current");
  current.setAttribute("aria-current", "true");
  list.append(current);
  for (const t of after) list.append(line(t.speaker, t.text, "context later"));
  host.append(h("h2", { className: "card-title", text: item.dialogue_id ? `Dialogue ${item.dialogue_id}` : "Utterance" }), list);
}
