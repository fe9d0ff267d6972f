"""The milestones of each linked incident, and where each came from.

=================  ============================================================================
milestone          taken from (the first that exists)
=================  ============================================================================
``started_at``     the stated impact start: the earliest that the war room's declaration
                   ("Started: 14:02"), the post-mortem and the status page (``started_at``)
                   state; else the first alert; else the earliest of detection and declaration
``detected_at``    the first alert or PagerDuty trigger (any source); else a stated detection
                   ("Detected: 10:02", the post-mortem's); else the declaration
``acknowledged_at`` the first acknowledgement
``declared_at``    the war-room declaration; else the first declaration any source records
``mitigated_at``   the first mitigation that **completed** (rollback done, flag disabled,
                   failover done; :mod:`toolkit.timeline.mitigation`), at or before resolution
``resolved_at``    the war room's resolution, else PagerDuty's resolve, else the status page's,
                   else the post-mortem's; each stays visible as ``resolved_at_<source>``
``postmortem_at``  the post-mortem's own date, else a ``postmortem`` event, else the status
                   page's post-mortem
=================  ============================================================================

Events count once (:func:`toolkit.timeline.events.dedupe`): a post-mortem's "10:00 AM Alert"
and PagerDuty's trigger at 10:00:07 are one alert, at PagerDuty's precise time.

Hand corrections (the workspace's ``corrections`` table) override: one whose ``ref`` is an
incident id (linked, per-source or former) and whose ``field`` names a milestone sets that
milestone; one whose ``source`` and ``ref`` name a record corrects that record's field
before the rules above run. Either way the milestone row keeps the derived value in
``derived_at`` and says who corrected it, when and why (from the edit's audit entry).
"""

from __future__ import annotations

import polars as pl

from toolkit.schema import UTC
from toolkit.timeline.mitigation import MITIGATION_KINDS, completed
from toolkit.timeline.model import MILESTONES, RESOLVED_BY, SCHEMAS, SOURCE_ORDER

__all__ = ["correct_records", "milestones", "wide"]

_STATED = {"slack": 0, "postmortem": 1, "statuspage": 2, "pagerduty": 3, "manual": 4}
_RESOLVED = {s: i for i, s in enumerate(SOURCE_ORDER)}
_SAYS = {
    "slack": "the war room",
    "pagerduty": "PagerDuty",
    "statuspage": "the status page",
    "postmortem": "the post-mortem",
    "manual": "a manual record",
}
_CAND = ["incident_id", "milestone", "at", "source", "ref", "method", "prio"]


def _from_records(
    recs: pl.DataFrame, column: str, milestone: str, order: dict[str, int], how: str
) -> pl.LazyFrame:
    return (
        recs.lazy()
        .filter(pl.col(column).is_not_null())
        .select(
            incident_id="linked_id",
            milestone=pl.lit(milestone),
            at=column,
            source="source",
            ref="ref",
            method=pl.format(how, pl.col("source").replace_strict(_SAYS, default="a record")),
            prio=pl.col("source").replace_strict(order, default=9, return_dtype=pl.Int32),
        )
    )


def _from_events(
    events: pl.LazyFrame, kinds: list[str], milestone: str, method: str, prio: int
) -> pl.LazyFrame:
    return (
        events.filter(pl.col("kind").is_in(kinds))
        .sort("at")
        .group_by("incident_id")
        .agg(pl.all().first())
        .select(
            "incident_id",
            milestone=pl.lit(milestone),
            at="at",
            source="source",
            ref="ref",
            method=pl.lit(method),
            prio=pl.lit(prio, pl.Int32),
        )
    )


def _pick(cands: list[pl.LazyFrame]) -> pl.DataFrame:
    return (
        pl.concat([c.select(_CAND) for c in cands], how="vertical")
        .with_columns(_tie=pl.col("source").replace_strict(_STATED, default=9, return_dtype=pl.Int32))
        .sort("incident_id", "milestone", "prio", "at", "_tie")
        .group_by("incident_id", "milestone", maintain_order=True)
        .agg(pl.all().first())
        .drop("prio", "_tie")
        .collect()
    )


