/** Windowed reads of pre-label tracks: only the rows a view needs, never a whole long track at once. */

import { getJson } from "../../api";
import type { TrackSummary, TrackWindow } from "../types";

export async function readWindow(track: number, start: number | null, end: number | null, maxPoints: number): Promise<TrackWindow> {
  const query = new URLSearchParams({ max_points: String(Math.max(1, Math.min(100_000, Math.round(maxPoints)))) });
  if (start !== null) query.set("start", start.toFixed(3));
  if (end !== null) query.set("end", end.toFixed(3));
  return (await getJson(`/api/tracks/${track}/data/?${query}`)) as TrackWindow;
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
