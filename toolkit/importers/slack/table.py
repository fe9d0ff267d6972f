"""The ``slack_messages`` table from the raw message columns: times, duplicates, names, text.

The raw columns (:data:`~toolkit.importers.slack.messages.COLUMNS` plus the channel of
each day file) become the table in a few whole-column steps: :func:`with_times` turns
``ts`` into an instant, :func:`dedupe` keeps the first copy of each message,
:func:`with_profiles` adds the authors known only from their messages, and
:func:`message_table` resolves names, renders the text and derives the flags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

import polars as pl

from toolkit.importers._base.common import Rejects
from toolkit.importers.slack.text import render_texts
from toolkit.schema import TABLES

__all__ = ["dedupe", "epoch_us", "lookup", "message_table", "with_channels", "with_profiles", "with_times"]

K = TypeVar("K")


def epoch_us(ts: pl.Series) -> pl.Series:
    """Slack ts strings ("1736935200.000100") as UTC instants, exactly (no floats); nulls stay null.

    Examples
    --------
    >>> epoch_us(pl.Series(["1736935200.000100", "1736935200.5", None])).dt.strftime("%S.%6f").to_list()
    ['00.000100', '00.500000', None]
    """
    six = ((ts.str.len_bytes() - ts.str.find(".", literal=True)) == 7).all()  # nulls are ignored
    if six:  # Slack's own form: the digits without the dot are the microseconds
        us = ts.str.replace(".", "", literal=True).cast(pl.Int64)
    else:
        parts = ts.str.split_exact(".", 1)
        secs = parts.struct.field("field_0").cast(pl.Int64)
        frac = parts.struct.field("field_1").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64)
        us = secs * 1_000_000 + frac
    return us.cast(pl.Datetime("us")).dt.replace_time_zone("UTC").alias(ts.name)


def lookup(keys: pl.Expr, table: Mapping[K, str | None]) -> pl.Expr:
    """``table[key]`` for each key (null when absent), gathered from one small column.

    The strings are not copied per row (as :meth:`~polars.Expr.replace_strict` copies
    them): every row points into the small column's buffer.
    """
    values = pl.Series(list(table.values()), dtype=pl.String)
    if not len(values):
        return pl.lit(None, dtype=pl.String)
    index = {key: i for i, key in enumerate(table)}
    return pl.lit(values).gather(keys.replace_strict(index, default=None, return_dtype=pl.UInt32))


def with_channels(raw: pl.DataFrame, channel_of: Mapping[int, tuple[str, str]]) -> pl.DataFrame:
    """``raw`` with ``channel_id`` and ``channel``, from each day file's (``_file``) conversation."""
    return raw.with_columns(
        channel_id=lookup(pl.col("_file"), {fi: cid for fi, (cid, _) in channel_of.items()}),
        channel=lookup(pl.col("_file"), {fi: name for fi, (_, name) in channel_of.items()}),
    )


def with_times(raw: pl.DataFrame) -> pl.DataFrame:
    """``raw`` with ``at`` (from ``ts``) and ``edited_at`` (from ``edited_ts``)."""
    return raw.with_columns(at=epoch_us(raw["ts"]), edited_at=epoch_us(raw["edited_ts"]))


