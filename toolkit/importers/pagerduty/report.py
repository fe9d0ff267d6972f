"""Lines for the import report of a PagerDuty export (``PagerDutyData.notes``).

Each function returns zero or more lines; lists that can grow with the export (merged
incidents, disagreements, ...) are capped at :data:`MAX_LINES` lines, the rest counted.
"""

from __future__ import annotations

import polars as pl

__all__ = [
    "MAX_LINES",
    "annotate_repeats",
    "disagreements",
    "duplicates",
    "merged",
    "orphans",
    "out_of_order",
    "paging",
    "unknown_types",
]

MAX_LINES = 50
"""Per kind of line; the rest is summarised (the full lists live in the frames)."""

_DUPLICATES = {
    "incident": "{n} incident record(s) appeared more than once (overlapping pages); kept the latest by updated_at",
    "log entry": "{n} log entr(ies) appeared more than once; kept one copy each",
    "note": "{n} note(s) appeared more than once; kept one copy each",
    "alert": "{n} alert(s) appeared more than once; kept one copy each",
    "analytics": "{n} Analytics record(s) appeared more than once; kept the latest by updated_at",
}


def _capped(lines: list[str], what: str) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"... and {len(lines) - MAX_LINES} more {what}"]


def unknown_types(log: pl.DataFrame, known: frozenset[str]) -> list[str]:
    """The log-entry types outside PagerDuty's schema, with their counts."""
    unknown = log.filter(~pl.col("type").is_in(sorted(known))).group_by("type").len().sort("type").rows()
    if not unknown:
        return []
    shown = ", ".join(f"{t} ({n})" for t, n in unknown)
    return [f"Kept log entries of types PagerDuty's schema does not list, as they are: {shown}"]


def paging(pages: list[tuple[str, str, int, int, bool]]) -> list[str]:
    """Pages that say more follow when no following page was read."""
    seen = {(key, offset) for _, key, offset, _, _ in pages}
    lines = [
        f"{file}: the page says more {key} follow (offset {offset + n}), but no such page was read; "
        "the export may be incomplete"
        for file, key, offset, n, more in pages
        if more and (key, offset + n) not in seen
    ]
    return _capped(lines, "incomplete pages")


def merged(wide: pl.DataFrame) -> list[str]:
    """Incidents resolved by being merged into another."""
    rows = wide.filter(pl.col("r_merged_into").is_not_null()).select("pd_incident_id", "r_merged_into").rows()
    lines = [f"PD-{a} was merged into PD-{b} (its resolved_at is the merge time)" for a, b in rows]
    return _capped(lines, "merged incidents")


def orphans(incidents: pl.DataFrame, notes: pl.DataFrame | None, alerts: pl.DataFrame | None) -> list[str]:
    known = incidents.select("pd_incident_id")
    lines = []
    for name, df in (("note", notes), ("alert", alerts)):
        if df is None:
            continue
        orphans = df.join(known, on="pd_incident_id", how="anti")
        if orphans.height:
            ids = orphans["pd_incident_id"].unique(maintain_order=True).to_list()
            lines.append(
                f"{orphans.height} {name}(s) belong to incident(s) with no incident record, log entry or "
                f"Analytics row in this export: {', '.join(ids[:5])}{' ...' if len(ids) > 5 else ''}"
            )
    return lines


def out_of_order(incidents: pl.DataFrame) -> list[str]:
    """Milestones before the creation time (the source's own timestamps disagree)."""
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    lines = []
    for at, secs in (("first_ack_at", "seconds_to_first_ack"), ("resolved_at", "seconds_to_resolve")):
        early = pl.col(at) < pl.col("created_at")
        rows = incidents.filter(early | (pl.col(secs) < 0)).select(
            "pd_incident_id",
            early.fill_null(False).alias("early"),
            pl.col(at).dt.strftime(fmt),
            pl.col("created_at").dt.strftime(fmt),
            secs,
        )
        for pid, is_early, when, created, value in rows.rows():
            detail = (
                f"{at} {when} is before created_at {created}"
                if is_early
                else f"{secs} is negative ({value} s)"
            )
            lines.append(f"PD-{pid}: {detail}; the source's timestamps disagree")
    return _capped(lines, "out-of-order timestamps")


def disagreements(check: pl.DataFrame) -> list[str]:
    """One line per cross-check disagreement (capped; the full list is ``.crosscheck``)."""
    lines = [
        f"Cross-check PD-{pid}: {field} is {mine} from log entries but {theirs} from Analytics"
        for pid, field, mine, theirs in check.rows()
    ]
    return _capped(lines, "cross-check disagreements (see .crosscheck)")


def duplicates(kind: str, n: int) -> str:
    """Records of ``kind`` dropped as copies."""
    return _DUPLICATES[kind].format(n=n)


def annotate_repeats(n: int) -> list[str]:
    """Annotate log entries that repeated a note of the notes endpoint."""
    if not n:
        return []
    return [
        f"{n} annotate log entr{'y' if n == 1 else 'ies'} repeated a note of the notes endpoint; kept the note's event only"
    ]
