"""The workspace: imported tables as Parquet, edited tables in SQLite, every import logged.

Layout of a workspace folder::

    workspace/
      imports/<source>-<sha256[:16]>/    one folder per imported export (see toolkit.store.imports)
      edits.sqlite                        WAL: edited rows (whys, links, corrections), plain tables
                                          of higher layers (action_items), the audit trail, the
                                          import log, and the incident ids kept stable

A table is every import's rows stacked, deduplicated on the table's key (a record brought
by two imports — a zip and its unzipped folder — is one row; the later import wins), with
edits laid over (for :data:`SQL_TABLES`, the rows of the SQLite table of the same name).
Re-ingesting the same bytes is a no-op; ingesting a changed file at a
path already ingested replaces the older import of that path. An import that fails half
way leaves the previous state untouched. Opening a workspace to read creates nothing;
only :meth:`Workspace.ingest` and edits create the folder.

Examples
--------
>>> import tempfile
>>> ws = Workspace(tempfile.mkdtemp() + "/ws")
>>> ws.ingest("data/sample/pagerduty").outcome
'imported'
>>> ws.table("pagerduty_log_entries").to_pandas().shape
(62, 11)
>>> ws.scan("events").filter(pl.col("kind") == "acknowledge").collect().height
10
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from toolkit import importers, schema
from toolkit._version import __version__
from toolkit.errors import SchemaError, WorkspaceError
from toolkit.policy import Policy
from toolkit.schema import Source
from toolkit.store import ids
from toolkit.store.edits import (
    EDITABLE,
    SQL_TABLES,
    Transaction,
    connect,
    key_expr,
    now,
    overlay,
    split_key,
    sql_overlay,
    sql_table,
)
from toolkit.store.imports import commit, import_dirs, manifest, sha256_of, table_files
from toolkit.store.report import ImportReport

__all__ = [
    "EDITABLE",
    "ENV_WORKSPACE",
    "SQL_TABLES",
    "ImportReport",
    "Transaction",
    "Workspace",
    "key_expr",
    "sha256_of",
]

ENV_WORKSPACE = "INCIDENT_TOOLKIT_WORKSPACE"
"""Environment variable naming the default workspace folder (else ``./workspace``)."""


class Workspace:
    """A folder holding imported tables (Parquet) and edited tables (SQLite, WAL).

    Parameters
    ----------
    path
        The workspace folder (default ``$INCIDENT_TOOLKIT_WORKSPACE``, else ``./workspace``).
        Nothing is created until something is ingested or edited.
    policy
        The policy importers and analyses use (default: the shipped one).
    """

    def __init__(self, path: str | Path | None = None, *, policy: Policy | None = None) -> None:
        self.path = Path(path if path is not None else os.environ.get(ENV_WORKSPACE, "workspace"))
        self.policy = policy or Policy.default()
        if self.path.exists() and not self.path.is_dir():
            raise WorkspaceError(
                f"{self.path}: is a file, not a workspace folder; choose another --workspace"
            )

    @classmethod
    def open(cls, path: str | Path | None = None, *, policy: Policy | None = None) -> Workspace:
        """An existing workspace (for reading); raises :class:`WorkspaceError` when there is none."""
        ws = cls(path, policy=policy)
        if not ws.exists:
            raise WorkspaceError(f"no workspace at {ws.path} (ingest something first, or check --workspace)")
        return ws

    @property
    def exists(self) -> bool:
        """Whether the folder holds a workspace (imports or an edits database)."""
        return (self.path / "imports").is_dir() or (self.path / "edits.sqlite").is_file()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    # -- SQLite -----------------------------------------------------------------
    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection for writing (creates the workspace folder and database)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with connect(self.path / "edits.sqlite") as db:
            yield db

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A connection for reading, or None when there is no database yet (nothing is created)."""
        if not (self.path / "edits.sqlite").is_file():
            yield None
            return
        with connect(self.path / "edits.sqlite") as db:
            yield db

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

        The source is detected when not given; a given one (case-insensitive) is refused when
        its sniffer says the path is not its export. Re-ingesting identical bytes is a no-op
        (``outcome="unchanged"``) unless ``force``; a changed file at a path already ingested
        replaces the older import. An export that yields no rows at all is not written
        (``outcome="empty"``). Nothing changes if the import fails.
        """
        started = time.perf_counter()
        path = Path(path)
        if not path.exists():
            raise WorkspaceError(f"{path}: no such file or folder; check the path you passed to ingest")
        if source is not None:
            src = importers.parse_source(source)
            importer = importers.get(src)
            importers.check_forced(path, src)
        else:
            src = importers.detect(path)
            importer = importers.get(src)
        digest = sha256_of(path)
        import_id = f"{src.value}-{digest[:16]}"
        final = self.path / "imports" / import_id
        abspath = str(path.resolve())
        if final.exists() and not force:
            m = manifest(final)
            if m.get("toolkit_version") == __version__:
                report = self._report_from(final, m, outcome="unchanged", path=str(path))
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
        report_args: dict[str, Any] = {
            "path": str(path),
            "source": src,
            "sha256": digest,
            "import_id": import_id,
            "rows": rows,
            "rejected": rejected,
            "notes": tuple(loaded.notes),
        }
        if not sum(rows.values()):
            report = ImportReport(**report_args, outcome="empty", seconds=time.perf_counter() - started)
            self._log(report)
            return report
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                mapping = ids.assign(db, tables.get("incidents", schema.empty("incidents")))
                tables = ids.remap(tables, mapping)
                rejected = ids.remap({"rejected": rejected}, mapping)["rejected"]
                manifest_data = {
                    "import_id": import_id,
                    "source": src.value,
                    "path": abspath,
                    "sha256": digest,
                    "rows": rows,
                    "rejected": rejected.height,
                    "notes": list(loaded.notes),
                    "imported_at": now(),
                    "toolkit_version": __version__,
                }
                outcome = commit(self.path, import_id, src, tables, rejected, manifest_data)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        report = ImportReport(
            **{**report_args, "rejected": rejected}, outcome=outcome, seconds=time.perf_counter() - started
        )
        self._log(report)
        return report

    def _log(self, report: ImportReport) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO import_log (at, import_id, source, path, sha256, rows, rejected, outcome) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now(),
                    report.import_id,
                    report.source.value,
                    report.path,
                    report.sha256,
                    orjson.dumps(dict(report.rows)).decode(),
                    report.rows_rejected,
                    report.outcome,
                ),
            )

    @staticmethod
    def _report_from(folder: Path, m: dict[str, Any], *, outcome: str, path: str) -> ImportReport:
        rejected_file = folder / "rejected.parquet"
        return ImportReport(
            path=path,
            source=Source(m["source"]),
            sha256=m["sha256"],
            import_id=m["import_id"],
            rows=m["rows"],
            rejected=pl.read_parquet(rejected_file) if rejected_file.exists() else schema.empty("rejected"),
            notes=tuple(m.get("notes", ())),
            outcome=outcome,
        )

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
            for m in (manifest(d) for d in import_dirs(self.path))
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
        cols = ["at", "import_id", "source", "path", "sha256", "rows", "rejected", "outcome"]
        data: list[Any] = []
        with self._reading() as db:
            if db is not None:
                data = db.execute(f"SELECT {', '.join(cols)} FROM import_log ORDER BY id").fetchall()
        return pl.DataFrame(
            data, schema=dict.fromkeys(cols, pl.String) | {"rejected": pl.Int64}, orient="row"
        )

    def rejected(self) -> pl.DataFrame:
        """Every record the imports in this workspace kept aside, with the import it came from."""
        frames = [
            pl.read_parquet(d / "rejected.parquet").with_columns(import_id=pl.lit(d.name))
            for d in import_dirs(self.path)
            if (d / "rejected.parquet").exists()
        ]
        if not frames:
            return schema.empty("rejected").with_columns(import_id=pl.lit(None, pl.String))
        return pl.concat(frames, how="diagonal_relaxed")

    def state(self) -> str:
        """A token that changes whenever anything a table reads changes (imports or edits).

        Caches (the timeline, rendered reports) key on it.
        """
        h = hashlib.sha256()
        for d in import_dirs(self.path):
            h.update(d.name.encode() + manifest(d).get("imported_at", "").encode())
        with self._reading() as db:
            if db is not None:
                last = db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
                n_ids = db.execute("SELECT count(*) FROM incident_ids").fetchone()[0]
                h.update(f"{last}/{n_ids}".encode())
        return h.hexdigest()[:16]

    # -- reading ------------------------------------------------------------------
    def names(self) -> list[str]:
        """Names of the tables that have rows in this workspace (imported or edited)."""
        found = {f.stem for d in import_dirs(self.path) for f in d.glob("*.parquet") if f.stem != "rejected"}
        with self._reading() as db:
            if db is not None:
                found |= {
                    r[0] for r in db.execute("SELECT DISTINCT table_name FROM edits WHERE row IS NOT NULL")
                }
                for name in SQL_TABLES:
                    rows = sql_table(db, name)
                    if rows is not None and rows.height:
                        found.add(name)
        return sorted(found)

    def scan(self, name: str, *, edited: bool = True) -> pl.LazyFrame:
        """Table ``name`` as a :class:`polars.LazyFrame`: every import's rows, one per key, edits laid over.

        Rows with the same key from several imports are one row (the latest import wins);
        with ``edited=False`` the edits are left out. For the plain SQLite tables of
        :data:`SQL_TABLES` (``action_items``) the edits are that table's rows, as their
        owner last wrote them (:func:`toolkit.actions.list_items` also merges re-imported
        post-mortems first).
        """
        table = schema.TABLES.get(name)
        if table is None:
            raise WorkspaceError(
                f"{self.path}: no table {name!r}; tables here: "
                f"{', '.join(self.names()) or 'none (ingest something first)'}"
            )
        files = table_files(self.path, name)
        lf = pl.concat(
            [schema.empty(name).lazy(), *(pl.scan_parquet(f) for f in files)], how="diagonal_relaxed"
        ).select(list(table.schema))
        if table.key and len(files) > 1:  # one import's keys are unique already (checked on ingest)
            lf = lf.unique(subset=list(table.key), keep="last", maintain_order=True)
        if edited and name in EDITABLE:
            with self._reading() as db:
                if db is not None:
                    lf = overlay(db, name, lf)
        if edited and name in SQL_TABLES:
            with self._reading() as db:
                if db is not None:
                    lf = sql_overlay(db, name, lf)
        return lf

    def table(self, name: str, *, edited: bool = True) -> pl.DataFrame:
        """Table ``name`` (see :meth:`scan`), with its schema's columns and dtypes even when empty."""
        return self.scan(name, edited=edited).collect()

    def incidents(self) -> pl.DataFrame:
        """All sources' incident records, earliest first (``table("incidents")`` sorted)."""
        df = self.table("incidents")
        return (
            df.with_columns(_t=pl.coalesce("started_at", "detected_at", "declared_at", "resolved_at"))
            .sort("_t", "incident_id", nulls_last=True)
            .drop("_t")
        )

    # -- editing ------------------------------------------------------------------
    @contextmanager
    def transaction(self, *, actor: str) -> Iterator[Transaction]:
        """Edits of several tables in one write transaction: all rows are saved, or none.

        Examples
        --------
        >>> import tempfile
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> link = pl.DataFrame({"incident_id": ["INC-1"], "source": ["pagerduty"], "ref": ["PX1"],
        ...                      "method": ["manual"]})
        >>> with ws.transaction(actor="dave") as tx:
        ...     tx.edit("links", link)
        ...     tx.delete("links", link.select("incident_id", "source", "ref"))
        >>> ws.audit()["action"].to_list()
        ['insert', 'delete']
        """
        if not actor:
            raise WorkspaceError("an edit needs an actor (who made it) for the audit trail")
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(db, actor, self.table)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def edit(self, name: str, rows: pl.DataFrame, *, actor: str) -> None:
        """Insert or update rows of an editable table by key, with an audit entry each.

        For tables with a ``version`` column an update must carry the version it was based
        on; if someone saved a newer one meanwhile, nothing is written and
        :class:`~toolkit.errors.ConflictError` says which row to reload.
        """
        with self.transaction(actor=actor) as tx:
            tx.edit(name, rows)

    def delete(self, name: str, keys: pl.DataFrame, *, actor: str) -> None:
        """Delete rows of an editable table by key (imported rows are hidden, edits removed)."""
        with self.transaction(actor=actor) as tx:
            tx.delete(name, keys)

    def audit(self) -> pl.DataFrame:
        """The audit trail of edits: when, who, table, key (the key columns' values), action,
        before and after (JSON)."""
        cols = ["at", "actor", "table_name", "key", "action", "before", "after"]
        data: list[Any] = []
        with self._reading() as db:
            if db is not None:
                data = db.execute(f"SELECT {', '.join(cols)} FROM audit ORDER BY id").fetchall()
        df = pl.DataFrame(data, schema=dict.fromkeys(cols, pl.String), orient="row")
        return df.with_columns(key=split_key(pl.col("key")))
