"""Corrupted exports: no importer crashes, and no record of the input goes missing.

Each sample export is corrupted the ways real files break — cut off at a random byte,
bytes flipped, a key deleted from a record, a value of the wrong type, a record written
twice — and loaded. For every corruption two things must hold:

* the loader returns (no exception escapes a ``strict=False`` load);
* every record of the corrupted input is accounted for: read into a table, or rejected
  with file, record and reason. The records of the input are counted by an oracle of
  this file's own (a plain :mod:`json` walk, not the importers' salvage), as the complete
  elements of the array that holds them; a record written twice counts once where the
  source itself treats a repeat as the same record (PagerDuty, Statuspage).

The number of corruptions tried per importer is printed at the end of the run
(``pytest -s``) and kept in :data:`TRIED`.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import load_pagerduty, load_postmortem, load_slack, load_statuspage

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
WARROOM = ROOT / "tests" / "fixtures" / "slack" / "warroom"

TRIED: Counter[str] = Counter()
"""Corruptions loaded per importer in this run."""

EXAMPLES = 30
"""Corruptions per importer and kind of corruption (keeps the whole test well under a minute)."""


# ------------------------------------------------------------------------------ the oracle


def complete_records(data: bytes, key: str | None) -> list[Any]:
    """The complete elements of the record array in ``data`` (the document, or under ``key``).

    Bad bytes are read as U+FFFD first (as every importer does). When the document does
    not parse, the array is walked element by element with :meth:`json.JSONDecoder.raw_decode`
    until the first element that does not parse.
    """
    text = data.decode("utf-8", errors="replace")
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if doc is not None:
        if key is not None:
            doc = doc.get(key) if isinstance(doc, dict) else None
        return doc if isinstance(doc, list) else []
    start = _array_start(text, key)
    if start is None:
        return []
    decoder, out, pos = json.JSONDecoder(), [], start + 1
    while True:
        pos = _skip_ws(text, pos)
        if pos >= len(text) or text[pos] == "]":
            return out
        try:
            value, pos = decoder.raw_decode(text, pos)
        except ValueError:
            return out
        out.append(value)
        pos = _skip_ws(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos += 1
        elif pos >= len(text) or text[pos] != "]":
            return out


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _array_start(text: str, key: str | None) -> int | None:
    if key is None:
        pos = _skip_ws(text, 0)
        return pos if text[pos : pos + 1] == "[" else None
    m = re.search(rf'"{re.escape(key)}"\s*:\s*\[', text)
    return m.end() - 1 if m else None


# ---------------------------------------------------------------------------- corruptions


def _records(doc: Any, key: str | None) -> list[Any] | None:
    found = doc.get(key) if key is not None and isinstance(doc, dict) else doc
    return found if isinstance(found, list) and found else None


def corrupt(data: bytes, key: str | None, how: str, draw: Callable[..., Any]) -> bytes:
    """``data`` broken one way (``how``), with choices drawn from hypothesis."""
    if how == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
        return bytes(out)
    doc = json.loads(data)
    records = _records(doc, key)
    if records is None:
        return data
    i = draw(st.integers(0, len(records) - 1))
    if how == "duplicate":
        records.insert(i, json.loads(json.dumps(records[i])))
    elif isinstance(records[i], dict) and records[i]:
        field = draw(st.sampled_from(sorted(records[i])))
        if how == "delete_key":
            del records[i][field]
        else:  # swap_type
            records[i][field] = draw(
                st.sampled_from([None, 7, -1.5, True, "", "text", [], [1, "x"], {}, {"a": None}])
            )
    return json.dumps(doc, ensure_ascii=False).encode()


KINDS = ("truncate", "flip", "delete_key", "swap_type", "duplicate")


# ------------------------------------------------------------------------------ the sources


@dataclass(frozen=True)
class Target:
    """One export, the file to corrupt in it, and how to count records in and out."""

    name: str
    export: Path
    files: tuple[tuple[str, str | None], ...]
    """(relative path, key of the record array) of the files that may be corrupted."""
    load: Callable[[Path], Any]
    read: Callable[[Any, str], int]
    """Records of one file that made it into the tables."""
    identity: Callable[[Any], Any] | None = None
    """What makes two records one (a repeat counts once); None: every copy counts."""


def _slack_read(result: Any, rel: str) -> int:
    channel, day = rel.split("/")
    msgs = result.messages.filter(pl.col("channel") == channel)
    # day files are named by the day of the messages (UTC in this fixture)
    return msgs.filter(pl.col("at").dt.strftime("%Y-%m-%d") == day.removesuffix(".json")).height


def _id(record: Any) -> str:
    """A record's id (as JSON, whatever its type), else the whole record."""
    return json.dumps(
        record.get("id") if isinstance(record, dict) and "id" in record else record, sort_keys=True
    )


