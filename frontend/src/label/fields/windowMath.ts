/**
 * The fixed-window grid of a time-scoped field ("window_s"): window i covers [i·w, (i+1)·w), the
 * last one ends at the end of the media. Labels live in one typed array (a code per window, -1 =
 * unlabeled) so an hour of 200 ms windows (18,000 cells) costs a few kilobytes and every operation
 * is a plain loop; the value saved is the list of spans the backend validates, contiguous windows
 * with the same value joined into one span.
 */

export interface WindowSpan {
  start: number;
  end: number;
  value: unknown;
}

export const UNLABELED = -1;
// A playhead this close below a boundary (in windows) counts as in the next window: seeking to
// i·w can read back a hair under it.
const EDGE = 1e-4;

/** Grid times as i·w rounded to 15 significant digits: 0.6 rather than 0.6000000000000001. */
export function gridTime(seconds: number): number {
  return Number(seconds.toPrecision(15));
}

/** JSON with object keys sorted, so equal values map to one code whatever their key order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export class WindowCells {
  readonly count: number;
  readonly codes: Int32Array;
  private readonly values: unknown[] = [];
  private readonly byKey = new Map<string, number>();
  /** Saved spans that do not fit this grid (the media or the window changed): the page says so. */
  readonly misfits: WindowSpan[] = [];

  constructor(
    readonly window: number,
    readonly duration: number,
  ) {
    this.count = Math.max(1, Math.ceil(duration / window - 1e-6));
    this.codes = new Int32Array(this.count).fill(UNLABELED);
  }

  start(index: number): number {
    return gridTime(index * this.window);
  }

  end(index: number): number {
    return index >= this.count - 1 ? this.duration : gridTime((index + 1) * this.window);
  }

  indexAt(time: number): number {
    const index = Math.floor(time / this.window + EDGE);
    return Math.max(0, Math.min(this.count - 1, index));
  }

  /** The code standing for a value (a new one the first time it is seen). */
  code(value: unknown): number {
    const key = canonical(value);
    let code = this.byKey.get(key);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(structuredClone(value));
      this.byKey.set(key, code);
    }
    return code;
  }

  valueOf(code: number): unknown {
    return code === UNLABELED ? undefined : this.values[code];
  }

  at(index: number): unknown {
    return this.valueOf(this.codes[index]);
  }

  /** Label windows first..last (inclusive, either order) with a code, UNLABELED to clear them. */
  fill(code: number, first: number, last: number): void {
    const low = Math.max(0, Math.min(first, last));
    const high = Math.min(this.count - 1, Math.max(first, last));
    if (high >= low) this.codes.fill(code, low, high + 1);
  }

  unlabeledCount(): number {
    let count = 0;
    for (let i = 0; i < this.count; i++) if (this.codes[i] === UNLABELED) count++;
    return count;
  }

  /** The next unlabeled window after `from` (wrapping round), or null when every window has a label. */
  nextUnlabeled(from: number): number | null {
    for (let step = 1; step <= this.count; step++) {
      const index = (from + step) % this.count;
      if (this.codes[index] === UNLABELED) return index;
    }
    return null;
  }

  /** Load saved spans; a span off the grid is kept aside as it is. */
  load(spans: unknown): void {
    this.codes.fill(UNLABELED);
    this.misfits.length = 0;
    if (!Array.isArray(spans)) return;
    for (const raw of spans) {
      const span = raw as WindowSpan;
      if (!span || typeof span.start !== "number" || typeof span.end !== "number" || span.value === undefined) continue;
      const first = Math.round(span.start / this.window);
      const atEnd = Math.abs(span.end - this.duration) < 1e-6;
      const stop = atEnd ? this.count : Math.round(span.end / this.window);
      const onGrid = Math.abs(span.start / this.window - first) < 1e-6 && (atEnd || Math.abs(span.end / this.window - stop) < 1e-6);
      if (!onGrid || stop <= first || first >= this.count) {
        this.misfits.push(span);
        continue;
      }
      this.fill(this.code(span.value), first, Math.min(stop, this.count) - 1);
    }
  }

  /** The spans to save: runs of equal labels, in time order. */
  spans(): WindowSpan[] {
    const out: WindowSpan[] = [];
    let i = 0;
    while (i < this.count) {
      const code = this.codes[i];
      let j = i + 1;
      while (j < this.count && this.codes[j] === code) j++;
      if (code !== UNLABELED) out.push({ start: this.start(i), end: this.end(j - 1), value: structuredClone(this.values[code]) });
      i = j;
    }
    return out;
  }
}
