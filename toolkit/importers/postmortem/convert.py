"""A post-mortem file's bytes as Markdown text: ``.md`` decoded, ``.docx`` and ``.html`` converted.

* ``.md`` / ``.markdown``: UTF-8 (a BOM is dropped). Bytes that are not UTF-8 are decoded
  as U+FFFD and their byte offsets returned, so nothing else of the document is lost.
* ``.docx`` (Word, and Google Docs' "Download as .docx"): converted to HTML by
  ``mammoth`` (headings, lists, tables, bold), then read as HTML.
* ``.html`` / ``.htm`` (Confluence export, Google Docs "Web page"): converted to Markdown
  by ``markdownify`` (ATX headings, pipe tables with the first row as header). Bold spans
  of Google Docs (``font-weight:700``) become bold, Confluence task lists become ``[x]`` /
  ``[ ]`` checkboxes, Word checkboxes become the same; Confluence's page chrome
  (breadcrumbs, "Created by", footer) is dropped and its "Space : Title" heading becomes
  the title.

Line numbers of a converted document (in refs such as ``postmortem.docx:12``) are lines of
the Markdown it converts to (``PostmortemDoc.markdown``). The converters are the optional
``docs`` extra (``pip install 'incident-toolkit[docs]'``); without it a ``.docx`` or
``.html`` is refused with an error that says so.
"""

from __future__ import annotations

import io
import re
from typing import Any

from toolkit.errors import InputFormatError

__all__ = [
    "CONVERTED",
    "MARKDOWN",
    "SUFFIXES",
    "MissingExtraError",
    "decode",
    "html_to_markdown",
    "missing_extra",
    "to_markdown",
]

MARKDOWN = (".md", ".markdown")
CONVERTED = (".docx", ".html", ".htm")
SUFFIXES = MARKDOWN + CONVERTED
"""File suffixes the post-mortem importer reads."""

_BOLD_STYLE_RX = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)


def decode(raw: bytes) -> tuple[str, list[int]]:
    """The text of ``raw`` as UTF-8, and the offsets of bytes that were not (as U+FFFD).

    Examples
    --------
    >>> decode("Café".encode("latin-1"))
    ('Caf\\ufffd', [3])
    """
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    pos = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    parts: list[str] = []
    offsets: list[int] = []
    while True:
        try:
            parts.append(raw[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(raw[pos : pos + exc.start].decode("utf-8"))
            offsets.append(pos + exc.start)
            parts.append("\ufffd")
            pos += exc.end
            if len(offsets) >= 1000:
                parts.append(raw[pos:].decode("utf-8", errors="replace"))
                break
    return "".join(parts), offsets


class MissingExtraError(InputFormatError):
    """A ``.docx`` or ``.html`` post-mortem while the optional ``docs`` extra is not installed."""


def missing_extra(display: str, suffix: str) -> MissingExtraError:
    """The error for a ``.docx``/``.html`` file when the ``docs`` extra is not installed."""
    return MissingExtraError(
        display,
        None,
        None,
        f"reading {suffix} post-mortems needs the optional 'docs' extra (mammoth, markdownify)",
        hint="pip install 'incident-toolkit[docs]'",
    )


def html_to_markdown(html: str, *, display: str = "document.html") -> str:
    """HTML (Confluence, Google Docs, mammoth's output) as Markdown (module docstring)."""
    try:
        from bs4 import BeautifulSoup
        from markdownify import MarkdownConverter
    except ImportError:
        raise missing_extra(display, ".html") from None
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head", "meta", "noscript", "template"]):
        tag.decompose()
    for tag in soup.select("#breadcrumb-section, .page-metadata, #footer, #likes-and-labels-container"):
        tag.decompose()  # Confluence's page chrome
    title = soup.select_one("#title-text")
    if title is not None and " : " in title.get_text():  # "Space : Page title"
        title.string = title.get_text().split(" : ", 1)[1].strip()
    for span in soup.find_all("span", style=_BOLD_STYLE_RX):
        span.name = "strong"
    for li in soup.select("ul.inline-task-list > li, ul[data-inline-tasks-content-found] > li"):
        li.insert(0, "[x] " if "checked" in (li.get("class") or []) else "[ ] ")
    for box in soup.find_all("input", attrs={"type": "checkbox"}):
        box.replace_with("[x] " if box.has_attr("checked") else "[ ] ")
    converter = MarkdownConverter(
        heading_style="ATX", bullets="-", table_infer_header=True, escape_misc=False, strip=["img"]
    )
    text = converter.convert_soup(soup)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _docx_html(raw: bytes, display: str) -> str:
    try:
        import mammoth
    except ImportError:
        raise missing_extra(display, ".docx") from None
    style_map = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => h2:fresh"
    try:
        result: Any = mammoth.convert_to_html(io.BytesIO(raw), style_map=style_map)
    except Exception as exc:  # a zip that is no Word document, a broken part
        raise InputFormatError(display, None, None, f"not a readable .docx document: {exc}") from None
    return str(result.value)


def to_markdown(raw: bytes, *, suffix: str, display: str) -> tuple[str, list[int]]:
    """The Markdown of a file's bytes and the offsets of bytes that were not UTF-8."""
    if suffix == ".docx":
        return html_to_markdown(_docx_html(raw, display), display=display), []
    text, offsets = decode(raw)
    if suffix in (".html", ".htm"):
        return html_to_markdown(text, display=display), offsets
    return text, offsets
