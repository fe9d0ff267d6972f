"""Reading many members of an input fast: on both cores, in order, with bounded memory.

An export of a million records is thousands of small files. Reading a zip member with
:meth:`Member.read` inflates it in the calling thread, one after the other. Here the
reading is split in two: :meth:`Fetcher.start` does the part that must be serial and is
cheap (reading a zip member's compressed bytes with its own file handle), and the
function it returns does the costly part (inflating them with zlib-ng, about twice as
fast as zlib, checking size and CRC-32, or reading a plain file) in any thread. zlib-ng
and polars release the GIL, so
:func:`ordered_map` can run the second part and the parsing that follows on worker
threads while the caller consumes the results in input order. At most ``window`` results
are in flight, so memory stays bounded by a few files.

Anything unusual about a member (a compression method other than deflate or stored, a
CRC or size that does not match the archive's directory) is left to :meth:`Member.read`,
so errors are exactly those of the plain path.

Examples
--------
>>> from toolkit.importers._base.inputs import open_input
>>> with open_input("data/sample/slack/acme-slack-export.zip") as inp, Fetcher() as fetch:
...     sizes = list(ordered_map(lambda job: len(job()), map(fetch.start, inp.members)))
...     expected = [m.size for m in inp.members]
>>> sizes == expected
True
"""

from __future__ import annotations

import struct
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from itertools import islice
from types import TracebackType
from typing import IO, TypeVar, cast

from zlib_ng import zlib_ng as zlib

from toolkit.errors import ArchiveError
from toolkit.importers._base.inputs import Member

__all__ = ["Fetcher", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

_LOCAL_HEADER = struct.Struct("<4s22xHH")
"""A zip local file header: signature, 22 bytes we do not need, name and extra lengths."""
_LOCAL_SIGNATURE = b"PK\x03\x04"
_INFLATE_ERROR = cast("type[Exception]", zlib.error)


class Fetcher:
    """Starts reads of members; one per thread that calls :meth:`start` (it owns file handles)."""

    def __init__(self) -> None:
        self._handles: dict[str, IO[bytes]] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()

    def start(self, member: Member) -> Callable[[], bytes]:
        """Read what must be read in order now; the returned function gives the member's bytes.

        The function may run in any thread. It returns what :meth:`Member.read` returns
        and raises what it raises.
        """
        archive = member._zip
        if archive is None or archive.filename is None:
            return member.read
        info = archive.getinfo(member._source)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            return member.read
        handle = self._handles.get(archive.filename)
        if handle is None:
            handle = self._handles[archive.filename] = open(archive.filename, "rb")  # noqa: SIM115
        handle.seek(info.header_offset)
        head = handle.read(_LOCAL_HEADER.size)
        if len(head) < _LOCAL_HEADER.size:
            return member.read
        signature, name_len, extra_len = _LOCAL_HEADER.unpack(head)
        if signature != _LOCAL_SIGNATURE:
            return member.read
        handle.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
        packed = handle.read(info.compress_size)
        return partial(_unpack, packed, info, member)


def _unpack(packed: bytes, info: zipfile.ZipInfo, member: Member) -> bytes:
    """Inflate one member's bytes and check them against the archive's directory."""
    if len(packed) != info.compress_size:
        return member.read()
    if info.compress_type == zipfile.ZIP_STORED:
        data = packed
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = inflater.decompress(packed, info.file_size + 1)
        except _INFLATE_ERROR:
            return member.read()
        if len(data) > info.file_size:
            raise ArchiveError(
                member.display, None, None, "member is larger than the archive says; refusing it"
            )
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return member.read()
    return data


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], *, workers: int = 2, window: int = 16
) -> Iterator[R]:
    """``map(fn, items)`` on ``workers`` threads, in order, with at most ``window`` results ahead.

    ``items`` is consumed in the calling thread (so a generator calling
    :meth:`Fetcher.start` stays in one thread). An exception raised by ``fn`` is raised
    here, in order. With ``workers=0`` everything runs in the calling thread.
    """
    if workers <= 0:
        yield from map(fn, items)
        return
    todo = iter(items)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="read-ahead") as pool:
        pending: deque[Future[R]] = deque(pool.submit(fn, item) for item in islice(todo, window))
        try:
            while pending:
                done = pending.popleft().result()
                nxt = next(todo, _END)
                if nxt is not _END:
                    pending.append(pool.submit(fn, nxt))  # type: ignore[arg-type]
                yield done
        finally:
            for future in pending:
                future.cancel()


_END = object()
