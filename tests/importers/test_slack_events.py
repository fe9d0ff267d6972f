"""War rooms to incidents: the hand-written war-room fixture, the sample's ground truth, rules.

``tests/fixtures/slack/warroom`` is a small hand-written export (March 2025, PST = UTC-8)
with one war room per rule family: ``incident-2025-03-04-db`` (template declaration,
every role shape, upgrade, rollback, failover, update with a promise, reactions, IC
hand-off, deploy, resolution), ``inc_2025-03-05_notifications`` (no zone stated: the
poster's ``tz``), ``incident-2025-03-06-quiet`` (no template at all) and
``incident-2025-03-07-cache`` (``/incident start`` bot echo, resolved then reopened).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from toolkit import load_slack
from toolkit.clock import find_clock, find_duration, promised_times, resolve
from toolkit.errors import PolicyError
from toolkit.importers.slack import SlackExport
from toolkit.importers.slack.events import incident_ids
from toolkit.importers.slack.roles import find_roles
from toolkit.importers.slack.rules import SlackPolicy
from toolkit.policy import Policy

ROOT = Path(__file__).parents[2]
WARROOM = Path(__file__).parents[1] / "fixtures" / "slack" / "warroom"
SAMPLE = ROOT / "data" / "sample" / "slack" / "acme-slack-export.zip"
PST = ZoneInfo("America/Los_Angeles")
RULES = SlackPolicy.from_policy(Policy.default())


def utc(day: int, hh: int, mm: int, ss: int = 0, us: int = 100) -> datetime:
    return datetime(2025, 3, day, hh, mm, ss, us, tzinfo=UTC)


@pytest.fixture(scope="module")
def war() -> SlackExport:
    return load_slack(WARROOM)


def _kinds(export: SlackExport, incident: str) -> list[tuple[datetime, str]]:
    ev = export.events.filter(pl.col("incident_id") == incident)
    return list(ev.select("at", "kind").iter_rows())


def test_warroom_incidents(war: SlackExport) -> None:
    rows = {r["incident_id"]: r for r in war.incidents.iter_rows(named=True)}
    assert sorted(rows) == [
        "INC-2025-03-04-db",
        "INC-2025-03-05_notifications",
        "INC-2025-03-06-quiet",
        "INC-2025-03-07-cache",
    ]
    db = rows["INC-2025-03-04-db"]
    assert {k: db[k] for k in list(db)[:16]} == {
        "incident_id": "INC-2025-03-04-db",
        "source": "slack",
        "ref": "C11DB",
        "title": "Orders DB write latency",  # **Title:** line
        "severity": "SEV1",  # declared SEV2, upgraded
        "computed_severity": None,
        "status": "resolved",
        "service": "orders-db",  # **System:** Orders database (orders-db)
        "commander": "Bob Martinez",  # "IC is now @bob" hand-off; Bob has no display name
        "started_at": utc(4, 17, 40, 0, 0),  # 9:40 AM PST
        "detected_at": utc(4, 17, 52, 0, 0),  # 9:52 AM, zone from the declaration
        "declared_at": utc(4, 18, 0),
        "acknowledged_at": None,
        "mitigated_at": utc(4, 18, 20),  # the last of rollback 18:10, 18:14 and failover 18:20
        "resolved_at": utc(4, 19, 0),
        "postmortem_at": None,
    }
    ntf = rows["INC-2025-03-05_notifications"]
    assert (ntf["severity"], ntf["commander"], ntf["title"], ntf["service"], ntf["status"]) == (
        "SEV4",
        "Bob Martinez",
        "Push notification delays",
        "notifications",
        "resolved",
    )
    assert (ntf["declared_at"], ntf["mitigated_at"], ntf["resolved_at"], ntf["started_at"]) == (
        datetime(2025, 3, 5, 14, 0, 0, 100, tzinfo=UTC),
        datetime(2025, 3, 5, 14, 25, 0, 100, tzinfo=UTC),
        datetime(2025, 3, 5, 15, 0, 0, 100, tzinfo=UTC),
        None,
    )
    quiet = rows["INC-2025-03-06-quiet"]
    assert (quiet["severity"], quiet["commander"], quiet["declared_at"], quiet["status"], quiet["title"]) == (
        None,
        None,
        None,
        "open",
        "War room: cache warmup",
    )
    cache = rows["INC-2025-03-07-cache"]
    assert (cache["title"], cache["severity"], cache["commander"], cache["status"], cache["resolved_at"]) == (
        "Cache stampede",
        "SEV2",
        "alice",
        "mitigated",
        None,  # reopened after the resolution
    )


def test_warroom_events(war: SlackExport) -> None:
    assert _kinds(war, "INC-2025-03-04-db") == [
        (utc(4, 18, 0), "declare"),
        (utc(4, 18, 0), "role_assign"),
        (utc(4, 18, 0), "role_assign"),
        (utc(4, 18, 0), "role_assign"),
        (utc(4, 18, 0), "update_promise"),  # not "rollback": a declaration only declares
        (utc(4, 18, 0, 30), "declare"),  # in #incidents, linking the war room
        (utc(4, 18, 1), "role_assign"),
        (utc(4, 18, 2), "role_assign"),
        (utc(4, 18, 5), "severity_change"),
        (utc(4, 18, 8), "status_update"),
        (utc(4, 18, 10), "rollback"),  # a thread reply
        (utc(4, 18, 14), "rollback"),
        (utc(4, 18, 15), "update"),  # "rolled back" in an update is a report, not an event
        (utc(4, 18, 15), "update_promise"),
        (utc(4, 18, 20), "mitigation"),
        (utc(4, 18, 30), "message"),  # :pushpin:
        (utc(4, 18, 31), "message"),  # :stopwatch: (":eyes:" alone at 18:32 is nothing)
        (utc(4, 18, 40), "role_assign"),
        (utc(4, 18, 50), "deploy"),
        (utc(4, 19, 0), "resolve"),
        (utc(4, 19, 5), "status_update"),
    ]
    ev = war.events
    assert ev["source"].unique().to_list() == ["slack"]
    assert ev["visibility"].unique().to_list() == ["internal"]
    outside = ev.filter(pl.col("ref").str.starts_with("C10INC/"))
    assert outside.select("incident_id", "kind", "severity").rows() == [
        ("INC-2025-03-04-db", "declare", "SEV2")
    ]
    roles = ev.filter(pl.col("kind") == "role_assign", pl.col("incident_id") == "INC-2025-03-04-db")
    assert roles["text"].to_list() == [
        "IC: alice",
        "TL: Bob Martinez",
        "SME: dave",
        "Comms: carol",
        "Scribe: dave",
        "IC: Bob Martinez",
    ]
    sev = ev.filter(pl.col("severity").is_not_null()).select("incident_id", "kind", "severity").rows()
    assert sev == [
        ("INC-2025-03-04-db", "declare", "SEV2"),
        ("INC-2025-03-04-db", "declare", "SEV2"),
        ("INC-2025-03-04-db", "severity_change", "SEV1"),
        ("INC-2025-03-05_notifications", "declare", "SEV3"),
        ("INC-2025-03-05_notifications", "severity_change", "SEV4"),
        ("INC-2025-03-07-cache", "declare", "SEV2"),
    ]
    assert _kinds(war, "INC-2025-03-06-quiet") == [(utc(6, 20, 5), "message")]
    assert [k for _, k in _kinds(war, "INC-2025-03-07-cache")] == [
        "declare",
        "role_assign",
        "mitigation",
        "resolve",
        "reopen",
    ]
    general = war.channels.filter(pl.col("channel") == "general")["channel_id"].item()
    assert not ev["ref"].str.starts_with(general + "/").any()  # "SEV1 declared?" without a war room


def test_warroom_promises_due_at(war: SlackExport) -> None:
    due = war.events.filter(pl.col("kind") == "update_promise").select("incident_id", "at", "due_at").rows()
    assert due == [
        # "Next update in 15 minutes (10:15 AM)": the clock time wins, in the declaration's PST
        ("INC-2025-03-04-db", utc(4, 18, 0), datetime(2025, 3, 4, 18, 15, tzinfo=UTC)),
        # "**Next update:** 10:45" without AM/PM: the nearest 10:45 after 10:15 AM PST
        ("INC-2025-03-04-db", utc(4, 18, 15), datetime(2025, 3, 4, 18, 45, tzinfo=UTC)),
        # "Next update: 9:30" with no zone stated: the poster's tz (America/New_York)
        (
            "INC-2025-03-05_notifications",
            datetime(2025, 3, 5, 14, 0, 0, 100, tzinfo=UTC),
            datetime(2025, 3, 5, 14, 30, tzinfo=UTC),
        ),
        # "next update in 20 minutes": message time + 20 min
        (
            "INC-2025-03-05_notifications",
            datetime(2025, 3, 5, 14, 30, 0, 100, tzinfo=UTC),
            datetime(2025, 3, 5, 14, 50, 0, 100, tzinfo=UTC),
        ),
    ]


def test_warroom_roles_table_and_channels(war: SlackExport) -> None:
    assert war.roles.columns == ["incident_id", "role", "person", "person_id", "assigned_at", "source", "ref"]
    assert war.roles.filter(pl.col("incident_id") == "INC-2025-03-07-cache").select(
        "role", "person", "person_id"
    ).rows() == [
        ("IC", "alice", "slack:U01ALICE")  # "**Commander:** @alice" from the bot
    ]
    inc = war.channels.filter("is_incident").select("channel", "incident_id").sort("channel").rows()
    assert inc == [
        ("inc_2025-03-05_notifications", "INC-2025-03-05_notifications"),
        ("incident-2025-03-04-db", "INC-2025-03-04-db"),
        ("incident-2025-03-06-quiet", "INC-2025-03-06-quiet"),
        ("incident-2025-03-07-cache", "INC-2025-03-07-cache"),
    ]


# ---------------------------------------------------------------- the committed sample vs SCENARIO

KNOWN_MITIGATION_GAPS = {
    # the truth's mitigation is the recovery confirmed two minutes after the WAF rule
    # ("Blocked the partner's account at the edge") that is found
    "incident-2025-01-28-api-gateway": "'5xx back to 0.2% since the WAF rule'",
}


@pytest.fixture(scope="module")
def sample() -> SlackExport:
    return load_slack(SAMPLE)


def test_sample_war_rooms_match_the_scenario(sample: SlackExport) -> None:
    from toolkit.samplegen import SCENARIO

    by_channel = {r["ref"]: r for r in sample.incidents.iter_rows(named=True)}
    ids = dict(sample.channels.select("channel", "channel_id").iter_rows())
    truth = [i for i in SCENARIO if i.channel]
    rooms = sample.incidents.filter(
        ~pl.col("ref").str.contains("/", literal=True)
    )  # threads: test_slack_threads
    assert len(truth) == rooms.height == 11
    sec = lambda t: None if t is None else t.replace(microsecond=0)  # noqa: E731
    for t in truth:
        got = by_channel[ids[t.channel]]
        assert got["severity"] == t.final_severity, t.channel
        assert got["commander"] == t.commander, t.channel
        assert sec(got["declared_at"]) == t.declared_at, t.channel
        assert sec(got["resolved_at"]) == t.resolved_at, t.channel
        assert got["status"] == (
            "open" if t.is_open and got["mitigated_at"] is None else "mitigated" if t.is_open else "resolved"
        ), t.channel
        roles = sample.roles.filter(pl.col("incident_id") == got["incident_id"])
        assert set(roles.select("role", "person").iter_rows()) == set(t.roles), t.channel
        if t.channel in KNOWN_MITIGATION_GAPS:
            assert sec(got["mitigated_at"]) < t.mitigated_at, t.channel
        else:
            assert sec(got["mitigated_at"]) == t.mitigated_at, t.channel


def test_sample_payment_incident(sample: SlackExport) -> None:
    """The seed's SEV1, end to end."""
    row = sample.incidents.filter(pl.col("incident_id") == "INC-2025-01-15-payment").row(0, named=True)
    assert (row["service"], row["title"], row["started_at"]) == (
        "payment-service",
        "Payment API 500s",
        datetime(2025, 1, 15, 18, 0, tzinfo=UTC),
    )
    ev = sample.events.filter(pl.col("incident_id") == "INC-2025-01-15-payment")
    promises = ev.filter(pl.col("kind") == "update_promise")["due_at"].dt.convert_time_zone(
        "America/Los_Angeles"
    )
    assert promises.dt.strftime("%H:%M").to_list() == ["10:15", "10:30", "10:45", "11:15", "11:45", "12:15"]
    kinds = ev.group_by("kind").len().sort("kind").rows()
    assert kinds == [
        ("declare", 2),
        ("deploy", 1),
        ("message", 2),
        ("resolve", 1),
        ("role_assign", 5),
        ("rollback", 2),
        ("status_update", 3),
        ("update", 5),
        ("update_promise", 6),
    ]


