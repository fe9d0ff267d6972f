r"""Untrusted text stays plain text in every draft format; names stay out of external drafts.

Every message, status-page body and post-mortem line is untrusted. In a draft it must read
as the characters it is made of, never as markup of the format the draft is posted in:

* ``text``: control characters and bidirectional overrides removed (they can hide or
  reorder what a terminal or e-mail shows; the same cleaning comes first in every format),
  and mentions defused as below, so the text is safe to paste into a chat app.
* ``slack``: ``&``, ``<`` and ``>`` escaped as Slack's message format asks, so
  ``<!channel>``, ``<!here>``, ``<@U123>`` and ``<https://evil|click>`` show as typed
  instead of pinging or disguising a link; a mention ``@word`` (``@channel``, ``@here``,
  ``@bob``; not an e-mail address) gets a word joiner (U+2060) after the ``@`` so posting
  it notifies no one. This is the text to post through Slack's API; to paste into the
  Slack app, use ``text``.
* ``markdown``: HTML's ``& < >`` as entities, Markdown's punctuation backslash-escaped
  (inline everywhere, block markers at line starts), so no link, image, emphasis, heading,
  list or raw HTML comes from the text; mentions defused as above (GitHub's ``@user``).

:class:`Safe` marks text the draft itself wrote (mentions of role holders, the fill-in
markers); it passes unescaped. :func:`redact` takes staff names, handles and e-mail
addresses out of text meant for customers.

Examples
--------
>>> escape("<!channel> ping @here <https://evil|click>", "slack")
'&lt;!channel&gt; ping @\u2060here &lt;https://evil|click&gt;'
>>> escape("[x](javascript:alert(1)) *bold*", "markdown")
'\\[x\\](javascript:alert(1)) \\*bold\\*'
>>> redact("Alice (alice@acme.example) rolled back", names=["Alice"], keep=())
'our team ([email removed]) rolled back'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["FORMATS", "Safe", "escape", "plain", "redact"]

FORMATS = ("slack", "markdown", "text")
"""Output formats of drafts."""


class Safe(str):
    """Text the draft wrote itself (not from the data): passed through without escaping."""

    __slots__ = ()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_AT_WORD = re.compile(r"(?<![\w.+-])@(?=[\w!])")
_MD_INLINE = re.compile(r"([\\`*_\[\]{}|~$!#])")
_MD_LINE_START = re.compile(r"^([ \t]*)(?:([-+=>])|(\d{1,9})([.)]))", re.MULTILINE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

STAFF = "our team"
"""What a staff member is called in a draft for customers."""
EMAIL_REMOVED = "[email removed]"


def _line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


def plain(text: object) -> str:
    """``text`` with line ends normalised and control and bidi-override characters removed."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def escape(text: object, fmt: str) -> str:
    """``text`` made literal in format ``fmt`` (``slack``, ``markdown`` or ``text``; module docs)."""
    out = plain(text)
    if fmt == "slack":
        out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return _AT_WORD.sub("@\u2060", out)
    if fmt == "markdown":
        out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out = _MD_INLINE.sub(r"\\\1", out)
        out = _MD_LINE_START.sub(_line_start, out)
        return _AT_WORD.sub("@\u2060", out)
    if fmt == "text":
        return _AT_WORD.sub("@\u2060", out)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


@lru_cache(maxsize=64)
def _names_rx(names: tuple[str, ...]) -> re.Pattern[str] | None:
    usable = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not usable:
        return None
    alternatives = "|".join(re.escape(n) for n in usable)
    return re.compile(rf"(?<![\w@.])@?(?:{alternatives})(?![\w])", re.IGNORECASE)


def redact(text: str, *, names: Iterable[str], keep: Iterable[str] = ()) -> str:
    """``text`` with e-mail addresses (except those in ``keep``) and the people ``names``
    (whole words, any case, with or without ``@``) replaced, for drafts that leave the team."""
    kept = {k.casefold() for k in keep}
    out = _EMAIL.sub(lambda m: m.group(0) if m.group(0).casefold() in kept else EMAIL_REMOVED, text)
    rx = _names_rx(tuple(sorted(set(names))))
    return out if rx is None else rx.sub(STAFF, out)
