"""PagerDuty REST v2 response shapes, as typed msgspec Structs, and how bad records are found.

Every REST v2 response we read (``GET /incidents`` pages, ``GET /incidents/{id}``,
``GET /log_entries``, ``GET /incidents/{id}/log_entries``, ``GET /log_entries/{id}``,
``GET /incidents/{id}/notes``, ``GET /incidents/{id}/alerts``, and JSON arrays of such
pages) is decoded straight into :class:`Page`: only the fields declared here are read
(the rest of each object is skipped without building Python objects for it), and each
is checked for its JSON type. That keeps a big export close to the speed of parsing it.

When a file does not decode as a whole (one record is not an object, a field holds an
object where text belongs, ...), :func:`sanitize` takes the parsed document apart and
converts each record on its own, so that only the bad records are rejected — each with
the field at fault — and the others are kept. Fields are all optional here; which ones
a record must have (an id, a timestamp) is checked afterwards on whole columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import msgspec

from toolkit.importers._base.common import type_name

__all__ = [
    "KINDS",
    "PAGES_DECODER",
    "PAGE_DECODER",
    "PAGE_KEYS",
    "Alert",
    "Incident",
    "Kind",
    "LogEntry",
    "Note",
    "Page",
    "Problem",
    "bare_kind",
    "incident_from_path",
    "is_page",
    "sanitize",
]


class Name(msgspec.Struct, gc=False, frozen=True):
    """A ``*_reference`` (user, service, team, ...) of which we use the display name."""

    summary: str | None = None


class Agent(msgspec.Struct, gc=False, frozen=True):
    """A log entry's agent: its name and its kind (``user_reference``, ``service_reference``)."""

    summary: str | None = None
    type: str | None = None


class Ref(msgspec.Struct, gc=False, frozen=True):
    """An ``incident_reference``: id and "[#1234] title" summary."""

    id: str | None = None
    summary: str | None = None


NO_NAME = Name()
NO_AGENT = Agent()
NO_REF = Ref()
"""Stand for absent references, so that columns can be read with C-level getters."""


class Priority(msgspec.Struct, gc=False, frozen=True):
    summary: str | None = None
    name: str | None = None


NO_PRIORITY = Priority()


class Assignment(msgspec.Struct, gc=False, frozen=True):
    at: str | None = None
    assignee: Name | None = None


class Acknowledgement(msgspec.Struct, gc=False, frozen=True):
    at: str | None = None
    acknowledger: Name | None = None


class ResolveReason(msgspec.Struct, gc=False, frozen=True):
    type: str | None = None
    incident: Ref | None = NO_REF


NO_REASON = ResolveReason()


class Incident(msgspec.Struct, gc=False):
    """An incident (``GET /incidents``, ``GET /incidents/{id}``)."""

    id: str | None = None
    incident_number: int | None = None
    title: str | None = None
    summary: str | None = None
    status: str | None = None
    urgency: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    last_status_change_at: str | None = None
    resolved_at: str | None = None
    service: Name | None = NO_NAME
    escalation_policy: Name | None = NO_NAME
    priority: Priority | None = NO_PRIORITY
    teams: list[Name] | None = None
    assignments: list[Assignment] | None = None
    acknowledgements: list[Acknowledgement] | None = None
    resolve_reason: ResolveReason | None = NO_REASON
    html_url: str | None = None
    incident_key: str | None = None


class Notification(msgspec.Struct, gc=False, frozen=True):
    type: str | None = None


NO_NOTIFICATION = Notification()


class Channel(msgspec.Struct, gc=False, frozen=True):
    type: str | None = None
    summary: str | None = None
    notification: Notification | None = NO_NOTIFICATION


NO_CHANNEL = Channel()


class LogEntry(msgspec.Struct, gc=False):
    """A log entry of any ``*_log_entry`` type."""

    id: str | None = None
    type: str | None = None
    summary: str | None = None
    created_at: str | None = None
    agent: Agent | None = NO_AGENT
    channel: Channel | None = NO_CHANNEL
    incident: Ref | None = NO_REF
    service: Name | None = NO_NAME
    user: Name | None = NO_NAME
    assignees: list[Name] | None = None
    note: str | None = None


class Note(msgspec.Struct, gc=False):
    """A note of ``GET /incidents/{id}/notes`` (``incident`` is absent in PagerDuty's shape)."""

    id: str | None = None
    content: str | None = None
    created_at: str | None = None
    user: Name | None = NO_NAME
    incident: Ref | None = NO_REF


class Alert(msgspec.Struct, gc=False):
    """An alert of ``GET /incidents/{id}/alerts``."""

    id: str | None = None
    summary: str | None = None
    created_at: str | None = None
    status: str | None = None
    severity: str | None = None
    service: Name | None = NO_NAME
    integration: Name | None = NO_NAME
    incident: Ref | None = NO_REF


