r"""Safe display objects: every piece of text, every table and every figure a report shows.

Report notebooks never print or interpolate untrusted text into Markdown cells; they
display these blocks. Each block renders itself three ways, and escapes what it holds
in each: ``_repr_html_`` (HTML-escaped; links only for http, https and mailto),
``_repr_markdown_`` (Markdown-escaped, so ``<script>``, ``<img onerror=...>`` and
``[x](javascript:...)`` stay literal text) and ``text/plain``. :class:`Figure` carries a
plotly figure as ``application/vnd.plotly.v1+json``, which the report exporters draw
(HTML) or turn into a static image (Markdown).

Examples
--------
>>> Text("<script>alert(1)</script>")._repr_html_()
'<p class="tk-text">&lt;script&gt;alert(1)&lt;/script&gt;</p>'
>>> import polars as pl
>>> print(Table(pl.DataFrame({"who": ["a|b"]}), columns={"who": "Who"})._repr_markdown_())
| Who |
|---|
| a\|b |
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from toolkit.reports.escape import html_text, md_cell, md_text, safe_url

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = [
    "PLOTLY_MIME",
    "Block",
    "Bullets",
    "Figure",
    "Group",
    "Heading",
    "KeyValues",
    "Link",
    "Note",
    "Table",
    "Text",
    "format_value",
    "no_data",
    "plotly_text",
    "slug",
]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
"""The MIME type plotly figures travel under in notebooks (kept; drawn at export)."""

Formatter = Callable[[Any], str]


def slug(text: str) -> str:
    """An HTML id from a heading's text: lowercase ASCII letters, digits and hyphens.

    Examples
    --------
    >>> slug("Root cause (5 Whys)")
    'root-cause-5-whys'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def format_value(value: object) -> str:
    """How a table cell shows a value: times in UTC to the minute, lists joined, None blank.

    Examples
    --------
    >>> from datetime import UTC
    >>> format_value(datetime(2025, 1, 15, 18, 0, 30, tzinfo=UTC)), format_value(None), format_value(["a", "b"])
    ('2025-01-15 18:00', '', 'a, b')
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes} min"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Link:
    """Link text and a URL; clickable only when the URL is http, https or mailto.

    Examples
    --------
    >>> Link("run", "javascript:alert(1)").html()
    'run (javascript:alert(1))'
    """

    text: str
    url: str

    def html(self) -> str:
        """An ``<a>`` for a safe URL, else the text and the URL as plain text."""
        href = safe_url(self.url)
        if href is None:
            return html_text(self._plain())
        return f'<a href="{html_text(href)}" rel="noopener noreferrer">{html_text(self.text)}</a>'

    def markdown(self) -> str:
        """``[text](url)`` for a safe URL, else the text and URL as literal text."""
        href = safe_url(self.url)
        if href is None:
            return md_text(self._plain())
        return f"[{md_text(self.text)}](<{href}>)"

    def _plain(self) -> str:
        return self.text if not self.url or self.url == self.text else f"{self.text} ({self.url})"

    def plain(self) -> str:
        """The text, and the URL in parentheses."""
        return self._plain()


def _inline_html(part: str | Link) -> str:
    return part.html() if isinstance(part, Link) else html_text(part).replace("\n", "<br>")


def _inline_md(part: str | Link) -> str:
    return part.markdown() if isinstance(part, Link) else md_text(part)


def _inline_plain(part: str | Link) -> str:
    return part.plain() if isinstance(part, Link) else part


class Block:
    """Base of the display objects: subclasses give ``html()``, ``markdown()`` and ``plain()``."""

    def html(self) -> str:
        """HTML with every untrusted character escaped."""
        raise NotImplementedError

    def markdown(self) -> str:
        """Markdown with every untrusted character escaped."""
        raise NotImplementedError

    def plain(self) -> str:
        """Plain text for people (and ``text/plain``)."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        return {"text/html": self.html(), "text/markdown": self.markdown(), "text/plain": self.plain()}

    def __repr__(self) -> str:
        return self.plain()


@dataclass(frozen=True, repr=False)
class Heading(Block):
    r"""A section heading (level 1 to 6) whose text may come from data.

    Examples
    --------
    >>> Heading("Payment <API>", level=2).markdown()
    '## Payment \\<API\\>'
    """

    text: str
    level: int = 2

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 6:
            raise ValueError(f"heading level must be 1 to 6, got {self.level}")

    def html(self) -> str:
        tag = f"h{self.level}"
        return f'<{tag} id="{slug(self.text)}">{html_text(self.text)}</{tag}>'

    def markdown(self) -> str:
        return "#" * self.level + " " + md_text(" ".join(self.text.split()))

    def plain(self) -> str:
        return self.text


