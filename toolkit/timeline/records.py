"""The records to link: one row per source's incident record, with what linking needs.

A record is a row of the store's ``incidents`` table (key ``(source, ref)``). Beside its
own columns it gets: its canonical services (``service_keys``, see
:mod:`toolkit.timeline.services`), its time window (``win_start`` = the earliest of its
times and events, ``win_end`` = its resolution, else its last event), the war room's
channel name, the PagerDuty incident number, the status page's shortlink, and the date
and words its name gives (for naming matches). An unresolved record's window reaches
:data:`OPEN_REACH` past its last event.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import polars as pl

from toolkit.errors import ArgumentError
from toolkit.policy import Policy
from toolkit.schema import UTC
from toolkit.timeline.model import MILESTONES, SOURCE_ORDER, eager
from toolkit.timeline.services import canonical_expr, service_keys, service_names
from toolkit.timeline.text import words_expr

__all__ = ["DATE_PREFIX", "OPEN_REACH", "records"]

OPEN_REACH = timedelta(hours=12)
"""How far past its last event an unresolved record's window reaches (it is still going on)."""

DATE_PREFIX = r"^(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?:[-_]+|$)"
"""A date at the start of a war room's name (``2025-01-15-``, ``2025_01_15_``, ``20250115-``)."""


def _frame(
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame], name: str, columns: Mapping[str, pl.DataType]
) -> pl.DataFrame:
    df = eager(tables, name)
    if df is None or not set(columns) <= set(df.columns):
        return pl.DataFrame(schema=dict(columns))
    return df.select(list(columns))


def records(tables: Mapping[str, pl.DataFrame | pl.LazyFrame], *, policy: Policy) -> pl.DataFrame:
    """One row per incident record of ``tables["incidents"]``, ready for linking (module docs)."""
    names = service_names(policy)
    zone = policy.team.time_zone
    inc = eager(tables, "incidents")
    if inc is None:
        raise ArgumentError("records: no 'incidents' table among the tables given")
    events = tables["events"].lazy()
    spans = (
        events.lazy()
        .filter(pl.col("kind") != "postmortem")
        .group_by("source", "incident_id")
        .agg(first_event_at=pl.col("at").min(), last_event_at=pl.col("at").max(), n_events=pl.len())
        .collect(engine="streaming")
    )
    channels = _frame(tables, "slack_channels", {"channel_id": pl.String(), "channel": pl.String()})
    pd = _frame(tables, "pagerduty_incidents", {"pd_incident_id": pl.String(), "incident_number": pl.Int64()})
    sp = _frame(
        tables,
        "statuspage_incidents",
        {
            "page": pl.String(),
            "incident_ref": pl.String(),
            "shortlink": pl.String(),
            "components": pl.List(pl.String()),
        },
    ).with_columns(incident_ref=pl.format("{}/{}", "page", "incident_ref"))
    base = (
        inc.join(spans, left_on=["source", "incident_id"], right_on=["source", "incident_id"], how="left")
        .join(
            channels.rename({"channel_id": "ref"}).with_columns(source=pl.lit("slack")),
            on=["source", "ref"],
            how="left",
        )
        .join(
            pd.select(
                ref="pd_incident_id",
                source=pl.lit("pagerduty"),
                pd_number=pl.col("incident_number").cast(pl.String),
            ),
            on=["source", "ref"],
            how="left",
        )
        .join(
            sp.select(
                ref="incident_ref",
                source=pl.lit("statuspage"),
                sp_shortlink=pl.col("shortlink").str.extract(r"stspg\.io/([A-Za-z0-9]+)", 1),
                _sp_components="components",
            ),
            on=["source", "ref"],
            how="left",
        )
    )
    times = [pl.col(c) for c in MILESTONES if c != "postmortem_at"]
    start = pl.min_horizontal(*times, "first_event_at")
    components = pl.concat_list(pl.col("components").fill_null([]), pl.col("_sp_components").fill_null([]))
    is_war_room = (pl.col("source") == "slack") & ~pl.col("ref").str.contains("/", literal=True)
    rest = pl.col("incident_id").str.replace(r"^(?i:inc)-", "")
    date = rest.str.extract_groups(DATE_PREFIX)
    local_date = pl.col("win_start").dt.convert_time_zone(zone).dt.strftime("%Y-%m-%d")
    named_date = pl.concat_str(date.struct[0], date.struct[1], date.struct[2], separator="-")
    return (
        base.with_columns(
            components=components.list.unique(maintain_order=True),
            win_start=start,
            rank=pl.col("source").replace_strict(
                {s: i for i, s in enumerate(SOURCE_ORDER)}, default=len(SOURCE_ORDER), return_dtype=pl.Int32
            ),
            is_war_room=is_war_room,
            n_events=pl.col("n_events").fill_null(0).cast(pl.Int64),
        )
        .with_columns(
            win_end=pl.max_horizontal(
                pl.coalesce("resolved_at", pl.col("last_event_at") + OPEN_REACH), "win_start"
            ),
            service_keys=service_keys(pl.col("service"), pl.col("components"), names),
            service_key=canonical_expr(pl.col("service"), names),
            local_date=local_date,
        )
        .with_columns(
            # what the record's name says: the war room's date and words, a post-mortem's title
            name_date=pl.when(pl.col("is_war_room"))
            .then(pl.coalesce(named_date, "local_date"))
            .otherwise("local_date"),
            name_words=pl.when(pl.col("is_war_room"))
            .then(words_expr(rest.str.replace(DATE_PREFIX, "")))
            .otherwise(
                words_expr(
                    pl.concat_str(
                        pl.col("title").fill_null(""), pl.col("service").fill_null(""), separator=" "
                    )
                )
            ),
        )
        .drop("_sp_components")
        .sort("rank", "win_start", "ref", nulls_last=True)
        .with_row_index("rec")
        .with_columns(
            pl.col("rec").cast(pl.Int64), pl.col("win_start").cast(UTC), pl.col("win_end").cast(UTC)
        )
    )
