"""How close one annotator's value is to a gold answer, per field kind (1 = matches the gold).

Each scorer takes the field definition, the gold value and the annotator's value (both already
valid for the field) and returns a ``FieldScore``; ``None`` means the kind is not scored (free text
has no single right answer). The rules:

- categorical hard: 1 when the class is the gold class, else 0;
- categorical multi: Jaccard index of the two class sets (both empty: 1);
- categorical soft: 1 - total variation distance (half the L1 distance between the distributions),
  and whether the most probable class is the same (``argmax_match``);
- dimensional: per rating, a hit when within one scale step (stepped scales) or 10 % of the range
  (continuous ones); the score is the share of hits, ``mae`` the mean absolute error;
- segments: temporal IoU per class, summed over classes: sum |gold_c ∩ mine_c| / sum |gold_c ∪ mine_c|
  where gold_c is the time covered by the gold segments of class c (both empty: 1);
- trace: Lin's concordance correlation of the annotator's trace, linearly interpolated at the gold
  sample times, with the gold trace; the mean over dimensions for 2-D traces;
- facs: F1 of the codes marked present (both empty: 1);
- item-level kinds declared over time (``"scope": "time"``): every gold span is matched with the
  annotator's span that overlaps it most and scored with the kind's rule (0 when none overlaps);
  the score is the mean over gold spans.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

CONTINUOUS_TOLERANCE = 0.10  # share of the range counted as a hit on continuous scales


@dataclass(frozen=True)
class FieldScore:
    score: float
    mae: float | None = None  # dimensional only
    argmax_match: bool | None = None  # soft categorical only


def score_value(field: dict, gold: Any, mine: Any) -> FieldScore | None:
    """Score ``mine`` against ``gold`` for ``field``; ``None`` when the kind is not scored."""
    scorer = ITEM_SCORERS.get(_kind_key(field))
    if scorer is None:
        return None
    if field.get("scope", "item") == "time" and field["kind"] not in TIMED_KINDS:
        return _score_spans(field, scorer, gold, mine)
    return scorer(field, gold, mine)


def _kind_key(field: dict) -> str:
    if field["kind"] == "categorical":
        return f"categorical:{field.get('mode', 'hard')}"
    return field["kind"]


def score_hard(field: dict, gold: dict, mine: dict) -> FieldScore:
    return FieldScore(1.0 if gold.get("class") == mine.get("class") else 0.0)


def score_multi(field: dict, gold: dict, mine: dict) -> FieldScore:
    return FieldScore(_jaccard(set(gold.get("classes", [])), set(mine.get("classes", []))))


def score_soft(field: dict, gold: dict, mine: dict) -> FieldScore:
    p, q = gold.get("distribution", {}), mine.get("distribution", {})
    classes = set(p) | set(q)
    distance = 0.5 * sum(abs(float(p.get(c, 0.0)) - float(q.get(c, 0.0))) for c in classes)
    return FieldScore(1.0 - distance, argmax_match=_argmax(p) == _argmax(q))


def _argmax(distribution: dict[str, float]) -> frozenset[str]:
    """The most probable classes; a tie is a set, so two tied distributions still match."""
    if not distribution:
        return frozenset()
    top = max(distribution.values())
    return frozenset(c for c, p in distribution.items() if math.isclose(p, top, abs_tol=1e-9))


def score_dimensional(field: dict, gold: dict, mine: dict) -> FieldScore:
    hits: list[float] = []
    errors: list[float] = []
    for rating in field["ratings"]:
        name = rating["name"]
        if name not in gold or name not in mine:
            continue
        error = abs(float(mine[name]) - float(gold[name]))
        errors.append(error)
        hits.append(1.0 if error <= dimensional_tolerance(rating) + 1e-9 else 0.0)
    if not errors:
        return FieldScore(0.0, mae=None)
    return FieldScore(sum(hits) / len(hits), mae=sum(errors) / len(errors))


def dimensional_tolerance(rating: dict) -> float:
    """One scale step on stepped scales, 10 % of the range on continuous ones."""
    step = rating.get("step")
    if step:
        return float(step)
    return CONTINUOUS_TOLERANCE * (float(rating["max"]) - float(rating["min"]))


def score_segments(field: dict, gold: list[dict], mine: list[dict]) -> FieldScore:
    gold_by_class = _intervals_by_class(gold)
    mine_by_class = _intervals_by_class(mine)
    intersection = union = 0.0
    for cls in set(gold_by_class) | set(mine_by_class):
        a, b = gold_by_class.get(cls, []), mine_by_class.get(cls, [])
        both = _length(_intersect(a, b))
        intersection += both
        union += _length(a) + _length(b) - both
    if union <= 0:
        return FieldScore(1.0 if not gold_by_class and not mine_by_class else 0.0)
    return FieldScore(intersection / union)


def _intervals_by_class(segments: list[dict]) -> dict[str, list[tuple[float, float]]]:
    grouped: dict[str, list[tuple[float, float]]] = {}
    for segment in segments:
        grouped.setdefault(str(segment.get("class")), []).append(
            (float(segment["start"]), float(segment["end"]))
        )
    return {cls: _merge(spans) for cls, spans in grouped.items()}


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _length(spans: list[tuple[float, float]]) -> float:
    return sum(end - start for start, end in spans)


def score_trace(field: dict, gold: list[list[float]], mine: list[list[float]]) -> FieldScore:
    if len(gold) < 2 or len(mine) < 2:
        return FieldScore(0.0)
    g = np.asarray(gold, dtype=float)
    m = np.asarray(mine, dtype=float)
    values = []
    for dim in range(1, g.shape[1]):
        resampled = np.interp(g[:, 0], m[:, 0], m[:, dim])
        values.append(concordance(g[:, dim], resampled))
    return FieldScore(float(np.mean(values)))


def concordance(x: np.ndarray, y: np.ndarray) -> float:
    """Lin's CCC with 1/n moments; two identical constant series agree fully (1), others give 0."""
    mx, my = float(x.mean()), float(y.mean())
    vx, vy = float(x.var()), float(y.var())
    cov = float(((x - mx) * (y - my)).mean())
    denominator = vx + vy + (mx - my) ** 2
    if denominator == 0:
        return 1.0
    return 2 * cov / denominator


