"""The metrics of a timeline in one bundle: what ``incident-toolkit metrics`` prints and reports show.

:func:`metrics` selects incidents (one, or those started since a date), computes their
durations, mitigation strategy, cadence and promises, and summarises the durations per
group; :meth:`Metrics.to_dict` is the JSON shape (ISO 8601 UTC times with ``Z``, numbers
or null) and :meth:`Metrics.tables` the same for people (durations like ``2h 15m``).

Examples
--------
>>> from toolkit.timeline import Timeline
>>> sorted(metrics(Timeline.empty()).to_dict())
['definitions', 'incidents', 'summary']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from toolkit.analysis.cadence import cadence
from toolkit.analysis.definitions import DURATION_METRICS, definitions
from toolkit.analysis.durations import durations
from toolkit.analysis.fmt import human_minutes, human_time
from toolkit.analysis.promises import promises
from toolkit.analysis.strategy import mitigation_strategies
from toolkit.analysis.summary import summarize
from toolkit.errors import ArgumentError
from toolkit.policy import Policy
from toolkit.timeline import MILESTONES, Timeline

__all__ = ["Metrics", "iso", "metrics"]

_FIELDS = ("incident_id", "title", "severity", "computed_severity", "service", "status", "sources")
_SUMMARY = ("metric", "n", "n_open", "n_missing", "median_min", "p90_min", "mean_min", "median_ci", "mean_ci")


def iso(value: datetime | None) -> str | None:
    """``value`` as ISO 8601 UTC with ``Z`` (microseconds only when there are some)."""
    if value is None:
        return None
    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return utc.isoformat().replace("+00:00", "Z")


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Metrics:
    """Per-incident metrics, their cadence and promises, the summary, and the definitions used."""

    incidents: pl.DataFrame
    cadence: pl.DataFrame
    promises: pl.DataFrame
    summary: pl.DataFrame
    group_by: tuple[str, ...]
    zone: str = "UTC"
    definitions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``incident-toolkit metrics --json``."""
        cad: dict[str, dict[str, dict[str, Any]]] = {}
        for row in self.cadence.iter_rows(named=True):
            cad.setdefault(row["incident_id"], {})[row["audience"]] = {
                "gaps_min": row["gaps_min"],
                "compliance": row["compliance"],
                "longest_silence_min": row["longest_silence_min"],
            }
        kept: dict[str, list[dict[str, Any]]] = {}
        for row in self.promises.iter_rows(named=True):
            kept.setdefault(row["incident_id"], []).append(
                {k: row[k] for k in ("promised_at", "due_at", "kept", "late_min")}
            )
        empty: dict[str, Any] = {"gaps_min": [], "compliance": None, "longest_silence_min": None}
        incidents = []
        for row in self.incidents.iter_rows(named=True):
            iid = row["incident_id"]
            c = cad.get(iid, {})
            incidents.append(
                {
                    **row,
                    "cadence": {"internal": c.get("internal", empty), "public": c.get("public", empty)},
                    "promises": kept.get(iid, []),
                }
            )
        out: dict[str, Any] = _json(
            {
                "definitions": self.definitions,
                "incidents": incidents,
                "summary": self.summary.to_dicts(),
            }
        )
        return out

    def tables(self) -> list[tuple[str, list[str], list[list[str]]]]:
        """``(title, headers, rows)`` for people: durations like ``2h 15m``, times in the team's zone."""
        inc_rows = []
        cad = {(r["incident_id"], r["audience"]): r for r in self.cadence.iter_rows(named=True)}
        prom = self.promises.group_by("incident_id").agg(
            judged=pl.col("kept").is_not_null().sum(), kept=pl.col("kept").sum()
        )
        judged = {r["incident_id"]: r for r in prom.iter_rows(named=True)}

        def share(key: tuple[str, str]) -> str:
            c = cad.get(key)
            return "—" if c is None or c["compliance"] is None else f"{c['compliance']:.0%}"

        for r in self.incidents.iter_rows(named=True):
            p = judged.get(r["incident_id"])
            inc_rows.append(
                [
                    r["incident_id"],
                    r["severity"] or "—",
                    r["status"] or "—",
                    human_time(r["started_at"], self.zone),
                    *(human_minutes(r[f"{m}_min"]) for m in DURATION_METRICS),
                    r["mitigation_strategy"],
                    share((r["incident_id"], "internal")),
                    share((r["incident_id"], "public")),
                    f"{p['kept']}/{p['judged']}" if p and p["judged"] else "—",
                ]
            )
        heads = [
            "incident",
            "sev",
            "status",
            "started",
            "detect",
            "ack",
            "declare",
            "mitigate",
            "resolve",
            "public lag",
            "strategy",
            "internal cadence",
            "public cadence",
            "promises kept",
        ]
        keys = list(self.group_by)
        sum_rows = []
        for r in self.summary.iter_rows(named=True):

            def ci(v: list[float] | None) -> str:
                return "" if not v else f" [{human_minutes(v[0])} – {human_minutes(v[1])}]"

            sum_rows.append(
                [
                    *(str(r[k]) if r[k] is not None else "—" for k in keys),
                    r["metric"],
                    str(r["n"]),
                    str(r["n_open"]),
                    human_minutes(r["median_min"]) + ci(r["median_ci"]),
                    human_minutes(r["p90_min"]),
                    human_minutes(r["mean_min"]) + ci(r["mean_ci"]),
                ]
            )
        return [
            ("Incidents", heads, inc_rows),
            ("Summary", [*keys, "metric", "n", "open", "median [95% CI]", "p90", "mean [95% CI]"], sum_rows),
            ("Definitions", ["metric", "definition"], [[k, v] for k, v in self.definitions.items()]),
        ]


