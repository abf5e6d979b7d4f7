/** Wires one assignment's labeling page: workspace, player, fields, suggestions, saving, keys. */

import { getJson } from "../api";
import { byId, h, setText } from "../dom";
import { Autosave } from "./autosave";
import { askConflict } from "./conflict";
import { renderFields } from "./fields";
import type { FieldContext } from "./fields/context";
import { showGuidelines } from "./guidelines";
import { pendingRead } from "./pendingStore";
import { loadPeaks } from "./peaks";
import { MediaPlayer } from "./player";
import { registerGlobalKeys } from "./globalKeys";
import { Shortcuts } from "./shortcuts";
import { LabelState } from "./state";
import { prefetchSuggestions, showSuggestions } from "./suggestions";
import { renderTextItem } from "./textItem";
import type { Workspace } from "./types";

export function labelUrl(assignmentId: number): string {
  return `/assignments/${assignmentId}/label/`;
}

export async function openLabelPage(assignmentId: number, nonce: string): Promise<void> {
  const notice = byId("label-notice", HTMLParagraphElement);
  const notify = (message: string, tone: "info" | "error" = "info"): void => {
    notice.hidden = false;
    notice.classList.toggle("error", tone === "error");
    notice.textContent = message;
    window.clearTimeout(Number(notice.dataset.timer ?? 0));
    notice.dataset.timer = String(window.setTimeout(() => (notice.hidden = true), tone === "error" ? 8000 : 4000));
  };
  const workspace = (await getJson(`/api/assignments/${assignmentId}/workspace/`)) as Workspace;
  const item = workspace.item;
  const hasMedia = (item.kind === "video" || item.kind === "audio") && !!item.files.proxy;
  // Everything else the first screen needs is asked for at once, so that the server reads the
  // peaks file and the first track windows while this page builds the player and the fields.
  const peaksLoading = hasMedia ? loadPeaks(item.files.peaks) : null;
  if (hasMedia && workspace.schema) prefetchSuggestions(workspace);
  setText(byId("label-title", HTMLHeadingElement), item.original_name || (item.kind === "text" ? "Utterance" : `Item ${item.id}`));
  setText(byId("label-progress", HTMLSpanElement), `${workspace.progress.done} of ${workspace.progress.total} done`);
  document.body.dataset.assignmentState = workspace.assignment.state;
  if (workspace.assignment.review_comment) notify(`Reviewer: ${workspace.assignment.review_comment}`);

  void showGuidelines(workspace.assignment.project, byId("guidelines", HTMLDivElement));

  const shortcuts = new Shortcuts();
  let player: MediaPlayer | null = null;
  if (peaksLoading) {
    const section = byId("media-section", HTMLElement);
    section.hidden = false;
    const peaks = await peaksLoading;
    player = new MediaPlayer(section, item, nonce, peaks);
  }
  if (item.kind === "text") {
    const section = byId("text-section", HTMLElement);
    section.hidden = false;
    renderTextItem(workspace, section);
  }

  const pending = workspace.editable ? pendingRead(assignmentId) : null;
  const serverValues = workspace.latest?.values ?? {};
  const state = new LabelState(pending ? pending.values : serverValues);
  const form = byId("fields", HTMLFormElement);
  form.addEventListener("submit", (event) => event.preventDefault());
  const status = byId("save-status", HTMLSpanElement);
  const setStatus = (kind: string, text: string): void => {
    status.dataset.state = kind;
    status.textContent = text;
  };
  if (!workspace.schema) {
    form.append(h("p", { className: "alert", text: "This project has no label schema yet, so there is nothing to label." }));
    return;
  }
  let digitsClaimed = false;
  const ctx: FieldContext = {
    state,
    editable: workspace.editable,
    player,
    shortcuts,
    notify,
    claimDigits: () => (digitsClaimed ? false : (digitsClaimed = true)),
  };
  const rendered = renderFields(workspace.schema.definition.fields, ctx, form);
  if (!workspace.editable) {
    setStatus("readonly", workspace.assignment.state === "assigned" || workspace.assignment.state === "rejected" ? "Read only" : `Read only · ${workspace.assignment.state}`);
  } else if (workspace.latest) {
    setStatus("saved", `Saved · revision ${workspace.latest.number}${workspace.latest.submitted ? " (submitted)" : ""}`);
  } else setStatus("saved", "Nothing saved yet");

  if (player) showSuggestions(workspace, player, rendered, byId("suggestions-section", HTMLElement), byId("transcript-section", HTMLElement));

  const goTo = (id: number | null): void => {
    window.location.assign(id ? labelUrl(id) : `/projects/${workspace.assignment.project}/label/`);
  };
  let autosave: Autosave | null = null;
  if (workspace.editable) {
    autosave = new Autosave(assignmentId, state, workspace.latest?.number ?? null, {
      onStatus: setStatus,
      onConflict: async (mine, latest) => {
        const choice = await askConflict(mine, latest);
        if (choice === "take") window.setTimeout(() => window.location.reload(), 0);
        return choice;
      },
      onSubmitted: () => goTo(workspace.next),
    }, serverValues);
    if (pending) autosave.resume(pending);
    window.addEventListener("beforeunload", () => void autosave?.flush());
  }

  const submitButton = byId("submit-item", HTMLButtonElement);
  submitButton.disabled = !workspace.editable;
  const submit = async (): Promise<void> => {
    if (!autosave) return;
    submitButton.disabled = true;
    const outcome = await autosave.flush(true);
    if (!outcome || outcome.kind !== "saved") submitButton.disabled = false;
    if (outcome && outcome.kind === "rejected") notify(status.textContent ?? "Not submitted.", "error");
  };
  submitButton.addEventListener("click", () => void submit());

  const move = async (id: number | null): Promise<void> => {
    if (autosave) await autosave.flush();
    if (id) goTo(id);
  };
  const prev = byId("prev-item", HTMLButtonElement);
  const next = byId("next-item", HTMLButtonElement);
  prev.disabled = workspace.previous === null;
  next.disabled = workspace.next === null;
  prev.addEventListener("click", () => void move(workspace.previous));
  next.addEventListener("click", () => void move(workspace.next));

  registerGlobalKeys(shortcuts, {
    player,
    submit: () => void submit(),
    next: workspace.next ? () => void move(workspace.next) : null,
    previous: workspace.previous ? () => void move(workspace.previous) : null,
  });
  shortcuts.attach();
  document.body.dataset.labelReady = "true";
}
