"""From raw Statuspage batches to typed frames: checks, timestamps, snapshot merging.

:func:`flush` turns one :class:`~toolkit.importers.statuspage.read.Batch` into two typed
frames (records, updates), rejecting — vectorised — records whose scalar fields have the
wrong JSON type, whose timestamps do not parse (an empty string counts as null), whose
impact is unknown, and updates without ``created_at``. :func:`merge` then folds every flushed chunk into the public
tables: one incident per (page, incident id) however many snapshots show it (the latest
state wins: newest ``updated_at``, then newest update, then the later file), updates
unioned by update id, maintenances split off, and the derived fields (``resolved_at``
when only a resolved update says so, ``n_updates``, ``reopened``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from toolkit.importers._base.common import Rejects, parse_iso_utc, type_name
from toolkit.importers.statuspage.read import REC_STR, REC_TS, SEP, UPD_STR, UPD_TS, Batch, Component
from toolkit.schema import UTC, Impact, UpdateStatus

__all__ = ["OPEN_STATUSES", "Merged", "components_frame", "flush", "merge"]

OPEN_STATUSES = (UpdateStatus.investigating, UpdateStatus.identified, UpdateStatus.monitoring)
"""Incident statuses that mean 'not resolved (yet, or again)'."""

_IMPACTS = tuple(i.value for i in Impact)

_REC_TYPES: Mapping[str, pl.DataType] = {
    "seq": pl.Int64(),
    "file": pl.Int64(),
    "index": pl.Int64(),
    "maintenance": pl.Boolean(),
    "page": pl.String(),
    "id": pl.String(),
    "components": pl.String(),
}
_UPD_TYPES: Mapping[str, pl.DataType] = {
    "seq": pl.Int64(),
    "upd": pl.Int64(),
    "id": pl.String(),
    "affected": pl.String(),
}
_UPD_STR = (*UPD_STR, "updated_at")
"""An update's updated_at only breaks ties between copies of one update: parsed then, not here."""


def _ts_problem(raw: object) -> str:
    return f"expected an ISO 8601 timestamp with a time zone (like '2025-01-15T10:05:00Z'), got {raw!r}"


def _typed(
    cols: dict[str, list[Any]], fixed: Mapping[str, pl.DataType], strs: Sequence[str], stamps: Sequence[str]
) -> tuple[pl.DataFrame, dict[int, tuple[str, str]]]:
    """Build a frame from raw columns; bad cells become null and are listed as row -> (field, problem)."""
    bad: dict[int, tuple[str, str]] = {}
    series = [pl.Series(name, cols[name], dtype=dtype) for name, dtype in fixed.items()]
    for name in (*strs, *stamps):
        values = cols[name]
        try:
            s = pl.Series(name, values, dtype=pl.String())
        except TypeError:  # rare: some value is not a string; find which, in Python
            kind = "an ISO 8601 timestamp string" if name in stamps else "a string"
            for i, v in enumerate(values):
                if v is not None and type(v) is not str:
                    bad.setdefault(i, (name, f"expected {kind}, got {type_name(v)}"))
            s = pl.Series(name, [v if type(v) is str else None for v in values], dtype=pl.String())
        if name in stamps and (s == "").any():  # some scrapers write "" for null
            s = s.to_frame().select(pl.when(pl.col(name) != "").then(pl.col(name))).to_series()
        series.append(s)
    frame = pl.DataFrame(series)
    if stamps:
        parsed = _parse_stamps(frame, stamps)
        for name in stamps:
            wrong = (frame[name].is_not_null() & parsed[name].is_null()).arg_true()
            for i in wrong.to_list():
                bad.setdefault(int(i), (name, _ts_problem(frame[name][i])))
        frame = frame.with_columns(parsed)
    return frame, bad


_SAME_AS = {"display_at": "created_at"}
"""Stamps usually equal to another, byte for byte: parsed only where they differ."""


def _parse_stamps(frame: pl.DataFrame, stamps: Sequence[str]) -> pl.DataFrame:
    first = [name for name in stamps if _SAME_AS.get(name) not in stamps]
    parsed = frame.select(parse_iso_utc(pl.col(name)) for name in first)
    for name in stamps:
        if name in first:
            continue
        other = _SAME_AS[name]
        differs = frame[name].ne_missing(frame[other]).arg_true()
        col = parsed[other].alias(name)
        if len(differs):
            col = col.scatter(
                differs,
                frame[name].gather(differs).to_frame().select(parse_iso_utc(pl.col(name))).to_series(),
            )
        parsed = parsed.with_columns(col)
    return parsed.select(stamps)


