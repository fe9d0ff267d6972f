"""Statuspage tables in the workspace's tidy schema: ``incidents`` and ``events``.

* ``incidents``: one row per status-page incident; ``incident_id`` is ``"SP-<page>-<id>"``
  and ``ref`` ``"<page>/<id>"`` (always both: an id does not change with what else is in
  the import), ``url`` the shortlink, ``components`` the affected components, ``service``
  the first of them, ``started_at``
  the page's ``started_at`` (else ``created_at``, or the first update's ``display_at`` when
  that is back-dated earlier: a back-filled incident says when it began), ``status``
  ``resolved`` once resolved
  (or post-mortem) and ``open`` otherwise, ``postmortem_at`` the first post-mortem update.
  Severity, commander, detection, declaration, acknowledgement and mitigation are not on a
  status page and stay null.
* ``events``: every update is a public ``status_update`` event (``ref`` = update id,
  ``text`` = body). Besides, a resolved update is also a ``resolve`` event, a post-mortem
  update a ``postmortem`` event, and an update that takes a resolved incident back to
  investigating/identified/monitoring a ``reopen`` event — the same update seen as a
  milestone, so that timelines and metrics that look for ``resolve`` find it without
  knowing Statuspage's vocabulary. ``at`` follows the load's time basis.
"""

from __future__ import annotations

import polars as pl

from toolkit.importers.statuspage.frames import OPEN_STATUSES
from toolkit.importers.statuspage.phases import TimeBasis, same_incident, update_time
from toolkit.schema import EventKind, IncidentStatus, Source, UpdateStatus, Visibility, conform

__all__ = ["tidy_events", "tidy_incidents"]


def _incident_ids(incidents: pl.DataFrame) -> pl.DataFrame:
    return incidents.select(
        "page",
        "incident_ref",
        pl.concat_str(pl.lit("SP-"), "page", pl.lit("-"), "incident_ref").alias("incident_id"),
        pl.concat_str("page", pl.lit("/"), "incident_ref").alias("_ref"),
    )


def tidy_incidents(incidents: pl.DataFrame, updates: pl.DataFrame) -> pl.DataFrame:
    """Statuspage incidents in the ``incidents`` schema (see the module docstring)."""
    resolved = (
        pl.col("status").is_in((UpdateStatus.resolved, UpdateStatus.postmortem))
        | pl.col("resolved_at").is_not_null()
    )
    shown = updates.group_by("page", "incident_ref").agg(_first_shown=pl.col("display_at").min())
    df = (
        incidents.join(_incident_ids(incidents), on=["page", "incident_ref"], maintain_order="left")
        .join(shown, on=["page", "incident_ref"], how="left", maintain_order="left")
        .select(
            "incident_id",
            pl.lit(Source.statuspage.value).alias("source"),
            pl.col("_ref").alias("ref"),
            pl.col("name").alias("title"),
            pl.when(resolved)
            .then(pl.lit(IncidentStatus.resolved.value))
            .otherwise(pl.lit(IncidentStatus.open.value))
            .alias("status"),
            pl.col("components").list.first().alias("service"),
            "components",
            pl.col("shortlink").alias("url"),
            pl.coalesce("started_at", pl.min_horizontal("created_at", "_first_shown")).alias("started_at"),
            "resolved_at",
            "postmortem_at",
        )
    )
    return conform("incidents", df)


def tidy_events(
    updates: pl.DataFrame, incidents: pl.DataFrame, *, time_basis: TimeBasis = "created_at"
) -> pl.DataFrame:
    """Statuspage updates as ``events`` rows (see the module docstring)."""
    status = pl.col("status")
    base = (
        updates.join(_incident_ids(incidents), on=["page", "incident_ref"], maintain_order="left")
        .sort("page", "incident_ref", "at", "update_id")
        .with_columns(
            _reopen=status.is_in(OPEN_STATUSES)
            & same_incident()
            & (status.shift(1) == UpdateStatus.resolved),
        )
        .select(
            "incident_id",
            update_time(time_basis).alias("at"),
            pl.lit(Source.statuspage.value).alias("source"),
            pl.lit(EventKind.status_update.value).alias("kind"),
            pl.col("body").alias("text"),
            pl.col("update_id").alias("ref"),
            pl.lit(Visibility.public.value).alias("visibility"),
            "status",
            "_reopen",
        )
    )
    milestones = [
        base.filter(status == UpdateStatus.resolved).with_columns(kind=pl.lit(EventKind.resolve.value)),
        base.filter(status == UpdateStatus.postmortem).with_columns(kind=pl.lit(EventKind.postmortem.value)),
        base.filter(pl.col("_reopen")).with_columns(kind=pl.lit(EventKind.reopen.value)),
    ]
    events = pl.concat([base, *milestones]).drop("status", "_reopen").sort("incident_id", "at", "ref", "kind")
    return conform("events", events)
