"""The :class:`Timeline`: one incident per real incident, across every source, as polars frames.

Each frame has a fixed schema (:data:`SCHEMAS`), so an empty workspace gives empty frames
with the right columns and every consumer (analysis, reports, the CLI) can rely on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

import polars as pl

from toolkit.schema import TABLES, UTC

__all__ = ["FRAMES", "MILESTONES", "RESOLVED_BY", "SCHEMAS", "SOURCE_ORDER", "Timeline", "eager", "empty"]

SOURCE_ORDER = ("slack", "pagerduty", "statuspage", "postmortem", "manual")
"""Sources in the order their records speak for an incident (war room first)."""

MILESTONES = (
    "started_at",
    "detected_at",
    "acknowledged_at",
    "declared_at",
    "mitigated_at",
    "resolved_at",
    "postmortem_at",
)
"""The milestones of an incident, in the order they usually happen."""

RESOLVED_BY = tuple(f"resolved_at_{s}" for s in SOURCE_ORDER[:4])
"""Each source's own resolution, kept beside ``resolved_at``."""

_S, _L = pl.String(), pl.List(pl.String())
_IMPACT = (
    "impact",
    "users_affected_pct",
    "degradation_pct",
    "revenue_impacted",
    "core_down",
    "workaround",
    "data_breach",
)

SCHEMAS: dict[str, pl.Schema] = {
    "incidents": pl.Schema(
        {
            "incident_id": _S,
            "title": _S,
            "severity": _S,
            "declared_severity": _S,
            "computed_severity": _S,
            "severity_reason": _S,
            "status": _S,
            "service": _S,
            "components": _L,
            "commander": _S,
            "commander_id": _S,
            **dict.fromkeys(MILESTONES, UTC),
            **dict.fromkeys(RESOLVED_BY, UTC),
            "sources": _L,
            "records": _L,
            "war_room": _S,
            "url": _S,
            "n_events": pl.Int64(),
            **{c: TABLES["incidents"].schema[c] for c in _IMPACT},
        }
    ),
    "events": pl.Schema(
        {
            **{c: d for c, d in TABLES["events"].schema.items()},
            "sources": _L,
            "merged_refs": _L,
            "person_id": _S,
        }
    ),
    "links": pl.Schema(
        {
            "incident_id": _S,
            "source": _S,
            "ref": _S,
            "method": _S,
            "confidence": pl.Float64(),
            "source_incident_id": _S,
            "evidence": _S,
        }
    ),
    "milestones": pl.Schema(
        {
            "incident_id": _S,
            "milestone": _S,
            "at": UTC,
            "source": _S,
            "ref": _S,
            "method": _S,
            "derived_at": UTC,
            "corrected_by": _S,
            "corrected_at": _S,
            "reason": _S,
        }
    ),
    "roles": TABLES["roles"].schema,
    "people": pl.Schema(
        {
            "person_id": _S,
            "name": _S,
            "display_names": _L,
            "emails": _L,
            "aliases": _L,
            "sources": _L,
            "refs": _L,
            "is_bot": pl.Boolean(),
        }
    ),
    "aliases": pl.Schema({"alias": _S, "incident_id": _S, "source": _S, "kind": _S}),
    "sections": TABLES["postmortem_sections"].schema,
    "whys": TABLES["whys"].schema,
    "action_items": TABLES["action_items"].schema,
}
"""Column names and dtypes of every frame of a :class:`Timeline`."""

FRAMES = tuple(SCHEMAS)


def empty(name: str) -> pl.DataFrame:
    """An empty frame with the schema of timeline frame ``name``."""
    return pl.DataFrame(schema=SCHEMAS[name])


def eager(tables: Mapping[str, pl.DataFrame | pl.LazyFrame], name: str) -> pl.DataFrame | None:
    """Table ``name`` of ``tables`` as a DataFrame (collected if lazy), None when absent."""
    df = tables.get(name)
    return df.collect() if isinstance(df, pl.LazyFrame) else df


@dataclass(frozen=True)
class Timeline:
    """Every source linked into one incident per real incident (see :mod:`toolkit.timeline`).

    Attributes
    ----------
    incidents
        One row per linked incident: id, title, severities (final, first declared,
        computed by the decision tree with the branch that decided), status, service,
        components, commander, the milestones, each source's own ``resolved_at_<source>``,
        ``sources``, ``records`` (``source:ref`` of every record), the impact columns.
    events
        Every event under its linked incident id; one seen in several sources is kept
        once, with ``sources`` and ``merged_refs`` (the copies folded into it); ``person_id`` resolves the actor.
    links
        Which record (source, ref) belongs to which incident, how (method) and how surely
        (confidence 0..1), with the evidence.
    milestones
        Where each milestone came from (source, ref, method); a hand correction keeps the
        derived value in ``derived_at`` and names who made it, when and why.
    roles, people
        Roles under linked ids, people resolved across sources.
    aliases
        Every per-source incident id (and every id an incident was known by) → linked id.
    sections, whys, action_items
        Post-mortem prose, 5-Whys nodes and action items under linked ids.
    as_of
        The latest time any source saw (open incidents are open as of then).
    notes
        What the build noticed and could not use (a correction that matches nothing).
    """

    incidents: pl.DataFrame
    events: pl.DataFrame
    links: pl.DataFrame
    milestones: pl.DataFrame
    roles: pl.DataFrame
    people: pl.DataFrame
    aliases: pl.DataFrame
    sections: pl.DataFrame
    whys: pl.DataFrame
    action_items: pl.DataFrame
    as_of: datetime | None = None
    notes: tuple[str, ...] = ()

    @classmethod
    def empty(cls) -> Timeline:
        """A timeline of no incidents."""
        frames: dict[str, Any] = {name: empty(name) for name in FRAMES}
        return cls(**frames)

    def frames(self) -> dict[str, pl.DataFrame]:
        """The frames by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in SCHEMAS}

    def linked_id(self, any_id: str) -> str | None:
        """The linked id of ``any_id`` (a linked id, a per-source id or a former id), else None.

        Examples
        --------
        >>> Timeline.empty().linked_id("PD-P1") is None
        True
        """
        if self.incidents.height and any_id in set(self.incidents["incident_id"].to_list()):
            return any_id
        hit = self.aliases.filter(pl.col("alias") == any_id)["incident_id"].unique().to_list()
        return hit[0] if len(hit) == 1 else None

    def incident(self, any_id: str) -> Timeline:
        """This timeline restricted to one incident (any of its ids)."""
        iid = self.linked_id(any_id)
        return self.restrict([] if iid is None else [iid])

    def restrict(self, incident_ids: list[str]) -> Timeline:
        """This timeline restricted to the incidents ``incident_ids`` (people and as_of kept)."""
        keep = pl.col("incident_id").is_in(incident_ids)
        changes: dict[str, Any] = {
            name: df.filter(keep) if "incident_id" in df.columns else df for name, df in self.frames().items()
        }
        return replace(self, **changes)