def test_sample_truth_kinds_are_found(sample: SlackExport) -> None:
    """Every war-room message the scenario labels declare/severity_change/update/resolve is found as such."""
    from toolkit.samplegen import SCENARIO

    ids = dict(sample.channels.select("channel", "incident_id").iter_rows())
    ev = sample.events.with_columns(pl.col("at").dt.truncate("1s"))
    for t in SCENARIO:
        if not t.channel:
            continue
        mine = ev.filter(pl.col("incident_id") == ids[t.channel])
        for m in t.messages:
            if m.channel == t.channel and m.kind in ("declare", "severity_change", "update", "resolve"):
                found = mine.filter(pl.col("at") == m.at)["kind"].to_list()
                assert m.kind in found, (t.channel, m.at, m.text[:40], found)


# ---------------------------------------------------------------- rules and policy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IC: <@U1>", [("IC", "alice", "U1")]),
        ("- Technical Lead: <@U2> (coordinates debugging)", [("TL", "U2", "U2")]),
        ("SME (DB): <@U1>", [("SME", "alice", "U1")]),
        ("**Commander:** <@U1>", [("IC", "alice", "U1")]),
        ("**Commander:** Alice Chen", [("IC", "Alice Chen", None)]),
        ("<@U1> (Communications Lead - status page)", [("Comms", "alice", "U1")]),
        ("<@U1> is the scribe", [("Scribe", "alice", "U1")]),
        ("IC is now <@U1>", [("IC", "alice", "U1")]),
        ("I'm the Incident Commander.", [("IC", "zoe", "U9")]),
        ("I'll take comms", [("Comms", "zoe", "U9")]),
        ("IC: @bob", [("IC", "bob", None)]),
        ("TL finding: pool at 100%", []),
        ("1. IC: Assign roles (TL, Comms, Scribe)\n2. TL: Begin investigation", []),
        ("the IC rotation starts today", []),
    ],
    ids=[
        "colon-mention",
        "long-name",
        "qualified",
        "bold-commander",
        "bare-name",
        "paren",
        "is-the",
        "handoff",
        "self",
        "self-take",
        "plain-handle",
        "not-a-role",
        "template-steps",
        "mention-of-role",
    ],
)
def test_role_shapes(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert find_roles(text, rules=RULES, author=("U9", "zoe"), names={"U1": "alice"}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "looking at the dashboards now",
        "can someone check the queue?",
        "we should plan a rollback drill next quarter" + "",
        "Is this resolved yet? not sure",
        "the update to the runbook is ready",
        "SEV1: the spreadsheet column name",
    ],
)
def test_messages_without_a_template_make_no_events(tmp_path: Path, text: str) -> None:
    import json

    (tmp_path / "incident-x").mkdir()
    (tmp_path / "channels.json").write_text(json.dumps([{"id": "C1", "name": "incident-x"}]))
    (tmp_path / "incident-x" / "2025-01-01.json").write_text(
        json.dumps([{"type": "message", "user": "U1", "text": text, "ts": "1735689600.000100"}])
    )
    export = load_slack(tmp_path)
    assert export.events.height == 0
    assert export.incidents.select("incident_id", "status").rows() == [("INC-x", "open")]