def flush(batch: Batch, *, files: Sequence[str], rejects: Rejects) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed (records, updates) of one batch, with bad records and updates rejected."""
    rec_cols = batch.rec()
    rec, rec_bad = _typed(rec_cols, _REC_TYPES, REC_STR, REC_TS)
    impact_bad = (rec["impact"].is_not_null() & ~rec["impact"].is_in(_IMPACTS)).arg_true()
    for i in impact_bad.to_list():
        rec_bad.setdefault(
            int(i), ("impact", f"expected one of {', '.join(_IMPACTS)}, got {rec['impact'][i]!r}")
        )
    upd, upd_bad = _typed(batch.upd, _UPD_TYPES, _UPD_STR, UPD_TS)
    for i in upd["created_at"].is_null().arg_true().to_list():
        if batch.upd["created_at"][i] is None:
            upd_bad.setdefault(int(i), ("created_at", "missing; every update needs its created_at timestamp"))
    if rec_bad or upd_bad:
        _report(rec_cols, batch.upd, rec_bad, upd_bad, files=files, rejects=rejects)
        rec = rec.filter(~pl.int_range(pl.len()).is_in(list(rec_bad)))
        dropped = [rec_cols["seq"][i] for i in rec_bad]
        upd = upd.filter(~pl.int_range(pl.len()).is_in(list(upd_bad)) & ~pl.col("seq").is_in(dropped))
    return rec, upd


def _report(
    rec: dict[str, list[Any]],
    upd: dict[str, list[Any]],
    rec_bad: dict[int, tuple[str, str]],
    upd_bad: dict[int, tuple[str, str]],
    *,
    files: Sequence[str],
    rejects: Rejects,
) -> None:
    """Add the rejections of one batch in file order (a record before its updates)."""
    row_of = {s: i for i, s in enumerate(rec["seq"])} if upd_bad else {}
    found: list[tuple[int, int, str, str]] = [(i, -1, *fp) for i, fp in rec_bad.items()]
    for u, (field, problem) in upd_bad.items():
        row = row_of[upd["seq"][u]]
        if row not in rec_bad:  # the whole record goes anyway
            found.append((row, upd["upd"][u], f"incident_updates[{upd['upd'][u]}].{field}", problem))
    for row, _, field, problem in sorted(found):
        maint = rec["maintenance"][row]
        what = "scheduled maintenance" if maint else "incident"
        index, rid = rec["index"][row], rec["id"][row]
        rejects.add(
            files[rec["file"][row]],
            index,
            field,
            f"{what}: {problem}" if maint and not rejects.strict else problem,
            label=f"{what} {index} ({rid!r})",
        )


@dataclass(frozen=True)
class Merged:
    """The merged Statuspage tables and what merging noticed."""

    incidents: pl.DataFrame
    updates: pl.DataFrame
    maintenances: pl.DataFrame
    maintenance_updates: pl.DataFrame
    notes: tuple[str, ...]


def _split_names(col: str) -> pl.Expr:
    return pl.col(col).str.split(SEP).list.eval(pl.element().filter(pl.element() != ""))


def merge(records: pl.DataFrame, updates: pl.DataFrame) -> Merged:
    """Fold all flushed records and updates into incidents, updates and maintenances.

    Work is keyed on ``seq`` (an integer) rather than on (page, id) strings: a repeated
    record is mapped to the ``seq`` of the copy that wins, and only when there are
    repeats at all. The wide update columns (bodies) are gathered once, in final order;
    everything else works on a narrow frame of keys.
    """
    notes: list[str] = []
    unknown_page = records["page"].null_count()
    if unknown_page:
        notes.append(
            f"{unknown_page} record(s) name no page (no 'page_id', no 'page' object); filed under page 'unknown'"
        )
    records = records.with_columns(pl.col("page").fill_null("unknown"))
    keys = updates.select("seq", "id", "created_at", "updated_at", "status", "affected").with_row_index(
        "_row"
    )
    recs, keys = _fold_repeats(records, keys, notes)
    recs = recs.with_columns(_split_names("components").alias("components"))
    keys = (
        keys.drop("updated_at")
        .join(recs.select("seq", "maintenance"), on="seq")
        .sort("seq", "created_at", "id")
        .with_columns(_split_names("affected").alias("affected"))
    )
    inc_keys, maint_keys = keys.filter(~pl.col("maintenance")), keys.filter(pl.col("maintenance"))
    pm_keys = inc_keys.filter(pl.col("status") == UpdateStatus.postmortem)
    postmortems = pm_keys.select("seq", updates["body"].gather(pm_keys["_row"]))
    incidents = _incidents(recs.filter(~pl.col("maintenance")), inc_keys, postmortems, notes)
    maintenances = _maintenances(recs.filter(pl.col("maintenance")), maint_keys)
    inc_updates = _gather(
        updates, inc_keys, incidents.select("seq", "page", "incident_ref", "impact", "components")
    )
    maint_updates = _gather(updates, maint_keys, maintenances.select("seq", "page", "maintenance_ref"))
    backdated = inc_updates.select((pl.col("display_at") < pl.col("at")).sum()).item()
    if backdated:
        notes.append(
            f"{backdated} update(s) are back-dated (display_at earlier than created_at); both are kept, "
            "phases use created_at unless time_basis='display_at'"
        )
    return Merged(
        incidents=incidents.drop("seq"),
        updates=inc_updates.select(
            "page",
            "incident_ref",
            "update_id",
            "at",
            "display_at",
            "status",
            "body",
            "impact",
            pl.coalesce("affected_components", "components").alias("components"),
            "affected_components",
        ),
        maintenances=maintenances.drop("seq"),
        maintenance_updates=maint_updates.select(
            "page",
            "maintenance_ref",
            "update_id",
            "at",
            "display_at",
            "status",
            "body",
            "affected_components",
        ),
        notes=tuple(notes),
    )


def _may_repeat(df: pl.DataFrame, *columns: str) -> bool:
    """Whether two rows may share ``columns`` (by a 64-bit hash: a collision only costs time)."""
    hashed = pl.struct(*columns).hash(seed=0x5A7A)
    return bool(df.select(hashed.n_unique() < pl.len()).item())


def _fold_repeats(
    records: pl.DataFrame, keys: pl.DataFrame, notes: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One record per (page, id), the latest; updates re-pointed to it, one per update id."""
    recs = records
    if _may_repeat(records, "page", "id"):
        last_at = keys.group_by("seq").agg(pl.col("created_at").max().alias("_last"))
        recs = (
            records.join(last_at, on="seq", how="left")
            .sort("page", "id", pl.coalesce("updated_at", "_last"), "seq", nulls_last=False)
            .unique(["page", "id"], keep="last", maintain_order=True)
            .drop("_last")
        )
        notes.append(
            f"{records.height - recs.height} record(s) repeated an incident or maintenance already seen in "
            "another file or snapshot; merged (latest state wins, updates unioned by id)"
        )
        canon = records.select("seq", "page", "id").join(
            recs.select("page", "id", pl.col("seq").alias("_canon")), on=["page", "id"]
        )
        keys = keys.join(canon.select("seq", "_canon"), on="seq").with_columns(seq="_canon").drop("_canon")
    if _may_repeat(keys, "seq", "id"):
        height = keys.height
        keys = (
            keys.with_columns(_u=parse_iso_utc(pl.col("updated_at")))
            .sort("seq", "id", "_u", "_row", nulls_last=False)
            .unique(["seq", "id"], keep="last")
            .drop("_u")
        )
        if keys.height < height:
            notes.append(
                f"{height - keys.height} update(s) repeated an update id already seen for the same incident; "
                "kept one copy of each (latest updated_at, then the later file)"
            )
    return recs, keys


