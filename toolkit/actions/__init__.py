"""Action items as a real store, and whether they get done.

Items live in the workspace's SQLite database as a plain table (``action_items``: one
column per field, every change in the audit trail), so two analysts editing at once never
lose an edit: each change carries the version it was based on, and a stale one raises
:class:`~toolkit.errors.ConflictError` instead of overwriting. Items imported from
post-mortem documents are merged in, without duplicates, keeping the edits made since.
:func:`follow_through` measures them; :func:`to_csv` and :func:`from_csv` move them to and
from a tracker (Jira's CSV import maps the columns directly).

Examples
--------
>>> import tempfile
>>> from toolkit.store import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.ingest("data/sample/postmortems")
>>> from datetime import date
>>> from toolkit import actions
>>> item = actions.add(ws, incident_id="INC-2025-01-15-payment-service-outage",
...                    title="Alert at 80% pool use", owner="alice", priority="P1", actor="alice")
>>> item = actions.complete(ws, item.item_id, version=item.version, actor="bob")
>>> item.status, item.version
('done', 2)
>>> actions.list_items(ws).height, actions.list_items(ws, overdue=True, as_of=date(2025, 3, 1)).height
(15, 7)
>>> print(actions.follow_through(ws, as_of=date(2025, 3, 1)).summary().splitlines()[0])  # today's item is after as_of
As of 2025-03-01: 14 action items, 7 open (7 overdue), completion 50%.
"""

from __future__ import annotations

from toolkit.actions.csvio import CsvResult, from_csv, to_csv
from toolkit.actions.follow_through import FollowThrough, analyse, follow_through
from toolkit.actions.incidents import Incidents, incidents_of
from toolkit.actions.items import (
    add,
    complete,
    default_due_date,
    delete,
    get,
    list_items,
    reopen,
    update,
)
from toolkit.actions.model import EDITABLE_FIELDS, ITEM_SCHEMA, ActionItem, login_name
from toolkit.actions.validate import KINDS, ValidationError, check

__all__ = [
    "EDITABLE_FIELDS",
    "ITEM_SCHEMA",
    "KINDS",
    "ActionItem",
    "CsvResult",
    "FollowThrough",
    "Incidents",
    "ValidationError",
    "add",
    "analyse",
    "check",
    "complete",
    "default_due_date",
    "delete",
    "follow_through",
    "from_csv",
    "get",
    "incidents_of",
    "list_items",
    "login_name",
    "reopen",
    "to_csv",
    "update",
]
