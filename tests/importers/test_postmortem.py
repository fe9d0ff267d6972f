"""Post-mortem Markdown importer: the seed document's exact figures, variants, bad input."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

import toolkit
from toolkit import importers, schema
from toolkit.errors import InputFormatError
from toolkit.importers.postmortem import PostmortemSet, load_postmortem, load_postmortems, parse_postmortem
from toolkit.importers.postmortem.doc import item_id
from toolkit.schema import Source

FIXTURES = Path(__file__).parents[1] / "fixtures" / "postmortem"
SEED = FIXTURES / "seed_postmortem.md"
ID = "INC-2025-01-15-payment-service-outage"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
def seed() -> toolkit.PostmortemDoc:
    return toolkit.load_postmortem(SEED)


# ---------------------------------------------------------------------------- the seed document


def _section(text: str, heading: str) -> list[str]:
    """Lines of the '## heading...' section, by plain string search (independent of the importer)."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"## {heading}"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start + 1 : end]


def test_seed_counts_match_the_document(seed: toolkit.PostmortemDoc) -> None:
    text = SEED.read_text(encoding="utf-8")
    counted = {
        "timeline": sum(ln.startswith("|") for ln in _section(text, "Timeline")) - 2,
        "whys": sum(bool(re.match(r"\d+\. \*\*Why", ln)) for ln in _section(text, "Root Cause")),
        "went_well": sum(ln.startswith("- ") for ln in _section(text, "What Went Well")),
        "went_wrong": sum(ln.startswith("- ") for ln in _section(text, "What Went Wrong")),
        "action_items": sum(ln.startswith("|") for ln in _section(text, "Action Items")) - 2,
        "lessons": sum(bool(re.match(r"\d+\. ", ln)) for ln in _section(text, "Lessons Learned")),
    }
    assert counted == {
        "timeline": 15,
        "whys": 5,
        "went_well": 5,
        "went_wrong": 4,
        "action_items": 6,
        "lessons": 4,
    }
    loaded = {
        "timeline": seed.timeline.height,
        "whys": seed.whys.height,
        "went_well": len(seed.went_well),
        "went_wrong": len(seed.went_wrong),
        "action_items": seed.action_items.height,
        "lessons": len(seed.lessons),
    }
    assert loaded == counted
    assert seed.rejected.height == 0
    assert seed.notes == ()


def test_seed_header(seed: toolkit.PostmortemDoc) -> None:
    inc = seed.incident
    assert inc["incident_id"] == ID
    assert inc["title"] == "Payment Service Outage"
    assert inc["date"] == date(2025, 1, 15)
    assert inc["severity"] == "SEV1"
    assert inc["duration"] == timedelta(hours=2, minutes=15)
    assert inc["started_at"] == utc(2025, 1, 15, 18, 0)  # 10:00 PST = UTC-8 in winter
    assert inc["resolved_at"] == utc(2025, 1, 15, 20, 15)
    assert (inc["timezone"], inc["tz"]) == ("PST", "America/Los_Angeles")  # one clock (was 'UTC-08:00')
    assert inc["commander"] == "Alice Chen"
    assert inc["participants"] == ["Alice (IC)", "Bob (TL)", "Carol (Comms)", "Dave (Scribe)", "SRE Team"]
    assert inc["roles"] == {"IC": "Alice", "TL": "Bob", "Comms": "Carol", "Scribe": "Dave"}
    assert inc["summary"].startswith("Payment service was unavailable for 2h 15m, affecting 15% of users")
    assert inc["impact"]["Revenue impact"] == "$50K delayed (recovered), $5K abandoned carts (lost)"
    assert (inc["users_affected"], inc["percent_users_affected"], inc["support_tickets"]) == (5000, 15.0, 23)
    assert inc["root_cause"] == (
        "Connection leak in payment-service v2.5, introduced in PR #1234. Code opened DB connections in try "
        "block but only closed in success path, not in exception handler (error path)."
    )
    assert inc["follow_up"] == [
        "30-day review scheduled for 2025-02-15 to verify action items completed.",
        "Share learnings in Engineering All-Hands (2025-01-22).",
    ]


