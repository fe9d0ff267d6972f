"""A large synthetic Slack export for benchmarks, written one day file at a time.

Memory stays bounded: only the channel plan (a few integers per channel and day) is
held; each day file is generated from its own seeded generator, serialised, written to
the zip and dropped. Members are written in sorted order with fixed metadata, so the
same arguments give a byte-identical archive.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ._util import dumps, open_zip, rand_id, rand_uuid, write_bytes
from .slack_meta import channel_entry

SERVICES = (
    "payment",
    "checkout",
    "search",
    "auth",
    "notifications",
    "api-gateway",
    "billing",
    "ledger",
    "inventory",
    "admin-console",
)
FIRST_DAY = date(2023, 1, 2)
SPAN_DAYS = 760
TEAM = "T0BENCH"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

TEXTS = (
    "SEV{sev} declared - I'm the Incident Commander. {svc} error rate at {pct}% and climbing",
    "🚨 SEV{sev} INCIDENT DECLARED 🚨\n**System:** {svc}\n**Impact:** ~{pct}% of users affected\n"
    "**Roles:**\n- IC: <@{u1}>\n- TL: <@{u2}>",
    "📋 UPDATE #{n} - {clock}\n**Status:** mitigation in progress\n**Next update:** {next}",
    "next update in {mins} minutes",
    "Upgrading to SEV{sev} - impact is wider than we thought",
    "Decision: rollback {svc} to the previous version",
    "Failover to the replica complete, error rate &lt; 1%",
    "feature flag new-{svc}-flow disabled",
    "scaled {svc} to 20 replicas &amp; enabled rate limiting",
    "hotfix {svc} v{n}.{pct}.1 deployed",
    "✅ INCIDENT RESOLVED - {clock}",
    "resolved",
    "looking at the dashboards now <https://grafana.example/d/{svc}|{svc} overview>",
    "can someone from <#C0BENCH0000|general> check the {svc} queue?",
    "ack, on it",
    "p95 latency is {mins}x normal on {svc}",
)


@dataclass(frozen=True, slots=True)
class _DayFile:
    name: str
    channel: int
    day: date
    count: int


def _allocate(rng: random.Random, total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` skewed non-negative integers that sum exactly."""
    weights = [rng.paretovariate(1.3) for _ in range(parts)]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(x) for x in raw]
    short = total - sum(counts)
    order = sorted(range(parts), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[:short]:
        counts[i] += 1
    return counts


def _channel_names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for i in range(n):
        if i == 0:
            name = "general"
        elif i % 10 == 9:
            name = f"team-{rng.choice(SERVICES)}"
        else:
            d = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS))
            svc = rng.choice(SERVICES)
            name = f"inc_{d:%Y-%m-%d}_{svc}" if i % 25 == 7 else f"incident-{d:%Y-%m-%d}-{svc}"
        base, k = name, 2
        while name in seen:
            name, k = f"{base}-{k}", k + 1
        seen.add(name)
        names.append(name)
    return names


def _plan(rng: random.Random, names: list[str], counts: list[int]) -> list[_DayFile]:
    files: list[_DayFile] = []
    for ci, (name, count) in enumerate(zip(names, counts, strict=True)):
        if count == 0:
            continue
        per_day = rng.randint(80, 400)
        days = math.ceil(count / per_day)
        found = _DATE.search(name)
        if found:
            start = date.fromisoformat(found[0])
        else:
            start = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS))
        base, extra = divmod(count, days)
        for di in range(days):
            d = start + timedelta(days=di)
            files.append(_DayFile(f"{name}/{d.isoformat()}.json", ci, d, base + (di < extra)))
    files.sort(key=lambda f: f.name)
    return files


class _Users:
    def __init__(self, rng: random.Random, n: int) -> None:
        self.ids = [rand_id(rng, "U0", 11) for _ in range(n)]
        self.profiles = [
            {
                "avatar_hash": rand_id(rng, "g", 12, lower=True),
                "first_name": f"User{i}",
                "real_name": f"User {i}",
                "display_name": f"user{i}",
                "team": TEAM,
                "name": f"user{i}",
                "is_restricted": False,
                "is_ultra_restricted": False,
            }
            for i in range(n)
        ]

    def entries(self) -> list[dict[str, Any]]:
        return [
            {
                "id": uid,
                "team_id": TEAM,
                "name": p["name"],
                "deleted": False,
                "real_name": p["real_name"],
                "tz": "America/Los_Angeles",
                "tz_offset": -28800,
                "profile": {
                    "real_name": p["real_name"],
                    "display_name": p["display_name"],
                    "avatar_hash": p["avatar_hash"],
                    "team": TEAM,
                },
                "is_bot": False,
                "updated": 1672531200,
            }
            for uid, p in zip(self.ids, self.profiles, strict=True)
        ]


