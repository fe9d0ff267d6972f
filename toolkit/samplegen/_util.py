"""Small helpers shared by the writers: time formats, seeded ids, deterministic files.

Everything here is deterministic: ids come from a caller's ``random.Random``, never from
the global generator or the clock, and files are written to a temporary name and then
renamed into place.
"""

from __future__ import annotations

import os
import random
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

DEFAULT_SEED = 20250115
"""The seed of the committed sample in ``data/sample`` (and the generators' default)."""

PST = timezone(timedelta(hours=-8), "PST")
"""The team's local time in January and February 2025 (US Pacific, no DST until March 9)."""

ZIP_DATE_TIME = (2025, 2, 20, 0, 30, 0)
"""Fixed modification time of every zip member, so that archives are byte-identical."""

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"


def iso_z(at: datetime) -> str:
    """PagerDuty REST style: ``2025-01-15T18:00:07Z``."""
    return at.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def iso_naive(at: datetime) -> str:
    """PagerDuty Analytics style: UTC without a zone, ``2025-01-15T18:00:07``."""
    return at.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat()


def iso_local_ms(at: datetime, millis: int) -> str:
    """Statuspage style in the page's zone: ``2025-01-15T10:08:00.412-08:00``."""
    wall = at.astimezone(PST).replace(microsecond=millis * 1000)
    return wall.isoformat(timespec="milliseconds")


def slack_ts(at: datetime, micros: int) -> str:
    """A Slack message timestamp string, ``"1736964000.000100"``."""
    return f"{int(at.timestamp())}.{micros:06d}"


def rand_id(rng: random.Random, prefix: str, length: int, *, lower: bool = False) -> str:
    """An id of ``length`` characters (prefix included) from ``[A-Z0-9]`` or ``[a-z0-9]``."""
    alphabet = _LOWER if lower else _UPPER
    return prefix + "".join(rng.choices(alphabet, k=length - len(prefix)))


def rand_hex(rng: random.Random, length: int) -> str:
    """Lowercase hex string of ``length`` characters."""
    return "".join(rng.choices(_HEX, k=length))


def rand_uuid(rng: random.Random) -> str:
    """A version-4 shaped UUID string drawn from ``rng``."""
    h = rand_hex(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[rng.randrange(4)]}{h[17:20]}-{h[20:32]}"


def dumps(obj: Any, *, indent: bool = True) -> bytes:
    """JSON bytes with insertion key order, UTF-8, a trailing newline when indented."""
    if indent:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n"
    return orjson.dumps(obj)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary sibling and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def write_json(path: Path, obj: Any, *, indent: bool = True) -> Path:
    """Serialise ``obj`` with :func:`dumps` and write it atomically."""
    return write_bytes(path, dumps(obj, indent=indent))


class ZipWriter:
    """Append members to a zip with fixed metadata; see :func:`open_zip`."""

    def __init__(self, zf: zipfile.ZipFile, level: int) -> None:
        self._zf = zf
        self._level = level

    def add(self, name: str, data: bytes) -> None:
        """Add one member (a directory when ``name`` ends with ``/``)."""
        info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
        info.create_system = 3
        if name.endswith("/"):
            info.external_attr = (0o40755 << 16) | 0x10
            info.compress_type = zipfile.ZIP_STORED
            self._zf.writestr(info, b"")
            return
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self._zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=self._level)


@contextmanager
def open_zip(path: Path, *, level: int = 6) -> Iterator[ZipWriter]:
    """Write a zip to a temporary name and rename it into place on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            yield ZipWriter(zf, level)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
