"""What was known about an incident at a moment: :func:`facts`, a pure function of the timeline.

The moment ``at`` counts to the second (war-room times carry sub-second noise, so a
message stamped 10:05:00.051 is known at "10:05"). Before the incident is resolved only
the records made by then count, and only the war room's own records (a post-mortem's
timeline rows describe the past; they are not what the war room knew). From the
resolution on, the post-mortem's account of the whole incident counts as well (see
:class:`~toolkit.comms.model.Facts`).

Examples
--------
>>> from datetime import UTC, datetime
>>> from toolkit.timeline import Timeline
>>> facts(Timeline.empty(), "INC-1", at=datetime(2025, 1, 15, tzinfo=UTC))
Traceback (most recent call last):
...
toolkit.errors.ArgumentError: no incident 'INC-1' in this timeline
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from toolkit.analysis.cadence import internal_updates
from toolkit.comms.fields import stated
from toolkit.comms.fmt import Zone
from toolkit.comms.model import PHASES, Facts, Item, Person, Step, phase_of
from toolkit.comms.records import Records, Row
from toolkit.comms.rows import timeline_rows
from toolkit.errors import ArgumentError
from toolkit.policy import Policy
from toolkit.schema import Severity
from toolkit.timeline import Timeline
from toolkit.timeline.mitigation import completed, strategy

__all__ = ["facts"]

_ROLE_ORDER = ("IC", "TL", "Comms", "Scribe", "SME")
_STEP_KINDS = ("mitigation", "rollback", "deploy")
_UPDATE_NO = re.compile(r"#\s*(\d{1,4})")
_POSTMORTEM = re.compile(r"(?i)post-?mortem[^:]*:\s*(?P<when>.+)")
_PRIORITY = {"P0": 0, "P1": 1, "P2": 2, "P3": 3}


def _second(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(microsecond=0)


def _first_line(text: str | None, limit: int = 200) -> str:
    line = next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _first_sentence(text: str, limit: int = 300) -> str:
    """The first sentence of a paragraph whose lines may be wrapped."""
    flat = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'])", flat, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _unmark(text: str) -> str:
    """Post-mortem Markdown as plain words: bold and code markers dropped."""
    return re.sub(r"\*\*|__|`", "", text).strip()


def _events(timeline: Timeline, incident_id: str, at: datetime) -> pl.DataFrame:
    """The war room's own events (not only a post-mortem's), known at ``at``, oldest first."""
    live = pl.col("sources").list.eval(pl.element() != "postmortem").list.any()
    return (
        timeline.events.filter((pl.col("incident_id") == incident_id) & live)
        .filter(pl.col("at").dt.truncate("1s") <= at)
        .sort("at", "kind")
        .with_columns(_done=completed(), _strategy=strategy())
    )


def _people(timeline: Timeline) -> tuple[dict[str, str], set[str], frozenset[str]]:
    """person_id → name, the ids of bots, and every name, handle and e-mail of the people."""
    names: dict[str, str] = {}
    bots: set[str] = set()
    staff: set[str] = set()
    for r in timeline.people.iter_rows(named=True):
        names[r["person_id"]] = r["name"] or r["person_id"]
        if r["is_bot"]:
            bots.add(r["person_id"])
        staff.update(v for col in ("display_names", "emails", "aliases") for v in r[col] or [] if v)
        staff.add(r["name"] or "")
    staff.update(p for p in timeline.roles["person"].drop_nulls().to_list())
    return names, bots, frozenset(s for s in staff if len(s.strip()) >= 2)


def _roles(
    timeline: Timeline, incident_id: str, at: datetime, *, retro: bool, names: dict[str, str]
) -> dict[str, tuple[Person, ...]]:
    rows = timeline.roles.filter(pl.col("incident_id") == incident_id)
    known = pl.col("assigned_at").dt.truncate("1s") <= at
    rows = rows.filter(known | (pl.col("assigned_at").is_null() & pl.lit(retro)))
    out: dict[str, tuple[Person, ...]] = {}
    for role in _ROLE_ORDER:
        held: dict[str, Person] = {}
        part = rows.filter(pl.col("role") == role).sort("assigned_at", nulls_last=False)
        for r in part.iter_rows(named=True):
            key = r["person_id"] or r["person"]
            slack = r["source"] == "slack"
            before = held.pop(key, None)
            person = Person(names.get(r["person_id"], r["person"]), r["person"] if slack else None)
            if before is not None and before.handle and not person.handle:
                person = before
            held[key] = person
        if held:
            out[role] = tuple(held.values())
    return out


def _severity(events: pl.DataFrame, inc: dict[str, Any]) -> str | None:
    said = events.filter(pl.col("kind").is_in(["declare", "severity_change"]))["severity"].drop_nulls()
    found = said[-1] if said.len() else inc["declared_severity"] or inc["severity"]
    return None if found is None else str(found)


def _phase(f: dict[str, Any], posts: Iterable[str], steps: list[Step], cause: str | None) -> str:
    derived = 0
    if f["resolved_at"] is not None:
        derived = 3
    elif f["mitigated_at"] is not None:
        derived = 2
    elif steps or cause:
        derived = 1
    posted = max((PHASES.index(phase_of(p)) for p in posts), default=0)
    return PHASES[max(derived, posted)]


def _grid(at: datetime, minutes: int, zone: str) -> datetime:
    """The next time after ``at`` on the local clock's ``minutes`` grid (10:05 + 15 → 10:15)."""
    local = at.astimezone(Zone(zone).tz)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    done = int((local - midnight).total_seconds() // 60)
    return (midnight + timedelta(minutes=(done // minutes + 1) * minutes)).astimezone(at.tzinfo)


def _whys_root(timeline: Timeline, incident_id: str) -> str | None:
    w = timeline.whys.filter(
        (pl.col("incident_id") == incident_id) & pl.col("is_root_cause").fill_null(False)
    )
    return w["answer"][0] if w.height and w["answer"][0] else None


def _section(timeline: Timeline, incident_id: str, name: str) -> list[str]:
    s = timeline.sections.filter((pl.col("incident_id") == incident_id) & (pl.col("section") == name))
    return [_unmark(t) for t in s.sort("position")["text"].to_list() if t and t.strip()]


def _items(frame: pl.DataFrame | None, incident_id: str) -> tuple[Item, ...]:
    if frame is None or not frame.height:
        return ()
    rows = frame.filter(pl.col("incident_id") == incident_id).iter_rows(named=True)
    items = [Item(r["title"], r["owner"], r["priority"], r["status"], r["kind"], r["due_date"]) for r in rows]
    return tuple(sorted(items, key=lambda i: (_PRIORITY.get(i.priority or "", 9), i.title)))


def _responders(
    roles: dict[str, tuple[Person, ...]], events: pl.DataFrame, bots: set[str], names: dict[str, str]
) -> tuple[Person, ...]:
    ic = {p.name for p in roles.get("IC", ())}
    seen: dict[str, Person] = {}
    for role in _ROLE_ORDER[1:]:
        for p in roles.get(role, ()):
            seen.setdefault(p.name, p)
    busy = events.filter(pl.col("kind").is_in([*_STEP_KINDS, "message"]) & pl.col("person_id").is_not_null())
    for r in busy.iter_rows(named=True):
        if r["person_id"] in bots:
            continue
        name = names.get(r["person_id"], r["actor"])
        handle = r["actor"] if "slack" in r["sources"] else None
        seen.setdefault(name, Person(name, handle))
    return tuple(p for n, p in seen.items() if n not in ic)


def _updates(
    timeline: Timeline, iid: str, ev: pl.DataFrame, at: datetime, declared_at: datetime | None
) -> tuple[int, datetime | None, datetime | None, bool]:
    """The number of the update at ``at``, the last update (or declaration) before it, and the
    next update a pending promise names (``Next update: 10:30 AM``), if any.

    War-room updates are those of :func:`toolkit.analysis.cadence.internal_updates`; the
    declaration counts as update #1 unless the last update states its own number.
    """
    posted = internal_updates(timeline.restrict([iid])).filter(pl.col("at").dt.truncate("1s") < at)
    updates = ev.filter(pl.col("kind") == "update").join(
        posted.collect(), on=["incident_id", "at"], how="semi"
    )
    declared = declared_at is not None and declared_at < at
    number = updates.height + int(declared) + 1
    if updates.height and (m := _UPDATE_NO.search(_first_line(updates["text"][-1]))):
        number = int(m.group(1)) + 1
    times = [*updates["at"].to_list(), declared_at if declared else None]
    last = max((t for t in times if t is not None), default=None)
    due = ev.filter(
        (pl.col("kind") == "update_promise") & (pl.col("visibility") == "internal") & (pl.col("due_at") > at)
    )["due_at"]
    return number, last, (due[-1] if due.len() else None), due.len() > 0


def facts(
    timeline: Timeline,
    incident_id: str,
    *,
    at: datetime,
    policy: Policy | None = None,
    records: Records | None = None,
    items: pl.DataFrame | None = None,
) -> Facts:
    """What was known about incident ``incident_id`` (any of its ids) at ``at`` (module docs).

    ``records`` are its source records (:func:`toolkit.comms.records.read_records`),
    ``items`` its action items (default: the timeline's).
    """
    policy = policy or Policy.default()
    rec = records or Records()
    iid = timeline.linked_id(incident_id)
    if iid is None:
        raise ArgumentError(f"no incident {incident_id!r} in this timeline")
    at = at.replace(microsecond=0)
    inc = timeline.incidents.filter(pl.col("incident_id") == iid).row(0, named=True)
    f = {m: v if (v := _second(inc[m])) is not None and v <= at else None for m in (
        "started_at", "detected_at", "declared_at", "mitigated_at", "resolved_at", "postmortem_at")}  # fmt: skip
    retro = f["resolved_at"] is not None
    ev = _events(timeline, iid, at)
    names, bots, staff = _people(timeline)
    said = stated(ev.filter(pl.col("visibility") == "internal")["text"].drop_nulls().to_list())

    def one(label: str) -> str | None:
        return " ".join(said[label]) if label in said else None

    start = f["started_at"] or f["detected_at"] or f["declared_at"]
    steps = [
        Step(
            r["at"],
            _first_line(r["text"]),
            bool(r["_done"]),
            "deploy" if r["kind"] == "deploy" else r["_strategy"],
        )
        for r in ev.filter(pl.col("kind").is_in(_STEP_KINDS)).iter_rows(named=True)
        if start is None or r["at"] >= start
    ]
    whys_root = _whys_root(timeline, iid) if retro else None
    pm_cause = next(iter(_section(timeline, iid, "root_cause")), None) if retro else None
    pm_cause = _first_sentence(pm_cause) if pm_cause else None
    root_cause = one("root cause") or pm_cause or whys_root
    posts = tuple(p for p in rec.posts if p.at.replace(microsecond=0) <= at)
    severity = _severity(ev, inc)
    sev = policy.severities.get(Severity(severity)) if severity in set(Severity) else None
    cadence = None if sev is None else (sev.update_min_minutes or sev.update_max_minutes)
    phase = _phase(f, (p.phase for p in posts), steps, one("root cause"))

    number, last, next_at, promised = _updates(timeline, iid, ev, at, f["declared_at"])
    if next_at is None and cadence and phase != "Resolved":
        next_at = _grid(at, cadence, policy.team.time_zone)

    next_steps = said.get("next steps", ())
    pm_said = next((m.group("when").strip() for s in next_steps if (m := _POSTMORTEM.search(s))), None)
    components = tuple(inc["components"] or ()) or rec.public_components
    system = one("system") or (
        f"{inc['service']} ({', '.join(components)})" if inc["service"] and components else inc["service"]
    )
    roles = _roles(timeline, iid, at, retro=retro, names=names)
    commander = (
        roles["IC"][-1]
        if roles.get("IC")
        else (Person(inc["commander"]) if retro and inc["commander"] else None)
    )
    causes = [c for c in (pm_cause or one("root cause"), whys_root) if c]
    public = bool(posts) or retro
    return Facts(
        incident_id=iid,
        at=at,
        retrospective=retro,
        severity=severity,
        title=inc["title"],
        service=inc["service"],
        components=components,
        system=system,
        war_room=inc["war_room"],
        bridge=one("bridge") or policy.comms.bridge_url or None,
        started_at=f["started_at"],
        detected_at=f["detected_at"],
        declared_at=f["declared_at"],
        mitigated_at=f["mitigated_at"],
        resolved_at=f["resolved_at"],
        postmortem_at=f["postmortem_at"],
        phase=phase,
        roles=roles,
        commander=commander,
        responders=_responders(roles, ev, bots, names),
        impact=said.get("impact", ()),
        impact_report=tuple(_section(timeline, iid, "impact")) if retro else (),
        users_affected_pct=inc["users_affected_pct"] if retro else None,
        update_number=number,
        last_update_at=last,
        next_update_at=next_at,
        next_update_promised=promised,
        cadence_minutes=cadence,
        stakeholder_updates=sev.stakeholder_updates if sev else True,
        investigation=said.get("investigation", ()),
        mitigation=said.get("mitigation", ()),
        findings=tuple(
            Row(r["at"], _first_line(r["text"]))
            for r in ev.filter(pl.col("kind") == "message").tail(3).iter_rows(named=True)
        ),
        steps=tuple(steps[-6:]),
        root_cause=root_cause,
        root_causes=tuple(dict.fromkeys(causes)),
        resolution=one("resolution"),
        outcome=said.get("outcome", ()),
        next_steps=next_steps,
        postmortem_said=pm_said,
        postmortem_due=None if f["resolved_at"] is None else inc["resolved_at"] + policy.postmortem_due,
        stable_minutes=policy.mitigation_stable_minutes,
        items=_items(timeline.action_items if items is None else items, iid) if retro else (),
        posts=posts,
        public_title=rec.public_title if public else None,
        public_components=rec.public_components if public else (),
        public_link=rec.public_link if public else None,
        public_postmortem=rec.public_postmortem
        if rec.public_postmortem and rec.public_postmortem.at.replace(microsecond=0) <= at
        else None,
        timeline=timeline_rows(ev, posts, rec, retro=retro, severity=severity, names=names),
        staff=staff,
    )
