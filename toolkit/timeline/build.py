"""Build the :class:`~toolkit.timeline.model.Timeline` from the store's frames (pure).

:func:`build` takes the tables by name — what :func:`tables_of` reads from a store
workspace — links the records (:mod:`.link`), moves every event, role, post-mortem
section, 5-Whys node and action item under its linked incident, deduplicates events
(:mod:`.events`), resolves people (:mod:`.people`), derives the milestones with the hand
corrections applied (:mod:`.milestones`) and writes one row per incident (:mod:`.incidents`).

The big tables (``events``, ``slack_messages``) may be lazy frames: they are scanned
where a pass needs them and the events are materialised once, for the rows kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import polars as pl

from toolkit.policy import Policy
from toolkit.schema import TABLES
from toolkit.timeline.events import correct_times, dedupe, relink
from toolkit.timeline.incidents import incident_rows
from toolkit.timeline.link import link
from toolkit.timeline.milestones import correct_records, milestones, wide
from toolkit.timeline.model import MILESTONES, SCHEMAS, Timeline
from toolkit.timeline.people import norm, resolve_people

if TYPE_CHECKING:
    from toolkit.store import Workspace

__all__ = ["LAZY", "READ", "Frames", "build", "tables_of"]

READ = (
    "incidents",
    "events",
    "roles",
    "people",
    "links",
    "corrections",
    "whys",
    "postmortem_sections",
    "action_items",
    "slack_channels",
    "slack_users",
    "slack_messages",
    "pagerduty_incidents",
    "statuspage_incidents",
)
"""The store tables a timeline reads."""

LAZY = ("events", "slack_messages")
"""The big tables: read lazily (scanned when needed, materialised once)."""

Frames = Mapping[str, pl.DataFrame | pl.LazyFrame]
"""Tables by name, eager or lazy."""

_KEY_KINDS = ["alert", "acknowledge", "declare", "postmortem"]
_AUDIT = pl.Schema({c: pl.String() for c in ("source", "ref", "field", "actor", "at")})


def _scan(ws: Workspace, name: str) -> pl.LazyFrame:
    """Table ``name`` as :meth:`toolkit.store.Workspace.scan` gives it, without its
    cross-import de-duplication when no source has two imports of the table (the rows of
    one import have unique keys already, and keys include the source)."""
    from toolkit.store.imports import import_dirs

    files = [d / f"{name}.parquet" for d in import_dirs(ws.path) if (d / f"{name}.parquet").exists()]
    sources = [f.parent.name.rsplit("-", 1)[0] for f in files]
    if len(set(sources)) < len(sources):
        return ws.scan(name)
    table = TABLES[name]
    scans = [pl.DataFrame(schema=table.schema).lazy(), *(pl.scan_parquet(f) for f in files)]
    return pl.concat(scans, how="diagonal_relaxed").select(list(table.schema))


def tables_of(ws: Workspace) -> dict[str, pl.DataFrame | pl.LazyFrame]:
    """The tables :func:`build` reads, from a store workspace (``events`` and
    ``slack_messages`` lazily), plus who made each correction (``corrections_audit``:
    source, ref, field, actor, at — the latest edit of each)."""
    have = set(ws.names())
    out: dict[str, pl.DataFrame | pl.LazyFrame] = {}
    for name in READ:
        if name not in have:
            out[name] = pl.DataFrame(schema=TABLES[name].schema)
        else:
            out[name] = _scan(ws, name) if name in LAZY else ws.table(name)
    audit = ws.audit().filter(pl.col("table_name") == "corrections")
    out["corrections_audit"] = audit.select(
        source=pl.col("key").list.get(0),
        ref=pl.col("key").list.get(1),
        field=pl.col("key").list.get(2),
        actor="actor",
        at="at",
    ).unique(["source", "ref", "field"], keep="last", maintain_order=True)
    return out


def _frames(tables: Frames) -> dict[str, pl.DataFrame | pl.LazyFrame]:
    """Every table :func:`build` reads: the big ones lazy, the others eager, missing ones empty."""
    out: dict[str, pl.DataFrame | pl.LazyFrame] = {}
    for name in {*READ, *tables}:
        df = tables.get(name)
        if df is None:
            df = pl.DataFrame(schema=TABLES[name].schema)
        if name in LAZY:
            out[name] = df.lazy()
        else:
            out[name] = df.collect() if isinstance(df, pl.LazyFrame) else df
    return out


def _eager(frames: Mapping[str, pl.DataFrame | pl.LazyFrame], name: str) -> pl.DataFrame:
    df = frames[name]
    return df if isinstance(df, pl.DataFrame) else df.collect()


def _aliases(aliases: pl.DataFrame) -> dict[str, str]:
    """Every alias that names one incident → its linked id."""
    one = (
        aliases.group_by("alias")
        .agg(pl.col("incident_id").unique())
        .filter(pl.col("incident_id").list.len() == 1)
    )
    return {a: ids[0] for a, ids in one.iter_rows()}


def _overrides(
    corrections: pl.DataFrame, recs: pl.DataFrame, ids: Mapping[str, str]
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Incident-level corrections (their ref an incident's id) and notes on those that match nothing."""
    linked_ids = list(set(recs["linked_id"].to_list()))
    level = (
        corrections.filter(pl.col("field").is_in(list(MILESTONES)))
        .join(recs.select("source", "ref"), on=["source", "ref"], how="anti")
        .with_columns(
            incident_id=pl.col("ref").replace_strict(dict(ids), default=None, return_dtype=pl.String)
        )
        .with_columns(
            incident_id=pl.when(pl.col("ref").is_in(linked_ids)).then("ref").otherwise("incident_id")
        )
    )
    notes = tuple(
        f"correction {s}/{r} {f}: no incident, record or event has this ref; it changes nothing"
        for s, r, f in level.filter(pl.col("incident_id").is_null())
        .select("source", "ref", "field")
        .iter_rows()
    )
    found = level.filter(pl.col("incident_id").is_not_null()).select(
        "incident_id", milestone="field", at="at", source="source", ref="ref", reason="reason"
    )
    return found, notes


