"""Slack export importer: fidelity on real exports, rendering, bad input, zip safety, round trips.

Figures on the real exports (tests/fixtures/slack, copied byte for byte from
shared/realdata/slack) are counted independently here with plain ``json``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import tempfile
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import load_slack
from toolkit.errors import ArchiveError, InputFormatError, ToolkitError
from toolkit.importers import detect, get
from toolkit.importers.slack import SlackExport, sniff
from toolkit.importers.slack.text import fallback_text, render_texts
from toolkit.policy import Policy
from toolkit.schema import TABLES, Source, validate

FIXTURES = Path(__file__).parents[1] / "fixtures" / "slack"
VIEWER = FIXTURES / "slack-export-viewer_testarchive_2016.zip"
SLACKDUMP = FIXTURES / "slackdump_source_export_2025-01.zip"
LISTFILES = FIXTURES / "slackdump_export_listfiles"
WARROOM = FIXTURES / "warroom"


# ---------------------------------------------------------------- independent counting


def _raw(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Messages per conversation folder, read with plain json."""
    out: dict[str, list[dict[str, Any]]] = {}
    with zipfile.ZipFile(path) as zf:
        for name in sorted(zf.namelist()):
            parts = name.split("/")
            if len(parts) == 2 and parts[1].endswith(".json"):
                out.setdefault(parts[0], []).extend(json.loads(zf.read(name)))
    return out


def _list(path: Path, name: str) -> list[dict[str, Any]]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(name))


def _is_bot(m: dict[str, Any], bot_users: set[str]) -> bool:
    return bool(
        m.get("bot_id")
        or m.get("bot_profile")
        or m.get("subtype") == "bot_message"
        or m.get("user") in bot_users
    )


@pytest.fixture(scope="module")
def viewer() -> SlackExport:
    return load_slack(VIEWER)


@pytest.fixture(scope="module")
def slackdump() -> SlackExport:
    return load_slack(SLACKDUMP)


@pytest.mark.parametrize("path", [VIEWER, SLACKDUMP], ids=["viewer-2016", "slackdump-2025"])
def test_real_export_counts_match_plain_json(path: Path) -> None:
    export = load_slack(path)
    raw = _raw(path)
    channels = {c["name"]: c["id"] for c in _list(path, "channels.json")}
    bot_users = {u["id"] for u in _list(path, "users.json") if u.get("is_bot")}
    every = [m for msgs in raw.values() for m in msgs]
    msgs = export.messages

    assert msgs.height == len(every)
    per_channel = dict(msgs.group_by("channel").len().iter_rows())
    assert per_channel == {folder: len(ms) for folder, ms in raw.items()}
    assert dict(msgs.group_by("channel_id").len().iter_rows()) == {
        channels[f]: len(ms) for f, ms in raw.items()
    }
    assert Counter(msgs["subtype"].to_list()) == Counter(m.get("subtype") for m in every)
    assert msgs.filter(pl.col("thread_ts") == pl.col("ts")).height == sum(
        m.get("thread_ts") == m["ts"] for m in every
    )
    assert msgs["is_thread_reply"].sum() == sum(
        bool(m.get("thread_ts")) and m["thread_ts"] != m["ts"] for m in every
    )
    assert msgs["reply_count"].drop_nulls().to_list() == [
        m["reply_count"] for m in every if "reply_count" in m
    ]
    assert msgs["is_bot"].sum() == sum(_is_bot(m, bot_users) for m in every)
    assert msgs["edited_at"].is_not_null().sum() == sum("edited" in m for m in every)
    assert msgs["reactions"].list.len().sum() == sum(len(m.get("reactions", [])) for m in every)
    reacted = msgs.filter(pl.col("reactions").list.len() > 0)["reactions"].to_list()
    assert reacted == [
        [{"name": r["name"], "count": r["count"], "users": r["users"]} for r in m["reactions"]]
        for m in every
        if m.get("reactions")
    ]
    assert msgs["files"].sum() == sum(len(m.get("files") or []) + (1 if m.get("file") else 0) for m in every)
    assert sorted(msgs["ts"].to_list()) == sorted(m["ts"] for m in every)
    assert export.rejected.height == 0


