"""Labelled fields in war-room messages: ``**Impact:** ...``, ``**Root Cause:** ...``.

The seed's declaration, updates and resolution announcement state the incident's facts
under bold labels; a label's value is the rest of its line and the bullet lines under it:

    **Impact:**
    - Still 15% error rate
    - Support tickets: 12 new reports

Labels are matched without regard to case, and some go by several names
(:data:`ALIASES`: ``Cause`` is ``root cause``, ``Zoom Bridge`` is ``bridge``).

Examples
--------
>>> labelled("**System:** Payments (payment-service)\\n**Impact:**\\n- 15% errors\\n- 12 tickets")
{'system': ('Payments (payment-service)',), 'impact': ('15% errors', '12 tickets')}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["ALIASES", "labelled", "stated"]

ALIASES: Mapping[str, str] = {
    "cause": "root cause",
    "root-cause": "root cause",
    "zoom bridge": "bridge",
    "zoom": "bridge",
    "video bridge": "bridge",
    "meet": "bridge",
    "war room": "war room",
    "next step": "next steps",
    "next update": "next update",
    "eta": "eta",
}
"""Other names of a label → the name drafts look it up by."""

_LABEL = re.compile(
    r"^\s*(?:[*_]{1,2})(?P<label>[A-Za-z][A-Za-z /&-]{0,30}?)\s*(?::\s*[*_]{1,2}|[*_]{1,2}\s*:)\s*(?P<value>.*)$"
)
_BULLET = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+(?P<value>.+)$")


def _key(label: str) -> str:
    k = " ".join(label.casefold().split())
    return ALIASES.get(k, k)


def labelled(text: str) -> dict[str, tuple[str, ...]]:
    """The labelled fields of one message: label (lower case) → its value lines."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        m = _LABEL.match(line)
        if m:
            current = out.setdefault(_key(m.group("label")), [])
            current.clear()
            if m.group("value").strip():
                current.append(m.group("value").strip())
            continue
        b = _BULLET.match(line)
        if b and current is not None:
            current.append(b.group("value").strip())
        elif line.strip():
            current = None
    return {k: tuple(v) for k, v in out.items() if v}


def stated(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every label's latest value across ``texts`` (oldest first)."""
    out: dict[str, tuple[str, ...]] = {}
    for text in texts:
        out.update(labelled(text))
    return out