def score_facs(field: dict, gold: dict, mine: dict) -> FieldScore:
    a, b = _present_codes(gold), _present_codes(mine)
    if not a and not b:
        return FieldScore(1.0)
    both = len(a & b)
    return FieldScore(2 * both / (len(a) + len(b)))


def _present_codes(value: dict) -> set[str]:
    return {code for code, level in value.items() if level is not False and level is not None}


def _jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _score_spans(
    field: dict, scorer: Callable[[dict, Any, Any], FieldScore], gold: list[dict], mine: list[dict]
) -> FieldScore:
    if not gold:
        return FieldScore(1.0 if not mine else 0.0)
    scores: list[FieldScore] = []
    for span in gold:
        best, best_overlap = None, 0.0
        for candidate in mine:
            overlap = min(span["end"], candidate["end"]) - max(span["start"], candidate["start"])
            if overlap > best_overlap:
                best, best_overlap = candidate, overlap
        if best is None:
            scores.append(FieldScore(0.0))
        else:
            scores.append(scorer(field, span["value"], best["value"]))
    maes = [s.mae for s in scores if s.mae is not None]
    argmaxes = [s.argmax_match for s in scores if s.argmax_match is not None]
    return FieldScore(
        sum(s.score for s in scores) / len(scores),
        mae=sum(maes) / len(maes) if maes else None,
        argmax_match=all(argmaxes) if argmaxes else None,
    )


ITEM_SCORERS: dict[str, Callable[[dict, Any, Any], FieldScore]] = {
    "categorical:hard": score_hard,
    "categorical:multi": score_multi,
    "categorical:soft": score_soft,
    "dimensional": score_dimensional,
    "segments": score_segments,
    "trace": score_trace,
    "facs": score_facs,
}
TIMED_KINDS = frozenset({"segments", "trace"})  # their values carry time themselves
