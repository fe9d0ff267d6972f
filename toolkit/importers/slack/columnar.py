"""Day files decoded by polars straight into typed columns, on worker threads.

The message reader uses this decoder when
:data:`toolkit.importers.slack.days.DECODER` is ``"polars"`` (see there for why msgspec
is the default on a busy 2-core machine).

polars' JSON reader turns a day file into Arrow columns natively, without a Python object
per value, and releases the GIL while it does (so worker threads decode on both cores).
It is lenient where the importer must not be: a number or ``true`` given for a string
field becomes its text, a float or bool given for a whole number is cast, a string given
for an array of strings becomes a one-element array. A file is therefore taken from
polars only when nothing in it can have been read differently from the exact, per-record
path of :mod:`toolkit.importers.slack.messages`:

* :func:`decode` refuses what polars refuses itself: invalid JSON or UTF-8, a record that
  is not an object, an object or array where a string is expected, and a document that
  is not an array;
* :func:`linted`, one regular expression over the bytes, finds every value polars would
  coerce (a false alarm costs only speed);
* :func:`doubtful` finds, in the decoded columns, what polars accepts but the importer
  rejects (a malformed ``ts``, a reaction without a name, ...).

Any such file is read by the exact path instead, which rejects exactly its bad records
with file, record and field. :func:`columns` then gives the fast files' columns in the
layout of :data:`~toolkit.importers.slack.messages.COLUMNS`, the attachments' fallback
text included, vectorised; a message whose only text is in its blocks is rendered by
:func:`~toolkit.importers.slack.text.fallback_text`, one by one (they are rare). Embedded
profiles are decoded only from files whose authors users.json does not all list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from toolkit.importers.slack.messages import COLUMNS, TS_PATTERN
from toolkit.schema import REACTION

__all__ = [
    "DAY_SCHEMA",
    "LINT",
    "PROFILE_SCHEMA",
    "columns",
    "decode",
    "doubtful",
    "linted",
    "profiles",
    "text_from_blocks",
]

_S = pl.String()
DAY_SCHEMA = pl.Schema(
    {
        "ts": _S,
        "user": _S,
        "text": _S,
        "subtype": _S,
        "thread_ts": _S,
        "reply_count": pl.Int64(),
        "bot_id": _S,
        "username": _S,
        "edited": pl.Struct({"ts": _S}),
        "reactions": pl.List(pl.Struct({"name": _S, "count": pl.Int64(), "users": pl.List(_S)})),
        "files": pl.List(pl.Struct({"id": _S})),
        "file": pl.Struct({"id": _S}),
        "pinned_to": pl.List(_S),
        "bot_profile": pl.Struct({"name": _S}),
        "attachments": pl.List(pl.Struct({"pretext": _S, "title": _S, "text": _S, "fallback": _S})),
    }
)
"""What polars decodes of each message (everything else in a message is skipped)."""

PROFILE_SCHEMA = pl.Schema({"user": _S, "user_profile": pl.Struct({"display_name": _S, "real_name": _S})})
"""The embedded profiles, decoded only from files with authors users.json does not list."""

_STRING_KEYS = (
    "user|text|subtype|thread_ts|bot_id|username|name|display_name|real_name|pretext|title|fallback"
)
_HEX = "[0-9a-fA-F]"
LINT = "|".join(
    (
        # a number or true/false where a string is read ("text": 5)
        rf'"(?:{_STRING_KEYS})"\s*:\s*[-0-9tf]',
        # a number with a fraction or exponent for a ts (a whole number fails the ts check)
        r'"ts"\s*:\s*-?\d+[.eE]',
        # true/false, a fraction or a number too large for a whole-number field
        r'"(?:reply_count|count)"\s*:\s*(?:[tf]|-?\d+[.eE]|-?\d{19})',
        # anything but an array (or null) for an array of strings, or a non-string in one
        r'"(?:users|pinned_to)"\s*:\s*[^\[n\s]',
        r'"users"\s*:\s*\[\s*(?:"(?:[^"\\]|\\.)*"\s*,\s*)*[-0-9tf]',
        # a key written with \u escapes: the patterns above would not see it
        rf'\\u{_HEX}{{4}}(?:[^"\\]|\\.)*"\s*:',
        # a lone high surrogate: polars reads it as NUL where orjson refuses the file
        rf"\\u[dD][89abAB]{_HEX}{{2}}(?:[^\\]|\\[^u]|\\u[^dD]|\\u[dD][^c-fC-F])",
    )
)
"""Matches somewhere in a day file whose values polars would read differently (module docs)."""

_ARRAY_START = re.compile(rb"[ \t\n\r]*\[")


def decode(raw: bytes, *, known: frozenset[str] | None = None) -> pl.DataFrame | None:
    """The messages of one day file as :data:`DAY_SCHEMA` columns, or None where polars refuses it.

    With ``known`` (the user ids of users.json), a file with other authors also gets
    their embedded profiles (:data:`PROFILE_SCHEMA`'s ``user_profile`` column).

    Examples
    --------
    >>> decode(b'[{"ts": "1736935200.000100", "text": "hi"}]').select("ts", "text").rows()
    [('1736935200.000100', 'hi')]
    >>> decode(b'[{"ts": "1736935200.000100"}, 42]') is None
    True
    """
    if _ARRAY_START.match(raw) is None:
        return None
    try:
        frame = pl.read_json(raw, schema=DAY_SCHEMA)
        if known is not None and not known.issuperset(frame["user"].drop_nulls().unique().to_list()):
            frame = frame.with_columns(pl.read_json(raw, schema=PROFILE_SCHEMA)["user_profile"])
    except pl.exceptions.PolarsError:
        return None
    return frame


def linted(raws: Sequence[bytes]) -> list[bool]:
    """For each file's bytes, whether :data:`LINT` (or invalid UTF-8) sends it to the exact path."""
    if not raws:
        return []
    texts = pl.Series(raws, dtype=pl.Binary).cast(pl.String, strict=False)
    return texts.str.contains(LINT).fill_null(True).to_list()


def doubtful(frame: pl.DataFrame) -> set[int]:
    """``_file`` of each file with a value polars read that the exact path would reject."""
    ts_ok = pl.col("ts").str.contains(TS_PATTERN).fill_null(False)
    edited = pl.col("edited").struct.field("ts")
    bad = frame.select(~ts_ok | (edited.is_not_null() & ~edited.str.contains(TS_PATTERN))).to_series()
    files = set(frame["_file"].filter(bad).to_list()) if bad.any() else set()
    reactions = frame["reactions"].drop_nulls()
    if not len(reactions):
        return files
    if reactions.list.len().sum() == reactions.list.drop_nulls().list.len().sum():  # no null reaction
        each = reactions.explode().drop_nulls().struct
        if not (each.field("name").is_null().any() or _has_null_user(each.field("users"))):
            return files
    wrong = (
        frame.filter(pl.col("reactions").list.len() > 0)
        .select("_file", r="reactions")
        .explode("r")
        .filter(
            pl.col("r").is_null()
            | pl.col("r").struct.field("name").is_null()
            | (
                pl.col("r").struct.field("users").list.len()
                != pl.col("r").struct.field("users").list.drop_nulls().list.len()
            )
        )
    )
    return files | set(wrong["_file"].to_list())


def _has_null_user(users: pl.Series) -> bool:
    users = users.drop_nulls()
    return bool(users.list.len().sum() != users.list.drop_nulls().list.len().sum())


def columns(frame: pl.DataFrame) -> pl.DataFrame:
    """The :data:`COLUMNS` of decoded messages (``frame`` adds ``_file`` and ``_rec``).

    Messages that need their blocks for text keep their own (empty) text here; see
    :func:`text_from_blocks`.
    """
    files, file = pl.col("files"), pl.col("file")
    bot_name = pl.col("bot_profile").struct.field("name")
    return frame.select(
        pl.col("_file").cast(pl.Int32),
        pl.col("_rec").cast(pl.Int32),
        "ts",
        pl.col("user").alias("user_id"),
        text=_with_attachment_text(frame),
        subtype="subtype",
        thread_ts="thread_ts",
        reply_count="reply_count",
        bot_id="bot_id",
        username="username",
        edited_ts=pl.col("edited").struct.field("ts"),
        files=pl.when(files.is_not_null())
        .then(files.list.len())
        .when(file.is_not_null())
        .then(1)
        .otherwise(0)
        .cast(pl.Int64),
        pinned=pl.col("pinned_to").list.len().fill_null(0) > 0,
        has_bot_profile=pl.col("bot_profile").is_not_null(),
        bot_name=pl.when(bot_name != "").then(bot_name),
        reactions=_reactions(frame),
    ).select(COLUMNS.names())


def _reactions(frame: pl.DataFrame) -> pl.Expr:
    """Reactions as the schema has them: a missing count is the number of users, no users is []."""
    none = pl.lit([], dtype=pl.List(REACTION))
    each = frame["reactions"].explode().drop_nulls().struct
    if not (each.field("count").is_null().any() or each.field("users").is_null().any()):
        return pl.col("reactions").cast(pl.List(REACTION)).fill_null(none)  # as Slack writes them
    r = pl.element().struct
    users = r.field("users").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    fixed = pl.struct(
        name=r.field("name"),
        count=pl.coalesce(r.field("count"), users.list.len().cast(pl.Int64)),
        users=users,
    )
    return pl.col("reactions").list.eval(fixed).cast(pl.List(REACTION)).fill_null(none)


def _empty_text() -> pl.Expr:
    return pl.col("text").is_null() | (pl.col("text") == "")


def _with_attachment_text(frame: pl.DataFrame) -> pl.Series:
    """``text``, where it is empty, from the attachments: pretext, title and text, else fallback.

    One line per attachment part, as :func:`~toolkit.importers.slack.text.fallback_text`
    gives them (vectorised over the messages that need it).
    """
    text = frame["text"]
    rows = frame.select(pl.arg_where(_empty_text() & (pl.col("attachments").list.len() > 0))).to_series()
    if not len(rows):
        return text
    att = pl.col("a").struct

    def given(field: str) -> pl.Expr:
        value = att.field(field)
        return pl.when(value != "").then(value)

    parts = pl.concat_str(given("pretext"), given("title"), given("text"), separator="\n", ignore_nulls=True)
    lines = (
        pl.DataFrame({"_row": rows, "a": frame["attachments"].gather(rows)})
        .explode("a")
        .select("_row", _line=pl.when(parts != "").then(parts).otherwise(given("fallback")))
        .group_by("_row", maintain_order=True)
        .agg(pl.col("_line").drop_nulls().str.join("\n"))
        .filter(pl.col("_line") != "")
    )
    out = text.clone()
    out.scatter(lines["_row"], lines["_line"])
    return out


def text_from_blocks(frame: pl.DataFrame, text: pl.Series, with_blocks: set[int]) -> pl.DataFrame:
    """Messages still without ``text`` (the rendered column) in files that hold blocks.

    ``_row`` (the position in ``frame``), ``_file`` and ``_rec`` of each; the caller
    renders them one by one with :func:`~toolkit.importers.slack.text.fallback_text`
    (which gives nothing for a message without blocks).
    """
    if not with_blocks:
        return frame.select("_file", "_rec").with_row_index("_row").clear()
    empty = text.is_null() | (text == "")
    return (
        frame.select("_file", "_rec")
        .with_row_index("_row")
        .filter(empty & pl.col("_file").is_in(list(with_blocks)))
    )


def profiles(frame: pl.DataFrame, known: pl.Series) -> pl.DataFrame:
    """The first embedded profile of each author not in ``known``: ``_file``, ``_rec``, user, names."""
    if "user_profile" not in frame.columns:
        return pl.DataFrame(
            schema={"_file": pl.Int32, "_rec": pl.Int32, "user": _S, "display": _S, "real": _S}
        )
    prof = pl.col("user_profile").struct
    display, real = prof.field("display_name"), prof.field("real_name")
    return (
        frame.filter(
            pl.col("user_profile").is_not_null()
            & pl.col("user").is_not_null()
            & ~pl.col("user").is_in(known.implode())
        )
        .unique("user", keep="first", maintain_order=True)
        .select(
            "_file",
            "_rec",
            "user",
            display=pl.when(display != "").then(display),
            real=pl.when(real != "").then(real),
        )
    )
