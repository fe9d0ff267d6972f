"""The Markdown of a post-mortem as blocks: sections, header fields, tables and list items.

A small, tolerant, line-based reader (no Markdown library): it keeps the line number of
everything it returns, so an importer can say where a bad row is. Headings may be ATX
(``#`` to ``######``), setext (underlined with ``===``/``---``) or, for known section names
only, a line that is entirely bold (``**Timeline**``); emoji in headings are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ListItem",
    "MdLine",
    "MdTable",
    "Section",
    "cell",
    "clean_heading",
    "column_index",
    "field_line",
    "list_items",
    "plain",
    "section_key",
    "split_row",
    "split_sections",
    "tables",
    "title_text",
]


@dataclass(frozen=True)
class MdLine:
    """One source line and its 1-based number."""

    number: int
    text: str


@dataclass(frozen=True)
class Section:
    """A heading and the lines under it (up to the next heading of the same or a higher level)."""

    key: str | None
    """Canonical name (``timeline``, ``whys``, ...) or None for a section we do not know."""
    title: str
    level: int
    line: int
    """Line number of the heading (0 for the preamble above the first section)."""
    lines: tuple[MdLine, ...]


# Section names, tried in order on the heading text with emoji and punctuation removed.
_SECTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(rx))
    for key, rx in (
        ("timeline", r"\btimeline\b|\bchronology\b|\bsequence of events\b"),
        ("whys", r"\bwhys?\b|\broot ?causes?\b|\brca\b|\bcausal analysis\b"),
        ("went_well", r"\bwent well\b|\bwhat worked\b|\bwhat we did well\b|\bsuccesses\b"),
        (
            "went_wrong",
            r"\bwent wrong\b|\bdid ?n[o' ]?t go well\b|\bcould be improved\b"
            r"|\bto improve\b|\bwhat failed\b|\bchallenges\b",
        ),
        (
            "action_items",
            r"\baction items?\b|\baction plan\b|\bactions\b|\bremediation\b|\bcorrective\b|\btodos?\b",
        ),
        ("lessons", r"\blessons?\b|\blearnings?\b|\btakeaways?\b"),
        ("follow_up", r"\bfollow[- ]?ups?\b|\bnext steps\b"),
        ("impact", r"\bimpact\b"),
        ("summary", r"\bsummary\b|\boverview\b|\btl ?dr\b|\bdescription\b|\bbackground\b"),
    )
)
_TITLE_PREFIX_RX = re.compile(
    r"^(?:incident\s+)?(?:post[- ]?mortem|retrospective|incident report|incident review|rca)"
    r"(?:\s+report)?\s*[:\-–—|]\s*",
    re.IGNORECASE,
)
_TITLE_SUFFIX_RX = re.compile(
    r"\s*[:\-–—|(]?\s*(?:incident\s+)?(?:post[- ]?mortem|retrospective|incident report|rca)\)?\s*$",
    re.IGNORECASE,
)
_ATX_RX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RX = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BOLD_LINE_RX = re.compile(r"^\s*(\*\*|__)(?P<t>[^*_].*?)\1\s*:?\s*$")
_FENCE_RX = re.compile(r"^ {0,3}(```|~~~)")
_LIST_RX = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+•]|\d{1,3}[a-z]?[.)])\s+(?P<text>.*)$")
_TABLE_SEP_RX = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$")


def _strip_symbols(text: str) -> str:
    return "".join(
        ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Mn") and ch != "\ufe0f"
    )


def clean_heading(text: str) -> str:
    """A heading's text without emoji, Markdown emphasis, trailing colons or extra spaces."""
    return re.sub(r"\s+", " ", plain(_strip_symbols(text))).strip().rstrip(":").strip()


def section_key(heading: str) -> str | None:
    """The canonical section a heading names, or None.

    Examples
    --------
    >>> section_key("What Went Well ✅"), section_key("Root Cause (5 Whys)"), section_key("Appendix")
    ('went_well', 'whys', None)
    """
    norm = re.sub(r"[^a-z0-9' ]+", " ", clean_heading(heading).lower().replace("’", "'"))
    norm = re.sub(r"^\d+\s+", "", norm.strip())
    for key, rx in _SECTION_RULES:
        if rx.search(norm):
            return key
    return None


def title_text(heading: str) -> str:
    """A title heading without its 'Incident Post-Mortem:' prefix or ' Post-Mortem' suffix."""
    text = clean_heading(heading)
    bare = _TITLE_SUFFIX_RX.sub("", _TITLE_PREFIX_RX.sub("", text)).strip()
    return bare or text


