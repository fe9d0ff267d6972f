"""A post-mortem's Markdown as sections of blocks, read by markdown-it-py (CommonMark + tables).

Every block keeps its 1-based line numbers, so a rejection can say where the bad row is.
Headings are ATX or setext; a paragraph that is entirely bold and names a known section
(``**Timeline**``) counts as a heading one level below the section it is in. Front matter
(``---`` YAML or ``+++`` TOML at the top) is cut off before parsing and returned as its
raw lines; its line numbers are kept. Inline Markdown is parsed only where text is needed
(:func:`plain`), so reading a long table costs little more than splitting it.

Examples
--------
>>> doc = parse_markdown("# Outage\\n**Date:** 2025-01-15\\n## Timeline\\n| Time | Event |\\n|--|--|\\n| 10:00 | Alert |\\n")
>>> [(s.title, s.level, s.line) for s in doc.sections]
[(None, 0, 0), ('Outage', 1, 1), ('Timeline', 2, 3)]
>>> table = doc.sections[2].blocks[0]
>>> table.header, table.rows
(('Time', 'Event'), ((6, ('10:00', 'Alert')),))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = [
    "Block",
    "Document",
    "Item",
    "ListBlock",
    "Other",
    "Paragraph",
    "Section",
    "Table",
    "bold_heading",
    "paragraph_lines",
    "parse_markdown",
    "plain",
    "urls",
]

_BLOCKS = MarkdownIt("commonmark").enable("table")
_BLOCKS.disable(["inline", "text_join"], ignoreInvalid=True)  # inline text is parsed lazily, by plain()
_INLINE = MarkdownIt("commonmark")
_SPECIAL_RX = re.compile(r"[*_`\\\[\]<>&!~]")
_URL_RX = re.compile(r"https?://[^\s)>\]|\"']+")
_CHECKBOX_RX = re.compile(r"^\[(?P<x>[ xX✓✔])\]\s+")
_BOLD_ONLY_RX = re.compile(r"^\s*(\*\*|__)(?P<t>[^*_\n]{1,60}?)\s*:?\s*\1\s*:?\s*$")


@lru_cache(maxsize=16384)
def plain(raw: str) -> str:
    """Inline Markdown as readable text: emphasis, code spans, links and escapes unwrapped,
    HTML dropped, whitespace collapsed.

    Examples
    --------
    >>> plain("**Fast detection:** Alert fired within 5 `min` of [impact](http://x)")
    'Fast detection: Alert fired within 5 min of impact'
    """
    if not _SPECIAL_RX.search(raw):
        return " ".join(raw.split())
    out: list[str] = []
    for tok in _INLINE.parseInline(raw)[0].children or ():
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "image":
            out.append(tok.content)
        elif tok.type == "html_inline" and tok.content.lower().startswith("<br"):
            out.append(" ")
    return " ".join("".join(out).split())


def urls(raw: str) -> list[str]:
    """The http(s) URLs written in ``raw`` (Markdown links, autolinks and bare URLs)."""
    return _URL_RX.findall(raw)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: its first and last line and its Markdown as written."""

    line: int
    end: int
    raw: str


@dataclass(frozen=True, slots=True)
class Item:
    """A list item: its first paragraph as written, a checkbox state, and nested blocks."""

    line: int
    end: int
    raw: str
    """The item's first paragraph without its checkbox (``[x]``)."""
    checked: bool | None
    """True for ``[x]``, False for ``[ ]``, None without a checkbox."""
    number: int | None
    """The number of an ordered item (``3.`` → 3)."""
    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet or ordered list."""

    line: int
    end: int
    ordered: bool
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A pipe table: header cells and data rows (line, cells), cells as written."""

    line: int
    end: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Other:
    """A block no reader needs (code, HTML, rule, quote), kept with its kind and text."""

    line: int
    end: int
    kind: str
    raw: str


Block = Paragraph | ListBlock | Table | Other


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the blocks under it, up to the next heading of any level.

    ``parent`` is the index of the nearest earlier section of a lower level (the
    preamble, index 0, has level 0 and no title).
    """

    title: str | None
    level: int
    line: int
    body: int
    """First line after the heading."""
    stop: int
    """Line where the next heading starts (exclusive end of the body)."""
    parent: int | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed document: its lines, its front matter (kind and raw lines) and sections."""

    lines: tuple[str, ...]
    front: tuple[str, int, tuple[str, ...]] | None
    """(``"yaml"`` or ``"toml"``, the first body line, the lines between the fences), if any."""
    sections: tuple[Section, ...]

    def text_lines(self, section: Section) -> list[tuple[int, str]]:
        """The raw lines of a section's body as (line number, text)."""
        return [(n, self.lines[n - 1]) for n in range(section.body, min(section.stop, len(self.lines) + 1))]


def paragraph_lines(block: Paragraph | Item) -> list[tuple[int, str]]:
    """The lines of a paragraph (or an item's first paragraph) with their numbers."""
    return [(block.line + i, text) for i, text in enumerate(block.raw.split("\n"))]


def bold_heading(raw: str, is_section: Callable[[str], bool]) -> str | None:
    """The text of a paragraph that is only a bold section name (``**Timeline**``)."""
    m = _BOLD_ONLY_RX.match(raw)
    return m.group("t").strip() if m and is_section(m.group("t")) else None