class Page(msgspec.Struct, gc=False):
    """One REST v2 response: any of the lists or single objects, and the paging fields."""

    incidents: list[Incident] | None = None
    incident: Incident | None = None
    log_entries: list[LogEntry] | None = None
    log_entry: LogEntry | None = None
    notes: list[Note] | None = None
    alerts: list[Alert] | None = None
    limit: int | None = None
    offset: int | None = None
    more: bool | None = None
    total: int | None = None
    id: Any = None
    type: Any = None
    """A record's own keys: a page never has them (a bare log entry has ``incident`` too)."""

    def has_records(self) -> bool:
        """Whether this is a page we read: a page key present, and no record's own keys."""
        if self.id is not None or self.type is not None:
            return False
        return not (
            self.incidents is None
            and self.incident is None
            and self.log_entries is None
            and self.log_entry is None
            and self.notes is None
            and self.alerts is None
        )


PAGE_DECODER = msgspec.json.Decoder(Page)
PAGES_DECODER = msgspec.json.Decoder(list[Page])


@dataclass(frozen=True)
class Kind:
    """One kind of record: how people call it, its page keys and its Struct."""

    name: str
    many: str
    one: str | None
    struct: type[msgspec.Struct]


KINDS: tuple[Kind, ...] = (
    Kind("incident", "incidents", "incident", Incident),
    Kind("log entry", "log_entries", "log_entry", LogEntry),
    Kind("note", "notes", None, Note),
    Kind("alert", "alerts", None, Alert),
)

PAGE_KEYS = frozenset(k.many for k in KINDS) | frozenset(k.one for k in KINDS if k.one)
"""Top-level keys that make an object a REST v2 page we read."""


def records(page: Page, kind: Kind) -> list[Any] | None:
    """The records of ``kind`` in a page (the list, then the single object), or None."""
    many = getattr(page, kind.many)
    one = getattr(page, kind.one) if kind.one else None
    if one is None:
        return many  # type: ignore[no-any-return]
    return [*(many or []), one]


# --- the careful path -------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A bad record (or, with ``record`` None, a bad page-level field) found by :func:`sanitize`."""

    record: int | None
    label: str | None
    field: str | None
    reason: str


