"""Trace label values in a release: parsed once into float arrays, stored once, referred to elsewhere.

A 60-second trace at 10 Hz is 600 samples; three annotators on 10,000 items are 18 million numbers.
Written as JSON text into every table of a release (items.jsonl, labels.csv, both Parquet tables)
they were most of a release's bytes and most of its build time, because Python writes each float
through its shortest-repr algorithm. A release therefore stores each raw trace once, as Parquet
list columns in ``traces/<field>.parquet`` (exact float64, no text round trip), and every other
table holds a small reference instead: the file, the number of samples and the sha256 of the
samples, so two releases can still be compared label by label (``services/diff``) without the file.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

import numpy as np
import orjson

REFERENCE_KEYS = ("file", "samples", "sha256")


def trace_file(field_name: str) -> str:
    """The release path of a field's raw traces."""
    from releases.exports.common import safe_name  # the exports import the snapshot, which imports this

    return f"traces/{safe_name(field_name)}.parquet"


def consensus_file(field_name: str) -> str:
    """The release path of a field's aggregated (consensus) traces."""
    from releases.exports.common import safe_name

    return f"traces/{safe_name(field_name)}.consensus.parquet"


def trace_from_text(text: str) -> np.ndarray | None:
    """The samples x columns array of a trace's JSON text, or None when it is not a numeric table."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        value = json.loads(text)  # numbers orjson refuses (e.g. beyond 64-bit integers)
    return trace_array(value)


def trace_array(value: Any) -> np.ndarray | None:
    """A read-only float64 array (samples x columns) of a decoded trace [[t, v1, ...], ...].

    None for anything that is not a non-empty list of equally long, non-empty lists of numbers:
    such a value (possible only from data stored before validation) is kept as decoded and written
    as JSON text, never silently reshaped. Booleans are refused by the schema when a trace is
    saved, so they are not looked for here.
    """
    if isinstance(value, np.ndarray):
        return value if value.ndim == 2 and value.size else None
    if not isinstance(value, list) or not value or not isinstance(value[0], list) or not value[0]:
        return None
    width = len(value[0])
    try:
        if sum(map(len, value)) != width * len(value) or min(map(len, value)) != width:
            return None  # ragged: some sample longer or shorter than the first
        flat = np.fromiter(itertools.chain.from_iterable(value), dtype=float, count=width * len(value))
    except (TypeError, ValueError):  # a sample that is not a list, or a value that is not a number
        return None
    samples = flat.reshape(len(value), width)
    samples.flags.writeable = False
    return samples


def samples_digest(samples: np.ndarray) -> str:
    """sha256 of the samples as little-endian float64 in row order, with their shape."""
    digest = hashlib.sha256(f"{samples.shape[0]}x{samples.shape[1]}:".encode())
    digest.update(np.ascontiguousarray(samples, dtype="<f8").tobytes())
    return digest.hexdigest()


def trace_reference(field_name: str, samples: np.ndarray) -> str:
    """The canonical JSON text that stands for one raw trace outside its Parquet file."""
    reference = {
        "file": trace_file(field_name),
        "samples": int(samples.shape[0]),
        "sha256": samples_digest(samples),
    }
    return json.dumps(reference, sort_keys=True, separators=(",", ":"))