def _front(lines: list[str]) -> tuple[str, int, tuple[str, ...]] | None:
    if not lines or lines[0].strip() not in ("---", "+++"):
        return None
    fence = lines[0].strip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    for i in range(1, min(len(lines), 200)):
        if lines[i].strip() in closers:
            return ("yaml" if fence == "---" else "toml"), 2, tuple(lines[1:i])
    return None


def _items(tokens: Sequence[Token], i: int, close: str) -> tuple[list[Item], int]:
    items: list[Item] = []
    while tokens[i].type != close:
        tok = tokens[i]  # list_item_open
        kids, i = _blocks(tokens, i + 1, "list_item_close")
        raw, checked = "", None
        first = kids[0] if kids else None
        if isinstance(first, Paragraph):
            raw, kids = first.raw, kids[1:]
            m = _CHECKBOX_RX.match(raw)
            if m:
                checked, raw = m.group("x") != " ", raw[m.end() :]
        number = int(tok.info) if tok.info.isdigit() else None
        start, end = tok.map or (0, 0)
        items.append(Item(start + 1, end, raw, checked, number, tuple(kids)))
        i += 1
    return items, i


def _table(tokens: Sequence[Token], i: int) -> tuple[Table, int]:
    start, end = tokens[i].map or (0, 0)
    header: list[str] = []
    rows: list[tuple[int, tuple[str, ...]]] = []
    cells: list[str] = []
    line = start + 1
    in_head = False
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            cells, line = [], (tok.map[0] + 1 if tok.map else line)
        elif tok.type == "inline":
            cells.append(tok.content)
        elif tok.type == "tr_close":
            if in_head:
                header = cells
            else:
                rows.append((line, tuple(cells)))
        i += 1
    return Table(start + 1, end, tuple(header), tuple(rows)), i


def _blocks(tokens: Sequence[Token], i: int, close: str | None) -> tuple[list[Block], int]:
    """Blocks from ``tokens[i]`` up to the token of type ``close`` (None: a heading or the end)."""
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == close or (close is None and kind == "heading_open"):
            return out, i
        start, end = tok.map or (0, 0)
        if kind == "paragraph_open":
            out.append(Paragraph(start + 1, end, tokens[i + 1].content))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            items, i = _items(tokens, i + 1, kind.replace("_open", "_close"))
            out.append(ListBlock(start + 1, end, kind == "ordered_list_open", tuple(items)))
        elif kind == "table_open":
            table, i = _table(tokens, i)
            out.append(table)
        elif kind == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close")
            out.append(Other(start + 1, end, "quote", "\n".join(_raw(b) for b in inner)))
        elif kind in ("fence", "code_block", "html_block", "hr"):
            out.append(Other(start + 1, end, kind, tok.content))
        elif kind == "heading_open":  # a heading inside a list or quote: keep its text
            out.append(Paragraph(start + 1, end, tokens[i + 1].content))
            i += 2
        i += 1
    return out, i


def _raw(block: Block) -> str:
    if isinstance(block, Paragraph | Other):
        return block.raw
    if isinstance(block, ListBlock):
        return "\n".join(item.raw for item in block.items)
    return " | ".join(block.header)


def parse_markdown(text: str, *, is_section: Callable[[str], bool] = lambda _: False) -> Document:
    """``text`` as a :class:`Document`: the preamble (section 0), then one section per heading.

    ``is_section`` says whether a bold-only paragraph names a known section (then it
    starts one).
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    front = _front(lines)
    body = text
    if front is not None:
        skip = len(front[2]) + 2
        body = "\n" * skip + "\n".join(lines[skip:])
    tokens = _BLOCKS.parse(body)
    sections: list[Section] = []
    i = 0
    title, level, line, first = None, 0, 0, 1
    while True:
        blocks, i = _blocks(tokens, i, None)
        # bold-only paragraphs that name a section split this run of blocks
        start, base = 0, level
        for j, block in enumerate(blocks):
            head = bold_heading(block.raw, is_section) if isinstance(block, Paragraph) else None
            if head is not None:
                _add(sections, title, level, line, first, block.line, blocks[start:j])
                title, level, line, first = head, max(base, 1) + 1, block.line, block.end + 1
                start = j + 1
        nxt = tokens[i] if i < len(tokens) else None
        stop = (nxt.map[0] + 1) if nxt is not None and nxt.map else len(lines) + 1
        _add(sections, title, level, line, first, stop, blocks[start:])
        if nxt is None:
            break
        start_line, end_line = nxt.map or (0, 0)
        title, level, line, first = (
            tokens[i + 1].content.strip(),
            int(nxt.tag[1]),
            start_line + 1,
            end_line + 1,
        )
        i += 3
    return Document(tuple(lines), front, tuple(sections))


def _add(
    sections: list[Section],
    title: str | None,
    level: int,
    line: int,
    body: int,
    stop: int,
    blocks: Sequence[Block],
) -> None:
    parent = next((k for k in range(len(sections) - 1, -1, -1) if sections[k].level < level), None)
    sections.append(Section(title, level, line, body, stop, parent, tuple(blocks)))
