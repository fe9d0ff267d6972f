"""The timeline of a post-mortem: rows placed in time, with kind, actor and visibility.

Kinds are inferred by keyword (first rule that matches): resolve, status_update (public:
"Status page: ..."), severity_change ("Upgraded to SEV1"), declare, escalate, acknowledge,
rollback, alert, page, mitigation, deploy, update, else message. A short label before a
colon decides first, so "Decision: Rollback to v2.4" is an ``update`` while "Rollback
completed" is a ``rollback``. The actor is taken where the row states it: an Actor/Who
column, ``IC (Alice)``, ``Alice (IC)``, a role resolved through the participants
(``TL identified ...`` → Bob when "Bob (TL)"), a participant's name first, or
``... by @bob``/``... by Bob`` (a participant).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from toolkit.importers.postmortem.md import MdLine, cell, column_index, list_items, plain, tables
from toolkit.importers.postmortem.time import (
    Zone,
    find_zone_label,
    parse_clock,
    parse_date,
    resolve_zone,
    to_utc,
)
from toolkit.schema import EventKind, Visibility

__all__ = ["Problem", "TimelineRow", "event_actor", "event_kind", "read_timeline", "roles_of", "split_people"]

Problem = tuple[int, str | None, str]
"""(line number, field, reason) of something that could not be read."""

# ---------------------------------------------------------------------------- event kinds

_KIND_RULES: tuple[tuple[EventKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE))
    for kind, rx in (
        (
            EventKind.resolve,
            r"\bresolved\b|\bresolution\b|\bincident (?:closed|over|ended)\b|\ball[- ]clear\b",
        ),
        (
            EventKind.status_update,
            r"\bstatus ?page\b|\bstatuspage\b|\bpublic (?:update|notice)\b|\bcustomers? notified\b",
        ),
        (
            EventKind.severity_change,
            r"\b(?:up|down)grad\w*\b.*\bsev ?[1-4]\b|\b(?:raised|lowered|changed|escalated|bumped)\b.*\bto sev ?[1-4]\b"
            r"|\bsev ?[1-4] ?(?:→|->) ?sev ?[1-4]\b",
        ),
        (EventKind.declare, r"\bdeclared?\b|\bsev ?[1-4] (?:incident )?(?:opened|called)\b"),
        (EventKind.escalate, r"\bescalat\w*"),
        (EventKind.acknowledge, r"\backnowledg\w*|\back(?:ed)?\b"),
        (EventKind.rollback, r"\broll(?:ed|ing)?[- ]?backs?\b|\breverted?\b|\breverting\b"),
        (EventKind.alert, r"\balert(?:s|ed|ing)?\b|\balarms?\b|\bmonitor(?:ing)? (?:fired|triggered)\b"),
        (EventKind.page, r"\bpaged\b|\bpage sent\b|\bon-?call (?:paged|notified)\b"),
        (
            EventKind.mitigation,
            r"\bfail(?:ed)?[- ]?over\b|\bfeature[- ]flag\b|\bcircuit[- ]breaker\b|\bscaled? (?:up|out)\b"
            r"|\brate[- ]limit|\bhot[- ]?fix\b|\bmitigat\w*|\btraffic (?:shed|shift)\w*|\brestart(?:ed)?\b"
            r"|\bblock(?:ed|ing)?\b|\bdisabled?\b|\bthrottled\b",
        ),
        (EventKind.deploy, r"\bdeploy(?:ed|ment|ing|s)?\b|\breleased?\b|\brolled out\b|\bshipped\b"),
        (
            EventKind.update,
            r"\bupdates?\b|\bhypothes[ie]s\b|\bdecision\b|\bdecided\b|\bidentified\b|\bfound\b|\binvestigat\w*"
            r"|\bmetrics?\b|\bmonitoring\b|\berror rate\b|\bstable\b|\broot cause\b|\breview\b|\bconfirmed\b",
        ),
    )
)
_LABEL_RX = re.compile(r"^\s*(?P<label>[^:]{1,40}):\s+\S")


def event_kind(text: str) -> EventKind:
    """The kind of a timeline row, by keyword (first matching rule; ``message`` otherwise).

    A short label before a colon decides first ("Decision: Rollback to v2.4" is an
    ``update``, "Status page: ..." a ``status_update``); else the whole text is read.

    Examples
    --------
    >>> event_kind("Decision: Rollback to v2.4"), event_kind("Rollback completed, monitoring metrics")
    (<EventKind.update: 'update'>, <EventKind.rollback: 'rollback'>)
    """
    m = _LABEL_RX.match(text)
    if m:
        for kind, rx in _KIND_RULES:
            if rx.search(m.group("label")):
                return kind
    for kind, rx in _KIND_RULES:
        if rx.search(text):
            return kind
    return EventKind.message


# ---------------------------------------------------------------------------- actors

_ROLE_ALIASES = {
    "ic": "IC", "incident commander": "IC", "commander": "IC",
    "tl": "TL", "tech lead": "TL", "technical lead": "TL",
    "comms": "Comms", "comms lead": "Comms", "communications lead": "Comms", "communications": "Comms",
    "scribe": "Scribe", "sme": "SME", "subject matter expert": "SME",
}  # fmt: skip
_ROLE_ALT = "|".join(sorted((re.escape(r) for r in _ROLE_ALIASES), key=len, reverse=True))
_ROLE_NAME_RX = re.compile(rf"^(?P<role>{_ROLE_ALT})\s*\(\s*@?(?P<name>[^)]+?)\s*\)", re.IGNORECASE)
_NAME_ROLE_RX = re.compile(
    rf"^@?(?P<name>[A-Z][\w.-]*(?: [A-Z][\w.-]*)?)\s*\(\s*(?P<role>{_ROLE_ALT})\s*\)", re.IGNORECASE
)
_ROLE_LEAD_RX = re.compile(rf"^(?P<role>{_ROLE_ALT})\b", re.IGNORECASE)
_BY_RX = re.compile(r"\bby @?(?P<name>[A-Z][\w.-]*(?: [A-Z][\w.-]*)?|@[\w.-]+)")


def split_people(value: str) -> list[str]:
    """``Alice (IC), Bob (TL), SRE Team`` → each person as written (commas in parentheses kept)."""
    out: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in value:
        depth += ch == "("
        depth -= ch == ")"
        if ch in ",;" and depth <= 0:
            out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf).strip())
    return [plain(p).lstrip("@") for p in out if p.strip()]


def roles_of(participants: Sequence[str]) -> dict[str, str]:
    """Role → name from ``Name (Role)`` or ``Role: Name`` participants (``{"IC": "Alice"}``)."""
    roles: dict[str, str] = {}
    for p in participants:
        m = re.match(r"^(?P<name>[^()]+?)\s*\((?P<role>[^)]+)\)$", p) or re.match(
            r"^(?P<role>[^:]+):\s*(?P<name>.+)$", p
        )
        if m:
            for part in re.split(r"[,/&]", m.group("role")):  # "Ivan (SME, DB)"
                role = _ROLE_ALIASES.get(part.strip().lower())
                if role:
                    roles.setdefault(role, m.group("name").strip().lstrip("@"))
    return roles


def event_actor(text: str, roles: Mapping[str, str], names: Sequence[str]) -> str | None:
    """Who did it, where the row says: ``IC (Alice)``, ``Alice (IC)``, ``TL ...`` (by role),
    a participant's name first, or ``... by @bob`` / ``... by Bob`` (a participant).

    Examples
    --------
    >>> event_actor("TL identified: DB connection pool at 100%", {"TL": "Bob"}, ["Bob"])
    'Bob'
    """
    for rx in (_ROLE_NAME_RX, _NAME_ROLE_RX):
        m = rx.match(text)
        if m:
            return m.group("name").strip()
    m = _ROLE_LEAD_RX.match(text)
    if m:
        role = _ROLE_ALIASES[m.group("role").lower()]
        return roles.get(role, role)
    first = re.match(r"^@?([A-Z][\w.-]*)", text)
    if first and first.group(1) in names:
        return first.group(1)
    m = _BY_RX.search(text)
    if m and (m.group("name").startswith("@") or m.group("name").split()[0] in names):
        return m.group("name").lstrip("@")
    return None


# ---------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class TimelineRow:
    """A timeline row, read: its line, UTC time, text, kind, actor and visibility."""

    line: int
    at: datetime
    text: str
    kind: EventKind
    actor: str | None
    visibility: Visibility
    severity: str | None


@dataclass
class _Clocker:
    """Places clock times on days: the doc's date, explicit dates, and midnight roll-overs.

    A row without a date goes on the day before, of or after the current one — whichever
    puts it earliest but no more than an hour before the row above (so 00:05 after 23:50
    is the next day, and a row in another zone lands next to its neighbours).
    """

    day: date | None
    zone: Zone
    notes: list[str]
    labels: bool = True
    """Honour a label written in the cell ("10:00 UTC"); False when tz= overrides all."""
    prev: datetime | None = None

    def place(self, clock_text: str, day_text: str, line: int, year: int | None) -> datetime | str:
        clock = parse_clock(clock_text, year=year)
        if clock is None:
            return f"expected a clock time like '10:00 AM', '10:00' or '10:00 PST', got {clock_text!r}"
        day = clock.day
        if day_text:
            day = parse_date(day_text, year=year)
            if day is None:
                return f"expected a date like '2025-01-15' or 'Jan 15', got {day_text!r}"
        zone = self.zone
        if clock.label is not None and self.labels:
            zone = resolve_zone(clock.label) or self.zone
        if day is not None:
            at = to_utc(day, clock.time, zone)
        elif self.day is None:
            return "the document has no date and the row names none; add **Date:** to the header"
        elif self.prev is None:
            at = to_utc(self.day, clock.time, zone)
        else:
            floor = self.prev - timedelta(hours=1)
            options = [to_utc(self.day + timedelta(days=k), clock.time, zone) for k in (-1, 0, 1)]
            at = min((o for o in options if o >= floor), default=options[-1])
        if self.prev is not None and at < self.prev:
            self.notes.append(f"line {line}: timeline row earlier than the row above")
        self.day = at.astimezone(self.zone.tzinfo).date()
        self.prev = at if self.prev is None else max(self.prev, at)
        return at


_LIST_TIME_SEP_RX = re.compile(r"\s*(?:\s[-–—|]\s|[-–—|]\s|:\s|\*\*\s*:?\s*)")


def _split_list_entry(text: str) -> tuple[str, str] | None:
    """``10:00 AM - Alert fired`` / ``**10:00** Alert fired`` → (time text, event text)."""
    for m in _LIST_TIME_SEP_RX.finditer(text):
        head = text[: m.start()].strip().strip("*_ ")
        if head and parse_clock(head) is not None:
            return head, text[m.end() :].strip().strip("*_ ").strip()
    return None


def read_timeline(
    lines: Sequence[MdLine],
    *,
    day: date | None,
    zone: Zone,
    roles: Mapping[str, str],
    names: Sequence[str],
    notes: list[str],
    cell_labels: bool = True,
) -> tuple[list[TimelineRow], list[Problem]]:
    """Rows of the timeline table (or of a ``- 10:00 AM — text`` list).

    Times fall on ``day`` in ``zone`` unless the row names a date or (``cell_labels``) a
    zone of its own; a time more than an hour earlier than the row above is after midnight.
    """
    found, rest = tables(lines)
    problems: list[Problem] = []
    clocker = _Clocker(day, zone, notes, cell_labels)
    year = day.year if day else None
    entries: list[tuple[int, str, str, str, str]] = []  # line, time, date, text, actor
    for table in found:
        h = table.header
        t_i = column_index(h, r"\btime|\bwhen\b|\btimestamp|\bclock|\bhour")
        d_i = column_index(h, r"^\s*(date|day)\s*$", exclude=[i for i in (t_i,) if i is not None])
        a_i = column_index(h, r"\bwho\b|\bactor\b|\bowner\b|\bby\b|\bperson\b|\bresponder\b")
        used = [i for i in (t_i, d_i, a_i) if i is not None]
        e_i = column_index(
            h, r"event|description|what|detail|action|activity|update|summary|note", exclude=used
        )
        if t_i is None:
            t_i = 0
        if e_i is None:
            e_i = next((i for i in range(len(h)) if i not in (t_i, d_i, a_i)), None)
        for line, cells in table.rows:
            entries.append(
                (
                    line,
                    cells[t_i] if t_i < len(cells) else "",
                    cell(cells, d_i),
                    cell(cells, e_i),
                    cell(cells, a_i),
                )
            )
    items, stray = list_items(rest)
    for item in items:
        split = _split_list_entry(item.text)
        if split is None:
            problems.append(
                (item.line, "time", f"list entry does not start with a clock time: {item.text!r}")
            )
            continue
        entries.append((item.line, split[0], "", plain(split[1]), ""))
    for ln in stray:
        if not ln.text.lstrip().startswith("#") and find_zone_label(ln.text) is None:
            problems.append((ln.number, "timeline", f"text outside the timeline table: {ln.text.strip()!r}"))
    rows: list[TimelineRow] = []
    for line, time_text, day_text, text, actor in sorted(entries):
        if not time_text.strip():
            problems.append((line, "time", "empty time cell"))
            continue
        placed = clocker.place(time_text, day_text, line, year)
        if isinstance(placed, str):
            problems.append((line, "time", placed))
            continue
        if not text:
            problems.append((line, "event", "empty event text"))
            continue
        kind = event_kind(text)
        named = re.findall(r"\bSEV\s*-?\s*([1-4])\b", text, re.IGNORECASE)
        severity = None
        if named and kind in (EventKind.declare, EventKind.severity_change):
            severity = f"SEV{named[0 if kind == EventKind.declare else -1]}"  # "SEV2 → SEV1": the new one
        visibility = Visibility.public if kind == EventKind.status_update else Visibility.internal
        rows.append(
            TimelineRow(
                line,
                placed,
                text,
                kind,
                actor.lstrip("@") or event_actor(text, roles, names),
                visibility,
                severity,
            )
        )
    return rows, problems
