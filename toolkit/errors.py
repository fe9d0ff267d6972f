"""Errors a user of incident-toolkit can cause, and how they read.

Every error names where the problem is (file, record, field) and, where we can tell,
what to do about it. The hierarchy::

    ToolkitError                     base of everything raised on purpose
    ├── ArgumentError                a bad argument to a function or command (also a ValueError)
    ├── InputFormatError             a file we read is not what it claims to be
    │   └── ArchiveError             a zip we refuse to open (too big, encrypted, unsafe)
    ├── UnknownSourceError           ingest could not tell which importer reads a path
    │   └── SourceMismatchError      --source names an importer whose sniffer says "not mine"
    ├── PolicyError                  a policy TOML with a missing or bad value
    ├── SchemaError                  a table that breaks the tidy schema (a bug or a bad edit)
    └── WorkspaceError               a workspace that cannot be read or written
        └── ConflictError            an edit based on a version someone else has replaced

Examples
--------
>>> err = InputFormatError("export.zip:incident-x/2025-01-15.json", "message 17", "ts",
...                        "expected a Slack timestamp string, got int")
>>> str(err)
"export.zip:incident-x/2025-01-15.json: message 17: field 'ts': expected a Slack timestamp string, got int"
"""

from __future__ import annotations

from pathlib import PurePath

__all__ = [
    "ArchiveError",
    "ArgumentError",
    "ConflictError",
    "InputFormatError",
    "PolicyError",
    "SchemaError",
    "SourceMismatchError",
    "ToolkitError",
    "UnknownSourceError",
    "WorkspaceError",
]


class ToolkitError(Exception):
    """Base class of every error incident-toolkit raises on purpose."""


class ArgumentError(ToolkitError, ValueError):
    """A function or command was called with a value it does not accept.

    The message says what was passed and what is allowed, e.g.
    ``percent_users_affected: expected a number from 0 to 100, got 'abc' (str)``.
    """


def _where(record: str | int | None) -> str | None:
    if record is None:
        return None
    if isinstance(record, int):
        return f"record {record}"
    return record


class InputFormatError(ToolkitError):
    """An input file, or one record of it, does not have the expected format.

    Parameters
    ----------
    path
        The file, as the user knows it; for a zip member ``"export.zip:member/path.json"``.
    record
        Which record: a label such as ``"message 17"`` or a 0-based index (``record 17``),
        or ``None`` when the whole file is bad.
    field
        The field inside the record, or ``None``.
    problem
        What is wrong, e.g. ``"expected a Slack timestamp string, got int"``.
    hint
        Optional: what to do about it.
    """

    def __init__(
        self,
        path: str | PurePath,
        record: str | int | None,
        field: str | None,
        problem: str,
        hint: str | None = None,
    ) -> None:
        self.path = str(path)
        self.record = record
        self.field = field
        self.problem = problem
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [self.path]
        where = _where(self.record)
        if where is not None:
            parts.append(where)
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        parts.append(self.problem)
        text = ": ".join(parts)
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.record, self.field, self.problem, self.hint))


class ArchiveError(InputFormatError):
    """A zip archive we refuse to open: too large, encrypted, or with unsafe members."""


class UnknownSourceError(ToolkitError):
    """No registered importer recognises a path, or a source name is not known.

    With ``name`` (a source the user typed), the message names the known sources instead
    of a path: ``unknown source 'jira'; choose one of slack, pagerduty, statuspage, postmortem``.
    """

    def __init__(self, path: str | PurePath | None, known: list[str], *, name: str | None = None) -> None:
        self.path = None if path is None else str(path)
        self.known = known
        self.name = name
        if name is not None:
            message = f"unknown source {name!r}; choose one of {', '.join(known)}"
        else:
            message = (
                f"{self.path}: cannot tell which export this is "
                f"(known sources: {', '.join(known)}); pass --source / source=... to choose one"
            )
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_unknown, (type(self), self.path, self.known, self.name))


def _rebuild_unknown(
    cls: type[UnknownSourceError], path: str | None, known: list[str], name: str | None
) -> UnknownSourceError:
    return cls(path, known, name=name)


class SourceMismatchError(UnknownSourceError):
    """``--source`` forces an importer on a path its sniffer says is another source's (or none)."""

    def __init__(self, path: str | PurePath, forced: str, looks_like: str | None) -> None:
        self.path = str(path)
        self.forced = forced
        self.looks_like = looks_like
        self.known = []
        self.name = None
        seems = f"it looks like {looks_like}" if looks_like else "no importer recognises it"
        ToolkitError.__init__(
            self,
            f"{self.path}: does not look like a {forced} export ({seems}); drop --source or pick the right one",
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.forced, self.looks_like))


class PolicyError(ToolkitError):
    """A policy TOML file with a missing, unknown or out-of-range value."""

    def __init__(self, path: str | PurePath, key: str | None, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(
            f"{self.path}: key '{key}': {problem}" if key is not None else f"{self.path}: {problem}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.key, self.problem))


class SchemaError(ToolkitError):
    """A table that does not follow the tidy schema of :mod:`toolkit.schema`."""

    def __init__(self, table: str, column: str | None, problem: str) -> None:
        self.table = table
        self.column = column
        self.problem = problem
        where = f"table '{table}'" + (f", column '{column}'" if column else "")
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.table, self.column, self.problem))


class WorkspaceError(ToolkitError):
    """A workspace folder that cannot be read or written as asked."""


class ConflictError(WorkspaceError):
    """An edit based on version ``yours`` of a row that someone else has since saved as ``current``.

    Nothing is written; reload the row and make the edit again.

    Examples
    --------
    >>> str(ConflictError("action_items AI-1", yours=2, current=3, by="bob", at="2025-01-20T10:00:00"))
    'action_items AI-1: changed by bob at 2025-01-20T10:00:00 (now version 3; your edit is based on version 2); reload and edit again'
    """

    def __init__(
        self, item: str, *, yours: int, current: int, by: str | None = None, at: str | None = None
    ) -> None:
        self.item, self.yours, self.current, self.by, self.at = item, yours, current, by, at
        who = f" by {by}" if by else " by someone else"
        when = f" at {at}" if at else ""
        super().__init__(
            f"{item}: changed{who}{when} (now version {current}; your edit is based on version {yours}); "
            "reload and edit again"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_conflict, (type(self), self.item, self.yours, self.current, self.by, self.at))


def _rebuild_conflict(
    cls: type[ConflictError], item: str, yours: int, current: int, by: str | None, at: str | None
) -> ConflictError:
    return cls(item, yours=yours, current=current, by=by, at=at)
