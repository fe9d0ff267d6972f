"""The practice sections of the 30-day review: cadence and promises, response times, severity audit.

Each function takes frames :mod:`toolkit.analysis` computed (:func:`~toolkit.analysis.cadence`,
:func:`~toolkit.analysis.promises`, :func:`~toolkit.analysis.compliance`,
:func:`~toolkit.analysis.severity_audit`) and returns a block; durations read like ``2h 15m``.

Examples
--------
>>> within_text(3, 5), within_text(None, 2)
('3 of 5 (60%)', '—')
"""

from __future__ import annotations

import polars as pl

from toolkit.analysis.fmt import human_minutes
from toolkit.reports.blocks import Block, Group, Table, Text, no_data

__all__ = ["cadence_frame", "cadence_table", "response_table", "severity_table", "within_text"]

_NONE = "—"


def cadence_frame(cadence: pl.DataFrame, promises: pl.DataFrame) -> pl.DataFrame:
    """Per incident: internal and public gaps within the limit, longest silences, promises kept."""
    wide = cadence.pivot(
        on="audience",
        index=["incident_id", "severity", "limit_min"],
        values=["n_gaps", "n_within", "longest_silence_min"],
    )
    for col in (
        f"{v}_{a}" for v in ("n_gaps", "n_within", "longest_silence_min") for a in ("internal", "public")
    ):
        if col not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(col))
    kept = promises.group_by("incident_id").agg(
        promises=pl.col("kept").is_not_null().sum().cast(pl.Int64),
        kept=pl.col("kept").sum().cast(pl.Int64),
        latest_by_min=pl.col("late_min").max(),
    )
    return wide.join(kept, on="incident_id", how="left").with_columns(pl.col("promises", "kept").fill_null(0))


def within_text(n_within: int | None, n_gaps: int | None) -> str:
    """``3 of 5 (60%)``: gaps within the limit of those judged, or ``—``."""
    if n_within is None or not n_gaps:
        return _NONE
    return f"{n_within} of {n_gaps} ({n_within / n_gaps:.0%})"


def _totals(frame: pl.DataFrame, audience: str) -> tuple[int, int]:
    judged = frame.filter(pl.col(f"n_within_{audience}").is_not_null())
    return int(judged[f"n_within_{audience}"].sum()), int(judged[f"n_gaps_{audience}"].sum())


def cadence_table(frame: pl.DataFrame) -> Block:
    """Cadence compliance per incident against the severity's interval, and promises kept."""
    if not frame.height:
        return no_data("no incidents in the window")
    rows = [
        (
            r["incident_id"],
            r["severity"] or _NONE,
            _NONE if r["limit_min"] is None else f"{r['limit_min']} min",
            within_text(r["n_within_internal"], r["n_gaps_internal"]),
            human_minutes(r["longest_silence_min_internal"]),
            within_text(r["n_within_public"], r["n_gaps_public"]),
            human_minutes(r["longest_silence_min_public"]),
            f"{r['kept']} of {r['promises']}" if r["promises"] else _NONE,
            human_minutes(r["latest_by_min"]) if r["promises"] else _NONE,
        )
        for r in frame.iter_rows(named=True)
    ]
    labels = [
        "Incident",
        "Severity",
        "Update every",
        "War-room gaps within",
        "Longest war-room silence",
        "Status-page gaps within",
        "Longest status-page silence",
        "Promises kept",
        "Latest promise by",
    ]
    internal, public = (_totals(frame, a) for a in ("internal", "public"))
    judged = frame.filter(pl.col("n_within_internal").is_not_null())
    summary = Text(
        f"War-room gaps within the policy: {within_text(*internal)}; status-page gaps: {within_text(*public)}; "
        f"promised updates kept: {int(frame['kept'].sum())} of {int(frame['promises'].sum())}; "
        f"{judged.filter(pl.col('n_within_internal') == pl.col('n_gaps_internal')).height} of {judged.height} "
        "incidents kept every war-room update on time."
    )
    return Group(summary, Table(pl.DataFrame(rows, schema=labels, orient="row")))


def response_table(rules: pl.DataFrame, incidents: pl.DataFrame) -> Block:
    """Acknowledged and declared within the severity's response time, per severity."""
    judged = (
        rules.filter(pl.col("rule").is_in(["acknowledged_in_time", "declared_in_time"]))
        .join(incidents.select("incident_id", "severity"), on="incident_id")
        .filter(pl.col("passed").is_not_null())
        .group_by("severity", "rule")
        .agg(judged=pl.len(), passed=pl.col("passed").sum())
    )
    if not judged.height:
        return no_data("no response times to judge in the window")
    text = pl.format("{} of {}", "passed", "judged")
    wide = judged.with_columns(text=text).pivot(on="rule", index="severity", values="text").sort("severity")
    for rule in ("acknowledged_in_time", "declared_in_time"):
        if rule not in wide.columns:
            wide = wide.with_columns(pl.lit(_NONE).alias(rule))
    return Table(
        wide.with_columns(pl.col("acknowledged_in_time", "declared_in_time").fill_null(_NONE)),
        columns={
            "severity": "Severity",
            "acknowledged_in_time": "Acknowledged in time",
            "declared_in_time": "Declared in time",
        },
    )


def severity_table(audit: pl.DataFrame) -> Block:
    """How the declared severities compare with the decision tree, and where they disagree."""
    counts = {v: audit.filter(pl.col("verdict") == v).height for v in ("match", "mismatch", "not judged")}
    changed = audit.filter(pl.col("declared_severity") != pl.col("severity"))
    summary = Text(
        f"{audit.height} incidents: {counts['match']} match the decision tree, {counts['mismatch']} disagree, "
        f"{counts['not judged']} not judged (no impact or severity recorded); "
        f"{changed.height} changed severity after the declaration."
    )
    shown = audit.filter(
        (pl.col("verdict") == "mismatch") | (pl.col("declared_severity") != pl.col("severity"))
    )
    table = Table(
        shown,
        columns={
            "incident_id": "Incident",
            "declared_severity": "Declared",
            "severity": "Final",
            "computed_severity": "Decision tree",
            "branch": "Branch that decided",
            "verdict": "Verdict",
        },
        empty="no disagreements: every judged severity matches the tree and none changed",
    )
    return Group(summary, table)