def correct_records(recs: pl.DataFrame, corrections: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``recs`` with record-level corrections applied, and what was corrected (``source, ref,
    milestone, derived_at``) for :func:`milestones` to report."""
    fix = corrections.filter(pl.col("field").is_in(list(MILESTONES))).join(
        recs.select("source", "ref"), on=["source", "ref"], how="semi"
    )
    if not fix.height:
        return recs, pl.DataFrame(
            schema={"source": pl.String, "ref": pl.String, "milestone": pl.String, "derived_at": UTC}
        )
    before = []
    out = recs
    for field in fix["field"].unique().to_list():
        rows = fix.filter(pl.col("field") == field).select("source", "ref", _fixed="at", _hit=pl.lit(True))
        before.append(
            out.join(rows, on=["source", "ref"]).select(
                "source", "ref", milestone=pl.lit(field), derived_at=field
            )
        )
        out = (
            out.join(rows, on=["source", "ref"], how="left")
            .with_columns(
                pl.when(pl.col("_hit")).then(pl.col("_fixed")).otherwise(pl.col(field)).alias(field)
            )
            .drop("_fixed", "_hit")
        )
    return out, pl.concat(before)


def milestones(
    recs: pl.DataFrame,
    events: pl.LazyFrame,
    deduped: pl.DataFrame,
    *,
    overrides: pl.DataFrame,
    corrected: pl.DataFrame,
    audit: pl.DataFrame,
) -> pl.DataFrame:
    """The milestones frame (module docs): one row per incident and milestone that has a value.

    ``recs`` are the linked records (``linked_id``) after :func:`correct_records`;
    ``events`` the timeline's alerts, acknowledgements, declarations and post-mortem events;
    ``deduped`` all the timeline's events;
    ``overrides`` the incident-level corrections (``incident_id, milestone, at, source, ref``
    of the correction); ``corrected`` what :func:`correct_records` changed; ``audit`` who
    made each correction (``source, ref, field, actor, at``).
    """
    declared = _pick(
        [
            _from_records(
                recs.filter(pl.col("source") == "slack"),
                "declared_at",
                "declared_at",
                {"slack": 0},
                "declaration in {}",
            ),
            _from_events(events, ["declare"], "declared_at", "first declaration", 1),
        ]
    )
    resolved = _pick([_from_records(recs, "resolved_at", "resolved_at", _RESOLVED, "resolution in {}")])
    acknowledged = _pick(
        [
            _from_events(events, ["acknowledge"], "acknowledged_at", "first acknowledgement", 0),
            _from_records(recs, "acknowledged_at", "acknowledged_at", {}, "acknowledgement in {}"),
        ]
    )
    first_alert = _from_events(events, ["alert"], "detected_at", "first alert", 0)
    detected = _pick(
        [
            first_alert,
            _from_records(recs, "detected_at", "detected_at", {}, "detection stated in {}").with_columns(
                prio=pl.lit(1, pl.Int32)
            ),
            declared.lazy().with_columns(
                milestone=pl.lit("detected_at"), method=pl.lit("declaration"), prio=pl.lit(2, pl.Int32)
            ),
        ]
    )
    started = _pick(
        [
            _from_records(recs, "started_at", "started_at", _STATED, "start stated in {}").with_columns(
                prio=pl.lit(0, pl.Int32)
            ),
            first_alert.with_columns(milestone=pl.lit("started_at"), prio=pl.lit(10, pl.Int32)),
            pl.concat([detected.lazy(), declared.lazy()]).with_columns(
                milestone=pl.lit("started_at"),
                method=pl.lit("earliest known time"),
                prio=pl.lit(20, pl.Int32),
            ),
        ]
    )
    until = resolved.lazy().select("incident_id", _until="at")
    mitigated = _pick(
        [
            deduped.lazy()
            .filter(pl.col("kind").is_in(list(MITIGATION_KINDS)))
            .select("incident_id", "at", "source", "ref", "kind", "text")
            .collect(engine="streaming")
            .lazy()
            .filter(completed())
            .join(until, on="incident_id", how="left")
            .filter(pl.col("_until").is_null() | (pl.col("at") <= pl.col("_until")))
            .drop("_until")
            .pipe(
                lambda e: _from_events(e, list(MITIGATION_KINDS), "mitigated_at", "mitigation completed", 0)
            )
        ]
    )
    postmortem = _pick(
        [
            _from_records(
                recs.filter(pl.col("source") == "postmortem"),
                "postmortem_at",
                "postmortem_at",
                {},
                "date of {}",
            ),
            _from_events(events, ["postmortem"], "postmortem_at", "post-mortem event", 1),
            _from_records(
                recs.filter(pl.col("source") != "postmortem"),
                "postmortem_at",
                "postmortem_at",
                {"statuspage": 2},
                "post-mortem on {}",
            ).with_columns(prio=pl.lit(2, pl.Int32)),
        ]
    )
    derived = pl.concat(
        [started, detected, acknowledged, declared, mitigated, resolved, postmortem]
    ).with_columns(derived_at="at")
    who = audit.select("source", "ref", milestone="field", corrected_by="actor", corrected_at="at")
    # record-level corrections that a milestone took its value from
    derived = (
        derived.join(corrected.rename({"derived_at": "_orig"}), on=["source", "ref", "milestone"], how="left")
        .join(who, on=["source", "ref", "milestone"], how="left")
        .with_columns(
            derived_at=pl.when(pl.col("_orig").is_not_null() | pl.col("corrected_by").is_not_null())
            .then(pl.col("_orig"))
            .otherwise("derived_at"),
            method=pl.when(pl.col("corrected_by").is_not_null() | pl.col("_orig").is_not_null())
            .then(pl.format("{} (corrected)", "method"))
            .otherwise("method"),
            reason=pl.lit(None, pl.String),
        )
        .drop("_orig")
    )
    # incident-level corrections: replace the milestone, keep the derived value beside it
    if overrides.height:
        over = overrides.join(
            who, left_on=["source", "ref", "milestone"], right_on=["source", "ref", "milestone"], how="left"
        )
        derived = (
            derived.join(
                over.select(
                    "incident_id",
                    "milestone",
                    _at="at",
                    _src="source",
                    _ref="ref",
                    _by="corrected_by",
                    _when="corrected_at",
                    _why="reason",
                ),
                on=["incident_id", "milestone"],
                how="full",
                coalesce=True,
            )
            .with_columns(
                hit=pl.col("_src").is_not_null(),
            )
            .with_columns(
                at=pl.when("hit").then("_at").otherwise("at"),
                source=pl.when("hit").then("_src").otherwise("source"),
                ref=pl.when("hit").then("_ref").otherwise("ref"),
                method=pl.when("hit").then(pl.lit("correction")).otherwise("method"),
                corrected_by=pl.when("hit").then("_by").otherwise("corrected_by"),
                corrected_at=pl.when("hit").then("_when").otherwise("corrected_at"),
                reason=pl.when("hit").then("_why").otherwise("reason"),
            )
            .drop("_at", "_src", "_ref", "_by", "_when", "_why", "hit")
        )
    order = {m: i for i, m in enumerate(MILESTONES)}
    return (
        derived.with_columns(_o=pl.col("milestone").replace_strict(order, return_dtype=pl.Int32))
        .sort("incident_id", "_o")
        .drop("_o")
        .select(list(SCHEMAS["milestones"]))
        .cast(SCHEMAS["milestones"])
    )


def wide(ms: pl.DataFrame, recs: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """One row per incident in ``ids``: the milestones as columns, and each source's resolution."""
    values = ms.filter(pl.col("at").is_not_null()).pivot("milestone", index="incident_id", values="at")
    base = pl.DataFrame({"incident_id": ids}).join(values, on="incident_id", how="left")
    for m in MILESTONES:
        if m not in base.columns:
            base = base.with_columns(pl.lit(None, UTC).alias(m))
    per_source = (
        recs.filter(pl.col("resolved_at").is_not_null())
        .group_by("linked_id", "source")
        .agg(pl.col("resolved_at").max())
        .pivot("source", index="linked_id", values="resolved_at")
    )
    base = base.join(per_source.rename({"linked_id": "incident_id"}), on="incident_id", how="left")
    for name, col in zip(SOURCE_ORDER[:4], RESOLVED_BY, strict=True):
        base = base.with_columns((pl.col(name) if name in base.columns else pl.lit(None, UTC)).alias(col))
    return base.select("incident_id", *MILESTONES, *RESOLVED_BY).cast(
        {c: UTC for c in (*MILESTONES, *RESOLVED_BY)}
    )
