"""What each source's own records say about one linked incident, beyond the timeline.

The timeline keeps one event per happening; drafts also need what only a source's own
tables hold: the status page's phase of each public post and its public title,
components, link and post-mortem; PagerDuty's alert titles; the post-mortem's own
timeline rows, worded as the team wrote them. :func:`records` reads them (pure, over the
store's frames); :func:`read_records` fetches those frames from a workspace.

Examples
--------
>>> from toolkit.timeline import Timeline
>>> records({}, Timeline.empty().links, "INC-1").posts
()
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from toolkit.store import Workspace

__all__ = ["TABLES", "Post", "Records", "Row", "read_records", "records"]

TABLES = ("statuspage_incidents", "statuspage_updates", "incidents", "events")
"""The store tables :func:`records` reads."""


@dataclass(frozen=True)
class Row:
    """One line of a timeline: when, and what."""

    at: datetime
    text: str


@dataclass(frozen=True)
class Post:
    """A public status-page post: when, in which phase (``investigating`` ...), what it said."""

    at: datetime
    phase: str
    body: str


@dataclass(frozen=True)
class Records:
    """One incident's source records (module docs); empty where no source says."""

    posts: tuple[Post, ...] = ()
    public_title: str | None = None
    public_components: tuple[str, ...] = ()
    public_link: str | None = None
    public_postmortem: Row | None = None
    alert_titles: tuple[str, ...] = ()
    postmortem_rows: tuple[Row, ...] = ()


def _refs(links: pl.DataFrame, incident_id: str, source: str) -> pl.DataFrame:
    return links.filter((pl.col("incident_id") == incident_id) & (pl.col("source") == source))


def _table(tables: Mapping[str, pl.DataFrame], name: str) -> pl.DataFrame | None:
    df = tables.get(name)
    return df if df is not None and df.height else None


def records(tables: Mapping[str, pl.DataFrame], links: pl.DataFrame, incident_id: str) -> Records:
    """The source records (of :data:`TABLES`, by name) of linked incident ``incident_id``."""
    sp = _refs(links, incident_id, "statuspage")["ref"].to_list()
    keys = pl.DataFrame(
        [r.split("/", 1) for r in sp if "/" in r], schema=["page", "incident_ref"], orient="row"
    )
    posts: list[Post] = []
    title = link = None
    components: list[str] = []
    postmortem = None
    if (u := _table(tables, "statuspage_updates")) is not None and keys.height:
        for r in u.join(keys, on=["page", "incident_ref"], how="semi").sort("at").iter_rows(named=True):
            if r["at"] is not None and r["status"]:
                posts.append(Post(r["at"], str(r["status"]), r["body"] or ""))
    if (i := _table(tables, "statuspage_incidents")) is not None and keys.height:
        for r in (
            i.join(keys, on=["page", "incident_ref"], how="semi").sort("created_at").iter_rows(named=True)
        ):
            title = title or r["name"]
            link = link or r["shortlink"]
            components += [c for c in r["components"] or [] if c not in components]
            if postmortem is None and r["postmortem_body"] and r["postmortem_at"] is not None:
                postmortem = Row(r["postmortem_at"], r["postmortem_body"])
    alerts: list[str] = []
    pd = _refs(links, incident_id, "pagerduty")["ref"].to_list()
    if (inc := _table(tables, "incidents")) is not None and pd:
        found = inc.filter((pl.col("source") == "pagerduty") & pl.col("ref").is_in(pd))
        alerts = [t for t in found["title"].to_list() if t]
    rows: list[Row] = []
    pm = _refs(links, incident_id, "postmortem")["source_incident_id"].drop_nulls().to_list()
    if (ev := _table(tables, "events")) is not None and pm:
        found = ev.filter((pl.col("source") == "postmortem") & pl.col("incident_id").is_in(pm))
        rows = [Row(r["at"], r["text"]) for r in found.sort("at", "ref").iter_rows(named=True) if r["text"]]
    return Records(
        posts=tuple(posts),
        public_title=title,
        public_components=tuple(components),
        public_link=link,
        public_postmortem=postmortem,
        alert_titles=tuple(alerts),
        postmortem_rows=tuple(rows),
    )


def read_records(ws: Workspace, links: pl.DataFrame, incident_id: str) -> Records:
    """:func:`records` of ``incident_id`` from the workspace's tables."""
    frames = {name: ws.table(name) for name in TABLES if name != "events"}
    frames["events"] = ws.scan("events").filter(pl.col("source") == "postmortem").collect()
    return records(frames, links, incident_id)