def metrics(
    timeline: Timeline,
    *,
    incident: str | None = None,
    group_by: str | Sequence[str] | None = "severity",
    since: date | None = None,
    policy: Policy | None = None,
    seed: int = 0,
) -> Metrics:
    """The metrics of ``timeline`` (module docs); ``incident`` takes any of the incident's ids.

    Raises
    ------
    ArgumentError
        No incident has the id ``incident``.
    """
    pol = policy or Policy.default()
    zone = pol.team.time_zone
    tl = timeline
    if incident is not None:
        iid = tl.linked_id(incident)
        if iid is None:
            known = ", ".join(tl.incidents["incident_id"].head(5).to_list())
            raise ArgumentError(f"--incident: no incident {incident!r}; known ids include {known or 'none'}")
        tl = tl.incident(iid)
    if since is not None:
        start = pl.col("started_at").dt.convert_time_zone(zone).dt.date()
        keep = tl.incidents.filter(start >= since)["incident_id"].to_list()
        tl = tl.restrict(keep)
    d = durations(tl, policy=pol)
    strat = mitigation_strategies(tl).select("incident_id", "mitigation_strategy")
    minutes = {f"{m}_min": pl.col(m).dt.total_microseconds() / 60e6 for m in DURATION_METRICS}
    rows = (
        tl.incidents.select(*_FIELDS, *MILESTONES)
        .join(d.select("incident_id", **minutes), on="incident_id", how="left")
        .join(strat, on="incident_id", how="left")
    )
    keys = () if group_by is None else (group_by,) if isinstance(group_by, str) else tuple(group_by)
    summary = summarize(d, by=list(keys) or None, seed=seed)
    names = [
        *MILESTONES,
        *DURATION_METRICS,
        *_SUMMARY[1:],
        "gaps_min",
        "compliance",
        "longest_silence_min",
        "promise_kept",
        "late_min",
        "mitigation_strategy",
    ]
    return Metrics(
        incidents=rows,
        cadence=cadence(tl, policy=pol),
        promises=promises(tl, policy=pol),
        summary=summary.select(*keys, *_SUMMARY),
        group_by=keys,
        zone=zone,
        definitions=definitions(names),
    )
