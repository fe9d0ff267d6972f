"""PagerDuty importer: REST API v2 incidents, log entries, notes and alerts, and Analytics exports.

Reads one file, a folder of files or a zip holding any mix of:

- ``GET /incidents`` pages (``{"incidents": [...], "limit", "offset", "more", "total"}``),
  ``GET /incidents/{id}`` (``{"incident": {...}}``), a JSON array of pages, or a JSON
  array of bare incident objects;
- ``GET /log_entries``, ``GET /incidents/{id}/log_entries`` (``{"log_entries": [...]}``)
  and ``GET /log_entries/{id}`` with every ``*_log_entry`` type (unknown types are kept
  with their raw type);
- ``GET /incidents/{id}/notes`` and ``GET /incidents/{id}/alerts``;
- ``POST /analytics/raw/incidents`` (``{"data": [...]}``), ``GET /analytics/raw/incidents/{id}``
  and the same records as CSV (see :mod:`.analytics` for time zones).

**Which incident a record belongs to.** Log entries, notes and alerts name their incident
in an ``incident`` reference when the response has one (log entries and alerts always do);
otherwise the file's path must name it the way PagerDuty's URL does —
``incidents/PT4KHLK/notes.json``, ``incidents_PT4KHLK_notes.json`` or ``PT4KHLK/notes.json``
(see :func:`~.shapes.incident_from_path`). Records that can be attributed
neither way are rejected (field ``incident``).

**Timeline events** (``source="pagerduty"``, ``visibility="internal"``, ``ref`` = the log
entry id): trigger → alert, notify → page, acknowledge, unacknowledge, escalate, assign,
annotate → note, resolve; other types make no event. Notes become ``note`` events (ref
``note:<id>``) and replace an annotate entry that repeats them (same second, same
person). Each alert becomes an ``alert`` event (ref ``alert:<id>``, actor the integration
or service, text the alert's summary): the trigger entry marks the incident opening, the
alerts mark each monitoring signal grouped into it.

**The generic ``incidents`` table** (``tables()["incidents"]``): ``incident_id`` "PD-<id>",
``ref`` the PagerDuty id, status triggered/acknowledged → open and resolved → resolved,
``detected_at`` = created_at, ``acknowledged_at`` = first_ack_at; severity only where the
priority maps cleanly (see :func:`~.timeline.tidy_incidents`).

**Bad input.** A file that is empty, not UTF-8, not JSON, or not a response we know is
rejected whole; a record that is not an object, has a field of the wrong JSON type, lacks
its id, type or creation time, or has a timestamp without a zone (REST) or that cannot be
read (Analytics) is rejected alone — ``rejected`` names file, record, field and reason,
and ``strict=True`` raises :class:`~toolkit.errors.InputFormatError` instead. Incidents
seen on overlapping pages are deduplicated (the latest ``updated_at`` wins), and so are
log entries, notes, alerts and Analytics rows; the rules for derived fields are in
:mod:`.derive`.

Policy (``[pagerduty]`` in the policy TOML, all optional): ``analytics_time_zone`` (the
zone used for offset-less Analytics timestamps when a workspace ingests an export;
:func:`load_pagerduty` takes it as ``tz``), ``crosscheck_tolerance_seconds`` (default 1),
``severity_from_priority`` (a table of priority name → "SEV1".."SEV4").
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from toolkit.errors import ArgumentError, PolicyError
from toolkit.importers import Importer, register
from toolkit.importers._base.common import Rejects, gc_paused
from toolkit.importers._base.inputs import open_input
from toolkit.importers._base.sniff import heads, marker_score
from toolkit.importers.pagerduty import analytics, derive, timeline
from toolkit.importers.pagerduty import report as notes
from toolkit.importers.pagerduty.columns import empty_flat
from toolkit.importers.pagerduty.read import Raw, read_export
from toolkit.policy import Policy
from toolkit.schema import TABLES, Severity, Source

__all__ = ["PagerDutyData", "PagerDutySettings", "load_pagerduty"]


@dataclass(frozen=True)
class PagerDutySettings:
    """The ``[pagerduty]`` table of a policy, validated."""

    analytics_time_zone: str = "UTC"
    crosscheck_tolerance_seconds: int = 1
    severity_from_priority: Mapping[str, Severity] | None = None

    @classmethod
    def from_policy(cls, policy: Policy) -> PagerDutySettings:
        """Read and check ``policy``'s ``[pagerduty]`` table; raises PolicyError naming the key."""
        r = policy.reader(
            "pagerduty", {"analytics_time_zone", "crosscheck_tolerance_seconds", "severity_from_priority"}
        )
        tol = r.minutes("crosscheck_tolerance_seconds", unit="seconds")
        table = r.table("severity_from_priority")
        mapping: dict[str, Severity] = {}
        for name in table.data:
            sev = table.text(str(name))
            try:
                mapping[str(name)] = Severity(sev)
            except ValueError:
                raise PolicyError(
                    policy.source, table.key(str(name)), f"expected SEV1..SEV4, got {sev!r}"
                ) from None
        return cls(r.zone("analytics_time_zone"), 1 if tol is None else tol, mapping)


