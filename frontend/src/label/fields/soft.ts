/**
 * A probability distribution that always sums to 1: moving one class to p rescales the others in
 * proportion so they share 1 − p (equally when they were all at 0).
 */

export type Distribution = Record<string, number>;

export function setShare(ids: string[], current: Distribution | null, id: string, share: number): Distribution {
  const p = Math.max(0, Math.min(1, share));
  const others = ids.filter((other) => other !== id);
  const out: Distribution = { [id]: p };
  if (!others.length) return { [id]: 1 };
  const rest = others.reduce((sum, other) => sum + (current?.[other] ?? 0), 0);
  for (const other of others) {
    out[other] = rest > 0 ? ((current?.[other] ?? 0) / rest) * (1 - p) : (1 - p) / others.length;
  }
  return normalise(ids, out);
}

/** Exact sum of 1: the float error is pushed onto the largest share. */
export function normalise(ids: string[], dist: Distribution): Distribution {
  const out: Distribution = {};
  for (const id of ids) out[id] = Math.max(0, Math.min(1, Number((dist[id] ?? 0).toFixed(6))));
  const total = ids.reduce((sum, id) => sum + out[id], 0);
  const largest = ids.reduce((best, id) => (out[id] > out[best] ? id : best), ids[0]);
  out[largest] = Number(Math.max(0, out[largest] + (1 - total)).toFixed(9));
  return out;
}
