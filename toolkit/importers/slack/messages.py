"""The exact path of the message reader: day files read record by record, each one checked.

This module reads the day files (with the polars decoder of
:mod:`toolkit.importers.slack.columnar`, only those it doubts) and defines the columns
both give. A file is first decoded by msgspec
into typed :class:`~toolkit.importers.slack.shapes.SlackMessage` structs (only the fields
we read, types checked in C) and transposed into columns in C; rare fields (edits,
reactions, files, pins, bot profiles) arrive as raw JSON and are parsed only where
present, into sparse ``(row, value)`` pairs. A file that does not decode that way is
parsed with orjson (:func:`~toolkit.importers._base.jsonfile.read_json_array`: bad bytes
read as U+FFFD, the complete records of a truncated file kept) and every field pulled out
with one list comprehension per field. Every few tens of thousands of messages the
columns are type-checked (``set(map(type, column))``, a C-speed pass) and turned into one
polars frame. Only the records that fail a check are looked at one by one, to name them
in ``rejected``.

A record whose fields have the wrong JSON type is rejected whole (never half-read): the
``rejected`` row names the file, the record's index in the day file, the field and the
war room's incident. A numeric ``ts`` (``1736935200`` or ``1736935200.0001``) is read as
Slack's 6-decimal string (``"1736935200.000100"``), with a note.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import Any

import msgspec
import orjson
import polars as pl

from toolkit.importers._base.common import BadField, Rejects, type_name
from toolkit.importers._base.inputs import Member
from toolkit.importers._base.jsonfile import read_json_array
from toolkit.importers.slack.shapes import DAY_DECODER, RAW_FIELDS, SlackMessage
from toolkit.importers.slack.text import fallback_text
from toolkit.schema import REACTION

__all__ = ["COLUMNS", "DAY_FILE", "TS_PATTERN", "Exact", "canonical_ts"]

DAY_FILE = re.compile(r"^(?P<folder>[^/]+)/(?P<day>\d{4}-\d{2}-\d{2})\.json$")
"""A conversation's day file, relative to the export root."""

TS_PATTERN = r"^\d{1,12}\.\d{1,9}$"
"""What a Slack message timestamp looks like ("1736935200.000100")."""
TS_HINT = 'expected a Slack timestamp string like "1736935200.000100"'

_STR = (str, type(None))
DENSE: dict[str, tuple[type, ...]] = {
    "ts": (str,),
    "user": _STR,
    "text": _STR,
    "subtype": _STR,
    "thread_ts": _STR,
    "reply_count": (int, type(None)),
    "bot_id": _STR,
    "username": _STR,
}
"""Fields read from every message, and the JSON types each may have."""
SPARSE = ("edited", "reactions", "files", "file", "pinned_to", "bot_profile")
"""Fields most messages lack; kept as (row, value) pairs."""
_WHAT = {str: "a string", int: "a whole number"}

_DENSE_OF = attrgetter(*DENSE)
_RAW_OF = attrgetter(*RAW_FIELDS, "user_profile", "attachments", "blocks")

BATCH_ROWS = 65_536

COLUMNS = pl.Schema(
    {
        "_file": pl.Int32(),
        "_rec": pl.Int32(),
        "ts": pl.String(),
        "user_id": pl.String(),
        "text": pl.String(),
        "subtype": pl.String(),
        "thread_ts": pl.String(),
        "reply_count": pl.Int64(),
        "bot_id": pl.String(),
        "username": pl.String(),
        "edited_ts": pl.String(),
        "files": pl.Int64(),
        "pinned": pl.Boolean(),
        "has_bot_profile": pl.Boolean(),
        "bot_name": pl.String(),
        "reactions": pl.List(REACTION),
    }
)
"""The columns both paths give per message (``_file`` indexes the day files, ``_rec`` the record in one)."""


