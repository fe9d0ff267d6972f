"""Tests for toolkit.samplegen: determinism, the committed sample's story, exact sizes."""

from __future__ import annotations

import itertools
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, cast

import orjson
import pytest

import toolkit.samplegen as sg
from toolkit.samplegen import (
    BY_ID,
    SCENARIO,
    write_pagerduty,
    write_sample,
    write_slack_export,
    write_statuspage,
)
from toolkit.samplegen.__main__ import main
from toolkit.samplegen.model import SeverityInputs, determine_severity
from toolkit.samplegen.slack_meta import mrkdwn

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SEED_DOC = ROOT.parent / "shared" / "seed" / "000_34402405fa689e21.txt"  # beside the repo, when present
PM_FIXTURE = ROOT / "tests" / "fixtures" / "postmortem" / "seed_postmortem.md"
PAYMENT = "INC-20250115-1005"
PST = timedelta(hours=-8)
TS = re.compile(r"^\d{10}\.\d{6}$")
SP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-08:00$")


def utc(day: str, clock: str) -> datetime:
    """A PST wall-clock time on ``day`` as an aware UTC datetime."""
    local = datetime.fromisoformat(f"{day}T{clock}")
    return (local - PST).replace(tzinfo=UTC)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    write_sample(out)
    return out


@pytest.fixture(scope="module")
def slack(sample: Path) -> dict[str, Any]:
    with zipfile.ZipFile(sample / "slack" / "acme-slack-export.zip") as zf:
        return {i.filename: orjson.loads(zf.read(i)) for i in zf.infolist() if not i.is_dir()}


