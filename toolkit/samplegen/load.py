"""Read the scenario files (``toolkit/samplegen/scenario/``) into :class:`~.model.Scenario`.

The folder holds ``people.toml`` (people and bots), ``services.toml``, ``chatter.toml``
(export time, ordinary channels, messages outside incidents) and one file per incident in
``incidents/``, read in file-name order. Every time is written as people write it, a
wall-clock time with its zone: ``"2025-01-15 10:05 PST"`` or ``"2025-01-15 10:05:40 PST"``
(:func:`parse_time`). An incident file has:

- ``id``, ``title``, ``service`` (a ``services.toml`` key), ``sources``, ``quirks``;
- ``[severity]``: ``declared`` and ``final`` (absent if never declared), ``true`` (what
  the seed's decision tree gives, checked against :func:`toolkit.policy.explain_severity`
  on ``inputs``) and ``inputs``, the tree's inputs;
- ``[times]``: ``started``, ``detected``, ``declared``, ``acknowledged``, ``mitigated``,
  ``resolved`` (absent while open);
- ``[response]`` (absent if nobody responded): ``commander``, ``roles`` (role → person
  key), ``mitigation`` strategy;
- ``[war_room]``: the channel's ``name``, ``id``, ``purpose``, ``archived``, ``creator``;
- ``[cadence]``: ``internal_gaps_min`` (declaration → each war-room update → resolution),
  ``public_gaps_min`` (between status-page updates), ``first_public_update``;
- ``[[promise]]``: ``made``, ``due``, ``answered`` (the next update or the resolution),
  ``kept`` (answered by due + 5 min), ``late_min``; a pending promise has only the first two;
- ``[postmortem]``: ``file``, ``meeting`` and what the document says: ``severity``,
  ``commander``, ``timeline_rows``, ``timeline_first``, ``timeline_last``, ``whys``,
  ``action_items``;
- ``[pagerduty]``: ``id``, ``number``, ``title``, ``urgency``, ``priority``,
  ``analytics_overrides`` and ``log`` (``at``, ``type``, ``who``, ``via``, ``note``, ``level``);
- ``[statuspage]``: ``id``, ``name``, ``impact``, ``postmortem_published``,
  ``postmortem_body`` and ``[[statuspage.update]]`` (``at``, ``status``, ``components``, ``body``);
- ``[[message]]``: ``at``, ``author``, ``text``, ``channel`` (default: the war room, else
  ``incidents``), ``kind``, ``key``, ``reply_to``, ``subtype``, ``as_user``,
  ``attachment``, ``file``, ``edited``, ``pinned_by``, ``reactions`` (emoji → people).

Unknown keys are errors, so a typo cannot silently fall back to a default.

Examples
--------
>>> story = load_scenario()
>>> [i.incident_id for i in story.incidents][:2]
['INC-2025-01-06-search', 'INC-2025-01-09-notifications']
>>> parse_time("2025-01-15 10:05 PST").isoformat()
'2025-01-15T18:05:00+00:00'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, cast, get_args

from toolkit.errors import InputFormatError
from toolkit.schema import EventKind, ItemStatus, Priority, Role, Severity

from ._toml import Table, parse_time, read_toml
from .accounts import COMPONENTS
from .model import (
    ActionItem,
    Bot,
    Cadence,
    Channel,
    Impact,
    Incident,
    Message,
    PageEntry,
    PageEntryType,
    Paging,
    Person,
    Postmortem,
    Promise,
    Scenario,
    Service,
    SeverityInputs,
    Source,
    StatusIncident,
    StatusName,
    StatusUpdate,
)

__all__ = ["SCENARIO_DIR", "load_scenario", "parse_time"]

SCENARIO_DIR = Path(__file__).parent / "scenario"
"""The bundled story: ``people.toml``, ``services.toml``, ``chatter.toml``, ``incidents/``."""

_SEVERITIES = tuple(s.value for s in Severity)
_SOURCES: tuple[str, ...] = get_args(Source)
_ENTRY_TYPES: tuple[str, ...] = get_args(PageEntryType)
_STATUSES: tuple[str, ...] = get_args(StatusName)
_IMPACTS: tuple[str, ...] = get_args(Impact)
_ROLES = tuple(r.value for r in Role)
_PRIORITIES = tuple(p.value for p in Priority)
_ITEM_STATUSES = tuple(s.value for s in ItemStatus)
_SUBTYPES = ("channel_join", "channel_topic", "channel_archive")
_COMPONENT_STATUSES = (
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
)
_KINDS = tuple(k.value for k in EventKind)


def _people(t: Table) -> tuple[tuple[Person, ...], tuple[Bot, ...]]:
    people = []
    for r in t.rows("person"):
        people.append(
            Person(
                key=r.text("key"),
                slack_id=r.text("slack_id"),
                real_name=r.text("name"),
                title=r.text("title"),
                pd_id=r.text("pagerduty_id", None),
                is_bot=r.get("bot", bool, False),
                deleted=r.get("deleted", bool, False),
            )
        )
        r.done()
    bots = []
    for r in t.rows("bot"):
        bots.append(
            Bot(r.text("key"), r.text("bot_id"), r.text("app_id"), r.text("name"), r.text("user_id", None))
        )
        r.done()
    t.done()
    return tuple(people), tuple(bots)


def _services(t: Table) -> tuple[Service, ...]:
    out = []
    for r in t.rows("service"):
        out.append(Service(r.text("key"), r.text("pagerduty_id"), r.text("name"), r.text("component", None)))
        r.done()
    t.done()
    return tuple(out)


def _channel(r: Table) -> Channel:
    ch = Channel(
        name=r.text("name"),
        channel_id=r.text("id"),
        purpose=r.text("purpose"),
        is_general=r.get("general", bool, False),
        archived=r.get("archived", bool, False),
        creator=r.text("creator", None),
    )
    r.done()
    return ch


def _message(r: Table, channel: str | None) -> Message:
    reactions = r.get("reactions", dict, {})
    for emoji, who in reactions.items():
        if not isinstance(who, list) or not all(isinstance(w, str) for w in who):
            raise r.error("reactions", f"{emoji}: expected a list of person keys, got {who!r}")
    where = r.text("channel", channel)
    if where is None:
        raise r.error("channel", "missing (this file has no war room)")
    msg = Message(
        at=r.time("at"),
        author=r.text("author"),
        text=r.text("text", ""),
        channel=where,
        kind=r.choice("kind", _KINDS, "message"),
        key=r.text("key", None),
        reply_to=r.text("reply_to", None),
        reactions=tuple((emoji, tuple(who)) for emoji, who in reactions.items()),
        pinned_by=r.text("pinned_by", None),
        edited_at=r.time("edited", None),
        subtype=r.choice("subtype", _SUBTYPES, None),
        attachment=r.text("attachment", None),
        file=r.text("file", None),
        as_user=r.get("as_user", bool, False),
    )
    r.done()
    return msg


def _chatter(t: Table) -> tuple[datetime, tuple[Channel, ...], tuple[Message, ...]]:
    exported = t.time("exported_at")
    channels = tuple(_channel(r) for r in t.rows("channel"))
    messages = tuple(_message(r, None) for r in t.rows("message"))
    t.done()
    return exported, channels, messages


def _inputs(s: Table) -> SeverityInputs:
    raw = s.sub("inputs")
    if raw is None:
        return SeverityInputs()
    names = SeverityInputs.__dataclass_fields__
    values: dict[str, Any] = {}
    for key in raw.data:
        if key not in names:
            raise raw.error(key, f"not an input of the decision tree ({', '.join(names)})")
        kind = bool if names[key].type == "bool" else (int, float)
        values[key] = raw.get(key, kind)
    return SeverityInputs(**values)


def _paging(p: Table) -> Paging:
    entries = []
    for r in p.rows("log"):
        entries.append(
            PageEntry(
                at=r.time("at"),
                type=r.choice("type", _ENTRY_TYPES),
                who=r.text("who", None),
                via=r.text("via", ""),
                note=r.text("note", ""),
                level=r.get("level", int, None),
            )
        )
        r.done()
    overrides = p.sub("analytics_overrides")
    paging = Paging(
        pd_id=p.text("id"),
        number=p.get("number", int),
        title=p.text("title"),
        urgency=p.choice("urgency", ("high", "low")),
        priority=p.text("priority", None),
        entries=tuple(entries),
        analytics_overrides=tuple((k, overrides.get(k, int)) for k in overrides.data) if overrides else (),
    )
    p.done()
    return paging


def _status_page(s: Table) -> StatusIncident:
    updates = []
    for r in s.rows("update"):
        comps = r.get("components", dict, {})
        for key, new in comps.items():
            if key not in COMPONENTS or new not in _COMPONENT_STATUSES:
                raise r.error(
                    "components",
                    f"{key} = {new!r}: expected a component among {', '.join(COMPONENTS)} "
                    f"with a status among {', '.join(_COMPONENT_STATUSES)}",
                )
        updates.append(
            StatusUpdate(r.time("at"), r.choice("status", _STATUSES), r.text("body"), tuple(comps.items()))
        )
        r.done()
    out = StatusIncident(
        sp_id=s.text("id"),
        name=s.text("name"),
        impact=s.choice("impact", _IMPACTS),
        updates=tuple(updates),
        postmortem_body=s.text("postmortem_body", None),
        postmortem_published_at=s.time("postmortem_published", None),
    )
    s.done()
    return out


def _postmortem(p: Table) -> Postmortem:
    items = []
    for r in p.rows("action_items"):
        items.append(
            ActionItem(
                Priority(r.choice("priority", _PRIORITIES)),
                r.text("owner"),
                r.get("due", date),
                ItemStatus(r.choice("status", _ITEM_STATUSES)),
            )
        )
        r.done()
    out = Postmortem(
        file=p.text("file"),
        meeting_at=p.time("meeting"),
        severity=Severity(p.choice("severity", _SEVERITIES)),
        commander=p.text("commander"),
        timeline_rows=p.get("timeline_rows", int),
        timeline_first=p.time("timeline_first"),
        timeline_last=p.time("timeline_last"),
        whys=p.get("whys", int),
        action_items=tuple(items),
    )
    p.done()
    return out


def _cadence(c: Table | None) -> Cadence:
    if c is None:
        return Cadence()

    def gaps(key: str) -> tuple[float, ...]:
        values = c.get(key, list, [])
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise c.error(key, f"expected a list of minutes, got {values!r}")
        return tuple(float(v) for v in values)

    out = Cadence(gaps("internal_gaps_min"), gaps("public_gaps_min"), c.time("first_public_update", None))
    c.done()
    return out


def _promise(r: Table) -> Promise:
    late = r.get("late_min", (int, float), None)
    out = Promise(
        made_at=r.time("made"),
        due_at=r.time("due"),
        answered_at=r.time("answered", None),
        kept=r.get("kept", bool, None),
        late_min=None if late is None else float(late),
    )
    r.done()
    if (out.answered_at is None) != (out.kept is None) or (out.kept is None) != (out.late_min is None):
        raise r.error("answered", "give answered, kept and late_min together (or none while pending)")
    return out


def _incident(t: Table) -> Incident:
    sev = t.sub("severity", "severity")
    times = t.sub("times", "times")
    if sev is None or times is None:
        raise t.error(None, "needs the tables [severity] and [times]")
    resp = t.sub("response", "response") or Table(t.path, "response", {})
    inputs = _inputs(sev)
    declared, final = (sev.choice(k, _SEVERITIES, None) for k in ("declared", "final"))
    true = Severity(sev.choice("true", _SEVERITIES))
    computed, why = inputs.explain()
    if computed != true:
        raise sev.error("true", f"the decision tree gives {computed} on these inputs ({why}), not {true}")
    sev.done()
    roles = resp.get("roles", dict, {})
    if not all(role in _ROLES and isinstance(who, str) for role, who in roles.items()):
        raise resp.error("roles", f"expected role = person key with roles among {', '.join(_ROLES)}")
    war = t.sub("war_room", "war_room")
    war_room = _channel(war) if war else None
    page, status, pm = (
        t.sub("pagerduty", "pagerduty"),
        t.sub("statuspage", "statuspage"),
        t.sub("postmortem", "postmortem"),
    )
    default_channel = war_room.name if war_room else "incidents"
    sources = t.strings("sources")
    for s in sources:
        if s not in _SOURCES:
            raise t.error("sources", f"expected sources among {', '.join(_SOURCES)}, got {s!r}")
    inc = Incident(
        incident_id=t.text("id"),
        title=t.text("title"),
        service=t.text("service"),
        declared_severity=None if declared is None else Severity(declared),
        final_severity=None if final is None else Severity(final),
        true_severity=true,
        inputs=inputs,
        commander=resp.text("commander", None),
        roles=tuple(roles.items()),
        started_at=times.time("started"),
        detected_at=times.time("detected"),
        declared_at=times.time("declared", None),
        acknowledged_at=times.time("acknowledged", None),
        mitigated_at=times.time("mitigated", None),
        resolved_at=times.time("resolved", None),
        mitigation=resp.text("mitigation", None),
        war_room=war_room,
        sources=cast(tuple[Source, ...], sources),
        quirks=t.strings("quirks"),
        messages=tuple(_message(r, default_channel) for r in t.rows("message")),
        paging=_paging(page) if page else None,
        status_page=_status_page(status) if status else None,
        postmortem=_postmortem(pm) if pm else None,
        cadence=_cadence(t.sub("cadence", "cadence")),
        promises=tuple(_promise(r) for r in t.rows("promise")),
    )
    for table in (times, resp, t):
        table.done()
    return inc


def _check_references(story: Scenario, files: Sequence[Path]) -> None:
    """Every person, service, channel and reply a file names exists."""
    people = {p.key for p in story.people} | {b.key for b in story.bots}
    channels = {c.name for c in story.channels}
    services = {s.key for s in story.services}
    for path, inc in zip(files, story.incidents, strict=True):

        def bad(record: str, key: str, problem: str, path: Path = path) -> InputFormatError:
            return InputFormatError(path, record, key, problem, "see toolkit/samplegen/load.py")

        if inc.postmortem and not (story.folder / "postmortems" / inc.postmortem.file).is_file():
            raise bad(
                "postmortem", "file", f"no file {inc.postmortem.file!r} in {story.folder / 'postmortems'}"
            )
        if inc.service not in services:
            raise bad("incident", "service", f"unknown service {inc.service!r} (services.toml)")
        named = [("response", "commander", inc.commander), *(("response", "roles", w) for _, w in inc.roles)]
        keys = {m.key for m in inc.messages if m.key}
        for n, m in enumerate(inc.messages, 1):
            named += [(f"message {n}", "author", m.author), (f"message {n}", "pinned_by", m.pinned_by)]
            named += [(f"message {n}", "reactions", w) for _, who in m.reactions for w in who]
            if m.channel not in channels:
                raise bad(f"message {n}", "channel", f"unknown channel {m.channel!r}")
            if m.reply_to is not None and m.reply_to not in keys:
                raise bad(f"message {n}", "reply_to", f"no message of this incident has key {m.reply_to!r}")
        if inc.paging:
            named += [(f"pagerduty.log {n}", "who", e.who) for n, e in enumerate(inc.paging.entries, 1)]
        for record, key, who in named:
            if who is not None and who not in people:
                raise bad(record, key, f"unknown person {who!r} (people.toml)")


def _check_unique(story: Scenario, files: Sequence[Path]) -> None:
    seen: dict[str, str] = {}
    for path, inc in zip(files, story.incidents, strict=True):
        for label, value in [
            ("id", inc.incident_id),
            ("war_room.id", inc.war_room.channel_id if inc.war_room else None),
            ("pagerduty.id", inc.paging.pd_id if inc.paging else None),
            ("statuspage.id", inc.status_page.sp_id if inc.status_page else None),
        ]:
            if value is None:
                continue
            if value in seen:
                raise InputFormatError(path, None, label, f"{value!r} is used by {seen[value]} too")
            seen[value] = inc.incident_id


def load_scenario(folder: Path = SCENARIO_DIR) -> Scenario:
    """Read a scenario folder into a :class:`~.model.Scenario` (cached per folder).

    Raises :class:`~toolkit.errors.InputFormatError` naming the file, the record and
    the key of the first problem found.

    Examples
    --------
    >>> story = load_scenario()
    >>> len(story.incidents), story.incident("INC-2025-01-15-payment").true_severity
    (13, <Severity.SEV1: 'SEV1'>)
    """
    return _load(Path(folder).resolve())


@cache
def _load(folder: Path) -> Scenario:
    people, bots = _people(read_toml(folder / "people.toml"))
    services = _services(read_toml(folder / "services.toml"))
    exported, ordinary, chatter = _chatter(read_toml(folder / "chatter.toml"))
    files = sorted((folder / "incidents").glob("*.toml"))
    incidents = [_incident(read_toml(path)) for path in files]
    rooms = tuple(i.war_room for i in incidents if i.war_room is not None)
    story = Scenario(people, bots, services, ordinary + rooms, tuple(incidents), chatter, exported, folder)
    _check_unique(story, files)
    _check_references(story, files)
    return story
