"""What a post-mortem states, read from its fields and sections: date, severity, duration,
time zone, root cause, people, lists — with what could not be read going to a :class:`Context`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta

from toolkit.clock import Zone, find_zone_label, parse_date, parse_duration, resolve_zone
from toolkit.importers._base.common import Rejects
from toolkit.importers.postmortem.actions import looks_like_actions
from toolkit.importers.postmortem.fields import Fields
from toolkit.importers.postmortem.markdown import Block, Document, ListBlock, Paragraph, Table, plain
from toolkit.importers.postmortem.people import Cast, roles_of, split_people
from toolkit.importers.postmortem.prose import read_list
from toolkit.importers.postmortem.sections import Layout
from toolkit.importers.postmortem.timeline import Problem
from toolkit.schema import Severity
from toolkit.whys.markdown import ParsedWhys, parse_whys

__all__ = [
    "ITEM_RX",
    "LIST_SECTIONS",
    "UTC_ZONE",
    "Context",
    "blocks_of",
    "date_of",
    "doc_zone",
    "duration_of",
    "lists_of",
    "people_of",
    "severity_of",
    "text_of",
    "whys_of",
]

_SEV_RX = re.compile(r"^\s*(?:sev(?:erity)?|s)\s*[-_ ]?\s*([0-9])\b", re.IGNORECASE)
_ZONE_LINE_RX = re.compile(r"(?i)\btimes?\b|\bzone\b|\bwhen\b|\bclock\b")
_ROOT_LABEL_RX = re.compile(
    r"^\s*(?:(?:\*\*|__)\s*root[- ]causes?\s*:?\s*(?:\*\*|__)\s*:?|root[- ]causes?\s*:)\s*", re.IGNORECASE
)
LIST_SECTIONS = ("went_well", "went_wrong", "lucky", "lessons")
ITEM_RX = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
UTC_ZONE = Zone("UTC", UTC, "UTC")


@dataclass
class Context:
    """Where problems go while one document is read."""

    name: str
    display: str
    rejects: Rejects
    notes: list[str] = field(default_factory=list)

    def reject(self, line: int | None, fld: str | None, reason: str) -> None:
        self.rejects.add(self.display, line, fld, reason, label=f"line {line}" if line is not None else None)

    def reject_all(self, problems: Iterable[Problem]) -> None:
        for line, fld, reason in problems:
            self.reject(line, fld, reason)


def blocks_of(doc: Document, indexes: Iterable[int]) -> list[Block]:
    """The blocks of the sections ``indexes``, in order."""
    return [b for i in indexes for b in doc.sections[i].blocks]


def text_of(blocks: Iterable[Block]) -> str:
    """Paragraphs and list items as plain text, paragraphs separated by a blank line."""
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            parts.append(plain(b.raw))
        elif isinstance(b, ListBlock):
            parts.append("\n".join(f"- {plain(i.raw)}" for i in b.items))
    return "\n\n".join(p for p in parts if p)


def doc_zone(doc: Document, lay: Layout, fields: Fields, zones: Mapping[str, str]) -> tuple[Zone, str] | None:
    """A Timezone field, else 'All times X' in the timeline (heading, lines, Time column), else
    the label of the Duration/Started/Resolved fields."""
    tz_field = fields.get("timezone")
    if tz_field is not None and (zone := resolve_zone(tz_field.value, zones)) is not None:
        return zone, tz_field.value
    timeline = [doc.sections[i] for i in lay.of("timeline")]
    candidates = [s.title or "" for s in timeline]
    for s in timeline:
        for b in s.blocks:
            if isinstance(b, Paragraph):
                candidates += [ln for ln in b.raw.split("\n") if _ZONE_LINE_RX.search(ln) or parse_date(ln)]
            elif isinstance(b, Table):
                candidates += list(b.header) + [c for _, cells in b.rows[:1] for c in cells[:2]]
            elif isinstance(b, ListBlock) and b.items:
                candidates.append(b.items[0].raw.split("\n")[0][:40])
    candidates += [f.value for name in ("duration", "started", "resolved") if (f := fields.get(name))]
    for text in candidates:
        label = find_zone_label(plain(text), zones)
        zone = resolve_zone(label, zones) if label else None
        if zone is not None:
            return zone, label  # type: ignore[return-value]
    return None


def date_of(fields: Fields, title: str, ctx: Context) -> date | None:
    """The Date field, else a date in the title or the file name (with a note)."""
    f = fields.get("date")
    if f is not None:
        day = parse_date(f.value)
        if day is None:
            ctx.reject(
                f.line, f.key, f"expected a date like '2025-01-15' or 'January 15, 2025', got {f.value!r}"
            )
        return day
    for where, text in (("title", title), ("file name", ctx.name)):
        m = re.search(r"(\d{4}-\d{2}-\d{2})", text)
        day = parse_date(m.group(1)) if m else None
        if day is not None:
            ctx.notes.append(f"no **Date:** in the header; took {day} from the {where}")
            return day
    return None


def severity_of(fields: Fields, ctx: Context) -> str | None:
    """The Severity field as ``SEV1``-``SEV4`` (a bad one is rejected)."""
    f = fields.get("severity")
    if f is None:
        return None
    m = _SEV_RX.match(f.value)
    if m and m.group(1) in "1234":
        return Severity(f"SEV{m.group(1)}").value
    ctx.reject(f.line, f.key, f"expected a severity SEV1-SEV4, got {f.value!r}")
    return None


def duration_of(fields: Fields, ctx: Context) -> timedelta | None:
    """The Duration field (a bad one is rejected)."""
    f = fields.get("duration")
    if f is None:
        return None
    duration = parse_duration(f.value)
    if duration is None:
        ctx.reject(f.line, f.key, f"expected a duration like '2h 15m' or '135 min', got {f.value!r}")
    return duration


def whys_of(doc: Document, lay: Layout, ctx: Context) -> tuple[ParsedWhys | None, list[tuple[int, str]]]:
    """The first numbered 5-Whys of the root-cause sections, and every root-cause statement
    and paragraph as (line, Markdown as written)."""
    chosen: ParsedWhys | None = None
    prose: list[tuple[int, str]] = []
    for index in lay.of("whys"):
        section = doc.sections[index]
        parsed = parse_whys(doc.text_lines(section))
        if parsed.nodes and chosen is None:
            chosen = parsed
        elif parsed.nodes:
            ctx.notes.append(
                f"a second 5-Whys list (line {parsed.nodes[0].line}) was not read; keep one per document"
            )
        if parsed.root_cause_line is not None:
            prose.append((parsed.root_cause_line, _statement(doc, parsed.root_cause_line, section.stop)))
        group: list[tuple[int, str]] = []
        for number, text in [*parsed.stray, (-1, "")]:
            if group and (number != group[-1][0] + 1 or not text.strip() or ITEM_RX.match(text)):
                prose.append((group[0][0], "\n".join(t.strip() for _, t in group)))
                group = []
            if text.strip():
                group.append((number, text))
    return chosen, sorted(prose)


def _statement(doc: Document, line: int, stop: int) -> str:
    out: list[str] = []
    for n in range(line, min(stop, len(doc.lines) + 1)):
        text = doc.lines[n - 1]
        if not text.strip() or (out and re.match(r"^\s*(?:#|\d+[.)]\s|[-*+]\s)", text)):
            break
        out.append(text.strip())
    out[0] = _ROOT_LABEL_RX.sub("", out[0])
    return "\n".join(out).strip()


def people_of(
    doc: Document, lay: Layout, fields: Fields, cast: Cast
) -> tuple[list[str], dict[str, str], str | None]:
    """Participants (as written), role → name, and the commander."""
    commander_f = fields.get("commander")
    commander = plain(commander_f.value).lstrip("@") if commander_f else None
    if commander_f is not None and commander:
        cast.role("IC", commander, commander_f.line)
    entries: list[tuple[str, int]] = []
    for key in ("participants", "roles"):
        f = fields.get(key)
        if f is not None:
            entries += [(p, f.line) for p in split_people(f.value)]
    for index in lay.of("people"):
        entries += cast.section(doc.sections[index])
    participants = [p for p, _ in entries]
    cast.entries(entries)
    roles = roles_of(participants)
    authors = fields.get("authors")
    for person in split_people(authors.value) if authors else []:
        cast.person(person)
    return participants, roles, commander or roles.get("IC")


def lists_of(doc: Document, lay: Layout, ctx: Context) -> dict[str, list[str]]:
    """went_well, went_wrong, lucky, lessons and follow_up (unless read as action items)."""
    out: dict[str, list[str]] = {}
    for key in (*LIST_SECTIONS, "follow_up"):
        indexes = [
            i for i in lay.of(key) if not (key == "follow_up" and looks_like_actions(doc.sections[i].blocks))
        ]
        out[key], problems = read_list(blocks_of(doc, indexes), section=key)
        ctx.reject_all(problems)
    return out