@dataclass
class Exact:
    """Collects the columns of the day files read by the exact path (:meth:`read`).

    ``displays`` and ``incidents`` name each day file (by its index) and its war room's
    incident; :attr:`frames` holds the checked columns (:data:`COLUMNS`), :attr:`notes`
    the warnings. Embedded profiles are kept for authors not in :attr:`known`, the first
    one seen for each (:attr:`profiles`, from the file :attr:`profile_files` says).
    """

    rejects: Rejects
    displays: list[str]
    incidents: list[str | None]
    dense: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in DENSE})
    sparse: dict[str, list[tuple[int, Any]]] = field(default_factory=lambda: {k: [] for k in SPARSE})
    file: list[int] = field(default_factory=list)
    rec: list[int] = field(default_factory=list)
    profiles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    known: set[Any] = field(default_factory=set)
    """User ids already named (users.json, or a profile seen); ``None`` stands for "no user"."""
    frames: list[pl.DataFrame] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profile_files: dict[str, int] = field(default_factory=dict)

    def read(self, fi: int, member: Member, raw: bytes) -> None:
        """Read one day file (its bytes ``raw``), rejecting its bad records (strict: raising)."""
        typed = _decode_typed(raw)
        if typed is None or not self.add_typed(fi, typed):
            self._read_records(fi, member, raw)
        if self.rejects.strict or len(self.file) >= BATCH_ROWS:
            self.flush()

    def _read_records(self, fi: int, member: Member, raw: bytes) -> None:
        data = read_json_array(
            member,
            self.rejects,
            self.notes,
            data=raw,
            noun="message",
            what="a JSON array of messages",
            incident_id=self.incidents[fi],
        )
        if data is None:
            return
        if set(map(type, data)) - {dict}:
            idx = []
            for i, m in enumerate(data):
                if type(m) is dict:
                    idx.append(i)
                else:
                    self.rejects.add(
                        member.display,
                        i,
                        None,
                        f"expected a message object, got {type_name(m)}",
                        label=f"message {i}",
                        incident_id=self.incidents[fi],
                    )
            self.add(fi, [data[i] for i in idx], idx)
        else:
            self.add(fi, data, range(len(data)))

    def add(self, fi: int, msgs: list[dict[str, Any]], idx: Sequence[int]) -> None:
        """Take the fields of one day file's messages (all of them dicts).

        The keys used anywhere in the file are gathered first (one C-speed pass); a field
        no message has costs nothing more.
        """
        n = len(msgs)
        base = len(self.file)
        present = set().union(*msgs)
        for key, col in self.dense.items():
            values: list[Any] = [m.get(key) for m in msgs] if key in present else [None] * n
            if key == "ts" and not all(type(v) is str for v in values):
                self._numeric_ts(fi, values, idx)
            if key == "text" and ("" in values or None in values) and present & {"attachments", "blocks"}:
                for i, t in enumerate(values):
                    if not t and ("attachments" in msgs[i] or "blocks" in msgs[i]):
                        values[i] = fallback_text(msgs[i]) or t
            col.extend(values)
        for key, pairs in self.sparse.items():
            if key in present:
                values = [m.get(key) for m in msgs]
                pairs.extend([(base + i, v) for i, v in enumerate(values) if v is not None])
        if "user_profile" in present:
            users = self.dense["user"][base:]
            try:
                named = self.known.issuperset(users)
            except TypeError:  # a user id of the wrong type (rejected at flush)
                named = False
            if not named:
                self._profiles(fi, users, [m.get("user_profile") for m in msgs])
        self.file.extend([fi] * n)
        self.rec.extend(idx)

    def add_typed(self, fi: int, msgs: list[SlackMessage]) -> bool:
        """Take the fields of one day file decoded by :data:`DAY_DECODER`, as :meth:`add` would.

        The columns are transposed in C; raw fields are parsed only where present. Returns
        False, having taken nothing, when a raw field is not valid JSON for orjson (the file
        is then read by the per-record path, which rejects it as :meth:`add`'s caller does).
        """
        n = len(msgs)
        if not n:
            return True
        base = len(self.file)
        dense = list(zip(*map(_DENSE_OF, msgs), strict=True))
        raws = list(zip(*map(_RAW_OF, msgs), strict=True))
        rows = range(n)
        try:
            sparse = {
                key: [(base + i, v) for i in compress(rows, col) if (v := _loads(col[i])) is not None]
                for key, col in zip(RAW_FIELDS, raws, strict=False)
            }
            *_, prof_col, att_col, blk_col = raws
            users = dense[1]
            known = self.known
            profiles = [
                (users[i], _loads(prof_col[i])) for i in compress(rows, prof_col) if users[i] not in known
            ]
            texts = dense[2]
            fallbacks = [
                (
                    i,
                    {k: _loads(r) for k, r in (("attachments", att_col[i]), ("blocks", blk_col[i])) if r},
                )
                for i in sorted({*compress(rows, att_col), *compress(rows, blk_col)})
                if not texts[i]
            ]
        except orjson.JSONDecodeError:
            return False
        for key, values in zip(DENSE, dense, strict=True):
            self.dense[key].extend(values)
        text_col = self.dense["text"]
        for i, msg in fallbacks:
            text_col[base + i] = fallback_text(msg) or texts[i]
        for key, pairs in sparse.items():
            self.sparse[key].extend(pairs)
        if profiles:
            self._profiles(fi, [u for u, _ in profiles], [p for _, p in profiles])
        self.file.extend([fi] * n)
        self.rec.extend(rows)
        return True

    def _profiles(self, fi: int, users: list[Any], profiles: list[Any]) -> None:
        for uid, prof in zip(users, profiles, strict=True):
            if type(uid) is str and type(prof) is dict and uid not in self.known:
                display, real = prof.get("display_name"), prof.get("real_name")
                self.profiles[uid] = (
                    display if type(display) is str and display else None,
                    real if type(real) is str and real else None,
                )
                self.profile_files[uid] = fi
                self.known.add(uid)

    def _numeric_ts(self, fi: int, values: list[Any], idx: Sequence[int]) -> None:
        """Numbers given as ``ts`` become Slack's string form, in place, with a note."""
        first = None
        count = 0
        for i, v in enumerate(values):
            if type(v) in (int, float) and (text := canonical_ts(v)) is not None:
                values[i] = text
                count += 1
                first = first or (idx[i], v, text)
        if first is not None:
            rec, number, text = first
            self.notes.append(
                f"{self.displays[fi]}: {count} message(s) with a number as ts, read as Slack's "
                f"string form (message {rec}: {number!r} as {text!r})"
            )

    def flush(self) -> None:
        """Check the collected columns and turn them into one frame."""
        n = len(self.file)
        if not n:
            return
        bad: dict[int, tuple[str, str]] = {}
        for key, allowed in DENSE.items():
            col = self.dense[key]
            if set(map(type, col)) - set(allowed):
                for i, v in enumerate(col):
                    if type(v) not in allowed:
                        what = " or ".join(_WHAT[t] for t in allowed if t in _WHAT)
                        problem = (
                            f"missing; {TS_HINT}" if v is None else f"expected {what}, got {type_name(v)}"
                        )
                        bad.setdefault(i, (key, problem))
                        col[i] = None
        ts = pl.Series("ts", self.dense["ts"], dtype=pl.String)
        for i in ts.str.contains(TS_PATTERN).not_().arg_true().to_list():
            bad.setdefault(i, ("ts", f"{TS_HINT}, got {ts[i]!r}"))
        sparse = _sparse_columns(self.sparse, n, bad)
        reactions = _reaction_rows(self.sparse["reactions"], bad)
        for row in sorted(bad):
            fld, problem = bad[row]
            rec = self.rec[row]
            fi = self.file[row]
            self.rejects.add(
                self.displays[fi], rec, fld, problem, label=f"message {rec}", incident_id=self.incidents[fi]
            )
        frame = pl.DataFrame(
            {
                "_file": pl.Series(self.file, dtype=pl.Int32),
                "_rec": pl.Series(self.rec, dtype=pl.Int32),
                "ts": ts,
                "user_id": pl.Series(self.dense["user"], dtype=pl.String),
                "text": pl.Series(self.dense["text"], dtype=pl.String),
                "subtype": pl.Series(self.dense["subtype"], dtype=pl.String),
                "thread_ts": pl.Series(self.dense["thread_ts"], dtype=pl.String),
                "reply_count": pl.Series(self.dense["reply_count"], dtype=pl.Int64),
                "bot_id": pl.Series(self.dense["bot_id"], dtype=pl.String),
                "username": pl.Series(self.dense["username"], dtype=pl.String),
                **sparse,
            }
        )
        frame = _with_reactions(frame, reactions)
        if bad:
            frame = frame.filter(~pl.int_range(pl.len()).is_in(list(bad)))
        self.frames.append(frame.select(COLUMNS.names()))
        for col in self.dense.values():
            col.clear()
        for pairs in self.sparse.values():
            pairs.clear()
        self.file.clear()
        self.rec.clear()