def test_seed_timeline(seed: toolkit.PostmortemDoc) -> None:
    tl = seed.timeline
    local = [f"{(t - timedelta(hours=8)):%H:%M}" for t in tl["at"].to_list()]
    assert local == [
        "09:55", "10:00", "10:02", "10:05", "10:08", "10:12", "10:15", "10:18",
        "10:23", "10:30", "10:45", "11:00", "11:30", "12:00", "12:15",
    ]  # fmt: skip
    assert tl["kind"].to_list() == [
        "deploy", "alert", "message", "declare", "status_update", "update", "update", "update",
        "rollback", "update", "update", "update", "deploy", "update", "resolve",
    ]  # fmt: skip
    assert tl["ref"].to_list() == [f"seed_postmortem.md:{n}" for n in range(20, 35)]
    assert tl.filter(pl.col("visibility") == "public")["text"].to_list() == [
        'Status page: "Investigating checkout issues"'
    ]
    assert tl.filter(pl.col("actor").is_not_null()).select("actor", "kind").rows() == [
        ("Alice", "declare"),
        ("Bob", "update"),
    ]
    assert tl.filter(pl.col("severity").is_not_null())["severity"].to_list() == ["SEV1"]
    assert set(tl["source"]) == {"postmortem"}
    assert set(tl["incident_id"]) == {ID}


def test_seed_whys(seed: toolkit.PostmortemDoc) -> None:
    w = seed.whys
    assert w["node_id"].to_list() == ["W1", "W2", "W3", "W4", "W5"]
    assert w["parent_id"].to_list() == [None, "W1", "W2", "W3", "W4"]
    assert w["question"].to_list() == [
        "Why did checkouts fail?",
        "Why did the API return 500 errors?",
        "Why could it not acquire connections?",
        "Why was the pool exhausted?",
        "Why didn't tests catch this?",
    ]
    assert w["answer"][4] == "Load tests didn't simulate error scenarios (only happy path)."
    assert w["is_root_cause"].to_list() == [False, False, False, False, True]
    assert w["factor"].to_list() == [None, None, "capacity", "change", "testing"]
    assert seed.tree().root_cause == seed.incident["root_cause"]


def test_seed_action_items(seed: toolkit.PostmortemDoc) -> None:
    items = seed.action_items.select("priority", "owner", "due_date", "status", "kind").rows()
    assert items == [
        ("P0", "SRE Team", date(2025, 1, 18), "done", "detect"),
        ("P0", "Team Alpha", date(2025, 1, 17), "done", "prevent"),
        ("P1", "QA Team", date(2025, 1, 25), "in_progress", "prevent"),
        ("P1", "DevOps", date(2025, 1, 20), "done", "process"),
        ("P2", "Engineering", date(2025, 2, 1), "pending", "process"),
        ("P2", "SRE Team", date(2025, 2, 15), "pending", "process"),
    ]
    # ids by content (the document's ref and the normalised title), not by position
    assert seed.action_items["item_id"].to_list() == [
        item_id("seed_postmortem.md", t) for t in seed.action_items["title"]
    ]
    assert seed.action_items["item_id"][0] == "AI-4299a0ef719c"
    assert seed.action_items["ref"].to_list() == [f"seed_postmortem.md:{n}" for n in range(63, 69)]
    assert set(seed.action_items["source"]) == {"postmortem"}
    assert (
        seed.action_items["title"][4] == 'Code review checklist: Add "Resource cleanup (connections, files)"'
    )
    assert set(seed.action_items["created_at"]) == {utc(2025, 1, 15, 8, 0)}  # the doc's date, 00:00 PST
    assert set(seed.action_items["version"]) == {1}


def test_seed_lists(seed: toolkit.PostmortemDoc) -> None:
    assert seed.went_well == [
        "Fast detection: Alert fired within 5 min of impact",
        "Clear command structure: Roles assigned immediately, no confusion",
        "Effective communication: Updates every 15 min, stakeholders informed",
        "Quick rollback: Automated rollback completed in 5 min",
        "Blameless culture: Team focused on fixing, not blaming",
    ]
    assert (
        seed.went_wrong[1]
        == "No connection pool monitoring: No alert for pool exhaustion (reactively discovered)"
    )
    assert len(seed.went_wrong) == 4
    assert seed.lessons[0] == (
        "Monitor resource pools proactively: Always add metrics/alerts for bounded resources "
        "(connection pools, thread pools, file handles, memory)."
    )
    assert seed.lessons[3] == "Rollback is a superpower: Fast, automated rollback saved 90+ min of debugging."


