"""One row per linked incident: what its records say, each field from the source that knows best.

==========================  =====================================================================
field                       from (the first record that has it)
==========================  =====================================================================
title                       post-mortem, war room, status page, PagerDuty
severity                    war room (last declared or changed to), post-mortem, PagerDuty
declared_severity           the first declaration that names a severity (else ``severity``)
computed_severity           the policy's decision tree on the impact (``explain_severity``), with
                            the branch that decided in ``severity_reason``; null when no impact
                            is stated
service                     PagerDuty, war room, status page, post-mortem — canonical
                            (:mod:`toolkit.timeline.services`)
components                  every record's, together
commander                   war room, post-mortem, other — the person's name across sources
impact columns              post-mortem, war room, status page, PagerDuty
status                      resolved (a resolution), mitigated (a completed mitigation), else open
==========================  =====================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from toolkit.errors import ArgumentError
from toolkit.policy import Policy, explain_severity
from toolkit.timeline.model import SCHEMAS, SOURCE_ORDER
from toolkit.timeline.people import norm

__all__ = ["IMPACT_INPUTS", "incident_rows", "judge"]

IMPACT_INPUTS = {
    "revenue_impacted": "revenue_impacted",
    "data_breach": "data_breach",
    "users_affected_pct": "percent_users_affected",
    "core_down": "core_functionality_down",
    "workaround": "workaround_exists",
    "degradation_pct": "performance_degradation",
}
"""Impact columns of the incidents table → inputs of the seed's decision tree."""

_ORDER: dict[str, tuple[str, ...]] = {
    "title": ("postmortem", "slack", "statuspage", "pagerduty"),
    "severity": ("slack", "postmortem", "pagerduty", "statuspage"),
    "service": ("pagerduty", "slack", "statuspage", "postmortem"),
    "commander": ("slack", "postmortem", "pagerduty", "statuspage"),
    "impact": ("postmortem", "slack", "statuspage", "pagerduty"),
    "url": ("pagerduty", "statuspage", "slack", "postmortem"),
}


def _first(recs: pl.LazyFrame, column: str, order: tuple[str, ...], name: str | None = None) -> pl.LazyFrame:
    prio = pl.col("source").replace_strict(
        {s: i for i, s in enumerate(order)}, default=len(order), return_dtype=pl.Int32
    )
    return (
        recs.with_columns(_p=prio)
        .sort("_p", "rec")
        .group_by("linked_id")
        .agg(pl.col(column).drop_nulls().first().alias(name or column))
    )


def judge(rows: list[dict[str, Any]], policy: Policy) -> tuple[list[str | None], list[str | None]]:
    """Severity by the decision tree and the branch that decided, per row of impact columns
    (None where no impact is stated)."""
    sevs: list[str | None] = []
    reasons: list[str | None] = []
    for row in rows:
        inputs = {IMPACT_INPUTS[c]: row[c] for c in IMPACT_INPUTS if row[c] is not None}
        if not inputs:
            sevs.append(None)
            reasons.append(None)
            continue
        try:
            sev, why = explain_severity(**inputs, policy=policy)
        except ArgumentError as exc:  # a stated percentage outside 0-100: say so, judge nothing
            sevs.append(None)
            reasons.append(f"not judged: {exc}")
            continue
        sevs.append(sev.value)
        reasons.append(why)
    return sevs, reasons


def incident_rows(
    recs: pl.DataFrame,
    wide: pl.DataFrame,
    events: pl.DataFrame,
    *,
    people: Mapping[str, str],
    names: Mapping[str, str],
    policy: Policy,
) -> pl.DataFrame:
    """The timeline's ``incidents`` frame (module docs).

    ``recs`` are the linked records, ``wide`` the milestones per incident, ``events`` the
    timeline's events; ``people`` maps a normalised name to its ``person_id`` and
    ``names`` a ``person_id`` to the person's name.
    """
    lazy = recs.lazy()
    parts = [
        _first(lazy, "title", _ORDER["title"]),
        _first(lazy, "severity", _ORDER["severity"]),
        _first(
            lazy.with_columns(_svc=pl.col("service_keys").list.first()), "_svc", _ORDER["service"], "service"
        ),
        _first(lazy, "commander", _ORDER["commander"]),
        _first(lazy, "url", _ORDER["url"]),
        *(_first(lazy, c, _ORDER["impact"]) for c in ("impact", *IMPACT_INPUTS)),
        lazy.group_by("linked_id").agg(
            components=pl.col("components")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .drop_nulls()
            .unique(maintain_order=True),
            _sources=pl.col("source").unique(),
            records=pl.format("{}:{}", "source", "ref").sort(),
            war_room=pl.col("channel").filter(pl.col("is_war_room")).first(),
        ),
    ]
    out = parts[-1]
    for p in parts[:-1]:
        out = out.join(p, on="linked_id", how="left")
    declared = (
        events.lazy()
        .filter((pl.col("kind") == "declare") & pl.col("severity").is_not_null())
        .select("incident_id", "at", "severity")
        .collect(engine="streaming")
        .lazy()
        .sort("at")
        .group_by("incident_id")
        .agg(declared_severity=pl.col("severity").first())
    )
    counts = (
        events.lazy()
        .group_by("incident_id")
        .agg(n_events=pl.len().cast(pl.Int64))
        .collect(engine="streaming")
        .lazy()
    )
    order = {s: i for i, s in enumerate(SOURCE_ORDER)}
    df = (
        out.rename({"linked_id": "incident_id"})
        .join(declared, on="incident_id", how="left")
        .join(counts, on="incident_id", how="left")
        .join(wide.lazy(), on="incident_id", how="left")
        .with_columns(
            sources=pl.col("_sources").list.eval(
                pl.element().sort_by(
                    pl.element().replace_strict(order, default=len(order), return_dtype=pl.Int32)
                )
            ),
            declared_severity=pl.coalesce("declared_severity", "severity"),
            n_events=pl.col("n_events").fill_null(0),
            status=pl.when(pl.col("resolved_at").is_not_null())
            .then(pl.lit("resolved"))
            .when(pl.col("mitigated_at").is_not_null())
            .then(pl.lit("mitigated"))
            .otherwise(pl.lit("open")),
        )
        .collect()
    )
    found = {n: people.get(norm(n)) for n in df["commander"].drop_nulls().unique().to_list()}
    df = df.with_columns(
        commander_id=pl.col("commander").replace_strict(found, default=None, return_dtype=pl.String)
    )
    df = df.with_columns(
        commander=pl.coalesce(
            pl.col("commander_id").replace_strict(dict(names), default=None, return_dtype=pl.String),
            "commander",
        )
    )
    sevs, reasons = judge(df.select(*IMPACT_INPUTS).to_dicts(), policy)
    df = df.with_columns(
        computed_severity=pl.Series(sevs, dtype=pl.String),
        severity_reason=pl.Series(reasons, dtype=pl.String),
    )
    return (
        df.select(list(SCHEMAS["incidents"]))
        .cast(SCHEMAS["incidents"])
        .sort(pl.coalesce("started_at", "detected_at", "declared_at"), "incident_id", nulls_last=True)
    )
