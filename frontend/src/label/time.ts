/** Times as annotators read them: m:ss.mmm (h:mm:ss.mmm past an hour). */

export function formatClock(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const hours = Math.floor(safe / 3600);
  const minutes = Math.floor((safe % 3600) / 60);
  const rest = safe % 60;
  const secs = rest.toFixed(3).padStart(6, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

/** Round to milliseconds so saved times read cleanly and compare stably. */
export function ms(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
