"""Edited tables in SQLite (WAL): rows people change, with versions and an audit trail.

Two kinds of edited table live here. The generic ones (:data:`EDITABLE`) keep each edited
row as JSON in the ``edits`` table. The plain ones (:data:`SQL_TABLES`) are SQLite tables
of their own, one column per field, owned and written by a higher layer (action items by
:mod:`toolkit.actions`); :func:`sql_overlay` is how the workspace reads them.

An edited row is stored as JSON under its table's key; it overlays the imported row with
the same key (or adds a row, or hides one when deleted). Every change writes an audit
entry (who, when, before, after). Writes happen in one ``BEGIN IMMEDIATE`` transaction
(:class:`Transaction`), so several rows of several tables are saved together or not at
all, and two analysts saving at once never interleave.

Keys are the key columns' values joined by the unit separator ``\\x1f`` (a null is
``\\x00``): the same string in Python (:func:`key_of`) and in polars (:func:`key_expr`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from toolkit import schema
from toolkit.errors import ConflictError, WorkspaceError

__all__ = [
    "EDITABLE",
    "SCHEMA_VERSION",
    "SQL_TABLES",
    "Transaction",
    "connect",
    "key_expr",
    "key_of",
    "now",
    "shown_key",
    "split_key",
    "sql_overlay",
    "sql_table",
]

EDITABLE = ("whys", "links", "corrections")
"""Tables people edit; edits live in SQLite and overlay imported rows with the same key."""

SQL_TABLES = ("action_items",)
"""Tables kept as plain SQLite tables of the same name, one column per field (dates and
timestamps as ISO 8601 text), written by the layer that owns them (``action_items``:
:mod:`toolkit.actions`). :meth:`Workspace.table` lays their rows over the imported rows
with the same key; a row whose ``deleted_at`` column is set hides its key."""

SCHEMA_VERSION = 2
"""``PRAGMA user_version`` of edits.sqlite; 2 = separator-joined keys (1 had JSON lists)."""

_SQL = """
CREATE TABLE IF NOT EXISTS edits (
    table_name TEXT NOT NULL,
    key TEXT NOT NULL,
    row TEXT,                 -- JSON of the row; NULL when deleted
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (table_name, key)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    table_name TEXT NOT NULL,
    key TEXT NOT NULL,
    action TEXT NOT NULL,     -- insert, update, delete
    before TEXT,
    after TEXT
);
CREATE TABLE IF NOT EXISTS import_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    import_id TEXT NOT NULL,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows TEXT NOT NULL,       -- JSON {table: count}
    rejected INTEGER NOT NULL,
    outcome TEXT NOT NULL     -- imported, replaced, unchanged, empty
);
CREATE TABLE IF NOT EXISTS incident_ids (
    source TEXT NOT NULL,
    ref TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (source, ref)
);
CREATE INDEX IF NOT EXISTS incident_ids_by_id ON incident_ids (incident_id);
"""

_SEP, _NULL = "\x1f", "\x00"


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds (how SQLite rows record time)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def key_of(table: str, row: Mapping[str, Any]) -> str:
    """The row's key string (see the module docstring)."""
    return _SEP.join(_NULL if row[k] is None else str(row[k]) for k in schema.TABLES[table].key)


def key_expr(table: str) -> pl.Expr:
    """The same key, computed over a frame (vectorised)."""
    parts = [pl.col(k).cast(pl.String).fill_null(_NULL) for k in schema.TABLES[table].key]
    return pl.concat_str(parts, separator=_SEP)


def split_key(key: pl.Expr) -> pl.Expr:
    """Key strings back into the list of their columns' values (a null stays null)."""
    return key.str.split(_SEP).list.eval(pl.when(pl.element() != _NULL).then(pl.element()))


