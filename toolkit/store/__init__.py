"""The workspace: imported tables as Parquet, edited tables in SQLite, every import logged.

Layout of a workspace folder::

    workspace/
      imports/<source>-<sha256[:16]>/    one folder per imported export (atomic: staged, then renamed)
        manifest.json                     file, sha256, source, counts, notes, when
        <table>.parquet                   each table the export fills (read in place by DuckDB/Spark:
                                          read_parquet('workspace/imports/*/events.parquet'))
        rejected.parquet                  records the importer could not read, kept aside
      edits.sqlite                        WAL: edited rows (action_items, whys, links, corrections),
                                          their audit trail, and the import log

Re-ingesting the same bytes replaces that import with identical content (idempotent);
ingesting a changed file at a path already ingested replaces the older import of that path.
An import that fails half-way leaves the previous state untouched: everything is written
to a staging folder first and moved into place with one rename.

Examples
--------
>>> ws = Workspace("workspace")                                    # doctest: +SKIP
>>> report = ws.ingest("data/sample/pagerduty")                    # doctest: +SKIP
>>> ws.table("pagerduty_log_entries").to_pandas()                                  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC as _UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from toolkit import importers, schema
from toolkit._version import __version__
from toolkit.errors import SchemaError, WorkspaceError
from toolkit.policy import Policy
from toolkit.schema import Source

__all__ = ["EDITABLE", "ENV_WORKSPACE", "ImportReport", "Workspace", "sha256_of"]

ENV_WORKSPACE = "INCIDENT_TOOLKIT_WORKSPACE"
"""Environment variable naming the default workspace folder (else ``./workspace``)."""

EDITABLE = ("action_items", "whys", "links", "corrections")
"""Tables people edit; edits live in SQLite and overlay imported rows with the same key."""

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
    outcome TEXT NOT NULL     -- imported, replaced, unchanged
);
"""


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, or of a folder (its files' relative paths and bytes, sorted)."""
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        if path.is_dir():
            rel = f.relative_to(path).as_posix()
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            h.update(rel.encode() + b"\0")
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class ImportReport:
    """What one ingest did: file, hash, rows per table, rejections and notes."""

    path: str
    source: Source
    sha256: str
    import_id: str
    rows: Mapping[str, int]
    rejected: pl.DataFrame
    notes: tuple[str, ...] = ()
    outcome: str = "imported"  # imported, replaced, unchanged
    seconds: float = 0.0

    @property
    def rows_read(self) -> int:
        """Rows written across all tables."""
        return sum(self.rows.values())

    @property
    def rows_rejected(self) -> int:
        """Records kept aside as rejected."""
        return self.rejected.height

    def summary(self) -> str:
        """One line for people."""
        counts = ", ".join(f"{n:,} {t}" for t, n in self.rows.items() if n)
        return (
            f"{self.path} [{self.source}] {self.outcome}: {counts or 'no rows'}; "
            f"{self.rows_rejected:,} rejected; sha256 {self.sha256[:12]}"
        )

    def to_markdown(self) -> str:
        """The report as Markdown: counts, notes and every rejection with its reason."""
        lines = [
            f"### `{self.path}` ({self.source}, {self.outcome})",
            "",
            f"- sha256: `{self.sha256}`",
        ]
        lines += [f"- {t}: {n:,} rows" for t, n in self.rows.items()]
        lines.append(f"- rejected: {self.rows_rejected:,}")
        lines += [f"- note: {n}" for n in self.notes]
        if self.rows_rejected:
            lines += ["", "| file | record | field | reason |", "|---|---|---|---|"]
            for r in self.rejected.iter_rows(named=True):
                rec = "" if r["record"] is None else r["record"]
                lines.append(f"| {r['file']} | {rec} | {r['field'] or ''} | {r['reason']} |")
        return "\n".join(lines) + "\n"


def _now() -> str:
    return datetime.now(_UTC).isoformat(timespec="microseconds")


def _key_of(table: str, row: Mapping[str, Any]) -> str:
    """The row's key as a JSON list of strings (editable tables have string keys only)."""
    return orjson.dumps([row[k] for k in schema.TABLES[table].key]).decode()


def _key_expr(table: str) -> pl.Expr:
    """The same key, computed over a frame."""
    parts = [pl.col(k).cast(pl.String) for k in schema.TABLES[table].key]
    return pl.concat_list(parts).map_elements(
        lambda v: orjson.dumps(list(v)).decode(), return_dtype=pl.String
    )


class Workspace:
    """A folder holding imported tables (Parquet) and edited tables (SQLite, WAL).

    Parameters
    ----------
    path
        The workspace folder; created on first use.
    policy
        The policy importers use (default: the shipped one).
    """

    def __init__(self, path: str | Path | None = None, *, policy: Policy | None = None) -> None:
        self.path = Path(path if path is not None else os.environ.get(ENV_WORKSPACE, "workspace"))
        self.policy = policy or Policy.default()
        if self.path.exists() and not self.path.is_dir():
            raise WorkspaceError(
                f"{self.path}: is a file, not a workspace folder; choose another --workspace"
            )
        (self.path / "imports").mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SQL)

    # -- SQLite -----------------------------------------------------------------
    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path / "edits.sqlite", timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    # -- importing ----------------------------------------------------------------
    def ingest(
        self,
        path: str | Path,
        source: Source | str | None = None,
        *,
        strict: bool = False,
        force: bool = False,
    ) -> ImportReport:
        """Import one export (file, folder or zip) and return its :class:`ImportReport`.

        The source is detected when not given. Re-ingesting identical bytes is a no-op
        (``outcome="unchanged"``) unless ``force``; a changed file at a path already
        ingested replaces the older import. Nothing changes if the import fails.
        """
        started = time.perf_counter()
        path = Path(path)
        if not path.exists():
            raise WorkspaceError(f"{path}: no such file or folder; check the path you passed to ingest")
        src = Source(source) if source is not None else importers.detect(path)
        importer = importers.get(src)
        digest = sha256_of(path)
        import_id = f"{src.value}-{digest[:16]}"
        final = self.path / "imports" / import_id
        abspath = str(path.resolve())
        if final.exists() and not force:
            manifest = orjson.loads((final / "manifest.json").read_bytes())
            if manifest.get("toolkit_version") == __version__:
                report = self._report_from(final, manifest, outcome="unchanged", path=str(path))
                self._log(report)
                return report
        loaded = importer.load(path, strict=strict, policy=self.policy)
        tables = dict(loaded.tables())
        for name, df in tables.items():
            if name not in schema.TABLES:
                raise SchemaError(
                    name, None, f"the {src.value} importer returned a table the schema does not declare"
                )
            schema.validate(name, df, extra=False)
        rejected = loaded.rejected
        rows = {name: df.height for name, df in tables.items()}
        manifest = {
            "import_id": import_id,
            "source": src.value,
            "path": abspath,
            "sha256": digest,
            "rows": rows,
            "rejected": rejected.height,
            "notes": list(loaded.notes),
            "imported_at": _now(),
            "toolkit_version": __version__,
        }
        outcome = self._commit(import_id, abspath, src, tables, rejected, manifest)
        report = ImportReport(
            path=str(path),
            source=src,
            sha256=digest,
            import_id=import_id,
            rows=rows,
            rejected=rejected,
            notes=tuple(loaded.notes),
            outcome=outcome,
            seconds=time.perf_counter() - started,
        )
        self._log(report)
        return report

    def _commit(
        self,
        import_id: str,
        abspath: str,
        source: Source,
        tables: Mapping[str, pl.DataFrame],
        rejected: pl.DataFrame,
        manifest: Mapping[str, Any],
    ) -> str:
        staging = self.path / ".staging" / f"{import_id}-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        try:
            for name, df in tables.items():
                df.write_parquet(staging / f"{name}.parquet")
            rejected.write_parquet(staging / "rejected.parquet")
            (staging / "manifest.json").write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
            # Older imports this one supersedes: the same bytes, or the same path and source.
            superseded = [
                d
                for d in self._import_dirs()
                if d.name == import_id
                or (d.name.startswith(f"{source.value}-") and self._manifest(d).get("path") == abspath)
            ]
            trash = self.path / ".trash" / uuid.uuid4().hex
            trash.mkdir(parents=True)
            for d in superseded:
                d.rename(trash / d.name)
            try:
                staging.rename(self.path / "imports" / import_id)
            except BaseException:
                for d in superseded:  # put the previous state back
                    (trash / d.name).rename(self.path / "imports" / d.name)
                raise
            shutil.rmtree(trash, ignore_errors=True)
            return "replaced" if superseded else "imported"
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _log(self, report: ImportReport) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO import_log (at, import_id, source, path, sha256, rows, rejected, outcome) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    report.import_id,
                    report.source.value,
                    report.path,
                    report.sha256,
                    orjson.dumps(dict(report.rows)).decode(),
                    report.rows_rejected,
                    report.outcome,
                ),
            )

    def _report_from(
        self, folder: Path, manifest: Mapping[str, Any], *, outcome: str, path: str
    ) -> ImportReport:
        rejected_file = folder / "rejected.parquet"
        return ImportReport(
            path=path,
            source=Source(manifest["source"]),
            sha256=manifest["sha256"],
            import_id=manifest["import_id"],
            rows=manifest["rows"],
            rejected=pl.read_parquet(rejected_file) if rejected_file.exists() else schema.empty("rejected"),
            notes=tuple(manifest.get("notes", ())),
            outcome=outcome,
        )

    def _import_dirs(self) -> list[Path]:
        dirs = [d for d in (self.path / "imports").iterdir() if (d / "manifest.json").exists()]
        return sorted(dirs, key=lambda d: (self._manifest(d).get("imported_at", ""), d.name))

    @staticmethod
    def _manifest(folder: Path) -> dict[str, Any]:
        data: dict[str, Any] = orjson.loads((folder / "manifest.json").read_bytes())
        return data

    def imports(self) -> pl.DataFrame:
        """The imports now in the workspace: id, source, path, sha256, rows, rejected, when."""
        rows = [
            {
                "import_id": m["import_id"],
                "source": m["source"],
                "path": m["path"],
                "sha256": m["sha256"],
                "rows": sum(m["rows"].values()),
                "rejected": m["rejected"],
                "imported_at": m["imported_at"],
            }
            for m in (self._manifest(d) for d in self._import_dirs())
        ]
        return pl.DataFrame(
            rows,
            schema={
                "import_id": pl.String,
                "source": pl.String,
                "path": pl.String,
                "sha256": pl.String,
                "rows": pl.Int64,
                "rejected": pl.Int64,
                "imported_at": pl.String,
            },
        )

    def import_log(self) -> pl.DataFrame:
        """Every ingest ever run on this workspace, newest last (including no-ops)."""
        with self._db() as db:
            cur = db.execute(
                "SELECT at, import_id, source, path, sha256, rows, rejected, outcome FROM import_log ORDER BY id"
            )
            cols = [c[0] for c in cur.description]
            data = cur.fetchall()
        return pl.DataFrame(
            data, schema=dict.fromkeys(cols, pl.String) | {"rejected": pl.Int64}, orient="row"
        )

    def rejected(self) -> pl.DataFrame:
        """Every record the imports in this workspace kept aside, with the import it came from."""
        frames = [
            pl.read_parquet(d / "rejected.parquet").with_columns(import_id=pl.lit(d.name))
            for d in self._import_dirs()
            if (d / "rejected.parquet").exists()
        ]
        if not frames:
            return schema.empty("rejected").with_columns(import_id=pl.lit(None, pl.String))
        return pl.concat(frames, how="diagonal_relaxed")

    # -- reading ------------------------------------------------------------------
    def names(self) -> list[str]:
        """Names of the tables that have rows in this workspace (imported or edited)."""
        found = {f.stem for d in self._import_dirs() for f in d.glob("*.parquet") if f.stem != "rejected"}
        with self._db() as db:
            found |= {r[0] for r in db.execute("SELECT DISTINCT table_name FROM edits")}
        return sorted(found)

    def table(self, name: str) -> pl.DataFrame:
        """Table ``name``: every import's rows (later imports win on the key), then edits laid over.

        Schema tables come back with their schema's columns and dtypes even when empty;
        ``.to_pandas()`` works on every one.
        """
        files = [d / f"{name}.parquet" for d in self._import_dirs() if (d / f"{name}.parquet").exists()]
        known = schema.TABLES.get(name)
        if not files and known is None and name not in self.names():
            raise WorkspaceError(
                f"{self.path}: no table {name!r}; tables here: {', '.join(self.names()) or 'none (ingest something first)'}"
            )
        frames = [pl.read_parquet(f) for f in files]
        if known is not None:
            frames.insert(0, schema.empty(name))
        df = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()
        if known is not None and known.key and df.height:
            df = df.unique(subset=list(known.key), keep="last", maintain_order=True)
        if name in EDITABLE:
            df = self._overlay(name, df)
        return df

    def _overlay(self, name: str, df: pl.DataFrame) -> pl.DataFrame:
        with self._db() as db:
            rows = db.execute("SELECT key, row FROM edits WHERE table_name = ?", (name,)).fetchall()
        if not rows:
            return df
        edited_keys = pl.DataFrame({"_k": [k for k, _ in rows]}, schema={"_k": pl.String})
        if df.height:
            df = df.with_columns(_k=_key_expr(name)).join(edited_keys, on="_k", how="anti").drop("_k")
        live = [r for _, r in rows if r is not None]
        if live:
            edits = pl.read_json(("[" + ",".join(live) + "]").encode(), schema=schema.TABLES[name].schema)
            df = pl.concat([df, edits], how="diagonal_relaxed")
        return df

    def incidents(self) -> pl.DataFrame:
        """All sources' incidents, earliest first (``table("incidents")`` sorted)."""
        df = self.table("incidents")
        return (
            df.with_columns(_t=pl.coalesce("started_at", "detected_at", "declared_at", "resolved_at"))
            .sort("_t", "incident_id", nulls_last=True)
            .drop("_t")
        )

    # -- editing ------------------------------------------------------------------
    def edit(self, name: str, rows: pl.DataFrame, *, actor: str) -> None:
        """Insert or update rows of an editable table, by its key, with an audit entry each.

        For tables with a ``version`` column (action items) an update must carry the
        version it was based on; if someone saved a newer one meanwhile, nothing is
        written and :class:`WorkspaceError` says which row to reload.
        """
        table = schema.TABLES.get(name)
        rows = rows.select(
            [
                pl.col(c.name).cast(c.dtype)
                if c.name in rows.columns
                else pl.lit(None, c.dtype).alias(c.name)
                for c in (table.columns if table else ())
            ]
        )
        if "version" in rows.columns:
            rows = rows.with_columns(pl.col("version").fill_null(0))
        with self._writing(name, actor) as (db, current):
            schema.validate(name, rows)
            for row in rows.iter_rows(named=True):
                key = _key_of(name, row)
                before = self._current_row(db, name, key, current)
                if "version" in row:
                    have = before["version"] if before else 0
                    if before is not None and row["version"] != have:
                        raise WorkspaceError(
                            f"{name} {key}: changed by someone else meanwhile "
                            f"(version {have}, your edit is based on {row['version']}); reload and edit again"
                        )
                    row = {**row, "version": have + 1}
                after = pl.DataFrame([row], schema=rows.schema).write_json()[1:-1]
                _put(db, name, key, after, before=before, actor=actor)

    def delete(self, name: str, keys: pl.DataFrame, *, actor: str) -> None:
        """Delete rows of an editable table by key (imported rows are hidden, edits removed)."""
        with self._writing(name, actor) as (db, current):
            for row in keys.iter_rows(named=True):
                key = _key_of(name, row)
                _put(db, name, key, None, before=self._current_row(db, name, key, current), actor=actor)

    @contextmanager
    def _writing(self, name: str, actor: str) -> Iterator[tuple[sqlite3.Connection, pl.DataFrame]]:
        """One write transaction on an editable table: all rows or none are saved."""
        if name not in EDITABLE:
            raise WorkspaceError(f"table {name!r} is not editable; editable tables: {', '.join(EDITABLE)}")
        if not actor:
            raise WorkspaceError("an edit needs an actor (who made it) for the audit trail")
        current = self.table(name)
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db, current
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    @staticmethod
    def _current_row(
        db: sqlite3.Connection, name: str, key: str, current: pl.DataFrame
    ) -> dict[str, Any] | None:
        hit = db.execute("SELECT row FROM edits WHERE table_name = ? AND key = ?", (name, key)).fetchone()
        if hit is not None:
            return None if hit[0] is None else dict(orjson.loads(hit[0]))
        if not current.height:
            return None
        match = current.filter(_key_expr(name) == key)
        if not match.height:
            return None
        out: dict[str, Any] = orjson.loads(match.head(1).write_json())[0]
        return out

    def audit(self) -> pl.DataFrame:
        """The audit trail of edits: when, who, table, key, action, before and after (JSON)."""
        with self._db() as db:
            cur = db.execute(
                "SELECT at, actor, table_name, key, action, before, after FROM audit ORDER BY id"
            )
            cols = [c[0] for c in cur.description]
            data = cur.fetchall()
        return pl.DataFrame(data, schema=dict.fromkeys(cols, pl.String), orient="row")


def _put(
    db: sqlite3.Connection,
    name: str,
    key: str,
    after: str | None,
    *,
    before: Mapping[str, Any] | None,
    actor: str,
) -> None:
    """Save one row's new state (``None``: deleted) and its audit entry."""
    now = _now()
    db.execute(
        "INSERT INTO edits (table_name, key, row, version, updated_at, actor) VALUES (?, ?, ?, 1, ?, ?) "
        "ON CONFLICT (table_name, key) DO UPDATE SET row = excluded.row, "
        "version = edits.version + 1, updated_at = excluded.updated_at, actor = excluded.actor",
        (name, key, after, now, actor),
    )
    action = "delete" if after is None else ("update" if before else "insert")
    db.execute(
        "INSERT INTO audit (at, actor, table_name, key, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (now, actor, name, key, action, _dump(before), after),
    )


def _dump(row: Mapping[str, Any] | None) -> str | None:
    return None if row is None else orjson.dumps(row, default=str).decode()