def test_viewer_2016_exact_figures(viewer: SlackExport) -> None:
    """The PROVENANCE figures, pinned: 158 messages, 94 bot_message, 8 joins, one edit, one reaction."""
    m = viewer.messages
    assert m.height == 158
    assert dict(m.group_by("channel").len().iter_rows()) == {"enrique": 102, "traveling-sailor": 56}
    assert Counter(m["subtype"].to_list()) == {
        "bot_message": 94,
        None: 49,
        "channel_join": 8,
        "bot_add": 3,
        "file_share": 3,
        "file_comment": 1,
    }
    assert m["is_bot"].sum() == 97  # 94 bot_message + 3 bot_add (they carry the integration's bot_id)
    assert m.filter(pl.col("subtype") == "file_share")["is_bot"].to_list() == [
        False,
        False,
        False,
    ]  # bot_id: null
    assert m["edited_at"].drop_nulls().to_list() == [datetime(2016, 3, 26, 8, 32, 14, tzinfo=UTC)]
    assert m["files"].sum() == 4  # three file_share + one file_comment, each with a legacy `file`
    assert viewer.channels["created_at"].to_list() == [
        datetime(2016, 1, 15, 5, 55, 18, tzinfo=UTC),
        datetime(2016, 1, 17, 0, 0, 22, tzinfo=UTC),
    ]  # channels.json `created` is a string here
    assert viewer.incidents.height == 0
    assert viewer.events.height == 0


def test_slackdump_threads_tombstone_and_profiles(slackdump: SlackExport) -> None:
    m = slackdump.messages
    assert m.height == 16
    parents = m.filter(pl.col("reply_count").is_not_null()).select("ts", "reply_count").rows()
    assert parents == [("1736478630.905399", 2), ("1736554801.872639", 1), ("1736554828.343759", 1)]
    # replies to the 2025-01-10 parent live in 2025-01-11.json and stay linked by thread_ts
    replies = m.filter(pl.col("thread_ts") == "1736478630.905399", pl.col("is_thread_reply"))
    assert replies["ts"].to_list() == ["1736554746.482349", "1736554783.040199"]
    tomb = m.filter(pl.col("subtype") == "tombstone").row(0, named=True)
    assert (tomb["ts"], tomb["reply_count"], tomb["is_thread_reply"]) == ("1736554828.343759", 1, False)
    bot = m.filter(pl.col("is_bot")).row(0, named=True)
    assert (bot["user_id"], bot["ts"]) == ("UO0EC43A4792", "1737160363.583369")  # a bot posting with a `user`
    assert bot["edited_at"] == datetime(2025, 1, 18, 0, 32, 51, tzinfo=UTC)
    assert m.filter(pl.col("files") > 0)["ts"].to_list() == ["1736560990.444379", "1736582524.607359"]
    assert m.filter(pl.col("ts") == "1736582524.607359")["text"].to_list() == [None]  # files only, no text
    assert slackdump.channels.select("channel_id", "channel", "kind", "folder").rows() == [
        ("CO69735E8A", "B75B4C7", "public", "B75B4C7")
    ]
    assert slackdump.channels["created_at"].to_list() == [datetime(2019, 4, 17, 9, 36, 18, tzinfo=UTC)]  # int
    # display name, else real name, else the id
    names = dict(slackdump.users.select("user_id", "user").iter_rows())
    assert names["UOB5F987BF17"] == "YTX35tuC1zyFhKZL"  # display name
    assert names["UOF82F39AE"] == "kPVTqHcBWssWFAU"  # no display name: real name
    assert dict(m.select("user_id", "user").unique().iter_rows())["UOF82F39AE"] == "kPVTqHcBWssWFAU"


def test_list_files_only_export() -> None:
    export = load_slack(LISTFILES)
    assert export.messages.height == 0
    kinds = Counter(export.channels["kind"].to_list())
    assert kinds == {"dm": 8, "public": 2, "mpim": 2}
    dm = export.channels.filter(pl.col("channel_id") == "DGSP8D83S").row(0, named=True)
    assert dm["channel"] == "DGSP8D83S"
    assert dm["members"] == ["UGTRHT2SH", "UGTRHT2SH"]  # a self-DM
    assert export.users.height == 8
    jira = export.users.filter(pl.col("user_id") == "UNEERHWJJ").row(0, named=True)
    assert (jira["user"], jira["is_bot"], jira["is_deleted"], jira["bot_id"]) == (
        "Jira",
        True,
        True,
        "BNE4G8MN3",
    )  # profile real name
    assert export.users.filter(pl.col("tz").is_null()).height == 5


# ---------------------------------------------------------------- rendering