def test_seed_tables_follow_the_schema(seed: toolkit.PostmortemDoc) -> None:
    tables = seed.tables()
    assert set(tables) == {
        "incidents", "events", "whys", "action_items", "roles", "people", "postmortem_sections"
    }  # fmt: skip
    for name, df in tables.items():
        schema.validate(name, df, extra=False)
    row = tables["incidents"].row(0, named=True)
    assert {k: row[k] for k in list(row)[:16]} == {
        "incident_id": ID,
        "source": "postmortem",
        "ref": "seed_postmortem.md",
        "title": "Payment Service Outage",
        "severity": "SEV1",
        "computed_severity": "SEV1",  # revenue impacted
        "status": "resolved",
        "service": "Payment API, Checkout flow",
        "commander": "Alice Chen",
        "started_at": utc(2025, 1, 15, 18, 0),
        "detected_at": utc(2025, 1, 15, 18, 0),
        "declared_at": utc(2025, 1, 15, 18, 5),
        "acknowledged_at": None,
        "mitigated_at": None,
        "resolved_at": utc(2025, 1, 15, 20, 15),
        "postmortem_at": None,
    }


# ---------------------------------------------------------------------------- variants


def test_variant_headings_and_renamed_columns() -> None:
    doc = load_postmortem(FIXTURES / "variant_headings.md")
    assert doc.incident_id == "INC-2025-03-03-checkout-latency"
    assert (doc.incident["severity"], doc.incident["commander"], doc.incident["tz"]) == (
        "SEV2",
        "erin",
        "UTC",
    )
    assert (doc.incident["started_at"], doc.incident["resolved_at"]) == (
        utc(2025, 3, 3, 14, 10),
        utc(2025, 3, 3, 14, 55),
    )
    assert doc.timeline.select("kind", "actor").rows() == [
        ("deploy", "Frank"),
        ("alert", None),
        ("declare", "erin"),
        ("mitigation", "Frank"),
        ("resolve", "Erin"),
    ]
    assert doc.action_items.select("title", "owner", "priority", "due_date", "status", "kind").rows() == [
        ("Require review for config changes", "frank", "P1", date(2025, 3, 10), "done", "process"),
        ("Run config changes through staging", "Platform", "P2", date(2025, 3, 20), "in_progress", None),
        ("Add a timeout-setting lint", "Frank", "P3", None, "pending", None),
    ]
    assert doc.went_well == ["Alert fired within 5 minutes", "Fast rollback: flag disabled in 16 min"]
    assert doc.went_wrong == ["Config review: no second pair of eyes on config changes"]
    assert doc.lessons == ["Config is code."]
    assert doc.incident["root_cause"] == "a timeout setting changed without review."
    assert doc.whys["factor"].to_list() == [None, "configuration", "testing"]
    assert doc.rejected.height == 0


def test_timeline_crossing_midnight_in_cet() -> None:
    doc = load_postmortem(FIXTURES / "variant_midnight.md")
    assert doc.timeline["at"].to_list() == [
        utc(2025, 2, 10, 22, 25),
        utc(2025, 2, 10, 22, 30),
        utc(2025, 2, 10, 22, 45),
        utc(2025, 2, 10, 22, 58),
        utc(2025, 2, 10, 23, 20),  # 00:20 CET: after midnight, the date rolls
        utc(2025, 2, 10, 23, 40),  # '23:40 UTC': its own label
        utc(2025, 2, 10, 23, 55),
        utc(2025, 2, 11, 0, 10),  # '2025-02-11 01:10': its own date
    ]
    assert (doc.incident["started_at"], doc.incident["resolved_at"]) == (
        utc(2025, 2, 10, 22, 30),
        utc(2025, 2, 11, 0, 10),
    )
    assert doc.incident["timezone"] == "CET"
    assert doc.timeline["kind"].to_list()[3:6] == ["mitigation", "update", "status_update"]
    assert doc.rejected.height == 0
    assert doc.notes == ()


