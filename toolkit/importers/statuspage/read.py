"""Reading Statuspage API v2 responses into raw column batches (the only Python loop).

One JSON document at a time: :func:`read_document` recognises the response (``incidents.json``,
``incidents/unresolved.json``, ``incidents/<id>.json``, ``summary.json``,
``scheduled-maintenances*.json``, ``components.json``, ``status.json``, and the archivers'
variants with sorted keys and ``_meta`` in place of ``page``), checks the structure of each
record (objects, arrays, ids, component names) and appends its raw scalar values to the
columns of a :class:`Batch`. Scalar types and timestamps are checked later, vectorised, by
:mod:`toolkit.importers.statuspage.frames`; this module only does what needs Python.

Each incident or maintenance record gets a ``seq`` number, unique over the whole load and
increasing in file order; its updates carry their parent's ``seq``, so a record that is
rejected later takes its updates with it and "latest snapshot wins" can break ties by file
order.
"""

from __future__ import annotations

from typing import Any

from toolkit.importers._base.common import BadField, Rejects, type_name

__all__ = [
    "MAINTENANCE_STATUSES",
    "REC_STR",
    "REC_TS",
    "SEP",
    "UPD_STR",
    "UPD_TS",
    "Batch",
    "Component",
    "read_document",
]

SEP = "\x1f"
"""Joins component names inside one raw cell (split again by polars, vectorised)."""

REC_STR = ("name", "status", "impact", "shortlink", "postmortem_body")
"""String fields of an incident or maintenance record, checked at flush."""
REC_TS = (
    "created_at",
    "updated_at",
    "started_at",
    "monitoring_at",
    "resolved_at",
    "scheduled_for",
    "scheduled_until",
    "postmortem_published_at",
)
"""Timestamp fields of a record, parsed at flush."""
UPD_STR = ("status", "body")
UPD_TS = ("created_at", "display_at")

REC_COLUMNS = ("seq", "file", "index", "maintenance", "page", "id", "components", *REC_STR, *REC_TS)
_REC_FIELDS = (*REC_STR, *REC_TS)
UPD_COLUMNS = ("seq", "upd", "id", *UPD_STR, *UPD_TS, "updated_at", "affected")

MAINTENANCE_STATUSES = frozenset({"scheduled", "in_progress", "verifying", "completed"})

Component = tuple[
    str, str, str, str | None, str | None, bool | None, int | None, str | None, str | None, str | None
]
"""page, component_id, name, status, group_id, is_group, position, description, created_at, updated_at."""


class Batch:
    """Raw values of a chunk of records and their updates.

    ``rec_rows`` holds one tuple per record in :data:`REC_COLUMNS` order (transposed by
    :meth:`rec`); ``upd`` holds one list per :data:`UPD_COLUMNS` column (appending per
    column is the faster of the two shapes for the many updates).
    """

    def __init__(self) -> None:
        self.rec_rows: list[tuple[Any, ...]] = []
        self.upd: dict[str, list[Any]] = {k: [] for k in UPD_COLUMNS}
        self.upd_appends = tuple(self.upd[k].append for k in UPD_COLUMNS)
        """The ``append`` of each update column, bound once, in UPD_COLUMNS order."""

    @property
    def size(self) -> int:
        """Records plus updates held, to decide when to flush."""
        return len(self.rec_rows) + len(self.upd["seq"])

    def rec(self) -> dict[str, list[Any]]:
        """The records, column by column."""
        if not self.rec_rows:
            return {k: [] for k in REC_COLUMNS}
        return dict(zip(REC_COLUMNS, map(list, zip(*self.rec_rows, strict=True)), strict=True))


def _names(value: object, field: str) -> str | None:
    """Component names of a ``components`` / ``affected_components`` array, joined by SEP."""
    if value is None:
        return None
    if type(value) is not list:
        raise BadField(field, f"expected an array of components, got {type_name(value)}")
    out = []
    for k, comp in enumerate(value):
        if type(comp) is not dict:
            raise BadField(f"{field}[{k}]", f"expected a component object, got {type_name(comp)}")
        name = comp.get("name")
        if type(name) is not str:
            name = comp.get("code")  # affected_components carry the component id as 'code'
            if type(name) is not str:
                raise BadField(f"{field}[{k}].name", f"expected a string, got {type_name(comp.get('name'))}")
        out.append(name)
    return SEP.join(out)


