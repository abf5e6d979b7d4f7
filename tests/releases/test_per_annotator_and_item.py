"""Leave-one-out agreement per annotator and ambiguity per item."""

import numpy as np
import pandas as pd
import pytest

from releases.agreement import annotator_leave_one_out, consensus, item_ambiguity, krippendorff_alpha
from tests.releases.published_data import KRIPPENDORFF_2011


def _panel(seed: int = 0) -> np.ndarray:
    """Three careful annotators who mostly agree, and a fourth who answers at random."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 4, size=200)
    careful = np.where(rng.random((200, 3)) < 0.85, truth[:, None], rng.integers(0, 4, size=(200, 3)))
    return np.column_stack([careful, rng.integers(0, 4, size=200)]).astype(float)


def test_leave_one_out_points_at_the_random_annotator():
    report = annotator_leave_one_out(_panel(), level="nominal")
    changes = [a.change_without for a in report.annotators]
    assert int(np.argmax(changes)) == 3
    assert changes[3] > 0 > max(changes[:3])
    versus = [a.versus_rest.value for a in report.annotators]
    assert int(np.argmin(versus)) == 3
    assert versus[3] < 0.2 < min(versus[:3])


def test_leave_one_out_is_alpha_without_that_column():
    report = annotator_leave_one_out(KRIPPENDORFF_2011, level="interval")
    assert round(report.overall.value, 3) == 0.849
    for j, annotator in enumerate(report.annotators):
        alone = krippendorff_alpha(np.delete(KRIPPENDORFF_2011, j, axis=1), level="interval", n_resamples=0)
        assert annotator.without.value == pytest.approx(alone.value)


def test_consensus_rules():
    rest = np.array([[1, 1, 2], [1, 2, np.nan], [3, np.nan, np.nan], [np.nan, np.nan, np.nan], [1, 2, 4]])
    majority = consensus(rest, level="nominal")
    assert majority[0] == 1 and np.isnan(majority[1]) and majority[2] == 3 and np.isnan(majority[3])
    assert consensus(rest, level="ordinal")[4] == 2  # lower median of 1, 2, 4
    assert consensus(rest, level="ordinal")[1] == 1  # lower median of 1, 2
    assert consensus(rest, level="interval")[4] == pytest.approx(7 / 3)


def test_ambiguous_items_are_the_ones_at_or_beyond_chance_disagreement():
    """Krippendorff (2011) data, nominal: unit 6 (values 1, 2, 3, 4) has every pair disagreeing, so its
    D_o is 1, above the field's D_e of 0.779; units 2 and 8 (three of four ratings equal) have half
    their pairs disagreeing (0.5) and stay below it; unit 12 has one rating and gets no figure."""
    table = item_ambiguity(KRIPPENDORFF_2011, level="nominal")
    assert table["ambiguous"].tolist() == [i == 5 for i in range(12)]
    assert table.loc[5, "disagreement"] == 1.0
    assert table.loc[1, "disagreement"] == 0.5
    assert pd.isna(table.loc[11, "disagreement"])
    assert table.loc[5, "majority_share"] == 0.25
    assert table.loc[5, "label_entropy"] == pytest.approx(np.log2(4) / np.log2(5))
    assert table.loc[0, "label_entropy"] == 0.0


def test_item_ids_come_from_the_frame_index():
    frame = pd.DataFrame({"ann": [1.0, 2.0], "bob": [1.0, 5.0]}, index=["clip-1", "clip-2"])
    table = item_ambiguity(frame, level="interval")
    assert list(table.index) == ["clip-1", "clip-2"]
    assert table.loc["clip-2", "disagreement"] == pytest.approx(9.0)  # (2 - 5)^2
    assert not table.loc["clip-1", "ambiguous"]


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_item_disagreements_average_to_the_fields_observed_disagreement(level):
    """D_o = sum_u m_u D_o(u) / n: the per-item figures are the pieces alpha's D_o is made of."""
    table = item_ambiguity(KRIPPENDORFF_2011, level=level)
    rated = table["n_ratings"] >= 2
    weights = table.loc[rated, "n_ratings"].to_numpy(dtype=float)
    per_item = table.loc[rated, "disagreement"].to_numpy(dtype=float)
    field = krippendorff_alpha(KRIPPENDORFF_2011, level=level, n_resamples=0)
    assert (weights * per_item).sum() / weights.sum() == pytest.approx(field.observed)
    relative = table.loc[rated, "relative_disagreement"].to_numpy(dtype=float)
    assert relative == pytest.approx(per_item / field.expected)
