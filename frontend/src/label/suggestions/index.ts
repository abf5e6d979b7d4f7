/** Which pre-label suggestions an item gets, from the tracks it has. */

import { h } from "../../dom";
import type { RenderedFields } from "../fields";
import type { MediaPlayer } from "../player";
import type { DimensionalField, Workspace } from "../types";
import { prefetchFaces, showFaces } from "./faces";
import { auPlot, prefetchAuPlot, prefetchVadPlot, vadPlot } from "./plots";
import { trackOf } from "./trackData";
import { prefetchTranscript, showTranscript } from "./transcript";
import { vadSuggestion } from "./vadAccept";

const VAD_KINDS = ["vad_fused", "vad_face", "vad_text", "vad_voice"];

/**
 * Start the first track reads of `showSuggestions` as soon as the workspace is known, so that they
 * run on the server while the page fetches peaks and builds the player and fields. For a long item
 * these reads are the slowest part of opening the page; waiting for the player to exist first put
 * them after everything else. Call it only when `showSuggestions` will follow (media and a schema).
 */
export function prefetchSuggestions(workspace: Workspace): void {
  const tracks = workspace.tracks;
  const faces = trackOf(tracks, "faces");
  if (faces && workspace.item.kind === "video") prefetchFaces(faces);
  const au = trackOf(tracks, "action_units");
  if (au) prefetchAuPlot(au);
  const words = trackOf(tracks, "words");
  if (words) prefetchTranscript(words);
  const vad = trackOf(tracks, ...VAD_KINDS);
  if (vad) prefetchVadPlot(vad);
}

export function showSuggestions(
  workspace: Workspace,
  player: MediaPlayer,
  rendered: RenderedFields,
  section: HTMLElement,
  transcriptSection: HTMLElement,
): void {
  const tracks = workspace.tracks;
  const host = section.querySelector<HTMLElement>("#suggestions")!;
  const add = (node: Node | null): void => {
    if (!node) return;
    section.hidden = false;
    host.append(node);
  };
  const faces = trackOf(tracks, "faces");
  if (faces && player.media instanceof HTMLVideoElement) add(showFaces(player, faces));
  const au = trackOf(tracks, "action_units");
  if (au) add(auPlot(player, au).control);
  const words = trackOf(tracks, "words");
  if (words) {
    transcriptSection.hidden = false;
    const target = transcriptSection.querySelector<HTMLElement>("#transcript")!;
    target.append(h("p", { className: "muted", text: "Loading transcript…" }));
    showTranscript(player, words, target).catch(() => target.replaceChildren(h("p", { className: "muted", text: "The transcript could not be loaded." })));
  }
  const vad = trackOf(tracks, ...VAD_KINDS);
  if (vad) {
    const plot = vadPlot(player, vad);
    void plot.load().then((window) => {
      if (!window || !workspace.schema) return;
      for (const field of workspace.schema.definition.fields) {
        const handle = rendered.dimensional.get(field.name);
        if (field.kind !== "dimensional" || !handle || field.scope !== "item") continue;
        add(vadSuggestion(field as DimensionalField, handle, window, workspace.editable));
      }
    });
  }
}