def _is_maintenance(rec: dict[str, Any]) -> bool:
    status = rec.get("status")
    return (
        rec.get("impact") == "maintenance"
        or (type(status) is str and status in MAINTENANCE_STATUSES)
        or rec.get("scheduled_for") is not None
    )


class _Records:
    """Appends the records of one list of one document to a batch."""

    def __init__(self, batch: Batch, rejects: Rejects, *, file: int, display: str, what: str) -> None:
        self.batch, self.rejects, self.file, self.display, self.what = batch, rejects, file, display, what
        # the rejected table has no label column: say what the record is in the reason
        self.prefix = "" if what == "incident" or rejects.strict else f"{what}: "

    def reject(
        self, index: int, rid: object, field: str | None, problem: str, hint: str | None = None
    ) -> None:
        label = f"{self.what} {index}" + (f" ({rid!r})" if isinstance(rid, str) else "")
        self.rejects.add(self.display, index, field, self.prefix + problem, label=label, hint=hint)

    def add(self, items: list[Any], *, page: str | None, seq: int, maintenance: bool | None) -> int:
        """Append ``items``; returns the next free seq number."""
        add_rec = self.batch.rec_rows.append
        u_seq, u_j, u_id, u_status, u_body, u_created, u_display, u_updated, u_aff = self.batch.upd_appends
        for index, rec in enumerate(items):
            if type(rec) is not dict:
                self.reject(index, None, None, f"expected a JSON object, got {type_name(rec)}")
                continue
            get = rec.get
            rid = get("id")
            if type(rid) is not str or not rid:
                self.reject(index, None, "id", f"expected a non-empty id string, got {_shown(rid)}")
                continue
            rec_page = get("page_id")
            if type(rec_page) is not str or not rec_page:
                rec_page = page
            try:
                comps = get("components")
                if comps is not None:
                    try:  # fast path; _names explains what it rejects
                        comps = SEP.join([c["name"] for c in comps])
                    except (TypeError, KeyError):
                        comps = _names(comps, "components")
                updates = get("incident_updates")
                if updates is None:
                    updates = ()
                elif type(updates) is not list:
                    raise BadField(
                        "incident_updates", f"expected an array of updates, got {type_name(updates)}"
                    )
            except BadField as bad:
                self.reject(index, rid, bad.field, bad.problem)
                continue
            maint = _is_maintenance(rec) if maintenance is None else maintenance
            add_rec((seq, self.file, index, maint, rec_page, rid, comps, *map(get, _REC_FIELDS)))
            for j, u in enumerate(updates):
                if type(u) is not dict:
                    self.reject(
                        index, rid, f"incident_updates[{j}]", f"expected an update object, got {type_name(u)}"
                    )
                    continue
                ug = u.get
                uid = ug("id")
                if type(uid) is not str or not uid:
                    self.reject(
                        index,
                        rid,
                        f"incident_updates[{j}].id",
                        f"expected a non-empty id string, got {_shown(uid)}",
                    )
                    continue
                aff = ug("affected_components")
                if aff is not None:
                    try:  # fast path; _names explains (or forgives, with 'code') what it rejects
                        aff = SEP.join([c["name"] for c in aff])
                    except (TypeError, KeyError):
                        try:
                            aff = _names(aff, f"incident_updates[{j}].affected_components")
                        except BadField as bad:
                            self.reject(index, rid, bad.field, bad.problem)
                            continue
                u_seq(seq)
                u_j(j)
                u_id(uid)
                u_status(ug("status"))
                u_body(ug("body"))
                u_created(ug("created_at"))
                u_display(ug("display_at"))
                u_updated(ug("updated_at"))
                u_aff(aff)
            seq += 1
        return seq


def _file_page(doc: dict[str, Any]) -> str | None:
    """The page id a response names for all its records (``page.id``, else ``_meta``)."""
    page = doc.get("page")
    if type(page) is dict and type(page.get("id")) is str and page["id"]:
        return str(page["id"])
    meta = doc.get("_meta")
    if type(meta) is dict:
        for key in ("page_id", "provider"):
            if type(meta.get(key)) is str and meta[key]:
                return str(meta[key])
    return None


