"""The linked incident's id: readable, stable, and yours to rename.

The rule (the sample's README lists the ids it gives):

1. **The war room's id**: the war room's name after its prefix, as ``INC-<YYYY-MM-DD>-<words>``:
   ``incident-2025-01-15-payment`` → ``INC-2025-01-15-payment``,
   ``inc_2025-01-30_push-notifications`` → ``INC-2025-01-30-push-notifications`` — prefix
   ``INC-``, the date written ``YYYY-MM-DD`` (from ``2025-01-15``, ``2025_01_15`` or
   ``20250115`` at the start of the name; without one, the start date as in 3.), then the
   rest of the name as lower-case ASCII words joined by ``-``. The name is the one the
   workspace first saw for the channel, so renaming the channel later keeps the id.
2. **Without a war room, the post-mortem's stated id** (as the document writes it).
3. **Else** ``INC-<YYYY-MM-DD of its start in the team's time zone>-<slug of its service>``
   (the policy's ``[team] time_zone``; the service as :mod:`toolkit.timeline.services`
   names it; without a service, the slug of its title): a PagerDuty-only incident on the
   ``notifications`` service that started 2025-01-09 03:15 PST is ``INC-2025-01-09-notifications``.
4. **Collisions** get ``-2``, ``-3``, ... in order of start.

Stability: the per-source ids the rule reads never change for a record (the store keeps
the first it saw). On top of that the workspace remembers the id it gave each record
(``pinned``): an incident keeps its id when a new source joins it, even one that would
give another id by the rule (a war room opened after the PagerDuty incident was seen).

Renaming: a manual link (the workspace's ``links`` table, method ``manual``) of any of the
incident's records to a new id renames it (``toolkit.Workspace.rename_incident`` writes
one for every record). The former id stays in ``Timeline.aliases`` (kind ``former``), so
edits made under it still find the incident.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from toolkit.timeline.records import DATE_PREFIX
from toolkit.timeline.text import slug, slug_expr

__all__ = ["assign_ids", "rule_ids", "war_room_id"]

_INC = re.compile(r"^(?i:inc)-")
_DATE = re.compile(DATE_PREFIX)


def war_room_id(source_id: str, *, date: str | None = None) -> str:
    """Rule 1 for a war room whose per-source id (``INC-`` + the name's rest) is ``source_id``.

    Examples
    --------
    >>> war_room_id("INC-2025-01-30_push-notifications")
    'INC-2025-01-30-push-notifications'
    >>> war_room_id("INC-db_Outage", date="2025-03-02")
    'INC-2025-03-02-db-outage'
    """
    rest = _INC.sub("", source_id)
    m = _DATE.match(rest)
    if m:
        date, rest = f"{m[1]}-{m[2]}-{m[3]}", rest[m.end() :]
    words = slug(rest)
    return "-".join(p for p in ("INC", date or "", words) if p)


def rule_ids(recs: pl.DataFrame) -> pl.DataFrame:
    """Per record, the id rule 1-3 gives the incident it anchors (``rule_id``) and which rule.

    ``recs`` are :func:`toolkit.timeline.records.records` rows.
    """
    derived = pl.col("incident_id").str.contains(r"^INC-\d{4}-\d{2}-\d{2}-") & (
        pl.col("incident_id").str.replace(r"^INC-\d{4}-\d{2}-\d{2}-", "") == slug_expr(pl.col("title"))
    )
    stated = (pl.col("ref") == pl.col("incident_id")) | ~derived  # the importer keys a stated id as the ref
    room = pl.col("incident_id").map_elements(war_room_id, return_dtype=pl.String)
    what = pl.coalesce(pl.col("service_key"), slug_expr(pl.col("title")), pl.lit("incident"))
    rooms = recs.filter("is_war_room").select("rec", rule_id=room, rule=pl.lit(1))
    docs = recs.filter((pl.col("source") == "postmortem") & stated).select(
        "rec", rule_id="incident_id", rule=pl.lit(2)
    )
    other = recs.select("rec", rule_id=pl.format("INC-{}-{}", "local_date", what), rule=pl.lit(3))
    return (
        pl.concat([rooms, docs, other], how="vertical")
        .sort("rule", "rec")
        .unique("rec", keep="first", maintain_order=True)
        .sort("rec")
    )


def assign_ids(
    recs: pl.DataFrame,
    roots: pl.Series,
    *,
    manual: Mapping[int, str],
    pinned: Mapping[tuple[str, str], str],
) -> tuple[dict[int, str], pl.DataFrame]:
    """The id of every group (by root record) and the former ids (``alias, incident_id``).

    ``manual`` maps a group root to the id linked by hand; ``pinned`` maps
    ``(source, ref)`` to the id the workspace gave the record before.
    """
    rules = rule_ids(recs)
    frame = recs.select("rec", "source", "ref", "win_start").with_columns(root=roots).join(rules, on="rec")
    # the record that speaks for each group: lowest rule, then (records are in rank order) first
    anchors = (
        frame.sort("rule", "rec")
        .group_by("root", maintain_order=True)
        .agg(
            rule_id=pl.col("rule_id").first(),
            start=pl.col("win_start").min(),
            pins=pl.struct("rec", "source", "ref"),
        )
        .sort("start", "root", nulls_last=True)
    )
    ids: dict[int, str] = {}
    taken: set[str] = set(manual.values())
    formers: list[tuple[str, str]] = []
    claims: list[tuple[int, int, str]] = []  # (record, group, pinned id): the best-ranked record wins
    kept_by: dict[int, list[str]] = {}
    for root, rule_id, pins in anchors.select("root", "rule_id", "pins").iter_rows():
        kept = sorted(
            (p["rec"], pinned[(p["source"], p["ref"])]) for p in pins if (p["source"], p["ref"]) in pinned
        )
        kept_by[root] = [k for _, k in kept]
        if root in manual:
            ids[root] = manual[root]
            formers += [(old, manual[root]) for old in {*kept_by[root], rule_id} if old != manual[root]]
        elif kept:
            claims.append((kept[0][0], root, kept[0][1]))
    for _, root, pin in sorted(claims):
        if pin not in taken:
            ids[root] = pin
            taken.add(pin)
            formers += [(old, pin) for old in set(kept_by[root]) if old != pin]
    for root, rule_id in anchors.select("root", "rule_id").iter_rows():  # in order of start
        if root in ids:
            continue
        new_id, n = rule_id, 1
        while new_id in taken:
            n += 1
            new_id = f"{rule_id}-{n}"
        ids[root] = new_id
        taken.add(new_id)
    former = pl.DataFrame(
        formers, schema={"alias": pl.String, "incident_id": pl.String}, orient="row"
    ).unique()
    return ids, former
