"""Salvaging the complete elements of a broken JSON array (top level or under a key)."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.importers._base.jsonarray import salvage_array

# id -> (data, key, (items, offset, at, truncated, closed) or None, reason contains)
CASES: dict[str, tuple[bytes, str | None, tuple[list[Any], int, int, bool, bool] | None, str]] = {
    "cut-inside-a-record": (
        b'[{"a": 1}, {"a": 2}, {"a": "thr',
        None,
        ([{"a": 1}, {"a": 2}], 21, 31, True, False),
        "truncated at byte 31: element 2 (from byte 21) is cut off; the 2 elements before it were read",
    ),
    "cut-inside-a-nested-object": (
        b'[{"a": {"b": [1, {"c": 2}]}}, {"a": {"b": [1, {"c"',
        None,
        ([{"a": {"b": [1, {"c": 2}]}}], 30, 50, True, False),
        "element 1 (from byte 30) is cut off",
    ),
    "cut-after-a-comma": (
        b'[1, "two",\n  ',
        None,
        ([1, "two"], 13, 13, True, False),
        "ends before element 2",
    ),
    "cut-after-an-element": (b"[1, 2", None, ([1], 4, 5, True, False), "element 1 (from byte 4) is cut off"),
    "cut-after-a-string": (b'["a", "b"', None, (["a", "b"], 9, 9, True, False), "ends before element 2"),
    "cut-right-after-the-bracket": (b"  [", None, ([], 3, 3, True, False), "the 0 elements before it"),
    "cut-inside-a-string-with-braces": (
        b'[{"t": "x"}, {"t": "}, {\\"t\\": 1}',
        None,
        ([{"t": "x"}], 13, 33, True, False),
        "element 1 (from byte 13) is cut off",
    ),
    "syntax-error-in-the-middle": (
        b'[{"a": 1}, {"a": tru}, {"a": 3}]',
        None,
        ([{"a": 1}], 11, 17, False, False),
        "invalid JSON at byte 17: expecting value; element 1 (from byte 11) and the rest were not read",
    ),
    "missing-comma": (b"[1 2]", None, ([1], 3, 3, False, False), "expected ',' or ']' after an element"),
    "nan-only-orjson-refuses": (b"[1, NaN, 3]", None, ([1], 4, 4, False, False), "invalid JSON at byte 4"),
    "garbage-after-the-array": (
        b"[1, 2] trailing",
        None,
        ([1, 2], 7, 7, False, True),
        "invalid JSON at byte 7: unexpected data after the document; all 2 elements of the array were read",
    ),
    "non-ascii-offsets-are-bytes": (
        '[{"t": "caf\u00e9 \u2603"}, {"t": "\u00e9'.encode(),
        None,
        ([{"t": "caf\u00e9 \u2603"}], 21, 30, True, False),
        "truncated at byte 30: element 1 (from byte 21) is cut off",
    ),
    "under-a-key": (
        b'{"limit": 100, "log_entries": [{"id": "Q1"}, {"id": "Q2"}, {"id": "Q',
        "log_entries",
        ([{"id": "Q1"}, {"id": "Q2"}], 59, 68, True, False),
        "element 2 (from byte 59) is cut off",
    ),
    "under-a-key-cut-after-the-array": (
        b'{"incidents": [{"id": "a"}, {"id": "b"}], "more": tr',
        "incidents",
        ([{"id": "a"}, {"id": "b"}], 52, 52, True, True),
        "truncated at byte 52: the object holding the array is cut off; all 2 elements of the array were read",
    ),
    "under-a-key-cut-before-the-next-member": (
        b'{"incidents": [{"id": "a"}], ',
        "incidents",
        ([{"id": "a"}], 29, 29, True, True),
        "all 1 element of the array was read",
    ),
    "not-an-array": (b'{"a": [1, 2', None, None, ""),
    "key-missing": (b'{"other": [1, 2]', "incidents", None, ""),
    "cut-before-the-key": (b'{"limit": 100, "log_ent', "log_entries", None, ""),
    "top-level-array-asked-by-key": (b"[1, 2", "incidents", None, ""),
    "empty": (b"", None, None, ""),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_salvage(case: str) -> None:
    data, key, expected, reason = CASES[case]
    got = salvage_array(data, key=key)
    if expected is None:
        assert got is None
        return
    assert got is not None
    assert (got.items, got.offset, got.at, got.truncated, got.closed) == expected
    assert reason in got.reason()


def test_reason_names_the_records() -> None:
    got = salvage_array(b'[{"ts": "1"}, {"ts": "2')
    assert got is not None
    assert got.reason("message") == (
        "truncated at byte 23: message 1 (from byte 14) is cut off; the 1 message before it was read"
    )


_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    items=st.lists(_values, max_size=6),
    cut=st.integers(min_value=0),
    sep=st.sampled_from([",", ", ", ",\n  "]),
)
def test_any_cut_keeps_exactly_the_complete_elements(items: list[Any], cut: int, sep: str) -> None:
    """Cut a valid array anywhere: the salvage is exactly the elements complete before the cut."""
    pieces = [json.dumps(x, ensure_ascii=False).encode() for x in items]
    data = b"[" + sep.encode().join(pieces) + b"]"
    cut %= len(data)
    got = salvage_array(data[:cut])
    if not data[:cut].strip():
        assert got is None
        return
    assert got is not None
    assert got.truncated
    assert not got.closed
    complete, end = 0, 1
    for piece in pieces:
        end += len(piece)
        # a number is complete only once something follows it; anything else at its last byte
        if end < cut or (end == cut and piece[:1] not in b"-0123456789"):
            complete += 1
        end += len(sep)
    assert got.items == items[:complete]
    assert got.at == cut


def test_elements_are_parsed_by_orjson() -> None:
    """The salvaged values are orjson's (a big float, a non-ASCII key), as a whole-file parse gives."""
    data = '[{"\u00e9": 1e300, "n": 12345678901234567}, {"x": '.encode()
    got = salvage_array(data)
    assert got is not None
    assert got.items == [orjson.loads(data.split(b", {")[0][1:])]