def test_branching_whys() -> None:
    doc = load_postmortem(FIXTURES / "variant_branching.md")
    w = doc.whys
    assert w["parent_id"].to_list() == [None, "W1", "W2", "W3", "W2"]
    assert w["is_root_cause"].to_list() == [False, False, False, True, True]
    assert w["factor"].to_list() == [None, None, None, "change", "monitoring"]
    assert w["evidence"].to_list() == [[], [], [], [], ["variant_branching.md:10"]]
    assert w["answer"][3] == "The cleanup cron was removed during a migration."
    assert doc.incident["tz"] == "America/Los_Angeles"  # one clock (was 'UTC-07:00'; same instants)


def _doc(label: str, day: date, clock: str) -> str:
    return f"# Post-mortem: Zones\n**Date:** {day}\n## Timeline (All times {label})\n| Time | Event |\n|--|--|\n| {clock} | Alert fired |\n"


@pytest.mark.parametrize(
    ("label", "day", "clock", "expected"),
    [
        pytest.param("PST", date(2025, 1, 15), "10:00 AM", utc(2025, 1, 15, 18), id="PST-winter"),
        pytest.param("PST", date(2025, 7, 1), "10:00 AM", utc(2025, 7, 1, 17), id="PST-summer-is-pacific"),
        pytest.param("PDT", date(2025, 7, 1), "10:00 AM", utc(2025, 7, 1, 17), id="PDT-summer"),
        pytest.param("PT", date(2025, 1, 15), "10:00", utc(2025, 1, 15, 18), id="PT-winter"),
        pytest.param("PT", date(2025, 7, 1), "10:00", utc(2025, 7, 1, 17), id="PT-summer"),
        pytest.param("UTC", date(2025, 7, 1), "10:00", utc(2025, 7, 1, 10), id="UTC"),
        pytest.param("GMT", date(2025, 7, 1), "10:00 PM", utc(2025, 7, 1, 22), id="GMT"),
        pytest.param("CET", date(2025, 1, 15), "10:00", utc(2025, 1, 15, 9), id="CET"),
        pytest.param("CEST", date(2025, 7, 1), "10:00", utc(2025, 7, 1, 8), id="CEST"),
        pytest.param("EST", date(2025, 1, 15), "10:00 AM", utc(2025, 1, 15, 15), id="EST"),
        pytest.param("EDT", date(2025, 7, 1), "10:00 AM", utc(2025, 7, 1, 14), id="EDT"),
        pytest.param("ET", date(2025, 7, 1), "10:00 AM", utc(2025, 7, 1, 14), id="ET-summer"),
        pytest.param("UTC+5:30", date(2025, 7, 1), "10:00", utc(2025, 7, 1, 4, 30), id="offset"),
        pytest.param("Europe/Berlin", date(2025, 7, 1), "10:00", utc(2025, 7, 1, 8), id="iana"),
        pytest.param("PST", date(2025, 1, 15), "10:00 UTC", utc(2025, 1, 15, 10), id="cell-label-wins"),
    ],
)
def test_timezone_labels(label: str, day: date, clock: str, expected: datetime) -> None:
    doc = parse_postmortem(_doc(label, day, clock), name="z.md")
    assert doc.timeline["at"].to_list() == [expected]
    assert doc.rejected.height == 0


def test_zone_from_the_duration_field_then_utc_with_a_note() -> None:
    text = "# Outage\n**Date:** 2025-01-15\n**Duration:** 1h (9:00 AM - 10:00 AM EST)\n## Timeline\n| Time | Event |\n|--|--|\n| 9:30 AM | Alert fired |\n"
    assert parse_postmortem(text, name="x.md").timeline["at"].to_list() == [utc(2025, 1, 15, 14, 30)]
    bare = parse_postmortem(text.replace(" EST", ""), name="x.md")
    assert bare.timeline["at"].to_list() == [utc(2025, 1, 15, 9, 30)]
    assert bare.notes == ("no time zone stated; times read as UTC (pass tz=... to choose one)",)