def _sparse_columns(
    sparse: dict[str, list[tuple[int, Any]]], n: int, bad: dict[int, tuple[str, str]]
) -> dict[str, pl.Series]:
    """Turn the sparse (row, value) pairs into full columns, rejecting wrong types."""

    def full(name: str, dtype: pl.DataType, fill: Any, pairs: Iterable[tuple[int, Any]]) -> pl.Series:
        rows, values = [], []
        for row, value in pairs:
            rows.append(row)
            values.append(value)
        series = pl.repeat(fill, n, dtype=dtype, eager=True).alias(name)
        if rows:
            series.scatter(rows, pl.Series(values, dtype=dtype))
        return series

    def check(key: str, want: type, what: str, convert: Callable[[Any], Any]) -> list[tuple[int, Any]]:
        out = []
        for row, value in sparse[key]:
            if type(value) is not want:
                bad.setdefault(row, (key, f"expected {what}, got {type_name(value)}"))
                continue
            try:
                out.append((row, convert(value)))
            except BadField as exc:
                bad.setdefault(row, (exc.field, exc.problem))
        return out

    edited = check("edited", dict, "an object", _edited_ts)
    files = check("files", list, "an array", len)
    file_ = check("file", dict, "an object", lambda _: 1)
    pinned = check("pinned_to", list, "an array", bool)
    profile = check("bot_profile", dict, "an object", _bot_name)
    counts = dict(file_)
    counts.update(files)
    return {
        "edited_ts": full("edited_ts", pl.String(), None, edited),
        "files": full("files", pl.Int64(), 0, counts.items()),
        "pinned": full("pinned", pl.Boolean(), False, pinned),
        "has_bot_profile": full("has_bot_profile", pl.Boolean(), False, ((r, True) for r, _ in profile)),
        "bot_name": full("bot_name", pl.String(), None, ((r, v) for r, v in profile if v)),
    }