def test_incident_ids_and_clashes() -> None:
    import re

    pattern = re.compile("^(incident|inc)[-_]")
    ids, notes = incident_ids(
        {
            "C1": "incident-2025-01-15-payment",
            "C2": "inc_2025-01-15-payment",
            "C3": "general",
            "C4": "incident-",
        },
        pattern,
    )
    # by name, "inc_…" sorts before "incident-…": the later one gets its channel id appended
    assert ids == {"C4": "INC-C4", "C2": "INC-2025-01-15-payment", "C1": "INC-2025-01-15-payment-C1"}
    assert len(notes) == 1
    assert "INC-2025-01-15-payment-C1" in notes[0]


def _policy(tmp_path: Path, body: str) -> Policy:
    path = tmp_path / "team.toml"
    path.write_text(body)
    return Policy.load(path)


def test_policy_extra_rules_and_channel_pattern(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        '[slack]\nincident_channel_pattern = "^war-"\n'
        "[[slack.extra_rules]]\nkind = \"mitigation\"\npattern = '(?i)\\bWAF rule\\b'\n"
        '[slack.roles]\nIC = ["IC", "Incident Lead"]\n',
    )
    rules = SlackPolicy.from_policy(policy)
    assert rules.rules[-1].kind == "mitigation"
    assert len(rules.rules) == len(RULES.rules) + 1
    assert rules.role_of("incident lead") == "IC"
    assert rules.role_of("Incident Commander") is None
    import json

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "war-db").mkdir(parents=True)
    (tmp_path / "x" / "channels.json").write_text(json.dumps([{"id": "C1", "name": "war-db"}]))
    (tmp_path / "x" / "war-db" / "2025-01-01.json").write_text(
        json.dumps(
            [
                {"type": "message", "user": "U1", "text": "Incident Lead: <@U1>", "ts": "1735689600.000100"},
                {
                    "type": "message",
                    "user": "U1",
                    "text": "5xx back to normal since the WAF rule",
                    "ts": "1735689700.000100",
                },
            ]
        )
    )
    export = load_slack(tmp_path / "x", policy=policy)
    assert export.incidents.select("incident_id", "commander", "status").rows() == [
        ("INC-db", "U1", "mitigated")
    ]


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ('[[slack.rules]]\nkind = "explode"\npattern = "x"\n', "slack.rules[0].kind", "not a rule kind"),
        (
            '[[slack.rules]]\nkind = "deploy"\npattern = "("\n',
            "slack.rules[0].pattern",
            "not a valid regular",
        ),
        (
            "[[slack.rules]]\nkind = \"deploy\"\npattern = '(?<=x)y'\n",
            "slack.rules[0].pattern",
            "polars cannot run",
        ),
        ('[[slack.rules]]\nkind = "deploy"\n', "slack.rules[0]", "exactly the keys"),
        ('[slack]\nrules = "deploy"\n', "slack.rules", "expected an array"),
        ('[slack]\ncolour = "red"\n', "slack.colour", "unknown key"),
        ("[slack.roles]\nIC = []\n", "slack.roles.IC", "non-empty list"),
    ],
    ids=[
        "bad-kind",
        "bad-regex",
        "look-behind",
        "missing-pattern",
        "not-array",
        "unknown-key",
        "empty-role",
    ],
)
def test_policy_errors_name_the_key(tmp_path: Path, body: str, key: str, problem: str) -> None:
    policy = _policy(tmp_path, body)
    with pytest.raises(PolicyError) as info:
        SlackPolicy.from_policy(policy)
    assert info.value.key == key
    assert problem in info.value.problem
    with pytest.raises(PolicyError):
        load_slack(WARROOM, policy=policy)


