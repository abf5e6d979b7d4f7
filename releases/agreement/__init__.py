"""Agreement statistics for dataset releases: pure functions over items x annotators tables.

Each family of measures lives in its own module; this package re-exports the public functions. Every
function returns an ``AgreementResult`` whose value is a finite float or None with a reason, and
(unless ``n_resamples=0``) a seeded percentile bootstrap interval over items.
"""

from releases.agreement.alpha import LEVELS, Level, krippendorff_alpha
from releases.agreement.concordance import lin_ccc, mean_pairwise_ccc
from releases.agreement.fleiss import fleiss_kappa, fleiss_kappa_from_counts
from releases.agreement.icc import FORMS as ICC_FORMS
from releases.agreement.icc import IccForm, icc, icc_table
from releases.agreement.kappa import cohen_kappa, disagreement_weights, mean_pairwise_cohen_kappa
from releases.agreement.matrix import RatingMatrix, as_rating_matrix, ratings_from_long
from releases.agreement.per_annotator import (
    AnnotatorAgreement,
    AnnotatorReport,
    annotator_leave_one_out,
    consensus,
)
from releases.agreement.per_item import item_ambiguity
from releases.agreement.results import AgreementResult, ConfidenceInterval
from releases.agreement.segments import (
    Segment,
    frame_alpha,
    mean_pairwise_temporal_iou_f1,
    temporal_iou,
    temporal_iou_f1,
)
from releases.agreement.soft import expected_class_alpha, mean_pairwise_jsd, one_hot, soft_item_ambiguity
from releases.agreement.traces import common_grid, resample_trace, traces_on_common_grid

__all__ = [
    "ICC_FORMS",
    "LEVELS",
    "AgreementResult",
    "AnnotatorAgreement",
    "AnnotatorReport",
    "ConfidenceInterval",
    "IccForm",
    "Level",
    "RatingMatrix",
    "Segment",
    "annotator_leave_one_out",
    "as_rating_matrix",
    "cohen_kappa",
    "common_grid",
    "consensus",
    "disagreement_weights",
    "expected_class_alpha",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "frame_alpha",
    "icc",
    "icc_table",
    "item_ambiguity",
    "krippendorff_alpha",
    "lin_ccc",
    "mean_pairwise_ccc",
    "mean_pairwise_cohen_kappa",
    "mean_pairwise_jsd",
    "mean_pairwise_temporal_iou_f1",
    "one_hot",
    "ratings_from_long",
    "resample_trace",
    "soft_item_ambiguity",
    "temporal_iou",
    "temporal_iou_f1",
    "traces_on_common_grid",
]
