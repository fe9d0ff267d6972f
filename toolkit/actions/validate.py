"""Validation of action-item fields, with messages that name the field and say what is allowed.

:func:`check` cleans every given field at once and collects the problems, so a form can
show each message next to its field; the API raises them together as one
:class:`ValidationError`. An owner the workspace does not know is accepted with a warning
(a team is a fine owner), never an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from toolkit.actions.incidents import Incidents
from toolkit.errors import ArgumentError
from toolkit.schema import ItemStatus, Priority

__all__ = [
    "KINDS",
    "STATUS_ALIASES",
    "TITLE_MAX",
    "FieldError",
    "ValidationError",
    "check",
    "parse_due_date",
    "parse_link",
    "parse_priority",
    "parse_status",
]

KINDS = ("corrective", "preventive", "detective", "mitigative")
"""The usual kinds of action item; any other text is kept as written."""

STATUS_ALIASES = {
    "open": ItemStatus.pending,
    "won't do": ItemStatus.cancelled,
    "canceled": ItemStatus.cancelled,
}
"""Status words accepted on input besides the schema's own (case and ``-``/``_``/space ignored)."""

TITLE_MAX = 255
"""Longest title, in characters (Jira's limit for a Summary, so items move to a tracker as they are)."""

_DATE_RX = re.compile(r"\d{4}-\d{2}-\d{2}")


class FieldError(ArgumentError):
    """One field's value is not allowed (the message says what is); gathered by :func:`check`."""


class ValidationError(ArgumentError):
    """Fields of an action item that are not allowed, all at once.

    ``errors`` maps each field to what is wrong with it; the message names the item.

    Examples
    --------
    >>> str(ValidationError("new action item", {"title": "required; got nothing"}))
    "new action item: field 'title': required; got nothing"
    """

    def __init__(self, item: str, errors: Mapping[str, str]) -> None:
        self.item = item
        self.errors = dict(errors)
        parts = "; ".join(f"field '{f}': {m}" for f, m in self.errors.items())
        super().__init__(f"{item}: {parts}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.item, self.errors))


def _norm(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.strip().lower()).replace("’", "'")


def parse_status(value: object) -> ItemStatus:
    """An :class:`ItemStatus` from its value or an alias (``"open"``, ``"won't do"``, ``"In progress"``)."""
    if isinstance(value, ItemStatus):
        return value
    if isinstance(value, str):
        word = _norm(value)
        for status in ItemStatus:
            if word == _norm(status.value):
                return status
        alias = STATUS_ALIASES.get(word) or STATUS_ALIASES.get(word.replace("wont", "won't"))
        if alias is not None:
            return alias
    allowed = ", ".join(s.value for s in ItemStatus)
    raise FieldError(f"expected one of {allowed} (or open, won't do), got {value!r}")


def parse_priority(value: object) -> Priority:
    """A :class:`Priority` from ``"P0"``-``"P3"`` (any case)."""
    if isinstance(value, Priority):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldError(f"required; choose one of {', '.join(p.value for p in Priority)}")
    if isinstance(value, str) and value.strip().upper() in Priority.__members__:
        return Priority(value.strip().upper())
    raise FieldError(f"expected one of {', '.join(p.value for p in Priority)}, got {value!r}")


def parse_due_date(value: object) -> date | None:
    """A date from a :class:`~datetime.date` (a datetime gives its date) or ``"YYYY-MM-DD"``; empty is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RX.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(f"{value.strip()!r} is not a real date") from None
    raise FieldError(f"expected a date like '2025-02-14', got {value!r}")


def parse_link(value: object) -> str | None:
    """An http(s) URL with a host; empty is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            parts = urlsplit(text)
        except ValueError:
            parts = None
        if parts and parts.scheme.lower() in ("http", "https") and parts.hostname and " " not in text:
            return text
    raise FieldError(f"expected an http(s) URL like 'https://tracker.example.com/PAY-123', got {value!r}")


def _text(value: object, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FieldError("required; got nothing")
        return None
    if not isinstance(value, str):
        raise FieldError(f"expected text, got {value!r} ({type(value).__name__})")
    return value.strip()


def _title(value: object) -> str:
    text = _text(value, required=True)
    assert text is not None
    if len(text) > TITLE_MAX:
        raise FieldError(f"at most {TITLE_MAX} characters (a tracker's summary), got {len(text)}")
    return text


def _notes(value: object) -> str | None:
    return _text(value, required=False)


def _kind(value: object) -> str | None:
    text = _text(value, required=False)
    return text.lower() if text and text.lower() in KINDS else text


def check(
    values: Mapping[str, Any], ctx: Incidents, *, started: date | None = None
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """Clean ``values`` (field -> value; only the fields given are checked).

    ``started`` is the start date of the item's incident when ``values`` has no
    ``incident_id`` (an update of other fields); the due date may not be before it.
    Returns the cleaned values, the problems by field, and the warnings.

    Examples
    --------
    >>> from toolkit.actions.incidents import Incidents
    >>> import polars as pl
    >>> none = pl.DataFrame(schema={"alias": pl.String, "incident_id": pl.String})
    >>> ctx = Incidents(pl.DataFrame(), none, pl.DataFrame(), pl.DataFrame({"spelling": [], "name": []}))
    >>> check({"priority": "p1", "link": "ftp://x"}, ctx)[:2]
    ({'priority': <Priority.P1: 'P1'>}, {'link': "expected an http(s) URL like 'https://tracker.example.com/PAY-123', got 'ftp://x'"})
    """
    parsers: dict[str, Callable[[object], Any]] = {
        "title": _title,
        "priority": parse_priority,
        "status": parse_status,
        "due_date": parse_due_date,
        "link": parse_link,
        "kind": _kind,
        "notes": _notes,
    }
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    warnings: list[str] = []
    for name, value in values.items():
        try:
            if name in parsers:
                clean[name] = parsers[name](value)
            elif name == "incident_id":
                text = _text(value, required=True)
                assert text is not None
                if ctx.linked_id(text) is None:
                    raise FieldError(f"no incident {text!r} in this workspace; pass one of its incident ids")
                clean[name] = text
                started = ctx.started_on(text)
            elif name == "owner":
                text = _text(value, required=True)
                assert text is not None
                text = text.lstrip("@")
                person = ctx.person(text)
                if person is None:
                    warnings.append(
                        f"owner {text!r} is not a person this workspace knows; kept as written (a team is fine)"
                    )
                clean[name] = person or text
            else:
                raise FieldError("not a field of an action item")
        except FieldError as exc:
            errors[name] = str(exc)
    due = clean.get("due_date")
    if due is not None and started is not None and due < started:
        errors["due_date"] = f"{due.isoformat()} is before the incident started ({started.isoformat()})"
    return clean, errors, warnings