# ---------------------------------------------------------------- clock times


@pytest.mark.parametrize(
    ("line", "posted_pst", "after", "expected_pst"),
    [
        ("Next update: 10:30 AM", "10:15", True, "01-15 10:30"),
        ("Next update: 9:00", "10:00", True, "01-15 21:00"),  # no AM/PM: the nearest after
        ("next update 12:15 PM or on resolution", "11:45", True, "01-15 12:15"),
        ("Next update: 11 PM", "22:30", True, "01-15 23:00"),
        ("Next update: 12:05 AM", "23:50", True, "01-16 00:05"),  # past midnight
        ("Next update: 1:00 PM EST", "09:30", True, "01-15 10:00"),  # its own zone
        ("Started: 10:00 AM", "10:05", False, "01-15 10:00"),
        ("Started: 11:50 PM", "00:10", False, "01-14 23:50"),  # yesterday
        ("Started: 2025-01-21 15:52", "10:00", False, "01-21 15:52"),  # a date is taken as written
    ],
)
def test_clock_resolution(line: str, posted_pst: str, after: bool, expected_pst: str) -> None:
    hh, mm = map(int, posted_pst.split(":"))
    posted = datetime(2025, 1, 15, hh, mm, tzinfo=PST).astimezone(UTC)
    clock = find_clock(line)
    assert clock is not None
    zone = ZoneInfo(RULES.zone(clock.zone) or "UTC") if clock.zone else PST
    got = resolve(clock, ref=posted, zone=zone, after=after)
    assert got is not None
    assert got.astimezone(PST).strftime("%m-%d %H:%M") == expected_pst


