/** Pure rules for segment lists: order, overlap and minimum length, as the server checks them. */

export interface Segment {
  start: number;
  end: number;
  class: string;
  intensity?: number;
}

const EPSILON = 1e-6;

export function sortSegments(segments: Segment[]): Segment[] {
  return [...segments].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Why this candidate cannot join the others, or null when it can. */
export function segmentProblem(
  candidate: Segment,
  others: Segment[],
  rules: { overlap: boolean; minDuration?: number; duration: number },
): string | null {
  if (!(candidate.end > candidate.start)) return "A segment must end after it starts.";
  if (candidate.start < -EPSILON || (rules.duration > 0 && candidate.end > rules.duration + 0.001)) {
    return "A segment must lie within the media.";
  }
  if (rules.minDuration && candidate.end - candidate.start < rules.minDuration - EPSILON) {
    return `Segments last at least ${rules.minDuration} s.`;
  }
  if (!rules.overlap && others.some((o) => candidate.start < o.end - EPSILON && o.start < candidate.end - EPSILON)) {
    return "Segments of this field may not overlap.";
  }
  return null;
}

export function nextSegmentIndex(segments: Segment[], time: number, direction: 1 | -1): number | null {
  if (!segments.length) return null;
  if (direction === 1) {
    const index = segments.findIndex((s) => s.start > time + 0.01);
    return index < 0 ? null : index;
  }
  for (let i = segments.length - 1; i >= 0; i--) if (segments[i].start < time - 0.01) return i;
  return null;
}
