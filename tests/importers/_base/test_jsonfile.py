"""One JSON file of records read losing as little as possible: notes, salvage, rejections."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.errors import InputFormatError
from toolkit.importers._base.common import Rejects
from toolkit.importers._base.inputs import Member
from toolkit.importers._base.jsonfile import read_json_array
from toolkit.schema import Source

FILE = Member("log_entries.json", "export/log_entries.json", 0)

# id -> (bytes, key, records kept (None: file rejected whole), rejected (record, reason contains) or None, note)
CASES: dict[str, tuple[bytes, str | None, list[Any] | None, tuple[int | None, str] | None, str | None]] = {
    "whole": (b'[{"id": 1}, {"id": 2}]', None, [{"id": 1}, {"id": 2}], None, None),
    "empty": (b" \n", None, None, (None, "empty file (re-export it or remove it)"), None),
    "truncated": (
        b'[{"id": 1}, {"id": 2}, {"id"',
        None,
        [{"id": 1}, {"id": 2}],
        (2, "truncated at byte 28: entry 2 (from byte 23) is cut off; the 2 entries before it were read"),
        None,
    ),
    "truncated-after-a-bad-byte": (
        b'[{"id": "\xe9"}, {"id": "\xe9',
        None,
        [{"id": "\ufffd"}],
        (1, "truncated at byte 23: entry 1 (from byte 14) is cut off"),
        "export/log_entries.json: 2 bytes not UTF-8 (at bytes 9, 22), read as U+FFFD",
    ),
    "bad-byte": (
        b'[{"id": "caf\xe9"}]',
        None,
        [{"id": "caf\ufffd"}],
        None,
        "export/log_entries.json: 1 byte not UTF-8 (at byte 12), read as U+FFFD",
    ),
    "not-json": (b"<html>", None, None, (None, "invalid JSON: unexpected character"), None),
    "not-an-array": (b'{"id": 1}', None, None, (None, "expected a JSON array of entries, got object"), None),
    "under-a-key": (b'{"log_entries": [{"id": 1}], "more": false}', "log_entries", [{"id": 1}], None, None),
    "under-a-key-truncated": (
        b'{"more": true, "log_entries": [{"id": 1}, {"id": 2}, {"id',
        "log_entries",
        [{"id": 1}, {"id": 2}],
        (2, "truncated at byte 57: entry 2 (from byte 53) is cut off; the 2 entries before it were read"),
        None,
    ),
    "key-missing": (
        b'{"incidents": []}',
        "log_entries",
        None,
        (None, "expected an object with a JSON array of entries under 'log_entries', got an object without"),
        None,
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_read_json_array(case: str) -> None:
    data, key, kept, rejected, note = CASES[case]
    rejects, notes = Rejects(Source.pagerduty), []
    got = read_json_array(
        FILE,
        rejects,
        notes,
        data=data,
        key=key,
        noun="entry",
        what="a JSON array of entries",
        incident_id="PD-1",
    )
    assert got == kept
    rows = rejects.frame().rows(named=True)
    if rejected is None:
        assert rows == []
    else:
        assert len(rows) == 1
        record, reason = rejected
        assert (rows[0]["file"], rows[0]["record"], rows[0]["incident_id"]) == (
            "export/log_entries.json",
            record,
            "PD-1",
        )
        assert reason in rows[0]["reason"]
    assert notes == ([note] if note else [])


def test_strict_mode_raises_at_the_cut_naming_the_record() -> None:
    with pytest.raises(InputFormatError) as info:
        read_json_array(
            FILE, Rejects(Source.slack, strict=True), [], data=b'[{"ts": "1"}, {"ts', noun="message"
        )
    assert info.value.record == "message 1"
    assert "truncated at byte 18" in str(info.value)
