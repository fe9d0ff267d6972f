"""The list files of a Slack export: conversations (channels, groups, DMs, MPIMs) and users.

An official export has ``channels.json`` (public channels), ``groups.json`` (private
channels), ``dms.json`` and ``mpims.json`` (direct and group messages), ``users.json``
(``org_users.json`` on Enterprise Grid), ``integration_logs.json`` and ``canvases.json``.
Any of them may be missing; a missing ``users.json`` leaves authors unresolved (their ids
stand in for names) and says so in the notes.

Each conversation's messages live in a folder named after the conversation: its name for
channels, groups and MPIMs, its id for DMs. :func:`folder_index` maps folder names to the
conversations listed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import polars as pl

from toolkit.importers._base.common import BadField, Rejects, type_name
from toolkit.importers._base.inputs import Input, Member
from toolkit.importers._base.jsonfile import read_json_array
from toolkit.schema import UTC as UTC_DTYPE

__all__ = [
    "CHANNEL_SCHEMA",
    "CONVERSATION_FILES",
    "LIST_FILES",
    "USER_SCHEMA",
    "Lists",
    "folder_index",
    "read_lists",
]

CONVERSATION_FILES: Mapping[str, str] = {
    "channels.json": "public",
    "groups.json": "private",
    "mpims.json": "mpim",
    "dms.json": "dm",
}
"""Conversation list files and the kind of conversation each lists."""

USER_FILES = ("users.json", "org_users.json")
OTHER_FILES = ("integration_logs.json", "canvases.json")
LIST_FILES = (*CONVERSATION_FILES, *USER_FILES, *OTHER_FILES)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

CHANNEL_SCHEMA = pl.Schema(
    {
        "channel_id": pl.String(),
        "channel": pl.String(),
        "kind": pl.String(),
        "created_at": UTC_DTYPE,
        "creator_id": pl.String(),
        "is_archived": pl.Boolean(),
        "is_general": pl.Boolean(),
        "topic": pl.String(),
        "purpose": pl.String(),
        "members": pl.List(pl.String()),
        "listed_in": pl.String(),
    }
)
"""Columns of one listed conversation (``slack_channels`` adds folder and counts)."""

USER_SCHEMA = pl.Schema(
    {
        "user_id": pl.String(),
        "user": pl.String(),
        "handle": pl.String(),
        "display_name": pl.String(),
        "real_name": pl.String(),
        "email": pl.String(),
        "title": pl.String(),
        "tz": pl.String(),
        "is_bot": pl.Boolean(),
        "is_deleted": pl.Boolean(),
        "bot_id": pl.String(),
        "listed_in": pl.String(),
    }
)
"""Columns of ``slack_users``: ``user`` is the display name, else the real name, else the id."""


@dataclass(frozen=True)
class Lists:
    """What the list files say: conversations, users, and which list files were present."""

    channels: pl.DataFrame
    users: pl.DataFrame
    present: frozenset[str]
    integrations: int
    canvases: int


def read_lists(inp: Input, rejects: Rejects, notes: list[str]) -> Lists:
    """Read every list file at the root of ``inp`` (missing ones are simply absent).

    A truncated list keeps its complete entries (see
    :func:`~toolkit.importers._base.jsonfile.read_json_array`); warnings go to ``notes``.
    """
    present: set[str] = set()
    channel_rows: list[dict[str, Any]] = []
    user_rows: list[dict[str, Any]] = []
    counts = {name: 0 for name in OTHER_FILES}
    for name in LIST_FILES:
        member = inp.find(name)
        if member is None:
            continue
        present.add(name)
        records = _records(member, rejects, notes)
        if name in CONVERSATION_FILES:
            kind = CONVERSATION_FILES[name]
            channel_rows += _rows(records, member, rejects, partial(_channel, kind=kind, listed_in=name))
        elif name in USER_FILES:
            user_rows += _rows(records, member, rejects, partial(_user, listed_in=name))
        else:
            counts[name] = len(records)
    channels = pl.DataFrame(channel_rows, schema=CHANNEL_SCHEMA, orient="row")
    channels = channels.unique("channel_id", keep="first", maintain_order=True)
    users = pl.DataFrame(user_rows, schema=USER_SCHEMA, orient="row")
    users = users.unique("user_id", keep="first", maintain_order=True)
    return Lists(
        channels=channels,
        users=users,
        present=frozenset(present),
        integrations=counts["integration_logs.json"],
        canvases=counts["canvases.json"],
    )


def _records(member: Member, rejects: Rejects, notes: list[str]) -> list[tuple[int, dict[str, Any]]]:
    data = read_json_array(member, rejects, notes, noun="entry")
    if data is None:
        return []
    out = []
    for i, rec in enumerate(data):
        if isinstance(rec, dict):
            out.append((i, rec))
        else:
            rejects.add(
                member.display, i, None, f"expected an object, got {type_name(rec)}", label=f"entry {i}"
            )
    return out


def _rows(
    records: list[tuple[int, dict[str, Any]]],
    member: Member,
    rejects: Rejects,
    convert: Callable[[dict[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    rows = []
    for i, rec in records:
        try:
            rows.append(convert(rec))
        except BadField as bad:
            rejects.add(member.display, i, bad.field, bad.problem, label=f"entry {i}")
    return rows


def _get(
    rec: Mapping[str, Any], key: str, types: tuple[type, ...], what: str, *, required: bool = False
) -> Any:
    value = rec.get(key)
    if value is None:
        if required:
            raise BadField(key, f"missing; expected {what}")
        return None
    if type(value) not in types:
        raise BadField(key, f"expected {what}, got {type_name(value)}")
    return value


def _text(rec: Mapping[str, Any], key: str) -> str | None:
    value = _get(rec, key, (str, dict), "a string or an object with 'value'")
    if isinstance(value, dict):
        inner = value.get("value")
        if inner is not None and not isinstance(inner, str):
            raise BadField(f"{key}.value", f"expected a string, got {type_name(inner)}")
        return inner or None
    return value or None


def _epoch(rec: Mapping[str, Any], key: str) -> int | None:
    """Seconds since the epoch as Slack writes them: an int or a string of digits."""
    value = _get(rec, key, (int, str), "seconds since the epoch (a number or a string of digits)")
    if isinstance(value, str):
        head = value.split(".", 1)[0]
        if not head.isdigit():
            raise BadField(key, f"expected seconds since the epoch, got {value!r}")
        return int(head) * 1_000_000
    return None if value is None else value * 1_000_000


def _channel(rec: Mapping[str, Any], *, kind: str, listed_in: str) -> dict[str, Any]:
    cid = _get(rec, "id", (str,), "a conversation id string", required=True)
    name = _get(rec, "name", (str,), "a string") or cid
    members = _get(rec, "members", (list,), "an array of user ids")
    if members is not None and not all(isinstance(m, str) for m in members):
        raise BadField("members", "expected an array of user id strings")
    created = _epoch(rec, "created")
    return {
        "channel_id": cid,
        "channel": name,
        "kind": kind,
        "created_at": None if created is None else _to_dt(created),
        "creator_id": _get(rec, "creator", (str,), "a user id string") or None,
        "is_archived": bool(_get(rec, "is_archived", (bool,), "true or false")),
        "is_general": bool(_get(rec, "is_general", (bool,), "true or false")),
        "topic": _text(rec, "topic"),
        "purpose": _text(rec, "purpose"),
        "members": members,
        "listed_in": listed_in,
    }


def _to_dt(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _user(rec: Mapping[str, Any], *, listed_in: str) -> dict[str, Any]:
    uid = _get(rec, "id", (str,), "a user id string", required=True)
    profile = _get(rec, "profile", (dict,), "an object") or {}
    display = _get(profile, "display_name", (str,), "a string") or None
    real = (
        _get(rec, "real_name", (str,), "a string") or _get(profile, "real_name", (str,), "a string") or None
    )
    return {
        "user_id": uid,
        "user": display or real or uid,
        "handle": _get(rec, "name", (str,), "a string") or None,
        "display_name": display,
        "real_name": real,
        "email": _get(profile, "email", (str,), "a string") or None,
        "title": _get(profile, "title", (str,), "a string") or None,
        "tz": _get(rec, "tz", (str,), "a time zone name") or None,
        "is_bot": bool(_get(rec, "is_bot", (bool,), "true or false")),
        "is_deleted": bool(_get(rec, "deleted", (bool,), "true or false")),
        "bot_id": _get(profile, "bot_id", (str,), "a string") or None,
        "listed_in": listed_in,
    }


def folder_index(channels: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """Folder name -> (channel_id, channel name): by name first, then by id (DM folders)."""
    index: dict[str, tuple[str, str]] = {}
    rows = list(zip(channels["channel_id"].to_list(), channels["channel"].to_list(), strict=True))
    for cid, name in rows:
        index.setdefault(cid, (cid, name))
    for cid, name in rows:
        index[name] = (cid, name)
    return index
