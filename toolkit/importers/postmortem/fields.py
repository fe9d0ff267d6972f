"""The fields of a post-mortem (Date, Severity, Duration, Incident ID, ...), wherever written.

A field is read from, in this order (the first one found wins):

1. YAML (``---``) or TOML (``+++``) front matter: ``date: 2025-01-15``;
2. the lines above the first section: bold fields (``**Date:** ...``, ``**Date**: ...``),
   list fields (``- Date: ...``), plain ``Date: ...`` lines of a known key, and two-column
   tables (``| Date | 2025-01-15 |``);
3. a section headed by the field's name (``## Date`` then ``2015-10-21``);
4. bold or list fields and two-column tables in the other prose sections (a metrics table
   ``| Duration | 2h |`` under Impact, say).

Keys are matched with their synonyms (:func:`canonical_key`): Incident ID / Incident #,
Commander / Incident Commander / IC, Participants / Responders, Authors / Owner, Summary
/ Executive Summary / TL;DR, Root Cause / Root Causes, ... Prose fields (Summary, Impact,
Root Cause, Trigger, Resolution, Detection) keep the lines that follow them in the same
paragraph.

**Incident id rule.** A stated ``Incident ID`` (or ``incident #465`` in the title, read as
``INC-465``) wins. Otherwise the id is ``INC-<date>-<slug>``: the date as ``YYYY-MM-DD``
(``undated`` when missing) and the title without its "Incident Post-Mortem:" prefix,
lower-cased, accents folded to ASCII, every run of other characters turned into one
``-``, cut to 60 characters at a dash: "Payment Service Outage" on 2025-01-15 →
``INC-2025-01-15-payment-service-outage``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from toolkit.importers.postmortem.markdown import (
    Document,
    Item,
    ListBlock,
    Paragraph,
    Table,
    paragraph_lines,
    plain,
)

__all__ = [
    "PROSE_KEYS",
    "Field",
    "Fields",
    "canonical_key",
    "clean_title",
    "incident_id_for",
    "read_fields",
    "slug",
    "stated_number",
]

_KEY_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(rx, re.IGNORECASE))
    for key, rx in (
        (
            "incident_id",
            r"^(?:incident )?(?:id|number|no\.?|#|key)$|^incident(?: ticket| ref(?:erence)?)?$|^ticket$",
        ),
        ("date", r"^(?:incident )?date$|^date of (?:the )?incident$|^day$|^occurred(?: on)?$"),
        ("severity", r"^(?:incident )?(?:severity|sev)(?: level)?$"),
        ("duration", r"^(?:total |incident |outage |impact )?(?:duration|length)$"),
        ("commander", r"^(?:incident )?commander$|^ic$|^incident (?:lead|manager)$"),
        (
            "participants",
            r"^participants$|^responders$|^attendees$|^people(?: involved)?$|^involved$|^incident team$",
        ),
        ("roles", r"^roles$"),
        ("authors", r"^authors?$|^written by$|^prepared by$|^(?:post-?mortem |document )?owners?$"),
        ("title", r"^title$|^(?:incident )?(?:name|title)$|^summary title$"),
        (
            "started",
            r"^(?:impact |outage |incident )?(?:start|started|began|begin)(?: time| at)?$"
            r"|^start(?:ed)? at$|^time started$",
        ),
        ("resolved", r"^(?:impact |outage |incident )?(?:end|ended|resolved)(?: time| at)?$|^time resolved$"),
        ("detected", r"^detected(?: at)?$|^detection time$|^(?:time|first) detected$"),
        ("timezone", r"^time ?zone$|^tz$|^zone$"),
        ("service", r"^(?:affected )?(?:service|services|system|systems|component|components|application)$"),
        ("status", r"^status$|^state$|^document status$"),
        (
            "postmortem_at",
            r"^post[- ]?mortem(?: date| meeting| held| published)?$|^published$|^review(?: date| meeting)?$"
            r"|^meeting$|^retro(?:spective)?(?: date)?$",
        ),
        ("summary", r"^(?:executive |incident )?summary$|^tl;? ?dr$|^overview$"),
        ("impact", r"^(?:customer |user )?impact$"),
        ("root_cause", r"^(?:blameless )?root ?causes?$|^causes?$"),
        ("trigger", r"^trigger$"),
        ("resolution", r"^resolution$|^mitigation$"),
        ("detection", r"^detection$"),
    )
)
PROSE_KEYS = frozenset({"summary", "impact", "root_cause", "trigger", "resolution", "detection"})
"""Fields whose value is prose (and may go on over the next lines)."""
_BOLD_FIELD_RXS = (
    re.compile(r"^\s*(?:[-*+]\s+)?(\*\*|__)(?P<k>[^*_\n]{1,60}?)\s*:\s*\1\s*(?P<v>.*)$"),
    re.compile(r"^\s*(?:[-*+]\s+)?(\*\*|__)(?P<k>[^*_\n]{1,60}?)\1\s*:\s*(?P<v>.*)$"),
)
_PLAIN_FIELD_RX = re.compile(r"^\s*(?:[-*+]\s+)?(?P<k>[A-Za-z][\w #;.'/-]{0,30}?)\s*:\s+(?P<v>\S.*)$")
_TITLE_PREFIX_RX = re.compile(
    r"^(?:incident\s+)?(?:post[- ]?mortem|retrospective|incident report|incident review|rca)"
    r"(?:\s+report)?\s*[:\-–—|]\s*",
    re.IGNORECASE,
)
_TITLE_SUFFIX_RX = re.compile(
    r"\s*[:\-–—|(]?\s*(?:incident\s+)?(?:post[- ]?mortem|retrospective|incident report|rca)\)?\s*$",
    re.IGNORECASE,
)
_NUMBER_RX = re.compile(r"\(?\bincident\s*(?:#|no\.?\s*|number\s*)\s*(?P<n>\d+)\b\)?", re.IGNORECASE)


@lru_cache(maxsize=4096)
def canonical_key(key: str) -> str | None:
    """The canonical field name for ``key`` as written, or None for one we do not read.

    Examples
    --------
    >>> canonical_key("Incident Commander"), canonical_key("TL;DR"), canonical_key("Colour")
    ('commander', 'summary', None)
    """
    k = " ".join(plain(key).replace("_", " ").split()).rstrip(":").strip().lower()
    for name, rx in _KEY_RULES:
        if rx.match(k):
            return name
    return None


@dataclass(frozen=True)
class Field:
    """One field: the key as written, its canonical name, its value (plain text) and line."""

    key: str
    name: str
    value: str
    line: int
    raw: str = ""
    """The value as written (Markdown), for prose fields."""


@dataclass
class Fields:
    """The fields found (first of each name wins) and the preamble's other lines."""

    found: dict[str, Field] = field(default_factory=dict)
    other: list[tuple[int, str]] = field(default_factory=list)
    """Preamble lines that are no field: (line, Markdown as written)."""
    problems: list[tuple[int, str | None, str]] = field(default_factory=list)

    def get(self, name: str) -> Field | None:
        """The field called ``name`` (canonical), if present."""
        return self.found.get(name)

    def add(self, key: str, value: str, line: int, raw: str = "") -> bool:
        """Keep a field unless one of its name is there already; False if not a field."""
        name = canonical_key(key)
        if name is None:
            return False
        if name not in self.found and (value.strip() or raw.strip()):
            self.found[name] = Field(key.strip(), name, value.strip(), line, raw.strip())
        return True


