"""Typed reading of TOML tables whose errors name the file, the record and the key.

The scenario files write every time the way people do, ``"2025-01-15 10:05 PST"``;
:func:`parse_time` is the one function that reads them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.errors import InputFormatError

__all__ = ["ZONES", "Table", "parse_time", "read_toml"]

ZONES = {"PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "UTC": "UTC"}
"""Zone labels the scenario files may use; PST and PDT must match the date's offset."""

_STAMP = re.compile(r"(\d{4}-\d\d-\d\d) (\d\d):(\d\d)(?::(\d\d))? ([A-Z]+)")


def parse_time(text: str) -> datetime:
    """The UTC instant of a wall-clock time as people write it: ``"2025-01-15 10:05 PST"``.

    Seconds are optional (``"2025-01-15 10:05:40 PST"``); the label is one of
    :data:`ZONES`. Raises ``ValueError`` naming what is wrong.

    Examples
    --------
    >>> parse_time("2025-07-15 10:00 PDT").isoformat()
    '2025-07-15T17:00:00+00:00'
    >>> parse_time("2025-07-15 10:00 PST")
    Traceback (most recent call last):
    ...
    ValueError: 2025-07-15 10:00 is PDT in America/Los_Angeles, not PST
    """
    m = _STAMP.fullmatch(text)
    if m is None:
        raise ValueError(f'expected a time like "2025-01-15 10:05 PST", got {text!r}')
    day, hour, minute, second, label = m.groups()
    zone = ZONES.get(label)
    if zone is None:
        raise ValueError(f"unknown zone label {label!r} in {text!r}; use one of {', '.join(ZONES)}")
    wall = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}").replace(tzinfo=ZoneInfo(zone))
    if label != "UTC" and wall.tzname() != label:
        raise ValueError(f"{day} {hour}:{minute} is {wall.tzname()} in {zone}, not {label}")
    return wall.astimezone(UTC)


@dataclass
class Table:
    """One TOML table with typed getters whose errors name the file, record and key."""

    path: Path
    record: str | None
    data: Mapping[str, Any]
    seen: set[str] = field(default_factory=set)

    def error(self, key: str | None, problem: str) -> InputFormatError:
        """The error to raise about ``key`` of this table."""
        return InputFormatError(self.path, self.record, key, problem, "see toolkit/samplegen/load.py")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if default is ...:
                raise self.error(key, "missing")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
            raise self.error(key, f"expected {_name(kind)}, got {value!r}")
        return value

    def text(self, key: str, default: Any = ...) -> Any:
        return self.get(key, str, default)

    def choice(self, key: str, options: tuple[str, ...], default: Any = ...) -> Any:
        value = self.text(key, default)
        if value is not default and value not in options:
            raise self.error(key, f"expected one of {', '.join(options)}, got {value!r}")
        return value

    def time(self, key: str, default: Any = ...) -> Any:
        value = self.text(key, default)
        if value is default:
            return value
        try:
            return parse_time(value)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def sub(self, key: str, record: str | None = None) -> Table | None:
        value = self.get(key, dict, None)
        return None if value is None else Table(self.path, record or self.record, value)

    def rows(self, key: str) -> list[Table]:
        items = self.get(key, list, [])
        out = []
        for n, item in enumerate(items, 1):
            if not isinstance(item, dict):
                raise self.error(key, f"entry {n}: expected a table, got {item!r}")
            out.append(Table(self.path, f"{self.record}.{key} {n}" if self.record else f"{key} {n}", item))
        return out

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(v, str) for v in values):
            raise self.error(key, f"expected a list of strings, got {values!r}")
        return tuple(values)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.seen)
        if extra:
            raise self.error(extra[0], "unknown key (a typo?)")


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    names |= {dict: "a table", list: "a list", date: "a date (2025-01-15)"}
    return " or ".join(names.get(k, k.__name__) for k in _kinds(kind))


def read_toml(path: Path) -> Table:
    try:
        with path.open("rb") as fh:
            return Table(path, None, tomllib.load(fh))
    except tomllib.TOMLDecodeError as exc:
        raise InputFormatError(path, None, None, f"not valid TOML: {exc}") from None
