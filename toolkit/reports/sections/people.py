"""Who took part in an incident, by display name, and the names a redacted report hides.

Examples
--------
>>> from toolkit.timeline import Timeline
>>> participants(Timeline.empty())
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from toolkit.reports.redact import ROLE_LABELS, role_names

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.timeline import Timeline

__all__ = ["display_names", "hidden_names", "participants"]


def display_names(timeline: Timeline) -> dict[str, str]:
    """Person id -> the person's name (their display name across sources)."""
    people = timeline.people.select(
        "person_id", name=pl.coalesce("name", pl.col("display_names").list.first(), "person_id")
    )
    return dict(people.iter_rows())


def participants(timeline: Timeline) -> list[tuple[str, list[str]]]:
    """``(person_id, roles)`` of everyone who held a role or acted, role holders first.

    Roles are in :data:`~toolkit.reports.redact.ROLE_LABELS` order; people who acted in
    the events without a role have none. Bots are left out.
    """
    order = {r: i for i, r in enumerate(ROLE_LABELS)}
    held: dict[str, list[str]] = {}
    roles = timeline.roles.filter(pl.col("person_id").is_not_null())
    for pid, role in roles.sort("assigned_at", nulls_last=True).select("person_id", "role").iter_rows():
        held.setdefault(pid, [])
        if role not in held[pid]:
            held[pid].append(role)
    commander = timeline.incidents["commander_id"].drop_nulls().to_list()
    for pid in commander:
        held.setdefault(pid, [])
        if "IC" not in held[pid]:
            held[pid].insert(0, "IC")
    bots = set(timeline.people.filter(pl.col("is_bot").fill_null(False))["person_id"].to_list())
    out = [(pid, sorted(rs, key=lambda r: order.get(r, len(order)))) for pid, rs in held.items()]
    out.sort(key=lambda pr: min((order.get(r, len(order)) for r in pr[1]), default=len(order)))
    for pid in timeline.events["person_id"].drop_nulls().unique(maintain_order=True).to_list():
        if pid not in held and pid not in bots:
            out.append((pid, []))
    return [(pid, rs) for pid, rs in out if pid not in bots]


def hidden_names(timeline: Timeline) -> dict[str, str]:
    """Every spelling of every participant's name -> what a redacted report says instead.

    Full names, display names, handles and e-mail local parts of the people who held a
    role ("the Incident Commander") or acted ("a responder"), and the names the sources
    wrote without resolving them to a person (actors and role holders as written).
    """
    people = {r["person_id"]: r for r in timeline.people.iter_rows(named=True)}
    pairs = [(pid, role) for pid, roles in participants(timeline) for role in roles]
    spelled: dict[str, list[str]] = {}
    for pid, _ in participants(timeline):
        row = people.get(pid, {})
        spellings = [row.get("name"), *(row.get("display_names") or []), *(row.get("aliases") or [])]
        spellings += [e.split("@")[0] for e in row.get("emails") or []]
        spelled[pid] = [s for s in spellings if s]
    written = pl.concat(
        [
            timeline.roles.select("person_id", name="person"),
            timeline.events.select("person_id", name="actor"),
            timeline.incidents.select(person_id="commander_id", name="commander"),
        ]
    ).drop_nulls("name")
    services = set(timeline.incidents["service"].drop_nulls().to_list())
    others: list[str] = []
    for pid, name in written.unique(maintain_order=True).iter_rows():
        if pid is not None and pid in spelled:
            spelled[pid].append(name)
        elif name not in services:
            others.append(name)
    return role_names(pairs, people=[*spelled, *others], aliases=spelled)
