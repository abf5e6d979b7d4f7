"""Degenerate tables give a value or an explicit reason: never NaN, never an exception."""

import json
import math

import numpy as np
import pytest

from releases.agreement import (
    ICC_FORMS,
    AgreementResult,
    annotator_leave_one_out,
    expected_class_alpha,
    fleiss_kappa,
    icc_table,
    item_ambiguity,
    krippendorff_alpha,
    mean_pairwise_ccc,
    mean_pairwise_cohen_kappa,
    mean_pairwise_jsd,
    one_hot,
)

nan = np.nan
CASES = {
    "incomplete design": np.array(
        [[1, 2, nan], [nan, 2, 2], [1, nan, 1], [2, 2, nan], [3, nan, 3], [1, 1, 2]]
    ),
    "single annotation per item": np.array([[1, nan, nan], [nan, 2, nan], [nan, nan, 1]]),
    "annotator with no labels": np.array([[1, 1, nan], [2, 2, nan], [1, 2, nan], [3, 3, nan]]),
    "no annotations": np.full((3, 3), nan),
    "no items": np.empty((0, 3)),
    "perfect agreement": np.array([[1, 1, 1], [2, 2, 2], [3, 3, 3]], dtype=float),
    "single class": np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]], dtype=float),
}


def _measures(table: np.ndarray) -> dict[str, AgreementResult]:
    results = {
        f"alpha {level}": krippendorff_alpha(table, level=level, n_resamples=50)
        for level in ("nominal", "ordinal", "interval", "ratio")
    }
    results["fleiss"] = fleiss_kappa(table, n_resamples=50)
    results["cohen"] = mean_pairwise_cohen_kappa(table, n_resamples=50)
    results["cohen quadratic"] = mean_pairwise_cohen_kappa(table, weights="quadratic", n_resamples=50)
    results.update({f"icc {form}": r for form, r in icc_table(table, n_resamples=50).items()})
    results["ccc"] = mean_pairwise_ccc([table[i : i + 1] for i in range(len(table))], n_resamples=50)
    codes = np.where(np.isnan(table), nan, table - 1)
    distributions = one_hot(codes, 3)
    results["jsd"] = mean_pairwise_jsd(distributions, n_resamples=50)
    results["expected class alpha"] = expected_class_alpha(distributions, n_resamples=50)
    return results


@pytest.mark.parametrize("case", CASES)
def test_every_measure_answers_with_a_number_or_a_reason(case):
    for name, result in _measures(CASES[case]).items():
        if result.value is None:
            assert result.undefined_reason, (case, name)
        else:
            assert math.isfinite(result.value), (case, name)
        json.dumps(result.to_dict(), allow_nan=False)


@pytest.mark.parametrize("case", CASES)
def test_per_item_and_per_annotator_tables_never_hold_nan(case):
    table = item_ambiguity(CASES[case], level="ordinal")
    assert (
        not table.drop(columns="ambiguous")
        .astype(object)
        .map(lambda v: isinstance(v, float) and math.isnan(v))
        .any()
        .any()
    )
    report = annotator_leave_one_out(CASES[case], level="interval")
    for annotator in report.annotators:
        json.dumps(annotator.to_dict(), allow_nan=False)


def test_no_annotations():
    results = _measures(CASES["no annotations"])
    assert all(r.value is None for r in results.values())
    assert results["alpha nominal"].undefined_reason == "no ratings were given"
    assert results["fleiss"].undefined_reason == "no ratings were given"
    assert results["icc ICC(2,1)"].undefined_reason == "no ratings were given"


def test_perfect_agreement_is_one_everywhere_it_is_defined():
    results = _measures(CASES["perfect agreement"])
    for name in (
        "alpha nominal",
        "alpha ordinal",
        "alpha interval",
        "alpha ratio",
        "fleiss",
        "cohen",
        "cohen quadratic",
        "expected class alpha",
        *(f"icc {f}" for f in ICC_FORMS),
    ):
        assert results[name].value == pytest.approx(1.0), name
    assert results["jsd"].value == 0.0
    assert results["alpha nominal"].observed == 0.0


def test_a_single_class_used_by_everyone_is_undefined_because_chance_agreement_is_total():
    results = _measures(CASES["single class"])
    alpha = results["alpha nominal"]
    assert alpha.value is None
    assert alpha.undefined_reason == "all ratings are the same value (1), so chance disagreement is 0"
    assert alpha.observed == 0.0 and alpha.expected == 0.0
    assert "same class" in results["fleiss"].undefined_reason
    assert "chance agreement is 1" in results["cohen"].details["pairs"][0]["undefined_reason"]
    assert "no variance" in results["icc ICC(1,1)"].undefined_reason
    assert "0/0" in results["ccc"].undefined_reason
    assert results["jsd"].value == 0.0


def test_class_names_say_which_class():
    result = krippendorff_alpha([["calm", "calm"], ["calm", None]], n_resamples=0)
    assert result.undefined_reason == "all ratings are the same class ('calm'), so chance disagreement is 0"


def test_single_annotation_per_item():
    results = _measures(CASES["single annotation per item"])
    assert results["alpha nominal"].undefined_reason == "no item was rated by two or more annotators"
    assert results["fleiss"].undefined_reason == "every item has a single rating, so no two ratings can agree"
    assert results["cohen"].undefined_reason == "no two annotators labeled an item in common"


def test_only_one_annotator():
    table = np.array([[1.0, nan], [2.0, nan]])
    assert krippendorff_alpha(table).undefined_reason == "only one annotator rated any item"
    assert fleiss_kappa(table).undefined_reason == "only one annotator rated any item"


def test_an_annotator_with_no_labels_changes_nothing():
    table = CASES["annotator with no labels"]
    for level in ("nominal", "interval"):
        with_empty = krippendorff_alpha(table, level=level, n_resamples=0)
        without = krippendorff_alpha(table[:, :2], level=level, n_resamples=0)
        assert with_empty.value == without.value
        assert with_empty.n_annotators == 2
    assert fleiss_kappa(table, n_resamples=0).value == fleiss_kappa(table[:, :2], n_resamples=0).value
    report = annotator_leave_one_out(table, level="nominal")
    assert report.annotators[2].versus_rest.undefined_reason == "this annotator labeled no item"
    assert report.annotators[2].n_items == 0


def test_incomplete_designs():
    results = _measures(CASES["incomplete design"])
    assert results["alpha nominal"].value is not None
    assert results["alpha nominal"].n_items == 6
    assert "incomplete design" in results["fleiss"].undefined_reason
    assert "complete items x annotators table" in results["icc ICC(2,1)"].undefined_reason
    assert results["cohen"].value is not None


def test_a_result_cannot_carry_nan():
    with pytest.raises(ValueError, match="finite"):
        AgreementResult(measure="x", value=float("nan"))
    with pytest.raises(ValueError, match="undefined_reason"):
        AgreementResult(measure="x", value=None)
