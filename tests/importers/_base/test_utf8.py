"""Repairing stray non-UTF-8 bytes: U+FFFD in their place, offsets kept for the notes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.importers._base.utf8 import repair_utf8

# id -> (data, repaired text, (offset, length) of each bad sequence)
CASES: dict[str, tuple[bytes, str, tuple[tuple[int, int], ...]]] = {
    "ascii": (b'[{"ts": "1"}]', '[{"ts": "1"}]', ()),
    "valid-utf8": ("caf\u00e9 \u2603 \U0001f6a8".encode(), "caf\u00e9 \u2603 \U0001f6a8", ()),
    "latin1-byte": (b"caf\xe9!", "caf\ufffd!", ((3, 1),)),
    "two-bad-bytes": (b"\xe9a\xff", "\ufffda\ufffd", ((0, 1), (2, 1))),
    "cut-multibyte-at-the-end": (b"snow \xe2\x98", "snow \ufffd", ((5, 2),)),
    "cut-multibyte-in-the-middle": (b"\xf0\x9f\x9a!", "\ufffd!", ((0, 3),)),
    "overlong": (b"\xc0\xaf", "\ufffd\ufffd", ((0, 1), (1, 1))),
    "surrogate-encoded": (b"\xed\xa0\x80x", "\ufffd\ufffd\ufffdx", ((0, 1), (1, 1), (2, 1))),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_repair(case: str) -> None:
    data, text, bad = CASES[case]
    got = repair_utf8(data)
    assert got.data.decode("utf-8") == text
    assert got.bad == bad
    if not bad:
        assert got.data is data


def test_note_names_the_file_and_offsets() -> None:
    got = repair_utf8(b"a\xe9b\xe9c\xe9d\xe9e\xe9f\xe9g\xe9")
    assert got.note("x.json") == (
        "x.json: 7 bytes not UTF-8 (at bytes 1, 3, 5, 7, 9 and 2 more), read as U+FFFD"
    )
    assert repair_utf8(b"\xe2\x98").note("y.json") == "y.json: 2 bytes not UTF-8 (at byte 0), read as U+FFFD"


def test_original_offsets() -> None:
    got = repair_utf8(b"a\xe9b\xe2\x98c")  # a, U+FFFD (1 byte), b, U+FFFD (2 bytes), c
    assert [got.original_offset(i) for i in range(len(got.data))] == [0, 1, 1, 1, 2, 3, 3, 3, 5]


@given(st.binary(max_size=64))
def test_same_as_decode_with_replace(data: bytes) -> None:
    got = repair_utf8(data)
    assert got.data == data.decode("utf-8", "replace").encode("utf-8")
    rebuilt, pos = b"", 0
    for start, length in got.bad:  # in order, not overlapping, each one U+FFFD
        assert pos <= start < start + length <= len(data)
        rebuilt += data[pos:start] + "\ufffd".encode()
        pos = start + length
    assert rebuilt + data[pos:] == got.data