def _field_line(text: str, *, plain_keys: bool = True) -> tuple[str, str] | None:
    for rx in _BOLD_FIELD_RXS:
        m = rx.match(text)
        if m:
            return m.group("k").strip(), m.group("v").strip()
    m = _PLAIN_FIELD_RX.match(text) if plain_keys else None
    if m and canonical_key(m.group("k")) is not None:
        return m.group("k"), m.group("v")
    return None


def _lines_fields(fields: Fields, lines: Iterable[tuple[int, str]], *, keep_other: bool) -> None:
    """Field lines of a paragraph; prose fields take the lines after them that are no field.

    ``keep_other`` (the preamble) also reads plain ``Key: value`` lines of known keys and
    keeps the lines that are no field."""
    prose: list[Any] | None = None  # [key, line, raw parts]
    for number, text in lines:
        got = _field_line(text, plain_keys=keep_other)
        if got is not None and canonical_key(got[0]) is not None:
            _flush(fields, prose)
            prose = None
            if canonical_key(got[0]) in PROSE_KEYS:
                prose = [got[0], number, [got[1]]]
            else:
                fields.add(got[0], plain(got[1]), number)
        elif prose is not None and text.strip():
            prose[2].append(text.strip())
        elif keep_other and text.strip() and text.strip() not in ("---", "***", "___"):
            fields.other.append((number, text))
    _flush(fields, prose)


def _flush(fields: Fields, prose: list[Any] | None) -> None:
    if prose is not None:
        raw = "\n".join(prose[2])
        fields.add(prose[0], plain(raw), prose[1], raw)


