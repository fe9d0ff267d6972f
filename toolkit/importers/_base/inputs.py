"""Reading an importer's input: one file, a folder of files, or a zip, the same way.

A zip is never extracted to disk: members are read into memory by name, so a member
called ``../../etc/passwd`` cannot write anywhere. Archives whose uncompressed total is
above a cap (default 8 GiB, see :data:`DEFAULT_MAX_UNZIPPED_BYTES`; override with the
``max_unzipped_bytes`` argument or the ``INCIDENT_TOOLKIT_MAX_UNZIPPED_BYTES`` environment
variable) and encrypted members are refused with :class:`~toolkit.errors.ArchiveError`.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toolkit.errors import ArchiveError, InputFormatError

__all__ = ["DEFAULT_MAX_UNZIPPED_BYTES", "Input", "Member", "max_unzipped_bytes", "open_input"]

DEFAULT_MAX_UNZIPPED_BYTES = 8 * 1024**3
"""Default cap on the uncompressed size of a zip (8 GiB)."""

_ENV_CAP = "INCIDENT_TOOLKIT_MAX_UNZIPPED_BYTES"


def max_unzipped_bytes(override: int | None = None) -> int:
    """The cap in force: ``override``, else the environment variable, else the default."""
    if override is not None:
        return override
    env = os.environ.get(_ENV_CAP)
    if env:
        try:
            return int(env)
        except ValueError:
            raise InputFormatError(
                f"${_ENV_CAP}", None, None, f"expected a whole number of bytes, got {env!r}"
            ) from None
    return DEFAULT_MAX_UNZIPPED_BYTES


@dataclass(frozen=True)
class Member:
    """One file of an input: its path relative to the input root and how to read it."""

    name: str
    """Path relative to the input root, with '/' separators (``"general/2025-01-15.json"``)."""
    display: str
    """How errors name it: ``"export.zip:general/2025-01-15.json"`` or the file path."""
    size: int
    _zip: zipfile.ZipFile | None = None
    _source: str = ""
    """The real zip member name, or the file's path on disk."""

    @property
    def parts(self) -> tuple[str, ...]:
        """``name`` split on '/'."""
        return PurePosixPath(self.name).parts

    @property
    def basename(self) -> str:
        """The last part of ``name``."""
        return PurePosixPath(self.name).name

    def read(self) -> bytes:
        """The member's bytes (from the zip, bounded by its declared size, or from disk)."""
        if self._zip is None:
            with open(self._source, "rb") as fh:
                return fh.read()
        with self._zip.open(self._source) as fh:
            data = fh.read(self.size + 1)
        if len(data) > self.size:
            raise ArchiveError(
                self.display, None, None, "member is larger than the archive says; refusing it"
            )
        return data

    def head(self, n: int = 65536) -> bytes:
        """The first ``n`` bytes (or fewer), for cheap sniffing of big files."""
        if self._zip is None:
            with open(self._source, "rb") as fh:
                return fh.read(n)
        with self._zip.open(self._source) as fh:
            return fh.read(min(n, self.size))


@dataclass(frozen=True)
class Input:
    """An opened input: its root, its kind and its files in a stable (sorted) order."""

    path: Path
    kind: str  # "file", "folder" or "zip"
    members: tuple[Member, ...]

    def find(self, name: str) -> Member | None:
        """The member whose relative path is ``name`` (or ends in ``/name`` one level down)."""
        for m in self.members:
            if m.name == name:
                return m
        return None


@contextmanager
def open_input(path: str | Path, *, max_unzipped: int | None = None) -> Iterator[Input]:
    """Open a file, folder or zip and list its files.

    Folders are walked recursively (hidden files and folders skipped); a ``.zip`` file is
    listed without extracting it; any other file is a single member. A zip whose members
    all live under one top folder (``export/channels.json``) is listed relative to it.

    Raises
    ------
    InputFormatError
        ``path`` does not exist.
    ArchiveError
        A zip that is corrupt, encrypted, or larger than the cap when uncompressed.
    """
    path = Path(path)
    if not path.exists():
        raise InputFormatError(path, None, None, "no such file or folder")
    if path.is_dir():
        yield Input(path, "folder", tuple(sorted(_walk(str(path), ""), key=lambda m: m.name)))
        return
    if not zipfile.is_zipfile(path):
        yield Input(path, "file", (Member(path.name, str(path), path.stat().st_size, None, str(path)),))
        return
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(path, None, None, f"not a readable zip archive: {exc}") from None
    with zf:
        yield Input(path, "zip", _zip_members(path, zf, max_unzipped_bytes(max_unzipped)))


def _walk(folder: str, prefix: str) -> Iterator[Member]:
    """Files under ``folder`` (os.scandir: one stat per file), skipping dot-files and dot-folders.

    Symlinked files are followed; symlinked folders are not (no loops).
    """
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path, rel + "/")
            elif entry.is_file():
                yield Member(rel, entry.path, entry.stat().st_size, None, entry.path)


def _zip_members(path: Path, zf: zipfile.ZipFile, cap: int) -> tuple[Member, ...]:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    total = sum(i.file_size for i in infos)
    if total > cap:
        raise ArchiveError(
            path,
            None,
            None,
            f"uncompressed size {total:,} bytes is above the cap of {cap:,} bytes",
            hint=f"raise it with max_unzipped_bytes=... or ${_ENV_CAP} if you trust this archive",
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ArchiveError(
                f"{path}:{info.filename}",
                None,
                None,
                "member is encrypted; incident-toolkit does not read password-protected archives",
                hint="unzip it with its password and ingest the folder",
            )
    names = [i.filename.replace("\\", "/") for i in infos]
    tops = {n.split("/", 1)[0] for n in names}
    strip = next(iter(tops)) + "/" if len(tops) == 1 and all("/" in n for n in names) else ""
    members = []
    for info, name in zip(infos, names, strict=True):
        rel = name[len(strip) :]
        # OS clutter (macOS resource forks, dot-files) is skipped; '..' parts are kept, never
        # resolved: members are only read by name, so the importer sees and rejects them.
        if rel.startswith("__MACOSX/") or any(p.startswith(".") and p != ".." for p in rel.split("/")):
            continue
        members.append(Member(rel, f"{path}:{rel}", info.file_size, zf, info.filename))
    return tuple(sorted(members, key=lambda m: m.name))
