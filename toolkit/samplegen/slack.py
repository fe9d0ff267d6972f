"""Render the story's Slack messages as a real workspace export zip.

Layout: ``channels.json``, ``users.json``, ``integration_logs.json`` and one folder per
channel holding ``YYYY-MM-DD.json`` day files (UTC dates) with the messages of that day,
oldest first. Thread replies live in the day file of the reply, not of the parent.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._util import dumps, open_zip, rand_uuid, slack_ts
from .accounts import TEAM_ID
from .model import Channel, Message, Scenario
from .slack_meta import (
    avatar,
    channel_entry,
    escape,
    file_object,
    integration_logs,
    mrkdwn,
    user_entry,
    user_profile,
)

_BOT_ICONS = {
    "image_36": "https://avatars.slack-edge.com/2024-06-13/incident-bot_36.png",
    "image_48": "https://avatars.slack-edge.com/2024-06-13/incident-bot_48.png",
    "image_72": "https://avatars.slack-edge.com/2024-06-13/incident-bot_72.png",
}


class _Threads:
    """Thread structure: ``reply_to`` keys resolve within one incident's messages."""

    def __init__(self, groups: list[tuple[Message, ...]]) -> None:
        self.parent: dict[int, Message] = {}
        self.children: dict[int, list[Message]] = defaultdict(list)
        for group in groups:
            keyed = {m.key: m for m in group if m.key}
            for m in sorted(group, key=lambda m: m.at):
                if m.reply_to is not None:
                    parent = keyed[m.reply_to]
                    self.parent[id(m)] = parent
                    self.children[id(parent)].append(m)


class _Renderer:
    """Turns story :class:`Message` objects into export dicts for one seed."""

    def __init__(self, story: Scenario, rng: random.Random) -> None:
        self.story = story
        self.rng = rng
        self.pics = {p.key: avatar(rng) for p in story.people}
        self.people = {p.key: p for p in story.people}
        self.bots = {b.key: b for b in story.bots}
        self.channel_ids = {c.name: c.channel_id for c in story.channels}
        self.users = {p.key: p.slack_id for p in story.people}
        self.ts: dict[int, str] = {}

    def mrkdwn(self, text: str) -> str:
        return mrkdwn(text, users=self.users, channels=self.channel_ids)

    def assign_ts(self, msgs: list[Message]) -> None:
        """Give each message a ``ts`` unique in its channel, ordered like the story."""
        seen: set[tuple[str, str]] = set()
        last: dict[tuple[str, int], int] = {}
        for m in msgs:
            sec = int(m.at.timestamp())
            floor = last.get((m.channel, sec), 0)
            micros = floor + self.rng.randrange(1, 99_999)
            last[(m.channel, sec)] = micros
            ts = slack_ts(m.at, micros)
            assert (m.channel, ts) not in seen
            seen.add((m.channel, ts))
            self.ts[id(m)] = ts

    def user(self, key: str) -> str:
        return self.people[key].slack_id

    def base(self, m: Message) -> dict[str, Any]:
        ts = self.ts[id(m)]
        if m.subtype in ("channel_join", "channel_topic", "channel_archive"):
            uid = self.user(m.author)
            text = {
                "channel_join": f"<@{uid}> has joined the channel",
                "channel_topic": f"<@{uid}> set the channel topic: {self.mrkdwn(m.text)}",
                "channel_archive": f"<@{uid}> archived the channel",
            }[m.subtype]
            out: dict[str, Any] = {
                "type": "message",
                "subtype": m.subtype,
                "ts": ts,
                "user": uid,
                "text": text,
            }
            if m.subtype == "channel_topic":
                out["topic"] = self.mrkdwn(m.text)
            return out
        bot = self.bots.get(m.author)
        if bot is None:
            person = self.people[m.author]
            return {
                "client_msg_id": rand_uuid(self.rng),
                "type": "message",
                "text": self.mrkdwn(m.text),
                "user": person.slack_id,
                "ts": ts,
                "team": TEAM_ID,
                "user_team": TEAM_ID,
                "source_team": TEAM_ID,
                "user_profile": user_profile(person, self.pics[person.key]),
            }
        out = {"type": "message"}
        if not m.as_user:
            out["subtype"] = "bot_message"
        out["text"] = self.mrkdwn(m.text)
        if m.as_user and bot.user_id:
            out["user"] = bot.user_id
        out |= {"ts": ts, "bot_id": bot.bot_id}
        if bot.key == "incident-bot":
            out["app_id"] = bot.app_id
            out["bot_profile"] = {
                "id": bot.bot_id,
                "deleted": False,
                "name": bot.name,
                "updated": 1718300000,
                "app_id": bot.app_id,
                "icons": _BOT_ICONS,
                "team_id": TEAM_ID,
            }
            if m.as_user:
                out["team"] = TEAM_ID
        else:
            out["username"] = bot.name
        if m.attachment is not None:
            resolved = m.attachment.startswith("Resolved")
            out["attachments"] = [
                {
                    "id": 1,
                    "color": "2eb886" if resolved else "a30200",
                    "fallback": escape(m.attachment),
                    "text": escape(m.attachment),
                    "title": escape(m.attachment.split(": ", 1)[-1]),
                    "mrkdwn_in": ["text"],
                }
            ]
        return out

    def message(self, m: Message, threads: _Threads) -> dict[str, Any]:
        out = self.base(m)
        if m.edited_at is not None:
            out["edited"] = {"user": out.get("user", ""), "ts": slack_ts(m.edited_at, 0)}
        replies = threads.children.get(id(m), [])
        if replies:
            users = list(dict.fromkeys(self.author_id(r) for r in replies))
            out |= {
                "thread_ts": out["ts"],
                "reply_count": len(replies),
                "reply_users_count": len(users),
                "latest_reply": self.ts[id(replies[-1])],
                "reply_users": users,
                "replies": [{"user": self.author_id(r), "ts": self.ts[id(r)]} for r in replies],
                "is_locked": False,
                "subscribed": False,
            }
        if m.reply_to is not None:
            parent = threads.parent[id(m)]
            out |= {"thread_ts": self.ts[id(parent)], "parent_user_id": self.author_id(parent)}
        if m.file is not None:
            out["files"] = [
                file_object(self.rng, name=m.file, user=out["user"], created=int(m.at.timestamp()))
            ]
            out["upload"] = False
            out["display_as_bot"] = False
        if m.reactions:
            out["reactions"] = [
                {"name": name, "users": [self.user(u) for u in who], "count": len(who)}
                for name, who in m.reactions
            ]
        if m.pinned_by is not None:
            out["pinned_to"] = [self.channel_ids[m.channel]]
        return out

    def author_id(self, m: Message) -> str:
        bot = self.bots.get(m.author)
        if bot is not None:
            return bot.user_id or bot.bot_id
        return self.user(m.author)

    def pin_notice(self, m: Message, at: datetime, micros: int) -> dict[str, Any]:
        assert m.pinned_by is not None
        uid = self.user(m.pinned_by)
        return {
            "type": "message",
            "subtype": "pinned_item",
            "ts": slack_ts(at, micros),
            "user": uid,
            "text": f"<@{uid}> pinned a message to this channel.",
            "item_type": "C",
            "attachments": [
                {
                    "fallback": self.mrkdwn(m.text.split("\n", 1)[0]),
                    "ts": self.ts[id(m)],
                    "author_id": self.author_id(m),
                    "channel_id": self.channel_ids[m.channel],
                }
            ],
        }


