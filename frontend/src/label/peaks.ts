/**
 * The waveform comes from the peaks file computed at ingest (audiowaveform JSON: 8-bit min/max
 * pairs), so the browser never downloads or decodes the whole audio track to draw it.
 *
 * The file holds 62.5 pairs per second, 225,000 for an hour. The waveform is drawn from the
 * coarsest of a few halvings that still has about two pairs per drawn pixel: the first screen of
 * an hour-long item (the whole hour across the page width) needs a few thousand, and zooming in
 * moves to finer levels, down to the file's own. Each halving keeps the lowest minimum and the
 * highest maximum of the pairs it merges, so the envelope drawn is the same at every level.
 */

import { getJson } from "../api";

interface PeaksFile {
  data: number[];
  bits?: number;
  channels?: number;
}

/** Pairs per drawn pixel a level must have to be drawn without losing detail. */
const PAIRS_PER_PIXEL = 2;

export class WaveformPeaks {
  /** levels[0] is the file's own resolution; each next one has half the pairs (rounded up). */
  private readonly levels: Float32Array[];

  constructor(full: Float32Array) {
    this.levels = [full.length % 2 ? full.subarray(0, full.length - 1) : full];
  }

  get full(): Float32Array {
    return this.levels[0];
  }

  /** Interleaved min/max values fit to draw `pixels` device pixels across the whole item. */
  forPixels(pixels: number): Float32Array {
    const wanted = Math.max(1, Math.ceil(pixels * PAIRS_PER_PIXEL));
    let level = 0;
    for (;;) {
      const current = this.levels[level];
      const pairs = current.length / 2;
      if (pairs < 2 * wanted) return current; // halving it would drop below what is wanted
      if (level + 1 >= this.levels.length) this.levels.push(halve(current));
      level += 1;
    }
  }
}

function halve(level: Float32Array): Float32Array {
  const pairs = level.length / 2;
  const out = new Float32Array(Math.ceil(pairs / 2) * 2);
  for (let pair = 0, o = 0; pair < pairs; pair += 2, o += 2) {
    const i = pair * 2;
    if (pair + 1 < pairs) {
      out[o] = Math.min(level[i], level[i + 2]);
      out[o + 1] = Math.max(level[i + 1], level[i + 3]);
    } else {
      out[o] = level[i];
      out[o + 1] = level[i + 1];
    }
  }
  return out;
}

export async function loadPeaks(url: string | undefined): Promise<WaveformPeaks | null> {
  if (!url) return null;
  try {
    const body = (await getJson(url)) as PeaksFile;
    if (!Array.isArray(body.data) || body.data.length < 2) return null;
    const scale = body.bits === 16 ? 32768 : 128;
    const out = new Float32Array(body.data.length);
    for (let i = 0; i < body.data.length; i++) out[i] = body.data[i] / scale;
    return new WaveformPeaks(out);
  } catch {
    return null;
  }
}
