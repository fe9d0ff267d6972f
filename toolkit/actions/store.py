"""The action-item store: a plain SQLite table ``action_items`` in the workspace's ``edits.sqlite``.

One column per field, so ``sqlite3 workspace/edits.sqlite "select title, owner, status from
action_items"``, DuckDB and Datasette read it as it is. Dates are ``YYYY-MM-DD`` text,
timestamps ISO 8601 UTC text; CHECK constraints keep status, priority and dates valid
whoever writes. Besides the schema's fields each row records who created and last changed
it, ``removed_from_source`` (imported, and its document no longer lists it), ``deleted_at``
(deleted in the toolkit: hidden, kept for the audit trail and so a re-import does not bring
it back) and ``imported`` (JSON: the fields as the document last gave them, for merging).

Every change is one ``BEGIN IMMEDIATE`` transaction that bumps the row's ``version`` and
writes an entry (who, when, before, after) to the workspace's ``audit`` table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import orjson
import polars as pl

from toolkit.actions.model import ITEM_SCHEMA
from toolkit.errors import ArgumentError, ConflictError, WorkspaceError
from toolkit.store import Workspace
from toolkit.store.edits import connect, now, sql_table

__all__ = ["COLUMNS", "DDL", "TABLE", "Writer", "from_sql", "item_frame", "reading", "to_sql", "writing"]

TABLE = "action_items"

DDL = """
CREATE TABLE IF NOT EXISTS action_items (
    item_id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    owner TEXT,
    priority TEXT CHECK (priority IN ('P0', 'P1', 'P2', 'P3')),
    due_date TEXT CHECK (due_date IS NULL OR date(due_date, '+0 days') IS due_date),
    status TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'done', 'cancelled')),
    kind TEXT,
    link TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT,
    version INTEGER NOT NULL CHECK (version >= 1),
    source TEXT NOT NULL,
    ref TEXT,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    removed_from_source BOOLEAN NOT NULL DEFAULT 0,
    deleted_at TEXT,
    imported TEXT
);
CREATE INDEX IF NOT EXISTS action_items_by_incident ON action_items (incident_id);
CREATE TABLE IF NOT EXISTS action_items_sync (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,      -- the imports whose action items are merged (see toolkit.actions.sync)
    at TEXT NOT NULL
);
"""

COLUMNS = (
    *(c for c in ITEM_SCHEMA.names() if c != "source_incident_id"),
    "deleted_at",
    "imported",
)
"""Columns of the SQLite table, in order (``incident_id`` is the id as recorded)."""

_DATES = {"due_date"}
_TIMES = {"created_at", "updated_at", "completed_at", "deleted_at"}


def to_sql(row: Mapping[str, Any]) -> dict[str, Any]:
    """Python values (dates, aware datetimes, bools) as the table stores them."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        if v is None:
            out[k] = None
        elif k in _TIMES:
            out[k] = v.astimezone(UTC).isoformat(timespec="microseconds") if isinstance(v, datetime) else v
        elif k in _DATES:
            out[k] = v.isoformat() if isinstance(v, date) else v
        elif k == "removed_from_source":
            out[k] = int(bool(v))
        else:
            out[k] = v
    return out


def from_sql(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as Python values (the inverse of :func:`to_sql`)."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        if v is None:
            out[k] = None
        elif k in _TIMES:
            out[k] = datetime.fromisoformat(v).astimezone(UTC)
        elif k in _DATES:
            out[k] = date.fromisoformat(v)
        elif k == "removed_from_source":
            out[k] = bool(v)
        else:
            out[k] = v
    return out


def _prepare(db: sqlite3.Connection) -> None:
    if not db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'action_items_sync'"
    ).fetchone():
        db.executescript(DDL)


@contextmanager
def reading(ws: Workspace) -> Iterator[sqlite3.Connection | None]:
    """A connection to read the store, or None when the workspace has no database yet."""
    path = ws.path / "edits.sqlite"
    if not path.is_file():
        yield None
        return
    with connect(path) as db:
        _prepare(db)
        yield db


@contextmanager
def writing(ws: Workspace, *, actor: str) -> Iterator[Writer]:
    """One write transaction (``BEGIN IMMEDIATE``): every change in it is saved, or none."""
    if not actor:
        raise ArgumentError("actor: an edit needs an actor (who made it) for the audit trail")
    ws.path.mkdir(parents=True, exist_ok=True)
    with connect(ws.path / "edits.sqlite") as db:
        _prepare(db)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield Writer(db, actor)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def item_frame(db: sqlite3.Connection | None, *, deleted: bool = False) -> pl.DataFrame:
    """Every stored item (typed as :data:`~toolkit.actions.model.ITEM_SCHEMA`, plus ``deleted_at``
    and ``imported``); deleted items only with ``deleted``."""
    rows = None if db is None else sql_table(db, TABLE)
    if rows is None:
        rows = pl.DataFrame(
            schema={**ITEM_SCHEMA, "deleted_at": pl.Datetime("us", "UTC"), "imported": pl.String}
        )
        rows = rows.drop("source_incident_id")
    if not deleted:
        rows = rows.filter(pl.col("deleted_at").is_null())
    return rows.with_columns(source_incident_id=pl.col("incident_id"))


