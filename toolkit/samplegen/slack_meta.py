"""Slack export side files: mrkdwn rendering, ``users.json``, ``channels.json``, integrations."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ._util import rand_hex
from .accounts import SLACK_DOMAIN, TEAM_ID
from .model import Bot, Person

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_URL = re.compile(r"(?<![<|\w])(https?://[^\s<>|]+[^\s<>|.,)])")
_MENTION = re.compile(r"(?<![\w<|/.])@([a-z][a-z0-9-]*)")
_CHANNEL = re.compile(r"(?<![\w&<|/])#([a-z0-9][a-z0-9_-]*)")


def escape(text: str) -> str:
    """Slack's three HTML escapes: ``&`` ``<`` ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str, *, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """Render story text as raw Slack mrkdwn, as it appears in an export.

    ``users`` maps handles to Slack user ids, ``channels`` channel names to channel ids;
    unknown handles and channels stay as written.

    Examples
    --------
    >>> mrkdwn("ping @alice in #incidents: error rate > 10% & rising",
    ...        users={"alice": "U0ALICE"}, channels={"incidents": "C0INCIDENTS"})
    'ping <@U0ALICE> in <#C0INCIDENTS|incidents>: error rate &gt; 10% &amp; rising'
    """
    out = escape(text)
    out = _LINK.sub(lambda m: f"<{m[2]}|{m[1]}>", out)
    out = _URL.sub(lambda m: f"<{m[1]}>", out)

    def mention(m: re.Match[str]) -> str:
        handle = m[1]
        if handle in ("here", "channel", "everyone"):
            return f"<!{handle}>"
        uid = users.get(handle)
        return f"<@{uid}>" if uid else m[0]

    def channel(m: re.Match[str]) -> str:
        cid = channels.get(m[1])
        return f"<#{cid}|{m[1]}>" if cid else m[0]

    return _CHANNEL.sub(channel, _MENTION.sub(mention, out))


def avatar(rng: random.Random) -> dict[str, str]:
    """Gravatar-style image URLs keyed by size, plus an ``avatar_hash``."""
    h = rand_hex(rng, 32)
    images = {
        f"image_{s}": f"https://secure.gravatar.com/avatar/{h}.jpg?s={s}&d=mm"
        for s in (24, 32, 48, 72, 192, 512)
    }
    return {"avatar_hash": "g" + h[:11], **images}


def user_profile(person: Person, pics: Mapping[str, str]) -> dict[str, Any]:
    """The ``user_profile`` object embedded in a user's messages."""
    first = person.real_name.partition(" ")[0]
    return {
        "avatar_hash": pics["avatar_hash"],
        "image_72": pics["image_72"],
        "first_name": first,
        "real_name": person.real_name,
        "display_name": person.key,
        "team": TEAM_ID,
        "name": person.key,
        "is_restricted": False,
        "is_ultra_restricted": False,
    }


def user_entry(
    person: Person, pics: Mapping[str, str], *, updated: int, bot: Bot | None = None
) -> dict[str, Any]:
    """One ``users.json`` entry (``bot``: the integration a bot user belongs to)."""
    first, _, last = person.real_name.partition(" ")
    profile: dict[str, Any] = {
        "title": person.title,
        "phone": "",
        "skype": "",
        "real_name": person.real_name,
        "real_name_normalized": person.real_name.replace("'", ""),
        "display_name": person.key,
        "display_name_normalized": person.key,
        "fields": None,
        "status_text": "",
        "status_emoji": "",
        "status_expiration": 0,
        "avatar_hash": pics["avatar_hash"],
        "first_name": first,
        "last_name": last,
        **{k: v for k, v in pics.items() if k.startswith("image_")},
        "team": TEAM_ID,
    }
    if person.is_bot:
        assert bot is not None, f"{person.key} is a bot user without its bot"
        profile |= {"bot_id": bot.bot_id, "api_app_id": bot.app_id, "always_active": True}
    elif not person.deleted:
        profile["email"] = f"{person.key}@acme.example"
    entry: dict[str, Any] = {
        "id": person.slack_id,
        "team_id": TEAM_ID,
        "name": person.key,
        "deleted": person.deleted,
        "color": pics["avatar_hash"][1:7],
        "real_name": person.real_name,
    }
    if not person.deleted:
        entry |= {"tz": "America/Los_Angeles", "tz_label": "Pacific Standard Time", "tz_offset": -28800}
    return entry | {
        "profile": profile,
        "is_admin": person.key == "alice",
        "is_owner": person.key == "lena",
        "is_primary_owner": person.key == "lena",
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": person.is_bot,
        "is_app_user": False,
        "updated": updated,
    }


def channel_entry(
    *,
    channel_id: str,
    name: str,
    created: int,
    creator: str,
    archived: bool,
    general: bool,
    members: Iterable[str],
    topic: tuple[str, str, int],
    purpose: tuple[str, str, int],
    pins: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One ``channels.json`` entry (``created`` and ``last_set`` are integers)."""
    entry: dict[str, Any] = {
        "id": channel_id,
        "name": name,
        "created": created,
        "creator": creator,
        "is_archived": archived,
        "is_general": general,
        "members": sorted(members),
    }
    if pins:
        entry["pins"] = pins
    entry["topic"] = {"value": topic[0], "creator": topic[1], "last_set": topic[2]}
    entry["purpose"] = {"value": purpose[0], "creator": purpose[1], "last_set": purpose[2]}
    return entry


def integration_logs() -> list[dict[str, Any]]:
    """``integration_logs.json``: when the three integrations were added."""
    return [
        {
            "user_id": "U0ALICE",
            "user_name": "alice",
            "date": "1718300000",
            "change_type": "added",
            "app_id": "A0INCBOT",
            "app_type": "incident-bot",
            "scope": "bot,commands,channels:manage,chat:write",
            "reason": "",
        },
        {
            "user_id": "U0BOB",
            "user_name": "bob",
            "date": "1690000000",
            "change_type": "added",
            "service_id": "3141592653",
            "service_type": "PagerDuty",
            "scope": "incoming-webhook",
            "channel": "incidents",
        },
        {
            "user_id": "U0BOB",
            "user_name": "bob",
            "date": "1680000000",
            "change_type": "added",
            "service_id": "2718281828",
            "service_type": "Incoming WebHooks",
            "scope": "incoming-webhook",
            "channel": "deploys",
        },
    ]


def file_object(rng: random.Random, *, name: str, user: str, created: int) -> dict[str, Any]:
    """A ``files[]`` element for an uploaded PNG screenshot."""
    fid = "F0" + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=9))
    base = f"https://files.slack.com/files-pri/{TEAM_ID}-{fid}"
    return {
        "id": fid,
        "created": created,
        "timestamp": created,
        "name": name,
        "title": name.rsplit(".", 1)[0].replace("-", " "),
        "mimetype": "image/png",
        "filetype": "png",
        "pretty_type": "PNG",
        "user": user,
        "user_team": TEAM_ID,
        "editable": False,
        "size": rng.randrange(40_000, 240_000),
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": True,
        "public_url_shared": False,
        "display_as_bot": False,
        "username": "",
        "url_private": f"{base}/{name}",
        "url_private_download": f"{base}/download/{name}",
        "original_w": 1600,
        "original_h": 900,
        "permalink": f"https://{SLACK_DOMAIN}.slack.com/files/{user}/{fid}/{name}",
        "is_starred": False,
        "has_rich_preview": False,
    }
