"""Linking: which records of which sources are one incident, and under which id.

Explicit references first (:mod:`.refs`), then naming (:mod:`.naming`), then time
overlap plus service (:mod:`.overlap`); manual links and unlinks from the workspace's
``links`` table always win (:mod:`.groups`); ids by the rule of :mod:`.ids`. Every record
keeps the method and confidence of its link: ``manual`` (1.0), ``reference``, ``name``,
``time+service``, or ``self`` for a record that links nowhere and stays its own incident.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from toolkit.policy import Policy
from toolkit.timeline.groups import METHOD_RANK, join_records
from toolkit.timeline.ids import assign_ids, rule_ids
from toolkit.timeline.model import SCHEMAS, eager
from toolkit.timeline.naming import naming_edges
from toolkit.timeline.overlap import overlap_edges
from toolkit.timeline.records import records
from toolkit.timeline.refs import reference_edges, texts

__all__ = ["Linked", "link"]

_EDGE = pl.Schema(
    {
        "a": pl.Int64(),
        "b": pl.Int64(),
        "method": pl.String(),
        "confidence": pl.Float64(),
        "evidence": pl.String(),
    }
)


@dataclass(frozen=True)
class Linked:
    """The records with their linked id (``linked_id``), the links and the aliases."""

    records: pl.DataFrame
    links: pl.DataFrame
    aliases: pl.DataFrame


def link(
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame],
    *,
    policy: Policy,
    pinned: pl.DataFrame | None = None,
) -> Linked:
    """Link the store's incident records (``tables["incidents"]``) into incidents.

    ``tables`` also gives ``events`` (required), ``links`` (manual links and unlinks),
    and, where present, ``slack_messages``, ``slack_channels``, ``pagerduty_incidents``,
    ``statuspage_incidents`` and ``postmortem_sections``. ``pinned`` (``source, ref,
    incident_id``) holds the ids given before (see :mod:`toolkit.timeline.ids`).
    """
    recs = records(tables, policy=policy)
    edges = pl.concat(
        [
            reference_edges(texts(tables, recs), recs).cast(_EDGE),
            naming_edges(recs).cast(_EDGE),
            overlap_edges(recs).cast(_EDGE),
        ],
        how="vertical",
    )
    keys = recs.select("rec", "source", "ref")
    edits = eager(tables, "links")
    if edits is None:
        edits = pl.DataFrame(schema=SCHEMAS["links"]).select("incident_id", "source", "ref", "method")
    manual_rows = edits.filter(pl.col("method") == "manual").join(keys, on=["source", "ref"])
    codes = {iid: i for i, iid in enumerate(sorted(set(manual_rows["incident_id"].to_list())))}
    manual = {rec: codes[iid] for rec, iid in manual_rows.select("rec", "incident_id").iter_rows()}
    pins = (
        {}
        if pinned is None
        else {(s, r): i for s, r, i in pinned.select("source", "ref", "incident_id").iter_rows()}
    )
    manual |= _anchors(recs, codes, pins, taken_by_hand=set(manual))
    unlinked = set(
        edits.filter(pl.col("method") == "unlink").join(keys, on=["source", "ref"])["rec"].to_list()
    )
    roots, taken = join_records(recs["rank"], edges, manual=manual, unlinked=unlinked)
    root_s = pl.Series("root", roots)
    names = {c: iid for iid, c in codes.items()}
    manual_root = {int(roots[rec]): names[c] for rec, c in manual.items()}
    ids, former = assign_ids(recs, root_s, manual=manual_root, pinned=pins)
    recs = recs.with_columns(root=root_s).with_columns(
        linked_id=pl.col("root").replace_strict(ids, return_dtype=pl.String)
    )
    best = (
        pl.concat([taken.select(rec="a", **_e()), taken.select(rec="b", **_e())], how="vertical")
        .with_columns(_m=pl.col("method").replace_strict(METHOD_RANK, return_dtype=pl.Int32))
        .sort("rec", "_m", "confidence", "evidence", descending=[False, False, True, False])
        .unique("rec", keep="first", maintain_order=True)
        .drop("_m")
    )
    is_manual = pl.col("rec").is_in(list(manual))
    links = (
        recs.join(best, on="rec", how="left")
        .select(
            incident_id="linked_id",
            source="source",
            ref="ref",
            method=pl.when(is_manual).then(pl.lit("manual")).otherwise(pl.coalesce("method", pl.lit("self"))),
            confidence=pl.when(is_manual).then(1.0).otherwise(pl.coalesce("confidence", pl.lit(1.0))),
            source_incident_id="incident_id",
            evidence=pl.when(is_manual).then(pl.lit("linked by hand")).otherwise("evidence"),
        )
        .sort("incident_id", "source", "ref")
    )
    aliases = pl.concat(
        [
            recs.select(alias="incident_id", incident_id="linked_id", source="source", kind=pl.lit("source")),
            former.select("alias", "incident_id", source=pl.lit(None, pl.String), kind=pl.lit("former")),
        ],
        how="vertical",
    ).unique(maintain_order=True)
    return Linked(records=recs, links=links.cast(SCHEMAS["links"]), aliases=aliases.cast(SCHEMAS["aliases"]))


def _anchors(
    recs: pl.DataFrame,
    codes: Mapping[str, int],
    pins: Mapping[tuple[str, str], str],
    *,
    taken_by_hand: set[int],
) -> dict[int, int]:
    """Records that already go by an id a manual link names: linking a record by hand to
    ``INC-2025-01-15-payment`` joins it to the incident of that id (the war room whose id
    it is, the record of that per-source id, the records it was given to before)."""
    if not codes:
        return {}
    rules = rule_ids(recs).filter(pl.col("rule") == 1).select("rec", "rule_id")
    named = recs.select("rec", "source", "ref", "incident_id").join(rules, on="rec", how="left")
    out: dict[int, int] = {}
    for rec, source, ref, own, rule_id in named.iter_rows():
        if rec in taken_by_hand:
            continue
        for name in (own, rule_id, pins.get((source, ref))):
            if isinstance(name, str) and name in codes:
                out[rec] = codes[name]
                break
    return out


def _e() -> dict[str, pl.Expr]:
    return {"method": pl.col("method"), "confidence": pl.col("confidence"), "evidence": pl.col("evidence")}
