"""ICC forms against Shrout & Fleiss (1979), an exact hand ANOVA and pingouin."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pingouin
import pytest

from releases.agreement import icc, icc_table
from tests.releases.published_data import (
    SHROUT_FLEISS_1979,
    SHROUT_FLEISS_1979_TABLE_3,
    SHROUT_FLEISS_1979_TABLE_4,
)

# pingouin's own labels for the same six formulas (McGraw & Wong 1996 names for cases 2 and 3).
PINGOUIN_TYPES = {
    "ICC(1,1)": "ICC(1,1)",
    "ICC(2,1)": "ICC(A,1)",
    "ICC(3,1)": "ICC(C,1)",
    "ICC(1,k)": "ICC(1,k)",
    "ICC(2,k)": "ICC(A,k)",
    "ICC(3,k)": "ICC(C,k)",
}

# pingouin 0.7's ANOVA still passes inplace= to DataFrame.dropna, which pandas 3.1 deprecates; the
# warning is about pingouin's code, not about these tables.
pingouin_on_pandas_3 = pytest.mark.filterwarnings("ignore:The inplace keyword:Warning")


def _hand_anova(x: list[list[float]]) -> dict[str, Fraction]:
    """Two-way ANOVA written out from the textbook sums of squares, with explicit loops, in exact
    rational arithmetic (the published ratings are integers, so every mean square is a fraction)."""
    x = [[Fraction(v) for v in row] for row in x]
    n, k = len(x), len(x[0])
    grand = sum(sum(row) for row in x) / (n * k)
    row_means = [sum(row) / k for row in x]
    col_means = [sum(x[i][j] for i in range(n)) / n for j in range(k)]
    ss_rows = k * sum((m - grand) ** 2 for m in row_means)
    ss_cols = n * sum((m - grand) ** 2 for m in col_means)
    ss_within = sum((x[i][j] - row_means[i]) ** 2 for i in range(n) for j in range(k))
    ss_error = ss_within - ss_cols
    return {
        "BMS": ss_rows / (n - 1),
        "WMS": ss_within / (n * (k - 1)),
        "JMS": ss_cols / (k - 1),
        "EMS": ss_error / ((n - 1) * (k - 1)),
    }


def _forms_from_mean_squares(ms: dict, n: int, k: int) -> dict:
    """Shrout & Fleiss's (1979) six formulas, as printed in the paper, from the four mean squares."""
    bms, wms, jms, ems = ms["BMS"], ms["WMS"], ms["JMS"], ms["EMS"]
    return {
        "ICC(1,1)": (bms - wms) / (bms + (k - 1) * wms),
        "ICC(2,1)": (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC(3,1)": (bms - ems) / (bms + (k - 1) * ems),
        "ICC(1,k)": (bms - wms) / bms,
        "ICC(2,k)": (bms - ems) / (bms + (jms - ems) / n),
        "ICC(3,k)": (bms - ems) / bms,
    }


def _pingouin_table(ratings: np.ndarray) -> pd.DataFrame:
    """pingouin.intraclass_corr on an items x raters array (NaN = missing, dropped listwise)."""
    long = pd.DataFrame(ratings).rename_axis(index="item", columns="rater").reset_index()
    long = long.melt(id_vars="item", var_name="rater", value_name="score")
    return pingouin.intraclass_corr(long, targets="item", raters="rater", ratings="score", nan_policy="omit")


def test_it_reproduces_shrout_and_fleiss_table_4():
    """Shrout & Fleiss (1979), Psychological Bulletin 86, 420-428: Table 2 data (6 targets x 4 judges),
    Table 4 ICCs .17, .29, .71, .44, .62, .91 (published to two decimals)."""
    table = icc_table(SHROUT_FLEISS_1979, n_resamples=0)
    for form, published in SHROUT_FLEISS_1979_TABLE_4.items():
        assert round(table[form].value, 2) == published, form
    assert table["ICC(3,k)"].details["form"] == "ICC(3,4)"


def test_the_mean_squares_match_shrout_and_fleiss_table_3():
    """Shrout & Fleiss (1979) Table 3: BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02."""
    details = icc(SHROUT_FLEISS_1979, form="ICC(2,1)", n_resamples=0).details
    rounded = {name: round(details[name], 2) for name in SHROUT_FLEISS_1979_TABLE_3}
    assert rounded == SHROUT_FLEISS_1979_TABLE_3


def test_the_published_mean_squares_give_every_form_to_three_decimals():
    """Shrout & Fleiss (1979) print their Table 4 ICCs to two decimals only, but their Table 3 mean
    squares fix the third: the paper's formulas on BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02 (n = 6,
    k = 4) give .166, .290, .715, .443, .620, .909. Rounding the mean squares to two decimals moves no
    form by more than 3e-4 here, so the exact table must land on the same three decimals."""
    n, k = SHROUT_FLEISS_1979.shape
    from_paper = _forms_from_mean_squares(SHROUT_FLEISS_1979_TABLE_3, n, k)
    table = icc_table(SHROUT_FLEISS_1979, n_resamples=0)
    for form, value in from_paper.items():
        assert round(table[form].value, 3) == round(value, 3), form
        assert round(value, 2) == SHROUT_FLEISS_1979_TABLE_4[form], form


def test_all_six_forms_match_the_exact_hand_anova():
    """The Shrout & Fleiss formulas applied to a loop-by-loop ANOVA of the same table in exact
    fractions, so the reference carries no rounding at all."""
    n, k = SHROUT_FLEISS_1979.shape
    exact = _forms_from_mean_squares(_hand_anova(SHROUT_FLEISS_1979.tolist()), n, k)
    table = icc_table(SHROUT_FLEISS_1979, n_resamples=0)
    for form, value in exact.items():
        assert isinstance(value, Fraction)
        assert table[form].value == pytest.approx(float(value), abs=1e-12), form


@pingouin_on_pandas_3
def test_pingouin_agrees_on_the_published_table():
    """pingouin.intraclass_corr on Shrout & Fleiss's (1979) Table 2 rounds to the published Table 4
    (.17 .29 .71 .44 .62 .91) and matches every form here to 1e-12. pingouin's 95% intervals are the
    F-distribution ones (Shrout & Fleiss 1979; McGraw & Wong 1996); ``icc_table`` reports a
    percentile bootstrap over items instead, so the intervals are different estimators and are not
    compared."""
    theirs = _pingouin_table(SHROUT_FLEISS_1979).set_index("Type")["ICC"]
    table = icc_table(SHROUT_FLEISS_1979, n_resamples=0)
    for form, published in SHROUT_FLEISS_1979_TABLE_4.items():
        assert round(theirs[PINGOUIN_TYPES[form]], 2) == published, form
        assert table[form].value == pytest.approx(theirs[PINGOUIN_TYPES[form]], abs=1e-12), form


@pingouin_on_pandas_3
@pytest.mark.parametrize(
    ("seed", "n_items", "n_raters", "likert"),
    [(0, 5, 2, False), (1, 12, 3, True), (2, 40, 6, False), (3, 25, 4, True), (4, 200, 5, False)],
)
def test_pingouin_agrees_on_random_complete_tables(seed, n_items, n_raters, likert):
    """Item effect + rater bias + noise, continuous or on a 1..7 scale with ties: every form matches
    pingouin's independent long-format ANOVA to 1e-10."""
    rng = np.random.default_rng(seed)
    items, bias = rng.normal(size=(n_items, 1)), rng.normal(scale=0.5, size=(1, n_raters))
    ratings = items + bias + rng.normal(size=(n_items, n_raters))
    if likert:
        ratings = np.clip(np.round(4 + 1.5 * ratings), 1, 7)
    theirs = _pingouin_table(ratings).set_index("Type")["ICC"]
    table = icc_table(ratings, n_resamples=0)
    for form, label in PINGOUIN_TYPES.items():
        assert table[form].value == pytest.approx(theirs[label], abs=1e-10), form


@pingouin_on_pandas_3
def test_pingouin_agrees_after_listwise_deletion():
    """Missing ratings plus a rater who rated nothing: both drop the empty rater, then incomplete
    items (pingouin's nan_policy="omit"), and agree on what is left."""
    rng = np.random.default_rng(7)
    ratings = rng.normal(size=(30, 1)) + rng.normal(size=(30, 4))
    ratings[rng.random(ratings.shape) < 0.1] = np.nan
    ratings = np.column_stack([ratings, np.full(30, np.nan)])
    theirs = _pingouin_table(ratings).set_index("Type")["ICC"]
    table = icc_table(ratings, n_resamples=0)
    complete = int((~np.isnan(ratings[:, :4])).all(axis=1).sum())
    assert table["ICC(2,1)"].n_items == complete
    assert table["ICC(2,1)"].n_annotators == 4
    for form, label in PINGOUIN_TYPES.items():
        assert table[form].value == pytest.approx(theirs[label], abs=1e-10), form


def test_items_missing_a_judge_are_dropped_listwise_and_counted():
    ratings = np.vstack([SHROUT_FLEISS_1979, [[3, np.nan, 4, 5]]])
    result = icc(ratings, form="ICC(3,1)", n_resamples=0)
    assert round(result.value, 2) == 0.71
    assert result.n_items == 6
    assert result.details["items_dropped_incomplete"] == 1


def test_an_annotator_who_rated_nothing_does_not_void_the_design():
    ratings = np.column_stack([SHROUT_FLEISS_1979, np.full(6, np.nan)])
    assert round(icc(ratings, form="ICC(1,1)", n_resamples=0).value, 2) == 0.17


def test_a_sparse_design_is_undefined_with_the_reason():
    ratings = np.array([[1, 2, np.nan], [np.nan, 3, 4], [5, np.nan, 6]], dtype=float)
    result = icc(ratings)
    assert result.value is None
    assert "complete items x annotators table" in result.undefined_reason


def test_the_six_forms_share_one_reproducible_bootstrap():
    first = icc_table(SHROUT_FLEISS_1979, n_resamples=300, seed=5)
    second = icc_table(SHROUT_FLEISS_1979, n_resamples=300, seed=5)
    assert all(first[f].ci == second[f].ci for f in first)
    assert first["ICC(3,k)"].ci.low <= first["ICC(3,k)"].value <= first["ICC(3,k)"].ci.high


def test_an_unknown_form_is_refused():
    with pytest.raises(ValueError, match="form must be one of"):
        icc(SHROUT_FLEISS_1979, form="ICC(4,1)")