def test_real_rendering(viewer: SlackExport) -> None:
    m = viewer.messages
    text = dict(m.select("ts", "text").iter_rows())
    assert text["1452837318.000002"] == "@hamza has joined the channel"
    assert text["1454884927.000002"] == (
        "@abilinski: https://bitbucket.org/hfaran/security_a2/src/7c019470cf14fd2d14fab276c0a6e4313d393a12/"
        "Q2_sima.py?fileviewer=file-view-default"
    )
    # a GitHub bot message with empty text: its attachment's pretext and text, links rendered
    assert text["1454892394.000004"] == (
        "[enrique:master] 1 new commit by Anthony Bilinski:\n"
        "ed1acbe (https://github.com/mesos-magellan/enrique/commit/ed1acbe9837b5ddf91e93606b604df3c2b4e128f): "
        "executor with simulated annealing rough draft - Anthony Bilinski"
    )
    assert m.filter(pl.col("subtype") == "bot_message", pl.col("text").fill_null("") == "").height == 0
    assert (
        text["1452988746.000017"]
        == "added an integration to this channel: github (https://mesos-magellan.slack.com/services/B0JL6RASU)"
    )


@pytest.mark.parametrize(
    ("raw", "rendered"),
    [
        ("<@U1> hi", "@alice hi"),
        ("<@U1|old-name> hi", "@alice hi"),
        ("<@U9|ghost> and <@U8>", "@ghost and @U8"),
        ("see <#C1|ops> and <#C2> and <#C9>", "see #ops and #general and #C9"),
        ("<!here> <!channel> <!everyone>", "@here @channel @everyone"),
        ("<!subteam^S1|@oncall> please", "@oncall please"),
        ("at <!date^1392734382^{date_short}|Feb 18, 2014>", "at Feb 18, 2014"),
        ("<https://x.io/a?b=1&amp;c=2|the doc>", "the doc (https://x.io/a?b=1&c=2)"),
        ("<https://x.io>", "https://x.io"),
        ("<mailto:a@b.io|a@b.io>", "a@b.io (mailto:a@b.io)"),
        ("a &lt; b &gt; c &amp; d", "a < b > c & d"),
        ("&amp;lt; stays &amp;lt;", "&lt; stays &lt;"),
        ("&lt;@U1&gt; is escaped markup", "<@U1> is escaped markup"),
        ("plain text", "plain text"),
        ("", ""),
        (None, None),
    ],
    ids=[
        "mention",
        "mention-label",
        "unknown-users",
        "channels",
        "broadcasts",
        "subteam",
        "date",
        "link-label",
        "link-bare",
        "mailto",
        "entities",
        "double-escape",
        "escaped-markup",
        "plain",
        "empty",
        "null",
    ],
)
def test_render_texts(raw: str | None, rendered: str | None) -> None:
    out = render_texts(pl.Series([raw], dtype=pl.String), users={"U1": "alice"}, channels={"C2": "general"})
    assert out.to_list() == [rendered]


def test_fallback_text_from_blocks() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Deploy"}},
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [
                        {"type": "text", "text": "by "},
                        {"type": "user", "user_id": "U1"},
                        {"type": "text", "text": " see "},
                        {"type": "link", "url": "https://x.io", "text": "log"},
                    ],
                }
            ],
        },
    ]
    raw = fallback_text({"text": "", "blocks": blocks})
    assert raw == "Deploy\nby <@U1> see <https://x.io|log>"
    assert render_texts(pl.Series([raw]), users={"U1": "alice"}, channels={}).to_list() == [
        "Deploy\nby @alice see log (https://x.io)"
    ]


# ---------------------------------------------------------------- bad input

GOOD = [
    {"type": "message", "user": "U1", "text": "first", "ts": "1735689600.000100"},
    {"type": "message", "user": "U1", "text": "second", "ts": "1735689660.000200"},
]
MSG = {"type": "message", "user": "U1", "text": "x", "ts": "1735776000.000300"}
DAY2 = "general/2025-01-02.json"


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj).encode()


