"""Add, change, complete, reopen, delete and list action items.

Every change carries the ``version`` of the item it was based on; when someone saved a
newer one meanwhile, nothing is written and :class:`~toolkit.errors.ConflictError` names
the item, your version, the current one, who changed it and when. Values are validated
first (:mod:`toolkit.actions.validate`); all problems are raised together as a
:class:`~toolkit.actions.validate.ValidationError`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl

from toolkit.actions import store
from toolkit.actions.incidents import Incidents, incidents_of
from toolkit.actions.model import EDITABLE_FIELDS, ITEM_SCHEMA, OPEN_STATUSES, ActionItem, login_name
from toolkit.actions.sync import import_token, sync_if_needed
from toolkit.actions.validate import FieldError, ValidationError, check, parse_priority, parse_status
from toolkit.errors import ArgumentError, WorkspaceError
from toolkit.schema import ItemStatus, Priority, Source
from toolkit.store import Workspace
from toolkit.store.edits import now

__all__ = [
    "add",
    "as_of_date",
    "complete",
    "default_due_date",
    "delete",
    "get",
    "list_items",
    "load",
    "reopen",
    "update",
]


def as_of_date(as_of: date | datetime | None) -> date:
    """The day ``as_of`` falls on in UTC (today when None)."""
    if as_of is None:
        return datetime.now(UTC).date()
    if isinstance(as_of, datetime):
        return (as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)).astimezone(UTC).date()
    return as_of


def load(ws: Workspace, *, ctx: Incidents | None = None, deleted: bool = False) -> pl.DataFrame:
    """Every stored item with its linked incident id (:data:`~toolkit.actions.model.ITEM_SCHEMA`).

    Merges re-imported post-mortems first (see :mod:`toolkit.actions.sync`). A workspace
    without a database shows its imported items as they are (nothing is created).
    """
    if not _synced(ws):
        rows = ws.table("action_items", edited=False).with_columns(
            source_incident_id=pl.col("incident_id"),
            created_by=pl.lit(None, pl.String),
            updated_by=pl.lit(None, pl.String),
            removed_from_source=pl.lit(False),
        )
        return (ctx or incidents_of(ws)).link(rows).select(ITEM_SCHEMA.names())
    with store.reading(ws) as db:
        rows = store.item_frame(db, deleted=deleted)
    linked = (ctx or incidents_of(ws)).link(rows)
    cols = ITEM_SCHEMA.names() + (["deleted_at"] if deleted else [])
    return linked.select(cols).sort("incident_id", "created_at", "priority", "title", "item_id")


def _synced(ws: Workspace) -> bool:
    """Merge re-imported items if the imports changed; False when there is no database yet."""
    with store.reading(ws) as db:
        if db is None:
            return False
        hit = db.execute("SELECT token FROM action_items_sync WHERE id = 1").fetchone()
    if (hit[0] if hit else None) != import_token(ws):
        with store.writing(ws, actor=login_name()) as w:
            sync_if_needed(ws, w)
    return True


def get(ws: Workspace, item_id: str, *, ctx: Incidents | None = None) -> ActionItem:
    """The item ``item_id`` as stored now (raises :class:`WorkspaceError` when there is none)."""
    row = None
    if _synced(ws):
        with store.reading(ws) as db:
            assert db is not None
            cur = db.execute(
                f"SELECT {', '.join(store.COLUMNS)} FROM action_items WHERE item_id = ?", (item_id,)
            )
            hit = cur.fetchone()
        row = None if hit is None else dict(zip(store.COLUMNS, hit, strict=True))
    if row is None or row["deleted_at"] is not None:
        raise WorkspaceError(
            f"action item {item_id}: no such item in this workspace (deleted or never added)"
        )
    return _item(row, ctx or incidents_of(ws), [])


def default_due_date(
    ws: Workspace, incident_id: str, priority: Priority | str, *, ctx: Incidents | None = None
) -> date:
    """The policy's due date for a new item: its incident's resolution (today while the
    incident is open) plus ``[actions.due_days]`` of the priority (P0 3, P1 10, P2 30, P3 90 days)."""
    ctx = ctx or incidents_of(ws)
    try:
        days = ws.policy.action_due_days[parse_priority(priority)]
    except FieldError as exc:
        raise ArgumentError(f"priority: {exc}") from None
    return (ctx.resolved_on(incident_id) or as_of_date(None)) + timedelta(days=days)


def _raise(item: str, errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(item, errors)


def add(
    ws: Workspace,
    *,
    incident_id: str,
    title: str,
    owner: str,
    priority: Priority | str,
    due_date: date | str | None = None,
    kind: str | None = None,
    link: str | None = None,
    notes: str | None = None,
    actor: str | None = None,
) -> ActionItem:
    """Add an action item to incident ``incident_id`` (status pending, version 1).

    ``due_date`` defaults from the policy by priority (:func:`default_due_date`); ``actor``
    (who adds it, for the audit trail) defaults to the login name. An owner the workspace
    does not know is kept, with a warning in ``ActionItem.warnings``.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> item = add(ws, incident_id="INC-2025-01-15-payment-service-outage", title="Alert on pool usage",
    ...            owner="SRE Team", priority="P1", actor="alice")
    >>> item.due_date, item.version, item.status
    (datetime.date(2025, 1, 25), 1, 'pending')
    >>> item.warnings
    ("owner 'SRE Team' is not a person this workspace knows; kept as written (a team is fine)",)
    """
    ctx = incidents_of(ws)
    values: dict[str, Any] = {
        "incident_id": incident_id,
        "title": title,
        "owner": owner,
        "priority": priority,
    }
    values |= {"due_date": due_date, "kind": kind, "link": link, "notes": notes}
    clean, errors, warnings = check(values, ctx)
    _raise(f"new action item on {incident_id}", errors)
    if clean["due_date"] is None:
        clean["due_date"] = default_due_date(ws, clean["incident_id"], clean["priority"], ctx=ctx)
    row = store.to_sql(
        {
            **clean,
            "priority": clean["priority"].value,
            "item_id": f"AI-{uuid.uuid4().hex[:12]}",
            "status": ItemStatus.pending.value,
            "source": Source.manual.value,
        }
    )
    with store.writing(ws, actor=login_name() if actor is None else actor) as w:
        sync_if_needed(ws, w)
        stored = w.insert(row)
    return _item(stored, ctx, warnings)


def _item(stored: dict[str, Any], ctx: Incidents, warnings: list[str]) -> ActionItem:
    row = store.from_sql(stored)
    row["source_incident_id"] = row["incident_id"]
    row["incident_id"] = ctx.linked_id(row["incident_id"]) or row["incident_id"]
    return ActionItem.from_row(row, warnings=tuple(warnings))


def update(
    ws: Workspace, item_id: str, *, version: int, actor: str | None = None, **changes: Any
) -> ActionItem:
    """Change fields of item ``item_id``, based on its version ``version``.

    Fields: ``incident_id, title, owner, priority, due_date, status, kind, link, notes``
    (``status`` takes the aliases "open" and "won't do"; done sets ``completed_at``, leaving
    done clears it). A stale ``version`` raises :class:`~toolkit.errors.ConflictError` and
    writes nothing; no actual change writes nothing either.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> item = add(ws, incident_id="INC-2025-01-15-payment-service-outage", title="Alert on pool usage",
    ...            owner="alice", priority="P1", actor="alice")
    >>> item = update(ws, item.item_id, version=item.version, actor="bob", status="in progress")
    >>> item.status, item.version, item.updated_by
    ('in_progress', 2, 'bob')
    >>> update(ws, item.item_id, version=1, actor="carol", notes="late")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toolkit.errors.ConflictError: action item AI-...: changed by bob at ... (now version 2; your edit is based on version 1); reload and edit again
    """
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ArgumentError(
            f"action item {item_id}: cannot change {', '.join(unknown)}; fields: {', '.join(EDITABLE_FIELDS)}"
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise ArgumentError(
            f"action item {item_id}: version: expected the item's version (int), got {version!r}"
        )
    ctx = incidents_of(ws)
    current = get(ws, item_id, ctx=ctx)
    started = ctx.started_on(current.source_incident_id or current.incident_id)
    clean, errors, warnings = check(changes, ctx, started=started)
    if "due_date" not in changes and "incident_id" in clean and current.due_date is not None:
        new_start = ctx.started_on(clean["incident_id"])
        if new_start is not None and current.due_date < new_start:
            errors["due_date"] = (
                f"{current.due_date.isoformat()} is before incident {clean['incident_id']} started "
                f"({new_start.isoformat()}); change the due date too"
            )
    _raise(f"action item {item_id}", errors)
    with store.writing(ws, actor=login_name() if actor is None else actor) as w:
        sync_if_needed(ws, w)
        before = w.current(item_id, version=version)
        stored = w.change(before, store.to_sql(_plain(clean)))
    return _item(stored, ctx, warnings)


def _plain(clean: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.value if isinstance(v, Priority | ItemStatus) else v) for k, v in clean.items()}


def complete(ws: Workspace, item_id: str, *, version: int, actor: str | None = None) -> ActionItem:
    """Mark item ``item_id`` done (``completed_at`` now); see :func:`update`.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> item = add(ws, incident_id="INC-2025-01-15-payment-service-outage", title="Alert on pool usage",
    ...            owner="alice", priority="P1", actor="alice")
    >>> done = complete(ws, item.item_id, version=item.version, actor="bob")
    >>> done.status, done.completed_at == done.updated_at
    ('done', True)
    """
    return update(ws, item_id, version=version, actor=actor, status=ItemStatus.done)


def reopen(
    ws: Workspace,
    item_id: str,
    *,
    version: int,
    actor: str | None = None,
    status: ItemStatus | str = "pending",
) -> ActionItem:
    """Reopen a done or cancelled item (``status`` pending, or in_progress); clears ``completed_at``.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> item = add(ws, incident_id="INC-2025-01-15-payment-service-outage", title="Alert on pool usage",
    ...            owner="alice", priority="P1", actor="alice")
    >>> done = complete(ws, item.item_id, version=item.version, actor="bob")
    >>> again = reopen(ws, done.item_id, version=done.version, actor="carol")
    >>> again.status, again.completed_at, again.version
    ('pending', None, 3)
    """
    try:
        target = parse_status(status)
    except FieldError as exc:
        raise ValidationError(f"action item {item_id}", {"status": str(exc)}) from None
    if target.value not in OPEN_STATUSES:
        raise ArgumentError(
            f"action item {item_id}: status: reopen to pending or in_progress, got {status!r}"
        )
    current = get(ws, item_id)
    if current.is_open and current.version == version:
        raise ArgumentError(
            f"action item {item_id}: is {current.status}, not done or cancelled; nothing to reopen"
        )
    return update(ws, item_id, version=version, actor=actor, status=target)


def delete(ws: Workspace, item_id: str, *, version: int, actor: str | None = None) -> None:
    """Delete item ``item_id`` (based on ``version``): hidden everywhere, kept in the audit
    trail, and not brought back by re-importing its post-mortem.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> item = add(ws, incident_id="INC-2025-01-15-payment-service-outage", title="Alert on pool usage",
    ...            owner="alice", priority="P1", actor="alice")
    >>> delete(ws, item.item_id, version=item.version, actor="bob")
    >>> item.item_id in list_items(ws)["item_id"].to_list()
    False
    """
    with store.writing(ws, actor=login_name() if actor is None else actor) as w:
        sync_if_needed(ws, w)
        before = w.current(item_id, version=version)
        stamp = now()
        w.change(before, {"deleted_at": stamp}, stamp=stamp)


def _statuses(status: str | ItemStatus | Iterable[str | ItemStatus]) -> list[str]:
    many = [status] if isinstance(status, str) else list(status)
    try:
        return [parse_status(s).value for s in many]
    except FieldError as exc:
        raise ArgumentError(f"status: {exc}") from None


def list_items(
    ws: Workspace,
    *,
    incident_id: str | None = None,
    status: str | ItemStatus | Iterable[str | ItemStatus] | None = None,
    overdue: bool | None = None,
    as_of: date | datetime | None = None,
) -> pl.DataFrame:
    """The workspace's action items, one row each, under their linked incident ids.

    ``incident_id`` may be the linked id or any per-source id of the incident; ``status``
    one status or several (aliases allowed); ``overdue=True`` keeps items open and due
    before ``as_of`` (default today, UTC), ``False`` the others. Columns:
    :data:`~toolkit.actions.model.ITEM_SCHEMA` (``source_incident_id`` is the id as
    recorded, ``removed_from_source`` marks items their document no longer lists).

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> from datetime import date
    >>> late = list_items(ws, incident_id="INC-2025-01-15-payment-service-outage", overdue=True,
    ...                   as_of=date(2025, 2, 10))
    >>> late.select("priority", "due_date", "status").rows()
    [('P1', datetime.date(2025, 1, 25), 'in_progress'), ('P2', datetime.date(2025, 2, 1), 'pending')]
    """
    ctx = incidents_of(ws)
    rows = load(ws, ctx=ctx)
    if incident_id is not None:
        rows = rows.filter(pl.col("incident_id") == (ctx.linked_id(incident_id) or incident_id))
    if status is not None:
        rows = rows.filter(pl.col("status").is_in(_statuses(status)))
    if overdue is not None:
        late = pl.col("status").is_in(OPEN_STATUSES) & (pl.col("due_date") < as_of_date(as_of))
        rows = rows.filter(late.fill_null(False) if overdue else ~late.fill_null(False))
    return rows
