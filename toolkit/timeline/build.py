"""Build the :class:`~toolkit.timeline.model.Timeline` from the store's frames (pure).

:func:`build` takes the tables by name — what :func:`tables_of` reads from a store
workspace — links the records (:mod:`.link`), moves every event, role, post-mortem
section, 5-Whys node and action item under its linked incident, deduplicates events
(:mod:`.events`), resolves people (:mod:`.people`), derives the milestones with the hand
corrections applied (:mod:`.milestones`) and writes one row per incident (:mod:`.incidents`).
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

__all__ = ["READ", "build", "tables_of"]

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

_KEY_KINDS = ["alert", "acknowledge", "declare", "postmortem"]


def tables_of(ws: Workspace) -> dict[str, pl.DataFrame]:
    """The tables :func:`build` reads, from a store workspace, plus who made each correction
    (``corrections_audit``: source, ref, field, actor, at — the latest edit of each)."""
    have = set(ws.names())
    out = {
        name: ws.table(name) if name in have else pl.DataFrame(schema=TABLES[name].schema) for name in READ
    }
    audit = ws.audit().filter(pl.col("table_name") == "corrections")
    out["corrections_audit"] = audit.select(
        source=pl.col("key").list.get(0),
        ref=pl.col("key").list.get(1),
        field=pl.col("key").list.get(2),
        actor="actor",
        at="at",
    ).unique(["source", "ref", "field"], keep="last", maintain_order=True)
    return out


def _remap(df: pl.DataFrame, ids: Mapping[str, str]) -> pl.DataFrame:
    return df.with_columns(pl.col("incident_id").replace(dict(ids)))


def build(
    tables: Mapping[str, pl.DataFrame], *, policy: Policy, pinned: pl.DataFrame | None = None
) -> Timeline:
    """The timeline of the store's ``tables`` (see :func:`tables_of` and the module docs).

    Parameters
    ----------
    tables
        The store's tables by name; ``incidents`` and ``events`` are required, the others
        (:data:`READ`, and ``corrections_audit``) are used when present.
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
    get = {name: tables.get(name, pl.DataFrame(schema=TABLES[name].schema)) for name in READ}
    get = {**tables, **{k: v for k, v in get.items() if k not in tables}}
    if not get["incidents"].height:
        return Timeline.empty()
    linked = link(get, policy=policy, pinned=pinned)
    corrections = get["corrections"]
    recs, corrected = correct_records(linked.records, corrections)
    aliases = linked.aliases
    ids = {a: i for a, i in aliases.unique("alias", keep="first").select("alias", "incident_id").iter_rows()}
    ambiguous = set(
        aliases.group_by("alias")
        .agg(pl.col("incident_id").n_unique())
        .filter(pl.col("incident_id") > 1)["alias"]
    )
    ids = {a: i for a, i in ids.items() if a not in ambiguous}
    services = set(recs["service_keys"].explode().drop_nulls().unique().to_list())
    people, index = resolve_people(get, policy=policy, services=services)
    names = dict(zip(people["person_id"].to_list(), people["name"].to_list(), strict=True))
    events = relink(correct_times(get["events"].lazy(), corrections), recs).collect()
    actors = {a: index.get(norm(a)) for a in events["actor"].drop_nulls().unique().to_list()}
    events = events.with_columns(
        person_id=pl.col("actor").replace_strict(actors, default=None, return_dtype=pl.String)
    )
    deduped = dedupe(events).select(list(SCHEMAS["events"])).cast(SCHEMAS["events"])
    key_events = deduped.filter(pl.col("kind").is_in(_KEY_KINDS))
    linked_ids = set(recs["linked_id"].to_list())
    record_keys = recs.select("source", "ref")
    incident_level = (
        corrections.filter(pl.col("field").is_in(list(MILESTONES)))
        .join(record_keys, on=["source", "ref"], how="anti")
        .with_columns(incident_id=pl.col("ref").replace_strict(ids, default=None, return_dtype=pl.String))
        .with_columns(
            incident_id=pl.when(pl.col("ref").is_in(list(linked_ids))).then("ref").otherwise("incident_id")
        )
    )
    notes = tuple(
        f"correction {s}/{r} {f}: no incident, record or event has this ref; it changes nothing"
        for s, r, f in incident_level.filter(pl.col("incident_id").is_null())
        .select("source", "ref", "field")
        .iter_rows()
    )
    overrides = incident_level.filter(pl.col("incident_id").is_not_null()).select(
        "incident_id", milestone="field", at="at", source="source", ref="ref", reason="reason"
    )
    ms = milestones(
        recs,
        key_events.lazy(),
        deduped,
        overrides=overrides,
        corrected=corrected,
        audit=get.get(
            "corrections_audit",
            pl.DataFrame(schema={c: pl.String for c in ("source", "ref", "field", "actor", "at")}),
        ),
    )
    all_ids = recs["linked_id"].unique(maintain_order=True)
    incidents = incident_rows(
        recs, wide(ms, recs, all_ids), deduped, people=index, names=names, policy=policy
    )
    role_pids = {p: index.get(norm(p)) for p in get["roles"]["person"].drop_nulls().unique().to_list()}
    roles = (
        relink(get["roles"].lazy(), recs)
        .collect()
        .with_columns(
            person_id=pl.col("person").replace_strict(role_pids, default=None, return_dtype=pl.String)
        )
        .sort("incident_id", "assigned_at", "role", nulls_last=True)
    )
    times = [incidents[c].max() for c in MILESTONES if incidents[c].null_count() < incidents.height]
    last = deduped["at"].max() if deduped.height else None
    stamps = [t for t in (*times, last) if isinstance(t, datetime)]
    return Timeline(
        incidents=incidents,
        events=deduped,
        links=linked.links,
        milestones=ms,
        roles=roles.select(list(SCHEMAS["roles"])).cast(SCHEMAS["roles"]),
        people=people,
        aliases=aliases,
        sections=_remap(get["postmortem_sections"], ids).select(list(SCHEMAS["sections"])),
        whys=_remap(get["whys"], ids).select(list(SCHEMAS["whys"])),
        action_items=_remap(get["action_items"], ids).select(list(SCHEMAS["action_items"])),
        as_of=max(stamps) if stamps else None,
        notes=notes,
    )
