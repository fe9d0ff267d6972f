"""Slack workspace exports: messages, conversations and users, plus war-room incidents.

Reads an export as a ``.zip`` or an unzipped folder (official exports, Enterprise Grid
exports with ``org_users.json``, and exports made by slackdump) into the ``slack_messages`` table
of :mod:`toolkit.schema`, and turns the conversations in incident channels (names matching
the policy's ``[slack] incident_channel_pattern``) into ``events`` and ``incidents`` (see
:mod:`toolkit.importers.slack.events`).

Bad input never disappears silently: an unreadable day file, a record that is not an
object or has a field of the wrong type, and a second copy of a message (same conversation
and ``ts``) each become a row of ``rejected`` (file, record index, field, reason), and the
rest of the export loads. ``strict=True`` raises :class:`~toolkit.errors.InputFormatError`
at the first one instead. Zip archives are never extracted to disk; see
:mod:`toolkit.importers._base.inputs` for the size cap and the refusal of encrypted members.

Examples
--------
>>> from toolkit import load_slack
>>> export = load_slack("data/sample/slack/acme-slack-export.zip", progress=False)
>>> export.messages.height, export.channels.height
(261, 14)
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from toolkit.errors import InputFormatError, ToolkitError
from toolkit.importers import Importer, register
from toolkit.importers._base.common import Rejects
from toolkit.importers._base.inputs import Member, open_input
from toolkit.importers.slack.days import read_day_files
from toolkit.importers.slack.events import derive_incidents
from toolkit.importers.slack.incidents import incident_ids
from toolkit.importers.slack.lists import CHANNEL_SCHEMA, LIST_FILES, Lists, folder_index, read_lists
from toolkit.importers.slack.messages import DAY_FILE
from toolkit.importers.slack.rules import SlackPolicy
from toolkit.importers.slack.table import dedupe, message_table, with_channels, with_profiles, with_times
from toolkit.policy import Policy
from toolkit.progress import progress as progress_bar
from toolkit.schema import Source, conform

__all__ = ["SlackExport", "load_slack", "sniff"]


@dataclass(frozen=True)
class SlackExport:
    """One Slack export, read.

    Attributes
    ----------
    messages
        One row per message, exactly the ``slack_messages`` schema columns.
    channels
        One row per conversation (``slack_channels``): id, name, kind (public, private,
        mpim, dm, or unlisted for a folder no list file names), creation, topic, purpose,
        members, the folder it was read from, its message count and, for incident
        channels, the incident id.
    users
        One row per user (``slack_users``): id, display name as used in ``messages.user``,
        handle, real name, title, time zone, bot and deleted flags.
    rejected
        Bad files and records (the ``rejected`` schema).
    notes
        Warnings for the import report (a missing ``users.json``, unlisted folders, ...).
    events, incidents, roles
        War-room data derived from incident channels: the core ``events``, ``incidents``
        and ``roles`` tables (who was named to which role, when, in which message).
    people
        The core ``people`` table: every user of the export (``person_id``
        ``slack:<user id>``; names, e-mail, bot flag).
    """

    messages: pl.DataFrame
    channels: pl.DataFrame
    users: pl.DataFrame
    rejected: pl.DataFrame
    notes: tuple[str, ...]
    events: pl.DataFrame
    incidents: pl.DataFrame
    roles: pl.DataFrame
    people: pl.DataFrame

    def tables(self) -> Mapping[str, pl.DataFrame]:
        """Workspace tables: core ``incidents``, ``events``, ``roles``, ``people``; the ``slack_*`` tables."""
        return {
            "incidents": self.incidents,
            "events": self.events,
            "roles": self.roles,
            "people": self.people,
            "slack_messages": self.messages,
            "slack_channels": self.channels,
            "slack_users": self.users,
        }


def _core_roles(roles: pl.DataFrame) -> pl.DataFrame:
    """The war rooms' role assignments as the core ``roles`` table."""
    return conform(
        "roles",
        roles.select(
            "incident_id",
            "role",
            person=pl.col("user"),
            person_id=pl.lit("slack:") + pl.col("user_id"),
            assigned_at=pl.col("at"),
            source=pl.lit(Source.slack.value),
            ref=pl.col("ref"),
        ),
    )


def _people(users: pl.DataFrame) -> pl.DataFrame:
    """Every user as a core ``people`` row (names the war rooms use first)."""
    names = (
        pl.concat_list("display_name", "real_name", "handle")
        .list.drop_nulls()
        .list.unique(maintain_order=True)
    )
    return conform(
        "people",
        users.select(
            person_id=pl.lit("slack:") + pl.col("user_id"),
            source=pl.lit(Source.slack.value),
            ref=pl.col("user_id"),
            name=pl.coalesce("real_name", "display_name", "handle", "user_id"),
            display_names=names,
            emails=pl.concat_list("email").list.drop_nulls(),
            aliases=pl.lit([], dtype=pl.List(pl.String)),
            is_bot=pl.col("is_bot"),
        ),
    )


