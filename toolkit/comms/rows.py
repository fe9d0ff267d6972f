"""The rows of a post-mortem's timeline table, from what was known.

Once the incident is resolved and a post-mortem states its own timeline, those rows are
the table, worded as the team wrote them. Otherwise the rows come from the events known
at the moment: alerts (titled as PagerDuty titled them), acknowledgements, escalations,
the declaration, severity changes, mitigations, rollbacks, deploys, messages marked for
the timeline, each status-page phase, the resolution and a reopening — one line each.

Examples
--------
>>> from toolkit.comms.records import Records
>>> from toolkit.timeline import Timeline
>>> timeline_rows(Timeline.empty().events, (), Records(), retro=False, severity=None, names={})
()
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.comms.model import phase_of
from toolkit.comms.records import Post, Records, Row

__all__ = ["ROW_KINDS", "timeline_rows"]

ROW_KINDS = (
    "alert",
    "acknowledge",
    "escalate",
    "declare",
    "severity_change",
    "mitigation",
    "rollback",
    "deploy",
    "message",
    "resolve",
    "reopen",
    "postmortem",
)
"""Event kinds that make a timeline row (status-page posts make one per phase)."""

_ONCE = ("declare", "resolve")


def _line(text: str | None, limit: int = 160) -> str:
    line = next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _alert_title(title: str) -> str:
    """PagerDuty's ``service: summary`` title without the service."""
    head, sep, rest = title.partition(": ")
    return rest if sep and " " not in head else title


def timeline_rows(
    events: pl.DataFrame,
    posts: tuple[Post, ...],
    records: Records,
    *,
    retro: bool,
    severity: str | None,
    names: Mapping[str, str],
) -> tuple[Row, ...]:
    """The timeline rows (module docs) from known ``events`` (one incident's, oldest first)."""
    if retro and records.postmortem_rows:
        return records.postmortem_rows
    rows: list[Row] = []
    seen: set[str] = set()
    alerts = list(records.alert_titles)
    for r in events.filter(pl.col("kind").is_in(ROW_KINDS) & (pl.col("visibility") == "internal")).iter_rows(
        named=True
    ):
        kind = r["kind"]
        if kind in _ONCE and kind in seen:
            continue
        seen.add(kind)
        who = names.get(r["person_id"] or "", r["actor"] or "")
        if kind == "alert":
            text = f"Alert: {_alert_title(alerts.pop(0))}" if alerts else f"Alert: {_line(r['text'])}"
        elif kind == "declare":
            text = f"{r['severity'] or severity or 'Incident'} declared" + (f" by {who}" if who else "")
        elif kind == "severity_change" and r["severity"]:
            text = f"Severity changed to {r['severity']}" + (f" by {who}" if who else "")
        elif kind == "resolve":
            text = "Incident resolved"
        else:
            text = _line(r["text"])
        rows.append(Row(r["at"], text))
    last = None
    for p in posts:
        phase = phase_of(p.phase)
        if phase != last:
            rows.append(Row(p.at, f'Status page: {phase} - "{_line(p.body, 100)}"'))
        last = phase
    rows.sort(key=lambda row: row.at)
    return tuple(rows)