_TS_RE = re.compile(TS_PATTERN)


def canonical_ts(value: float) -> str | None:
    """A ts given as a JSON number, as the 6-decimal string Slack writes; None when it cannot be one.

    Examples
    --------
    >>> canonical_ts(1736935200), canonical_ts(1736935200.0001), canonical_ts(-1)
    ('1736935200.000000', '1736935200.000100', None)
    """
    if type(value) is bool or not math.isfinite(value) or not 0 <= value < 10**12:
        return None
    return f"{value}.000000" if type(value) is int else f"{value:.6f}"


def _edited_ts(edited: dict[str, Any]) -> str | None:
    ts = edited.get("ts")
    if ts is None:
        return None
    if type(ts) is not str or not _TS_RE.match(ts):
        shown = type_name(ts) if type(ts) is not str else repr(ts)
        raise BadField("edited.ts", f"{TS_HINT}, got {shown}")
    return ts


def _bot_name(profile: dict[str, Any]) -> str | None:
    name = profile.get("name")
    if name is not None and type(name) is not str:
        raise BadField("bot_profile.name", f"expected a string, got {type_name(name)}")
    return name or None


def _reaction_rows(pairs: list[tuple[int, Any]], bad: dict[int, tuple[str, str]]) -> pl.DataFrame:
    """One row per reaction (``_row``, name, count, users); a malformed list rejects its message."""
    rows: list[int] = []
    names: list[str] = []
    counts: list[int] = []
    sizes: list[int] = []
    flat: list[str] = []
    for row, value in pairs:
        parsed = _reactions(value)
        if isinstance(parsed, BadField):
            bad.setdefault(row, (parsed.field, parsed.problem))
            continue
        for name, count, who in parsed:
            rows.append(row)
            names.append(name)
            counts.append(count)
            sizes.append(len(who))
            flat.extend(who)
    # Nested Python lists make polars build one Series per list: hand Arrow the users flat.
    import pyarrow as pa

    offsets = pl.Series([0, *sizes], dtype=pl.Int64).cum_sum().to_arrow()
    users = pa.LargeListArray.from_arrays(offsets, pa.array(flat, pa.large_string()))
    return pl.DataFrame(
        {"_row": rows, "name": names, "count": counts},
        schema={"_row": pl.UInt32, "name": pl.String, "count": pl.Int64},
    ).with_columns(users=pl.Series(users).cast(pl.List(pl.String)))