def shown_key(key: str) -> str:
    """A key for people: ``INC-1/W3`` (parts joined by '/', a null as ``-``)."""
    return "/".join("-" if p == _NULL else p for p in key.split(_SEP))


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` (WAL, 30 s busy timeout), with the tables created and migrated."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA busy_timeout=30000")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            _migrate(db, version)
        yield db
    finally:
        db.close()


def _migrate(db: sqlite3.Connection, version: int) -> None:
    """Create the tables (idempotent) and bring older workspaces' keys to the current encoding."""
    db.executescript(_SQL)
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            for sql_table in ("edits", "audit"):  # version 0/1 wrote keys as JSON lists
                rows = db.execute(f"SELECT rowid, key FROM {sql_table} WHERE key LIKE '[%'").fetchall()
                for rowid, key in rows:
                    new = _SEP.join(_NULL if p is None else str(p) for p in orjson.loads(key))
                    db.execute(f"UPDATE {sql_table} SET key = ? WHERE rowid = ?", (new, rowid))
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


class Transaction:
    """Edits of several tables saved together: every row or none (see :meth:`Workspace.transaction`).

    ``current`` reads a table as it stands (imports with edits laid over); it is called at
    most once per table and only the rows being changed are looked up.
    """

    def __init__(self, db: sqlite3.Connection, actor: str, current: Any) -> None:
        self._db = db
        self.actor = actor
        self._current = current

    def _before(self, name: str, keys: Sequence[str]) -> dict[str, dict[str, Any] | None]:
        """The current state of ``keys`` of table ``name``: edited rows, else imported ones."""
        out: dict[str, dict[str, Any] | None] = {}
        missing: list[str] = []
        for key in keys:
            hit = self._db.execute(
                "SELECT row FROM edits WHERE table_name = ? AND key = ?", (name, key)
            ).fetchone()
            if hit is None:
                missing.append(key)
            else:
                out[key] = None if hit[0] is None else dict(orjson.loads(hit[0]))
        if missing:
            imported = self._current(name, edited=False)
            found = imported.with_columns(_k=key_expr(name)).filter(pl.col("_k").is_in(missing))
            for row in found.iter_rows(named=True):
                k = row.pop("_k")
                out.setdefault(k, orjson.loads(pl.DataFrame([row], schema=imported.schema).write_json())[0])
        return out

    def edit(self, name: str, rows: pl.DataFrame) -> None:
        """Insert or update ``rows`` of table ``name`` by key.

        Rows with a ``version`` column must carry the version they were based on; a newer
        one saved meanwhile raises :class:`~toolkit.errors.ConflictError` (nothing saved).
        """
        _check_editable(name)
        rows = schema.conform(name, rows)
        if "version" in rows.columns:
            rows = rows.with_columns(pl.col("version").fill_null(0))
        schema.validate(name, rows)
        keys = rows.select(key_expr(name)).to_series().to_list()
        before = self._before(name, keys)
        for key, row in zip(keys, rows.iter_rows(named=True), strict=True):
            old = before.get(key)
            if "version" in row:
                have = old["version"] if old else 0
                if old is not None and row["version"] != have:
                    who = self._db.execute(
                        "SELECT actor, updated_at FROM edits WHERE table_name = ? AND key = ?", (name, key)
                    ).fetchone()
                    raise ConflictError(
                        f"{name} {shown_key(key)}",
                        yours=row["version"],
                        current=have,
                        by=who[0] if who else None,
                        at=who[1] if who else None,
                    )
                row = {**row, "version": have + 1}
            after = pl.DataFrame([row], schema=rows.schema).write_json()[1:-1]
            self._put(name, key, after, before=old)

    def delete(self, name: str, keys: pl.DataFrame) -> None:
        """Delete rows of table ``name`` by key (imported rows are hidden, edits removed)."""
        _check_editable(name)
        wanted = keys.select(key_expr(name)).to_series().to_list()
        before = self._before(name, wanted)
        for key in wanted:
            self._put(name, key, None, before=before.get(key))

    def _put(self, name: str, key: str, after: str | None, *, before: Mapping[str, Any] | None) -> None:
        stamp = now()
        self._db.execute(
            "INSERT INTO edits (table_name, key, row, version, updated_at, actor) VALUES (?, ?, ?, 1, ?, ?) "
            "ON CONFLICT (table_name, key) DO UPDATE SET row = excluded.row, "
            "version = edits.version + 1, updated_at = excluded.updated_at, actor = excluded.actor",
            (name, key, after, stamp, self.actor),
        )
        action = "delete" if after is None else ("update" if before else "insert")
        self._db.execute(
            "INSERT INTO audit (at, actor, table_name, key, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (stamp, self.actor, name, key, action, _dump(before), after),
        )


def _check_editable(name: str) -> None:
    if name in SQL_TABLES:
        raise WorkspaceError(
            f"table {name!r} is kept in its own SQLite table; change it with toolkit.actions "
            "(add, update, complete, reopen, delete)"
        )
    if name not in EDITABLE:
        raise WorkspaceError(f"table {name!r} is not editable here; editable tables: {', '.join(EDITABLE)}")


def overlay(db: sqlite3.Connection, name: str, df: pl.LazyFrame) -> pl.LazyFrame:
    """``df`` with table ``name``'s edits laid over it (by key)."""
    rows = db.execute("SELECT key, row FROM edits WHERE table_name = ?", (name,)).fetchall()
    if not rows:
        return df
    edited = pl.DataFrame({"_k": [k for k, _ in rows]}, schema={"_k": pl.String}).lazy()
    kept = df.with_columns(_k=key_expr(name)).join(edited, on="_k", how="anti").drop("_k")
    live = [r for _, r in rows if r is not None]
    if not live:
        return kept
    edits = pl.read_json(("[" + ",".join(live) + "]").encode(), schema=schema.TABLES[name].schema)
    return pl.concat([kept, edits.lazy()], how="diagonal_relaxed")


_SQL_DTYPES = {"INTEGER": pl.Int64(), "BOOLEAN": pl.Int64(), "REAL": pl.Float64()}


def sql_table(db: sqlite3.Connection, name: str) -> pl.DataFrame | None:
    """Plain SQLite table ``name`` as a frame, or None when the database has no such table.

    Columns the schema declares get its dtypes (ISO 8601 text read as dates and UTC
    timestamps); other columns keep their SQLite type (INTEGER, REAL, BOOLEAN, else text).
    """
    info = db.execute("SELECT name, upper(type) FROM pragma_table_info(?)", (name,)).fetchall()
    if not info:
        return None
    quoted = ", ".join(f'"{c}"' for c, _ in info)
    raw = pl.DataFrame(
        db.execute(f'SELECT {quoted} FROM "{name}"').fetchall(),
        schema={c: _SQL_DTYPES.get(t, pl.String()) for c, t in info},
        orient="row",
    )
    declared = schema.TABLES[name].schema
    typed: list[pl.Expr] = []
    for c, sql_type in info:
        dtype = declared.get(c, pl.Boolean() if sql_type == "BOOLEAN" else None)
        if isinstance(dtype, pl.Datetime):
            typed.append(pl.col(c).str.to_datetime(time_unit="us", time_zone="UTC"))
        elif isinstance(dtype, pl.Date):
            typed.append(pl.col(c).str.to_date("%Y-%m-%d"))
        else:
            typed.append(pl.col(c) if dtype is None else pl.col(c).cast(dtype))
    return raw.select(typed)


def sql_overlay(db: sqlite3.Connection, name: str, df: pl.LazyFrame) -> pl.LazyFrame:
    """``df`` (imported rows) with plain SQLite table ``name``'s rows laid over it by key."""
    rows = sql_table(db, name)
    if rows is None or rows.is_empty():
        return df
    key = list(schema.TABLES[name].key)
    kept = df.join(rows.lazy().select(key), on=key, how="anti")
    if "deleted_at" in rows.columns:
        rows = rows.filter(pl.col("deleted_at").is_null())
    return pl.concat([kept, rows.lazy().select(list(schema.TABLES[name].schema))], how="vertical_relaxed")


def _dump(row: Mapping[str, Any] | None) -> str | None:
    return None if row is None else orjson.dumps(row, default=str).decode()