class Writer:
    """Changes to the store inside one transaction, each audited (see :func:`writing`)."""

    def __init__(self, db: sqlite3.Connection, actor: str) -> None:
        self.db = db
        self.actor = actor

    def get(self, item_id: str) -> dict[str, Any] | None:
        """The stored row of ``item_id`` (as stored: text dates), deleted or not; None if absent."""
        cur = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM action_items WHERE item_id = ?", (item_id,))
        hit = cur.fetchone()
        return None if hit is None else dict(zip(COLUMNS, hit, strict=True))

    def rows(self) -> dict[str, dict[str, Any]]:
        """Every stored row (as stored), by item id."""
        cur = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM action_items")
        return {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in cur.fetchall()}

    def current(self, item_id: str, *, version: int) -> dict[str, Any]:
        """The live row of ``item_id`` if it is at ``version``; else ConflictError (or unknown item)."""
        row = self.get(item_id)
        if row is None or row["deleted_at"] is not None:
            raise WorkspaceError(
                f"action item {item_id}: no such item in this workspace (deleted or never added)"
            )
        if row["version"] != version:
            raise ConflictError(
                f"action item {item_id}",
                yours=version,
                current=row["version"],
                by=row["updated_by"],
                at=row["updated_at"],
            )
        return row

    def insert(self, row: Mapping[str, Any], *, actor: str | None = None) -> dict[str, Any]:
        """Add a new row (stored values; ``version`` 1), audited as an insert."""
        who = actor or self.actor
        stamp = now()
        full = {c: None for c in COLUMNS} | {"removed_from_source": 0} | dict(row)
        full |= {"version": 1, "created_by": full["created_by"] or who, "updated_by": who}
        full["created_at"] = full["created_at"] or stamp
        full["updated_at"] = full["updated_at"] or full["created_at"]
        self.db.execute(
            f"INSERT INTO action_items ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
            [full[c] for c in COLUMNS],
        )
        self._audit(full["item_id"], "insert", None, full, who, stamp)
        return full

    def change(
        self,
        before: Mapping[str, Any],
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
        stamp: str | None = None,
    ) -> dict[str, Any]:
        """Apply ``changes`` (stored values) to ``before`` (a row read in this transaction).

        Bumps the version and ``updated_at`` (to ``stamp``, default now); a status moving to
        done sets ``completed_at``, one moving away from done clears it; setting
        ``deleted_at`` is audited as a delete. Nothing is written when nothing changes.
        """
        diff = {k: v for k, v in changes.items() if before.get(k) != v}
        if not diff:
            return dict(before)
        who = actor or self.actor
        stamp = stamp or now()
        if "status" in diff:
            if diff["status"] == "done":
                diff.setdefault("completed_at", stamp)
            elif before["status"] == "done":
                diff["completed_at"] = None
        after = {**before, **diff, "version": before["version"] + 1, "updated_at": stamp, "updated_by": who}
        sets = ", ".join(f"{c} = ?" for c in COLUMNS if c != "item_id")
        cur = self.db.execute(
            f"UPDATE action_items SET {sets} WHERE item_id = ? AND version = ?",
            [*(after[c] for c in COLUMNS if c != "item_id"), before["item_id"], before["version"]],
        )
        if cur.rowcount != 1:  # pragma: no cover - the row was read in this transaction
            raise WorkspaceError(f"action item {before['item_id']}: changed while being saved; try again")
        action = "delete" if diff.get("deleted_at") else "update"
        self._audit(before["item_id"], action, before, after, who, stamp)
        return after

    def _audit(
        self,
        item_id: str,
        action: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any],
        who: str,
        at: str,
    ) -> None:
        self.db.execute(
            "INSERT INTO audit (at, actor, table_name, key, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (at, who, TABLE, item_id, action, _json(before), _json(after)),
        )

    def token(self) -> str | None:
        """The imports last merged (see :mod:`toolkit.actions.sync`)."""
        hit = self.db.execute("SELECT token FROM action_items_sync WHERE id = 1").fetchone()
        return None if hit is None else str(hit[0])

    def set_token(self, token: str) -> None:
        """Record that the imports ``token`` names are merged."""
        self.db.execute(
            "INSERT INTO action_items_sync (id, token, at) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET token = excluded.token, at = excluded.at",
            (token, now()),
        )


def _json(row: Mapping[str, Any] | None) -> str | None:
    if row is None:
        return None
    return orjson.dumps({k: v for k, v in row.items() if k != "imported"}).decode()
