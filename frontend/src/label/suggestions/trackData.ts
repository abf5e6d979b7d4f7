/** Windowed reads of pre-label tracks: only the rows a view needs, never a whole long track at once. */

import { getJson } from "../../api";
import type { TrackSummary, TrackWindow } from "../types";

/** Reads started before the view that needs them exists, each handed to the first caller asking for it. */
const early = new Map<string, Promise<TrackWindow>>();

function windowUrl(track: number, start: number | null, end: number | null, maxPoints: number, columns?: string[]): string {
  const query = new URLSearchParams({ max_points: String(Math.max(1, Math.min(100_000, Math.round(maxPoints)))) });
  if (start !== null) query.set("start", start.toFixed(3));
  if (end !== null) query.set("end", end.toFixed(3));
  if (columns && columns.length) query.set("columns", columns.join(","));
  return `/api/tracks/${track}/data/?${query}`;
}

/** `columns` narrows the read (the server always adds `time`): a one-AU plot skips the other eighteen. */
export async function readWindow(
  track: number,
  start: number | null,
  end: number | null,
  maxPoints: number,
  columns?: string[],
): Promise<TrackWindow> {
  const url = windowUrl(track, start, end, maxPoints, columns);
  const started = early.get(url);
  if (started) {
    early.delete(url);
    return started;
  }
  return (await getJson(url)) as TrackWindow;
}

/**
 * Start a read now so that it runs while the page is still being built (waveform, fields); the
 * same `readWindow` call later takes its answer instead of asking again.
 */
export function prefetchWindow(track: number, start: number | null, end: number | null, maxPoints: number, columns?: string[]): void {
  const url = windowUrl(track, start, end, maxPoints, columns);
  if (early.has(url)) return;
  const request = getJson(url) as Promise<TrackWindow>;
  request.catch(() => undefined); // a failure is reported to whoever takes it
  early.set(url, request);
}

/** The newest track of a kind (the workspace lists them newest first within a kind). */
export function trackOf(tracks: TrackSummary[], ...kinds: string[]): TrackSummary | undefined {
  for (const kind of kinds) {
    const found = tracks.find((t) => t.kind === kind);
    if (found) return found;
  }
  return undefined;
}

export const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