def _gather(updates: pl.DataFrame, keys: pl.DataFrame, parents: pl.DataFrame) -> pl.DataFrame:
    """Updates of ``keys`` in their parents' order, then by time, with the parents' columns."""
    ordered = (
        keys.join(parents.with_row_index("_rank"), on="seq")
        .sort("_rank", "created_at", "id")
        .drop("seq", "_rank", "maintenance")
    )
    wide = updates.select("display_at", "body")[ordered["_row"]]
    return pl.concat([ordered.drop("_row"), wide], how="horizontal").rename(
        {"id": "update_id", "created_at": "at", "affected": "affected_components"}
    )


def _per_incident(keys: pl.DataFrame, postmortems: pl.DataFrame) -> pl.DataFrame:
    """Facts of each incident's updates (``keys`` already in created_at order)."""
    status, at = pl.col("status"), pl.col("created_at")
    facts = keys.group_by("seq").agg(
        n_updates=pl.len(),
        _first_monitoring=at.filter(status == UpdateStatus.monitoring).min(),
        _first_resolved=at.filter(status == UpdateStatus.resolved).min(),
        _first_postmortem=at.filter(status == UpdateStatus.postmortem).min(),
        _last_status=status.last(),
        reopens=(status.is_in(OPEN_STATUSES) & (status.shift(1) == UpdateStatus.resolved)).sum(),
        _affected=pl.col("affected").explode().drop_nulls().unique(maintain_order=True),
    )
    bodies = postmortems.group_by("seq").agg(_postmortem_body=pl.col("body").last())
    return facts.join(bodies, on="seq", how="left")


