"""Action items to and from CSV that a tracker's import maps directly (Jira's CSV importer).

Columns written, in order: ``Item id`` (ours; map it to a custom field such as "External
ID" so status can come back onto the right item), ``Summary``, ``Issue Type`` (Task),
``Assignee``, ``Priority`` (P0-P3 as Highest, High, Medium, Low), ``Due date``
(YYYY-MM-DD), ``Status`` (To Do, In Progress, Done, Won't Do), ``Description`` (notes),
``Labels`` (the incident id), ``Kind``, ``Link`` and ``Version``. A cell starting with
``= + - @`` gets a leading ``'`` so no spreadsheet runs it as a formula; reading strips it.

Reading takes the same columns (any order and case; Jira's ``Custom field (...)`` export
names; several ``Labels`` columns), priorities and statuses in either spelling, and due
dates as ``2025-02-14`` or Jira's ``14/Feb/25 12:00 AM``. A row with a known item id
updates that item (only the columns present; with a ``Version`` the update is based on
it and a stale one is reported as a conflict, otherwise on the current version; labels
do not move an item to another incident); a row without an id but with a known incident
among its labels adds an item. Every row that
cannot be used is kept in ``rejected`` with its line and field.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.actions.incidents import incidents_of
from toolkit.actions.items import add, list_items, update
from toolkit.actions.model import login_name
from toolkit.actions.validate import (
    FieldError,
    ValidationError,
    parse_due_date,
    parse_priority,
    parse_status,
)
from toolkit.errors import ConflictError, InputFormatError, WorkspaceError
from toolkit.schema import ItemStatus
from toolkit.store import Workspace

__all__ = ["CSV_COLUMNS", "CsvResult", "from_csv", "to_csv"]

CSV_COLUMNS = (
    "Item id", "Summary", "Issue Type", "Assignee", "Priority", "Due date",
    "Status", "Description", "Labels", "Kind", "Link", "Version",
)  # fmt: skip
"""Columns of :func:`to_csv`, in order."""

_PRIORITY_OUT = {"P0": "Highest", "P1": "High", "P2": "Medium", "P3": "Low"}
_PRIORITY_IN = {"highest": "P0", "high": "P1", "medium": "P2", "low": "P3", "lowest": "P3"}
_STATUS_OUT = {"pending": "To Do", "in_progress": "In Progress", "done": "Done", "cancelled": "Won't Do"}
_STATUS_IN = {"to do": "pending", "todo": "pending", "backlog": "pending", "selected for development": "pending",
              "closed": "done", "resolved": "done"}  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_FIELDS = {
    "summary": "title", "assignee": "owner", "priority": "priority", "due date": "due_date", "due": "due_date",
    "status": "status", "description": "notes", "kind": "kind", "link": "link", "version": "version",
}  # fmt: skip
_ID_RX = re.compile(r"^(?:custom field \()?(?:item[ _]?id|external[ _]?id)\)?$")
_CUSTOM_RX = re.compile(r"^custom field \((.*)\)$")


@dataclass(frozen=True)
class CsvResult:
    """What :func:`from_csv` did: counts, conflicts and rejected rows (``file, record, field, reason``)."""

    added: int
    updated: int
    unchanged: int
    conflicts: tuple[str, ...]
    rejected: pl.DataFrame
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: added, updated, unchanged, conflicts, rejected."""
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.conflicts)} conflict(s), {self.rejected.height} rejected"
        )


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv(ws: Workspace, path: str | Path, *, incident_id: str | None = None) -> int:
    """Write the workspace's items (or one incident's) to ``path``; returns the rows written.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> to_csv(ws, ws.path / "action-items.csv")
    14
    """
    items = list_items(ws, incident_id=incident_id)
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(CSV_COLUMNS)
        for r in items.iter_rows(named=True):
            due = r["due_date"].isoformat() if r["due_date"] else ""
            cells = [r["item_id"], r["title"], "Task", r["owner"], _PRIORITY_OUT.get(r["priority"] or "", "")]
            cells += [
                due,
                _STATUS_OUT[r["status"]],
                r["notes"],
                r["incident_id"],
                r["kind"],
                r["link"],
                r["version"],
            ]
            out.writerow([_safe(c) for c in cells])
    return items.height


def _unsafe(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA) else text


def _header(name: str) -> str:
    low = name.strip().lower()
    if _ID_RX.match(low):
        return "item_id"
    if low == "labels":
        return "labels"
    custom = _CUSTOM_RX.match(low)
    return _FIELDS.get(custom.group(1) if custom else low, "")


