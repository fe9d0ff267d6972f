"""Every day file of an export read into one frame of message columns.

Worker threads read each day file (:mod:`toolkit.importers._base.readahead`: the
compressed bytes are read in order and inflated by zlib-ng on the worker, which releases
the GIL) and, with the polars decoder, decode it and number its records there too. The
calling thread takes the files in order, a few dozen at a time. With :data:`DECODER`
``"msgspec"`` (the default) it reads each by the typed msgspec decoder of
:class:`~toolkit.importers.slack.messages.Exact`; with ``"polars"`` it lints the batch's
bytes in one pass, checks the decoded columns in one pass and turns them into the message
columns (:mod:`toolkit.importers.slack.columnar`), and reads only the doubtful files by
the exact path. Either way a bad record is rejected alone, with file, record, field and
incident. Memory stays bounded by the batch and the files in flight.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

import orjson
import polars as pl

from toolkit.importers._base.common import Rejects, gc_paused
from toolkit.importers._base.inputs import Member
from toolkit.importers._base.readahead import Fetcher, ordered_map
from toolkit.importers.slack import columnar
from toolkit.importers.slack.messages import COLUMNS, Exact
from toolkit.importers.slack.text import fallback_text

__all__ = ["MessageColumns", "read_day_files"]

BATCH_FILES = 64
BATCH_BYTES = 32 * 2**20
"""A batch ends after this many files or bytes, whichever comes first."""
WINDOW = 16
"""Files read and decoded ahead of the calling thread."""
DECODER: Literal["msgspec", "polars"] = "msgspec"
"""Which decoder reads the day files.

``"msgspec"``: every file by the typed msgspec decoder of the exact path, on the calling
thread (the workers only inflate). ``"polars"``: polars' reader on the worker threads,
doubtful files by the exact path. Measured on the 2-core machine the project is built on,
shared with other work (300,000 messages): polars 3.3-4.0 CPU seconds for the whole
import, msgspec 2.1-2.4, and msgspec as fast or faster in wall time; polars wins only
where cores are free. Both give the same tables (tested).
"""


@dataclass(frozen=True)
class MessageColumns:
    """The messages of every day file read, before names and rendering."""

    frame: pl.DataFrame
    """:data:`~toolkit.importers.slack.messages.COLUMNS`, in file and record order."""
    profiles: dict[str, tuple[str | None, str | None]]
    """user id -> (display name, real name) from profiles embedded in messages."""
    notes: tuple[str, ...]
    """Warnings: bad bytes read as U+FFFD, numbers read as ts."""


@dataclass
class _Batch:
    fis: list[int] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    raws: list[bytes] = field(default_factory=list)
    frames: list[pl.DataFrame | None] = field(default_factory=list)
    """Each file's decoded columns with ``_file`` and ``_rec``; None: it takes the exact path."""
    blocks: set[int] = field(default_factory=set)
    """Files with messages without text and with blocks somewhere."""
    size: int = 0


@dataclass
class _Reader:
    exact: Exact
    known: pl.Series
    fast: list[pl.DataFrame] = field(default_factory=list)
    profiles: list[pl.DataFrame] = field(default_factory=list)

    def batch(self, batch: _Batch) -> None:
        """Read one batch: the fast files' columns, then the others by the exact path, in order."""
        decoded = [i for i, f in enumerate(batch.frames) if f is not None]
        lint = columnar.linted([batch.raws[i] for i in decoded])  # one pass for the batch
        doubtful = {batch.fis[i] for i, flagged in zip(decoded, lint, strict=True) if flagged}
        frames = [f for i, f in enumerate(batch.frames) if f is not None and batch.fis[i] not in doubtful]
        if frames:
            same = len({f.width for f in frames}) == 1  # some files add the embedded profiles
            frame = pl.concat(frames, how="vertical" if same else "diagonal")
            doubted = columnar.doubtful(frame)
            if doubted:
                frame = frame.filter(~pl.col("_file").is_in(list(doubted)))
                doubtful |= doubted
            cols = columnar.columns(frame)
            if batch.blocks:
                raws = {fi: raw for fi, raw in zip(batch.fis, batch.raws, strict=True) if fi in batch.blocks}
                cols = self._block_texts(frame, cols, raws)
            self.fast.append(cols)
            self.profiles.append(columnar.profiles(frame, self.known))
        for fi, member, raw, mine in zip(batch.fis, batch.members, batch.raws, batch.frames, strict=True):
            if mine is None or fi in doubtful:
                self.exact.read(fi, member, raw)

    def _block_texts(
        self, frame: pl.DataFrame, cols: pl.DataFrame, raws: Mapping[int, bytes]
    ) -> pl.DataFrame:
        """Messages whose only text is in their blocks get it from :func:`fallback_text`, one by one."""
        rows = columnar.text_from_blocks(frame, cols["text"], set(raws))
        if not rows.height:
            return cols
        parsed: dict[int, list[Any]] = {}
        texts = []
        for fi, rec in rows.select("_file", "_rec").iter_rows():
            if fi not in parsed:
                parsed[fi] = orjson.loads(raws[fi])
            texts.append(fallback_text(parsed[fi][rec]) or None)
        text = cols["text"].clone()
        found = pl.Series(texts, dtype=pl.String).fill_null(text.gather(rows["_row"]))
        text.scatter(rows["_row"], found)
        return cols.with_columns(text=text)