def load_slack(
    path: str | Path,
    *,
    channels: str | None = None,
    strict: bool = False,
    policy: Policy | None = None,
    progress: bool | None = None,
    max_unzipped_bytes: int | None = None,
) -> SlackExport:
    """Read a Slack export (zip or folder) into tidy tables.

    Parameters
    ----------
    path
        The export: a ``.zip`` or the folder it unzips to.
    channels
        Optional regular expression (Python syntax, searched anywhere in the name): only
        conversations whose name matches are read.
    strict
        Raise :class:`~toolkit.errors.InputFormatError` on the first bad file or record
        instead of listing it in ``rejected``.
    policy
        The policy whose ``[slack]`` table says which channels are war rooms and how
        messages become events; default :meth:`Policy.default`.
    progress
        Show a progress bar (default: when in a terminal or notebook).
    max_unzipped_bytes
        Refuse zips larger than this when uncompressed (default 8 GiB; see
        :func:`toolkit.importers._base.inputs.max_unzipped_bytes`).

    Returns
    -------
    SlackExport

    Examples
    --------
    >>> export = load_slack("tests/fixtures/slack/warroom", channels="^incident-", progress=False)
    >>> export.incidents.sort("incident_id").select("incident_id", "severity").rows()
    [('INC-2025-03-04-db', 'SEV1'), ('INC-2025-03-06-quiet', None), ('INC-2025-03-07-cache', 'SEV2')]
    """
    policy = policy or Policy.default()
    rules = SlackPolicy.from_policy(policy)
    wanted = _channel_filter(channels)
    rejects = Rejects(Source.slack, strict=strict)
    notes: list[str] = []
    with open_input(_export_root(Path(path)), max_unzipped=max_unzipped_bytes) as inp:
        lists = read_lists(inp, rejects, notes)
        days, ignored = _day_files(inp.members, rejects)
        if not lists.present and not days:
            raise InputFormatError(
                inp.path,
                None,
                None,
                "not a Slack export: no channels.json/users.json and no <conversation>/YYYY-MM-DD.json files",
                hint="point at the export's .zip or at the folder it unzips to",
            )
        folders = _folders(days, lists)
        chosen = [(fi, m) for fi, m in enumerate(days) if wanted.search(folders[_folder(m)][1])]
        listed = _listed_channels(lists, folders, wanted)
        war_rooms, _ = incident_ids(
            dict(zip(listed["channel_id"].to_list(), listed["channel"].to_list(), strict=True)),
            rules.incident_channel,
        )
        incident_of = {fi: war_rooms.get(folders[_folder(m)][0]) for fi, m in chosen}
        with progress_bar(f"reading {inp.path.name}", total=len(chosen), enabled=progress) as advance:
            cols = read_day_files(
                chosen,
                rejects,
                known_users=lists.users["user_id"].to_list(),
                incidents=incident_of,
                advance=advance,
            )
    notes = _notes(lists, folders, ignored) + notes + list(cols.notes)
    users = with_profiles(lists.users, cols.profiles)
    raw = dedupe(
        with_times(with_channels(cols.frame, {fi: folders[_folder(m)] for fi, m in chosen})),
        [m.display for m in days],
        rejects,
        incident_of,
    )
    del cols  # memory: from here on only the columns in use are kept
    messages = message_table(raw, users, lists.channels)
    raw_text = raw["text"]
    del raw
    channel_table = _channel_table(listed, folders, messages)
    derived = derive_incidents(messages.with_columns(raw_text=raw_text), channel_table, users, rules=rules)
    channel_table = channel_table.join(
        derived.channel_incidents, on="channel_id", how="left", maintain_order="left"
    ).with_columns(pl.col("is_incident").fill_null(False))
    return SlackExport(
        messages=messages,
        channels=channel_table,
        users=users,
        rejected=rejects.frame(),
        notes=tuple(notes + list(derived.notes)),
        events=derived.events,
        incidents=derived.incidents,
        roles=_core_roles(derived.roles),
        people=_people(users),
    )


def _channel_filter(pattern: str | None) -> re.Pattern[str] | _All:
    if pattern is None:
        return _All()
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ToolkitError(f"channels={pattern!r}: not a valid regular expression: {exc}") from None


class _All:
    def search(self, _name: str) -> bool:
        return True


def _export_root(path: Path) -> Path:
    """Where the export of ``path`` is: inside a folder that holds nothing but one folder (an
    export unzipped into ``export/``) or nothing but one zip (``slack/acme-export.zip``)."""
    if path.is_dir():
        entries = [p for p in path.iterdir() if not p.name.startswith(".")]
        if len(entries) == 1 and entries[0].is_dir() and any((entries[0] / n).is_file() for n in LIST_FILES):
            return entries[0]
        if len(entries) == 1 and entries[0].is_file() and zipfile.is_zipfile(entries[0]):
            return entries[0]
    return path


