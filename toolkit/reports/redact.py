"""Redaction for reports that leave the team: e-mail addresses, phone numbers and names.

:func:`redact` is a pure function of one text; :func:`role_names` builds the
``names`` mapping (person -> the role they held) from an incident's tables.

Examples
--------
>>> redact("Alice Chen (alice@example.com, +1 415 555 0100) rolled back", names={"Alice Chen": "the Incident Commander"})
'the Incident Commander ([email], [phone]) rolled back'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

__all__ = ["EMAIL_MASK", "PHONE_MASK", "ROLE_LABELS", "redact", "role_names"]

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"

ROLE_LABELS: Mapping[str, str] = {
    "IC": "the Incident Commander",
    "TL": "the Technical Lead",
    "Comms": "the Communications Lead",
    "Scribe": "the Scribe",
    "SME": "a subject-matter expert",
}
"""What a person is called in a redacted report, by the role they held."""

RESPONDER = "a responder"
"""What a person with no known role is called."""

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A phone number: an optional +country code, an optional (area) code, then groups of digits
# separated by single spaces, dots or hyphens; 7 to 15 digits in all.
_PHONE = re.compile(
    r"(?<![\w+.:/-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?![\w.:/-]?\d)"
)
_DATE_OR_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}[.:]\d{2}$|^\d{8}$|^\d{1,3}(?:\.\d{1,3}){3}$")


def _is_phone(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    if not 7 <= digits <= 15:
        return False
    if _DATE_OR_TIME.match(candidate):
        return False
    # plain runs of digits (ids, counts, timestamps) are not phone numbers unless they say so
    return candidate.startswith(("+", "(")) or bool(re.search(r"\d[ .-]\d", candidate))


@lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    usable = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not usable:
        return None
    alternatives = "|".join(re.escape(n) for n in usable)
    return re.compile(rf"(?<![\w@])@?(?:{alternatives})(?![\w])", re.IGNORECASE)


def redact(text: str, *, names: Mapping[str, str]) -> str:
    """``text`` with e-mail addresses, phone numbers and the given people's names masked.

    Parameters
    ----------
    text
        Any text (a message, a status body, a post-mortem line).
    names
        Person's name (any spelling: full name, first name, handle) -> what to say instead,
        e.g. ``{"Alice Chen": "the Incident Commander", "alice": "the Incident Commander"}``.
        Matched as whole words, case-insensitively, longest first, with or without a
        leading ``@``.

    Returns
    -------
    str
        E-mail addresses become ``[email]``, phone numbers ``[phone]``, names their
        replacement. Dates, times, version numbers and ids are left alone.

    Examples
    --------
    >>> redact("@bob paged on 2025-01-15 18:00; call 020 7946 0018", names={"bob": "the Technical Lead"})
    'the Technical Lead paged on 2025-01-15 18:00; call [phone]'
    """
    out = _EMAIL.sub(EMAIL_MASK, text)
    out = _PHONE.sub(lambda m: PHONE_MASK if _is_phone(m.group(0)) else m.group(0), out)
    pattern = _names_pattern(tuple(names))
    if pattern is None:
        return out
    lookup = {k.strip().lower(): v for k, v in names.items() if k and k.strip()}
    return pattern.sub(lambda m: lookup[m.group(0).lstrip("@").lower()], out)


def role_names(
    roles: Iterable[tuple[str, str]],
    *,
    people: Iterable[str] = (),
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, str]:
    """The ``names`` mapping for :func:`redact`: each person -> the role they held.

    Parameters
    ----------
    roles
        ``(person, role)`` pairs (the incident's ``roles`` rows); a person holding several
        roles is named by the first in :data:`ROLE_LABELS` order.
    people
        Other people to hide (actors, commanders); those without a role become "a responder".
    aliases
        Person -> other spellings of their name (display names, first names), masked alike.

    Examples
    --------
    >>> role_names([("alice", "IC"), ("bob", "TL")], people=["carol"], aliases={"alice": ["Alice Chen"]})
    {'alice': 'the Incident Commander', 'Alice Chen': 'the Incident Commander', 'bob': 'the Technical Lead', 'carol': 'a responder'}
    """
    order = list(ROLE_LABELS)
    best: dict[str, str] = {}
    for person, role in roles:
        if role not in ROLE_LABELS:
            continue
        if person not in best or order.index(role) < order.index(best[person]):
            best[person] = role
    out: dict[str, str] = {}
    for person, role in best.items():
        out[person] = ROLE_LABELS[role]
        for alias in (aliases or {}).get(person, ()):
            out.setdefault(alias, ROLE_LABELS[role])
    for person in people:
        if person and person not in out:
            out[person] = RESPONDER
            for alias in (aliases or {}).get(person, ()):
                out.setdefault(alias, RESPONDER)
    return out
