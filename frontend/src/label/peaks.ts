/**
 * The waveform comes from the peaks file computed at ingest (audiowaveform JSON: 8-bit min/max
 * pairs), so the browser never downloads or decodes the whole audio track to draw it.
 */

import { getJson } from "../api";

interface PeaksFile {
  data: number[];
  bits?: number;
  channels?: number;
}

export async function loadPeaks(url: string | undefined): Promise<Float32Array | null> {
  if (!url) return null;
  try {
    const body = (await getJson(url)) as PeaksFile;
    if (!Array.isArray(body.data) || !body.data.length) return null;
    const scale = body.bits === 16 ? 32768 : 128;
    const out = new Float32Array(body.data.length);
    for (let i = 0; i < body.data.length; i++) out[i] = body.data[i] / scale;
    return out;
  } catch {
    return null;
  }
}