def _write(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def _base() -> dict[str, bytes]:
    return {
        "channels.json": _dumps([{"id": "C1", "name": "general", "created": 1735689600}]),
        "users.json": _dumps([{"id": "U1", "name": "al", "profile": {"display_name": "alice"}}]),
        "general/2025-01-01.json": _dumps(GOOD),
    }


def _with(**kw: Any) -> dict[str, Any]:
    return {**MSG, **kw}


WAR_DAY = "incident-2025-01-02-db/2025-01-02.json"
"""A day file of an unlisted war room: its folder is its id and name, its incident INC-2025-01-02-db."""
WAR_ROOMS = {"incident-2025-01-02-db": "INC-2025-01-02-db"}


# id -> (files to add or replace, rejected (file, record, field) or None when the input is read
# whole with a note, messages loaded, reason (or note) contains). A rejected record of a war
# room names its incident.
BAD_INPUT: dict[str, tuple[dict[str, bytes], tuple[str, int | None, str | None] | None, int, str]] = {
    "truncated-json": (
        {DAY2: b'[{"type": "message", "ts": "17357'},
        (DAY2, 0, None),
        2,
        "truncated at byte 33: message 0 (from byte 1) is cut off; the 0 messages before it were read",
    ),
    "truncated-keeps-complete-records": (
        {DAY2: _dumps([MSG, _with(ts="1735776001.000000")])[:-20]},
        (DAY2, 1, None),
        3,
        "truncated at byte 130: message 1 (from byte 76) is cut off; the 1 message before it was read",
    ),
    "broken-json-keeps-records-before": (
        {DAY2: b'[{"type": "message", "ts": "1735776000.000300"}, {"ts": x}, {"ts": "1735776001.000000"}]'},
        (DAY2, 1, None),
        3,
        "invalid JSON at byte 56: expecting value; message 1 (from byte 49) and the rest were not read",
    ),
    "not-an-array": (
        {DAY2: _dumps(MSG)},
        (DAY2, None, None),
        2,
        "expected a JSON array of messages, got object",
    ),
    "record-not-object": (
        {DAY2: _dumps([MSG, 42])},
        (DAY2, 1, None),
        3,
        "expected a message object, got int",
    ),
    "ts-int": (
        {DAY2: _dumps([_with(ts=1735776000)])},
        None,
        3,
        "general/2025-01-02.json: 1 message(s) with a number as ts, read as Slack's string form "
        "(message 0: 1735776000 as '1735776000.000000')",
    ),
    "ts-float": (
        {DAY2: _dumps([_with(ts=1735776000.0001)])},
        None,
        3,
        "(message 0: 1735776000.0001 as '1735776000.000100')",
    ),
    "ts-bool": ({DAY2: _dumps([_with(ts=True)])}, (DAY2, 0, "ts"), 2, "got bool"),
    "ts-negative-number": ({DAY2: _dumps([_with(ts=-5)])}, (DAY2, 0, "ts"), 2, "got int"),
    "war-room-record-names-its-incident": (
        {WAR_DAY: _dumps([MSG, _with(ts="1735776001.000000", text=5)])},
        (WAR_DAY, 1, "text"),
        3,
        "got int",
    ),
    "war-room-file-names-its-incident": ({WAR_DAY: b""}, (WAR_DAY, None, None), 2, "empty file"),
    "ts-malformed": ({DAY2: _dumps([_with(ts="yesterday")])}, (DAY2, 0, "ts"), 2, "got 'yesterday'"),
    "ts-missing": ({DAY2: _dumps([{"type": "message", "text": "no ts"}])}, (DAY2, 0, "ts"), 2, "missing"),
    "text-number": (
        {DAY2: _dumps([MSG, _with(ts="1735776001.000000", text=5)])},
        (DAY2, 1, "text"),
        3,
        "got int",
    ),
    "user-object": ({DAY2: _dumps([_with(user={"id": "U1"})])}, (DAY2, 0, "user"), 2, "got object"),
    "user-object-with-profile": (
        {DAY2: _dumps([_with(user={"id": "U1"}, user_profile={"display_name": "x"})])},
        (DAY2, 0, "user"),
        2,
        "got object",
    ),
    "reply-count-string": (
        {DAY2: _dumps([_with(reply_count="2")])},
        (DAY2, 0, "reply_count"),
        2,
        "got string",
    ),
    "reply-count-bool": ({DAY2: _dumps([_with(reply_count=True)])}, (DAY2, 0, "reply_count"), 2, "got bool"),
    "reactions-string": (
        {DAY2: _dumps([_with(reactions="+1")])},
        (DAY2, 0, "reactions"),
        2,
        "expected an array",
    ),
    "reaction-count-string": (
        {DAY2: _dumps([_with(reactions=[{"name": "+1", "count": "1", "users": ["U1"]}])])},
        (DAY2, 0, "reactions[0].count"),
        2,
        "got string",
    ),
    "edited-ts-malformed": (
        {DAY2: _dumps([_with(edited={"user": "U1", "ts": "soon"})])},
        (DAY2, 0, "edited.ts"),
        2,
        "soon",
    ),
    "files-object": ({DAY2: _dumps([_with(files={"id": "F1"})])}, (DAY2, 0, "files"), 2, "expected an array"),
    "non-utf8": (
        {DAY2: b'[{"ts": "1735776000.000300", "text": "caf\xe9"}]'},
        None,
        3,
        "general/2025-01-02.json: 1 byte not UTF-8 (at byte 41), read as U+FFFD",
    ),
    "empty-file": ({DAY2: b""}, (DAY2, None, None), 2, "empty file"),
    "duplicate-in-file": ({DAY2: _dumps([MSG, MSG])}, (DAY2, 1, "ts"), 3, "duplicate message"),
    "duplicate-across-files": (
        {DAY2: _dumps([GOOD[0]])},
        (DAY2, 0, "ts"),
        2,
        "general/2025-01-01.json (message 0)",
    ),
    "channel-without-id": (
        {"channels.json": _dumps([{"name": "general"}])},
        ("channels.json", 0, "id"),
        2,
        "missing",
    ),
    "users-truncated": ({"users.json": b"[{"}, ("users.json", 0, None), 2, "truncated at byte 2: entry 0"),
    "channels-truncated-keeps-complete-entries": (
        {
            "channels.json": _dumps(
                [{"id": "C1", "name": "general", "created": 1735689600}, {"id": "C2", "name": "random"}]
            )[:-9]
        },
        ("channels.json", 1, None),
        2,
        "truncated at byte 79: entry 1 (from byte 57) is cut off; the 1 entry before it was read",
    ),
    "users-invalid-json": ({"users.json": b"{[}"}, ("users.json", None, None), 2, "invalid JSON"),
    "channels-not-array": (
        {"channels.json": _dumps({"id": "C1"})},
        ("channels.json", None, None),
        2,
        "expected a JSON array",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_is_rejected_and_counted(tmp_path: Path, case: str) -> None:
    files, rejected, loaded, reason = BAD_INPUT[case]
    root = _write(tmp_path / "export", {**_base(), **files})
    export = load_slack(root)
    assert export.messages.height == loaded
    rows = export.rejected.rows(named=True)
    validate("rejected", export.rejected)
    if rejected is None:
        assert rows == []
        assert any(reason in note for note in export.notes), export.notes
        return
    file, record, field = rejected
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["source"] == "slack"
    assert row["file"] == str(root / file)
    assert (row["record"], row["field"]) == (record, field)
    assert reason in row["reason"]
    assert row["incident_id"] == WAR_ROOMS.get(file.split("/")[0])


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_strict_raises_naming_file_record_field(tmp_path: Path, case: str) -> None:
    files, rejected, loaded, reason = BAD_INPUT[case]
    root = _write(tmp_path / "export", {**_base(), **files})
    if rejected is None:  # nothing is rejected: strict mode reads it too, with the same note
        export = load_slack(root, strict=True)
        assert export.messages.height == loaded
        assert any(reason in note for note in export.notes)
        return
    file, record, field = rejected
    with pytest.raises(InputFormatError) as info:
        load_slack(root, strict=True)
    err = info.value
    assert err.path == str(root / file)
    assert err.field == field
    label = (
        None
        if record is None
        else (f"entry {record}" if file.endswith("s.json") and "/" not in file else f"message {record}")
    )
    assert err.record == label
    assert reason in str(err)


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_reads_the_same_on_both_paths(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The polars decoder gives what the exact (msgspec, per-record) path gives, bad input or not."""
    from toolkit.importers.slack import days

    root = _write(tmp_path / "export", {**_base(), **BAD_INPUT[case][0]})
    exact = load_slack(root)
    monkeypatch.setattr(days, "DECODER", "polars")
    fast = load_slack(root)
    for name, table in fast.tables().items():
        assert table.equals(exact.tables()[name]), name
    assert fast.rejected.equals(exact.rejected)
    assert fast.notes == exact.notes


def test_one_bad_day_file_never_loses_the_others(tmp_path: Path) -> None:
    files = {**_base(), DAY2: b"[{", "general/2025-01-03.json": _dumps([MSG])}
    export = load_slack(_write(tmp_path, files))
    assert export.messages["text"].to_list() == ["first", "second", "x"]
    assert export.rejected["file"].to_list() == [str(tmp_path / DAY2)]


def test_unknown_subtypes_are_kept(tmp_path: Path) -> None:
    export = load_slack(_write(tmp_path, {**_base(), DAY2: _dumps([_with(subtype="huddle_thread_2099")])}))
    assert export.rejected.height == 0
    assert export.messages["subtype"].to_list() == [None, None, "huddle_thread_2099"]


def test_partial_export_without_users_json(tmp_path: Path) -> None:
    files = _base()
    del files["users.json"]
    export = load_slack(_write(tmp_path, files))
    assert export.messages["user"].to_list() == ["U1", "U1"]
    assert export.users.height == 0
    assert any("users.json missing" in n for n in export.notes)


def test_unlisted_folder_is_read_with_its_name_as_id(tmp_path: Path) -> None:
    export = load_slack(_write(tmp_path, {**_base(), "random/2025-01-01.json": _dumps([MSG])}))
    row = export.messages.filter(pl.col("channel") == "random").row(0, named=True)
    assert row["channel_id"] == "random"
    assert export.channels.filter(pl.col("channel") == "random")["kind"].to_list() == ["unlisted"]
    assert any("not in any list file" in n for n in export.notes)


def test_not_a_slack_export(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputFormatError, match="not a Slack export"):
        load_slack(tmp_path)
    with pytest.raises(InputFormatError, match="no such file"):
        load_slack(tmp_path / "missing.zip")


# ---------------------------------------------------------------- zips


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def test_zip_and_folder_read_the_same(tmp_path: Path) -> None:
    with zipfile.ZipFile(SLACKDUMP) as zf:
        zf.extractall(tmp_path / "unzipped")
    a, b = load_slack(SLACKDUMP), load_slack(tmp_path / "unzipped")
    assert a.messages.equals(b.messages)
    assert a.channels.drop("folder").equals(b.channels.drop("folder"))


def test_zip_over_the_cap_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "big.zip", _base())
    with pytest.raises(ArchiveError, match="above the cap of 100 bytes"):
        load_slack(path, max_unzipped_bytes=100)
    assert load_slack(path, max_unzipped_bytes=10_000).messages.height == 2


def test_encrypted_member_is_refused(tmp_path: Path) -> None:
    data = bytearray(_zip(tmp_path / "plain.zip", _base()).read_bytes())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local and central headers: flag bit 0
        start = 0
        while (i := data.find(sig, start)) >= 0:
            data[i + offset] |= 0x01
            start = i + 4
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match="encrypted"):
        load_slack(tmp_path / "locked.zip")


def test_path_traversal_members_are_never_written_or_read(tmp_path: Path) -> None:
    files = {
        **_base(),
        "../evil/2025-01-01.json": _dumps([MSG]),
        "general/../../x/2025-01-01.json": _dumps([MSG]),
    }
    work = tmp_path / "work"
    work.mkdir()
    export = load_slack(_zip(work / "export.zip", files))
    assert export.messages.height == 2
    assert (
        sorted(r for r in export.rejected["reason"].to_list())
        == ["unsafe member name (outside the export); not read"] * 2
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["export.zip", "work"]


# ---------------------------------------------------------------- API, registry, tables


def test_channels_filter() -> None:
    export = load_slack(VIEWER, channels="^enrique$")
    assert export.messages["channel"].unique().to_list() == ["enrique"]
    assert export.messages.height == 102
    assert export.channels["channel"].to_list() == ["enrique"]
    with pytest.raises(ToolkitError, match="not a valid regular expression"):
        load_slack(VIEWER, channels="(")


@pytest.mark.parametrize(
    "path", [VIEWER, SLACKDUMP, LISTFILES, WARROOM], ids=["viewer", "slackdump", "lists", "warroom"]
)
def test_tables_follow_the_schema(path: Path) -> None:
    export = load_slack(path)
    tables = export.tables()
    assert set(tables) == {
        "slack_messages",
        "events",
        "incidents",
        "slack_channels",
        "slack_users",
        "roles",
        "people",
    }
    assert export.messages.columns == list(TABLES["slack_messages"].schema.names())
    for name in ("slack_messages", "events", "incidents"):
        validate(name, tables[name], extra=False)
    validate("rejected", export.rejected, extra=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        export.messages = export.messages  # type: ignore[misc]


def test_sniff_and_registry(tmp_path: Path) -> None:
    importer = get(Source.slack)
    assert importer.sniff is sniff
    assert [sniff(p) for p in (VIEWER, SLACKDUMP, LISTFILES, WARROOM)] == [1.0, 1.0, 1.0, 1.0]
    day_files_only = tmp_path / "days"
    (day_files_only / "general").mkdir(parents=True)
    (day_files_only / "general" / "2025-01-15.json").write_text("[]")
    assert sniff(day_files_only) == 0.7
    assert detect(day_files_only) == Source.slack
    assert sniff(tmp_path) == 0.0
    (tmp_path / "incidents.json").write_text("[]")
    assert not sniff(tmp_path / "incidents.json")
    assert not sniff(_zip(tmp_path / "other.zip", {"incidents.json": b"[]"}))
    loaded = importer.load(VIEWER, strict=False, policy=Policy.default())
    assert isinstance(loaded, SlackExport)
    assert loaded.messages.height == 158


def test_progress_bar_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert load_slack(VIEWER, progress=True).messages.height == 158
    assert "reading" in capsys.readouterr().err


# ---------------------------------------------------------------- round trip (property)

USERS = ["U1", "U2", "U3"]
_text = st.text(alphabet=st.sampled_from(list("abc XYZ<>&|@#!:/.\n🚨é")), max_size=30)
_message = st.fixed_dictionaries(
    {"text": st.one_of(st.none(), _text)},
    optional={
        "user": st.sampled_from(USERS),
        "subtype": st.sampled_from(
            ["bot_message", "channel_join", "me_message", "thread_broadcast", "x_new"]
        ),
        "bot_id": st.sampled_from(["B1", "B2"]),
        "reactions": st.lists(
            st.fixed_dictionaries(
                {
                    "name": st.sampled_from(["+1", "pushpin", "eyes"]),
                    "users": st.lists(st.sampled_from(USERS), max_size=3),
                }
            ),
            max_size=2,
        ),
        "edited": st.just({"user": "U1", "ts": "1735700000.000000"}),
        "files": st.lists(st.just({"id": "F1"}), max_size=2),
        "pinned_to": st.just(["C1"]),
        "attachments": st.just([{"fallback": "alert <https://x.io|x>"}]),
    },
)
_export = st.dictionaries(
    keys=st.sampled_from(["general", "random", "incident-2025-01-02-db", "inc_ops"]),
    values=st.lists(st.lists(_message, max_size=6), min_size=1, max_size=3),
    min_size=1,
    max_size=3,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(export=_export, as_zip=st.booleans(), with_users=st.booleans())
def test_any_generated_export_round_trips_its_messages(
    export: dict[str, list[list[dict[str, Any]]]], as_zip: bool, with_users: bool
) -> None:
    files: dict[str, bytes] = {}
    channels = []
    expected: dict[str, list[str]] = {}
    clock = 1_735_689_600
    for c, (name, days) in enumerate(sorted(export.items())):
        channels.append({"id": f"C{c}", "name": name, "created": str(clock)})
        for d, day in enumerate(days):
            msgs = []
            for m in day:
                clock += 7
                msg = {"type": "message", **m, "ts": f"{clock}.{len(msgs):06d}"}
                if msgs and len(msgs) % 3 == 0:
                    msg["thread_ts"] = msgs[0]["ts"]  # a reply to the day's first message
                msgs.append(msg)
                expected.setdefault(name, []).append(msg["ts"])
            files[f"{name}/2025-01-{d + 1:02d}.json"] = json.dumps(msgs).encode()
    files["channels.json"] = json.dumps(channels).encode()
    if with_users:
        files["users.json"] = json.dumps(
            [{"id": u, "profile": {"display_name": u.lower()}} for u in USERS]
        ).encode()
    with tempfile.TemporaryDirectory() as tmp:
        if as_zip:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as zf:
                for name, data in files.items():
                    zf.writestr(f"export/{name}", data)
            path = Path(tmp) / "export.zip"
            path.write_bytes(buf.getvalue())
        else:
            path = _write(Path(tmp), files)
        loaded = load_slack(path)
    msgs = loaded.messages
    assert loaded.rejected.height == 0
    assert msgs.height == sum(len(v) for v in expected.values())
    assert {k: sorted(v) for k, v in expected.items()} == {
        k: sorted(v) for k, v in msgs.group_by("channel").agg(pl.col("ts")).iter_rows()
    }
    assert msgs.filter(pl.col("is_thread_reply"))["thread_ts"].is_in(msgs["ts"].implode()).all()
    validate("slack_messages", msgs, extra=False)
    validate("events", loaded.events, extra=False)
    validate("incidents", loaded.incidents, extra=False)


@pytest.mark.parametrize("path", [VIEWER, SLACKDUMP, WARROOM], ids=["viewer", "slackdump", "warroom"])
def test_strict_mode_reads_valid_exports_unchanged(path: Path) -> None:
    strict, lenient = load_slack(path, strict=True), load_slack(path)
    assert strict.messages.equals(lenient.messages)
    assert strict.events.equals(lenient.events)


def test_enterprise_grid_org_users(tmp_path: Path) -> None:
    files = _base()
    files["org_users.json"] = files.pop("users.json")
    export = load_slack(_write(tmp_path, files))
    assert export.messages["user"].to_list() == ["alice", "alice"]
    assert export.users["listed_in"].to_list() == ["org_users.json"]
    assert export.notes == ()


def test_authors_named_from_embedded_profiles_without_users_json(tmp_path: Path) -> None:
    message = {
        **MSG,
        "user": "U7",
        "text": "hi <@U7>",
        "user_profile": {"display_name": "", "real_name": "Zed Zee"},
    }
    export = load_slack(
        _write(tmp_path, {"channels.json": _base()["channels.json"], DAY2: _dumps([message])})
    )
    assert export.messages.select("user", "text").rows() == [("Zed Zee", "hi @Zed Zee")]
    assert export.users.select("user_id", "user", "is_bot", "listed_in").rows() == [
        ("U7", "Zed Zee", False, "message profile")
    ]


def test_export_unzipped_into_one_top_folder(tmp_path: Path) -> None:
    _write(tmp_path / "slack-export", _base())
    assert sniff(tmp_path)
    assert load_slack(tmp_path).messages.height == 2


def test_a_folder_holding_only_the_zip_reads_the_zip(tmp_path: Path) -> None:
    (tmp_path / "slack").mkdir()
    _zip(tmp_path / "slack" / "export.zip", _base())
    (tmp_path / "slack" / ".DS_Store").write_bytes(b"")
    assert sniff(tmp_path / "slack") == 1.0
    assert load_slack(tmp_path / "slack").messages.equals(
        load_slack(tmp_path / "slack" / "export.zip").messages
    )


def test_non_utf8_in_an_unread_field_keeps_the_file(tmp_path: Path) -> None:
    """A bad byte where no field is read still costs nothing but a note."""
    bad = b'[{"ts": "1735776000.000300", "text": "ok", "client_msg_id": "caf\xe9"}]'
    export = load_slack(_write(tmp_path / "export", {**_base(), DAY2: bad}))
    assert export.rejected.height == 0
    assert export.messages.filter(pl.col("ts") == "1735776000.000300")["text"].to_list() == ["ok"]
    assert str(tmp_path / "export" / DAY2) + ": 1 byte not UTF-8 (at byte 64), read as U+FFFD" in export.notes


@pytest.mark.parametrize(
    "path",
    [
        Path(__file__).parents[2] / "data/sample/slack/acme-slack-export.zip",
        VIEWER,
        SLACKDUMP,
        LISTFILES,
        WARROOM,
    ],
    ids=lambda p: p.name,
)
def test_typed_and_per_record_paths_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Day files decoded by msgspec give exactly what the per-record (orjson) path gives."""
    from toolkit.importers.slack import messages

    fast = load_slack(path, progress=False)
    monkeypatch.setattr(messages, "_decode_typed", lambda raw: None)
    slow = load_slack(path, progress=False)
    for name, table in fast.tables().items():
        assert table.equals(slow.tables()[name]), name
    assert fast.rejected.equals(slow.rejected)
    assert fast.notes == slow.notes


def test_people_are_the_export_users_with_names_and_emails() -> None:
    export = load_slack(Path(__file__).parents[2] / "data/sample/slack/acme-slack-export.zip", progress=False)
    alice = export.people.filter(pl.col("ref") == "U0ALICE").row(0, named=True)
    assert alice == {
        "person_id": "slack:U0ALICE",
        "source": "slack",
        "ref": "U0ALICE",
        "name": "Alice Chen",
        "display_names": ["alice", "Alice Chen"],
        "emails": ["alice@acme.example"],
        "aliases": [],
        "is_bot": False,
    }
    assert export.people.height == export.users.height
    assert (
        export.people.filter("is_bot")["ref"].to_list() == export.users.filter("is_bot")["user_id"].to_list()
    )
    validate("people", export.people, extra=False)
