"""Items imported from post-mortem documents: merged on re-import, edits kept, removals marked."""

from __future__ import annotations

import shutil

import orjson
import polars as pl
import pytest

from tests.actions._sample import SAMPLE
from toolkit import actions
from toolkit.store import Workspace

DOC = SAMPLE / "postmortems" / "2025-01-15-payment-service-outage.md"
CHECKLIST = 'Code review checklist: Add "Resource cleanup (connections, files)"'
LOAD_TESTS = "Add error scenario to load tests (DB unavailable, slow queries)"
LEAK = "Fix connection leak in payment-service (ensure finally block)"
POLICY = "Update deployment policy: No prod deploys 9 AM - 12 PM (peak)"
DRILL = "Chaos engineering drill: Simulate DB connection pool exhaustion"


@pytest.fixture
def doc(tmp_path):
    path = tmp_path / "docs" / DOC.name
    path.parent.mkdir()
    shutil.copy(DOC, path)
    return path


def _by_title(ws: Workspace) -> dict[str, dict[str, object]]:
    return {r["title"]: r for r in actions.list_items(ws).iter_rows(named=True)}


def _rewrite(path, *changes: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_reimport_merges_keeps_edits_and_marks_removed_items(doc, tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.ingest(doc)
    first = _by_title(ws)
    assert len(first) == 6
    assert {r["created_by"] for r in first.values()} == {"import"}
    # edits made in the toolkit since the import
    load = first[LOAD_TESTS]
    actions.update(ws, load["item_id"], version=load["version"], actor="alice", owner="bob")
    leak = first[LEAK]
    actions.update(ws, leak["item_id"], version=leak["version"], actor="alice", notes="verified in prod")
    policy = first[POLICY]
    actions.delete(ws, policy["item_id"], version=policy["version"], actor="alice")
    # the document changes: a status, an owner someone edited meanwhile, and a row removed
    _rewrite(
        doc,
        ("| Engineering | 2025-02-01 | ⏳ Pending |", "| Engineering | 2025-02-01 | ✅ Done |"),
        ("| QA Team | 2025-01-25 | 🟡 In Progress |", "| QA Guild | 2025-01-28 | 🟡 In Progress |"),
        (f"| **P2** | {DRILL} | SRE Team | 2025-02-15 | ⏳ Pending |\n", ""),
    )
    assert ws.ingest(doc).outcome == "replaced"
    after = _by_title(ws)
    assert sorted(after) == sorted(
        t for t in first if t != POLICY
    )  # no duplicates, the deleted one stays deleted
    assert {t: r["item_id"] for t, r in after.items()} == {t: first[t]["item_id"] for t in after}
    checklist = after[CHECKLIST]  # unedited: the document's new status is taken
    assert (checklist["status"], checklist["version"], checklist["updated_by"]) == ("done", 2, "import")
    assert checklist["completed_at"] is not None
    load = after[LOAD_TESTS]  # the edited owner wins; the due date nobody edited follows the document
    assert (load["owner"], str(load["due_date"]), load["version"]) == ("Bob", "2025-01-28", 3)
    assert after[LEAK]["notes"] == "verified in prod"
    drill = after[DRILL]  # gone from the document: marked, never dropped
    assert (drill["removed_from_source"], drill["status"], drill["version"]) == (True, "pending", 2)
    assert sum(r["removed_from_source"] for r in after.values()) == 1
    merges = ws.audit().filter(pl.col("actor") == "import")
    assert merges["action"].to_list() == ["insert"] * 6 + ["update"] * 3
    # the row comes back in the next version of the document: unmarked
    _rewrite(
        doc,
        (
            "| ✅ Done |\n## Lessons",
            f"| ✅ Done |\n| **P2** | {DRILL} | SRE Team | 2025-02-15 | ⏳ Pending |\n## Lessons",
        ),
    )
    ws.ingest(doc)
    assert _by_title(ws)[DRILL]["removed_from_source"] is False
    assert len(_by_title(ws)) == 5


def test_reimporting_the_same_document_changes_nothing(doc, tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.ingest(doc)
    before = actions.list_items(ws)
    ws.ingest(doc, force=True)
    assert actions.list_items(ws).equals(before)
    assert ws.audit().height == 6


def test_the_merge_snapshot_is_what_the_document_said(doc, tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.ingest(doc)
    actions.list_items(ws)
    import sqlite3

    with sqlite3.connect(ws.path / "edits.sqlite") as db:
        snap = db.execute("select imported from action_items where title = ?", (LOAD_TESTS,)).fetchone()[0]
    assert orjson.loads(snap) == {
        "incident_id": "INC-2025-01-15-payment-service-outage",
        "title": LOAD_TESTS,
        "owner": "QA Team",
        "priority": "P1",
        "due_date": "2025-01-25",
        "status": "in_progress",
        "kind": "prevent",
        "ref": "2025-01-15-payment-service-outage.md:65",  # the document's line of the item
    }