def _heading_at(lines: Sequence[str], i: int, in_fence: bool) -> tuple[int, str, bool] | None:
    """(level, text, setext) when line i starts a heading."""
    if in_fence:
        return None
    text = lines[i]
    m = _ATX_RX.match(text)
    if m:
        return len(m.group(1)), (m.group(2) or "").strip(), False
    paragraph = not (_LIST_RX.match(text) or "|" in text or text.lstrip().startswith(">"))
    if i + 1 < len(lines) and text.strip() and paragraph and _SETEXT_RX.match(lines[i + 1]):
        return (1 if lines[i + 1].strip()[0] == "=" else 2), text.strip(), True
    m = _BOLD_LINE_RX.match(text)
    if m:
        key = section_key(m.group("t"))
        if key is not None and key != "whys" and len(m.group("t")) <= 60:
            return 3, m.group("t"), False
    return None


def split_sections(text: str) -> tuple[Section, list[Section]]:
    """The preamble (title heading and header fields) and the sections, in order.

    A heading whose name is not a known section continues the known section above it
    when it is deeper (a sub-heading); otherwise it starts an unknown section (key None).
    The document title is the preamble's ``title`` (the first heading when that heading
    is not a known section name).
    """
    raw = text.splitlines()
    heads: list[tuple[int, int, str, bool]] = []  # (index, level, text, setext)
    in_fence = False
    skip_next = False
    front = _front_matter_end(raw)
    for i, line in enumerate(raw):
        if skip_next or i <= front:
            skip_next = False
            continue
        if _FENCE_RX.match(line):
            in_fence = not in_fence
            continue
        h = _heading_at(raw, i, in_fence)
        if h is not None:
            heads.append((i, *h))
            skip_next = h[2]
    title, title_level, title_line = "", 0, 0
    body_start = 0
    if heads and _is_title(heads[0][1], heads[0][2], [h[1] for h in heads[1:]]):
        i, title_level, title, _ = heads[0]
        title_line = i + 1
        body_start = 1
    first = heads[body_start][0] if len(heads) > body_start else len(raw)
    underline = heads[0][0] + 1 if body_start and heads[0][3] else -1
    pre = tuple(MdLine(n + 1, raw[n]) for n in range(first) if n + 1 != title_line and n != underline)
    preamble = Section(None, title, title_level, title_line, pre)
    bodies: list[tuple[int, int, str, str | None, list[MdLine]]] = []  # level, line, title, key, lines
    for idx in range(body_start, len(heads)):
        i, level, text_h, setext = heads[idx]
        end = heads[idx + 1][0] if idx + 1 < len(heads) else len(raw)
        body = [MdLine(n + 1, raw[n]) for n in range(i + (2 if setext else 1), end)]
        key = section_key(text_h)
        if key is None and bodies and bodies[-1][3] is not None and level > bodies[-1][0]:
            # a sub-heading of a known section: its heading and lines stay in that section
            bodies[-1][4].append(MdLine(i + 1, raw[i]))
            bodies[-1][4].extend(body)
            continue
        bodies.append((level, i + 1, text_h, key, body))
    sections = [Section(key, clean_heading(t), lvl, line, tuple(body)) for lvl, line, t, key, body in bodies]
    return preamble, sections


def _front_matter_end(raw: Sequence[str]) -> int:
    """Index of the line closing a YAML front matter block at the top (``---`` ... ``---``), else -1."""
    if not raw or raw[0].strip() != "---":
        return -1
    return next((i for i in range(1, min(len(raw), 60)) if raw[i].strip() in ("---", "...")), -1)


def _is_title(level: int, text: str, other_levels: list[int]) -> bool:
    """The first heading is the document title unless it is a section heading among peers."""
    if section_key(text) is None or _TITLE_PREFIX_RX.match(clean_heading(text)):
        return True
    return bool(other_levels) and level < min(other_levels)


# ---------------------------------------------------------------------------- inline text

_BOLD_RX = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC_STAR_RX = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])")
_ITALIC_UNDER_RX = re.compile(r"(?<![\w_])_(?=[^\s_])([^_]+?)(?<=[^\s_])_(?![\w_])")
_CODE_RX = re.compile(r"`([^`]+)`")
_COMMENT_RX = re.compile(r"<!--.*?-->")
_INLINE_MARK_RX = re.compile(r"[*_`<\t]|\s\s")
"""Text without these characters is already plain (a fast path for table cells)."""


def plain(text: str) -> str:
    """Inline Markdown made readable: bold, italics, code spans and comments unwrapped.

    Examples
    --------
    >>> plain("**Fast detection:** Alert fired within 5 min of impact")
    'Fast detection: Alert fired within 5 min of impact'
    """
    if not _INLINE_MARK_RX.search(text):
        return text.strip()
    out = _COMMENT_RX.sub("", text)
    out = _BOLD_RX.sub(r"\2", out)
    out = _ITALIC_STAR_RX.sub(r"\1", out)
    out = _ITALIC_UNDER_RX.sub(r"\1", out)
    out = _CODE_RX.sub(r"\1", out)
    return re.sub(r"[ \t]+", " ", out).strip()


