import re
from pathlib import Path

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


def _link(**over):
    row = {"incident_id": "INC-1", "source": "pagerduty", "ref": "P1", "method": "manual", "confidence": 1.0}
    row.update(over)
    return pl.DataFrame([row], schema=schema.TABLES["links"].schema)


def test_edits_persist_with_audit(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.edit("links", _link(), actor="alice")
    assert ws.table("links")["confidence"].to_list() == [1.0]
    # a second analyst opens the workspace and changes the row
    other = Workspace(tmp_path / "ws")
    other.edit("links", _link(confidence=0.5), actor="bob")
    assert ws.table("links")["confidence"].to_list() == [0.5]
    audit = ws.audit()
    assert audit.select("actor", "action").rows() == [("alice", "insert"), ("bob", "update")]
    ws.delete("links", _link().select("incident_id", "source", "ref"), actor="carol")
    assert ws.table("links").height == 0
    assert ws.audit()["action"].to_list()[-1] == "delete"


def test_edit_refuses_non_editable_tables_and_missing_actor(ws):
    with pytest.raises(WorkspaceError, match="not editable"):
        ws.edit("events", schema.empty("events"), actor="a")
    with pytest.raises(WorkspaceError, match=r"action_items.*toolkit\.actions"):
        ws.edit("action_items", schema.empty("action_items"), actor="a")
    with pytest.raises(WorkspaceError, match="needs an actor"):
        ws.edit("links", _link(), actor="")


def test_workspace_path_that_is_a_file(tmp_path):
    f = tmp_path / "ws"
    f.write_text("x")
    with pytest.raises(WorkspaceError, match="is a file, not a workspace folder"):
        Workspace(f)


# ---------------------------------------------------------------- reading, keys, transactions

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def test_reading_a_missing_workspace_creates_nothing(tmp_path):
    ws = Workspace(tmp_path / "typo")
    assert ws.table("events").height == 0
    assert ws.names() == []
    assert (ws.imports().height, ws.audit().height) == (0, 0)
    assert not (tmp_path / "typo").exists()
    with pytest.raises(
        WorkspaceError, match=r"no workspace at .*typo \(ingest something first, or check --workspace\)"
    ):
        Workspace.open(tmp_path / "typo")


def test_scan_is_lazy_and_equals_table(ws, tmp_path, fake_importer):
    ws.ingest(write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"], ["INC-2", 1, "x"]]))
    lf = ws.scan("events")
    assert isinstance(lf, pl.LazyFrame)
    assert lf.filter(pl.col("incident_id") == "INC-2").collect()["text"].to_list() == ["x"]
    assert lf.collect().equals(ws.table("events"))


def _unzip(zip_path: Path, into: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(into)
    return into


@pytest.mark.parametrize(
    ("export", "tables"),
    [
        (
            "slack/acme-slack-export.zip",
            ("slack_channels", "slack_users", "roles", "incidents", "slack_messages"),
        ),
        ("pagerduty", ("pagerduty_incidents", "pagerduty_log_entries", "incidents", "events")),
        ("statuspage", ("statuspage_incidents", "statuspage_updates", "incidents", "events")),
    ],
    ids=["slack-zip-and-folder", "pagerduty-folder-and-zip", "statuspage-folder-and-zip"],
)
def test_the_same_export_in_two_shapes_doubles_no_table(tmp_path, export, tables):
    import shutil

    src = SAMPLE / export
    if src.suffix == ".zip":
        other = _unzip(src, tmp_path / "unzipped")
    else:
        other = Path(shutil.make_archive(str(tmp_path / src.name), "zip", src))
    ws = Workspace(tmp_path / "ws")
    ws.ingest(src)
    once = {t: ws.table(t).height for t in tables}
    ws.ingest(other)
    assert ws.imports().height == 2
    assert {t: ws.table(t).height for t in tables} == once
    assert all(n > 0 for n in once.values())


def test_a_transaction_saves_every_table_or_none(ws):
    link = pl.DataFrame({"incident_id": ["INC-1"], "source": ["slack"], "ref": ["C1"], "method": ["manual"]})
    fix = pl.DataFrame(
        {"source": ["pagerduty"], "ref": ["PX"], "field": ["resolved_at"], "reason": ["clock skew"]}
    )

    def half_done() -> None:
        with ws.transaction(actor="alice") as tx:
            tx.edit("links", link)
            tx.edit("corrections", fix)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        half_done()
    assert ws.table("links").height == ws.table("corrections").height == 0
    with ws.transaction(actor="alice") as tx:
        tx.edit("links", link)
        tx.edit("corrections", fix)
    assert (ws.table("links").height, ws.table("corrections").height) == (1, 1)
    assert ws.audit()["key"].to_list() == [["INC-1", "slack", "C1"], ["pagerduty", "PX", "resolved_at"]]


def test_state_token_changes_with_imports_and_edits(ws, tmp_path, fake_importer):
    empty = ws.state()
    ws.ingest(write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"]]))
    imported = ws.state()
    ws.edit(
        "links",
        pl.DataFrame({"incident_id": ["INC-1"], "source": ["slack"], "ref": ["C1"], "method": ["manual"]}),
        actor="a",
    )
    assert len({empty, imported, ws.state()}) == 3
    assert ws.state() == Workspace(ws.path).state()


def test_older_workspaces_json_keys_are_migrated(tmp_path):
    import sqlite3

    path = tmp_path / "ws"
    path.mkdir()
    db = sqlite3.connect(path / "edits.sqlite")
    db.executescript(
        "CREATE TABLE edits (table_name TEXT NOT NULL, key TEXT NOT NULL, row TEXT, version INTEGER NOT NULL,"
        " updated_at TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (table_name, key));"
        "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,"
        " table_name TEXT NOT NULL, key TEXT NOT NULL, action TEXT NOT NULL, before TEXT, after TEXT);"
    )
    row = '{"incident_id":"INC-1","source":"slack","ref":"C1","method":"manual","confidence":null}'
    db.execute("INSERT INTO edits VALUES ('links', '[\"INC-1\",\"slack\",\"C1\"]', ?, 1, 't', 'a')", (row,))
    db.commit()
    db.close()
    ws = Workspace(path)
    assert ws.table("links")["ref"].to_list() == ["C1"]
    ws.delete(
        "links", pl.DataFrame({"incident_id": ["INC-1"], "source": ["slack"], "ref": ["C1"]}), actor="b"
    )
    assert ws.table("links").height == 0


# ---------------------------------------------------------------- identities that survive a re-export

WARROOM = Path(__file__).resolve().parent / "fixtures" / "slack" / "warroom"


def _renamed_war_room(tmp_path: Path) -> Path:
    """The war-room fixture with channel C11DB renamed (as a later export would show it)."""
    import json
    import shutil

    out = shutil.copytree(WARROOM, tmp_path / "renamed")
    channels = json.loads((out / "channels.json").read_text())
    for c in channels:
        if c["id"] == "C11DB":
            c["name"] = "incident-2025-03-04-db-primary"
    (out / "channels.json").write_text(json.dumps(channels))
    (out / "incident-2025-03-04-db").rename(out / "incident-2025-03-04-db-primary")
    return out


def test_a_renamed_war_room_keeps_its_incident_id_and_edits(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.ingest(WARROOM)
    before = ws.table("incidents").filter(pl.col("ref") == "C11DB")["incident_id"].to_list()
    assert before == ["INC-2025-03-04-db"]
    ws.edit(
        "links",
        pl.DataFrame({"incident_id": before, "source": ["pagerduty"], "ref": ["PX1"], "method": ["manual"]}),
        actor="alice",
    )
    renamed = _renamed_war_room(tmp_path)
    assert toolkit_load_ids(renamed) != before  # the importer alone would give a new id
    ws.ingest(renamed)
    incidents = ws.table("incidents").filter(pl.col("ref") == "C11DB")
    assert incidents["incident_id"].to_list() == before  # one row, the first id kept
    events = ws.table("events").filter(pl.col("ref").str.starts_with("C11DB/"))
    assert set(events["incident_id"]) == set(before)
    assert ws.table("links")["incident_id"].to_list() == before


def toolkit_load_ids(path: Path) -> list[str]:
    from toolkit import load_slack

    return (
        load_slack(path, progress=False).incidents.filter(pl.col("ref") == "C11DB")["incident_id"].to_list()
    )


def test_two_records_proposing_one_id_are_told_apart(tmp_path):
    """A new record proposing an id another record of the same source holds gets '-2'."""
    import sqlite3

    from toolkit.store import ids
    from toolkit.store.edits import connect

    with connect(tmp_path / "e.sqlite") as db:
        first = pl.DataFrame({"source": ["postmortem"], "ref": ["a.md"], "incident_id": ["INC-1"]})
        second = pl.DataFrame({"source": ["postmortem"], "ref": ["b.md"], "incident_id": ["INC-1"]})
        other_source = pl.DataFrame({"source": ["slack"], "ref": ["C1"], "incident_id": ["INC-1"]})
        assert ids.assign(db, first) == {}
        assert ids.assign(db, second) == {"INC-1": "INC-1-2"}
        assert ids.assign(db, other_source) == {}
        assert ids.assign(db, first) == {}
        assert isinstance(db, sqlite3.Connection)
