"""Adding, changing, completing, reopening, deleting and listing action items."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from types import SimpleNamespace

import orjson
import polars as pl
import pytest

import toolkit
from toolkit import actions
from toolkit.actions import ActionItem
from toolkit.errors import ArgumentError, ConflictError, WorkspaceError
from toolkit.store import Workspace

PAYMENT = (
    "INC-2025-01-15-payment-service-outage"  # the post-mortem's incident (resolved 2025-01-15 20:15 UTC)
)
SLACK_PAYMENT = "INC-2025-01-15-payment"  # the war room of the same incident (resolved 2025-01-15 20:15 UTC)
SSO = "INC-2025-02-19-sso"  # still open


def _add(ws: Workspace, **over: object) -> ActionItem:
    args: dict[str, object] = {
        "incident_id": PAYMENT,
        "title": "Alert at 80% pool use",
        "owner": "alice",
        "priority": "P1",
        "actor": "alice",
    }
    return actions.add(ws, **(args | over))  # type: ignore[arg-type]


def test_add_sets_defaults_from_the_policy(ws):
    item = _add(ws)
    assert (item.status, item.version, item.source, item.created_by) == ("pending", 1, "manual", "alice")
    assert item.due_date == date(2025, 1, 25)  # resolved 2025-01-15 + 10 days for P1
    assert (item.item_id[:3], len(item.item_id)) == ("AI-", 15)
    assert (item.created_at, item.completed_at) == (item.updated_at, None)
    assert item.warnings == ()
    for priority, days in (("P0", 3), ("P2", 30), ("P3", 90)):
        assert _add(ws, priority=priority, title=f"t {priority}").due_date == date(2025, 1, 15) + timedelta(
            days
        )


def test_add_on_an_open_incident_counts_from_today(ws):
    item = _add(ws, incident_id=SSO, priority="P0")
    assert item.due_date == date.today() + timedelta(days=3)


def test_default_due_days_come_from_the_workspace_policy(ws, tmp_path):
    team = tmp_path / "team.toml"
    team.write_text("[actions.due_days]\nP1 = 5\n")
    mine = Workspace(ws.path, policy=toolkit.Policy.load(team))
    assert _add(mine).due_date == date(2025, 1, 20)


def test_owner_is_resolved_against_people_or_kept_with_a_warning(ws):
    assert _add(ws, owner="@CAROL").owner == "Carol"  # the post-mortem's spelling of carol
    team = _add(ws, owner="SRE Team", title="other")
    assert team.owner == "SRE Team"
    assert team.warnings == (
        "owner 'SRE Team' is not a person this workspace knows; kept as written (a team is fine)",
    )


def test_update_complete_reopen(ws):
    item = _add(ws)
    item = actions.update(ws, item.item_id, version=1, actor="bob", status="in progress", notes="started")
    assert (item.status, item.notes, item.version, item.updated_by) == ("in_progress", "started", 2, "bob")
    done = actions.complete(ws, item.item_id, version=2, actor="carol")
    assert (done.status, done.version, done.completed_at) == ("done", 3, done.updated_at)
    again = actions.reopen(ws, item.item_id, version=3, actor="dave")
    assert (again.status, again.completed_at, again.version) == ("pending", None, 4)
    cancelled = actions.update(ws, item.item_id, version=4, status="won't do")
    assert cancelled.status == "cancelled"
    assert actions.reopen(ws, item.item_id, version=5, status="in_progress").status == "in_progress"


def test_an_update_that_changes_nothing_writes_nothing(ws):
    item = _add(ws)
    same = actions.update(ws, item.item_id, version=1, title=" Alert at 80% pool use ", owner="Alice")
    assert same.version == 1
    assert ws.audit().filter(pl.col("key").list.first() == item.item_id).height == 1


def test_every_change_is_in_the_audit_trail(ws):
    item = _add(ws)
    actions.update(ws, item.item_id, version=1, actor="bob", priority="P0")
    actions.complete(ws, item.item_id, version=2, actor="carol")
    actions.delete(ws, item.item_id, version=3, actor="dave")
    audit = ws.audit().filter(pl.col("key").list.first() == item.item_id)
    assert audit.select("actor", "action", "table_name").rows() == [
        ("alice", "insert", "action_items"),
        ("bob", "update", "action_items"),
        ("carol", "update", "action_items"),
        ("dave", "delete", "action_items"),
    ]
    before, after = (orjson.loads(audit["before"][1]), orjson.loads(audit["after"][1]))
    assert (before["priority"], after["priority"], before["version"], after["version"]) == ("P1", "P0", 1, 2)
    assert orjson.loads(audit["after"][2])["status"] == "done"
    assert audit["before"][0] is None


def test_a_stale_version_is_refused_naming_who_changed_it(ws):
    item = _add(ws)
    mine, theirs = Workspace(ws.path), Workspace(ws.path)  # two analysts, two connections
    actions.update(theirs, item.item_id, version=1, actor="bob", title="Alert at 75% pool use")
    with pytest.raises(ConflictError) as caught:
        actions.update(mine, item.item_id, version=1, actor="alice", owner="dave")
    err = caught.value
    assert (err.item, err.yours, err.current, err.by) == (f"action item {item.item_id}", 1, 2, "bob")
    assert str(err).startswith(f"action item {item.item_id}: changed by bob at {err.at} (now version 2;")
    assert isinstance(err, toolkit.ConflictError)
    stored = actions.get(ws, item.item_id)
    assert (stored.title, stored.owner, stored.version) == ("Alert at 75% pool use", "Alice Chen", 2)
    with pytest.raises(ConflictError):
        actions.complete(mine, item.item_id, version=1)
    with pytest.raises(ConflictError):
        actions.delete(mine, item.item_id, version=1)


def test_deleted_items_are_gone_but_audited(ws):
    item = _add(ws)
    actions.delete(ws, item.item_id, version=1, actor="bob")
    assert item.item_id not in actions.list_items(ws)["item_id"].to_list()
    assert item.item_id not in ws.table("action_items")["item_id"].to_list()
    with pytest.raises(WorkspaceError, match="no such item"):
        actions.update(ws, item.item_id, version=2, notes="x")


def test_list_items_filters_under_linked_ids(ws):
    _add(ws, title="new one")
    payment = actions.list_items(ws, incident_id=PAYMENT)
    assert payment.height == 7
    assert set(payment.columns) >= {
        "item_id", "incident_id", "title", "owner", "priority", "due_date", "status", "kind", "link",
        "notes", "created_at", "updated_at", "completed_at", "version",
    }  # fmt: skip
    assert payment.schema == actions.ITEM_SCHEMA
    assert actions.list_items(ws, status="done").height == 7
    assert actions.list_items(ws, status=["pending", "in progress"]).height == 8
    assert actions.list_items(ws, status="open").height == 5  # "open" is the alias of pending
    late = actions.list_items(ws, overdue=True, as_of=date(2025, 2, 1))
    # the load tests and the new item (due 01-25); the checklist due 02-01 is not late yet
    assert sorted(late["title"].to_list()) == [
        "Add error scenario to load tests (DB unavailable, slow queries)",
        "new one",
    ]
    assert actions.list_items(ws, overdue=False, as_of=date(2025, 2, 1)).height == 13
    with pytest.raises(ArgumentError, match="status: expected one of pending"):
        actions.list_items(ws, status="finished")


class _Linked(Workspace):
    """A workspace whose timeline links the post-mortem's incident to its war room (as
    ``toolkit.workspace.Workspace.timeline()`` will; only the frames actions read)."""

    def timeline(self) -> SimpleNamespace:
        incidents = self.table("incidents")
        return SimpleNamespace(
            incidents=incidents.filter(pl.col("incident_id") != PAYMENT),
            aliases=pl.DataFrame(
                {
                    "alias": [PAYMENT],
                    "incident_id": [SLACK_PAYMENT],
                    "source": ["postmortem"],
                    "kind": ["record"],
                }
            ),
            roles=self.table("roles"),
            people=self.table("people"),
        )


def test_items_recorded_under_a_per_source_id_show_under_the_linked_id(ws):
    linked = _Linked(ws.path)
    rows = actions.list_items(linked, incident_id=SLACK_PAYMENT)
    assert rows.height == 6
    assert set(rows["incident_id"]) == {SLACK_PAYMENT}
    assert set(rows["source_incident_id"]) == {PAYMENT}
    assert actions.list_items(linked, incident_id=PAYMENT).height == 6  # the alias finds them too
    item = _add(linked, incident_id=PAYMENT, title="recorded under the alias")
    assert (item.incident_id, item.source_incident_id) == (SLACK_PAYMENT, PAYMENT)
    assert actions.incidents_of(linked).participants_of(PAYMENT) == ["Alice Chen", "Bob", "Carol", "Dave"]


def test_the_table_is_plain_sql(ws):
    _add(ws, title="Plain SQL")
    actions.list_items(ws)  # merges the imported items into the store
    with sqlite3.connect(ws.path / "edits.sqlite") as db:
        rows = db.execute(
            "select title, owner, status, due_date from action_items where title = 'Plain SQL'"
        ).fetchall()
        n, done = db.execute("select count(*), sum(status = 'done') from action_items").fetchone()
    assert rows == [("Plain SQL", "Alice Chen", "pending", "2025-01-25")]
    assert (n, done) == (15, 7)


def test_the_table_refuses_bad_values_from_any_writer(ws):
    item = _add(ws)
    with sqlite3.connect(ws.path / "edits.sqlite") as db:
        for sql in (
            "update action_items set status = 'finished' where item_id = ?",
            "update action_items set priority = 'P9' where item_id = ?",
            "update action_items set due_date = '2025-02-30' where item_id = ?",
            "update action_items set title = '  ' where item_id = ?",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                db.execute(sql, (item.item_id,))


def test_workspace_table_reads_the_store(ws):
    imported = ws.table("action_items")
    assert imported.height == 14  # before any action: the imported rows as they are
    item = _add(ws, title="From the store")
    table = ws.table("action_items")
    assert table.height == 15
    assert table.filter(pl.col("item_id") == item.item_id)["title"].to_list() == ["From the store"]
    assert table.schema == toolkit.schema.TABLES["action_items"].schema
    assert "action_items" in ws.names()


def test_unknown_fields_and_bad_versions_are_refused(ws):
    item = _add(ws)
    with pytest.raises(ArgumentError, match=r"cannot change colour; fields: incident_id, title"):
        actions.update(ws, item.item_id, version=1, colour="red")
    with pytest.raises(ArgumentError, match=r"version: expected the item's version \(int\), got '1'"):
        actions.update(ws, item.item_id, version="1", notes="x")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="is pending, not done or cancelled; nothing to reopen"):
        actions.reopen(ws, item.item_id, version=1)
    with pytest.raises(ArgumentError, match="reopen to pending or in_progress, got 'done'"):
        actions.reopen(ws, item.item_id, version=1, status="done")
    with pytest.raises(ArgumentError, match="actor: an edit needs an actor"):
        actions.update(ws, item.item_id, version=1, actor="", notes="x")


def test_reading_an_empty_folder_creates_nothing(tmp_path):
    ws = Workspace(tmp_path / "none")
    assert actions.list_items(ws).height == 0
    assert not ws.path.exists()


def test_actor_defaults_to_the_login_name(ws, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "erin")
    item = actions.add(ws, incident_id=PAYMENT, title="t", owner="bob", priority="P2")
    assert (item.created_by, item.updated_by) == ("erin", "erin")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[actions.due_days]\nP1 = -2\n", "key 'actions.due_days.P1': must be >= 0, got -2"),
        (
            "[actions.due_days]\nP1 = 'ten'\n",
            "key 'actions.due_days.P1': expected a whole number of days, got 'ten'",
        ),
        (
            "[actions.due_days]\nP5 = 3\n",
            "key 'actions.due_days.P5': unknown key; expected one of P0, P1, P2, P3",
        ),
        ("[actions]\ndue = 3\n", "key 'actions.due': unknown key; expected one of due_days"),
    ],
    ids=["negative", "text", "unknown-priority", "unknown-key"],
)
def test_bad_due_days_in_a_policy_name_the_key(tmp_path, toml, message):
    path = tmp_path / "team.toml"
    path.write_text(toml)
    with pytest.raises(toolkit.PolicyError) as caught:
        toolkit.Policy.load(path)
    assert str(caught.value) == f"{path}: {message}"


def test_actions_is_a_lazy_attribute_of_toolkit():
    import subprocess
    import sys

    code = (
        "import sys, toolkit\n"
        "assert 'toolkit.actions' not in sys.modules\n"
        "assert toolkit.actions.add.__module__ == 'toolkit.actions.items'\n"
        "assert toolkit.ConflictError is toolkit.errors.ConflictError\n"
        "assert 'polars' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
