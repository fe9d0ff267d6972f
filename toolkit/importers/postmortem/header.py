"""The header of a post-mortem: ``**Date:**``, ``**Severity:**``, ``**Duration:**`` and friends.

Header fields are ``**Key:** value`` lines (also ``**Key**: value``, as bullets, or YAML
front matter ``key: value`` between ``---`` lines) above the first section. Keys are
matched loosely (``Incident Commander``/``IC``, ``Responders``/``Participants``, ...).

**Incident id rule.** A stated ``**Incident ID:**`` wins. Otherwise the id is
``INC-<date>-<slug>``: the header date as ``YYYY-MM-DD`` (``undated`` when missing) and
the title without its "Incident Post-Mortem:" prefix, lower-cased, accents folded to
ASCII, every run of other characters turned into one ``-``, cut to 60 characters at a
dash: "Payment Service Outage" on 2025-01-15 → ``INC-2025-01-15-payment-service-outage``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from toolkit.importers.postmortem.md import MdLine, field_line, plain
from toolkit.importers.postmortem.time import Clock, Zone, parse_clock, parse_range, resolve_zone, to_utc

__all__ = ["Header", "HeaderField", "canonical_key", "incident_id_for", "read_header", "slug", "times_of"]

_KEY_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(rx, re.IGNORECASE))
    for key, rx in (
        ("incident_id", r"^(?:incident )?(?:id|number|no\.?|#)$|^incident$|^ticket$"),
        ("date", r"^(?:incident )?date$|^date of (?:the )?incident$|^day$"),
        ("severity", r"^(?:incident )?(?:severity|sev)(?: level)?$"),
        ("duration", r"^(?:total |incident |outage )?duration$|^length$"),
        ("commander", r"^(?:incident )?commander$|^ic$|^incident lead$"),
        ("participants", r"^participants$|^responders$|^attendees$|^people(?: involved)?$|^involved$"),
        ("title", r"^title$|^(?:incident )?name$|^summary title$"),
        ("started", r"^(?:impact )?(?:start|started|began|begin)(?: time| at)?$|^start(?:ed)? at$"),
        ("resolved", r"^(?:impact )?(?:end|ended|resolved|resolution)(?: time| at)?$"),
        ("detected", r"^detected(?: at)?$|^detection(?: time)?$"),
        ("timezone", r"^time ?zone$|^tz$"),
        ("service", r"^(?:affected )?(?:service|services|system|systems|component)s?$"),
        ("status", r"^status$|^state$"),
        (
            "postmortem_at",
            r"^post[- ]?mortem(?: date| meeting| held| published)?$|^published$|^review(?: date| meeting)?$|^meeting$",
        ),
        ("authors", r"^authors?$|^written by$|^prepared by$"),
    )
)


def canonical_key(key: str) -> str | None:
    """The canonical header key for ``key`` as written, or None for one we do not read."""
    k = re.sub(r"\s+", " ", plain(key).strip().rstrip(":")).strip()
    for name, rx in _KEY_RULES:
        if rx.match(k):
            return name
    return None


@dataclass(frozen=True)
class HeaderField:
    """One header line: the key as written, its canonical name, its value and line."""

    key: str
    name: str | None
    value: str
    line: int


@dataclass
class Header:
    """The header fields (first occurrence of each name wins) and the other preamble lines."""

    fields: list[HeaderField] = field(default_factory=list)
    other: list[MdLine] = field(default_factory=list)

    def get(self, name: str) -> HeaderField | None:
        """The field called ``name`` (canonical), if present."""
        return next((f for f in self.fields if f.name == name), None)


def read_header(lines: Sequence[MdLine]) -> Header:
    """Header fields from the preamble lines (front matter included)."""
    header = Header()
    body = list(lines)
    first = next((i for i, ln in enumerate(body) if ln.text.strip()), None)
    if first is not None and body[first].text.strip() == "---":
        end = next((j for j in range(first + 1, len(body)) if body[j].text.strip() in ("---", "...")), None)
        if end is not None:
            for ln in body[first + 1 : end]:
                m = re.match(r"^\s*([A-Za-z][\w -]{0,40}):\s*(.*?)\s*$", ln.text)
                if m:
                    value = m.group(2).strip().strip("'\"")
                    header.fields.append(HeaderField(m.group(1), canonical_key(m.group(1)), value, ln.number))
                elif ln.text.strip():
                    header.other.append(ln)
            body = body[:first] + body[end + 1 :]
    for ln in body:
        got = field_line(ln.text)
        if got is None:
            m = re.match(r"^\s*(?:[-*+]\s+)?([A-Za-z][\w ]{0,30}):\s+(\S.*)$", ln.text)
            if m and canonical_key(m.group(1)) is not None:
                got = (m.group(1), m.group(2))
        if got is not None:
            header.fields.append(HeaderField(got[0], canonical_key(got[0]), got[1].strip(), ln.number))
        elif ln.text.strip() and ln.text.strip() not in ("---", "***", "___"):
            header.other.append(ln)
    return header


def slug(text: str, *, limit: int = 60) -> str:
    """``"Payment Service Outage"`` → ``"payment-service-outage"`` (see the module docstring)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(s) > limit:
        cut = s[:limit]
        s = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return s