@dataclass(frozen=True, repr=False)
class Text(Block):
    """A paragraph of text and links; line breaks are kept."""

    parts: tuple[str | Link, ...]

    def __init__(self, *parts: str | Link) -> None:
        object.__setattr__(self, "parts", tuple(parts))

    def html(self) -> str:
        return '<p class="tk-text">' + "".join(_inline_html(p) for p in self.parts) + "</p>"

    def markdown(self) -> str:
        text = "".join(_inline_md(p) for p in self.parts)
        return text.replace("\n", "  \n")

    def plain(self) -> str:
        return "".join(_inline_plain(p) for p in self.parts)


@dataclass(frozen=True, repr=False)
class Note(Block):
    """A one-line remark, e.g. why a section is empty (see :func:`no_data`)."""

    text: str

    def html(self) -> str:
        return f'<p class="tk-note">{html_text(self.text)}</p>'

    def markdown(self) -> str:
        return "_" + md_text(" ".join(self.text.split())) + "_"

    def plain(self) -> str:
        return self.text


def no_data(what: str) -> Note:
    """The one line a section shows when it has nothing to show.

    Examples
    --------
    >>> no_data("this incident has no 5-Whys analysis").plain()
    'No data: this incident has no 5-Whys analysis'
    """
    return Note(f"No data: {what}")


@dataclass(frozen=True, repr=False)
class Bullets(Block):
    """A bullet list; each item is text, a link or a :class:`Text`."""

    items: tuple[str | Link | Text, ...]

    def __init__(self, items: Iterable[str | Link | Text]) -> None:
        object.__setattr__(self, "items", tuple(items))

    @staticmethod
    def _parts(item: str | Link | Text) -> tuple[str | Link, ...]:
        return item.parts if isinstance(item, Text) else (item,)

    def html(self) -> str:
        lis = ("<li>" + "".join(_inline_html(p) for p in self._parts(i)) + "</li>" for i in self.items)
        return '<ul class="tk-list">' + "".join(lis) + "</ul>"

    def markdown(self) -> str:
        return "\n".join(
            "- " + " ".join("".join(_inline_md(p) for p in self._parts(i)).split("\n")) for i in self.items
        )

    def plain(self) -> str:
        return "\n".join("- " + "".join(_inline_plain(p) for p in self._parts(i)) for i in self.items)


@dataclass(frozen=True, repr=False)
class KeyValues(Block):
    """A report header: label and value pairs (``Severity: SEV1``)."""

    pairs: tuple[tuple[str, str | Link], ...]

    def __init__(self, pairs: Mapping[str, object] | Iterable[tuple[str, object]]) -> None:
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        object.__setattr__(
            self, "pairs", tuple((k, v if isinstance(v, Link) else format_value(v)) for k, v in items)
        )

    def html(self) -> str:
        rows = "".join(f"<dt>{html_text(k)}</dt><dd>{_inline_html(v)}</dd>" for k, v in self.pairs)
        return f'<dl class="tk-header">{rows}</dl>'

    def markdown(self) -> str:
        return "\n".join(
            f"- **{md_text(k)}:** {' '.join(_inline_md(v).split(chr(10)))}" for k, v in self.pairs
        )

    def plain(self) -> str:
        return "\n".join(f"{k}: {_inline_plain(v)}" for k, v in self.pairs)


