r"""Escaping untrusted text for HTML, Markdown and embedded JSON; which links may be clickable.

Every message, status body and post-mortem line is untrusted: it may hold ``<script>``,
``<img onerror=...>`` or ``[x](javascript:...)``. These functions make such text show as
the characters it is made of, in each format the reports are written in.

Examples
--------
>>> html_text('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> md_text("[click](javascript:alert(1))")
'\\[click\\](javascript:alert(1))'
>>> safe_url("javascript:alert(1)") is None, safe_url("https://example.com/a b")
(True, 'https://example.com/a%20b')
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

__all__ = [
    "SAFE_SCHEMES",
    "html_text",
    "json_for_script",
    "md_cell",
    "md_inline",
    "md_line",
    "md_text",
    "safe_url",
]

SAFE_SCHEMES = ("http", "https", "mailto")
"""The only URL schemes a report makes clickable."""

# ASCII punctuation that means something inline somewhere in CommonMark/GFM (or to a math
# renderer, like Jupyter's $...$); escaped wherever it appears.
_INLINE = re.compile(r"([\\`*_\[\]<>|~$!])")
# Block syntax recognised only at the start of a line: headings, quotes, lists, rules,
# setext underlines, ordered-list markers ("1." / "1)"), tables.
_LINE_START = re.compile(r"^([ \t]*)([-+=>#]|\d{1,9}(?=[.)]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def html_text(text: object) -> str:
    """``text`` as HTML character data or an attribute value: ``& < > " '`` escaped.

    Examples
    --------
    >>> html_text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return html.escape(_CONTROL.sub("", str(text)), quote=True)


def md_inline(text: object) -> str:
    r"""``text`` as literal inline Markdown, spaces kept, line breaks as spaces.

    For a piece of a line; the line as a whole still needs :func:`md_line` at its start.

    Examples
    --------
    >>> md_inline(" a*b <c> ")
    ' a\\*b \\<c\\> '
    """
    one = " ".join(_CONTROL.sub("", str(text)).splitlines())
    # "&" would start an entity reference ("&lt;" shows "<" literally anyway, but "&#106;"
    # could spell letters): make every "&" literal.
    return _INLINE.sub(r"\\\1", one).replace("&", "&amp;")


def md_line(escaped: str) -> str:
    r"""An already inline-escaped line with a leading block marker (``#``, ``-``, ``1.`` ...) escaped.

    Examples
    --------
    >>> md_line("1. x"), md_line("- y")
    ('1\\. x', '\\- y')
    """
    m = _LINE_START.match(escaped)
    if m is None:
        return escaped
    if m.group(2).isdigit():  # "1." / "1)": escape the marker after the number
        end = m.end()
        return escaped[:end] + "\\" + escaped[end:]
    return escaped[: m.start(2)] + "\\" + escaped[m.start(2) :]


def _md_line(line: str) -> str:
    return md_line(md_inline(line.strip()))


def md_text(text: object) -> str:
    r"""``text`` as literal Markdown: no markup, HTML, link, image, code or math is made of it.

    Each line is stripped (leading blanks would make a code block) and its block markers
    (``#``, ``>``, ``-``, ``1.`` ...) escaped; inline punctuation is backslash-escaped and
    ``&`` becomes ``&amp;``. Lines stay lines (a blank line ends a paragraph).

    Examples
    --------
    >>> md_text("# not a heading <b>bold</b> *x*")
    '\\# not a heading \\<b\\>bold\\</b\\> \\*x\\*'
    """
    lines = _CONTROL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_md_line(line) for line in lines)


def md_cell(text: object) -> str:
    r"""``text`` for one cell of a Markdown table: one line, ``|`` escaped.

    Examples
    --------
    >>> md_cell("a|b\nc")
    'a\\|b c'
    """
    return md_text(" ".join(str(text).split()))


def safe_url(url: object) -> str | None:
    """``url`` if it may be a link (http, https or mailto with a host or address), else ``None``.

    Spaces, quotes, angle brackets, parentheses and other characters that could end the
    link in HTML or Markdown are percent-encoded.

    Examples
    --------
    >>> safe_url(" JavaScript:alert(1)"), safe_url("mailto:oncall@example.com")
    (None, 'mailto:oncall@example.com')
    """
    text = _CONTROL.sub("", str(url)).strip()
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        return None
    return quote(text, safe="/:@?=&#%+,;~*!$-._")


def json_for_script(data: str) -> str:
    r"""JSON text made safe inside an HTML ``<script>`` element (no ``</script>``, no ``<!--``).

    Examples
    --------
    >>> json_for_script('{"text": "</script><script>alert(1)</script>"}')
    '{"text": "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'
    """
    return (
        data.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