def _incidents(
    recs: pl.DataFrame, keys: pl.DataFrame, postmortems: pl.DataFrame, notes: list[str]
) -> pl.DataFrame:
    df = recs.join(_per_incident(keys, postmortems), on="seq", how="left")
    status = pl.coalesce("status", "_last_status")
    counts = df.select(
        resolved=(
            pl.col("resolved_at").is_null()
            & pl.col("_first_resolved").is_not_null()
            & ~status.is_in(OPEN_STATUSES)
        ).sum(),
        monitoring=(pl.col("monitoring_at").is_null() & pl.col("_first_monitoring").is_not_null()).sum(),
    ).row(0, named=True)
    if counts["resolved"]:
        notes.append(
            f"{counts['resolved']} resolved incident(s) had no resolved_at; taken from their first resolved update"
        )
    if counts["monitoring"]:
        notes.append(
            f"{counts['monitoring']} incident(s) had no monitoring_at; taken from their first monitoring update"
        )
    out = df.select(
        "seq",
        "page",
        pl.col("id").alias("incident_ref"),
        "name",
        "impact",
        status.alias("status"),
        "created_at",
        "started_at",
        pl.coalesce("monitoring_at", "_first_monitoring").alias("monitoring_at"),
        pl.when(status.is_in(OPEN_STATUSES))
        .then(pl.lit(None, UTC))
        .otherwise(pl.coalesce("resolved_at", "_first_resolved"))
        .alias("resolved_at"),
        pl.when(pl.col("components").list.len() > 0)
        .then("components")
        .otherwise(pl.col("_affected").fill_null([]))
        .alias("components"),
        "shortlink",
        pl.coalesce("postmortem_body", "_postmortem_body").alias("postmortem_body"),
        pl.col("n_updates").fill_null(0).cast(pl.Int64),
        "updated_at",
        pl.coalesce("_first_postmortem", "postmortem_published_at").alias("postmortem_at"),
        (pl.col("reopens").fill_null(0) > 0).alias("reopened"),
    )
    return out.sort("page", "created_at", "incident_ref", nulls_last=True)


def _maintenances(recs: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    counts = keys.group_by("seq").agg(n_updates=pl.len())
    return (
        recs.join(counts, on="seq", how="left")
        .select(
            "seq",
            "page",
            pl.col("id").alias("maintenance_ref"),
            "name",
            "status",
            "impact",
            "created_at",
            "updated_at",
            "scheduled_for",
            "scheduled_until",
            "started_at",
            "resolved_at",
            pl.col("components").fill_null([]),
            "shortlink",
            pl.col("n_updates").fill_null(0).cast(pl.Int64),
        )
        .sort("page", "scheduled_for", "maintenance_ref", nulls_last=True)
    )


def components_frame(rows: Sequence[Component]) -> pl.DataFrame:
    """Components of every summary/components response, one row per component (latest wins).

    A component's ``created_at``/``updated_at`` that does not parse is left null (the
    component itself is kept: nothing else depends on those two stamps).
    """
    df = pl.DataFrame(
        rows,
        schema={
            "page": pl.String(),
            "component_id": pl.String(),
            "name": pl.String(),
            "status": pl.String(),
            "group_id": pl.String(),
            "is_group": pl.Boolean(),
            "position": pl.Int64(),
            "description": pl.String(),
            "created_at": pl.String(),
            "updated_at": pl.String(),
        },
        orient="row",
    )
    return (
        df.with_columns(parse_iso_utc(pl.col("created_at")), parse_iso_utc(pl.col("updated_at")))
        .with_row_index("_n")
        .sort("page", "component_id", "updated_at", "_n", nulls_last=False)
        .unique(["page", "component_id"], keep="last", maintain_order=True)
        .drop("_n")
        .sort("page", "position", "name", nulls_last=True)
    )