def _components(
    items: list[Any], page: str | None, display: str, rejects: Rejects, out: list[Component]
) -> None:
    for k, comp in enumerate(items):
        label = f"component {k}"
        if type(comp) is not dict:
            prefix = "" if rejects.strict else "component: "
            rejects.add(display, k, None, f"{prefix}expected an object, got {type_name(comp)}", label=label)
            continue
        cid, name = comp.get("id"), comp.get("name")
        problem = None
        if type(cid) is not str or not cid:
            problem = ("id", f"expected a non-empty id string, got {_shown(cid)}")
        elif type(name) is not str:
            problem = ("name", f"expected a string, got {type_name(name)}")
        if problem is not None:
            rejects.add(
                display,
                k,
                problem[0],
                problem[1] if rejects.strict else f"component: {problem[1]}",
                label=label,
            )
            continue
        cpage = _str_or_none(comp.get("page_id")) or page
        position = comp.get("position")
        out.append(
            (
                cpage or "unknown",
                str(cid),
                str(name),
                _str_or_none(comp.get("status")),
                _str_or_none(comp.get("group_id")),
                comp.get("group") if type(comp.get("group")) is bool else None,
                position if type(position) is int else None,
                _str_or_none(comp.get("description")),
                _str_or_none(comp.get("created_at")),
                _str_or_none(comp.get("updated_at")),
            )
        )


def _shown(value: object) -> str:
    """A short JSON-ish rendering of a bad scalar for messages: null, 17, 'abc', array."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return repr(value)
    return type_name(value)


def _str_or_none(value: object) -> str | None:
    return value if type(value) is str else None


def _foreign(items: list[Any]) -> bool:
    """Whether an 'incidents' array holds PagerDuty incidents (checked on its first item)."""
    first = items[0] if items else None
    return type(first) is dict and "incident_number" in first and "incident_updates" not in first


def _describe(doc: object) -> str:
    if type(doc) is list:
        kinds = sorted({type_name(v) for v in doc}) or ["nothing"]
        return f"a JSON array of {len(doc)} item(s) ({', '.join(kinds)})"
    if type(doc) is dict:
        keys = ", ".join(repr(k) for k in list(doc)[:6]) + (", ..." if len(doc) > 6 else "")
        return f"a JSON object with keys {keys}" if doc else "an empty JSON object"
    return f"a JSON {type_name(doc)}"


_HINT = (
    "expected a Statuspage API v2 response with 'incidents', 'incident', "
    "'scheduled_maintenances' or 'components'; remove the file or ingest it with its own importer"
)


def read_document(
    doc: object,
    *,
    file: int,
    display: str,
    batch: Batch,
    components: list[Component],
    rejects: Rejects,
    seq: int,
) -> tuple[int, bool]:
    """Append the records of one parsed response to ``batch``.

    Returns the next free ``seq`` and whether the document was a Statuspage response
    at all (a document that is not is rejected here as a whole file).
    """
    if type(doc) is not dict:
        rejects.add(display, None, None, f"not a Statuspage API response: {_describe(doc)}", hint=_HINT)
        return seq, False
    page = _file_page(doc)
    known = False
    lists: list[tuple[str, str, object, bool | None]] = []
    if "incidents" in doc:
        lists.append(("incidents", "incident", doc["incidents"], None))
    if "incident" in doc:
        lists.append(("incident", "incident", [doc["incident"]], None))
    if "scheduled_maintenances" in doc:
        lists.append(("scheduled_maintenances", "scheduled maintenance", doc["scheduled_maintenances"], True))
    if "scheduled_maintenance" in doc:
        lists.append(("scheduled_maintenance", "scheduled maintenance", [doc["scheduled_maintenance"]], True))
    if "incident_updates" in doc and "id" in doc:  # a bare incident object, as some archivers keep it
        lists.append(("incident", "incident", [doc], None))
    for key, what, items, maintenance in lists:
        known = True
        if type(items) is list and _foreign(items):
            rejects.add(
                display,
                None,
                key,
                "looks like a PagerDuty response ('incident_number', no 'incident_updates'), not Statuspage",
                hint="ingest it with the pagerduty importer",
            )
            return seq, False
        if type(items) is not list:
            rejects.add(display, None, key, f"expected an array of {what}s, got {type_name(items)}")
            continue
        reader = _Records(batch, rejects, file=file, display=display, what=what)
        seq = reader.add(items, page=page, seq=seq, maintenance=maintenance)
    if "components" in doc and "incident_updates" not in doc:
        known = True
        items = doc["components"]
        if type(items) is not list:
            rejects.add(
                display, None, "components", f"expected an array of components, got {type_name(items)}"
            )
        else:
            _components(items, page, display, rejects, components)
    if not known and "status" in doc and "page" in doc:
        known = True  # status.json: the page's overall indicator, nothing to tabulate
    if not known:
        rejects.add(display, None, None, f"not a Statuspage API response: {_describe(doc)}", hint=_HINT)
    return seq, known