def _folder(member: Member) -> str:
    return member.name.split("/", 1)[0]


def _day_files(members: tuple[Member, ...], rejects: Rejects) -> tuple[list[Member], list[str]]:
    """The day files, in a stable order, and the names of the other files (not read)."""
    days: list[Member] = []
    ignored: list[str] = []
    for m in members:
        if m.name in LIST_FILES:
            continue
        match = DAY_FILE.match(m.name)
        if match is None or match["folder"] in (".", ".."):
            if ".." in m.parts or m.name.startswith("/"):
                rejects.add(m.display, None, None, "unsafe member name (outside the export); not read")
            else:
                ignored.append(m.name)
            continue
        days.append(m)
    return days, ignored


def _folders(days: list[Member], lists: Lists) -> dict[str, tuple[str, str]]:
    """Folder name -> (channel id, channel name); unlisted folders stand for themselves."""
    index = folder_index(lists.channels)
    return {f: index.get(f, (f, f)) for f in {_folder(m) for m in days}}


def _notes(lists: Lists, folders: dict[str, tuple[str, str]], ignored: list[str]) -> list[str]:
    notes = []
    if not ({"users.json", "org_users.json"} & lists.present):
        notes.append(
            "users.json missing: people are named from the profiles embedded in their messages, else by their ids"
        )
    listed = set(lists.channels["channel_id"].to_list())
    unlisted = sorted(f for f, (cid, _) in folders.items() if cid not in listed)
    if unlisted:
        shown = ", ".join(unlisted[:5]) + (" ..." if len(unlisted) > 5 else "")
        notes.append(
            f"{len(unlisted)} conversation folder(s) not in any list file, read with the folder name as id: {shown}"
        )
    if ignored:
        shown = ", ".join(ignored[:3]) + (" ..." if len(ignored) > 3 else "")
        notes.append(f"{len(ignored)} file(s) that are not day files were not read: {shown}")
    if lists.canvases:
        notes.append(f"canvases.json lists {lists.canvases} canvas(es); canvas contents are not imported")
    return notes


def _listed_channels(
    lists: Lists, folders: dict[str, tuple[str, str]], wanted: re.Pattern[str] | _All
) -> pl.DataFrame:
    """Listed conversations plus unlisted folders, those ``wanted``, without message counts."""
    listed = set(lists.channels["channel_id"].to_list())
    unlisted = [
        {"channel_id": cid, "channel": name, "kind": "unlisted"}
        for cid, name in sorted(set(folders.values()))
        if cid not in listed
    ]
    table = pl.concat([lists.channels, pl.DataFrame(unlisted, schema=CHANNEL_SCHEMA)], how="vertical")
    return table.filter(
        pl.col("channel").map_elements(lambda n: bool(wanted.search(n)), return_dtype=pl.Boolean)
    )


def _channel_table(
    table: pl.DataFrame, folders: dict[str, tuple[str, str]], messages: pl.DataFrame
) -> pl.DataFrame:
    """``slack_channels``: :func:`_listed_channels` with their folders and message counts."""
    by_id = {cid: f for f, (cid, _) in sorted(folders.items())}
    counts = messages.group_by("channel_id").agg(message_count=pl.len().cast(pl.Int64))
    return (
        table.with_columns(
            folder=pl.col("channel_id").replace_strict(by_id, default=None, return_dtype=pl.String)
        )
        .join(counts, on="channel_id", how="left")
        .with_columns(pl.col("message_count").fill_null(0))
    )


def sniff(path: Path) -> float:
    """How much ``path`` looks like a Slack export (0..1; looks at names only, never parses).

    A folder or zip with Slack's list files (``channels.json``, ``users.json``, ...) at its
    root or under one top folder scores 1 with both, 0.9 with one; one with only
    ``<conversation>/YYYY-MM-DD.json`` day files 0.7. A folder holding only one folder with
    the export inside (or only one zip) is read from there.
    """
    path = _export_root(Path(path))
    lists: set[str] = set()
    days = False
    if path.is_dir():
        lists = {n for n in LIST_FILES if (path / n).is_file()}
        days = next(path.glob("*/[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9].json"), None) is not None
    elif path.is_file() and zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError):
            return 0.0
        for name in names:
            parts = name.replace("\\", "/").split("/")
            if parts[-1] in LIST_FILES and len(parts) <= 2:
                lists.add(parts[-1])
            elif len(parts) >= 2 and DAY_FILE.match("/".join(parts[-2:])):
                days = True
    if {"channels.json", "users.json"} <= lists:
        return 1.0
    if lists:
        return 0.9
    return 0.7 if days else 0.0


def _load(path: Path, *, strict: bool, policy: Policy) -> SlackExport:
    return load_slack(path, strict=strict, policy=policy)


register(
    Importer(
        source=Source.slack,
        sniff=sniff,
        load=_load,
        description="Slack workspace export (.zip or folder; official, Enterprise Grid or slackdump)",
    )
)
