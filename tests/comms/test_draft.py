"""Each kind for the sample payment outage, against snapshots reviewed by eye against the seed.

Set ``UPDATE_SNAPSHOTS=1`` to rewrite the files in ``tests/comms/snapshots/`` after a
deliberate change (then read them again against the seed before committing).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.comms.conftest import PAYMENT
from toolkit.comms import KINDS, draft
from toolkit.errors import ArgumentError, WorkspaceError
from toolkit.workspace import Workspace

SNAPSHOTS = Path(__file__).parent / "snapshots"

CASES = [
    ("declare", "2025-01-15 10:05 PST", None),
    ("update", "2025-01-15 10:15 PST", None),
    ("update", "2025-01-15 10:30 PST", None),
    ("update", "2025-01-15 10:46 PST", None),
    ("statuspage", "2025-01-15 10:08 PST", None),
    ("statuspage", "2025-01-15 10:20 PST", None),
    ("statuspage", "2025-01-15 10:45 PST", None),
    ("statuspage", None, None),
    ("resolve", None, None),
    ("exec", None, None),
    ("customer", None, None),
    ("support", None, None),
    ("escalate", "2025-01-15 10:16 PST", None),
    ("timeline", None, None),
    ("timeline", "2025-01-15 10:30 PST", None),
    ("declare", "2025-01-15 10:05 PST", "markdown"),
    ("update", "2025-01-15 10:30 PST", "text"),
    ("exec", None, "markdown"),
]


def _name(kind: str, at: str | None, fmt: str | None) -> str:
    when = "end" if at is None else at.split()[1].replace(":", "")
    return f"{kind}-{when}.{fmt or KINDS[kind][1]}.txt"


@pytest.mark.parametrize(("kind", "at", "fmt"), CASES, ids=[_name(*c) for c in CASES])
def test_each_kind_matches_its_snapshot(
    write: Callable[..., str], kind: str, at: str | None, fmt: str | None
) -> None:
    got = write(kind, at, format=fmt)
    path = SNAPSHOTS / _name(kind, at, fmt)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_every_kind_has_a_snapshot() -> None:
    assert {k for k, _, _ in CASES} == set(KINDS)


@pytest.mark.parametrize(
    ("at", "phase"),
    [
        ("2025-01-15 10:05 PST", "🟡 Investigating"),  # declared, nothing posted yet
        ("2025-01-15 10:15 PST", "🟠 Identified"),  # the page says identified
        ("2025-01-15 10:18 PST", "🟠 Identified"),  # rollback decided, not done
        ("2025-01-15 10:24 PST", "🟢 Monitoring"),  # rollback completed at 10:23
        ("2025-01-15 12:14 PST", "🟢 Monitoring"),
        ("2025-01-15 12:15 PST", "✅ Resolved"),
        ("2025-01-16 09:00 PST", "✅ Resolved"),
    ],
)
def test_the_status_page_moves_through_the_phases(write: Callable[..., str], at: str, phase: str) -> None:
    assert write("statuspage", at).splitlines()[0] == phase


@pytest.mark.parametrize(
    ("at", "header", "next_update"),
    [
        ("2025-01-15 10:05 PST", "📋 UPDATE #1 - 10:05 AM", "10:15 AM"),  # the declaration's promise
        ("2025-01-15 10:15 PST", "📋 UPDATE #2 - 10:15 AM", "10:30 AM"),
        ("2025-01-15 10:30 PST", "📋 UPDATE #3 - 10:30 AM", "10:45 AM or on resolution"),
        ("2025-01-15 10:40 PST", "📋 UPDATE #4 - 10:40 AM", "10:45 AM or on resolution"),  # #3 promised 10:45
        ("2025-01-15 10:46 PST", "📋 UPDATE #4 - 10:46 AM", "11:15 AM or on resolution"),
        ("2025-01-15 11:15 PST", "📋 UPDATE #5 - 11:15 AM", "11:45 AM or on resolution"),
        ("2025-01-15 11:50 PST", "📋 UPDATE #7 - 11:50 AM", "12:15 PM or on resolution"),
        ("2025-01-15 12:15 PST", "📋 UPDATE #7 - 12:15 PM", "None (resolved)"),
    ],
)
def test_update_numbers_and_next_updates_follow_the_timeline(
    write: Callable[..., str], at: str, header: str, next_update: str
) -> None:
    lines = write("update", at).splitlines()
    assert lines[0] == header
    assert lines[-1] == f"**Next update:** {next_update}"


def test_at_accepts_iso_and_aware_datetimes(write: Callable[..., str], ws: Workspace) -> None:
    expected = write("update", "2025-01-15 10:30 PST")
    assert write("update", "2025-01-15T18:30:00Z") == expected
    assert write("update", "2025-01-15T10:30:00-08:00") == expected
    assert write("update", "10:30 AM") == expected  # the first 10:30 AM after the incident began
    assert draft("update", PAYMENT, workspace=ws, at=datetime(2025, 1, 15, 18, 30, tzinfo=UTC)) == expected


def test_any_per_source_id_and_a_folder_work(write: Callable[..., str], ws: Workspace) -> None:
    expected = write("resolve")
    assert write("resolve", incident="PD-PZ4F9WB") == expected
    assert write("resolve", incident="SP-acm3st4tus01-p7m2x9k4q1zt") == expected
    assert draft("resolve", PAYMENT, workspace=ws.path) == draft(
        "resolve", PAYMENT, workspace=Workspace(ws.path)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"kind": "postmortem"},
            "unknown draft kind 'postmortem'; expected one of declare, update, statuspage, resolve, exec, "
            "customer, support, escalate, timeline",
            id="kind",
        ),
        pytest.param(
            {"incident_id": "INC-1999-01-01-nothing"},
            "no incident 'INC-1999-01-01-nothing' in {ws}; see `incident-toolkit incidents`",
            id="incident",
        ),
        pytest.param(
            {"at": "soon"},
            "--at: expected a time like '2025-01-15 10:45 PST', '10:45 AM' or ISO 8601 such as "
            "'2025-01-15T18:45:00Z', got 'soon'",
            id="time",
        ),
        pytest.param(
            {"at": "2025-01-15 09:00 PST"},
            "--at: Jan 15, 9:00 AM PST is before incident INC-2025-01-15-payment began (Jan 15, 10:00 AM PST); "
            "give a later time",
            id="before-start",
        ),
        pytest.param(
            {"at": datetime(2025, 1, 15, 10, 30)},
            "at: datetime.datetime(2025, 1, 15, 10, 30) has no time zone; pass an aware datetime or text such as "
            "'2025-01-15 10:45 PST', '10:45 AM' or ISO 8601 such as '2025-01-15T18:45:00Z'",
            id="naive",
        ),
        pytest.param(
            {"format": "html"}, "--format: expected one of slack, markdown, text, got 'html'", id="format"
        ),
        pytest.param(
            {"templates": "no-such-folder"},
            "--templates: no folder no-such-folder; give a folder of <kind>.j2 templates",
            id="templates",
        ),
    ],
)
def test_bad_arguments_are_argument_errors(ws: Workspace, kwargs: dict[str, object], message: str) -> None:
    call: dict[str, object] = {"kind": "update", "incident_id": PAYMENT, **kwargs}
    with pytest.raises(ArgumentError) as info:
        draft(workspace=ws, **call)  # type: ignore[arg-type]
    assert str(info.value) == message.format(ws=ws.path)


def test_a_missing_workspace_is_the_workspace_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no workspace at"):
        draft("update", PAYMENT, workspace=tmp_path / "none")


def test_the_default_moment_of_an_open_incident_is_now(write: Callable[..., str]) -> None:
    got = write("escalate", incident="INC-2025-02-19-sso")
    assert "**Status:** Monitoring" in got
    assert "so far (since Feb 19, 2:10 PM PST)" in got
