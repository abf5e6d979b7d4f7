"""ICC forms against Shrout & Fleiss (1979) and an independent hand ANOVA."""

import numpy as np
import pytest

from releases.agreement import icc, icc_table
from tests.releases.published_data import SHROUT_FLEISS_1979, SHROUT_FLEISS_1979_TABLE_4


def _hand_anova(x: list[list[float]]) -> dict[str, float]:
    """Two-way ANOVA written out from the textbook sums of squares, with explicit loops."""
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
    assert [round(details[name], 2) for name in ("BMS", "WMS", "JMS", "EMS")] == [11.24, 6.26, 32.49, 1.02]


def test_all_six_forms_match_the_hand_anova_to_many_decimals():
    """The Shrout & Fleiss formulas applied to a loop-by-loop ANOVA of the same table."""
    ms = _hand_anova(SHROUT_FLEISS_1979.tolist())
    n, k = SHROUT_FLEISS_1979.shape
    bms, wms, jms, ems = ms["BMS"], ms["WMS"], ms["JMS"], ms["EMS"]
    expected = {
        "ICC(1,1)": (bms - wms) / (bms + (k - 1) * wms),
        "ICC(2,1)": (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC(3,1)": (bms - ems) / (bms + (k - 1) * ems),
        "ICC(1,k)": (bms - wms) / bms,
        "ICC(2,k)": (bms - ems) / (bms + (jms - ems) / n),
        "ICC(3,k)": (bms - ems) / bms,
    }
    table = icc_table(SHROUT_FLEISS_1979, n_resamples=0)
    for form, value in expected.items():
        assert table[form].value == pytest.approx(value, abs=1e-12), form


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