def _with_reactions(frame: pl.DataFrame, long: pl.DataFrame) -> pl.DataFrame:
    """Add the ``reactions`` column (an empty list when none) from :func:`_reaction_rows`."""
    empty = pl.lit([], dtype=pl.List(REACTION))
    if not long.height:
        return frame.with_columns(reactions=empty)
    agg = long.group_by("_row", maintain_order=True).agg(reactions=pl.struct("name", "count", "users"))
    return (
        frame.with_row_index("_row")
        .join(agg, on="_row", how="left", maintain_order="left")
        .with_columns(pl.col("reactions").fill_null(empty))
        .drop("_row")
    )


def _reactions(value: Any) -> list[tuple[str, int, list[str]]] | BadField:
    if type(value) is not list:
        return BadField("reactions", f"expected an array, got {type_name(value)}")
    out = []
    for j, r in enumerate(value):
        where = f"reactions[{j}]"
        if type(r) is not dict:
            return BadField(where, f"expected an object, got {type_name(r)}")
        name, count, who = r.get("name"), r.get("count"), r.get("users", [])
        if type(name) is not str:
            return BadField(f"{where}.name", f"expected a string, got {type_name(name)}")
        if who is None:
            who = []
        if type(who) is not list or not all(type(u) is str for u in who):
            return BadField(f"{where}.users", "expected an array of user id strings")
        if count is None:
            count = len(who)
        if type(count) is not int:
            return BadField(f"{where}.count", f"expected a whole number, got {type_name(count)}")
        out.append((name, count, who))
    return out


def _loads(raw: msgspec.Raw) -> Any:
    """A raw field parsed as the per-record path parses it (orjson)."""
    return orjson.loads(memoryview(raw))


def _decode_typed(raw: bytes) -> list[SlackMessage] | None:
    """The day file's messages by :data:`DAY_DECODER`, or None when it must take the per-record path.

    Only valid UTF-8 may take this path: msgspec checks it only in the fields it reads.
    """
    if not raw.isascii():
        try:
            raw.decode()
        except UnicodeDecodeError:
            return None
    try:
        return DAY_DECODER.decode(raw)
    except msgspec.DecodeError:  # ValidationError is a DecodeError too
        return None
