"""A big workspace for the timeline benchmark, written straight in the store's Parquet layout.

``write_workspace(folder, incidents=N)`` lays out ``folder/ws/imports/<source>-<hash>/``
with ``manifest.json`` and the tables each importer would have written (incidents,
events and the source tables linking reads), plus ``folder/policy.toml`` naming the
services. About 50 events per incident across the four sources, so 100,000 incidents
give 5,000,000 events. No importer runs: everything is made with polars, seeded.

Each incident is seen by PagerDuty (90 %), a war room (70 %), the status page (50 %) and
a post-mortem (15 %); the records link the ways real ones do: half the PagerDuty
incidents of a war room carry a note naming its channel, a third of the war rooms post
the status page's URL, post-mortems are named after their war room, and everything else
links by time and service (the status page names services by their component name, so
the policy's ``[services]`` is needed). War rooms post updates at their severity's
cadence with a promise each, some late; post-mortems restate a dozen war-room events at
minute precision (the events the timeline must count once).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

SERVICES = 20
EVENTS_PER_INCIDENT = 50
FILLER = 50
"""Chat messages per war room (what brings the events to about 50 per incident)."""
BASE = datetime(2022, 1, 1, tzinfo=UTC)
SPAN_S = 3 * 365 * 86400
US = 1_000_000


def _policy(folder: Path) -> None:
    lines = ["[services]"]
    lines += [f'svc-{k:02d} = ["Service {k:02d} API"]' for k in range(SERVICES)]
    (folder / "policy.toml").write_text("\n".join(lines) + "\n")


def _ts(col: str) -> pl.Expr:
    return pl.from_epoch(pl.col(col), time_unit="us").dt.replace_time_zone("UTC")


def _base(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    start = BASE.timestamp() * US + rng.integers(0, SPAN_S, n) * US
    dur = np.exp(rng.normal(np.log(90 * 60), 0.6, n)) * US
    sev = rng.choice([1, 2, 3, 4], n, p=[0.1, 0.35, 0.45, 0.1])
    detect = rng.exponential(5 * 60, n) * US
    has = rng.random((n, 4)) < np.array([0.9, 0.7, 0.5, 0.15])
    has[:, 0] |= ~has.any(axis=1)
    return (
        pl.DataFrame(
            {
                "i": np.arange(n),
                "svc": rng.integers(0, SERVICES, n),
                "sev": sev,
                "t0": start.astype(np.int64),
                "det": (start + detect).astype(np.int64),
                "ack": (start + detect + rng.exponential(4 * 60, n) * US).astype(np.int64),
                "decl": (start + detect + rng.exponential(8 * 60, n) * US).astype(np.int64),
                "mit": (start + dur * 0.5).astype(np.int64),
                "res": (start + dur).astype(np.int64),
                "open": rng.random(n) < 0.05,
                "pd": has[:, 0],
                "slack": has[:, 1],
                "sp": has[:, 2],
                "pm": has[:, 3],
                "note_ref": rng.random(n) < 0.5,
                "url_ref": rng.random(n) < 0.33,
                "late": rng.random(n) < 0.2,
            }
        )
        .with_columns(
            date=_ts("t0").dt.convert_time_zone("America/Los_Angeles").dt.strftime("%Y-%m-%d"),
            service=pl.format("svc-{}", pl.col("svc").cast(pl.String).str.zfill(2)),
            cadence=pl.col("sev").replace_strict({1: 20, 2: 45, 3: 60, 4: 90}, return_dtype=pl.Int64)
            * 60
            * US,
        )
        .with_columns(
            room=pl.format("{}-{}-{}", "date", "service", "i"),
            res=pl.when(pl.col("open")).then(None).otherwise("res"),
        )
    )


def _events(df: pl.DataFrame, source: str, incident_id: pl.Expr, **cols: pl.Expr | str) -> pl.DataFrame:
    out = df.select(
        incident_id=incident_id,
        at=cols.pop("at"),
        source=pl.lit(source),
        kind=cols.pop("kind"),
        actor=cols.pop("actor", pl.lit("someone")),
        text=cols.pop("text"),
        ref=cols.pop("ref"),
        visibility=pl.lit("public" if source == "statuspage" else "internal"),
        severity=cols.pop("severity", pl.lit(None, pl.String)),
        due_at=cols.pop("due_at", pl.lit(None, pl.Int64)),
    )
    return out.with_columns(
        at=pl.from_epoch("at", time_unit="us").dt.replace_time_zone("UTC"),
        due_at=pl.from_epoch("due_at", time_unit="us").dt.replace_time_zone("UTC"),
    )


def _updates(df: pl.DataFrame) -> pl.DataFrame:
    """War-room updates every ``cadence`` from the declaration, a late one now and then."""
    end = pl.coalesce("res", "mit")
    return (
        df.with_columns(k=pl.int_ranges(1, ((end - pl.col("decl")) // pl.col("cadence")).clip(0, 12) + 1))
        .explode("k", empty_as_null=False)
        .drop_nulls("k")
        .with_columns(
            u=pl.col("decl")
            + pl.col("k") * pl.col("cadence")
            + pl.when(pl.col("late") & (pl.col("k") == 2)).then(12 * 60 * US).otherwise(0)
        )
    )


def slack(df: pl.DataFrame) -> dict[str, pl.DataFrame]:
    rooms = df.filter("slack")
    iid = pl.format("INC-{}", "room")
    ref = pl.format("C{}", pl.col("i").cast(pl.String).str.zfill(7))
    incidents = rooms.select(
        incident_id=iid,
        source=pl.lit("slack"),
        ref=ref,
        title=pl.format("War room {}", "room"),
        severity=pl.format("SEV{}", "sev"),
        service="service",
        commander=pl.lit("alice"),
        started_at=pl.when(pl.col("i") % 5 < 3).then(_ts("t0")),
        declared_at=_ts("decl"),
        resolved_at=_ts("res"),
    )
    ups = _updates(rooms)
    fill = (
        rooms.with_columns(k=pl.int_ranges(0, FILLER))
        .explode("k")
        .with_columns(
            u=pl.col("decl")
            + (pl.col("k") + 1) * (pl.coalesce("res", "mit") - pl.col("decl")) // (FILLER + 2)
        )
    )
    msg = lambda c: pl.format("C{}/{}.{}", pl.col("i").cast(pl.String).str.zfill(7), c, "k")  # noqa: E731
    events = pl.concat(
        [
            _events(
                rooms,
                "slack",
                iid,
                at=pl.col("decl"),
                kind=pl.lit("declare"),
                text=pl.format("SEV{} declared for {}", "sev", "service"),
                ref=pl.format("{}/d", ref),
                severity=pl.format("SEV{}", "sev"),
            ),
            _events(
                rooms.with_columns(k=pl.int_ranges(0, 3)).explode("k"),
                "slack",
                iid,
                at=pl.col("decl"),
                kind=pl.lit("role_assign"),
                text=pl.lit("IC: alice"),
                ref=msg(pl.lit("r")),
            ),
            _events(
                ups,
                "slack",
                iid,
                at=pl.col("u"),
                kind=pl.lit("update"),
                text=pl.format("UPDATE #{} - still investigating", "k"),
                ref=msg(pl.lit("u")),
            ),
            _events(
                ups,
                "slack",
                iid,
                at=pl.col("u"),
                kind=pl.lit("update_promise"),
                text=pl.format("UPDATE #{} - next update soon", "k"),
                ref=msg(pl.lit("u")),
                due_at=pl.col("u") + pl.col("cadence"),
            ),
            _events(
                rooms,
                "slack",
                iid,
                at=pl.col("mit") - 5 * 60 * US,
                kind=pl.lit("rollback"),
                text=pl.lit("Decision: roll back to the last release"),
                ref=pl.format("{}/m1", ref),
            ),
            _events(
                rooms,
                "slack",
                iid,
                at=pl.col("mit"),
                kind=pl.lit("rollback"),
                text=pl.lit("Rollback completed, errors back to normal"),
                ref=pl.format("{}/m2", ref),
            ),
            _events(
                fill,
                "slack",
                iid,
                at=pl.col("u"),
                kind=pl.lit("message"),
                text=pl.format("looking at the {} dashboards, nothing new yet ({})", "service", "k"),
                ref=msg(pl.lit("f")),
            ),
            _events(
                rooms.filter(pl.col("url_ref") & pl.col("sp")),
                "slack",
                iid,
                at=pl.col("decl") + 60 * US,
                kind=pl.lit("status_update"),
                text=pl.format(
                    "Status page posted: https://status.acme.example/incidents/s{}",
                    pl.col("i").cast(pl.String).str.zfill(7),
                ),
                ref=pl.format("{}/sp", ref),
            ),
            _events(
                rooms.filter(~pl.col("open")),
                "slack",
                iid,
                at=pl.col("res"),
                kind=pl.lit("resolve"),
                text=pl.lit("Incident resolved"),
                ref=pl.format("{}/z", ref),
            ),
        ]
    )
    channels = rooms.select(channel_id=ref, channel=pl.format("incident-{}", "room"))
    return {"incidents": incidents, "events": events, "slack_channels": channels}


def pagerduty(df: pl.DataFrame) -> dict[str, pl.DataFrame]:
    pd = df.filter("pd")
    ref = pl.format("P{}", pl.col("i").cast(pl.String).str.zfill(7))
    iid = pl.format("PD-{}", ref)
    incidents = pd.select(
        incident_id=iid,
        source=pl.lit("pagerduty"),
        ref=ref,
        title=pl.format("{}: error rate high", "service"),
        service="service",
        detected_at=_ts("det"),
        acknowledged_at=_ts("ack"),
        resolved_at=_ts("res"),
        url=pl.format("https://acme.pagerduty.com/incidents/{}", ref),
    )
    events = pl.concat(
        [
            _events(
                pd,
                "pagerduty",
                iid,
                at=pl.col("det"),
                kind=pl.lit("alert"),
                text=pl.lit("Triggered through the API"),
                ref=pl.format("{}a", ref),
                actor="service",
            ),
            _events(
                pd,
                "pagerduty",
                iid,
                at=pl.col("det") + 10 * US,
                kind=pl.lit("page"),
                text=pl.lit("Notified Bob."),
                ref=pl.format("{}p", ref),
            ),
            _events(
                pd,
                "pagerduty",
                iid,
                at=pl.col("ack"),
                kind=pl.lit("acknowledge"),
                text=pl.lit("Acknowledged by Bob."),
                ref=pl.format("{}k", ref),
            ),
            _events(
                pd.filter(pl.col("note_ref") & pl.col("slack")),
                "pagerduty",
                iid,
                at=pl.col("decl") + 90 * US,
                kind=pl.lit("note"),
                text=pl.format("War room #incident-{}", "room"),
                ref=pl.format("{}n", ref),
            ),
            _events(
                pd.filter(~pl.col("open")),
                "pagerduty",
                iid,
                at=pl.col("res") + 20 * US,
                kind=pl.lit("resolve"),
                text=pl.lit("Resolved by Alice."),
                ref=pl.format("{}r", ref),
            ),
        ]
    )
    numbers = pd.select(pd_incident_id=ref, incident_number=pl.col("i") + 100_000)
    return {"incidents": incidents, "events": events, "pagerduty_incidents": numbers}


def statuspage(df: pl.DataFrame) -> dict[str, pl.DataFrame]:
    sp = df.filter("sp")
    inc = pl.format("s{}", pl.col("i").cast(pl.String).str.zfill(7))
    iid = pl.format("SP-pg-{}", inc)
    component = pl.format("Service {} API", pl.col("svc").cast(pl.String).str.zfill(2))
    incidents = sp.select(
        incident_id=iid,
        source=pl.lit("statuspage"),
        ref=pl.format("pg/{}", inc),
        title=pl.lit("Elevated errors"),
        service=component,
        components=pl.concat_list(component),
        started_at=_ts("t0"),
        resolved_at=_ts("res"),
    )
    posts = (
        sp.with_columns(k=pl.int_ranges(0, 4))
        .explode("k")
        .with_columns(u=pl.col("det") + 8 * 60 * US + pl.col("k") * 30 * 60 * US)
    )
    events = pl.concat(
        [
            _events(
                posts,
                "statuspage",
                iid,
                at=pl.col("u"),
                kind=pl.lit("status_update"),
                text=pl.lit("We are investigating elevated errors."),
                ref=pl.format("{}u{}", inc, "k"),
            ),
            _events(
                sp.filter(~pl.col("open")),
                "statuspage",
                iid,
                at=pl.col("res") + 30 * US,
                kind=pl.lit("resolve"),
                text=pl.lit("This incident has been resolved."),
                ref=pl.format("{}z", inc),
            ),
            _events(
                sp.filter(~pl.col("open")),
                "statuspage",
                iid,
                at=pl.col("res") + 30 * US,
                kind=pl.lit("status_update"),
                text=pl.lit("This incident has been resolved."),
                ref=pl.format("{}z", inc),
            ),
        ]
    )
    table = sp.select(
        page=pl.lit("pg"),
        incident_ref=inc,
        shortlink=pl.format("https://stspg.io/x{}", inc),
        components=pl.concat_list(component),
    )
    return {"incidents": incidents, "events": events, "statuspage_incidents": table}


def postmortem(df: pl.DataFrame) -> dict[str, pl.DataFrame]:
    pm = df.filter(pl.col("pm") & ~pl.col("open"))
    ref = pl.format("pm-{}.md", "i")
    iid = pl.format("INC-{}-outage", "room")
    incidents = pm.select(
        incident_id=iid,
        source=pl.lit("postmortem"),
        ref=ref,
        title=pl.format("{} {} outage", "service", "i"),
        severity=pl.format("SEV{}", "sev"),
        service="service",
        started_at=_ts("t0"),
        resolved_at=_ts("res"),
        users_affected_pct=(pl.col("sev").cast(pl.Float64) * -7 + 35).clip(0, 100),
        postmortem_at=_ts("res") + pl.duration(hours=30),
    )
    minute = lambda c: (pl.col(c) // (60 * US)) * 60 * US  # noqa: E731 - post-mortems write minutes
    rows = _updates(pm).filter(pl.col("k") <= 8)
    events = pl.concat(
        [
            _events(
                pm,
                "postmortem",
                iid,
                at=minute("det"),
                kind=pl.lit("alert"),
                text=pl.lit("Alert: error rate high"),
                ref=pl.format("{}:1", ref),
            ),
            _events(
                pm,
                "postmortem",
                iid,
                at=minute("decl"),
                kind=pl.lit("declare"),
                text=pl.lit("IC declared the incident"),
                ref=pl.format("{}:2", ref),
            ),
            _events(
                rows,
                "postmortem",
                iid,
                at=minute("u"),
                kind=pl.lit("update"),
                text=pl.format("Update {} posted", "k"),
                ref=pl.format("{}:u{}", ref, "k"),
            ),
            _events(
                pm,
                "postmortem",
                iid,
                at=minute("mit"),
                kind=pl.lit("rollback"),
                text=pl.lit("Rollback completed"),
                ref=pl.format("{}:3", ref),
            ),
            _events(
                pm,
                "postmortem",
                iid,
                at=minute("res"),
                kind=pl.lit("resolve"),
                text=pl.lit("Incident resolved"),
                ref=pl.format("{}:4", ref),
            ),
        ]
    )
    return {"incidents": incidents, "events": events}


def write_workspace(folder: Path, *, incidents: int, seed: int = 0) -> dict[str, int]:
    """The workspace of ``incidents`` incidents under ``folder/ws`` and its policy; returns row counts."""
    from toolkit import schema

    folder.mkdir(parents=True, exist_ok=True)
    _policy(folder)
    df = _base(incidents, seed)
    counts: dict[str, int] = {}
    for source, make in (
        ("pagerduty", pagerduty),
        ("postmortem", postmortem),
        ("slack", slack),
        ("statuspage", statuspage),
    ):
        tables = make(df)
        out = folder / "ws" / "imports" / f"{source}-{seed:016x}"
        out.mkdir(parents=True, exist_ok=True)
        rows = {}
        for name, table in tables.items():
            full = schema.conform(name, table)
            full.write_parquet(out / f"{name}.parquet")
            rows[name] = full.height
            counts[name] = counts.get(name, 0) + full.height
        manifest = {
            "import_id": out.name,
            "source": source,
            "path": str(out),
            "sha256": f"{seed:064x}",
            "rows": rows,
            "rejected": 0,
            "notes": [],
            "imported_at": f"2025-01-01T00:00:0{len(counts) % 10}+00:00",
            "toolkit_version": "bench",
        }
        (out / "manifest.json").write_text(json.dumps(manifest))
    return counts
