"""Atlassian Statuspage (API v2 JSON): incident histories, snapshots, phases.

Reads one response file, a folder or a zip of them, in any mix: ``incidents.json``,
``incidents/unresolved.json``, ``incidents/<id>.json``, ``summary.json`` (in-flight
incidents, components, maintenances), ``scheduled-maintenances*.json``,
``components.json``; pages served by other vendors through the same API (ULID ids, no
components, no shortlink) and archivers' copies (sorted keys, ``_meta`` in place of
``page``) alike. The same incident seen in several files — many ``summary.json``
snapshots of one page over time — is one incident: its updates are unioned by update id
and its latest state wins. Maintenances are kept apart and never become incidents. Files
that are not Statuspage responses and records that cannot be read go to ``.rejected``
(``strict=True`` raises :class:`~toolkit.errors.InputFormatError` instead).

The work is split: :mod:`.read` walks the JSON (the one Python loop),
:mod:`.frames` checks and merges vectorised, :mod:`.phases` computes
phases, :mod:`.tidy` maps to the workspace schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from toolkit.importers import Importer, register
from toolkit.importers._base.batches import Batches
from toolkit.importers._base.common import Rejects, gc_paused
from toolkit.importers._base.inputs import open_input
from toolkit.importers._base.jsonfile import read_json_document
from toolkit.importers._base.sniff import heads, marker_score
from toolkit.importers.statuspage.frames import components_frame, flush, merge
from toolkit.importers.statuspage.phases import TimeBasis, check_time_basis, maintenances_as_incidents, phases
from toolkit.importers.statuspage.read import Batch, Component, read_document
from toolkit.importers.statuspage.tidy import tidy_events, tidy_incidents
from toolkit.policy import Policy
from toolkit.progress import progress as progress_bar
from toolkit.schema import Source

__all__ = ["StatuspageData", "TimeBasis", "load_statuspage", "sniff", "status_phases"]


@dataclass(frozen=True)
class StatuspageData:
    """What a Statuspage export holds, as polars DataFrames.

    Attributes
    ----------
    incidents
        The core ``incidents`` table: one row per (page, incident), ``incident_id``
        ``SP-<page>-<id>``, ``ref`` ``<page>/<id>`` (see :mod:`.tidy`).
    events
        The core ``events`` table: every update a public ``status_update`` event, plus the
        ``resolve``/``postmortem``/``reopen`` milestones (see :mod:`.tidy`).
    statuspage_incidents
        One row per (page, incident) as the page has it: page, incident_ref, name, impact,
        status, created_at, started_at, monitoring_at (first monitoring update when the
        page gives none), resolved_at (null while open; from the first resolved update
        when the page gives none), components (names; from the updates' affected
        components when the incident lists none), shortlink, postmortem_body, n_updates,
        updated_at, postmortem_at (first post-mortem update) and reopened (a resolved
        update was followed by investigating/identified/monitoring).
    updates
        One row per incident update, in time order (``created_at``) within each incident:
        the ``statuspage_updates`` table (page, incident_ref, update_id, at, display_at,
        status, body, impact, components — the affected components, else the incident's —
        and affected_components exactly as the update lists them, null when none).
    components
        Page components from summary/components responses (latest snapshot wins).
    maintenances
        Scheduled maintenances, one row each (never counted as incidents).
    maintenance_updates
        Their updates (page, maintenance_ref, update_id, at, display_at, status, body,
        affected_components).
    rejected
        Files and records that could not be read (``rejected`` schema).
    notes
        Warnings for the import report (merged snapshots, back-dated updates, ...).
    time_basis
        The clock the ``events`` table uses: ``created_at`` or ``display_at``.
    """

    statuspage_incidents: pl.DataFrame
    updates: pl.DataFrame
    components: pl.DataFrame
    maintenances: pl.DataFrame
    maintenance_updates: pl.DataFrame
    rejected: pl.DataFrame
    notes: tuple[str, ...] = field(default=())
    time_basis: TimeBasis = "created_at"

    @cached_property
    def incidents(self) -> pl.DataFrame:
        """The core ``incidents`` table (built on first use)."""
        return tidy_incidents(self.statuspage_incidents, self.updates)

    @cached_property
    def events(self) -> pl.DataFrame:
        """The core ``events`` table (built on first use)."""
        return tidy_events(self.updates, self.statuspage_incidents, time_basis=self.time_basis)

    def tables(self) -> dict[str, pl.DataFrame]:
        """Workspace tables: core ``incidents`` and ``events``; the ``statuspage_*`` source tables."""
        return {
            "incidents": self.incidents,
            "events": self.events,
            "statuspage_incidents": self.statuspage_incidents,
            "statuspage_updates": self.updates,
            "statuspage_components": self.components,
            "statuspage_maintenances": self.maintenances,
        }


def load_statuspage(
    path: str | Path,
    *,
    strict: bool = False,
    policy: Policy | None = None,
    progress: bool | None = None,
    time_basis: TimeBasis = "created_at",
) -> StatuspageData:
    """Read Statuspage API v2 responses (a file, a folder or a zip) into tables.

    Parameters
    ----------
    path
        A response file, or a folder or zip holding any number of them.
    strict
        Raise :class:`~toolkit.errors.InputFormatError` at the first bad file or record
        instead of listing it in ``.rejected``.
    policy
        The policy in force (accepted like every loader's; the Statuspage importer has no
        settings of its own yet).
    progress
        Show a progress bar (``None``: when in a terminal or notebook).
    time_basis
        Clock of the ``events`` table: ``"created_at"`` (when posted) or ``"display_at"``
        (when the page says it was posted; may be back-dated).

    Examples
    --------
    >>> data = load_statuspage("tests/fixtures/statuspage/claude_summary.json")
    >>> data.statuspage_incidents.select("incident_ref", "status", "n_updates").row(0)
    ('978mjkgw6mh7', 'monitoring', 4)
    """
    basis = check_time_basis(time_basis)
    rejects = Rejects(Source.statuspage, strict=strict)
    files: list[str] = []
    components: list[Component] = []
    rec_frames: list[pl.DataFrame] = []
    upd_frames: list[pl.DataFrame] = []
    batch, seq = Batch(), 0
    read_notes: list[str] = []

    def build() -> None:
        nonlocal batch
        rec, upd = flush(batch, files=files, rejects=rejects)
        rec_frames.append(rec)
        upd_frames.append(upd)
        batch = Batch()

    batches = Batches(build)
    with (
        open_input(path) as inp,
        progress_bar("Reading Statuspage files", len(inp.members), enabled=progress) as advance,
        gc_paused(),
    ):
        for file_no, member in enumerate(inp.members):
            files.append(member.display)
            raw = member.read()
            if not member.name.lower().endswith(".json") and raw.lstrip()[:1] not in (b"{", b"["):
                reason = "empty file" if not raw.strip() else "not a JSON file"
                rejects.add(
                    member.display, None, None, reason, hint="only Statuspage API responses (.json) are read"
                )
            else:
                doc = read_json_document(
                    member, rejects, read_notes, data=raw, keys=_RECORD_KEYS, noun="incident"
                )
                if doc is not None:
                    seq, _ = read_document(
                        doc,
                        file=file_no,
                        display=member.display,
                        batch=batch,
                        components=components,
                        rejects=rejects,
                        seq=seq,
                    )
                del doc
            batches.add(batch.size - batches.held)  # what this file added to the batch
            advance(1)
        batches.finish()
    merged = merge(pl.concat(rec_frames), pl.concat(upd_frames))
    notes = [*read_notes, *merged.notes]
    if merged.incidents.is_empty() and merged.maintenances.is_empty():
        notes.append(f"{path}: no Statuspage incidents or maintenances found")
    return StatuspageData(
        statuspage_incidents=merged.incidents,
        updates=merged.updates,
        components=components_frame(components),
        maintenances=merged.maintenances,
        maintenance_updates=merged.maintenance_updates,
        rejected=rejects.frame(),
        notes=tuple(notes),
        time_basis=basis,
    )


def status_phases(
    data: StatuspageData | pl.DataFrame,
    *,
    time_basis: TimeBasis = "created_at",
    include_maintenance: bool = False,
) -> pl.DataFrame:
    """Phases of each status-page incident: first time of each status, time to resolve, gaps.

    One row per incident: page, incident_ref, impact, components, investigating_at,
    identified_at, monitoring_at, resolved_at, postmortem_at (each the FIRST update with
    that status, null when there is none), first_update_at, time_to_resolve (first
    investigating/identified/monitoring update to first resolved update; null when
    either is missing), n_gaps, gap_median and gap_max (between consecutive updates,
    post-mortem updates left out). A pure function of the data's frames.

    Parameters
    ----------
    data
        A :class:`StatuspageData`, or a ``statuspage_updates`` table (e.g. read back from a
        workspace), in which case impact and components come from the updates.
    time_basis
        ``"created_at"`` (default) or ``"display_at"`` (back-dated times as shown).
    include_maintenance
        Count as incidents the records whose impact is ``maintenance`` but whose every
        update has an incident status (investigating ... resolved), as some published
        studies do; by default they stay apart with the scheduled maintenances.

    Examples
    --------
    >>> data = load_statuspage("tests/fixtures/statuspage/claude_summary.json")
    >>> status_phases(data).select("identified_at", "resolved_at", "n_gaps").row(0)
    (datetime.datetime(2026, 10, 7, 17, 28, 2, 568000, tzinfo=zoneinfo.ZoneInfo(key='UTC')), None, 3)
    """
    basis = check_time_basis(time_basis)
    if isinstance(data, pl.DataFrame):
        return phases(data, None, time_basis=basis)
    if include_maintenance:
        updates, incidents = maintenances_as_incidents(data.maintenances, data.maintenance_updates)
        return phases(
            pl.concat([data.updates, updates], how="diagonal_relaxed"),
            pl.concat([data.statuspage_incidents, incidents], how="diagonal_relaxed"),
            time_basis=basis,
        )
    return phases(data.updates, data.statuspage_incidents, time_basis=basis)


# --- registration -----------------------------------------------------------------------

_RECORD_KEYS = ("incidents", "scheduled_maintenances")
"""Record arrays of Statuspage responses: a truncated list keeps its complete incidents."""

_MARKERS = (
    b'"incident_updates"',
    b'"scheduled_maintenances"',
    b'"only_show_if_degraded"',
    b'"shortlink"',
    b'"display_at"',
)
"""Keys only Statuspage API responses use."""


def sniff(path: Path) -> float:
    """How much ``path`` looks like Statuspage responses (0..1; the first 64 KiB of a few files).

    Examples
    --------
    >>> sniff(Path("tests/fixtures/statuspage")) > 0.5
    True
    """
    return marker_score(heads(path, suffixes=(".json",), files=8, prefer=("incident", "summary")), _MARKERS)


def _load(path: Path, *, strict: bool, policy: Policy) -> StatuspageData:
    return load_statuspage(path, strict=strict, policy=policy)


register(
    Importer(
        source=Source.statuspage,
        sniff=sniff,
        load=_load,
        description="Atlassian Statuspage API v2 JSON (incidents, summary snapshots, maintenances): file, folder or zip",
    )
)
