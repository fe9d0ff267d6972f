"""The timeline of a post-mortem: rows placed in time, with kind, actor, visibility, milestone.

A timeline is a table (a Time column, optionally Date and Who columns, in any order and
with the zone in the column name: ``Time (UTC)``), a list (``- 14:02 UTC — alert fired``,
``- **14:02**: ...``, ``- 14:51 News reports ...``) or lines of a paragraph in that shape.
A time cell may carry its own date and zone (``2025-01-15 10:05 UTC``). A line or
sub-heading that starts with a date (``2015-10-21 (all times UTC)``, ``### Jan 16``) puts
the rows after it on that day. Otherwise rows fall on the document's date; a row earlier
than the one above by more than an hour is after midnight (the date rolls).

When neither the document nor the rows give a date, rows keep their time of day (in
:attr:`TimelineRow.clock`, with ``at`` None): the importer keeps them aside and says what
to add. Kinds, markers and actors are read by :mod:`toolkit.importers.postmortem.kinds`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from toolkit.clock import (
    Clock,
    Zone,
    find_zone_label,
    leading_clock,
    parse_clock,
    parse_date,
    resolve_zone,
    to_utc,
)
from toolkit.importers.postmortem.kinds import event_actor, event_kind, milestone
from toolkit.importers.postmortem.markdown import Document, Item, ListBlock, Paragraph, Section, Table, plain
from toolkit.schema import EventKind, Visibility

__all__ = ["Problem", "TimelineRow", "column_index", "read_timeline"]

Problem = tuple[int | None, str | None, str]
"""(line number, field, reason) of something that could not be read."""


def column_index(header: Sequence[str], patterns: str, *, exclude: Sequence[int | None] = ()) -> int | None:
    """Index of the first header cell matching ``patterns`` (case-insensitive), skipping ``exclude``."""
    rx = re.compile(patterns, re.IGNORECASE)
    for i, name in enumerate(header):
        if i not in exclude and rx.search(plain(name)):
            return i
    return None


@dataclass(frozen=True)
class TimelineRow:
    """A timeline row, read: its line, UTC time (None when no date is known), text, kind,
    actor, visibility, severity and milestone."""

    line: int
    at: datetime | None
    text: str
    kind: EventKind
    actor: str | None
    visibility: Visibility
    severity: str | None
    milestone: str | None = None
    clock: time | None = None
    """The time of day as written (local), kept for rows that have no date."""


@dataclass
class _Entry:
    line: int
    time: str
    day: str
    text: str
    actor: str
    on: date | None = None
    """The day of the date line or sub-heading above the row."""
    fresh: bool = False
    """The first row after a date line: placed on that day exactly."""
    zone: str | None = None
    """A zone named by the table's time column (``Time (UTC)``)."""


@dataclass
class _Clocker:
    """Places clock times on days: the doc's date, explicit dates, and midnight roll-overs.

    A row without a date goes on the day before, of or after the current one — whichever
    puts it earliest but no more than an hour before the row above (so 00:05 after 23:50
    is the next day, and a row in another zone lands next to its neighbours).
    """

    day: date | None
    zone: Zone
    zones: Mapping[str, str]
    notes: list[str]
    labels: bool = True
    """Honour a label written in the cell ("10:00 UTC"); False when tz= overrides all."""
    prev: datetime | None = None

    def place(self, entry: _Entry, year: int | None) -> datetime | Clock | str:
        clock = parse_clock(entry.time, year=year, zones=self.zones)
        if clock is None:
            return f"expected a clock time like '10:00 AM', '10:00' or '10:00 PST', got {entry.time!r}"
        day = clock.day
        if entry.day:
            day = parse_date(entry.day, year=year)
            if day is None:
                return f"expected a date like '2025-01-15' or 'Jan 15', got {entry.day!r}"
        if entry.fresh and day is None:
            day = entry.on
        zone = self.zone
        label = clock.zone or entry.zone
        if label is not None and self.labels:
            zone = resolve_zone(label, self.zones) or self.zone
        if day is not None:
            at = to_utc(day, clock.time, zone)
        elif self.day is None:
            return clock
        elif self.prev is None:
            at = to_utc(self.day, clock.time, zone)
        else:
            floor = self.prev - timedelta(hours=1)
            options = [to_utc(self.day + timedelta(days=k), clock.time, zone) for k in (-1, 0, 1)]
            at = min((o for o in options if o >= floor), default=options[-1])
        if self.prev is not None and at < self.prev:
            self.notes.append(f"line {entry.line}: timeline row earlier than the row above")
        self.day = at.astimezone(self.zone.tzinfo).date()
        self.prev = at if self.prev is None else max(self.prev, at)
        return at


