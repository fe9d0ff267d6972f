"""Reading a PagerDuty export's files into flat, validated frames (one per kind of record).

Each JSON file is decoded into the typed :class:`~.shapes.Page` (msgspec: only
the fields we use, each checked for its JSON type), and its records are copied into column
lists that become polars frames every few hundred thousand rows. A file that does not
decode as a whole goes through :func:`~.shapes.sanitize`, which rejects its bad
records by file, record and field and keeps the rest. Analytics responses and CSV files go
to :mod:`.analytics`. Required fields and timestamps are then checked on whole
columns, and every failing record is listed in ``rejected``.

Record numbers (the ``record`` column of ``rejected``) count the records of one kind in a
file from 0, in file order, across pages when the file is an array of pages; the strict
error's label also names the page then ("page 2, log entry 17").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec
import polars as pl

from toolkit.importers._base.batches import Batches
from toolkit.importers._base.common import Rejects, parse_iso_utc
from toolkit.importers._base.inputs import Input, Member
from toolkit.importers._base.jsonfile import read_json_document
from toolkit.importers.pagerduty import analytics
from toolkit.importers.pagerduty.columns import META, REQUIRED, TIMES, Columns
from toolkit.importers.pagerduty.shapes import (
    KINDS,
    PAGE_DECODER,
    PAGES_DECODER,
    Kind,
    bare_kind,
    incident_from_path,
    is_page,
    records,
    sanitize,
)
from toolkit.progress import progress as progress_bar

__all__ = ["Raw", "read_export"]

"""Turn column lists into polars frames after this many records (bounds memory)."""

_DATA_SUFFIXES = (".json", ".csv")
_BOM = b"\xef\xbb\xbf"


@dataclass
class Raw:
    """What the files held: validated flat frames per kind, and lines for the report."""

    files: list[str] = field(default_factory=list)
    incidents: pl.DataFrame | None = None
    log_entries: pl.DataFrame | None = None
    notes: pl.DataFrame | None = None
    alerts: pl.DataFrame | None = None
    analytics: pl.DataFrame | None = None
    report: list[str] = field(default_factory=list)
    paging: list[tuple[str, str, int, int, bool]] = field(default_factory=list)
    """(file, page key, offset, count, more) of every page that says where it sits."""


_RECORD_KEYS = {
    "log_entries": "log entry",
    "incidents": "incident",
    "notes": "note",
    "alerts": "alert",
    "data": "analytics incident",
}
"""The record arrays of PagerDuty responses, and what one record is called (a truncated file keeps
the complete records before the cut)."""


# --- reading files --------------------------------------------------------------------------


@dataclass
class _Reader:
    rejects: Rejects
    raw: Raw
    tz: str
    columns: dict[str, Columns] = field(default_factory=lambda: {k.name: Columns(k) for k in KINDS})
    analytics: list[pl.DataFrame] = field(default_factory=list)
    batches: Batches = field(init=False)

    def __post_init__(self) -> None:
        self.batches = Batches(self._build)

    def member(self, idx: int, member: Member) -> None:
        data = member.read()
        if data.startswith(_BOM):
            data = data[len(_BOM) :]
        if member.name.lower().endswith(".csv"):
            frame = analytics.read_csv(member, data, idx, self.rejects)
            if frame is not None:
                self.analytics.append(frame)
            return
        paged = data[:256].lstrip()[:1] == b"["
        try:
            pages = PAGES_DECODER.decode(data) if paged else [PAGE_DECODER.decode(data)]
        except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError):
            pages = None
        if pages is None or not all(p.has_records() for p in pages):
            self.careful(idx, member, data)
            return
        counters = dict.fromkeys(self.columns, 0)
        for p, page in enumerate(pages):
            if page.offset is not None:
                counts = {
                    k.many: len(getattr(page, k.many)) for k in KINDS if getattr(page, k.many) is not None
                }
                self._paging(idx, page.offset, bool(page.more), counts)
            for kind in KINDS:
                recs = records(page, kind)
                if recs:
                    base = counters[kind.name]
                    counters[kind.name] += len(recs)
                    self.batches.add(
                        self.columns[kind.name].add(idx, p, paged, recs, range(base, base + len(recs)))
                    )

    def careful(self, idx: int, member: Member, data: bytes) -> None:
        """orjson, then record-by-record conversion (see :func:`~.shapes.sanitize`)."""
        key = next((k for k in _RECORD_KEYS if f'"{k}"'.encode() in data), None)
        doc = read_json_document(
            member,
            self.rejects,
            self.raw.report,
            data=data,
            keys=() if key is None else (key,),
            noun=_RECORD_KEYS.get(key or "", "page") if not data.lstrip().startswith(b"[") else "page",
        )
        if doc is None:
            return
        if isinstance(doc, dict) and not is_page(doc) and bare_kind(doc) is None:
            if "data" in doc or "aggregate_unit" in doc:
                frame = analytics.read_document(member, doc, idx, self.rejects, self.raw.report, tz=self.tz)
                if frame is not None:
                    self.analytics.append(frame)
                return
            keys = ", ".join(sorted(doc)[:8]) or "none"
            self.rejects.add(
                member.display,
                None,
                None,
                f"not a PagerDuty REST v2 or Analytics response (top-level keys: {keys})",
                hint='expected e.g. {"incidents": [...]}, {"log_entries": [...]}, {"notes": [...]} or {"data": [...]}',
            )
            return
        if not isinstance(doc, dict | list):
            self.rejects.add(
                member.display,
                None,
                None,
                f"expected a JSON object or an array of pages, got {_json_type(doc)}",
            )
            return
        pages, problems, paged = sanitize(doc)
        for problem in problems:
            self.rejects.add(
                member.display, problem.record, problem.field, problem.reason, label=problem.label
            )
        for clean in pages:
            if clean.paging["offset"] is not None:
                self._paging(idx, clean.paging["offset"], bool(clean.paging["more"]), clean.sizes)
            for kind in KINDS:
                good = clean.records.get(kind.name)
                if good:
                    self.batches.add(
                        self.columns[kind.name].add(
                            idx, clean.page, paged, [r for _, r in good], [n for n, _ in good]
                        )
                    )

    def _paging(self, idx: int, offset: int, more: bool, counts: dict[str, int]) -> None:
        for key, n in counts.items():
            self.raw.paging.append((self.raw.files[idx], key, offset, n, more))

    def _build(self) -> None:
        for cols in self.columns.values():
            cols.flush()


def _json_type(value: object) -> str:
    return {type(None): "null", str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def read_export(inp: Input, *, rejects: Rejects, tz: str, progress: bool | None) -> Raw:
    """Read every file of an opened export into validated flat frames (see :class:`Raw`)."""
    raw = Raw()
    reader = _Reader(rejects, raw, tz)
    members: list[Member] = []
    skipped: list[Member] = []
    for m in inp.members:
        (members if m.name.lower().endswith(_DATA_SUFFIXES) else skipped).append(m)
    if skipped:
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        raw.report.append(
            f"Skipped {len(skipped)} file(s) that are not .json or .csv: {', '.join(m.name for m in skipped[:5])}{more}"
        )
    raw.files = [m.display for m in members]
    with progress_bar("Reading PagerDuty files", total=len(members), enabled=progress) as advance:
        for idx, member in enumerate(members):
            reader.member(idx, member)
            advance(1)
    reader.batches.finish()
    path_ids = pl.DataFrame(
        {"_file_idx": range(len(raw.files)), "_path_incident": [incident_from_path(m.name) for m in members]},
        schema={"_file_idx": pl.Int64, "_path_incident": pl.String},
    )
    for kind in KINDS:
        flat = reader.columns[kind.name].frame()
        if flat is None:
            continue
        if kind.name != "incident" and flat["pd_incident_id"].null_count():
            flat = (
                flat.join(path_ids, on="_file_idx", how="left", maintain_order="left")
                .with_columns(pd_incident_id=pl.coalesce("pd_incident_id", "_path_incident"))
                .drop("_path_incident")
            )
        checked = _validate(kind, flat, raw.files, rejects)
        setattr(
            raw,
            {"incident": "incidents", "log entry": "log_entries"}.get(kind.name, kind.name + "s"),
            checked,
        )
    raw.analytics = (
        analytics.finish(pl.concat(reader.analytics, how="vertical"), raw.files, rejects, raw.report, tz=tz)
        if reader.analytics
        else None
    )
    return raw


# --- validating flat frames -------------------------------------------------------------------

_TS_HINT = "expected an ISO 8601 timestamp with a time zone, like '2025-01-15T10:00:00Z'"


def _validate(kind: Kind, flat: pl.DataFrame, files: list[str], rejects: Rejects) -> pl.DataFrame:
    problem = pl.lit(None, dtype=pl.String)
    reason = pl.lit(None, dtype=pl.String)
    checks: list[tuple[pl.Expr, str, pl.Expr]] = []
    for col, name in REQUIRED[kind.name]:
        checks.append((pl.col(col).is_null(), name, pl.lit("missing")))
        checks.append((pl.col(col) == "", name, pl.lit("empty")))
    if kind.name != "incident":
        checks.append(
            (
                pl.col("pd_incident_id").is_null() | (pl.col("pd_incident_id") == ""),
                "incident",
                pl.lit(
                    f"the {kind.name} names no incident, and the file's path does not say which one "
                    "(keep PagerDuty's path, e.g. incidents/<ID>/"
                    + {"log entry": "log_entries", "note": "notes", "alert": "alerts"}[kind.name]
                    + ".json)"
                ),
            )
        )
    times = TIMES[kind.name]
    flat = flat.with_columns(**{f"_t_{col}": parse_iso_utc(pl.col(col)) for col, _, _ in times})
    for col, name, required in times:
        if required:
            checks.append((pl.col(col).is_null(), name, pl.lit("missing")))
        checks.append(
            (
                pl.col(col).is_not_null() & pl.col(f"_t_{col}").is_null(),
                name,
                pl.format(f"{_TS_HINT}, got '{{}}'", pl.col(col)),
            )
        )
    if kind.name == "incident":
        flat = flat.with_columns(_t_ack_ats=pl.col("ack_ats").list.eval(parse_iso_utc(pl.element())))
        checks.append(
            (
                pl.col("ack_ats").list.drop_nulls().list.len()
                != pl.col("_t_ack_ats").list.drop_nulls().list.len(),
                "acknowledgements",
                pl.lit(f"an acknowledgement 'at' is not a timestamp ({_TS_HINT})"),
            )
        )
    for cond, name, text in reversed(checks):
        problem = pl.when(cond).then(pl.lit(name)).otherwise(problem)
        reason = pl.when(cond).then(text).otherwise(reason)
    flat = flat.with_columns(_problem=problem, _reason=reason)
    bad = flat.filter(pl.col("_problem").is_not_null())
    for idx, page, paged, record, name, text in bad.select(*META, "_problem", "_reason").iter_rows():
        rejects.add(files[idx], record, name, text, label=_label(kind, page, paged, record))
    timed = [col for col, _, _ in times] + (["ack_ats"] if kind.name == "incident" else [])
    return (
        flat.filter(pl.col("_problem").is_null())
        .drop("_problem", "_reason", *timed)
        .rename({f"_t_{col}": col for col in timed})
    )


def _label(kind: Kind, page: int, paged: bool, record: int) -> str:
    return f"page {page}, {kind.name} {record}" if paged else f"{kind.name} {record}"
