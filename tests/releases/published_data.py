"""Worked examples from the literature, transcribed once and shared by the tests.

Rows are items (units), columns are annotators (coders, raters, judges); NaN is a missing rating.
"""

import numpy as np

nan = np.nan

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, section C ("nominal data, any number of observers,
# missing data"): observers A-D x units 1-12, values 1-5. The paper reports alpha = 0.743 (nominal);
# the same data give 0.815 (ordinal), 0.849 (interval) and 0.797 (ratio) in its sections D-F.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],  # observer A
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],  # observer B
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],  # observer C
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],  # observer D
    ]
).T

# Krippendorff (2011), section A ("binary or dichotomous data, two observers, no missing data"):
# ten units coded 0/1 by two observers; the paper reports alpha = 0.095.
KRIPPENDORFF_2011_BINARY = np.array(
    [
        [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
        [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    ]
).T

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological Bulletin
# 76(5), 378-382, Table 1: 30 patients, each diagnosed by 6 psychiatrists into 5 categories
# (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other), given as the number
# of psychiatrists choosing each category. Reported: kappa = .430; per category .245, .245, .520,
# .471, .566. (The same table ships as `diagnoses` with R's irr package.)
FLEISS_1971_COUNTS = np.array(
    [
        [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
        [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
        [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
        [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
        [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
        [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
    ]
)  # fmt: skip

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories;
# P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
WIKIPEDIA_FLEISS_COUNTS = np.array(
    [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
)  # fmt: skip

# Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater reliability.
# Psychological Bulletin 86(2), 420-428. Table 2: 6 targets rated by 4 judges. Table 3 gives the
# mean squares (BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02) and Table 4 the six ICCs, both printed to
# two decimals.
SHROUT_FLEISS_1979 = np.array(
    [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ],
    dtype=float,
)
SHROUT_FLEISS_1979_TABLE_3 = {"BMS": 11.24, "WMS": 6.26, "JMS": 32.49, "EMS": 1.02}
SHROUT_FLEISS_1979_TABLE_4 = {
    "ICC(1,1)": 0.17,
    "ICC(2,1)": 0.29,
    "ICC(3,1)": 0.71,
    "ICC(1,k)": 0.44,
    "ICC(2,k)": 0.62,
    "ICC(3,k)": 0.91,
}

# Cohen, J. (1968). Weighted kappa: nominal scale agreement with provision for scaled disagreement or
# partial credit. Psychological Bulletin 70(4), 213-220, Table 1: 200 cases, judge B in rows, judge A
# in columns (personality disorder, neurosis, psychosis), printed as proportions .44 .07 .09 /
# .05 .20 .05 / .01 .03 .06; disagreement weights 0 1 3 / 1 0 6 / 3 6 0. Reported: kappa = .492,
# weighted kappa = .348.
COHEN_1968_COUNTS = np.array([[88, 14, 18], [10, 40, 10], [2, 6, 12]])
COHEN_1968_WEIGHTS = np.array([[0, 1, 3], [1, 0, 6], [3, 6, 0]], dtype=float)


def labels_from_table(table: np.ndarray) -> tuple[list[int], list[int]]:
    """Expand a rows x columns contingency table into two aligned label lists (row rater, column rater)."""
    rows, cols = [], []
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            rows += [i] * int(table[i, j])
            cols += [j] * int(table[i, j])
    return rows, cols