def _day_messages(seed: int, f: _DayFile, users: _Users) -> list[dict[str, Any]]:
    rng = random.Random(f"{seed}/{f.channel}/{f.day.isoformat()}")
    midnight = int(datetime(f.day.year, f.day.month, f.day.day, tzinfo=UTC).timestamp())
    offsets = sorted(rng.sample(range(86_400_000), f.count))
    out: list[dict[str, Any]] = []
    parents: list[dict[str, Any]] = []
    nusers = len(users.ids)
    for ms in offsets:
        ts = f"{midnight + ms // 1000}.{ms % 1000:03d}{rng.randrange(1000):03d}"
        roll = rng.random()
        if roll < 0.03:
            uid = users.ids[rng.randrange(nusers)]
            out.append(
                {
                    "type": "message",
                    "subtype": "channel_join",
                    "ts": ts,
                    "user": uid,
                    "text": f"<@{uid}> has joined the channel",
                }
            )
            continue
        if roll < 0.08:
            out.append(
                {
                    "type": "message",
                    "subtype": "bot_message",
                    "text": "",
                    "ts": ts,
                    "bot_id": "B0PGDUTY",
                    "username": "PagerDuty",
                    "attachments": [
                        {
                            "id": 1,
                            "color": "a30200",
                            "fallback": f"Triggered #{rng.randrange(10_000)}",
                            "text": f"{rng.choice(SERVICES)}: error rate &gt; 5%",
                        }
                    ],
                }
            )
            continue
        ui = rng.randrange(nusers)
        text = rng.choice(TEXTS).format(
            sev=rng.randint(1, 4),
            svc=rng.choice(SERVICES),
            pct=rng.randint(1, 60),
            n=rng.randint(1, 9),
            clock=f"{rng.randint(1, 12)}:{rng.randrange(60):02d} PM",
            next=f"{rng.randint(1, 12)}:{rng.randrange(60):02d} PM",
            mins=rng.choice((15, 30, 60)),
            u1=users.ids[rng.randrange(nusers)],
            u2=users.ids[rng.randrange(nusers)],
        )
        msg: dict[str, Any] = {
            "client_msg_id": rand_uuid(rng),
            "type": "message",
            "text": text,
            "user": users.ids[ui],
            "ts": ts,
            "team": TEAM,
            "user_profile": users.profiles[ui],
        }
        if parents and roll < 0.25:
            parent = parents[rng.randrange(len(parents))]
            msg["thread_ts"] = parent["ts"]
            msg["parent_user_id"] = parent["user"]
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = ts
            replies = parent.setdefault("reply_users", [])
            if msg["user"] not in replies:
                replies.append(msg["user"])
            parent["reply_users_count"] = len(replies)
            parent["thread_ts"] = parent["ts"]
        elif roll > 0.9:
            parents.append(msg)
        if roll > 0.97:
            msg["reactions"] = [{"name": "pushpin", "users": [users.ids[ui]], "count": 1}]
        out.append(msg)
    return out


def write_slack_export(
    out: Path, *, channels: int, messages: int, seed: int = 0, as_zip: bool = True
) -> Path:
    """Write a synthetic Slack export with exactly ``channels`` channels and ``messages`` messages.

    Parameters
    ----------
    out
        The zip file to write (``as_zip=True``) or the folder to fill (``as_zip=False``).
    channels, messages
        Exact sizes: ``channels.json`` lists ``channels`` entries and the day files hold
        ``messages`` messages in total (message counts per channel are skewed).
    seed
        Same seed, same bytes.
    as_zip
        Write a zip (members sorted, fixed dates, deflate level 1) or loose files.

    Returns
    -------
    Path
        ``out``.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_slack_export(Path(tmp) / "bench.zip", channels=20, messages=500)
    ...     sorted(n for n in zipfile.ZipFile(out).namelist() if "/" not in n)
    ['channels.json', 'integration_logs.json', 'users.json']
    """
    if channels < 1 or messages < 0:
        raise ValueError(f"need channels >= 1 and messages >= 0, got {channels=} {messages=}")
    rng = random.Random(seed)
    users = _Users(rng, min(500, max(12, channels // 4 + 10)))
    names = _channel_names(rng, channels)
    counts = _allocate(rng, messages, channels)
    plan = _plan(rng, names, counts)
    members = [
        channel_entry(
            channel_id=f"C0BENCH{i:04d}" if i < 10_000 else f"C0B{i:08d}",
            name=name,
            created=1672531200 + i,
            creator=users.ids[i % len(users.ids)],
            archived=False,
            general=i == 0,
            members=users.ids[:8],
            topic=("", "", 0),
            purpose=("", "", 0),
        )
        for i, name in enumerate(names)
    ]
    top = {
        "channels.json": dumps(members),
        "users.json": dumps(users.entries()),
        "integration_logs.json": dumps([]),
    }
    dirs = sorted({f.name.split("/", 1)[0] + "/" for f in plan})
    return _emit(out, as_zip, seed, top, dirs, plan, users)


def _emit(
    out: Path,
    as_zip: bool,
    seed: int,
    top: dict[str, bytes],
    dirs: list[str],
    plan: list[_DayFile],
    users: _Users,
) -> Path:
    def stream() -> Iterator[tuple[str, bytes | None]]:
        entries: list[tuple[str, _DayFile | None]] = [(n, None) for n in top]
        entries += [(d, None) for d in dirs] + [(f.name, f) for f in plan]
        for name, f in sorted(entries, key=lambda e: e[0]):
            if f is not None:
                yield name, dumps(_day_messages(seed, f, users))
            elif name.endswith("/"):
                yield name, None
            else:
                yield name, top[name]

    if as_zip:
        with open_zip(out, level=1) as zw:
            for name, data in stream():
                zw.add(name, data or b"")
        return out
    for name, data in stream():
        if data is not None:
            write_bytes(out / name, data)
    return out