def test_clock_edge_cases() -> None:
    assert find_clock("15% error rate, v2.5.1, 50/50 in use") is None
    assert find_duration("next update in 2 hours") == timedelta(hours=2)
    assert find_duration("within ~45 min") == timedelta(minutes=45)
    # 2:30 AM does not exist on 2025-03-09 in Los Angeles: the next 2:30 AM is a day later
    posted = datetime(2025, 3, 9, 1, 0, tzinfo=PST).astimezone(UTC)
    got = resolve(find_clock("2:30 AM"), ref=posted, zone=PST, after=True)  # type: ignore[arg-type]
    assert got is not None
    assert got.astimezone(PST).strftime("%m-%d %H:%M") == "03-10 02:30"


def test_promised_times_match_the_scalar_rules() -> None:
    posted = [datetime(2025, 1, 15, 10, 15, tzinfo=PST).astimezone(UTC)] * 5
    lines = [
        "Next update: 10:30 AM",
        "Next update: 9:00",
        "in 15 minutes (10:40 AM)",
        "next update in 15 min",
        "soon",
    ]
    df = pl.DataFrame({"line": lines, "at": posted, "zone": ["America/Los_Angeles"] * 5})
    got = promised_times(df, known=RULES.time_zones).dt.convert_time_zone("America/Los_Angeles")
    assert got.dt.strftime("%H:%M").to_list() == ["10:30", "21:00", "10:40", "10:30", None]
    for line, value in zip(lines[:3], got.to_list()[:3], strict=True):
        clock = find_clock(line)
        assert clock is not None
        assert resolve(clock, ref=posted[0], zone=PST, after=True) == value