def test_tz_argument_overrides_labels_and_season_mismatch_is_noted() -> None:
    summer = _doc("PST", date(2025, 7, 1), "10:00 AM")
    as_written = parse_postmortem(summer, name="s.md")
    # one clock: PST follows Pacific time, as in Slack (was 18:00, read as a fixed UTC-8)
    assert as_written.timeline["at"].to_list() == [utc(2025, 7, 1, 17)]
    assert len(as_written.notes) == 1
    assert "winter-time label" in as_written.notes[0]
    fixed = parse_postmortem(summer, name="s.md", tz="UTC-8")
    assert fixed.timeline["at"].to_list() == [utc(2025, 7, 1, 18)]
    pacific = parse_postmortem(summer, name="s.md", tz="America/Los_Angeles")
    assert pacific.timeline["at"].to_list() == [utc(2025, 7, 1, 17)]
    assert pacific.notes == ()
    with pytest.raises(InputFormatError, match="unknown time zone 'Mars/Olympus'"):
        parse_postmortem(summer, name="s.md", tz="Mars/Olympus")


def test_list_timeline_header_variants_and_unknown_sections() -> None:
    text = """---
title: Login errors
date: 2025-05-05
severity: SEV3
---
**Started:** 2025-05-05 11:50 UTC
**Resolved:** 12:40 UTC
**Post-mortem meeting:** 2025-05-06 15:00 UTC

## Timeline
- 11:55 — Alert: login error rate 5%
- 11:58 | Bob acknowledged the page
- **12:10** Rolled back auth-service to v7
- 12:40: Resolved

## Appendix
Graphs live in the dashboard.
"""
    doc = parse_postmortem(text, name="login.md")
    assert doc.incident_id == "INC-2025-05-05-login-errors"
    assert doc.incident["severity"] == "SEV3"
    assert (doc.incident["started_at"], doc.incident["resolved_at"]) == (
        utc(2025, 5, 5, 11, 50),
        utc(2025, 5, 5, 12, 40),
    )
    assert doc.incident["postmortem_at"] == utc(2025, 5, 6, 15)
    assert doc.timeline.select("at", "kind", "text").rows() == [
        (utc(2025, 5, 5, 11, 55), "alert", "Alert: login error rate 5%"),
        (utc(2025, 5, 5, 11, 58), "acknowledge", "Bob acknowledged the page"),
        (utc(2025, 5, 5, 12, 10), "rollback", "Rolled back auth-service to v7"),
        (utc(2025, 5, 5, 12, 40), "resolve", "Resolved"),
    ]
    assert doc.incident["other_sections"] == {"Appendix": "Graphs live in the dashboard."}
    assert doc.notes == (
        "section 'Appendix' (line 16) is not in the template; kept in incident['other_sections']",
    )
    row = doc.tables()["incidents"].row(0, named=True)
    assert (row["postmortem_at"], row["acknowledged_at"]) == (utc(2025, 5, 6, 15), utc(2025, 5, 5, 11, 58))


def test_action_items_as_a_checkbox_list() -> None:
    text = "# X\n**Date:** 2025-01-15\n## Action Items\n- [x] **P0** Add pool alert (@sre, due 2025-01-18)\n- [ ] P2: Write the runbook, owner: Dana, due Feb 1\n"
    doc = parse_postmortem(text, name="x.md")
    assert doc.action_items.select("title", "owner", "priority", "due_date", "status", "kind").rows() == [
        ("Add pool alert", "sre", "P0", date(2025, 1, 18), "done", "detect"),
        ("Write the runbook", "Dana", "P2", date(2025, 2, 1), "pending", "mitigate"),
    ]


# ---------------------------------------------------------------------------- bad input

