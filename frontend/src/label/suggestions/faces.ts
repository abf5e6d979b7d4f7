/**
 * Face boxes from the `faces` track drawn over the video at the current time. Rows are read in
 * windows of a few seconds around the playhead and cached, so an hour-long track costs one small
 * read per window reached.
 */

import { h } from "../../dom";
import type { MediaPlayer } from "../player";
import type { TrackSummary } from "../types";
import { num, prefetchWindow, readWindow } from "./trackData";

const CHUNK_SECONDS = 10;
const CHUNK_POINTS = 20_000;

interface Box {
  time: number;
  identity: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  main: boolean;
}

function chunkArgs(track: TrackSummary, index: number): [number, number, number, number] {
  return [track.id, index * CHUNK_SECONDS, (index + 1) * CHUNK_SECONDS, CHUNK_POINTS];
}

const readChunk = (track: TrackSummary, index: number) => readWindow(...chunkArgs(track, index));

/** Start reading the boxes of the first seconds before the overlay exists (see `prefetchWindow`). */
export function prefetchFaces(track: TrackSummary): void {
  prefetchWindow(...chunkArgs(track, 0));
}

export function showFaces(player: MediaPlayer, track: TrackSummary): HTMLElement {
  const chunks = new Map<number, Box[] | "loading">();
  const period = track.sample_rate ? 1 / track.sample_rate : 0.2;
  const toggle = h("input", { attrs: { type: "checkbox", id: "show-faces" } });
  toggle.checked = true;

  const load = (index: number): void => {
    if (chunks.has(index)) return;
    chunks.set(index, "loading");
    readChunk(track, index)
      .then((window) => {
        const boxes: Box[] = [];
        for (const row of window.rows) {
          const time = num(row.time), x0 = num(row.x0), y0 = num(row.y0), x1 = num(row.x1), y1 = num(row.y1);
          if (time === null || x0 === null || y0 === null || x1 === null || y1 === null) continue;
          boxes.push({ time, identity: num(row.identity) ?? 0, x0, y0, x1, y1, main: row.is_main === true });
        }
        chunks.set(index, boxes);
        draw(player.time);
      })
      .catch(() => chunks.set(index, []));
  };

  const draw = (time: number): void => {
    const overlay = player.overlay;
    if (!toggle.checked) {
      overlay.replaceChildren();
      return;
    }
    const index = Math.floor(time / CHUNK_SECONDS);
    load(index);
    if ((time % CHUNK_SECONDS) > CHUNK_SECONDS - 2) load(index + 1);
    const chunk = chunks.get(index);
    const boxes = Array.isArray(chunk) ? chunk.filter((b) => Math.abs(b.time - time) <= period / 2 + 1e-3) : [];
    overlay.replaceChildren(
      ...boxes.map((box) => {
        const element = h("span", { className: `face-box${box.main ? " main" : ""}`, attrs: { title: `face ${box.identity}` } });
        element.style.left = `${box.x0 * 100}%`;
        element.style.top = `${box.y0 * 100}%`;
        element.style.width = `${(box.x1 - box.x0) * 100}%`;
        element.style.height = `${(box.y1 - box.y0) * 100}%`;
        return element;
      }),
    );
  };
  player.onTime(draw);
  toggle.addEventListener("change", () => draw(player.time));
  draw(0);
  return h("label", { className: "suggestion-toggle" }, toggle, " Show face boxes (pre-label)");
}