TARGETS = {
    "slack": Target(
        "slack",
        WARROOM,
        tuple((p.relative_to(WARROOM).as_posix(), None) for p in sorted(WARROOM.glob("*/*.json"))),
        lambda p: load_slack(p, progress=False),
        _slack_read,
    ),
    "pagerduty": Target(
        "pagerduty",
        SAMPLE / "pagerduty",
        (("log_entries.json", "log_entries"), ("incidents.json", "incidents")),
        lambda p: load_pagerduty(p, progress=False),
        lambda r, rel: r.log_entries.height if rel == "log_entries.json" else r.pagerduty_incidents.height,
        _id,
    ),
    "statuspage": Target(
        "statuspage",
        SAMPLE / "statuspage",
        (("incidents.json", "incidents"),),
        lambda p: load_statuspage(p, progress=False),
        lambda r, rel: r.statuspage_incidents.height,
        _id,
    ),
}


def _rejected_records(result: Any, path: Path) -> int:
    rej = result.rejected.filter(pl.col("file") == str(path))
    return rej.height


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("source", sorted(TARGETS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_corrupted_json_export_loses_no_record(tmp_path_factory, source, kind, data) -> None:
    target = TARGETS[source]
    rel, key = data.draw(st.sampled_from(target.files))
    export = Path(shutil.copytree(target.export, tmp_path_factory.mktemp(source) / "export"))
    path = export / rel
    broken = corrupt(path.read_bytes(), key, kind, data.draw)
    path.write_bytes(broken)
    result = target.load(export)  # must not raise
    TRIED[source] += 1
    present = complete_records(broken, key)
    expected = len({target.identity(r) for r in present}) if target.identity else len(present)
    accounted = target.read(result, rel) + _rejected_records(result, path)
    assert accounted >= expected, (kind, rel, expected, target.read(result, rel), result.rejected.rows())
    for row in result.rejected.iter_rows(named=True):
        assert row["file"]
        assert row["reason"]


def _timeline_rows(text: str) -> int:
    """Rows of the document's timeline tables that start with a time of day ("| 10:05 AM | ...")."""
    return len(re.findall(r"(?m)^\|\s*\d{1,2}:\d{2}", text))


@pytest.mark.parametrize("kind", ["truncate", "flip"])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_corrupted_post_mortem_loses_no_timeline_row(tmp_path_factory, kind, data) -> None:
    export = Path(shutil.copytree(SAMPLE / "postmortems", tmp_path_factory.mktemp("pm") / "export"))
    path = data.draw(st.sampled_from(sorted(export.glob("*.md"))))
    broken = corrupt(path.read_bytes(), None, kind, data.draw)
    path.write_bytes(broken)
    doc = load_postmortem(path)  # must not raise
    TRIED["postmortem"] += 1
    rows = _timeline_rows(broken.decode("utf-8", errors="replace"))
    events = doc.timeline.height
    rejected = doc.rejected.filter(pl.col("record").is_not_null()).height
    assert events + rejected + len(doc.undated) >= rows, (kind, path.name, rows, events, rejected)


def test_corruptions_tried_per_importer() -> None:
    """Runs last in this module: how many corruptions each importer got (see ``pytest -s``)."""
    print("\ncorruptions loaded per importer:", dict(sorted(TRIED.items())))
    assert set(TRIED) == {"slack", "pagerduty", "statuspage", "postmortem"}
