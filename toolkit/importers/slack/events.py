"""War rooms to incidents: events, roles and one incident per incident channel.

A channel whose name matches the policy's ``incident_channel_pattern`` is a war room. Its
incident id is the rest of the name after the matched prefix, behind ``INC-``:
``incident-2025-01-15-payment`` -> ``INC-2025-01-15-payment``, ``inc_db_42`` ->
``INC-db_42`` (two channels giving the same id: the second, by name, gets ``-<channel id>``
appended, and a note says so).

Messages become events by the policy's rules (see :mod:`toolkit.importers.slack.rules`),
matched on the rendered text, every rule at once over the whole column with polars.
Further rules, built in:

* **Roles** ("IC: @alice", "Technical Lead: @bob", "@carol (Comms)", "I'm the Incident
  Commander") give ``role_assign`` events and rows of ``slack_roles``
  (:mod:`toolkit.importers.slack.roles`).
* **Summaries**: a message that declares an incident yields only ``declare``, role and
  ``update_promise`` events; one that resolves it (or else is an internal update, or
  relays a status-page update) yields no mitigation, rollback or deploy events: those are
  reports of what happened earlier.
* A message that promises the next update is an ``update`` too (unless it declares or
  resolves). Its ``due_at`` is the promised clock time, in the zone written after it, else
  the zone stated in the incident's declaration ("Started: 10:00 AM PST"), else the
  poster's ``tz``, else UTC, on the day that makes it the nearest time after the message;
  else the message time plus "in N minutes". A clock time wins over a duration.
* **Declarations elsewhere**: a message in another channel (``#incidents``) that matches a
  ``declare`` rule and links a war room (``#incident-…``) is that incident's declaration.
* **Declarations in a thread** outside the war rooms ("SEV4: admin-console slow ... tracking
  in this thread") declare an incident whose war room is the thread
  (:mod:`toolkit.importers.slack.threads`).
* **Reactions**: a war-room message with a timeline reaction (``pushpin``, ``stopwatch``)
  and no other event becomes a ``message`` event.

Messages that follow no template simply produce no events.

Incident fields: ``severity`` is the last declared or changed-to severity (else the
channel topic's ``SEVn``); ``commander`` the last IC named (else whoever first declared,
unless a bot); ``title`` the declaration's **Title:** line or ``/incident start … "title"``,
else the topic's text, else the purpose; ``service`` the declaration's **System:** line
(its ``(slug)`` when it ends in one), else the channel name after the prefix and a date;
``declared_at`` the first declaration; ``started_at``/``detected_at`` the declaration's
**Started:**/**Detected:** lines (the nearest such time at or before the declaration);
``mitigated_at`` the *last* mitigation or rollback up to resolution (an earlier one that
did not hold is followed by another; a decision to roll back precedes its completion);
``resolved_at`` the last resolution unless reopened after; ``status`` resolved, mitigated
or open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from toolkit.clock import promised_times
from toolkit.importers.slack.incidents import declaration_facts, incident_ids, incident_rows, zone_info
from toolkit.importers.slack.prefilter import matches, required_literals
from toolkit.importers.slack.roles import assignments, role_prefilter, role_words
from toolkit.importers.slack.rules import SlackPolicy, ascii_boundaries
from toolkit.importers.slack.table import lookup
from toolkit.importers.slack.threads import thread_incidents
from toolkit.schema import TABLES, UTC, EventKind, Source, Visibility

__all__ = ["ROLES_SCHEMA", "Derived", "derive_incidents", "incident_ids"]

ROLES_SCHEMA = pl.Schema(
    {
        "incident_id": pl.String(),
        "role": pl.String(),
        "user": pl.String(),
        "user_id": pl.String(),
        "at": UTC,
        "ref": pl.String(),
    }
)
"""``slack_roles``: who was named to which role, when, and in which message."""

K = EventKind
_ACTIONS = (K.mitigation, K.rollback, K.deploy)
_SEV = r"(?i)\bsev[- ]?([1-4])\b"
_CHANNEL_LINK = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")
_EVENT_COLS = ("incident_id", "at", "kind", "actor", "text", "ref", "severity", "due_at")
_COMMON = ("incident_id", "at", "ref", pl.col("user").alias("actor"), "text")


@dataclass(frozen=True)
class Derived:
    """What the war rooms say: events, incidents, roles, and the channel -> incident map."""

    events: pl.DataFrame
    incidents: pl.DataFrame
    roles: pl.DataFrame
    channel_incidents: pl.DataFrame
    notes: tuple[str, ...] = ()


def derive_incidents(
    messages: pl.DataFrame,
    channels: pl.DataFrame,
    users: pl.DataFrame,
    *,
    rules: SlackPolicy,
) -> Derived:
    """Events, incidents and roles from the war rooms of one export (see the module docs).

    ``messages`` is the ``slack_messages`` table plus ``raw_text``, the text in Slack markup.
    """
    names = dict(zip(channels["channel_id"].to_list(), channels["channel"].to_list(), strict=True))
    ids, notes = incident_ids(names, rules.incident_channel)
    channel_incidents = pl.DataFrame(
        {"channel_id": list(ids), "is_incident": [True] * len(ids), "incident_id": list(ids.values())},
        schema={"channel_id": pl.String, "is_incident": pl.Boolean, "incident_id": pl.String},
    )
    threads = thread_incidents(messages, ids, declare=[r.fast for r in rules.rules if r.kind == K.declare])
    cand = _candidates(messages, ids, rules, threads)
    user_names = dict(zip(users["user_id"].to_list(), users["user"].to_list(), strict=True))
    roles = _roles(cand, rules, user_names)
    cand = cand.drop("raw_text")  # memory: only roles read the raw text
    facts = declaration_facts(cand, rules)
    events = _events(
        cand, roles, rules, facts, dict(zip(users["user_id"].to_list(), users["tz"].to_list(), strict=True))
    )
    incidents = incident_rows(ids, channels, events, roles, facts, rules, threads=threads)
    return Derived(
        events, incidents.sort("incident_id"), roles.drop("_actor"), channel_incidents, tuple(notes)
    )


def _candidates(
    messages: pl.DataFrame, ids: dict[str, str], rules: SlackPolicy, threads: pl.DataFrame
) -> pl.DataFrame:
    """War-room (and declared threads') messages with one flag per rule, plus declarations
    elsewhere linking a war room."""
    base = messages.select(
        "channel_id", "ts", "at", "user_id", "user", "is_bot", "text", "raw_text", "reactions", "thread_ts"
    )
    text = pl.col("text").fill_null("")
    marked = (
        pl.col("reactions")
        .list.eval(pl.element().struct.field("name").is_in(list(rules.timeline_reactions)))
        .list.any()
    )
    in_war_room = pl.col("channel_id").is_in(list(ids))
    thread_of = dict(zip(threads["ref"].to_list(), threads["incident_id"].to_list(), strict=True))
    thread_key = pl.format("{}/{}", "channel_id", pl.coalesce("thread_ts", "ts"))
    in_thread = thread_key.is_in(list(thread_of)) if thread_of else pl.lit(False)
    inside = base.filter(in_war_room | in_thread).with_columns(_low=text.str.to_lowercase())
    inside = (
        inside.hstack(_rule_flags(inside, rules))
        .with_columns(
            _roles=_names_a_role(rules, pl.col("raw_text").fill_null("")),
            _marked=marked.fill_null(False),
            incident_id=pl.coalesce(lookup(pl.col("channel_id"), ids), lookup(thread_key, thread_of)),
            _outside=pl.lit(False),
        )
        .drop("_low", "reactions")  # memory: used up
    )
    first_declare = next((f"_r{i}" for i, r in enumerate(rules.rules) if r.kind == K.declare), None)
    if first_declare is not None and thread_of:  # a thread's first message is its declaration
        root = in_thread & (pl.col("ts") == pl.coalesce("thread_ts", "ts"))
        inside = inside.with_columns(pl.col(first_declare) | root)
    parts = [inside]
    declare = [i for i, r in enumerate(rules.rules) if r.kind == K.declare]
    outside = base.filter(~in_war_room & pl.col("raw_text").str.contains("<#", literal=True))
    if declare and outside.height:
        outside = outside.with_columns(_low=text.str.to_lowercase())
        outside = outside.filter(pl.any_horizontal(_rule_flags(outside, rules, only=declare)))
        outside = outside.hstack(_rule_flags(outside, rules)).drop("_low", "reactions")
        linked = outside.with_columns(
            incident_id=pl.col("raw_text").map_elements(
                lambda t: [ids[c] for c in dict.fromkeys(_CHANNEL_LINK.findall(t)) if c in ids],
                return_dtype=pl.List(pl.String),
            )
        ).explode("incident_id")
        linked = linked.filter(pl.col("incident_id").is_not_null()).with_columns(
            _roles=_names_a_role(rules, pl.col("raw_text")), _marked=pl.lit(False), _outside=pl.lit(True)
        )
        parts.append(linked.select(inside.columns))
    cand = (
        pl.concat(parts, how="vertical")
        .drop("thread_ts")
        .with_columns(ref=pl.format("{}/{}", "channel_id", "ts"))
    )
    keep = _keep(rules)
    return cand.with_columns(**{f"_k_{kind.value}": expr for kind, expr in keep.items()})


def _rule_flags(frame: pl.DataFrame, rules: SlackPolicy, *, only: list[int] | None = None) -> pl.DataFrame:
    """``_r{i}``: does rule ``i`` match the message (on ``_low`` when it can run lower-cased)?

    Every rule at once, each only on the messages holding a word it needs (see
    :mod:`toolkit.importers.slack.prefilter`).
    """
    patterns = {}
    for i, r in enumerate(rules.rules):
        if only is None or i in only:
            plain = r.lowered_plain
            patterns[f"_r{i}"] = (
                ("_low", ascii_boundaries(plain), required_literals(plain))
                if plain is not None
                else ("text", r.fast, required_literals(r.pattern))
            )
    return matches(frame, patterns)


def _names_a_role(rules: SlackPolicy, raw: pl.Expr) -> pl.Expr:
    """True for every message that may name a role (a superset: :func:`assignments` decides).

    One word of every role name, in any ASCII case, or a letter that folds to ASCII only
    in Unicode (the long s, the Kelvin sign), as the role patterns' ``(?i)`` would take it.
    """
    words = role_words(rules)
    if words is None:
        return raw.str.contains(role_prefilter(rules))
    return raw.str.contains_any(words, ascii_case_insensitive=True) | raw.str.contains_any(
        ["\u017f", "\u212a"]
    )


def _any(rules: SlackPolicy, kind: EventKind) -> pl.Expr:
    cols = [pl.col(f"_r{i}") for i, r in enumerate(rules.rules) if r.kind == kind]
    return pl.any_horizontal(*cols) if cols else pl.lit(False)


def _keep(rules: SlackPolicy) -> dict[EventKind, pl.Expr]:
    """Which rule hits become events, once the summary rules are applied (module docs)."""
    hit = {kind: _any(rules, kind) for kind in {r.kind for r in rules.rules}}
    declare = hit.get(K.declare, pl.lit(False))
    resolve_ = hit.get(K.resolve, pl.lit(False)) & ~declare
    promise = hit.get(K.update_promise, pl.lit(False))
    summary = declare | resolve_
    update = (hit.get(K.update, pl.lit(False)) | promise) & ~summary
    relayed = hit.get(K.status_update, pl.lit(False)) & ~summary
    inside = ~pl.col("_outside")
    keep: dict[EventKind, pl.Expr] = {}
    for kind, expr in hit.items():
        if kind == K.declare or kind == K.update_promise:
            keep[kind] = expr
        elif kind == K.resolve:
            keep[kind] = resolve_ & inside
        elif kind in _ACTIONS:
            keep[kind] = expr & ~summary & ~update & ~relayed & inside
        elif kind in (K.severity_change, K.reopen, K.update, K.status_update):
            keep[kind] = expr & ~summary & inside
        else:
            keep[kind] = expr & ~declare & inside
    keep[K.update] = update & inside
    return keep


def _severity(rules: SlackPolicy, kind: EventKind) -> pl.Expr:
    """``SEVn`` from the first rule of ``kind`` with a ``sev`` group, else the first ``SEVn`` written."""
    text = pl.col("text").fill_null("")
    tries = [
        pl.when(pl.col(f"_r{i}")).then(text.str.extract(r.fast, r.regex.groupindex["sev"]))
        for i, r in enumerate(rules.rules)
        if r.kind == kind and "sev" in r.regex.groupindex
    ]
    digit = pl.coalesce(*tries, text.str.extract(_SEV, 1))
    return pl.when(digit.is_not_null()).then(pl.concat_str(pl.lit("SEV"), digit))


def _events(
    cand: pl.DataFrame,
    roles: pl.DataFrame,
    rules: SlackPolicy,
    facts: pl.DataFrame,
    tz_of: Mapping[str, str | None],
) -> pl.DataFrame:
    schema = TABLES["events"].schema
    keep = {kind: pl.col(f"_k_{kind.value}") for kind in _keep(rules)}
    lazy = cand.lazy()
    none = {"severity": pl.lit(None, pl.String), "due_at": pl.lit(None, dtype=UTC)}
    parts = []
    for kind, expr in sorted(keep.items()):
        sev = _severity(rules, kind) if kind in (K.declare, K.severity_change) else none["severity"]
        parts.append(
            lazy.filter(expr).select(*_COMMON, kind=pl.lit(kind.value), severity=sev, due_at=none["due_at"])
        )
    anything = pl.any_horizontal(*keep.values()) if keep else pl.lit(False)
    parts.append(
        lazy.filter(pl.col("_marked") & ~anything).select(*_COMMON, kind=pl.lit(K.message.value), **none)
    )
    parts.append(
        roles.lazy().select(
            "incident_id",
            "at",
            "ref",
            actor="_actor",
            text=pl.format("{}: {}", "role", "user"),
            kind=pl.lit(K.role_assign.value),
            **none,
        )
    )
    cast = pl.Schema({c: schema[c] for c in _EVENT_COLS})
    events = pl.concat([p.select(_EVENT_COLS).cast(cast) for p in parts], how="vertical").collect()
    events = _with_due(events, cand, rules, facts, tz_of)
    return (
        events.with_columns(source=pl.lit(Source.slack.value), visibility=pl.lit(Visibility.internal.value))
        .select(schema.names())
        .sort("incident_id", "at", "kind", "ref", maintain_order=True)
    )


def _roles(cand: pl.DataFrame, rules: SlackPolicy, names: Mapping[str, str]) -> pl.DataFrame:
    """``slack_roles`` rows (plus the poster, ``_actor``) from the messages naming a role."""
    sub = cand.filter("_roles").select("incident_id", "at", "ref", "user_id", "user", "raw_text")
    found = assignments(sub, rules=rules, names=names)
    return found.select(
        "incident_id", "role", user="name", user_id="who", at="at", ref="ref", _actor="user"
    ).cast(pl.Schema({**ROLES_SCHEMA, "_actor": pl.String()}))


def _with_due(
    events: pl.DataFrame,
    cand: pl.DataFrame,
    rules: SlackPolicy,
    facts: pl.DataFrame,
    tz_of: Mapping[str, str | None],
) -> pl.DataFrame:
    """Fill ``due_at`` of ``update_promise`` events (see the module docs)."""
    flags = [f"_r{i}" for i, r in enumerate(rules.rules) if r.kind == K.update_promise]
    tries = [
        pl.when(pl.col(flag)).then(
            pl.col("text").str.extract(f"((?:{rules.rules[int(flag[2:])].fast})[^\\n]*)", 1)
        )
        for flag in flags
    ]
    if not tries:
        return events
    stated = {iid: rules.zone(z) for iid, z in facts.select("incident_id", "zone").iter_rows() if z}
    promises = (
        cand.filter(pl.any_horizontal(flags))  # the lines are extracted only where a rule matched
        .select("incident_id", "ref", "at", "user_id", line=pl.coalesce(*tries))
        .filter(pl.col("line").is_not_null())
        .unique(["incident_id", "ref"], keep="first", maintain_order=True)
        .with_columns(
            zone=pl.coalesce(
                pl.col("incident_id").replace_strict(stated, default=None, return_dtype=pl.String),
                pl.col("user_id").replace_strict(dict(tz_of), default=None, return_dtype=pl.String),
            )
        )
    )
    valid = {z for z in promises["zone"].drop_nulls().unique().to_list() if zone_info(z) is not None}
    promises = promises.with_columns(zone=pl.when(pl.col("zone").is_in(list(valid))).then("zone"))
    known = {abbr: zone for abbr, zone in rules.time_zones.items()}
    lookup = promises.select("incident_id", "ref", _due=promised_times(promises, known=known))
    # Only promises get a due time: join those alone (no two share incident, kind and
    # ref, so moving them after the others changes nothing once the events are sorted).
    is_promise = pl.col("kind") == K.update_promise.value
    due = (
        events.filter(is_promise)
        .join(lookup, on=["incident_id", "ref"], how="left", maintain_order="left")
        .with_columns(due_at=pl.col("_due"))
        .drop("_due")
    )
    return pl.concat([events.filter(~is_promise), due], how="vertical")