@dataclass(frozen=True)
class PagerDutyData:
    """A PagerDuty export as tables.

    Attributes
    ----------
    incidents
        The core ``incidents`` table: one row per PagerDuty incident, ``incident_id``
        ``PD-<id>``, ``ref`` the PagerDuty id.
    events
        The core ``events`` table (timeline events of log entries, notes and alerts).
    people
        The core ``people`` table: everyone the export names as assignee, acknowledger or
        acting user (``person_id`` ``pagerduty:<name>``).
    pagerduty_incidents
        One row per PagerDuty incident as PagerDuty has it: pd_incident_id, incident_number,
        title, status, urgency, priority, service, escalation_policy, teams, created_at,
        first_ack_at, resolved_at, assignees, acknowledgers, escalation_count,
        seconds_to_first_ack, seconds_to_resolve, html_url, incident_key.
    log_entries
        The ``pagerduty_log_entries`` table (one row per log entry).
    notes
        Lines for the import report (time zones, duplicates, disagreements, ...).
    crosscheck
        Disagreements between log entries and Analytics: pd_incident_id, field,
        from_log_entries, from_analytics.
    rejected
        Records that could not be read (the ``rejected`` table).
    """

    incidents: pl.DataFrame
    events: pl.DataFrame
    people: pl.DataFrame
    pagerduty_incidents: pl.DataFrame
    log_entries: pl.DataFrame
    notes: tuple[str, ...]
    crosscheck: pl.DataFrame
    rejected: pl.DataFrame

    def tables(self) -> dict[str, pl.DataFrame]:
        """Workspace tables: core ``incidents``, ``events``, ``people``; ``pagerduty_*`` source tables."""
        return {
            "incidents": self.incidents,
            "events": self.events,
            "people": self.people,
            "pagerduty_incidents": self.pagerduty_incidents,
            "pagerduty_log_entries": self.log_entries,
        }


def load_pagerduty(
    path: str | Path,
    *,
    tz: str = "UTC",
    strict: bool = False,
    progress: bool | None = None,
    policy: Policy | None = None,
) -> PagerDutyData:
    """Read a PagerDuty export (file, folder or zip) into tidy tables.

    Parameters
    ----------
    path
        A JSON or CSV file, a folder of them, or a zip.
    tz
        Time zone of Analytics timestamps that carry none (IANA name, default UTC).
    strict
        Raise :class:`~toolkit.errors.InputFormatError` at the first bad record instead of
        listing it in ``rejected``.
    progress
        Show a progress bar (None: when in a terminal or notebook).
    policy
        Policy whose ``[pagerduty]`` table sets the cross-check tolerance and the
        priority → severity names (default: the shipped policy).

    Examples
    --------
    >>> data = load_pagerduty("tests/fixtures/pagerduty/chains", progress=False)
    >>> data.pagerduty_incidents.sort("pd_incident_id").select("pd_incident_id", "escalation_count").row(0)
    ('PCHN001', 1)
    >>> sorted(data.incidents["incident_id"])[0]
    'PD-PCHN001'
    """
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ArgumentError(
            f"tz={tz!r} is not a time zone name; use an IANA name such as 'UTC' or 'Europe/Berlin'"
        ) from None
    settings = PagerDutySettings.from_policy(policy or Policy.default())
    rejects = Rejects(Source.pagerduty, strict=strict)
    with gc_paused(), open_input(path) as inp:
        raw = read_export(inp, rejects=rejects, tz=tz, progress=progress)
        return _build(raw, rejects, settings)


