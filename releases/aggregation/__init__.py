"""Consensus labels for a dataset release: one aggregated value per item and field.

``aggregate_field`` dispatches on the field's kind (see ``dispatch``); each kind's rule lives in its own
module and is described in words in the result's ``method`` column, which the agreement report copies.
"""

from releases.aggregation.dispatch import aggregate_field
from releases.aggregation.options import AggregationOptions

__all__ = ["AggregationOptions", "aggregate_field"]
