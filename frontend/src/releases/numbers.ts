/** How agreement figures read on screen: three decimals, and words instead of a number that does not exist. */

export function formatFigure(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value.toFixed(digits);
}

/** "undefined, because …" for a figure the report could not compute; the reason comes from the server. */
export function undefinedText(reason: string | null | undefined): string {
  const because = (reason ?? "").trim();
  return because ? `undefined, because ${because.replace(/^because\s+/i, "")}` : "undefined";
}

/** The figure, or the sentence that says why there is none. */
export function figureOrReason(value: number | null | undefined, reason: string | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? undefinedText(reason) : formatFigure(value);
}

export function finite(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