def day_messages(export: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """channel name -> its messages, oldest first, across day files."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name in sorted(export):
        if "/" in name:
            out.setdefault(name.split("/")[0], []).extend(export[name])
    return out


# --- determinism and the committed copy -------------------------------------------------


def test_sample_same_seed_same_bytes(sample: Path, tmp_path: Path) -> None:
    paths = write_sample(tmp_path)
    assert len(paths) == 9
    assert tree(tmp_path) == tree(sample)


def test_sample_different_seed_changes_only_incidental_bytes(sample: Path, tmp_path: Path) -> None:
    write_sample(tmp_path, seed=7)
    a, b = tree(sample), tree(tmp_path)
    assert a.keys() == b.keys()
    changed = {k for k in a if a[k] != b[k]}
    assert changed == {
        "slack/acme-slack-export.zip",
        "pagerduty/incidents.json",
        "pagerduty/log_entries.json",
        "statuspage/incidents.json",
    }


def test_committed_sample_is_current(sample: Path) -> None:
    assert tree(SAMPLE) == tree(sample), "regenerate: python -m toolkit.samplegen sample data/sample"
    assert sum(len(v) for v in tree(SAMPLE).values()) < 1_000_000


def test_cli_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", str(tmp_path), "--seed", "20250115"]) == 0
    assert "wrote 9 file(s)" in capsys.readouterr().out
    assert (tmp_path / "pagerduty" / "log_entries.json").is_file()


def test_all_lists_public_names() -> None:
    writers = {n for n in vars(sg) if n.startswith("write_")}
    assert writers == {"write_sample", "write_slack_export", "write_pagerduty", "write_statuspage"}
    assert writers | {"SCENARIO", "SeverityInputs", "Incident"} <= set(sg.__all__)
    assert set(sg.__all__) <= set(vars(sg))


# --- the story ----------------------------------------------------------------------------


def test_scenario_shape() -> None:
    assert len(SCENARIO) == 13
    assert len(BY_ID) == 13
    assert [i.incident_id for i in SCENARIO] == sorted(i.incident_id for i in SCENARIO)
    assert {i.true_severity for i in SCENARIO} == {"SEV1", "SEV2", "SEV3", "SEV4"}
    assert len({i.service for i in SCENARIO}) == 7
    assert [i.incident_id for i in SCENARIO if i.is_open] == ["INC-20250219-1435"]
    assert sum(i.channel is not None for i in SCENARIO) == 11
    by_sources = {i.incident_id: i.sources for i in SCENARIO}
    assert by_sources["INC-20250109-0320"] == ("pagerduty",)
    assert by_sources["INC-20250206-1405"] == ("slack",)
    assert sum(i.paging is not None for i in SCENARIO) == 11
    assert sum(i.status_page is not None for i in SCENARIO) == 10
    for inc in SCENARIO:
        assert inc.started_at <= inc.detected_at
        if inc.declared_at:
            assert inc.detected_at <= inc.declared_at
        if inc.resolved_at and inc.mitigated_at:
            assert inc.mitigated_at <= inc.resolved_at


def test_payment_outage_is_the_seed_timeline() -> None:
    inc = BY_ID[PAYMENT]
    day = "2025-01-15"
    assert (inc.service, inc.declared_severity, inc.true_severity) == ("payment-service", "SEV1", "SEV1")
    assert inc.commander == "alice"
    assert dict(inc.roles) == {"IC": "alice", "TL": "bob", "Comms": "carol", "Scribe": "dave"}
    assert inc.started_at == utc(day, "10:00")
    assert inc.declared_at == utc(day, "10:05")
    assert inc.mitigated_at == utc(day, "10:23:20")
    assert inc.resolved_at == utc(day, "12:15")
    assert inc.resolved_at - inc.started_at == timedelta(hours=2, minutes=15)
    assert inc.status_page is not None
    sp = [(u.at, u.status) for u in inc.status_page.updates]
    assert sp == [
        (utc(day, "10:08"), "investigating"),
        (utc(day, "10:15"), "identified"),
        (utc(day, "10:30"), "identified"),
        (utc(day, "10:45"), "monitoring"),
        (utc(day, "12:15"), "resolved"),
    ]
    texts = {m.text.split("\n")[0]: m.at for m in inc.messages}
    assert texts["📋 UPDATE #2 - 10:15 AM"] == utc(day, "10:15")
    assert texts["📋 UPDATE #3 - 10:30 AM"] == utc(day, "10:30")
    assert texts["✅ INCIDENT RESOLVED - 12:15 PM"] == utc(day, "12:15")
    deploys = [(m.at, m.text) for m in inc.messages if m.author == "deploy-bot"]
    assert deploys[0][0] == utc(day, "09:55:02")
    assert any("v2.5.1" in text and at == utc(day, "11:30:05") for at, text in deploys)


@pytest.mark.parametrize(
    ("incident_id", "declared", "final", "true"),
    [
        ("INC-20250121-1552", "SEV3", "SEV3", "SEV1"),
        ("INC-20250123-0914", "SEV2", "SEV1", "SEV1"),
        ("INC-20250130-0748", "SEV2", "SEV3", "SEV3"),
        ("INC-20250204-1120", "SEV4", "SEV4", "SEV4"),
        ("INC-20250109-0320", None, None, "SEV4"),
    ],
    ids=["mis-declared", "upgraded", "downgraded", "sev4", "pd-only"],
)
def test_severities(incident_id: str, declared: str | None, final: str | None, true: str) -> None:
    inc = BY_ID[incident_id]
    assert (inc.declared_severity, inc.final_severity, inc.true_severity) == (declared, final, true)


def test_decision_tree_matches_seed_example() -> None:
    assert determine_severity(SeverityInputs(percent_users_affected=15, performance_degradation=60)) == "SEV2"
    assert BY_ID["INC-20250121-1552"].inputs.percent_users_affected == 30


def test_late_and_missing_updates() -> None:
    auth = BY_ID["INC-20250123-0914"]
    updates = [m.at for m in auth.messages if m.kind == "update" and m.channel == auth.channel]
    gaps = [b - a for a, b in itertools.pairwise(updates)]
    assert max(gaps) == timedelta(minutes=50)
    gw = BY_ID["INC-20250128-1031"]
    promised = [m for m in gw.messages if "**Next update:** 11:00 AM" in m.text]
    assert len(promised) == 1
    after = [m.at for m in gw.messages if m.kind == "update" and m.at > promised[0].at]
    assert after[0] == utc("2025-01-28", "11:40")
    admin = BY_ID["INC-20250204-1120"]
    assert not [m for m in admin.messages if m.kind == "update"]


# --- Slack export -----------------------------------------------------------------------


def test_zip_members_safe_sorted_and_dated(sample: Path) -> None:
    with zipfile.ZipFile(sample / "slack" / "acme-slack-export.zip") as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    for info in infos:
        name = info.filename
        assert not name.startswith(("/", "\\"))
        assert ".." not in name.split("/")
        assert "\\" not in name
        assert ":" not in name
        assert info.date_time == (2025, 2, 20, 0, 30, 0)
    assert {"channels.json", "users.json", "integration_logs.json"} <= set(names)


def test_slack_channels(slack: dict[str, Any]) -> None:
    channels = slack["channels.json"]
    names = [c["name"] for c in channels]
    war_rooms = [n for n in names if n.startswith(("incident-", "inc_"))]
    assert len(channels) == 14
    assert len(war_rooms) == 11
    assert "incident-2025-01-15-payment" in war_rooms
    assert [n for n in war_rooms if n.startswith("inc_")] == ["inc_2025-01-30_push-notifications"]
    assert {"general", "deploys", "incidents"} <= set(names)
    for c in channels:
        assert isinstance(c["created"], int)
        assert set(c) >= {
            "id",
            "name",
            "created",
            "creator",
            "is_archived",
            "is_general",
            "members",
            "topic",
            "purpose",
        }
    assert [c["name"] for c in channels if c["is_archived"]] == ["incident-2025-01-06-search"]
    users = slack["users.json"]
    assert len(users) == 14
    assert sum(u["deleted"] for u in users) == 1
    assert [u["name"] for u in users if u["is_bot"]] == ["incident-bot"]


def test_slack_messages_shape(slack: dict[str, Any]) -> None:
    per_channel = day_messages(slack)
    total = 0
    for name, msgs in per_channel.items():
        ts = [m["ts"] for m in msgs]
        assert len(ts) == len(set(ts)), name
        assert ts == sorted(ts, key=float), name
        for m in msgs:
            assert m["type"] == "message"
            assert TS.match(m["ts"]), m["ts"]
        total += len(msgs)
    story = sg.scenario.all_messages()
    pins = sum(m.pinned_by is not None for m in story)
    assert pins == 10
    assert total == len(story) + pins == 261  # story messages + pinned_item notices
    flat = [m for msgs in per_channel.values() for m in msgs]
    subtypes = {m.get("subtype") for m in flat}
    assert subtypes >= {
        None,
        "channel_join",
        "bot_message",
        "channel_topic",
        "pinned_item",
        "channel_archive",
    }
    assert any("edited" in m for m in flat)
    assert any("files" in m for m in flat)
    assert any("pinned_to" in m for m in flat)
    assert any(r["name"] == "stopwatch" for m in flat for r in m.get("reactions", []))
    alerts = [m for m in flat if m.get("username") == "PagerDuty"]
    assert alerts
    assert all(m["text"] == "" and m["attachments"][0]["fallback"] for m in alerts)
    bot = [m for m in flat if m.get("bot_id") == "B0INCBOT"]
    assert any(m.get("subtype") == "bot_message" and "bot_profile" in m for m in bot)
    assert any(m.get("user") == "U0INCBOT" and "subtype" not in m for m in bot)
    assert any("&lt;1%" in m["text"] for m in flat)
    assert any("<https://" in m["text"] and "|" in m["text"] for m in flat)


def test_thread_reply_in_a_later_day_file(slack: dict[str, Any]) -> None:
    later = slack["incident-2025-01-21-checkout/2025-01-22.json"]
    replies = [m for m in later if m.get("parent_user_id")]
    assert len(replies) == 2
    parents = {m["ts"]: m for m in slack["incident-2025-01-21-checkout/2025-01-21.json"]}
    parent = parents[replies[0]["thread_ts"]]
    assert parent["reply_count"] == 2
    assert parent["latest_reply"] == replies[-1]["ts"]
    assert "30% of users" in replies[0]["text"]


def test_slack_times_match_local_text(slack: dict[str, Any]) -> None:
    room = day_messages(slack)["incident-2025-01-15-payment"]
    by_head = {m["text"].split("\n")[0]: m for m in room if m.get("text")}
    declare = by_head["🚨 SEV1 INCIDENT DECLARED 🚨"]
    assert "- IC: <@U0ALICE> (Incident Commander - makes decisions)" in declare["text"]
    assert "<#C0W0115PAY|incident-2025-01-15-payment>" in declare["text"]
    for head, clock in [
        ("🚨 SEV1 INCIDENT DECLARED 🚨", "10:05"),
        ("📋 UPDATE #2 - 10:15 AM", "10:15"),
        ("📋 UPDATE #3 - 10:30 AM", "10:30"),
        ("✅ INCIDENT RESOLVED - 12:15 PM", "12:15"),
    ]:
        at = datetime.fromtimestamp(int(float(by_head[head]["ts"])), UTC)
        assert at == utc("2025-01-15", clock), head


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("ping @alice", "ping <@U0ALICE>"),
        ("see #incidents", "see <#C0INCIDENTS|incidents>"),
        ("PR #1240 & <1% > 0", "PR #1240 &amp; &lt;1% &gt; 0"),
        ("[doc](https://x.example/a?b=1&c=2)", "<https://x.example/a?b=1&amp;c=2|doc>"),
        ("https://zoom.us/j/1", "<https://zoom.us/j/1>"),
        ("mail support@acme.example", "mail support@acme.example"),
        ("@here now", "<!here> now"),
        ("@nobody", "@nobody"),
    ],
    ids=["mention", "channel", "escape", "link", "bare-url", "email", "here", "unknown"],
)
def test_mrkdwn(text: str, raw: str) -> None:
    assert mrkdwn(text) == raw


# --- PagerDuty ----------------------------------------------------------------------------

INCIDENT_KEYS = [
    "id",
    "type",
    "summary",
    "self",
    "html_url",
    "incident_number",
    "title",
    "created_at",
    "updated_at",
    "status",
    "incident_key",
    "service",
    "assignments",
    "assigned_via",
    "last_status_change_at",
    "resolved_at",
    "first_trigger_log_entry",
    "alert_counts",
    "is_mergeable",
    "incident_type",
    "escalation_policy",
    "teams",
    "pending_actions",
    "acknowledgements",
    "alert_grouping",
    "last_status_change_by",
    "priority",
    "resolve_reason",
    "conference_bridge",
    "incidents_responders",
    "responder_requests",
    "urgency",
]


def test_pagerduty_sample(sample: Path) -> None:
    inc = orjson.loads((sample / "pagerduty" / "incidents.json").read_bytes())
    assert (inc["limit"], inc["offset"], inc["more"], inc["total"]) == (100, 0, False, 11)
    assert all(list(i) == INCIDENT_KEYS for i in inc["incidents"])
    assert [i["status"] for i in inc["incidents"]].count("acknowledged") == 1
    pay = next(i for i in inc["incidents"] if i["id"] == "PZ4F9WB")
    assert (pay["created_at"], pay["resolved_at"]) == ("2025-01-15T18:00:07Z", "2025-01-15T20:15:20Z")
    assert "payment-service" in pay["title"]
    logs = orjson.loads((sample / "pagerduty" / "log_entries.json").read_bytes())["log_entries"]
    assert len(logs) == 62
    chain = [e["type"].removesuffix("_log_entry") for e in logs if e["incident"]["id"] == "PM2V8JQ"]
    assert chain == [
        "trigger",
        "notify",
        "notify",
        "escalate",
        "notify",
        "acknowledge",
        "annotate",
        "annotate",
        "resolve",
    ]
    escalate = next(e for e in logs if e["type"] == "escalate_log_entry")
    assert "level 2" in escalate["summary"]
    assert escalate["assignees"]
    assert all(e["created_at"].endswith("Z") for e in logs)
    auto = [e for e in logs if e["type"] == "resolve_log_entry" and e["agent"]["type"] == "service_reference"]
    assert [e["incident"]["id"] for e in auto] == ["P8N2KRT"]


def test_analytics_has_one_deliberate_disagreement(sample: Path) -> None:
    rows = orjson.loads((sample / "pagerduty" / "analytics_raw_incidents.json").read_bytes())
    logs = orjson.loads((sample / "pagerduty" / "log_entries.json").read_bytes())["log_entries"]
    assert len(rows["data"]) == 11
    disagree = {}
    for row in rows["data"]:
        assert not row["created_at"].endswith("Z")
        assert "+" not in row["created_at"]
        mine = [e for e in logs if e["incident"]["id"] == row["id"]]
        trigger = next(e for e in mine if e["type"] == "trigger_log_entry")
        assert trigger["created_at"] == row["created_at"] + "Z"
        escalations = sum(e["type"] == "escalate_log_entry" for e in mine)
        if escalations != row["escalation_count"]:
            disagree[row["id"]] = (escalations, row["escalation_count"])
    assert disagree == {"PM2V8JQ": (1, 2)}


def test_sources_agree_on_times(sample: Path, slack: dict[str, Any]) -> None:
    logs = orjson.loads((sample / "pagerduty" / "log_entries.json").read_bytes())["log_entries"]
    pages = orjson.loads((sample / "statuspage" / "incidents.json").read_bytes())["incidents"]
    for inc in SCENARIO:
        if inc.paging:
            trigger = next(e for e in logs if e["incident"]["id"] == inc.paging.pd_id)
            assert trigger["created_at"] == inc.detected_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if inc.status_page and inc.declared_at:
            first = next(p for p in pages if p["id"] == inc.status_page.sp_id)
            posted = datetime.fromisoformat(first["created_at"])
            assert timedelta(0) < posted - inc.declared_at < timedelta(minutes=20)


# --- Statuspage ---------------------------------------------------------------------------


def test_statuspage_sample(sample: Path) -> None:
    doc = orjson.loads((sample / "statuspage" / "incidents.json").read_bytes())
    assert list(doc["page"]) == ["id", "name", "url", "time_zone", "updated_at"]
    incidents = doc["incidents"]
    assert len(incidents) == 10
    created = [i["created_at"] for i in incidents]
    assert created == sorted(created, reverse=True)
    for i in incidents:
        assert re.fullmatch(r"[a-z0-9]{12}", i["id"])
        assert SP_TIME.match(i["created_at"])
        assert SP_TIME.match(i["updated_at"])
        stamps = [u["created_at"] for u in i["incident_updates"]]
        assert stamps == sorted(stamps, reverse=True)
        assert i["incident_updates"][-1]["status"] == "investigating"
    sso = next(i for i in incidents if i["id"] == "s3s6o9q2f5nb")
    assert (sso["status"], sso["resolved_at"]) == ("monitoring", None)
    pay = next(i for i in incidents if i["id"] == "p7m2x9k4q1zt")
    assert pay["incident_updates"][-1]["created_at"].startswith("2025-01-15T10:08:00.")
    assert pay["resolved_at"].startswith("2025-01-15T12:15:00.")
    assert pay["status"] == "postmortem"
    assert pay["postmortem_body"]


# --- post-mortems -------------------------------------------------------------------------


def test_seed_postmortem_is_byte_exact(sample: Path) -> None:
    generated = (sample / "postmortems" / "2025-01-15-payment-service-outage.md").read_bytes()
    assert generated == PM_FIXTURE.read_bytes()
    assert generated.startswith(b"# Incident Post-Mortem: Payment Service Outage\n")
    assert generated.endswith(b"- Share learnings in Engineering All-Hands (2025-01-22).\n")
    if SEED_DOC.is_file():
        seed = SEED_DOC.read_bytes()
        start = seed.index(b"# Incident Post-Mortem: Payment Service Outage")
        end = seed.index(b"(2025-01-22).\n", start) + len(b"(2025-01-22).\n")
        assert generated == seed[start:end]


def test_other_postmortems_follow_the_template(sample: Path) -> None:
    headings = [line for line in PM_FIXTURE.read_text().splitlines() if line.startswith("#")]
    for name in ("2025-01-23-auth-login-failures.md", "2025-01-28-api-gateway-errors.md"):
        text = (sample / "postmortems" / name).read_text()
        mine = [line for line in text.splitlines() if line.startswith("#")]
        assert [h.split(":")[0] for h in mine] == [h.split(":")[0] for h in headings]
    auth = (sample / "postmortems" / "2025-01-23-auth-login-failures.md").read_text()
    assert "| 2025-02-07 | ⏳ Pending |" in auth
    assert "**Severity:** SEV1" in auth


# --- scaled generators -----------------------------------------------------------------


def test_slack_export_exact_counts_and_determinism(tmp_path: Path) -> None:
    a = write_slack_export(tmp_path / "a.zip", channels=50, messages=2_000, seed=1)
    b = write_slack_export(tmp_path / "b.zip", channels=50, messages=2_000, seed=1)
    c = write_slack_export(tmp_path / "c.zip", channels=50, messages=2_000, seed=2)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    with zipfile.ZipFile(a) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert all(".." not in n and not n.startswith("/") for n in names)
        assert len(orjson.loads(zf.read("channels.json"))) == 50
        msgs = [
            m for n in names if n.count("/") == 1 and n.endswith(".json") for m in orjson.loads(zf.read(n))
        ]
    assert len(msgs) == 2_000
    assert all(TS.match(m["ts"]) for m in msgs)
    loose = write_slack_export(tmp_path / "loose", channels=50, messages=2_000, seed=1, as_zip=False)
    files = [p for p in loose.rglob("*.json") if p.parent != loose]
    assert sum(len(orjson.loads(p.read_bytes())) for p in files) == 2_000


def test_pagerduty_exact_counts_and_determinism(tmp_path: Path) -> None:
    paths = write_pagerduty(tmp_path / "a", incidents=250, log_entries=1_900, seed=1)
    again = write_pagerduty(tmp_path / "b", incidents=250, log_entries=1_900, seed=1)
    other = write_pagerduty(tmp_path / "c", incidents=250, log_entries=1_900, seed=2)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in paths] != [p.read_bytes() for p in other]
    pages = [orjson.loads(p.read_bytes()) for p in paths]
    inc_pages = [p for p in pages if "incidents" in p]
    log_pages = [p for p in pages if "log_entries" in p]
    assert [len(p["incidents"]) for p in inc_pages] == [100, 100, 50]
    assert [p["offset"] for p in inc_pages] == [0, 100, 200]
    assert [p["more"] for p in inc_pages] == [True, True, False]
    assert len(log_pages) == 19
    assert sum(len(p["log_entries"]) for p in log_pages) == 1_900
    assert {p["total"] for p in log_pages} == {1_900}
    ids = [e["id"] for p in log_pages for e in p["log_entries"]]
    assert len(set(ids)) == 1_900


@pytest.mark.parametrize(("layout", "files"), [("pages", 3), ("single", 120)])
def test_statuspage_exact_counts_and_determinism(
    tmp_path: Path, layout: Literal["pages", "single"], files: int
) -> None:
    paths = write_statuspage(tmp_path / "a", incidents=120, seed=1, layout=layout)
    again = write_statuspage(tmp_path / "b", incidents=120, seed=1, layout=layout)
    other = write_statuspage(tmp_path / "c", incidents=120, seed=2, layout=layout)
    assert len(paths) == files
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in paths] != [p.read_bytes() for p in other]
    docs = [orjson.loads(p.read_bytes()) for p in paths]
    incidents = [i for d in docs for i in d.get("incidents", [d.get("incident")])]
    assert len(incidents) == 120
    assert len({i["id"] for i in incidents}) == 120
    created = [i["created_at"] for i in incidents]
    assert created == sorted(created, reverse=True)


def test_scaled_generators_reject_bad_sizes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="channels >= 1"):
        write_slack_export(tmp_path / "x.zip", channels=0, messages=10)
    with pytest.raises(ValueError, match="incidents >= 1"):
        write_pagerduty(tmp_path, incidents=0, log_entries=1)
    with pytest.raises(ValueError, match="layout"):
        write_statuspage(tmp_path, incidents=1, layout=cast(Any, "tree"))