def dedupe(
    frame: pl.DataFrame, displays: Sequence[str], rejects: Rejects, incident_of: Mapping[int, str | None]
) -> pl.DataFrame:
    """Keep the first copy of each (channel_id, ts); reject the others, naming the first.

    ``displays`` names the day files by index; ``incident_of`` gives each file's incident.
    Two copies of one ts have one instant: when no instant repeats (the usual case), a
    cheap check on ``at`` is all it takes.
    """
    if not frame["at"].is_duplicated().any():
        return frame
    flags = frame.select(pl.struct("channel_id", "ts").is_first_distinct()).to_series()
    if flags.all():
        return frame
    keyed = frame.select("channel_id", "ts", "_file", "_rec").with_columns(_first=flags)
    originals = keyed.filter("_first").select("channel_id", "ts", _f0="_file", _r0="_rec")
    dups = keyed.filter(~pl.col("_first")).join(originals, on=["channel_id", "ts"], how="left")
    for row in dups.sort("_file", "_rec").iter_rows(named=True):
        rejects.add(
            displays[row["_file"]],
            row["_rec"],
            "ts",
            f"duplicate message: ts {row['ts']} was already read from "
            f"{displays[row['_f0']]} (message {row['_r0']})",
            label=f"message {row['_rec']}",
            incident_id=incident_of.get(row["_file"]),
        )
    return frame.filter(flags)


def with_profiles(listed: pl.DataFrame, profiles: dict[str, tuple[str | None, str | None]]) -> pl.DataFrame:
    """users.json, plus authors known only from profiles embedded in their messages."""
    known = set(listed["user_id"].to_list())
    extra = [
        {
            "user_id": uid,
            "user": display or real or uid,
            "display_name": display,
            "real_name": real,
            "listed_in": "message profile",
        }
        for uid, (display, real) in sorted(profiles.items())
        if uid not in known
    ]
    if not extra:
        return listed
    found = pl.DataFrame(extra, schema_overrides=dict(listed.schema)).with_columns(
        is_bot=pl.lit(False), is_deleted=pl.lit(False)
    )
    return pl.concat([listed, found], how="diagonal_relaxed")


def message_table(raw: pl.DataFrame, users: pl.DataFrame, channels: pl.DataFrame) -> pl.DataFrame:
    """The ``slack_messages`` table: names resolved, text rendered, flags derived."""
    # Names by lookup, not by joins: a join would copy every column of the frame.
    listed = users.unique("user_id", keep="first", maintain_order=True)
    name_of = dict(zip(listed["user_id"].to_list(), listed["user"].to_list(), strict=True))
    bot_user = {
        uid for uid, bot in zip(listed["user_id"].to_list(), listed["is_bot"].to_list(), strict=True) if bot
    }
    bots = users.filter(pl.col("bot_id").is_not_null()).unique("bot_id", keep="first", maintain_order=True)
    bot_name = dict(zip(bots["bot_id"].to_list(), bots["user"].to_list(), strict=True))
    df = raw.with_columns(
        _name=lookup(pl.col("user_id"), name_of),
        _user_is_bot=pl.col("user_id").is_in(pl.Series(sorted(bot_user), dtype=pl.String).implode()),
        _bot_user=lookup(pl.col("bot_id"), bot_name),
    )
    user_map = dict(zip(users["user_id"].to_list(), users["user"].to_list(), strict=True))
    channel_map = dict(zip(channels["channel_id"].to_list(), channels["channel"].to_list(), strict=True))
    text = render_texts(df["text"], users=user_map, channels=channel_map)
    schema = TABLES["slack_messages"].schema
    return df.select(
        "channel_id",
        "channel",
        "ts",
        "at",
        user_id=pl.coalesce("user_id", "bot_id"),
        user=pl.when(pl.col("user_id").is_not_null())
        .then(pl.coalesce("_name", "username", "user_id"))
        .otherwise(pl.coalesce("bot_name", "username", "_bot_user", "bot_id")),
        text=text,
        subtype="subtype",
        thread_ts="thread_ts",
        is_thread_reply=pl.col("thread_ts").is_not_null() & (pl.col("thread_ts") != pl.col("ts")),
        reply_count="reply_count",
        is_bot=(
            pl.col("bot_id").is_not_null()
            | pl.col("has_bot_profile")
            | (pl.col("subtype") == "bot_message").fill_null(False)
            | pl.col("_user_is_bot").fill_null(False)
        ),
        edited_at="edited_at",
        reactions="reactions",
        files="files",
        pinned="pinned",
    ).cast(schema)