@dataclass
class _Reader:
    """Collects entries from the blocks of the timeline sections, in document order."""

    zones: Mapping[str, str]
    year: int | None
    entries: list[_Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    on: date | None = None
    fresh: bool = False
    first_day: date | None = None

    def date_line(self, text: str) -> bool:
        """A line that starts with a date (``2015-10-21 (all times UTC)``) sets the day."""
        day = parse_date(text, year=self.year)
        if day is None or parse_clock(text, year=self.year, zones=self.zones) is not None:
            return False
        if leading_clock(text, year=self.year, zones=self.zones) is not None:
            return False
        self.on, self.fresh = day, True
        self.first_day = self.first_day or day
        return True

    def add(self, line: int, time_text: str, day_text: str, text: str, actor: str, zone: str | None) -> None:
        self.entries.append(_Entry(line, time_text, day_text, text, actor, self.on, self.fresh, zone))
        self.fresh = False

    def line(self, number: int, text: str, where: str) -> None:
        """One line of a paragraph or list item: a row, a date line, a zone line, or a problem."""
        got = leading_clock(text, year=self.year, zones=self.zones)
        if got is not None:
            clock, rest = got
            self.add(number, text[: len(text) - len(rest)].strip(" -–—|:"), "", rest, "", None)
            if clock.day:
                self.first_day = self.first_day or clock.day
        elif not self.date_line(text) and find_zone_label(text, self.zones) is None:
            self.problems.append((number, "time" if where == "list" else "timeline", _stray(text, where)))

    def table(self, table: Table) -> None:
        h = table.header
        t_i = column_index(h, r"\btime|\bwhen\b|\btimestamp|\bclock|\bhour")
        d_i = column_index(h, r"^\s*(date|day)\s*$", exclude=[t_i])
        a_i = column_index(h, r"\bwho\b|\bactor\b|\bowner\b|\bby\b|\bperson\b|\bresponder\b")
        used = [i for i in (t_i, d_i, a_i) if i is not None]
        e_i = column_index(
            h, r"event|description|what|detail|action|activity|update|summary|note", exclude=used
        )
        t_i = 0 if t_i is None else t_i
        if e_i is None:
            e_i = next((i for i in range(len(h)) if i not in (t_i, d_i, a_i)), None)
        zone = find_zone_label(plain(h[t_i]), self.zones) if t_i < len(h) else None
        for line, cells in table.rows:
            self.add(line, _cell(cells, t_i), _cell(cells, d_i), _cell(cells, e_i), _cell(cells, a_i), zone)

    def items(self, items: Sequence[Item]) -> None:
        for item in items:
            text = plain(item.raw)
            if text:
                self.line(item.line, text, "list")
            for child in item.children:
                if isinstance(child, ListBlock):
                    self.items(child.items)


def _cell(cells: Sequence[str], i: int | None) -> str:
    return plain(cells[i]) if i is not None and i < len(cells) else ""


def _stray(text: str, where: str) -> str:
    if where == "list":
        return f"list entry does not start with a clock time: {text!r}"
    return f"text outside the timeline table: {text!r}"


def read_timeline(
    doc: Document,
    sections: Sequence[Section],
    *,
    day: date | None,
    zone: Zone,
    zones: Mapping[str, str],
    roles: Mapping[str, str],
    names: Sequence[str],
    notes: list[str],
    cell_labels: bool = True,
) -> tuple[list[TimelineRow], list[Problem], date | None]:
    """The rows of the timeline ``sections``, the problems, and the first date the timeline
    itself names (a date line or a dated row; for documents without a Date field).

    Times fall on ``day`` in ``zone`` unless the row names a date or (``cell_labels``) a
    zone of its own; a time more than an hour earlier than the row above is after midnight.
    """
    names = sorted(dict.fromkeys(names), key=len, reverse=True)
    reader = _Reader(zones, day.year if day else None)
    for k, section in enumerate(sections):
        if k and section.title:
            reader.date_line(plain(section.title))
        for block in section.blocks:
            if isinstance(block, Table):
                reader.table(block)
            elif isinstance(block, ListBlock):
                reader.items(block.items)
            elif isinstance(block, Paragraph):
                for i, text in enumerate(block.raw.split("\n")):
                    if plain(text):
                        reader.line(block.line + i, plain(text), "paragraph")
    if day is None:
        day = reader.first_day or next(
            (c.day for e in reader.entries if (c := parse_clock(e.time, zones=zones)) and c.day), None
        )
    clocker = _Clocker(day, zone, zones, notes, cell_labels)
    year = day.year if day else None
    problems = reader.problems
    rows: list[TimelineRow] = []
    for entry in sorted(reader.entries, key=lambda e: e.line):
        if not entry.time.strip():
            problems.append((entry.line, "time", "empty time cell"))
            continue
        placed = clocker.place(entry, year)
        if isinstance(placed, str):
            problems.append((entry.line, "time", placed))
            continue
        if not entry.text:
            problems.append((entry.line, "event", "empty event text"))
            continue
        rows.append(_row(entry, placed, roles, names))
    problems.sort(key=lambda p: p[0] or 0)
    return rows, problems, day


def _row(
    entry: _Entry, placed: datetime | Clock, roles: Mapping[str, str], names: Sequence[str]
) -> TimelineRow:
    text = entry.text
    marked = milestone(text)
    kind = event_kind(marked[2] if marked and marked[2] else text)
    if marked and marked[1] is not None:
        kind = marked[1]
    named = re.findall(r"\bSEV\s*-?\s*([1-4])\b", text, re.IGNORECASE)
    severity = None
    if named and kind in (EventKind.declare, EventKind.severity_change):
        severity = f"SEV{named[0 if kind == EventKind.declare else -1]}"  # "SEV2 → SEV1": the new one
    visibility = Visibility.public if kind == EventKind.status_update else Visibility.internal
    actor = entry.actor.lstrip("@") or event_actor(marked[2] if marked else text, roles, names)
    at = placed if isinstance(placed, datetime) else None
    clock = placed.time if isinstance(placed, Clock) else None
    return TimelineRow(
        entry.line, at, text, kind, actor, visibility, severity, marked[0] if marked else None, clock
    )