def _build(raw: Raw, rejects: Rejects, settings: PagerDutySettings) -> PagerDutyData:
    report = list(raw.report)
    frames: dict[str, pl.DataFrame | None] = {
        "incident": raw.incidents,
        "log entry": raw.log_entries,
        "note": raw.notes,
        "alert": raw.alerts,
        "analytics": raw.analytics,
    }
    raw.incidents = raw.log_entries = raw.notes = raw.alerts = raw.analytics = None  # let them go early
    for kind, df in list(frames.items()):
        if df is None:
            continue
        frames[kind], dropped = derive.dedupe(kind, df)
        if dropped:
            report.append(notes.duplicates(kind, dropped))
    log_src = frames.pop("log entry")
    log = derive.log_table(log_src if log_src is not None else empty_flat("log entry"))
    del log_src
    report += notes.unknown_types(log, derive.KNOWN_TYPES)
    wide = derive.merge_incidents(
        frames["incident"],
        log,
        frames["analytics"],
        rest_schema=empty_flat("incident").schema,
        analytics_schema=analytics.parsed_schema(),
    )
    incidents = wide.select(list(derive.INCIDENT_COLUMNS)).cast(derive.INCIDENT_COLUMNS)
    check = derive.crosscheck(wide, tolerance_seconds=settings.crosscheck_tolerance_seconds)
    events, annotate_dupes = timeline.events(log, frames["note"], frames["alert"])
    report += notes.annotate_repeats(annotate_dupes)
    report += notes.paging(raw.paging)
    report += notes.merged(wide)
    report += notes.orphans(incidents, frames["note"], frames["alert"])
    report += notes.out_of_order(incidents)
    report += notes.disagreements(check)
    return PagerDutyData(
        incidents=timeline.tidy_incidents(incidents, severity_map=settings.severity_from_priority or {}),
        events=events,
        people=timeline.people(incidents, log),
        pagerduty_incidents=incidents,
        log_entries=log.select(*TABLES["pagerduty_log_entries"].schema),
        notes=tuple(report),
        crosscheck=check,
        rejected=rejects.frame().sort("file", "record", nulls_last=False, maintain_order=True),
    )


# --- registry -------------------------------------------------------------------------------

_MARKERS = (
    b'_log_entry"',
    b'"incident_number"',
    b"seconds_to_first_ack",
    b'"incident_reference"',
    b'"escalation_policy"',
    b'"user_reference"',
    b'"service_reference"',
)
"""Keys only PagerDuty's responses use."""


def sniff(path: Path) -> float:
    """How much ``path`` looks like a PagerDuty export (0..1; the first 64 KiB of up to 8 files)."""
    found = heads(
        path, suffixes=(".json", ".csv"), files=8, prefer=("pagerduty", "pd_", "log_entries", "incident")
    )
    return marker_score(found, _MARKERS)


def _load(path: Path, *, strict: bool, policy: Policy) -> PagerDutyData:
    settings = PagerDutySettings.from_policy(policy)
    return load_pagerduty(path, tz=settings.analytics_time_zone, strict=strict, policy=policy)


register(
    Importer(
        source=Source.pagerduty,
        sniff=sniff,
        load=_load,
        description="PagerDuty REST v2 incidents, log entries, notes, alerts and Analytics raw incidents (JSON/CSV)",
    )
)
