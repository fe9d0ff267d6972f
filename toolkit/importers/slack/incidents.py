"""The incident rows of the war rooms: ids, declaration facts and the ``incidents`` table.

A war room's incident id is the rest of its channel name after the prefix matched by
``incident_channel_pattern``, behind ``INC-`` (``incident-2025-01-15-payment`` ->
``INC-2025-01-15-payment``); when two war rooms give the same id, the later by name gets
``-<channel id>`` appended. The fields are described in
:mod:`toolkit.importers.slack.events`, which finds the events and roles this module turns
into one row per war room.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from toolkit.clock import find_clock, resolve
from toolkit.importers.slack.rules import SlackPolicy
from toolkit.schema import TABLES, UTC, EventKind, IncidentStatus, Source, conform

__all__ = ["declaration_facts", "incident_ids", "incident_rows", "zone_info"]

K = EventKind
_SEV = r"(?i)\bsev[- ]?([1-4])\b"
_FACTS = {
    "title": r"(?im)^[^\w\n]*title[*_]*\s*:\s*[*_]*\s*([^\n]*[^\s*_])",
    "command_title": r"""(?i)/incident\s+(?:start|declare|open)\b[^"“\n]*["“]([^"”\n]+)["”]""",
    "system": r"(?im)^[^\w\n]*(?:system|service|affected\s+(?:system|service))[*_]*\s*:\s*[*_]*\s*([^\n]*[^\s*_])",
    "started": r"(?im)^[^\w\n]*(?:started|start\s+time|impact\s+start(?:ed)?|began)[*_]*\s*:\s*[*_]*\s*([^\n]+)",
    "detected": r"(?im)^[^\w\n]*(?:detected|first\s+detected|detection)[*_]*\s*:\s*[*_]*\s*([^\n]+)",
}
_SLUG = r"\(([\w.-]+)\)\s*$"
_DATE_PREFIX = re.compile(r"^\d{4}[-_]?\d{2}[-_]?\d{2}[-_]+")


def incident_ids(names: Mapping[str, str], pattern: re.Pattern[str]) -> tuple[dict[str, str], list[str]]:
    """Incident id per war-room channel id (module docs), and notes on clashes.

    Examples
    --------
    >>> incident_ids({"C1": "incident-2025-01-15-payment"}, re.compile("^(incident|inc)[-_]"))[0]
    {'C1': 'INC-2025-01-15-payment'}
    """
    out: dict[str, str] = {}
    notes: list[str] = []
    taken: set[str] = set()
    for cid, name in sorted(names.items(), key=lambda kv: (kv[1], kv[0])):
        m = pattern.search(name)
        if m is None:
            continue
        rest = (name[: m.start()] + name[m.end() :]).strip("-_ ") or cid
        iid = f"INC-{rest}"
        if iid in taken:
            notes.append(f"war rooms {name!r} and another both give {iid}; {name!r} becomes {iid}-{cid}")
            iid = f"{iid}-{cid}"
        taken.add(iid)
        out[cid] = iid
    return out, notes


def declaration_facts(cand: pl.DataFrame, rules: SlackPolicy) -> pl.DataFrame:
    """Per incident, from its declarations: title, service, started/detected lines, zone, declarer.

    ``cand`` holds the candidate messages of :mod:`toolkit.importers.slack.events`, with
    the ``_k_declare`` flag set on declarations.
    """
    flag = f"_k_{K.declare.value}"
    declared = cand.filter(pl.col(flag) if flag in cand.columns else pl.lit(False)).sort("at")
    text = pl.col("text").fill_null("")
    zones = "|".join(re.escape(z) for z in sorted(rules.time_zones, key=len, reverse=True))
    stated_zone = rf"\d(?::\d{{2}})?\s*(?:[AaPp]\.?\s?[Mm]\.?)?\s*({zones})\b" if zones else r"$^"
    system = text.str.extract(_FACTS["system"], 1)
    return (
        declared.with_columns(
            _title=pl.coalesce(
                text.str.extract(_FACTS["title"], 1), text.str.extract(_FACTS["command_title"], 1)
            ),
            _service=pl.coalesce(system.str.extract(_SLUG, 1), system),
            _started=text.str.extract(_FACTS["started"], 1),
            _detected=text.str.extract(_FACTS["detected"], 1),
            _zone=text.str.extract(stated_zone, 1),
            _declarer=pl.when(~pl.col("is_bot")).then("user"),
        )
        .group_by("incident_id", maintain_order=True)
        .agg(
            title=pl.col("_title").drop_nulls().first(),
            service=pl.col("_service").drop_nulls().first(),
            started=pl.col("_started").drop_nulls().first(),
            started_ref=pl.col("at").filter(pl.col("_started").is_not_null()).first(),
            detected=pl.col("_detected").drop_nulls().first(),
            detected_ref=pl.col("at").filter(pl.col("_detected").is_not_null()).first(),
            zone=pl.col("_zone").drop_nulls().first(),
            declarer=pl.col("_declarer").drop_nulls().first(),
        )
    )


def zone_info(name: str | None) -> ZoneInfo | None:
    """The zone called ``name``, or None when the name is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return None


def incident_rows(
    ids: dict[str, str],
    channels: pl.DataFrame,
    events: pl.DataFrame,
    roles: pl.DataFrame,
    facts: pl.DataFrame,
    rules: SlackPolicy,
    *,
    threads: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per war room and per declared thread (the ``incidents`` schema)."""
    schema = TABLES["incidents"].schema
    if not ids and (threads is None or not threads.height):
        return pl.DataFrame(schema=schema)
    kind = pl.col("kind")
    at = pl.col("at")
    times = events.group_by("incident_id").agg(
        declared_at=at.filter(kind == K.declare.value).min(),
        _resolved=at.filter(kind == K.resolve.value).max(),
        _reopened=at.filter(kind == K.reopen.value).max(),
        postmortem_at=at.filter(kind == K.postmortem.value).min(),
        _severity=pl.col("severity").sort_by(at).drop_nulls().last(),
    )
    times = times.with_columns(
        resolved_at=pl.when(pl.col("_reopened").is_null() | (pl.col("_reopened") < pl.col("_resolved"))).then(
            "_resolved"
        )
    )
    mitigated = (
        events.filter(kind.is_in([K.mitigation.value, K.rollback.value]))
        .join(times.select("incident_id", "resolved_at"), on="incident_id", how="left")
        .filter(pl.col("resolved_at").is_null() | (at <= pl.col("resolved_at")))
        .group_by("incident_id")
        .agg(mitigated_at=at.max())
    )
    commander = (
        roles.filter(pl.col("role") == "IC")
        .group_by("incident_id")
        .agg(_ic=pl.col("user").sort_by("at").last())
    )
    info = {r["channel_id"]: r for r in channels.iter_rows(named=True)}
    base = pl.DataFrame(
        {
            "incident_id": list(ids.values()),
            "ref": list(ids),
            "_topic": [info[c].get("topic") for c in ids],
            "_purpose": [info[c].get("purpose") for c in ids],
            "_channel_service": [_channel_service(info[c]["channel"], rules) for c in ids],
        },
        schema={
            "incident_id": pl.String,
            "ref": pl.String,
            "_topic": pl.String,
            "_purpose": pl.String,
            "_channel_service": pl.String,
        },
    )
    if threads is not None and threads.height:  # a thread's title and service are its first message's
        base = pl.concat(
            [
                base,
                threads.select(
                    "incident_id",
                    "ref",
                    _topic=pl.lit(None, pl.String),
                    _purpose="title",
                    _channel_service="service",
                ),
            ]
        )
    stated = _stated_times(facts, rules)
    df = (
        base.join(times, on="incident_id", how="left", maintain_order="left")
        .join(mitigated, on="incident_id", how="left", maintain_order="left")
        .join(commander, on="incident_id", how="left", maintain_order="left")
        .join(facts, on="incident_id", how="left", maintain_order="left")
        .join(stated, on="incident_id", how="left", maintain_order="left")
    )
    topic = pl.col("_topic").fill_null("")
    topic_title = (
        topic.str.extract(r"^([^|]*)", 1).str.replace(r"(?i)^\W*sev[- ]?[1-4]\W*", "").str.strip_chars()
    )
    status = (
        pl.when(pl.col("resolved_at").is_not_null())
        .then(pl.lit(IncidentStatus.resolved.value))
        .when(pl.col("mitigated_at").is_not_null())
        .then(pl.lit(IncidentStatus.mitigated.value))
        .otherwise(pl.lit(IncidentStatus.open.value))
    )
    return df.select(
        "incident_id",
        source=pl.lit(Source.slack.value),
        ref="ref",
        title=pl.coalesce("title", pl.when(topic_title != "").then(topic_title), "_purpose"),
        severity=pl.coalesce("_severity", pl.concat_str(pl.lit("SEV"), topic.str.extract(_SEV, 1))),
        computed_severity=pl.lit(None, pl.String),
        status=status,
        service=pl.coalesce("service", "_channel_service"),
        commander=pl.coalesce("_ic", "declarer"),
        started_at="started_at",
        detected_at="detected_at",
        declared_at="declared_at",
        acknowledged_at=pl.lit(None, dtype=UTC),
        mitigated_at="mitigated_at",
        resolved_at="resolved_at",
        postmortem_at="postmortem_at",
    ).pipe(lambda d: conform("incidents", d))


def _stated_times(facts: pl.DataFrame, rules: SlackPolicy) -> pl.DataFrame:
    """``started_at``/``detected_at`` from the declarations' lines, resolved per incident."""
    rows: list[dict[str, Any]] = []
    for f in facts.iter_rows(named=True):
        zone = zone_info(rules.zone(f["zone"]) if f["zone"] else None) or ZoneInfo("UTC")
        row: dict[str, Any] = {"incident_id": f["incident_id"]}
        for key in ("started", "detected"):
            line, ref = f[key], f[f"{key}_ref"]
            clock = find_clock(line) if line else None
            value = None
            if clock is not None:
                own = zone_info(rules.zone(clock.zone)) if clock.zone else None
                value = resolve(clock, ref=ref + timedelta(minutes=1), zone=own or zone, after=False)
            row[f"{key}_at"] = value
        rows.append(row)
    return pl.DataFrame(rows, schema={"incident_id": pl.String, "started_at": UTC, "detected_at": UTC})


def _channel_service(name: str, rules: SlackPolicy) -> str | None:
    m = rules.incident_channel.search(name)
    rest = name[m.end() :] if m else name
    return _DATE_PREFIX.sub("", rest).strip("-_ ") or None