def _day(ts: str) -> str:
    return datetime.fromtimestamp(int(ts.split(".")[0]), UTC).strftime("%Y-%m-%d")


def build_export(story: Scenario, *, seed: int) -> dict[str, bytes]:
    """All members of the sample export, name -> bytes (directories excluded)."""
    rng = random.Random(seed)
    r = _Renderer(story, rng)
    msgs = sorted(story.messages(), key=lambda m: m.at)
    r.assign_ts(msgs)
    threads = _Threads([i.messages for i in story.incidents] + [story.chatter])
    per_channel: dict[str, list[dict[str, Any]]] = defaultdict(list)
    pins: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in msgs:
        out = r.message(m, threads)
        per_channel[m.channel].append(out)
        if m.pinned_by is not None:
            notice = r.pin_notice(m, m.at.replace(second=min(m.at.second + 25, 59)), 900_000)
            per_channel[m.channel].append(notice)
            pins[m.channel].append(
                {
                    "id": out["ts"],
                    "type": "C",
                    "created": int(float(notice["ts"])),
                    "user": notice["user"],
                    "owner": r.author_id(m),
                }
            )
    files: dict[str, bytes] = {}
    entries = []
    for ch in story.channels:
        rows = sorted(per_channel[ch.name], key=lambda d: float(d["ts"]))
        by_day: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_day[_day(row["ts"])].append(row)
        for day, day_rows in by_day.items():
            files[f"{ch.name}/{day}.json"] = dumps(day_rows)
        entries.append(_channel_json(story, ch, rows, pins.get(ch.name)))
    files["channels.json"] = dumps(entries)
    bot_users = {b.user_id: b for b in story.bots if b.user_id}
    files["users.json"] = dumps(
        [
            user_entry(p, r.pics[p.key], updated=1735689600 + i * 3600, bot=bot_users.get(p.slack_id))
            for i, p in enumerate(story.people)
        ]
    )
    files["integration_logs.json"] = dumps(integration_logs())
    return files


def _channel_json(
    story: Scenario, ch: Channel, rows: list[dict[str, Any]], pins: list[dict[str, Any]] | None
) -> dict[str, Any]:
    deleted = {p.slack_id for p in story.people if p.deleted}
    users = {row["user"] for row in rows if "user" in row} - deleted
    topics = [row for row in rows if row.get("subtype") == "channel_topic"]
    if ch.war_room and rows:
        created = int(float(rows[0]["ts"])) - 5
        creator = story.person(ch.creator).slack_id if ch.creator else rows[0]["user"]
    else:
        created, creator = 1677657600, "U0LENA"
        users |= {p.slack_id for p in story.people if not p.deleted}
    topic = ("", "", 0)
    if topics:
        last = topics[-1]
        topic = (last["topic"], last["user"], int(float(last["ts"])))
    return channel_entry(
        channel_id=ch.channel_id,
        name=ch.name,
        created=created,
        creator=creator,
        archived=ch.archived,
        general=ch.is_general,
        members=users,
        topic=topic,
        purpose=(escape(ch.purpose), creator, created),
        pins=pins,
    )


def write_slack_sample(out_dir: Path, story: Scenario, *, seed: int) -> Path:
    """Write ``out_dir/acme-slack-export.zip`` and return its path."""
    files = build_export(story, seed=seed)
    path = out_dir / "acme-slack-export.zip"
    names = set(files)
    names |= {n.split("/", 1)[0] + "/" for n in files if "/" in n}
    with open_zip(path) as zw:
        for name in sorted(names):
            zw.add(name, files.get(name, b""))
    return path
