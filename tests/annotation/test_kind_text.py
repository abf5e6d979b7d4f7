"""``text`` fields: free explanations with length bounds, and open-vocabulary tags."""

from .helpers import field_errors, value_errors


def text(**extra) -> dict:
    return {"name": "why", "kind": "text", "scope": "item", **extra}


def test_text_fields_are_valid():
    assert field_errors(text()) == []
    assert field_errors(text(min_length=20, max_length=500)) == []
    assert field_errors(text(format="tags", min_tags=1, max_tags=5, max_length=30)) == []


def test_it_rejects_bad_bounds_and_formats():
    assert field_errors(text(min_length=-1, max_length=0, format="html")) == [
        "fields[0].format: must be one of free, tags, got 'html'",
        "fields[0].min_length: must be between 0 and 100000, got -1",
        "fields[0].max_length: must be between 1 and 100000, got 0",
    ]
    assert field_errors(text(min_length=20000)) == [
        "fields[0].min_length: must not exceed max_length (10000), got 20000"
    ]
    assert field_errors(text(max_tags=3, min_length=2.5)) == [
        "fields[0].min_length: must be a whole number, got a number",
        'fields[0].max_tags: only applies to fields with "format": "tags"',
    ]
    assert field_errors(text(format="tags", min_tags=5, max_tags=2)) == [
        "fields[0].min_tags: must not exceed max_tags (2), got 5"
    ]


def test_free_text_length_is_counted_without_surrounding_blanks():
    field = text(min_length=10, max_length=40)
    assert value_errors(field, "She smiles but her voice is flat.") == []
    assert value_errors(field, "   too short     ") == ["why: is 9 characters long; at least 10 are required"]
    assert value_errors(field, "x" * 41) == ["why: is 41 characters long; at most 40 are allowed"]
    assert value_errors(field, 42) == ["why: must be a string, got a number"]
    assert value_errors(field, "long enough text\x00") == ["why: must not contain NUL characters"]


def test_tags_are_distinct_words():
    field = text(format="tags", min_tags=1, max_tags=3, max_length=12)
    assert value_errors(field, ["wistful", "amused"]) == []
    assert value_errors(field, []) == ["why: needs at least 1 tags, got 0"]
    assert value_errors(field, ["a", "b", "c", "d"]) == ["why: allows at most 3 tags, got 4"]
    assert value_errors(field, ["Wistful", "wistful ", " ", 7, "overwhelmingly"]) == [
        "why: allows at most 3 tags, got 5",
        "why[1]: 'wistful' is listed twice",
        "why[2]: must not be blank",
        "why[3]: must be a string, got a number",
        "why[4]: is 14 characters long; at most 12 are allowed",
    ]
