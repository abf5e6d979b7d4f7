"""Krippendorff's alpha as the agreement report computes it vs. the ``krippendorff`` package.

Same matrices on both sides: 10,000 items x 3 annotators (10% of ratings missing), nominal (5 classes)
and interval (a 1..9 scale in half steps: the package builds an items x values x values tensor, so
continuous ratings with thousands of distinct values would not fit in memory on its side). Each side
is timed as the best of ``--repeat`` runs of the point estimate on the table the report builds from
the raw-labels rows (class codes for nominal, numbers for interval); building that table from the rows,
and the report's default 1,000-resample bootstrap, are timed once beside it for reference. The values
must agree to 1e-9.

    .venv/bin/python bench/agreement.py [--items 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import krippendorff  # noqa: E402

from releases.aggregation.rows import by_item, latest_values  # noqa: E402
from releases.agreement import krippendorff_alpha  # noqa: E402
from releases.report import tables  # noqa: E402

CLASSES = ["anger", "fear", "joy", "neutral", "sad"]


def matrices(n_items: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, len(CLASSES), n_items)
    nominal = np.where(
        rng.random((n_items, 3)) < 0.7, truth[:, None], rng.integers(0, len(CLASSES), (n_items, 3))
    )
    level = rng.integers(2, 17, n_items)
    interval = np.clip(level[:, None] + rng.integers(-2, 3, (n_items, 3)), 2, 18) / 2
    missing = rng.random((n_items, 3)) < 0.1
    return {
        "nominal": np.where(missing, np.nan, nominal.astype(float)),
        "interval": np.where(missing, np.nan, interval),
    }


def best_of(repeat: int, run) -> tuple[float, float]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
    return min(times), value


def long_labels(level: str, matrix: np.ndarray) -> pd.DataFrame:
    """The raw-labels rows (contracts section 1) holding the same ratings."""
    items, annotators = np.nonzero(~np.isnan(matrix))
    ratings = matrix[items, annotators]
    if level == "nominal":
        values = [{"class": CLASSES[int(r)]} for r in ratings]
    else:
        values = [{"valence": float(r)} for r in ratings]
    return pd.DataFrame(
        {
            "item_id": items.astype(str),
            "annotator": [f"A0{a + 1}" for a in annotators],
            "value": values,
            "revision": 1,
        }
    )


def report_table(level: str, labels: pd.DataFrame):
    """The items x annotators table the report builds from those rows (its input to alpha)."""
    per_item = by_item(latest_values(labels))
    if level == "nominal":
        return tables.hard_codes(per_item, ["A01", "A02", "A03"], CLASSES)
    return tables.table(per_item, ["A01", "A02", "A03"], tables.number_of("valence"), numeric=True)


def report_alpha(level: str, table) -> float:
    """The report's call (releases.report.categorical / dimensional), without its bootstrap."""
    categories = CLASSES if level == "nominal" else None
    return krippendorff_alpha(table, level=level, categories=categories, n_resamples=0).value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{args.items} items x 3 annotators, best of {args.repeat}")
    print(f"{'level':<9} {'report (s)':>11} {'package (s)':>12} {'ratio':>6}   alpha")
    built, notes = {}, []
    for level, matrix in matrices(args.items).items():
        labels = long_labels(level, matrix)
        start = time.perf_counter()
        built[level] = report_table(level, labels)
        building = (len(labels), time.perf_counter() - start)
        ours, value = best_of(args.repeat, lambda t=built[level], lv=level: report_alpha(lv, t))
        theirs, reference = best_of(
            args.repeat,
            lambda m=matrix, lv=level: krippendorff.alpha(reliability_data=m.T, level_of_measurement=lv),
        )
        if abs(value - reference) > 1e-9:
            raise SystemExit(f"{level}: alpha differs: {value!r} vs {reference!r}")
        print(f"{level:<9} {ours:>11.4f} {theirs:>12.4f} {ours / theirs:>6.2f}   {value:.6f}")
        notes.append(
            f"{level}: building the report's table from {building[0]} raw-label rows: {building[1]:.3f} s"
        )
    print("\n".join(notes))
    for level, matrix in matrices(args.items).items():
        start = time.perf_counter()
        krippendorff_alpha(matrix, level=level, n_resamples=1000, seed=0)
        elapsed = time.perf_counter() - start
        print(f"{level}: point estimate + 1000 bootstrap resamples (the report's default): {elapsed:.3f} s")


if __name__ == "__main__":
    main()