def build(tables: Frames, *, policy: Policy, pinned: pl.DataFrame | None = None) -> Timeline:
    """The timeline of the store's ``tables`` (see :func:`tables_of` and the module docs).

    Parameters
    ----------
    tables
        The store's tables by name, eager or lazy; ``incidents`` and ``events`` are
        required, the others (:data:`READ`, and ``corrections_audit``) used when present.
    policy
        Services, people, the team's time zone, the decision tree.
    pinned
        ``source, ref, incident_id``: the ids given before (see :mod:`toolkit.timeline.ids`).

    Examples
    --------
    >>> from toolkit.policy import Policy
    >>> from toolkit import schema
    >>> build({"incidents": schema.empty("incidents"), "events": schema.empty("events")},
    ...       policy=Policy.default()).incidents.height
    0
    """
    get = _frames(tables)
    if not _eager(get, "incidents").height:
        return Timeline.empty()
    linked = link(get, policy=policy, pinned=pinned)
    corrections = _eager(get, "corrections")
    recs, corrected = correct_records(linked.records, corrections)
    ids = _aliases(linked.aliases)
    services = set(recs["service_keys"].explode().drop_nulls().unique().to_list())
    people, index = resolve_people(get, policy=policy, services=services)
    names = dict(zip(people["person_id"].to_list(), people["name"].to_list(), strict=True))
    events = relink(correct_times(get["events"].lazy(), corrections), recs)
    seen = events.select(pl.col("actor").drop_nulls().unique()).collect(engine="streaming")["actor"].to_list()
    actors = pl.DataFrame(
        {"actor": seen, "person_id": [index.get(norm(a)) for a in seen]},
        schema={"actor": pl.String, "person_id": pl.String},
    )
    events = events.join(actors.lazy(), on="actor", how="left", maintain_order="left")
    deduped = dedupe(events).select(list(SCHEMAS["events"]))  # the one time the wide events are materialised
    overrides, notes = _overrides(corrections, recs, ids)
    audit = get.get("corrections_audit")
    ms = milestones(
        recs,
        deduped.lazy().filter(pl.col("kind").is_in(_KEY_KINDS)).collect(engine="streaming").lazy(),
        deduped,
        overrides=overrides,
        corrected=corrected,
        audit=pl.DataFrame(schema=_AUDIT) if audit is None else _eager(get, "corrections_audit"),
    )
    all_ids = recs["linked_id"].unique(maintain_order=True)
    incidents = incident_rows(
        recs, wide(ms, recs, all_ids), deduped, people=index, names=names, policy=policy
    )
    roles_in = _eager(get, "roles")
    role_pids = {p: index.get(norm(p)) for p in roles_in["person"].drop_nulls().unique().to_list()}
    roles = (
        relink(roles_in.lazy(), recs)
        .collect()
        .with_columns(
            person_id=pl.col("person").replace_strict(role_pids, default=None, return_dtype=pl.String)
        )
        .sort("incident_id", "assigned_at", "role", nulls_last=True)
    )
    times = [incidents[c].max() for c in MILESTONES if incidents[c].null_count() < incidents.height]
    stamps = [t for t in (*times, deduped["at"].max() if deduped.height else None) if isinstance(t, datetime)]
    return Timeline(
        incidents=incidents,
        events=deduped,
        links=linked.links,
        milestones=ms,
        roles=roles.select(list(SCHEMAS["roles"])).cast(SCHEMAS["roles"]),
        people=people,
        aliases=linked.aliases,
        sections=_remap(_eager(get, "postmortem_sections"), ids).select(list(SCHEMAS["sections"])),
        whys=_remap(_eager(get, "whys"), ids).select(list(SCHEMAS["whys"])),
        action_items=_remap(_eager(get, "action_items"), ids).select(list(SCHEMAS["action_items"])),
        as_of=max(stamps) if stamps else None,
        notes=notes,
    )


def _remap(df: pl.DataFrame, ids: Mapping[str, str]) -> pl.DataFrame:
    return df.with_columns(pl.col("incident_id").replace(dict(ids)))
