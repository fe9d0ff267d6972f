"""Errors a user of incident-toolkit can cause, and how they read.

Every error names where the problem is (file, record, field) and, where we can tell,
what to do about it. The hierarchy::

    ToolkitError                     base of everything raised on purpose
    ├── InputFormatError             a file we read is not what it claims to be
    │   └── ArchiveError             a zip we refuse to open (too big, encrypted, unsafe)
    ├── UnknownSourceError           ingest could not tell which importer reads a path
    ├── PolicyError                  a policy TOML with a missing or bad value
    ├── SchemaError                  a table that breaks the tidy schema (a bug or a bad edit)
    └── WorkspaceError               a workspace that cannot be read or written

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
    "InputFormatError",
    "PolicyError",
    "SchemaError",
    "ToolkitError",
    "UnknownSourceError",
    "WorkspaceError",
]


class ToolkitError(Exception):
    """Base class of every error incident-toolkit raises on purpose."""


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
    """No registered importer recognises a path."""

    def __init__(self, path: str | PurePath, known: list[str]) -> None:
        self.path = str(path)
        self.known = known
        super().__init__(
            f"{self.path}: cannot tell which export this is "
            f"(known sources: {', '.join(known)}); pass --source / source=... to choose one"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.known))


class PolicyError(ToolkitError):
    """A policy TOML file with a missing, unknown or out-of-range value."""

    def __init__(self, path: str | PurePath, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(f"{self.path}: key '{key}': {problem}")

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
