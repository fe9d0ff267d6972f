"""What survives of a JSON array that does not parse: the complete records before a cut.

An export cut short (an interrupted download, a full disk, a copy stopped half-way) ends
in the middle of its last record, and a JSON parser refuses the whole file. Every record
before the cut is still there. :func:`salvage_array` finds them: it walks the top-level
array element by element, parses each complete element with orjson (exactly as the whole
file would have been parsed), and says where it stopped and why, so that the importer
keeps those records and rejects the cut as **one** record naming the byte offset.

The array is either the document itself (``[...]``: Slack day files and lists,
Statuspage lists) or the value of one key of a top-level object (``{"log_entries":
[...], "more": true}``, ``{"incidents": [...]}``): pass ``key=``.

Call it only for data that orjson refused: it is about ten times slower than orjson.

Examples
--------
>>> s = salvage_array(b'[{"ts": "1"}, {"ts": "2"}, {"ts": "3')
>>> s.items, s.truncated, s.offset, s.at
([{'ts': '1'}, {'ts': '2'}], True, 27, 36)
>>> s.reason("message")
'truncated at byte 36: message 2 (from byte 27) is cut off; the 2 messages before it were read'
>>> salvage_array(b'{"log_entries": [1, 2, 3', key="log_entries").items
[1, 2]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import orjson

__all__ = ["Salvage", "salvage_array"]

_WS = re.compile(r"[ \t\n\r]*")
_SCAN = json.JSONDecoder()
_OBJECT_CUT = "the object holding the array is cut off"
_NUMBER = frozenset("-0123456789")
_TAIL = re.compile(r"[-+.eE0-9]*")
"""What may follow a number the data ends inside of ("1." of "1.5", "1e" of "1e9")."""
_PARTIAL = re.compile(
    r"(?:t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?|[-+.eE0-9]+|\\?u[0-9a-fA-F]{0,4}|\\)?[ \t\n\r]*"
)
"""The start of a token the data may end inside of (a literal, a number, an escape)."""


@dataclass(frozen=True)
class Salvage:
    """The complete elements of a broken JSON array, and where and why reading stopped.

    Attributes
    ----------
    items
        The complete elements before the problem, in order, each parsed by orjson.
    offset
        Byte offset where the first element not read starts (the cut record), or where
        the problem is when it falls between elements.
    at
        Byte offset of the problem: the end of the data when it is truncated, else the
        first byte that is not valid JSON.
    truncated
        True when the data ends inside the array (or, with ``key``, inside the object
        after the array); False for a syntax error before the end.
    closed
        True when the array itself was read to its closing bracket (the problem lies
        after it); then nothing of the array was lost.
    detail
        The parser's own words about the problem ("unexpected end of data", ...); empty
        when the array and what follows it are fine after all (see :attr:`whole`).
    """

    items: list[Any]
    offset: int
    at: int
    truncated: bool
    closed: bool
    detail: str

    @property
    def whole(self) -> bool:
        """Whether every element was read and nothing is wrong around the array.

        It happens when orjson refused something the scanner takes (a NaN, say) outside
        every element; then there is nothing to reject.
        """
        return self.closed and not self.detail

    def reason(self, noun: str = "element") -> str:
        """The problem for a person: ``truncated at byte N: ...`` or ``invalid JSON at byte N: ...``.

        ``noun`` names one element ("message", "entry", "log entry").
        """
        n = len(self.items)
        head = f"{'truncated' if self.truncated else 'invalid JSON'} at byte {self.at}"
        plural, were = (noun, "was") if n == 1 else (_plural(noun), "were")
        if self.closed:
            return f"{head}: {self.detail}; all {n} {plural} of the array {were} read"
        before = f"the {n} {plural} before it {were} read"
        if self.truncated and self.offset < self.at:
            return f"{head}: {noun} {n} (from byte {self.offset}) is cut off; {before}"
        if self.truncated:
            return f"{head}: the file ends before {noun} {n}; {before}"
        return f"{head}: {self.detail}; {noun} {n} (from byte {self.offset}) and the rest were not read; {before}"


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def salvage_array(data: bytes, *, key: str | None = None) -> Salvage | None:
    """The complete elements of the JSON array in ``data`` before it breaks off.

    Parameters
    ----------
    data
        The bytes of a JSON document that did not parse (truncated, or broken somewhere).
    key
        Read the array under this key of a top-level object instead of a top-level
        array. Other keys' values are skipped (they may come before or after it).

    Returns
    -------
    Salvage or None
        None when there is no such array to salvage: the document is not an array (or
        not an object holding ``key``), or it breaks before the array starts.
    """
    # latin-1 maps each byte to one character: offsets in the text are byte offsets.
    text = data.decode("latin-1")
    end = len(text)
    pos = _skip(text, 0)
    if key is not None:
        start = _find_key(text, pos, key)
        if start is None:
            return None
        pos = start
    if pos >= end or text[pos] != "[":
        return None
    pos = _skip(text, pos + 1)
    items: list[Any] = []
    if pos < end and text[pos] == "]":
        return _after_array(text, pos + 1, items, key)
    while True:
        if pos >= end:
            return Salvage(items, pos, end, truncated=True, closed=False, detail="unexpected end of data")
        try:
            _, stop = _SCAN.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            cut = _ends(text, exc)
            at = end if cut else exc.pos
            return Salvage(items, pos, at, truncated=cut, closed=False, detail=_detail(exc.msg, cut))
        if text[pos] in _NUMBER and _TAIL.fullmatch(text, stop):  # a number the cut may have shortened
            return Salvage(items, pos, end, truncated=True, closed=False, detail="unexpected end of data")
        try:
            items.append(orjson.loads(data[pos:stop]))
        except orjson.JSONDecodeError as exc:
            return Salvage(items, pos, pos, truncated=False, closed=False, detail=exc.msg)
        after = _skip(text, stop)
        if after >= end:
            return Salvage(items, after, end, truncated=True, closed=False, detail="unexpected end of data")
        if text[after] == "]":
            return _after_array(text, after + 1, items, key)
        if text[after] != ",":
            return Salvage(
                items,
                after,
                after,
                truncated=False,
                closed=False,
                detail="expected ',' or ']' after an element",
            )
        pos = _skip(text, after + 1)


def _skip(text: str, pos: int) -> int:
    """The position after any JSON whitespace at ``pos``."""
    m = _WS.match(text, pos)
    return m.end() if m else pos


def _utf8(name: str) -> str:
    """A name the scanner read from the latin-1 text, as the UTF-8 it was."""
    try:
        return name.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:  # it held \\u escapes beyond latin-1: already right
        return name


def _detail(msg: str, cut: bool) -> str:
    return "unexpected end of data" if cut else msg[:1].lower() + msg[1:]


def _find_key(text: str, pos: int, key: str) -> int | None:
    """Position of the value of ``key`` in the top-level object starting at ``pos``."""
    end = len(text)
    if pos >= end or text[pos] != "{":
        return None
    pos = _skip(text, pos + 1)
    while pos < end and text[pos] == '"':
        try:
            name, stop = _SCAN.raw_decode(text, pos)
        except json.JSONDecodeError:
            return None
        colon = _skip(text, stop)
        if colon >= end or text[colon] != ":":
            return None
        value = _skip(text, colon + 1)
        if _utf8(name) == key:
            return value
        try:
            _, stop = _SCAN.raw_decode(text, value)
        except json.JSONDecodeError:
            return None
        pos = _skip(text, stop)
        if pos >= end or text[pos] != ",":
            return None
        pos = _skip(text, pos + 1)
    return None


def _after_array(text: str, pos: int, items: list[Any], key: str | None) -> Salvage:
    """The array closed just before ``pos``; what follows it says what went wrong."""
    end = len(text)
    at = _skip(text, pos)
    if key is not None:
        # The rest of the object: more members, then its closing brace.
        while at < end and text[at] == ",":
            at = _skip(text, at + 1)
            try:
                _, stop = _SCAN.raw_decode(text, at)  # the member's name
                colon = _skip(text, stop)
                if colon >= end or text[colon] != ":":
                    raise json.JSONDecodeError("expected ':' after a member name", text, colon)
                _, stop = _SCAN.raw_decode(text, _skip(text, colon + 1))
            except json.JSONDecodeError as exc:
                if _ends(text, exc):
                    return _closed(items, end, True, _OBJECT_CUT)
                return _closed(items, exc.pos, False, _detail(exc.msg, False))
            at = _skip(text, stop)
        if at >= end:
            return _closed(items, end, True, _OBJECT_CUT)
        if text[at] != "}":
            return _closed(items, at, False, "expected ',' or '}' after a member")
        at = _skip(text, at + 1)
    if at < end:
        return _closed(items, at, False, "unexpected data after the document")
    return _closed(items, at, False, "")


def _closed(items: list[Any], at: int, truncated: bool, detail: str) -> Salvage:
    return Salvage(items, at, at, truncated=truncated, closed=True, detail=detail)


def _ends(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the scanner failed because the text ended (not on a bad byte)."""
    return exc.msg.startswith("Unterminated string") or _PARTIAL.fullmatch(text, exc.pos) is not None