@dataclass(frozen=True, repr=False)
class Table(Block):
    """A polars DataFrame as a table with chosen columns, labels and formats.

    Parameters
    ----------
    frame
        The rows to show.
    columns
        Column name -> label, in the order to show (default: every column, named as is).
    formats
        Column name -> a format spec (``",.0f"``) or a function of the value giving text.
    links
        Columns whose values are URLs, made clickable when safe.
    max_rows
        Show at most this many rows, then say how many more there are.
    empty
        What to say when there are no rows (a :func:`no_data` note).
    """

    frame: pl.DataFrame
    columns: Mapping[str, str] | None = None
    formats: Mapping[str, str | Formatter] = field(default_factory=dict)
    links: Sequence[str] = ()
    max_rows: int | None = None
    empty: str = "no rows"

    def _labels(self) -> dict[str, str]:
        if self.columns is None:
            return {c: c for c in self.frame.columns}
        missing = [c for c in self.columns if c not in self.frame.columns]
        if missing:
            raise KeyError(f"table has no column(s) {missing}; it has {self.frame.columns}")
        return dict(self.columns)

    def _cells(self) -> list[list[str | Link]]:
        labels = self._labels()
        shown = self.frame.select(list(labels))
        if self.max_rows is not None:
            shown = shown.head(self.max_rows)
        out: list[list[str | Link]] = []
        for row in shown.iter_rows(named=True):
            cells: list[str | Link] = []
            for name in labels:
                value = row[name]
                fmt = self.formats.get(name)
                if value is None:
                    text = ""
                elif callable(fmt):
                    text = fmt(value)
                elif fmt is not None:
                    text = format(value, fmt)
                else:
                    text = format_value(value)
                cells.append(Link(text, str(value)) if name in self.links and text else text)
            out.append(cells)
        return out

    def _more(self) -> int:
        return 0 if self.max_rows is None else max(0, self.frame.height - self.max_rows)

    def html(self) -> str:
        if not self.frame.height:
            return no_data(self.empty).html()
        labels = self._labels()
        numeric = [self.frame.schema[c].is_numeric() for c in labels]
        attr = ["" if not n else ' class="tk-num"' for n in numeric]
        head = "".join(
            f"<th{a}>{html_text(label)}</th>" for a, label in zip(attr, labels.values(), strict=True)
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td{a}>{_inline_html(c)}</td>" for a, c in zip(attr, cells, strict=True))
            + "</tr>"
            for cells in self._cells()
        )
        more = f'<p class="tk-note">… and {self._more():,} more rows</p>' if self._more() else ""
        return f'<table class="tk-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'

    def markdown(self) -> str:
        if not self.frame.height:
            return no_data(self.empty).markdown()
        labels = list(self._labels().values())
        lines = ["| " + " | ".join(md_cell(label) for label in labels) + " |", "|" + "---|" * len(labels)]
        for cells in self._cells():
            rendered = [c.markdown() if isinstance(c, Link) else md_cell(c) for c in cells]
            lines.append("| " + " | ".join(rendered) + " |")
        if self._more():
            lines += ["", f"_… and {self._more():,} more rows_"]
        return "\n".join(lines)

    def plain(self) -> str:
        if not self.frame.height:
            return no_data(self.empty).plain()
        labels = list(self._labels().values())
        rows = [" | ".join(_inline_plain(c) for c in cells) for cells in self._cells()]
        more = [f"... and {self._more():,} more rows"] if self._more() else []
        return "\n".join([" | ".join(labels), *rows, *more])


@dataclass(frozen=True, repr=False)
class Figure(Block):
    """A plotly figure (a ``plotly.graph_objects.Figure`` or its JSON as a mapping).

    Displayed as ``application/vnd.plotly.v1+json`` (the report exporters draw it in
    HTML and PDF and make a static image of it for Markdown) with ``title`` as its
    plain-text stand-in. Text inside the figure should be escaped with
    :func:`plotly_text` when it comes from data.
    """

    figure: Any
    title: str = "figure"

    def spec(self) -> dict[str, Any]:
        """The figure as JSON-ready ``{"data": [...], "layout": {...}}``."""
        import orjson

        fig = self.figure
        if hasattr(fig, "to_plotly_json"):
            import plotly.io as pio

            data: dict[str, Any] = orjson.loads(pio.to_json(fig, validate=False, engine="orjson"))
            return data
        raw = orjson.dumps(dict(fig), default=str, option=orjson.OPT_SERIALIZE_NUMPY)
        out: dict[str, Any] = orjson.loads(raw)
        return out

    def html(self) -> str:
        return f'<p class="tk-note">[{html_text(self.title)}]</p>'

    def markdown(self) -> str:
        return "_" + md_text(f"[{self.title}]") + "_"

    def plain(self) -> str:
        return f"[{self.title}]"

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        return {PLOTLY_MIME: self.spec(), "text/plain": self.plain()}


def plotly_text(text: object) -> str:
    """Data text for a plotly label or hover (plotly reads a few HTML tags; these stay literal).

    Examples
    --------
    >>> plotly_text("<b>x</b> & <a href='javascript:alert(1)'>y</a>")
    "&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href='javascript:alert(1)'&gt;y&lt;/a&gt;"
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True, repr=False)
class Group(Block):
    """Several blocks shown as one output, in order."""

    blocks: tuple[Block, ...]

    def __init__(self, *blocks: Block) -> None:
        if any(isinstance(b, Figure) for b in blocks):
            raise TypeError("display a Figure on its own (one output each), not inside a Group")
        object.__setattr__(self, "blocks", tuple(blocks))

    def html(self) -> str:
        return "\n".join(b.html() for b in self.blocks)

    def markdown(self) -> str:
        return "\n\n".join(b.markdown() for b in self.blocks)

    def plain(self) -> str:
        return "\n\n".join(b.plain() for b in self.blocks)