def incident_id_for(stated: str | None, day: date | None, title: str, fallback: str) -> str:
    """The incident id: the stated one, else ``INC-<date>-<slug>`` (module docstring)."""
    if stated and plain(stated).strip():
        return plain(stated).strip()
    return f"INC-{day.isoformat() if day else 'undated'}-{slug(title) or slug(fallback) or 'postmortem'}"


@dataclass(frozen=True)
class HeaderTimes:
    """Start and end of impact and the stated duration, with what could not be read."""

    started_at: datetime | None
    resolved_at: datetime | None
    duration: timedelta | None
    problems: tuple[tuple[int, str, str], ...]
    notes: tuple[str, ...]


def _zone_for(clock: Clock, default: Zone, override: Zone | None) -> Zone:
    if override is not None or clock.label is None:
        return override or default
    return resolve_zone(clock.label) or default


def times_of(
    header: Header, *, day: date | None, zone: Zone, override: Zone | None, duration: timedelta | None
) -> HeaderTimes:
    """Start and end of impact from ``**Started:**``/``**Resolved:**`` or the Duration's
    ``(10:00 AM - 12:15 PM PST)`` range; an end before the start is on the next day; only
    one end plus the duration gives the other."""
    problems: list[tuple[int, str, str]] = []
    notes: list[str] = []
    start: Clock | None = None
    end: Clock | None = None
    year = day.year if day else None
    dur = header.get("duration")
    if dur is not None and "(" in dur.value:
        inner = dur.value[dur.value.index("(") + 1 :].rstrip(")").strip()
        rng = parse_range(inner, year=year)
        if rng is None:
            problems.append(
                (
                    dur.line,
                    dur.key,
                    f"expected a time range like '10:00 AM - 12:15 PM PST' in parentheses, got {inner!r}",
                )
            )
        else:
            start, end = rng
    for name in ("started", "resolved"):
        f = header.get(name)
        if f is None:
            continue
        clock = parse_clock(f.value, year=year)
        if clock is None:
            problems.append(
                (
                    f.line,
                    f.key,
                    f"expected a time like '10:00 AM PST' or '2025-01-15 10:00 UTC', got {f.value!r}",
                )
            )
        elif name == "started":
            start = clock
        else:
            end = clock
    started = resolved = None
    if start is not None and (start.day or day) is not None:
        started = to_utc(start.day or day, start.time, _zone_for(start, zone, override))  # type: ignore[arg-type]
    if end is not None and (end.day or day) is not None:
        resolved = to_utc(end.day or day, end.time, _zone_for(end, zone, override))  # type: ignore[arg-type]
        if started is not None and end.day is None and resolved < started:
            resolved += timedelta(days=1)
    if (start or end) and day is None and not ((start and start.day) or (end and end.day)):
        notes.append("the header gives clock times but no date; started_at/resolved_at left empty")
    if started is not None and resolved is None and duration is not None:
        resolved = started + duration
    elif resolved is not None and started is None and duration is not None:
        started = resolved - duration
    if (
        started is not None
        and resolved is not None
        and duration is not None
        and resolved - started != duration
    ):
        notes.append(
            f"stated duration {duration} differs from {started:%H:%M}-{resolved:%H:%M} UTC ({resolved - started})"
        )
    return HeaderTimes(started, resolved, duration, tuple(problems), tuple(notes))
