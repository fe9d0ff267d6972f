"""CSV out (columns Jira's CSV import maps directly) and back in (status onto the right item)."""

from __future__ import annotations

import csv
from datetime import date

import polars as pl
import pytest

from toolkit import actions
from toolkit.actions.csvio import CSV_COLUMNS
from toolkit.errors import InputFormatError

PAYMENT = "INC-2025-01-15-payment-service-outage"
LOAD_TESTS = "Add error scenario to load tests (DB unavailable, slow queries)"


def _read(path):
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_export_has_the_tracker_columns(ws, tmp_path):
    out = tmp_path / "items.csv"
    assert actions.to_csv(ws, out) == 14
    rows = _read(out)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0][:9] == [
        "Item id", "Summary", "Issue Type", "Assignee", "Priority", "Due date", "Status", "Description", "Labels",
    ]  # fmt: skip
    load = next(r for r in rows if r[1] == LOAD_TESTS)
    assert load[2:] == [
        "Task",
        "QA Team",
        "High",
        "2025-01-25",
        "In Progress",
        "",
        PAYMENT,
        "prevent",
        "",
        "1",
    ]
    assert sorted({r[6] for r in rows[1:]}) == ["Done", "In Progress", "To Do"]
    assert actions.to_csv(ws, tmp_path / "one.csv", incident_id=PAYMENT) == 6


def test_a_round_trip_changes_nothing(ws, tmp_path):
    out = tmp_path / "items.csv"
    actions.to_csv(ws, out)
    result = actions.from_csv(ws, out, actor="alice")
    assert result.summary() == "0 added, 0 updated, 14 unchanged, 0 conflict(s), 0 rejected"


def test_status_comes_back_from_a_jira_export(ws, tmp_path):
    items = {r["title"]: r for r in actions.list_items(ws).iter_rows(named=True)}
    load = items[LOAD_TESTS]
    export = _write(
        tmp_path / "jira.csv",
        [
            [
                "Issue key",
                "Summary",
                "Status",
                "Priority",
                "Due date",
                "Custom field (Item id)",
                "Labels",
                "Labels",
            ],
            [
                "PAY-7",
                LOAD_TESTS,
                "Done",
                "High",
                "28/Jan/25 12:00 AM",
                load["item_id"],
                PAYMENT,
                "follow-up",
            ],
            [
                "PAY-9",
                "Page the DBA on pool exhaustion",
                "To Do",
                "Highest",
                "2025-02-20",
                "",
                "follow-up",
                PAYMENT,
            ],
        ],
    )
    result = actions.from_csv(ws, export, actor="jira-sync")
    assert result.summary() == "0 added, 1 updated, 0 unchanged, 0 conflict(s), 1 rejected"
    assert result.rejected.rows() == [(str(export), 3, "owner", "required; got nothing")]
    now = actions.get(ws, load["item_id"])
    assert (now.status, now.due_date, now.updated_by, now.completed_at is not None) == (
        "done",
        date(2025, 1, 28),
        "jira-sync",
        True,
    )


def test_new_rows_are_added_with_their_status(ws, tmp_path):
    src = _write(
        tmp_path / "new.csv",
        [
            ["Summary", "Assignee", "Priority", "Status", "Labels", "Description", "Link"],
            [
                "Rotate TLS certs automatically",
                "frank",
                "P1",
                "In Progress",
                PAYMENT,
                "see runbook",
                "https://x.example/1",
            ],
        ],
    )
    result = actions.from_csv(ws, src, actor="alice")
    assert (result.added, result.rejected.height, result.warnings) == (1, 0, ())
    new = (
        actions.list_items(ws).filter(pl.col("title") == "Rotate TLS certs automatically").row(0, named=True)
    )
    assert (new["owner"], new["status"], new["notes"], new["link"], new["version"]) == (
        "Frank Osei",  # "frank" resolved to the person the workspace knows
        "in_progress",
        "see runbook",
        "https://x.example/1",
        2,
    )


def test_bad_rows_are_kept_with_line_and_field(ws, tmp_path):
    item = actions.list_items(ws).row(0, named=True)
    src = _write(
        tmp_path / "bad.csv",
        [
            ["Item id", "Summary", "Priority", "Status", "Labels", "Version"],
            ["AI-000000000000", "x", "P1", "Done", PAYMENT, ""],
            ["", "no incident", "P1", "To Do", "nothing-here", ""],
            [item["item_id"], item["title"], "Urgent", "Done", PAYMENT, ""],
            [item["item_id"], item["title"], "P0", "To Do", PAYMENT, "one"],
            [item["item_id"], item["title"], "P0", "Finished", PAYMENT, ""],
        ],
    )
    result = actions.from_csv(ws, src, actor="alice")
    assert result.rejected.select("record", "field", "reason").rows() == [
        (2, "Item id", "no action item 'AI-000000000000' in this workspace; remove the id to add it"),
        (3, "Labels", "no known incident id among labels ['nothing-here'] and no Item id"),
        (4, "priority", "expected one of P0, P1, P2, P3, got 'Urgent'"),
        (5, "Version", "expected the item's version (a whole number), got 'one'"),
        (
            6,
            "status",
            "expected one of pending, in_progress, done, cancelled (or open, won't do), got 'Finished'",
        ),
    ]
    assert (result.added, result.updated) == (0, 0)


def test_a_stale_version_in_the_file_is_a_conflict(ws, tmp_path):
    item = actions.list_items(ws).row(0, named=True)
    out = tmp_path / "items.csv"
    actions.to_csv(ws, out)
    actions.update(ws, item["item_id"], version=item["version"], actor="bob", notes="changed meanwhile")
    rows = _read(out)
    for r in rows[1:]:
        if r[0] == item["item_id"]:
            r[6] = "Won't Do"
    result = actions.from_csv(ws, _write(out, rows), actor="alice")
    assert len(result.conflicts) == 1
    assert result.conflicts[0].startswith(f"line 2: action item {item['item_id']}: changed by bob at ")
    assert actions.get(ws, item["item_id"]).status == item["status"]


def test_cells_that_look_like_formulas_are_defused_and_restored(ws, tmp_path):
    item = actions.add(
        ws,
        incident_id=PAYMENT,
        title='=HYPERLINK("http://evil.example","x")',
        owner="@bob",
        priority="P2",
        actor="a",
    )
    out = tmp_path / "items.csv"
    actions.to_csv(ws, out)
    row = next(r for r in _read(out) if r[0] == item.item_id)
    assert row[1] == '\'=HYPERLINK("http://evil.example","x")'
    assert actions.from_csv(ws, out, actor="a").unchanged == 15


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("", "empty file; expected a header row such as Item id, Summary"),
        ("Foo,Bar\n1,2\n", "line 1: no Summary or Item id column"),
    ],
    ids=["missing", "empty", "no-known-columns"],
)
def test_unreadable_files(ws, tmp_path, content, message):
    path = tmp_path / "x.csv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputFormatError, match=message):
        actions.from_csv(ws, path)
