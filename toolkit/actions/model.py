"""What an action item is: :class:`ActionItem`, the fields people edit, and the frame columns.

An item is one row of the ``action_items`` table of :mod:`toolkit.schema` plus what the
store keeps about it: who created and last changed it, whether its post-mortem document
still lists it, and the per-source incident id it was recorded under.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

import polars as pl

from toolkit.schema import ItemStatus, table

__all__ = [
    "EDITABLE_FIELDS",
    "ITEM_SCHEMA",
    "OPEN_STATUSES",
    "ActionItem",
    "login_name",
]

EDITABLE_FIELDS = ("incident_id", "title", "owner", "priority", "due_date", "status", "kind", "link", "notes")
"""Fields :func:`toolkit.actions.update` may change (``version`` and the timestamps follow)."""

OPEN_STATUSES = (ItemStatus.pending.value, ItemStatus.in_progress.value)
"""Statuses of an item still to be done."""

ITEM_SCHEMA = pl.Schema(
    {
        **table("action_items").schema,
        "source_incident_id": pl.String(),  # the incident id as recorded (a per-source id when imported)
        "created_by": pl.String(),
        "updated_by": pl.String(),
        "removed_from_source": pl.Boolean(),  # imported, and its document no longer lists it
    }
)
"""Columns of :func:`toolkit.actions.list_items` (``incident_id`` is the linked incident's id)."""


def login_name() -> str:
    """Who is editing: the login name (``$USER`` when the system has none), else ``"unknown"``."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - containers without a passwd entry
        return os.environ.get("USER") or "unknown"


@dataclass(frozen=True)
class ActionItem:
    """One action item as stored (frozen; change it with :func:`toolkit.actions.update`).

    ``warnings`` carries what was accepted with a reservation (an owner the workspace does
    not know); nothing is raised for it, since a team name is a fine owner.

    Examples
    --------
    >>> item = ActionItem.from_row({"item_id": "AI-1", "incident_id": "INC-1", "title": "Add alert",
    ...                             "status": "pending", "version": 1})
    >>> item.is_open, item.version
    (True, 1)
    """

    item_id: str
    incident_id: str
    title: str
    status: str
    version: int
    owner: str | None = None
    priority: str | None = None
    due_date: date | None = None
    kind: str | None = None
    link: str | None = None
    notes: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    source: str | None = None
    ref: str | None = None
    source_incident_id: str | None = None
    created_by: str | None = None
    updated_by: str | None = None
    removed_from_source: bool = False
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any], *, warnings: tuple[str, ...] = ()) -> ActionItem:
        """An item from a row of :func:`toolkit.actions.list_items` (unknown keys ignored)."""
        names = {f.name for f in fields(cls)} - {"warnings"}
        values = {k: v for k, v in row.items() if k in names}
        values["removed_from_source"] = bool(values.get("removed_from_source"))
        return cls(**values, warnings=warnings)

    @property
    def is_open(self) -> bool:
        """Pending or in progress."""
        return self.status in OPEN_STATUSES

    def values(self) -> dict[str, Any]:
        """The editable fields as a dict (what a form shows)."""
        return {name: getattr(self, name) for name in EDITABLE_FIELDS}