_FIELD_RXS = (
    re.compile(r"^\s*(?:[-*+]\s+)?(\*\*|__)(?P<k>[^*_\n]{1,60}?)\s*:\s*\1\s*(?P<v>.*)$"),
    re.compile(r"^\s*(?:[-*+]\s+)?(\*\*|__)(?P<k>[^*_\n]{1,60}?)\1\s*:\s*(?P<v>.*)$"),
)


def field_line(text: str) -> tuple[str, str] | None:
    """``**Key:** value`` (or ``**Key**: value``, optionally as a bullet) as (key, value)."""
    for rx in _FIELD_RXS:
        m = rx.match(text)
        if m:
            return m.group("k").strip(), m.group("v").strip()
    return None


# ---------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class ListItem:
    """A list item: marker (``-``, ``3.``, ``4a.``), indent, text lines joined, first line."""

    line: int
    indent: int
    marker: str
    text: str
    lines: tuple[MdLine, ...]

    @property
    def number(self) -> int | None:
        """The item's number for ordered items (``4a.`` → 4), else None."""
        m = re.match(r"\d+", self.marker)
        return int(m.group(0)) if m else None


def list_items(lines: Sequence[MdLine]) -> tuple[list[ListItem], list[MdLine]]:
    """List items (with their continuation lines) and the lines that belong to no item.

    A continuation is an indented line under an item, or a non-blank, non-item line right
    after one (Markdown's "lazy" continuation). Headings, tables and blank lines end items.
    """
    items: list[ListItem] = []
    stray: list[MdLine] = []
    cur: list[MdLine] = []
    cur_m: re.Match[str] | None = None

    def flush() -> None:
        nonlocal cur, cur_m
        if cur_m is not None:
            first = cur[0]
            text = " ".join([cur_m.group("text").strip(), *(ln.text.strip() for ln in cur[1:])]).strip()
            items.append(
                ListItem(
                    first.number,
                    len(cur_m.group("indent").expandtabs(4)),
                    cur_m.group("marker"),
                    text,
                    tuple(cur),
                )
            )
        cur, cur_m = [], None

    for ln in lines:
        m = _LIST_RX.match(ln.text)
        if m and not _TABLE_SEP_RX.match(ln.text):
            flush()
            cur, cur_m = [ln], m
        elif not ln.text.strip() or ln.text.lstrip().startswith(("#", "|")):
            flush()
            if ln.text.strip():
                stray.append(ln)
        elif cur_m is not None:
            cur.append(ln)
        else:
            stray.append(ln)
    flush()
    return items, stray


# ---------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class MdTable:
    """A pipe table: header cells (with the header's line) and data rows with line numbers."""

    header: tuple[str, ...]
    line: int
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def split_row(text: str) -> tuple[str, ...]:
    """Cells of a pipe-table row; ``\\|`` and pipes inside code spans stay in their cell."""
    s = text.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    if "\\" not in s and "`" not in s:
        return tuple(c.strip() for c in s.split("|"))
    cells, buf, in_code, i = [], [], False, 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            buf.append("|")
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            cells.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
        i += 1
    cells.append("".join(buf).strip())
    return tuple(cells)


def tables(lines: Sequence[MdLine]) -> tuple[list[MdTable], list[MdLine]]:
    """Pipe tables (header row, separator row, data rows) and the lines outside any table."""
    found: list[MdTable] = []
    rest: list[MdLine] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if "|" in ln.text and nxt is not None and _TABLE_SEP_RX.match(nxt.text) and "-" in nxt.text:
            header = split_row(ln.text)
            rows: list[tuple[int, tuple[str, ...]]] = []
            j = i + 2
            while j < len(lines) and "|" in lines[j].text and lines[j].text.strip():
                if not _TABLE_SEP_RX.match(lines[j].text):
                    rows.append((lines[j].number, split_row(lines[j].text)))
                j += 1
            found.append(MdTable(header, ln.number, tuple(rows)))
            i = j
            continue
        rest.append(ln)
        i += 1
    return found, rest


# ---------------------------------------------------------------------------- table columns


def column_index(header: Sequence[str], patterns: str, *, exclude: Sequence[int] = ()) -> int | None:
    """Index of the first header cell matching ``patterns`` (case-insensitive), skipping ``exclude``."""
    rx = re.compile(patterns, re.IGNORECASE)
    for i, name in enumerate(header):
        if i not in exclude and rx.search(plain(name)):
            return i
    return None


def cell(cells: Sequence[str], i: int | None) -> str:
    """Cell ``i`` of a row as plain text (empty when the column or cell is missing)."""
    return plain(cells[i]) if i is not None and i < len(cells) else ""
