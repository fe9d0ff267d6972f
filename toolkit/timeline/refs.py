"""Explicit references between records: what one source's text says about another's record.

Searched in every record's events, its war room's messages and its post-mortem's prose:

=============  ==================================================  =========================
kind           written as                                          names
=============  ==================================================  =========================
``pd_id``      ``https://acme.pagerduty.com/incidents/PZ4F9WB``    a PagerDuty incident
``pd_number``  ``PagerDuty #1043``, ``PD incident #1043``          a PagerDuty incident
``sp_id``      ``https://status.acme.example/incidents/p7m2x9k4``  a status-page incident
``sp_short``   ``https://stspg.io/g587hvricvvz``                   a status-page incident
``channel``    ``#incident-2025-01-15-payment``                    a war room
``id``         ``INC-2025-01-15-payment``, ``PD-PZ4F9WB``          any record's incident id
=============  ==================================================  =========================

A reference links two records of different sources whose windows are at most a day
apart (a post-mortem that mentions last month's war room does not link to it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import polars as pl

__all__ = ["CONFIDENCE", "PATTERNS", "reference_edges", "texts"]

PATTERNS: dict[str, str] = {
    "pd_id": r"pagerduty\.com/incidents/([A-Z0-9]{5,})",
    "pd_number": r"(?i)\b(?:pagerduty|pd)\s*(?:incident\s*)?#\s?(\d{2,})",
    "sp_id": r"(?i)https?://(?:[^\s/]*status[^\s/]*|[^\s/]*statuspage\.io/pages/[a-z0-9]+)/incidents/([a-z0-9]{6,})",
    "sp_short": r"stspg\.io/([A-Za-z0-9]{4,})",
    "channel": r"#([a-z0-9][a-z0-9_-]{2,79})",
    "id": r"\b((?:INC|PD|SP)-[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9])",
}
"""Regular expressions (Rust ``regex`` syntax, group 1 the value) per kind of reference."""

CONFIDENCE = {"pd_id": 1.0, "sp_id": 1.0, "sp_short": 1.0, "id": 1.0, "channel": 0.95, "pd_number": 0.9}
"""How surely each kind of reference means the same incident."""

_MARKERS = r"(?i)/incidents/|stspg\.io/|#|\b(?:inc|pd|sp)-"
_PLAUSIBLE = timedelta(days=1)


def texts(tables: Mapping[str, pl.DataFrame | pl.LazyFrame], recs: pl.DataFrame) -> pl.DataFrame:
    """Every text a record has (``rec``, ``where``, ``text``): its events, its war room's
    messages, its post-mortem's sections; only texts that may hold a reference."""
    ids = recs.select("rec", "source", "incident_id", "ref", "is_war_room")
    parts = [
        tables["events"]
        .lazy()
        .select("source", "incident_id", where=pl.format("{}:{}", "source", "ref"), text="text")
        .join(ids.lazy().select("rec", "source", "incident_id"), on=["source", "incident_id"])
        .select("rec", "where", "text")
    ]
    msgs = tables.get("slack_messages")
    if msgs is not None:
        rooms = ids.filter(pl.col("source") == "slack").lazy()
        base = msgs.lazy().select(
            "channel_id",
            "ts",
            "text",
            _thread=pl.format("{}/{}", "channel_id", pl.coalesce("thread_ts", "ts")),
        )
        parts.append(
            base.join(rooms.select("rec", channel_id="ref"), on="channel_id").select(
                "rec", where=pl.format("slack:{}/{}", "channel_id", "ts"), text="text"
            )
        )
        parts.append(
            base.join(rooms.select("rec", _thread="ref"), on="_thread").select(
                "rec", where=pl.format("slack:{}/{}", "channel_id", "ts"), text="text"
            )
        )
    sections = tables.get("postmortem_sections")
    if sections is not None:
        parts.append(
            sections.lazy()
            .select(
                "incident_id", where=pl.format("postmortem:{}", pl.coalesce("ref", "section")), text="text"
            )
            .join(
                ids.lazy().filter(pl.col("source") == "postmortem").select("rec", "incident_id"),
                on="incident_id",
            )
            .select("rec", "where", "text")
        )
    return (
        pl.concat(parts, how="vertical")
        .filter(pl.col("text").str.contains(_MARKERS))
        .unique(["rec", "where", "text"], maintain_order=True)
        .collect(engine="streaming")
    )


def _targets(recs: pl.DataFrame) -> pl.DataFrame:
    """``(kind, value) -> rec``: what each record can be called."""
    ref_tail = pl.col("ref").str.split("/").list.last()
    parts = [
        recs.filter(pl.col("source") == "pagerduty").select("rec", kind=pl.lit("pd_id"), value="ref"),
        recs.filter(pl.col("pd_number").is_not_null()).select(
            "rec", kind=pl.lit("pd_number"), value="pd_number"
        ),
        recs.filter(pl.col("source") == "statuspage").select("rec", kind=pl.lit("sp_id"), value=ref_tail),
        recs.filter(pl.col("sp_shortlink").is_not_null()).select(
            "rec", kind=pl.lit("sp_short"), value="sp_shortlink"
        ),
        recs.filter(pl.col("is_war_room") & pl.col("channel").is_not_null()).select(
            "rec", kind=pl.lit("channel"), value="channel"
        ),
        recs.select("rec", kind=pl.lit("id"), value="incident_id"),
    ]
    return pl.concat(parts, how="vertical").unique(["kind", "value", "rec"])


def reference_edges(found: pl.DataFrame, recs: pl.DataFrame) -> pl.DataFrame:
    """Edges ``a, b, method="reference", confidence, evidence`` from the texts of :func:`texts`."""
    hits = []
    for kind, pattern in PATTERNS.items():
        hits.append(
            found.lazy()
            .select("rec", "where", m=pl.col("text").str.extract_all(pattern))
            .explode("m")
            .drop_nulls("m")
            .select("rec", "where", kind=pl.lit(kind), value=pl.col("m").str.extract(pattern, 1), shown="m")
        )
    side = recs.select("rec", "source", "win_start", "win_end").lazy()
    edges = (
        pl.concat(hits, how="vertical")
        .join(_targets(recs).lazy().rename({"rec": "b"}), on=["kind", "value"])
        .rename({"rec": "a"})
        .join(side.rename(lambda c: f"{c}_a" if c != "rec" else "a"), on="a")
        .join(side.rename(lambda c: f"{c}_b" if c != "rec" else "b"), on="b")
        .filter(
            (pl.col("a") != pl.col("b"))
            & (pl.col("source_a") != pl.col("source_b"))
            & (pl.col("win_start_a") <= pl.col("win_end_b") + _PLAUSIBLE)
            & (pl.col("win_start_b") <= pl.col("win_end_a") + _PLAUSIBLE)
        )
        .select(
            "a",
            "b",
            method=pl.lit("reference"),
            confidence=pl.col("kind").replace_strict(CONFIDENCE, return_dtype=pl.Float64),
            evidence=pl.format("{} names {}", "where", "shown"),
        )
        .sort("a", "b", pl.col("confidence"), "evidence", descending=[False, False, True, False])
        .unique(["a", "b"], keep="first", maintain_order=True)
    )
    return edges.collect()