_AT = re.compile(r"^(?P<problem>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_EXPECTED = re.compile(r"^Expected `(?P<want>[^`]*)`, got `(?P<got>[^`]*)`$")
_WANT = {
    "str": "text",
    "int": "a whole number",
    "bool": "true or false",
    "object": "an object",
    "array": "an array",
}


def _explain(err: msgspec.ValidationError, what: str) -> tuple[str | None, str]:
    """msgspec's 'Expected `str | null`, got `int` - at `$.agent.summary`' as (field, reason)."""
    m = _AT.match(str(err))
    problem = m.group("problem") if m else str(err)
    field = ((m.group("path") or "") if m else "").lstrip(".") or None
    e = _EXPECTED.match(problem)
    if e is None:
        return field, problem.replace("`", "")
    want = e.group("want").removesuffix(" | null")
    got = {"str": "text", "float": "a fractional number", "int": "a whole number", "bool": "true/false"}.get(
        e.group("got"), e.group("got")
    )
    if field is None and want == "object":
        return None, f"expected {article(what)} object, got {got}"
    return field, f"expected {_WANT.get(want, want)}, got {got}"


def article(noun: str) -> str:
    """``noun`` with 'a' or 'an' ("an incident", "a log entry")."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def is_page(doc: Any) -> bool:
    """Whether ``doc`` is an object with a REST v2 page key we read (and is not a bare record)."""
    return isinstance(doc, dict) and not PAGE_KEYS.isdisjoint(doc) and "id" not in doc and "type" not in doc


def bare_kind(doc: Any) -> Kind | None:
    """The kind of a bare record, or of a JSON array of them (``[{"type": "incident", ...}]``)."""
    return _bare_kind(doc if isinstance(doc, list) else [doc])


def _bare_kind(items: list[Any]) -> Kind | None:
    """The kind of a JSON array of bare records (``[{"type": "incident", ...}]``), if it is one."""
    first = next((x for x in items if isinstance(x, dict)), None)
    if first is None:
        return None
    t = first.get("type")
    if t == "incident" or (t is None and "incident_number" in first):
        return KINDS[0]
    if isinstance(t, str) and t.endswith("_log_entry"):
        return KINDS[1]
    return None


@dataclass
class CleanPage:
    """A page rebuilt record by record: good records as Structs, with their numbers."""

    page: int
    paging: dict[str, Any]
    records: dict[str, list[tuple[int, Any]]]
    sizes: dict[str, int]
    """Records per page key (``incidents``, ...), bad ones included, for the paging check."""


def sanitize(doc: Any) -> tuple[list[CleanPage], list[Problem], bool]:
    """Convert a parsed REST v2 document record by record, keeping the good ones.

    Returns the pages (each kind's good records with their numbers), the problems found,
    and whether the document was an array of pages (record labels then name the page).
    Record numbers run over all records of one kind in the file, in order, as in the
    fast path. A bare incident or log entry, or a JSON array of them, is read as one page.

    Examples
    --------
    >>> pages, problems, _ = sanitize({"incidents": [{"id": "P1"}, {"id": "P2", "service": "x"}]})
    >>> [n for n, _ in pages[0].records["incident"]], [(p.record, p.field) for p in problems]
    ([0], [(1, 'service')])
    """
    problems: list[Problem] = []
    bare = None
    if isinstance(doc, list):
        bare = None if any(is_page(x) for x in doc) else _bare_kind(doc)
        raw_pages: list[Any] = [{bare.many: doc}] if bare is not None else doc
    else:
        bare = None if is_page(doc) else _bare_kind([doc])
        raw_pages = [{bare.many: [doc]} if bare is not None else doc]
    paged = isinstance(doc, list) and bare is None
    counters = {k.name: 0 for k in KINDS}
    pages: list[CleanPage] = []
    for p, page in enumerate(raw_pages):
        where = f"page {p}" if paged else None
        if not is_page(page):
            keys = f" with keys {', '.join(sorted(page)[:6])}" if isinstance(page, dict) else ""
            problems.append(
                Problem(
                    p,
                    where or f"page {p}",
                    None,
                    'expected a PagerDuty REST v2 page such as {"incidents": [...]}, '
                    f"got {type_name(page)}{keys}",
                )
            )
            continue
        clean = CleanPage(p, _paging(page), {}, {})
        for kind in KINDS:
            items = _items(page, kind, problems, where)
            if items is None:
                continue
            clean.sizes[kind.many] = len(items)
            good: list[tuple[int, Any]] = []
            for rec in items:
                i = counters[kind.name]
                counters[kind.name] += 1
                try:
                    good.append((i, msgspec.convert(rec, kind.struct)))
                except msgspec.ValidationError as err:
                    field, reason = _explain(err, kind.name)
                    label = f"{where}, {kind.name} {i}" if where else f"{kind.name} {i}"
                    problems.append(Problem(i, label, field, reason))
            clean.records[kind.name] = good
        pages.append(clean)
    return pages, problems, paged


def _paging(page: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, typ in (("limit", int), ("offset", int), ("more", bool), ("total", int)):
        value = page.get(key)
        ok = isinstance(value, typ) and (typ is bool or not isinstance(value, bool))
        out[key] = value if ok else None  # paging fields only feed a completeness note
    return out


def _items(page: dict[str, Any], kind: Kind, problems: list[Problem], where: str | None) -> list[Any] | None:
    many = page.get(kind.many)
    if many is not None and not isinstance(many, list):
        problems.append(
            Problem(
                None, where, kind.many, f"expected an array of {kind.name} objects, got {type_name(many)}"
            )
        )
        many = None
    one = page.get(kind.one) if kind.one else None
    if many is None and one is None:
        return None
    return [*(many or []), *([one] if one is not None else [])]


# --- which incident a file belongs to ----------------------------------------------------

_ID = r"[A-Z0-9]{5,20}"
_ENDPOINT = r"(?:notes|alerts|log_entries)"
_PATH_PATTERNS = (
    # incidents/PT4KHLK/notes.json, incidents_PT4KHLK_notes.json, incidents-PT4KHLK-alerts.page2.json
    re.compile(rf"(?:^|/)incidents[/_-]({_ID})[/_.-]{_ENDPOINT}(?:[/_.-]|$)"),
    # PT4KHLK/notes.json, PT4KHLK_notes.json, PT4KHLK.alerts.json
    re.compile(rf"(?:^|[/_.-])({_ID})[/_.-]{_ENDPOINT}(?:[/_.-]|$)"),
    # notes_PT4KHLK.json, alerts-PT4KHLK.json
    re.compile(rf"(?:^|/){_ENDPOINT}[_.-]({_ID})(?:[/_.-]|$)"),
)


def incident_from_path(name: str) -> str | None:
    """The PagerDuty incident id a file's path names, as in ``incidents/{id}/notes.json``.

    Used for notes, alerts and log entries whose records carry no ``incident`` reference
    (PagerDuty's notes endpoint never does).

    Examples
    --------
    >>> incident_from_path("export/incidents/PT4KHLK/notes.json")
    'PT4KHLK'
    >>> incident_from_path("PT4KHLK_alerts.json"), incident_from_path("notes.json")
    ('PT4KHLK', None)
    """
    for pattern in _PATH_PATTERNS:
        m = pattern.search(name)
        if m:
            return m.group(1)
    return None
