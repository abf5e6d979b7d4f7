"""``trace`` fields: continuous 1-D or 2-D values sampled at a declared rate."""

from .helpers import field_errors, value_errors


def trace(rate_hz: float = 10, dims: int = 1) -> dict:
    dimensions = [{"name": "valence", "min": -1, "max": 1}, {"name": "arousal", "min": -1, "max": 1}][:dims]
    return {"name": "va", "kind": "trace", "scope": "time", "rate_hz": rate_hz, "dimensions": dimensions}


def samples(count: int, rate_hz: float, *values: float) -> list[list[float]]:
    return [[round(i / rate_hz, 6), *values] for i in range(count)]


def test_one_and_two_dimensional_traces_are_valid():
    assert field_errors(trace()) == []
    assert field_errors(trace(dims=2)) == []


def test_it_rejects_bad_rates_and_dimensions():
    field = {
        "name": "va",
        "kind": "trace",
        "scope": "time",
        "rate_hz": 5000,
        "dimensions": [
            {"name": "valence", "min": -1, "max": 1},
            {"name": "valence", "min": 1, "max": -1},
            {"name": "dominance", "min": 0, "max": 1},
        ],
    }
    assert field_errors(field) == [
        "fields[0].rate_hz: must be a number above 0 and at most 1000, got 5000",
        "fields[0].dimensions: allows at most 2 dimensions, got 3",
    ]
    field["dimensions"] = field["dimensions"][:2]
    assert field_errors(field)[1:] == [
        "fields[0].dimensions[1].name: duplicate dimension name 'valence'",
        "fields[0].dimensions[1].max: must be greater than min (1), got -1",
    ]


def test_a_regular_trace_is_valid():
    assert value_errors(trace(), samples(50, 10, 0.2), duration=5.0) == []
    assert value_errors(trace(dims=2), samples(50, 10, 0.2, -0.4), duration=5.0) == []


def test_browser_jitter_within_tolerance_is_accepted():
    value = [[0.0, 0], [0.13, 0], [0.19, 0], [0.31, 0], [0.45, 0]]
    assert value_errors(trace(), value, duration=1) == []


ORDER = "samples must be in increasing time order"


def test_samples_must_increase_in_time():
    value = [[0.0, 0], [0.1, 0], [0.1, 0], [0.05, 0]]
    assert value_errors(trace(), value) == [
        "va[2][0]: time 0.1 is not after the previous sample's (0.1); " + ORDER,
        "va[3][0]: time 0.05 is not after the previous sample's (0.1); " + ORDER,
    ]


def test_samples_must_follow_the_declared_rate():
    value = [[0.0, 0], [0.1, 0], [0.5, 0], [0.51, 0]]
    assert value_errors(trace(), value) == [
        "va[2][0]: 0.4 s after the previous sample; at 10 Hz samples are expected every 0.1 s "
        "(allowed 0.05..0.2 s)",
        "va[3][0]: 0.01 s after the previous sample; at 10 Hz samples are expected every 0.1 s "
        "(allowed 0.05..0.2 s)",
    ]


def test_values_and_shape_are_checked():
    value = [[0.0, 1.5], [0.1], [0.2, "x"], [-0.1, 0], [0.3, 0.0, 0.0], {"t": 0.4}]
    assert value_errors(trace(), value) == [
        "va[0][1]: valence 1.5 is outside -1..1",
        "va[1]: must be a sample [t, valence] of 2 numbers, got a list of 1",
        "va[2][1]: valence must be a number, got a string",
        "va[3][0]: time must be at least 0, got -0.1",
        "va[4]: must be a sample [t, valence] of 2 numbers, got a list of 3",
        "va[5]: must be a sample [t, valence] of 2 numbers, got an object",
    ]


def test_samples_past_the_end_of_the_media_are_refused():
    assert value_errors(trace(), samples(12, 10, 0), duration=1.0) == [
        "va[11][0]: time 1.1 is past the end of the media (1.0 s)"
    ]


def test_an_empty_trace_is_refused():
    assert value_errors(trace(), []) == ["va: needs at least one sample"]


def test_a_badly_broken_trace_reports_a_bounded_number_of_errors():
    errors = value_errors(trace(), samples(300, 10, 5.0))
    assert len(errors) == 201
    assert errors[0] == "va[0][1]: valence 5.0 is outside -1..1"
    assert errors[-1] == "... and 100 more errors not shown"
