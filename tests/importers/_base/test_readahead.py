"""Reading members ahead on worker threads: same bytes and same errors as Member.read, in order."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from toolkit.errors import ArchiveError
from toolkit.importers._base.inputs import open_input
from toolkit.importers._base.readahead import Fetcher, ordered_map

FILES = {
    "channels.json": b'[{"id": "C1", "name": "general"}]',
    "general/2025-01-01.json": b'[{"ts": "1735689600.000100", "text": "' + b"x" * 5000 + b'"}]',
    "general/2025-01-02.json": b"[]",
    "empty.json": b"",
}


def _zip(path: Path, method: int) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in FILES.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "layout", ["deflated", "stored", "folder"], ids=["zip-deflated", "zip-stored", "folder"]
)
def test_same_bytes_as_member_read(tmp_path: Path, layout: str) -> None:
    if layout == "folder":
        for name, data in FILES.items():
            (tmp_path / "x" / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "x" / name).write_bytes(data)
        path = tmp_path / "x"
    else:
        path = _zip(tmp_path / "x.zip", zipfile.ZIP_DEFLATED if layout == "deflated" else zipfile.ZIP_STORED)
    with open_input(path) as inp, Fetcher() as fetch:
        got = list(ordered_map(lambda job: job(), map(fetch.start, inp.members), workers=2, window=2))
        assert got == [m.read() for m in inp.members]
        assert got == [FILES[m.name] for m in inp.members]


def test_a_corrupt_member_fails_as_member_read_fails(tmp_path: Path) -> None:
    path = _zip(tmp_path / "x.zip", zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index(b"xxxxx")
    data[at] = ord("y")  # the stored bytes no longer match the CRC-32 in the directory
    path.write_bytes(bytes(data))
    with open_input(path) as inp, Fetcher() as fetch:
        member = next(m for m in inp.members if m.name == "general/2025-01-01.json")
        with pytest.raises(zipfile.BadZipFile) as direct:
            member.read()
        with pytest.raises(zipfile.BadZipFile) as ahead:
            fetch.start(member)()
    assert str(ahead.value) == str(direct.value)


def test_a_member_larger_than_declared_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "x.zip", zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("general/2025-01-01.json")
    data = bytearray(path.read_bytes())
    # shrink the uncompressed size the central directory declares for that member
    name = data.index(info.filename.encode(), data.index(b"PK\x01\x02"))
    size_at = name - 46 + 24
    assert int.from_bytes(data[size_at : size_at + 4], "little") == info.file_size
    data[size_at : size_at + 4] = (info.file_size - 10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with open_input(path) as inp, Fetcher() as fetch:
        member = next(m for m in inp.members if m.name == "general/2025-01-01.json")
        with pytest.raises(ArchiveError, match="larger than the archive says"):
            fetch.start(member)()


def test_ordered_map_keeps_order_and_raises_in_order() -> None:
    def slow_first(n: int) -> int:
        if n == 5:
            raise ValueError("five")
        return n * n

    results = ordered_map(slow_first, range(10), workers=3, window=4)
    assert [next(results) for _ in range(5)] == [0, 1, 4, 9, 16]
    with pytest.raises(ValueError, match="five"):
        next(results)
    assert list(ordered_map(lambda n: -n, range(50), workers=2, window=3)) == [-n for n in range(50)]
    assert list(ordered_map(lambda n: -n, range(3), workers=0)) == [0, -1, -2]
