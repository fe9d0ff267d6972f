"""The rendered sample: determinism, the committed copy, the vendor formats, exact sizes.

What the importers read from the sample is compared with the ground truth in
``tests/test_sample_truth_*.py``; the scenario files themselves in ``tests/samplegen/``.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, cast

import orjson
import pytest

from toolkit.samplegen import (
    BY_ID,
    SCENARIO,
    STORY,
    load_scenario,
    write_pagerduty,
    write_sample,
    write_slack_export,
    write_statuspage,
)
from toolkit.samplegen.load import SCENARIO_DIR
from toolkit.samplegen.slack_meta import mrkdwn

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SEED_DOC = ROOT.parent / "shared" / "seed" / "000_34402405fa689e21.txt"  # beside the repo, when present
PM_FIXTURE = ROOT / "tests" / "fixtures" / "postmortem" / "seed_postmortem.md"
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
    assert tree(SAMPLE) == tree(sample), "regenerate: incident-toolkit generate data/sample"
    assert sum(len(v) for v in tree(SAMPLE).values()) < 1_000_000


# --- the renderer reads the scenario ---------------------------------------------------


def test_an_edited_scenario_renders_the_edit(tmp_path: Path) -> None:
    """The sample is rendered from the scenario files: change one, the export changes."""
    folder = tmp_path / "scenario"
    shutil.copytree(SCENARIO_DIR, folder)
    path = folder / "incidents" / "2025-01-15-payment.toml"
    text = path.read_text()
    old = 'at = "2025-01-15 12:00:10 PST"\nauthor = "dave"\ntext = "Monitoring stable, all metrics green"'
    assert old in text
    path.write_text(text.replace(old, old.replace("12:00:10", "12:01:10").replace("stable", "steady")))
    write_sample(tmp_path / "out", story=load_scenario(folder))
    with zipfile.ZipFile(tmp_path / "out" / "slack" / "acme-slack-export.zip") as zf:
        day = orjson.loads(zf.read("incident-2025-01-15-payment/2025-01-15.json"))
    (msg,) = [m for m in day if "all metrics green" in m["text"]]
    assert msg["text"] == "Monitoring steady, all metrics green"
    assert datetime.fromtimestamp(int(float(msg["ts"])), UTC) == utc("2025-01-15", "12:01:10")


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


def test_slack_channels_and_users_are_the_story_s(slack: dict[str, Any]) -> None:
    channels = slack["channels.json"]
    assert [(c["id"], c["name"], c["is_archived"], c["is_general"]) for c in channels] == [
        (c.channel_id, c.name, c.archived, c.is_general) for c in STORY.channels
    ]
    assert [c["name"] for c in channels if c["is_archived"]] == ["incident-2025-01-06-search"]
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
    bot_room = next(c for c in channels if c["name"] == "incident-2025-01-21-checkout")
    assert bot_room["creator"] == "U0INCBOT"  # the war room incident-bot opened
    users = slack["users.json"]
    assert [(u["id"], u["name"], u["real_name"], u["deleted"], u["is_bot"]) for u in users] == [
        (p.slack_id, p.key, p.real_name, p.deleted, p.is_bot) for p in STORY.people
    ]
    bot = next(u for u in users if u["is_bot"])
    assert (bot["profile"]["bot_id"], bot["profile"]["api_app_id"]) == ("B0INCBOT", "A0INCBOT")


def test_every_story_message_is_in_its_channel_at_its_second(slack: dict[str, Any]) -> None:
    per_channel = day_messages(slack)
    for ch in STORY.channels:
        story = [m for m in STORY.messages() if m.channel == ch.name]
        rows = [r for r in per_channel.get(ch.name, []) if r.get("subtype") != "pinned_item"]
        got = [datetime.fromtimestamp(int(float(r["ts"])), UTC) for r in rows]
        assert got == sorted(m.at for m in story), ch.name
        pins = [r for r in per_channel.get(ch.name, []) if r.get("subtype") == "pinned_item"]
        assert len(pins) == sum(m.pinned_by is not None for m in story), ch.name


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
    story = STORY.messages()
    pins = sum(m.pinned_by is not None for m in story)
    assert total == len(story) + pins  # story messages + pinned_item notices
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
    users = {p.key: p.slack_id for p in STORY.people}
    channels = {c.name: c.channel_id for c in STORY.channels}
    assert mrkdwn(text, users=users, channels=channels) == raw


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
    assert len(logs) == sum(len(i.paging.entries) for i in SCENARIO if i.paging)
    auth = BY_ID["INC-2025-01-23-auth"].paging
    assert auth is not None
    chain = [e["type"].removesuffix("_log_entry") for e in logs if e["incident"]["id"] == auth.pd_id]
    assert chain == [e.type for e in auth.entries]
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
