"""Cheap looks at an input for the importers' sniffers: the first bytes of a few files.

A sniffer answers "how much does this look like my export?" with a score from 0 (not at
all) to 1 (certainly) by looking for its own source's markers only; the registry picks
the best score (:func:`toolkit.importers.detect`). Folders are walked lazily and only
until enough candidate files are seen, so sniffing a folder of 100,000 files is quick.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path
from typing import TypeVar

from toolkit.importers._base.inputs import _walk

__all__ = ["HEAD_BYTES", "heads", "marker_score"]

T = TypeVar("T")

HEAD_BYTES = 64 * 1024
"""How much of each file a sniffer reads."""


def heads(
    path: Path,
    *,
    suffixes: Sequence[str],
    files: int = 8,
    prefer: Sequence[str] = (),
    nbytes: int = HEAD_BYTES,
) -> list[tuple[str, bytes]]:
    """(relative name, first ``nbytes``) of up to ``files`` files of ``path`` ending in ``suffixes``.

    ``path`` is one file, a folder (walked lazily, hidden entries skipped) or a zip (its
    listing; encrypted members skipped). Names containing a ``prefer`` word come first.
    Unreadable inputs give an empty list.
    """
    lowered = tuple(s.lower() for s in suffixes)
    try:
        if path.is_file() and not zipfile.is_zipfile(path):
            if not path.name.lower().endswith(lowered):
                return []
            with path.open("rb") as fh:
                return [(path.name, fh.read(nbytes))]
        if path.is_dir():
            found = islice((m for m in _walk(str(path), "") if m.name.lower().endswith(lowered)), files * 8)
            ranked = _ranked([(m.name, m._source) for m in found], prefer)[:files]
            out = []
            for name, source in ranked:
                with open(source, "rb") as fh:
                    out.append((name, fh.read(nbytes)))
            return out
        with zipfile.ZipFile(path) as zf:
            infos = [
                i
                for i in zf.infolist()
                if not i.is_dir() and not i.flag_bits & 0x1 and i.filename.lower().endswith(lowered)
            ]
            ranked_infos = _ranked([(i.filename, i) for i in infos], prefer)[:files]
            out = []
            for name, info in ranked_infos:
                with zf.open(info) as fh:
                    out.append((name, fh.read(min(nbytes, info.file_size))))
            return out
    except (OSError, zipfile.BadZipFile, RuntimeError):
        return []


def _ranked(items: list[tuple[str, T]], prefer: Sequence[str]) -> list[tuple[str, T]]:
    words = tuple(w.lower() for w in prefer)
    return sorted(items, key=lambda it: (not any(w in it[0].lower() for w in words), it[0]))


def marker_score(found: Iterable[tuple[str, bytes]], markers: Sequence[bytes]) -> float:
    """0 when no head shows a marker; else 0.5 plus half the best share of markers one head shows.

    Examples
    --------
    >>> marker_score([("a.json", b'{"incident_updates": []}')], [b'"incident_updates"', b'"shortlink"'])
    0.75
    >>> marker_score([("a.json", b"{}")], [b'"incident_updates"'])
    0.0
    """
    best = 0.0
    for _, head in found:
        best = max(best, sum(m in head for m in markers) / len(markers))
    return 0.0 if best == 0 else 0.5 + 0.5 * best
