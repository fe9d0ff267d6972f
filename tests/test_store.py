import re
from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import polars as pl
import pytest

from tests.conftest import write_fake
from toolkit import schema
from toolkit.errors import UnknownSourceError, WorkspaceError
from toolkit.store import Workspace, sha256_of


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path / "ws")


def test_ingest_reports_file_hash_rows_and_rejections(ws, tmp_path, fake_importer):
    f = write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"], ["INC-1", 5, "declared"], "junk"])
    report = ws.ingest(f)
    assert report.source == "manual"
    assert report.sha256 == sha256_of(f)
    assert report.rows == {"events": 2, "links": 2}
    assert report.rows_rejected == 1
    assert report.rejected.row(0, named=True) == {
        "source": "manual",
        "file": str(f),
        "record": 2,
        "incident_id": None,
        "field": "minute",
        "reason": "expected [incident_id, minute, text]",
    }
    assert report.notes == ("fake importer",)
    assert report.outcome == "imported"
    assert ws.table("events").height == 2
    assert ws.rejected().height == 1
    assert "| " + str(f) + " | 2 | minute | expected [incident_id, minute, text] |" in report.to_markdown()


def test_reingest_is_idempotent(ws, tmp_path, fake_importer):
    f = write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"], ["INC-1", 5, "declared"]])
    first = ws.ingest(f)
    before = ws.table("events")
    again = ws.ingest(f)
    assert again.outcome == "unchanged"
    forced = ws.ingest(f, force=True)
    assert forced.outcome == "replaced"
    assert ws.table("events").equals(before)
    assert ws.imports().height == 1
    assert ws.import_log()["outcome"].to_list() == ["imported", "unchanged", "replaced"]
    assert first.import_id == again.import_id == forced.import_id


def test_same_bytes_under_two_names_is_one_import(ws, tmp_path, fake_importer):
    rows = [["INC-1", 0, "alert"]]
    ws.ingest(write_fake(tmp_path / "a.fake", rows))
    ws.ingest(write_fake(tmp_path / "b.fake", rows))
    assert ws.imports().height == 1


def test_changed_file_replaces_its_older_import(ws, tmp_path, fake_importer):
    f = write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"]])
    ws.ingest(f)
    write_fake(f, [["INC-1", 0, "alert"], ["INC-1", 9, "resolved"]])
    report = ws.ingest(f)
    assert report.outcome == "replaced"
    assert ws.imports().height == 1
    assert ws.table("events")["text"].to_list() == ["alert", "resolved"]


def test_failure_mid_ingest_leaves_previous_state_intact(ws, tmp_path, fake_importer, monkeypatch):
    f = write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"]])
    ws.ingest(f)
    before = ws.table("events")
    write_fake(f, [["INC-1", 0, "alert"], ["INC-1", 9, "resolved"]])
    calls = {"n": 0}
    real = pl.DataFrame.write_parquet

    def flaky(self, file, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second table of the import
            raise OSError("disk full")
        return real(self, file, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_parquet", flaky)
    with pytest.raises(OSError, match="disk full"):
        ws.ingest(f)
    monkeypatch.undo()
    assert ws.table("events").equals(before)
    assert ws.imports().height == 1
    assert not any((ws.path / ".staging").iterdir())


def test_failure_while_swapping_restores_previous_import(ws, tmp_path, fake_importer, monkeypatch):
    f = write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"]])
    ws.ingest(f)
    before = ws.table("events")
    write_fake(f, [["INC-1", 3, "changed"]])
    from pathlib import Path

    real = Path.rename

    def failing_rename(self, target):
        if ".staging" in str(self):
            raise OSError("crash during rename")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="crash during rename"):
        ws.ingest(f)
    monkeypatch.undo()
    assert ws.table("events").equals(before)


def test_tables_are_parquet_readable_in_place_by_duckdb(ws, tmp_path, fake_importer):
    ws.ingest(write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"], ["INC-2", 1, "x"]]))
    glob = str(ws.path / "imports" / "*" / "events.parquet")
    assert duckdb.sql(f"select count(*) from read_parquet('{glob}')").fetchall() == [(2,)]


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_every_table_reads_even_when_empty_and_converts_to_pandas(ws, name):
    df = ws.table(name)
    assert df.schema == schema.TABLES[name].schema
    assert isinstance(df.to_pandas(), pd.DataFrame)


def test_unknown_table_and_source_errors(ws, tmp_path, fake_importer):
    with pytest.raises(WorkspaceError, match="no table 'nope'"):
        ws.table("nope")
    f = tmp_path / "mystery.bin"
    f.write_bytes(b"\0\1")
    with pytest.raises(UnknownSourceError, match=re.escape("mystery.bin: cannot tell which export this is")):
        ws.ingest(f)
    with pytest.raises(WorkspaceError, match="no such file or folder"):
        ws.ingest(tmp_path / "missing.fake")


def _item(**over):
    row = {
        "item_id": "INC-1-AI1",
        "incident_id": "INC-1",
        "title": "Add pool alert",
        "owner": "SRE Team",
        "priority": "P0",
        "due_date": date(2025, 1, 18),
        "status": "pending",
        "kind": None,
        "created_at": datetime(2025, 1, 16, tzinfo=UTC),
        "completed_at": None,
        "version": 0,
    }
    row.update(over)
    return pl.DataFrame([row], schema=schema.TABLES["action_items"].schema)


def test_edits_persist_with_versions_and_audit(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.edit("action_items", _item(), actor="alice")
    stored = ws.table("action_items")
    assert stored["version"].to_list() == [1]
    # a second analyst opens the workspace and saves based on version 1
    other = Workspace(tmp_path / "ws")
    other.edit("action_items", _item(status="done", version=1), actor="bob")
    assert ws.table("action_items").select("status", "version").row(0) == ("done", 2)
    # alice still holds version 1: her save is refused, nothing written
    with pytest.raises(
        WorkspaceError, match=r'action_items \["INC-1-AI1"\]: changed by someone else meanwhile'
    ):
        ws.edit("action_items", _item(status="in_progress", version=1), actor="alice")
    assert ws.table("action_items")["status"].to_list() == ["done"]
    audit = ws.audit()
    assert audit.select("actor", "action").rows() == [("alice", "insert"), ("bob", "update")]
    ws.delete("action_items", pl.DataFrame({"item_id": ["INC-1-AI1"]}), actor="carol")
    assert ws.table("action_items").height == 0
    assert ws.audit()["action"].to_list()[-1] == "delete"


def test_edit_refuses_non_editable_tables_and_missing_actor(ws):
    with pytest.raises(WorkspaceError, match="not editable"):
        ws.edit("events", schema.empty("events"), actor="a")
    with pytest.raises(WorkspaceError, match="needs an actor"):
        ws.edit("action_items", _item(), actor="")


def test_workspace_path_that_is_a_file(tmp_path):
    f = tmp_path / "ws"
    f.write_text("x")
    with pytest.raises(WorkspaceError, match="is a file, not a workspace folder"):
        Workspace(f)
