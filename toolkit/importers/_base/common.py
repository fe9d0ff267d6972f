"""Pieces every importer shares: rejections, JSON decoding; the timestamp expressions
(``parse_iso_utc``, ``parse_naive_in``) live in :mod:`toolkit.clock` and are re-exported here."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import polars as pl

from toolkit.clock import ISO_FORMAT, parse_iso_utc, parse_naive_in
from toolkit.errors import InputFormatError
from toolkit.importers._base.inputs import Member
from toolkit.schema import TABLES, Source

__all__ = [
    "ISO_FORMAT",
    "BadField",
    "Rejects",
    "decode_json",
    "gc_paused",
    "parse_iso_utc",
    "parse_naive_in",
    "type_name",
]


def type_name(value: object) -> str:
    """A JSON-ish name for ``value``'s type, for error messages (``int``, ``null``, ``array``)."""
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", bool: "bool"}.get(type(value), type(value).__name__)


class BadField(Exception):  # noqa: N818 - not an error users see: importers turn it into a rejection
    """One field of one record cannot be read: raised by a field reader, caught where the
    importer knows the file and record, and turned into a row of ``rejected``.

    Examples
    --------
    >>> try:
    ...     raise BadField("ts", "expected a Slack timestamp string, got int")
    ... except BadField as bad:
    ...     (bad.field, bad.problem)
    ('ts', 'expected a Slack timestamp string, got int')
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(field, problem)
        self.field = field
        self.problem = problem


class Rejects:
    """Collects records an importer could not read; raises at once in strict mode.

    Default mode keeps every readable record and lists each bad one here (file, record,
    field, reason), so nothing is lost silently; ``strict=True`` turns the first one into
    an :class:`~toolkit.errors.InputFormatError` naming the same parts.

    Examples
    --------
    >>> r = Rejects(Source.slack, strict=False)
    >>> r.add("x.json", 3, "ts", "expected a string, got int")
    >>> r.frame().row(0)
    ('slack', 'x.json', 3, 'ts', 'expected a string, got int', None)
    """

    def __init__(self, source: Source, *, strict: bool = False) -> None:
        self.source = source
        self.strict = strict
        self._rows: list[tuple[str, str, int | None, str | None, str, str | None]] = []

    def add(
        self,
        file: str,
        record: int | None,
        field: str | None,
        reason: str,
        *,
        label: str | None = None,
        hint: str | None = None,
        incident_id: str | None = None,
    ) -> None:
        """Record one rejection (or raise in strict mode).

        ``label`` names the record for people in the strict error ("message 17");
        it defaults to ``record N``. ``incident_id`` names the incident the record
        belonged to, where the importer can tell, so the import report can say whose
        milestones may be incomplete.
        """
        if self.strict:
            raise InputFormatError(file, label if label is not None else record, field, reason, hint)
        self._rows.append(
            (
                self.source.value,
                file,
                record,
                field,
                reason if not hint else f"{reason} ({hint})",
                incident_id,
            )
        )

    def __len__(self) -> int:
        return len(self._rows)

    def frame(self) -> pl.DataFrame:
        """The rejections as a table of the ``rejected`` schema."""
        return pl.DataFrame(self._rows, schema=TABLES["rejected"].schema, orient="row")


def decode_json(member: Member, rejects: Rejects, *, data: bytes | None = None) -> Any | None:
    """Parse a member as JSON, or reject the whole file (empty, not UTF-8, invalid) and return None."""
    raw = member.read() if data is None else data
    if not raw.strip():
        rejects.add(member.display, None, None, "empty file", hint="re-export it or remove it")
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as uexc:
            rejects.add(member.display, None, None, f"not UTF-8 text (byte {uexc.start}): {uexc.reason}")
            return None
        rejects.add(member.display, None, None, f"invalid JSON: {exc}", hint="the file may be truncated")
        return None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while millions of parsed records stream through.

    Parsed JSON holds no reference cycles, so reference counting frees it anyway; without
    the pause, collections triggered by the allocations cost as much as the parsing itself.
    The previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