def _work(
    job: tuple[int, Member, Callable[[], bytes]], known: frozenset[str]
) -> tuple[int, Member, bytes, pl.DataFrame | None, bool]:
    """On a worker thread: read one day file, decode it, number its records.

    Returns the file's index, member and bytes, its columns (None when it must take the
    exact path) and whether it may need :func:`fallback_text` for blocks.
    """
    fi, member, fetch = job
    raw = fetch()
    frame = columnar.decode(raw, known=known) if DECODER == "polars" else None
    if frame is None:
        return fi, member, raw, None, False
    textless = frame.select((pl.col("text").is_null() | (pl.col("text") == "")).any()).item()
    frame = frame.with_columns(_file=pl.lit(fi, dtype=pl.Int32), _rec=pl.int_range(pl.len(), dtype=pl.Int32))
    return fi, member, raw, frame, bool(textless) and b'"blocks"' in raw


def read_day_files(
    members: Sequence[tuple[int, Member]],
    rejects: Rejects,
    *,
    known_users: Iterable[str] = (),
    incidents: Mapping[int, str | None] | None = None,
    advance: Callable[[float], None] = lambda n: None,
) -> MessageColumns:
    """Read day files (``(file index, member)`` pairs) into one frame of raw columns.

    A file that is empty, or holds no array, is rejected whole; the complete records of a
    truncated file are kept and the cut is rejected as one record; a record that is not
    an object, lacks a valid ``ts`` or has a field of the wrong type is rejected alone,
    with the war room's incident from ``incidents`` (file index -> incident id). In
    strict mode the first of these raises. Profiles embedded in messages are kept for
    authors not in ``known_users`` (users.json).
    """
    known = list(known_users)
    displays: dict[int, str] = {fi: m.display for fi, m in members}
    width = max(displays, default=-1) + 1
    incidents = incidents or {}
    exact = Exact(
        rejects,
        [displays.get(i, "") for i in range(width)],
        [incidents.get(i) for i in range(width)],
        known={None, *known},
    )
    reader = _Reader(exact, pl.Series(known, dtype=pl.String))
    batch = _Batch()
    workers = min(4, max(1, os.cpu_count() or 1))
    with Fetcher() as fetcher, gc_paused():
        jobs = ((fi, m, fetcher.start(m)) for fi, m in members)
        work = partial(_work, known=frozenset(known))
        for fi, member, raw, frame, blocks in ordered_map(work, jobs, workers=workers, window=WINDOW):
            batch.fis.append(fi)
            batch.members.append(member)
            batch.raws.append(raw)
            batch.frames.append(frame)
            if blocks:
                batch.blocks.add(fi)
            batch.size += len(raw)
            advance(1)
            if len(batch.fis) >= BATCH_FILES or batch.size >= BATCH_BYTES:
                reader.batch(batch)
                batch = _Batch()
        reader.batch(batch)
        exact.flush()
    return MessageColumns(
        frame=_in_order(reader.fast, exact.frames),
        profiles=_profiles(reader.profiles, exact),
        notes=tuple(exact.notes),
    )


def _in_order(fast: list[pl.DataFrame], exact: list[pl.DataFrame]) -> pl.DataFrame:
    frames = fast + exact
    if not frames:
        return pl.DataFrame(schema=COLUMNS)
    # One chunk per column: the columns of the batches are chunked differently, which costs
    # every later step (and some polars string kernels do not handle it).
    frame = pl.concat(frames, how="vertical").rechunk()
    return frame.sort("_file", "_rec", maintain_order=True) if fast and exact else frame


def _profiles(fast: list[pl.DataFrame], exact: Exact) -> dict[str, tuple[str | None, str | None]]:
    """The first profile of each author, whichever path read the file it is in."""
    found: dict[str, tuple[int, tuple[str | None, str | None]]] = {
        uid: (exact.profile_files[uid], names) for uid, names in exact.profiles.items()
    }
    if fast:
        rows = pl.concat(fast, how="vertical").unique("user", keep="first", maintain_order=True)
        for fi, _, uid, display, real in rows.iter_rows():
            if uid not in found or fi < found[uid][0]:
                found[uid] = (fi, (display, real))
    return {uid: names for uid, (_, names) in found.items()}