def _value(field: str, text: str) -> Any:
    """A cell as the API takes it (Jira's spellings of priority, status and dates mapped)."""
    if field == "priority" and text:
        return _PRIORITY_IN.get(text.lower(), text)
    if field == "status" and text:
        return _STATUS_IN.get(text.strip().lower(), text)
    if field == "due_date" and text and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        for fmt in ("%d/%b/%y %I:%M %p", "%d/%b/%y", "%d/%b/%Y"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                pass
    return text or None


def _clean(field: str, value: Any) -> Any:
    """Values compared with what is stored (so an unchanged cell is no change)."""
    try:
        if field == "priority" and value is not None:
            return parse_priority(value).value
        if field == "status" and value is not None:
            return parse_status(value).value
        if field == "due_date":
            return parse_due_date(value)
    except FieldError:
        return value
    return value


def from_csv(ws: Workspace, path: str | Path, *, actor: str | None = None) -> CsvResult:
    """Read items from ``path`` (see the module docstring): update known ones, add new ones.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> n = to_csv(ws, ws.path / "items.csv")
    >>> text = (ws.path / "items.csv").read_text().replace(",In Progress,", ",Done,")
    >>> _ = (ws.path / "items.csv").write_text(text)
    >>> from_csv(ws, ws.path / "items.csv", actor="jira").summary()
    '0 added, 3 updated, 11 unchanged, 0 conflict(s), 0 rejected'
    """
    path = Path(path)
    actor = actor or login_name()
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise InputFormatError(path, None, None, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputFormatError(
            path, None, None, f"not UTF-8 text (byte {exc.start})", hint="save it as UTF-8"
        ) from None
    if not rows:
        raise InputFormatError(
            path, None, None, "empty file; expected a header row such as " + ", ".join(CSV_COLUMNS)
        )
    header = [_header(h) for h in rows[0]]
    if "title" not in header and "item_id" not in header:
        raise InputFormatError(
            path, "line 1", None, "no Summary or Item id column; expected " + ", ".join(CSV_COLUMNS)
        )
    ctx = incidents_of(ws)
    current = {r["item_id"]: r for r in list_items(ws).iter_rows(named=True)}
    added = updated = unchanged = 0
    conflicts: list[str] = []
    warnings: list[str] = []
    rejected: list[dict[str, Any]] = []

    def reject(line: int, field: str | None, reason: str) -> None:
        rejected.append({"file": str(path), "record": line, "field": field, "reason": reason})

    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        got: dict[str, Any] = {}
        labels: list[str] = []
        for name, cell in zip(header, cells, strict=False):
            text = _unsafe(cell.strip())
            if name == "labels":
                labels += text.split()
            elif name:
                got[name] = _value(name, text)
        item_id = got.pop("item_id", None)
        version_text = got.pop("version", None)
        try:
            if item_id:
                old = current.get(item_id)
                if old is None:
                    reject(
                        line,
                        "Item id",
                        f"no action item {item_id!r} in this workspace; remove the id to add it",
                    )
                    continue
                changes = {k: v for k, v in got.items() if _clean(k, v) != old[k]}
                if not changes:
                    unchanged += 1
                    continue
                if version_text and not version_text.isdigit():
                    reject(
                        line, "Version", f"expected the item's version (a whole number), got {version_text!r}"
                    )
                    continue
                version = int(version_text) if version_text else old["version"]
                item = update(ws, item_id, version=version, actor=actor, **changes)
                updated += 1
            else:
                incident = next((x for x in labels if ctx.linked_id(x) is not None), None)
                if incident is None:
                    reject(line, "Labels", f"no known incident id among labels {labels!r} and no Item id")
                    continue
                fields: dict[str, Any] = {
                    k: got.get(k) for k in ("title", "owner", "priority", "due_date", "kind", "link", "notes")
                }
                item = add(ws, incident_id=incident, actor=actor, **fields)
                if got.get("status") not in (None, ItemStatus.pending.value):
                    item = update(ws, item.item_id, version=item.version, actor=actor, status=got["status"])
                added += 1
            warnings.extend(f"line {line}: {w}" for w in item.warnings)
        except ValidationError as exc:
            for field, reason in exc.errors.items():
                reject(line, field, reason)
        except ConflictError as exc:
            conflicts.append(f"line {line}: {exc}")
        except WorkspaceError as exc:
            reject(line, None, str(exc))
    frame = pl.DataFrame(
        rejected, schema={"file": pl.String, "record": pl.Int64, "field": pl.String, "reason": pl.String}
    )
    return CsvResult(added, updated, unchanged, tuple(conflicts), frame, tuple(warnings))