BASE = """# Post-mortem: Base
**Date:** 2025-01-15
**Severity:** SEV2
**Duration:** 1h (10:00 - 11:00 UTC)
## Timeline

| Time | Event |
|---|---|
| 10:00 | Alert fired |
## Root Cause

1. **Why?**
Because.
## Action Items
| Priority | Action | Owner | Due Date | Status |
|---|---|---|---|---|
| P1 | Fix it | Ann | 2025-01-20 | Done |
## What Went Well

- Fast
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("**Date:** 2025-01-15", "**Date:** someday", [(2, "Date")], id="bad-date"),
        pytest.param("**Date:** 2025-01-15", "**Owner:** Ann", [(None, "Date")], id="no-date"),
        pytest.param("SEV2", "SEV0", [(3, "Severity")], id="bad-severity"),
        pytest.param("1h (10:00", "a while (10:00", [(4, "Duration")], id="bad-duration"),
        pytest.param("(10:00 - 11:00 UTC)", "(soonish)", [(4, "Duration")], id="bad-range"),
        pytest.param("| 10:00 | Alert", "| ten | Alert", [(9, "time")], id="bad-time"),
        pytest.param("| 10:00 | Alert", "| 10:00 XYZ | Alert", [(9, "time")], id="unknown-zone-in-cell"),
        pytest.param("| 10:00 | Alert fired |", "| 10:00 |  |", [(9, "event")], id="empty-event"),
        pytest.param(
            "## Timeline\n\n", "## Timeline\nSee the doc.\n", [(6, "timeline")], id="stray-timeline-text"
        ),
        pytest.param("| 2025-01-20 |", "| someday |", [(17, "Due Date")], id="bad-due-date"),
        pytest.param("| Done |", "| Maybe |", [(17, "Status")], id="unknown-status"),
        pytest.param("| P1 | Fix", "| P7 | Fix", [(17, "Priority")], id="bad-priority"),
        pytest.param("| Fix it |", "|  |", [(17, "Action")], id="empty-action"),
        pytest.param("Well\n\n", "Well\nWe were fast.\n", [(19, "went_well")], id="stray-list-paragraph"),
    ],
)
def test_bad_input_is_rejected_with_its_line(
    old: str, new: str, expected: list[tuple[int | None, str]]
) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    doc = parse_postmortem(text, name="base.md", display="pm/base.md")
    assert doc.rejected.select("record", "field").rows() == expected
    assert set(doc.rejected["file"]) == {"pm/base.md"}
    schema.validate("rejected", doc.rejected)
    for name, df in doc.tables().items():
        schema.validate(name, df)
    with pytest.raises(InputFormatError) as err:
        parse_postmortem(text, name="base.md", display="pm/base.md", strict=True)
    line, field = expected[0]
    assert (err.value.path, err.value.record, err.value.field) == (
        "pm/base.md",
        f"line {line}" if line is not None else None,
        field,
    )


def test_kept_items_with_a_bad_field() -> None:
    doc = parse_postmortem(
        BASE.replace("| Done |", "| Maybe |").replace("2025-01-20", "someday"), name="b.md"
    )
    assert doc.action_items.select("due_date", "status").rows() == [(None, "pending")]
    assert doc.rejected["reason"].to_list() == [
        "expected a date like '2025-01-18' or 'Jan 18', got 'someday'; kept the item without one",
        "unknown status 'Maybe'; kept the item as pending",
    ]


def test_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_bytes(b"  \n")
    (tmp_path / "latin1.md").write_bytes("# Caf\xe9 outage\n".encode("latin-1"))
    (tmp_path / "notes.txt").write_text("not a post-mortem")
    shutil.copy(SEED, tmp_path / "seed.md")
    docs = load_postmortems(tmp_path, progress=False)
    # a bad byte no longer drops the document: it is read as U+FFFD, with a note (issue 10)
    assert [d.incident_id for d in docs.docs] == ["INC-undated-caf-outage", ID]
    assert docs.docs[0].incident["title"] == "Caf\ufffd outage"
    assert docs.rejected.select("file", "record", "field", "reason").rows() == [
        (str(tmp_path / "empty.md"), None, None, "empty file (remove it or write the post-mortem)"),
        (
            str(tmp_path / "latin1.md"),
            None,
            "Date",
            "no **Date:** in the header; timeline times cannot be placed on a day",
        ),
    ]
    assert docs.notes[:2] == (
        "1 file(s) without a post-mortem suffix skipped",
        "latin1.md: not UTF-8 at byte 5; read as U+FFFD and everything else kept (save it as UTF-8)",
    )
    single = load_postmortem(tmp_path / "empty.md")
    assert single.rejected.height == 1
    assert single.tables()["incidents"].height == 0
    with pytest.raises(
        InputFormatError, match=r"is a folder; load_postmortem reads one post-mortem file"
    ) as err:
        load_postmortem(tmp_path)
    assert err.value.hint == "use toolkit.load_postmortems(path) for a folder or zip of post-mortems"
    assert toolkit.load_postmortems is load_postmortems  # the hint names a function that exists
    with pytest.raises(InputFormatError, match="empty file"):
        load_postmortem(tmp_path / "empty.md", strict=True)


# ---------------------------------------------------------------------------- folders, zips, registry


def test_folder_and_zip_through_the_registry(tmp_path: Path) -> None:
    importer = importers.get(Source.postmortem)
    archive = tmp_path / "postmortems.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(FIXTURES.glob("*.md")):
            zf.write(f, f"export/{f.name}")
    (tmp_path / "data.json").write_text("[]")
    (tmp_path / "README.md").write_text("# Readme\nNothing here.\n")
    assert importer.sniff(SEED) == 1.0
    assert importer.sniff(FIXTURES) == 1.0
    assert importer.sniff(archive) == 1.0
    assert not importer.sniff(tmp_path / "data.json")
    assert not importer.sniff(tmp_path / "README.md")
    assert not importer.sniff(tmp_path)  # a .json and a .zip next to the .md
    for path in (FIXTURES, archive):
        loaded = importer.load(path, strict=False, policy=toolkit.Policy.default())
        assert isinstance(loaded, PostmortemSet)
        tables = loaded.tables()
        for name, df in tables.items():
            schema.validate(name, df, extra=False)
        assert {n: df.height for n, df in tables.items()} == {
            "incidents": 4,
            "events": 15 + 5 + 8 + 4,
            "whys": 5 + 3 + 2 + 5,
            "action_items": 6 + 3 + 1 + 2,
            "roles": 4 + 3 + 2 + 1,
            "people": 9,  # Carol is in two documents: one person
            "postmortem_sections": 21 + 8 + 0 + 1,
        }
        assert loaded.rejected.height == 0
    assert (
        importer.load(SEED, strict=False, policy=toolkit.Policy.default()).tables()["incidents"].height == 1
    )
    refs = importer.load(archive, strict=False, policy=toolkit.Policy.default()).tables()["events"]["ref"]
    assert refs[0] == "seed_postmortem.md:20"


def test_same_incident_twice_gets_a_suffix(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.md")
    shutil.copy(SEED, tmp_path / "b.md")
    docs = load_postmortems(tmp_path, progress=False)
    assert [d.incident_id for d in docs.docs] == [ID, f"{ID}-2"]  # by path order
    assert [d.ref for d in docs.docs] == ["a.md", "b.md"]
    first, second = (d.action_items["item_id"][0] for d in docs.docs)
    assert (first, second) == (
        item_id("a.md", docs.docs[0].action_items["title"][0]),
        item_id("b.md", docs.docs[1].action_items["title"][0]),
    )
    assert first != second
    assert docs.notes == (f"b.md: incident id taken by another document; renamed {ID}-2",)
    for name, df in docs.tables().items():
        schema.validate(name, df, extra=False)


def test_stated_incident_id_wins() -> None:
    doc = parse_postmortem(
        "# Checkout\n**Incident ID:** INC-20250121-1552\n**Date:** 2025-01-21\n", name="c.md"
    )
    assert doc.incident_id == "INC-20250121-1552"


def test_workspace_ingest(tmp_path: Path) -> None:
    ws = toolkit.Workspace(tmp_path / "ws")
    report = ws.ingest(FIXTURES, source="postmortem")
    assert report.rows == {
        "incidents": 4, "events": 32, "whys": 15, "action_items": 12,
        "roles": 10, "people": 9, "postmortem_sections": 30,
    }  # fmt: skip
    assert ws.table("whys").filter(pl.col("incident_id") == ID).height == 5


@pytest.mark.slow
def test_benchmark_small_runs() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_postmortem", Path(__file__).parents[2] / "benchmarks" / "bench_postmortem.py"
    )
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.main(["--small", "--docs", "20"])
    assert [r["contender"] for r in rows] == ["read floor", "markdown-it parse", "load_postmortems", "pandas"]
    assert {r["docs"] for r in rows} == {20}