def _table_fields(fields: Fields, table: Table) -> None:
    """A two-column table as key | value rows (the header row is a row too)."""
    for line, cells in ((table.line, table.header), *table.rows):
        if len(cells) >= 2 and cells[0].strip():
            fields.add(cells[0], plain(cells[1]), line, cells[1])


def read_blocks(fields: Fields, blocks: Sequence[Any], *, keep_other: bool) -> None:
    """Fields from paragraphs, list items and two-column tables."""
    for block in blocks:
        if isinstance(block, Paragraph):
            _lines_fields(fields, paragraph_lines(block), keep_other=keep_other)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _item_fields(fields, item, keep_other=keep_other)
        elif isinstance(block, Table) and len(block.header) == 2:
            _table_fields(fields, block)


def _item_fields(fields: Fields, item: Item, *, keep_other: bool) -> None:
    lines = paragraph_lines(item)
    got = _field_line(lines[0][1], plain_keys=keep_other) if lines else None
    if got is None:
        if keep_other:
            fields.other.append((item.line, f"- {item.raw}"))
        return
    _lines_fields(fields, lines, keep_other=keep_other)


def _front_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_front_value(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{v} ({k})" for k, v in value.items())
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _front_fields(doc: Document, fields: Fields) -> None:
    if doc.front is None:
        return
    kind, first, lines = doc.front
    text = "\n".join(lines)
    data: Any = None
    try:
        if kind == "toml":
            data = tomllib.loads(text)
        else:
            import yaml

            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception as exc:  # yaml.YAMLError and tomllib.TOMLDecodeError
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        fields.problems.append((1, "front matter", f"not valid {kind.upper()}: {reason}; read line by line"))
        data = None
    if not isinstance(data, Mapping):
        _lines_fields(fields, [(first + i, ln) for i, ln in enumerate(lines)], keep_other=False)
        return
    for key, value in data.items():
        rx = re.compile(rf"^\s*['\"]?{re.escape(str(key))}['\"]?\s*[:=]")
        line = next((first + i for i, ln in enumerate(lines) if rx.match(ln)), first)
        name = canonical_key(str(key))
        if name == "roles" and isinstance(value, Mapping):
            value = {role: who for role, who in value.items()}
        fields.add(str(key), _front_value(value), line, _front_value(value))


def read_fields(
    doc: Document, *, preamble: Sequence[int], headed: Mapping[str, int], prose: Sequence[int]
) -> Fields:
    """The fields of ``doc``: ``preamble`` (section indexes above the first section),
    ``headed`` (field name → index of a section headed by it), ``prose`` (sections whose
    bold and list fields count); in the order of the module docstring."""
    fields = Fields()
    _front_fields(doc, fields)
    for index in preamble:
        read_blocks(fields, doc.sections[index].blocks, keep_other=True)
    for name, index in headed.items():
        section = doc.sections[index]
        parts = [
            (b.line, b.raw) if isinstance(b, Paragraph) else (b.line, ", ".join(i.raw for i in b.items))
            for b in section.blocks
            if isinstance(b, Paragraph | ListBlock)
        ]
        if parts:
            raw = "\n\n".join(p for _, p in parts)
            fields.add(section.title or name, plain(raw.replace("\n\n", " ")), parts[0][0], raw)
    for index in prose:
        read_blocks(fields, doc.sections[index].blocks, keep_other=False)
    return fields


def clean_title(heading: str) -> str:
    """A title heading without its "Incident Post-Mortem:" prefix, " Post-Mortem" suffix,
    "(incident #465)" or emoji.

    Examples
    --------
    >>> clean_title("Shakespeare Sonnet++ Postmortem (incident #465)")
    'Shakespeare Sonnet++'
    """
    text = " ".join(_strip_symbols(plain(heading)).split())
    text = _NUMBER_RX.sub("", text).strip(" -–—:|")
    bare = _TITLE_SUFFIX_RX.sub("", _TITLE_PREFIX_RX.sub("", text)).strip()
    return bare or text


def _strip_symbols(text: str) -> str:
    return "".join(
        ch for ch in text if ch == "\ufffd" or unicodedata.category(ch) not in ("So", "Sk", "Cf", "Mn")
    )


def stated_number(title: str) -> str | None:
    """``INC-465`` for a title that says "incident #465", else None."""
    m = _NUMBER_RX.search(plain(title))
    return f"INC-{m.group('n')}" if m else None


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
    if stated and stated.strip():
        return stated.strip()
    return f"INC-{day.isoformat() if day else 'undated'}-{slug(title) or slug(fallback) or 'postmortem'}"
