"""What action items need to know of incidents and people, in one place.

The linked id of an item's incident (an item imported from a post-mortem is recorded under
that document's own incident id), when the incident started and was resolved, its service,
who took part in it, and the names of the workspace's people. Today these come from the
workspace's ``incidents``, ``roles`` and ``people`` tables, one incident per record (every
id links to itself); once the linked timeline (``ws.timeline()``) is on main they come from
it, and nothing else in :mod:`toolkit.actions` changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import polars as pl

from toolkit.store import Workspace
from toolkit.store.imports import import_dirs

__all__ = ["INCIDENT_COLUMNS", "Incidents", "build", "incidents_of"]

INCIDENT_COLUMNS = ("incident_id", "title", "service", "status", "severity", "started_at", "resolved_at")
"""Columns of :attr:`Incidents.incidents` (one row per linked incident)."""


@dataclass(frozen=True)
class Incidents:
    """Incidents and people as action items see them (frozen; build with :func:`incidents_of`).

    Attributes
    ----------
    incidents
        One row per linked incident: :data:`INCIDENT_COLUMNS`; ``started_at`` is the
        earliest milestone known (start, else detection, declaration or resolution).
    aliases
        ``alias`` (any incident id an item may be recorded under) -> ``incident_id`` (linked).
    participants
        ``incident_id`` (linked), ``person`` (best name): who held a role or commanded.
    people
        ``spelling`` (lower-case name, display name, e-mail or alias) -> ``name`` (best name).
    """

    incidents: pl.DataFrame
    aliases: pl.DataFrame
    participants: pl.DataFrame
    people: pl.DataFrame

    @cached_property
    def _linked(self) -> dict[str, str]:
        return dict(zip(self.aliases["alias"].to_list(), self.aliases["incident_id"].to_list(), strict=True))

    def linked_id(self, incident_id: str) -> str | None:
        """The linked id of ``incident_id`` (itself when linked already), None when unknown."""
        return self._linked.get(incident_id)

    def link(self, frame: pl.DataFrame, column: str = "incident_id") -> pl.DataFrame:
        """``frame`` with ``column`` replaced by linked ids (unknown ids stay as they are)."""
        mapping = self.aliases.rename({"alias": column, "incident_id": "_linked"})
        return (
            frame.join(mapping, on=column, how="left")
            .with_columns(pl.coalesce("_linked", column).alias(column))
            .drop("_linked")
        )

    def started_on(self, incident_id: str) -> date | None:
        """The UTC date the incident started (None when it has no time at all)."""
        row = self.incidents.filter(pl.col("incident_id") == self.linked_id(incident_id))
        if row.is_empty() or row["started_at"][0] is None:
            return None
        started: date = row["started_at"][0].date()
        return started

    def resolved_on(self, incident_id: str) -> date | None:
        """The UTC date the incident was resolved (None while it is open)."""
        row = self.incidents.filter(pl.col("incident_id") == self.linked_id(incident_id))
        if row.is_empty() or row["resolved_at"][0] is None:
            return None
        resolved: date = row["resolved_at"][0].date()
        return resolved

    def participants_of(self, incident_id: str) -> list[str]:
        """Names of the people who took part in the incident, sorted (owner suggestions)."""
        linked = self.linked_id(incident_id)
        names = self.participants.filter(pl.col("incident_id") == linked)["person"]
        return sorted(set(names.drop_nulls().to_list()), key=str.lower)

    def person(self, name: str) -> str | None:
        """The best name of the person ``name`` spells (any known spelling, any case), else None."""
        hit = self.people.filter(pl.col("spelling") == name.strip().lstrip("@").lower())
        return None if hit.is_empty() else str(hit["name"][0])

    def known_people(self) -> list[str]:
        """Every person's best name, sorted."""
        return sorted(set(self.people["name"].to_list()), key=str.lower)


def incidents_of(ws: Workspace) -> Incidents:
    """Incidents and people of workspace ``ws`` (see :class:`Incidents`).

    From the linked timeline when the workspace has one (``ws.timeline()``), else from its
    ``incidents``, ``roles`` and ``people`` tables (each incident record its own incident).

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> ctx = incidents_of(ws)
    >>> ctx.linked_id("INC-2025-01-15-payment-service-outage")
    'INC-2025-01-15-payment-service-outage'
    >>> ctx.resolved_on("INC-2025-01-15-payment-service-outage")
    datetime.date(2025, 1, 15)
    """
    timeline = getattr(ws, "timeline", None)
    if callable(timeline):
        tl = timeline()
        return build(tl.incidents, tl.aliases.select("alias", "incident_id"), tl.roles, tl.people)
    key = (str(ws.path.resolve()), tuple(d.name for d in import_dirs(ws.path)))
    hit = _CACHE.get(key)
    if hit is None:
        raw = ws.table("incidents")
        identity = raw.select(alias="incident_id", incident_id="incident_id")
        hit = build(raw, identity, ws.table("roles"), ws.table("people"))
        if len(_CACHE) >= 8:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = hit
    return hit


_CACHE: dict[tuple[str, tuple[str, ...]], Incidents] = {}
"""Recent workspaces' incidents by their imports (the tables read change only with imports)."""


def build(
    incidents: pl.DataFrame, aliases: pl.DataFrame, roles: pl.DataFrame, people: pl.DataFrame
) -> Incidents:
    """:class:`Incidents` from linked ``incidents`` (with ``commander``), ``aliases`` (``alias`` ->
    ``incident_id``; ambiguous ones dropped), ``roles`` and ``people`` (``name, display_names,
    emails, aliases, is_bot``), all under linked ids."""
    linked = (
        incidents.with_columns(
            started_at=pl.coalesce("started_at", "detected_at", "declared_at", "resolved_at")
        )
        .select(INCIDENT_COLUMNS)
        .unique("incident_id", keep="first", maintain_order=True)
        .sort("started_at", "incident_id", nulls_last=True)
    )
    ids = linked.select(alias="incident_id", incident_id="incident_id")
    aliases = (
        pl.concat([ids, aliases.select("alias", "incident_id")])
        .unique(maintain_order=True)
        .filter(pl.col("incident_id").n_unique().over("alias") == 1)
    )
    best = pl.coalesce("name", pl.col("display_names").list.first())
    spellings = (
        people.filter(~pl.col("is_bot").fill_null(False))
        .select(
            name=best,
            spelling=pl.concat_list(
                pl.col("display_names").fill_null([]),
                pl.col("emails").fill_null([]),
                pl.col("aliases").fill_null([]),
            ).list.concat(pl.concat_list(best)),
        )
        .explode("spelling")
        .drop_nulls()
        .with_columns(pl.col("spelling").str.to_lowercase())
        .unique("spelling", keep="first", maintain_order=True)
    )
    named = pl.concat(
        [
            roles.select("incident_id", "person"),
            incidents.select("incident_id", person="commander").drop_nulls(),
        ]
    )
    participants = (
        named.with_columns(spelling=pl.col("person").str.to_lowercase())
        .join(spellings, on="spelling", how="left")
        .select("incident_id", person=pl.coalesce("name", "person"))
        .unique(maintain_order=True)
    )
    everyone = pl.concat(
        [spellings, participants.select(name="person", spelling=pl.col("person").str.to_lowercase())]
    ).unique("spelling", keep="first", maintain_order=True)
    return Incidents(incidents=linked, aliases=aliases, participants=participants, people=everyone)
