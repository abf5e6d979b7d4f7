/**
 * Turning what the annotator did while the media played into a trace on the schema's grid.
 *
 * Recorded points arrive at screen-refresh times; they are resampled to t = k / rate_hz by linear
 * interpolation, so the saved trace has the declared rate. A new stretch replaces only the
 * samples it covers. The server accepts no gap wider than two sampling periods, so where two
 * recorded stretches do not touch, the grid points between them are filled by a straight line
 * between their ends (the page says so); recording over that gap later replaces the line.
 */

export type Sample = number[];

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;
const round4 = (value: number): number => Math.round(value * 1e4) / 1e4;

function interpolate(a: Sample, b: Sample, time: number): Sample {
  const span = b[0] - a[0];
  const f = span > 0 ? (time - a[0]) / span : 0;
  return [round6(time), ...a.slice(1).map((value, i) => round4(value + (b[i + 1] - value) * f))];
}

/** Raw points (strictly increasing times) as samples on the k / rate grid they span. */
export function resample(raw: Sample[], rate: number, duration: number): Sample[] {
  if (!raw.length) return [];
  const last = Math.floor(duration * rate + 1e-9);
  const first = Math.max(0, Math.ceil(raw[0][0] * rate - 1e-9));
  const end = Math.min(last, Math.floor(raw[raw.length - 1][0] * rate + 1e-9));
  if (end < first) {
    const k = Math.min(last, Math.max(0, Math.round(raw[0][0] * rate)));
    return [[round6(k / rate), ...raw[0].slice(1).map(round4)]];
  }
  const out: Sample[] = [];
  let j = 0;
  for (let k = first; k <= end; k++) {
    const time = k / rate;
    while (j < raw.length - 2 && raw[j + 1][0] < time) j++;
    const a = raw[j];
    const b = raw[Math.min(j + 1, raw.length - 1)];
    out.push(time <= a[0] ? [round6(time), ...a.slice(1).map(round4)] : interpolate(a, b, time));
  }
  return out;
}

/** The existing trace with the stretch's time range replaced by the stretch, gaps bridged. */
export function merge(existing: Sample[], stretch: Sample[], rate: number): Sample[] {
  if (!stretch.length) return existing;
  const half = 0.5 / rate;
  const from = stretch[0][0] - half;
  const to = stretch[stretch.length - 1][0] + half;
  const kept = existing.filter((sample) => sample[0] < from || sample[0] > to);
  const all = [...kept, ...stretch].sort((a, b) => a[0] - b[0]);
  return bridge(all, rate);
}

/** Fill every gap wider than 1.5 periods with grid points on the line between its ends. */
export function bridge(samples: Sample[], rate: number): Sample[] {
  const out: Sample[] = [];
  const period = 1 / rate;
  for (const sample of samples) {
    const previous = out[out.length - 1];
    if (previous && sample[0] - previous[0] > 1.5 * period) {
      const k0 = Math.round(previous[0] * rate) + 1;
      const k1 = Math.round(sample[0] * rate) - 1;
      for (let k = k0; k <= k1; k++) out.push(interpolate(previous, sample, k / rate));
    }
    if (previous && sample[0] - previous[0] < 0.5 * period) continue;
    out.push(sample);
  }
  return out;
}
