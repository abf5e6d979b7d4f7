/** The ASR transcript with word timing: click a word to seek; the word being spoken is highlighted. */

import { h } from "../../dom";
import type { MediaPlayer } from "../player";
import { formatClock } from "../time";
import type { TrackSummary } from "../types";
import { num, prefetchWindow, readWindow } from "./trackData";

interface Word {
  start: number;
  end: number;
  element: HTMLElement;
}

const MAX_WORDS = 100_000;

/** Start reading the words before the transcript panel exists (see `prefetchWindow`). */
export function prefetchTranscript(track: TrackSummary): void {
  prefetchWindow(track.id, null, null, MAX_WORDS);
}

export async function showTranscript(player: MediaPlayer, track: TrackSummary, host: HTMLElement): Promise<void> {
  const window = await readWindow(track.id, null, null, MAX_WORDS);
  const words: Word[] = [];
  host.replaceChildren();
  for (const row of window.rows) {
    const start = num(row.start) ?? num(row.time);
    const end = num(row.end) ?? start;
    const text = typeof row.word === "string" ? row.word : "";
    if (start === null || end === null || !text.trim()) continue;
    const element = h("button", {
      className: "word",
      text: text.trim(),
      attrs: { type: "button", title: `${formatClock(start)} – seek here` },
    });
    element.addEventListener("click", () => player.seek(start));
    words.push({ start, end, element });
    host.append(element, " ");
  }
  if (!words.length) {
    host.append(h("p", { className: "muted", text: "The transcript has no words." }));
    return;
  }
  let active: Word | null = null;
  player.onTime((time) => {
    let lo = 0;
    let hi = words.length - 1;
    let found: Word | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (words[mid].start <= time) {
        if (time < Math.max(words[mid].end, words[mid].start + 0.05)) found = words[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found === active) return;
    active?.element.classList.remove("current");
    found?.element.classList.add("current");
    active = found;
  });
}
