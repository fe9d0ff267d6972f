"""Prose a post-mortem author wrote in Markdown, shown with its emphasis but nothing more.

Post-mortem sections (summary, impact, lessons ...) are Markdown as written, and
untrusted. :class:`Prose` keeps their inline emphasis, code and safe links and nothing
else: it is parsed with markdown-it-py with raw HTML off (so ``<script>`` is text),
images off (no remote pixel), and links only to http, https and mailto (so
``[x](javascript:...)`` stays text). Markdown output is written back from the parsed
tokens, everything but that markup escaped.

Examples
--------
>>> Prose("**Fast detection:** <b>5 min</b> [x](javascript:alert(1))").html()
'<p class="tk-text"><strong>Fast detection:</strong> &lt;b&gt;5 min&lt;/b&gt; [x](javascript:alert(1))</p>'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from toolkit.reports.blocks import Block
from toolkit.reports.escape import md_inline, md_line, safe_url

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it import MarkdownIt

__all__ = ["Prose", "ProseList"]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])
    md.validateLink = lambda url: safe_url(url) is not None  # type: ignore[method-assign]
    return md


def _tokens(text: str) -> list[Any]:
    found = _parser().parseInline(text)
    return list(found[0].children or []) if found else []


def _markdown(text: str) -> str:
    out: list[str] = []
    marks = {"strong_open": "**", "strong_close": "**", "em_open": "_", "em_close": "_"}
    for tok in _tokens(text):
        if tok.type == "text":
            out.append(md_inline(tok.content))
        elif tok.type in marks:
            out.append(marks[tok.type])
        elif tok.type == "code_inline":  # a code span shows its content literally
            code = " ".join(tok.content.split())
            runs = [len(r) for r in re.findall(r"`+", code)]
            fence = "`" * (max(runs, default=0) + 1)
            pad = " " if runs else ""
            out.append(f"{fence}{pad}{code}{pad}{fence}")
        elif tok.type == "link_open":
            out.append("[")
            out.append("\x00" + str(safe_url(tok.attrGet("href") or "")))
        elif tok.type == "link_close":
            out.append("]")
        elif tok.type == "softbreak":
            out.append(" ")
        elif tok.type == "hardbreak":
            out.append("  \n")
        else:  # anything else is shown as the characters it was written with
            out.append(md_inline(tok.content))
    # a link's destination goes after its text: [text](<href>)
    text_out, pending = "", []
    for piece in out:
        if piece.startswith("\x00"):
            pending.append(piece[1:])
        elif piece == "]" and pending:
            text_out += f"](<{pending.pop()}>)"
        else:
            text_out += piece
    return md_line(text_out.lstrip())


@dataclass(frozen=True, repr=False)
class Prose(Block):
    """One paragraph of an author's Markdown: emphasis, code and safe links kept; the rest text."""

    text: str

    def html(self) -> str:
        inner = _parser().renderInline(self.text).strip().replace("\n", "<br>\n")
        return f'<p class="tk-text">{inner}</p>'

    def markdown(self) -> str:
        return _markdown(self.text)

    def plain(self) -> str:
        parts = {"softbreak": " ", "hardbreak": "\n"}
        return "".join(parts.get(t.type, t.content) for t in _tokens(self.text))


@dataclass(frozen=True, repr=False)
class ProseList(Block):
    """A bullet list of an author's Markdown items (each a :class:`Prose`)."""

    items: tuple[str, ...]

    def html(self) -> str:
        lis = "".join("<li>" + _parser().renderInline(i).strip() + "</li>" for i in self.items)
        return f'<ul class="tk-list">{lis}</ul>'

    def markdown(self) -> str:
        return "\n".join("- " + _markdown(i) for i in self.items)

    def plain(self) -> str:
        return "\n".join("- " + Prose(i).plain() for i in self.items)
