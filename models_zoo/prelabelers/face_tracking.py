"""Greedy IoU tracking of per-frame face boxes into identities."""

from __future__ import annotations

from dataclasses import dataclass, field

from .face_geometry import iou


@dataclass
class _Active:
    identity: int
    box: tuple[float, float, float, float]
    last_time: float


@dataclass
class IouTracker:
    iou_threshold: float = 0.3
    max_gap_seconds: float = 1.0
    _active: list[_Active] = field(default_factory=list)
    _next: int = 0
    weight: dict[int, float] = field(default_factory=dict)  # identity -> summed box area (length × size)

    def assign(self, time: float, boxes: list[tuple[float, float, float, float]]) -> list[int]:
        """Identity per box: best-overlapping recent track above the threshold, else a new identity."""
        self._active = [t for t in self._active if time - t.last_time <= self.max_gap_seconds]
        pairs = sorted(
            ((iou(t.box, b), ti, bi) for ti, t in enumerate(self._active) for bi, b in enumerate(boxes)),
            reverse=True,
        )
        identities: list[int | None] = [None] * len(boxes)
        used_tracks: set[int] = set()
        for overlap, ti, bi in pairs:
            if overlap < self.iou_threshold:
                break
            if ti in used_tracks or identities[bi] is not None:
                continue
            used_tracks.add(ti)
            identities[bi] = self._active[ti].identity
            self._active[ti].box, self._active[ti].last_time = boxes[bi], time
        for bi, identity in enumerate(identities):
            if identity is None:
                identity = identities[bi] = self._next
                self._next += 1
                self._active.append(_Active(identity, boxes[bi], time))
            b = boxes[bi]
            self.weight[identity] = self.weight.get(identity, 0.0) + (b[2] - b[0]) * (b[3] - b[1])
        return [i for i in identities if i is not None]

    def main_identity(self) -> int | None:
        """The main subject: the identity present longest and largest (summed box area)."""
        return max(self.weight, key=self.weight.__getitem__) if self.weight else None
