"""Valence, arousal and dominance per time window from the transcript's words (Warriner norms).

Each window holds the words whose start falls inside it; its values are the mean norms of the
words found (exact form, else a simple de-inflection), with a negator (not, no, never, n't, ...)
in the previous 3 words mirroring valence and dominance around the midpoint 5. ``coverage`` is
the share of the window's words that have a norm; windows with words but none known are kept
with coverage 0 and empty (null) values, windows without words are left out. An estimate from
word meanings alone: it misses sarcasm, context and anything said without words. The norms are
CC BY-NC-SA 4.0 (non-commercial), so this pre-labeler is optional.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow.parquet as pq

from .base import BadInput, Prelabeler, RunContext, TrackOutput
from .vad_scale import WINDOW_PARAM_RANGE, vad_metadata, window_index
from .warriner_norms import LICENCE, METHOD, NEGATION_SCOPE, NEGATORS, norms_load, words_score

COLUMNS = ("time", "end", "valence", "arousal", "dominance", "coverage", "words", "found", "negated")


def text_windows(
    *, starts: list[float], words: list[str], window_seconds: float, norms=None
) -> dict[str, list]:
    """The track's columns from word start times and words."""
    norms = norms_load() if norms is None else norms
    out: dict[str, list] = {key: [] for key in COLUMNS}
    if not words:
        return out
    index = window_index(np.asarray(starts), window_seconds)
    for k in sorted(set(index.tolist())):
        chosen = [w for w, i in zip(words, index, strict=True) if i == k]
        score = words_score(chosen, norms)
        if score.total == 0:
            continue
        row = (k * window_seconds, (k + 1) * window_seconds, score.valence, score.arousal, score.dominance,
               score.coverage, score.total, score.found, score.negated)  # fmt: skip
        for key, value in zip(COLUMNS, row, strict=True):
            out[key].append(value)
    return out


class VadTextPrelabeler(Prelabeler):
    name = "vad_text"
    version = "1"
    description = "Valence/arousal/dominance estimates per window from the transcript (Warriner word norms)."
    inputs = ("track:asr/words",)
    produces = ("vad_text",)
    default_params: ClassVar[dict[str, Any]] = {"window_seconds": 5.0}
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {"window_seconds": WINDOW_PARAM_RANGE}

    def model_key(self, params) -> str:
        return "warriner-2013"

    def load_model(self, params, device: str) -> Any:
        return norms_load()

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        try:
            table = pq.read_table(ctx.upstream["asr/words"], columns=["start", "word"])
        except Exception as exc:  # a damaged or foreign file
            raise BadInput(f"The transcript's words track could not be read: {exc}") from exc
        window = ctx.params["window_seconds"]
        columns = text_windows(
            starts=table.column("start").to_pylist(), words=table.column("word").to_pylist(),
            window_seconds=window, norms=ctx.model,
        )  # fmt: skip
        ctx.progress(1.0)
        meta = vad_metadata(
            source="text", method=METHOD, window_seconds=window, licence=LICENCE,
            negation=f"a negator ({', '.join(sorted(NEGATORS))}, or a word ending in n't) within the "
            f"previous {NEGATION_SCOPE} words mirrors valence and dominance around 5 (v -> 10 - v)",
            lemmatisation="exact form, else plural -s/-es/-ies, -ed, -ing, -ly stripped",
        )  # fmt: skip
        types = {key: "float64" for key in COLUMNS[:6]} | {
            "words": "int32",
            "found": "int32",
            "negated": "int32",
        }
        return [TrackOutput("vad_text", columns, 1 / window, ctx.asset.duration_seconds, meta, types)]
