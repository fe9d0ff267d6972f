"""Text with a few bytes that are not UTF-8: read it anyway, and say where the bad bytes were.

Exports are UTF-8, but a file edited by hand or passed through a tool in another encoding
may hold a stray byte (``caf\\xe9`` in Latin-1). One such byte must not cost the whole
file: :func:`repair_utf8` replaces each invalid sequence by U+FFFD (the replacement
character, as ``bytes.decode(errors="replace")`` does), keeps everything else byte for
byte, and lists the original offsets, so that the importer can read every record and
warn in its notes (:meth:`Repair.note`).

Examples
--------
>>> r = repair_utf8(b'[{"text": "caf\\xe9"}]')
>>> r.data.decode(), r.bad
('[{"text": "caf\ufffd"}]', ((14, 1),))
>>> r.note("general/2025-01-02.json")
'general/2025-01-02.json: 1 byte not UTF-8 (at byte 14), read as U+FFFD'
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

__all__ = ["Repair", "repair_utf8"]

REPLACEMENT = "\ufffd".encode()
SHOWN = 5
"""How many offsets a note lists before "...": a file in another encoding has thousands."""


@dataclass(frozen=True)
class Repair:
    """Bytes made valid UTF-8, and where the invalid sequences were.

    Attributes
    ----------
    data
        The input with each invalid sequence replaced by U+FFFD (``EF BF BD``); the same
        object as the input when it was valid.
    bad
        ``(offset, length)`` of each invalid sequence, in the original bytes.
    """

    data: bytes
    bad: tuple[tuple[int, int], ...]

    def original_offset(self, pos: int) -> int:
        """The offset in the original bytes of offset ``pos`` in :attr:`data`.

        An offset inside a replacement character maps to the start of the bytes it replaced.
        """
        shift = 0  # each replacement is 3 bytes standing for `length` original ones
        for start, length in self.bad:
            here = start + shift
            if pos < here:
                break
            if pos < here + len(REPLACEMENT):
                return start
            shift += len(REPLACEMENT) - length
        return pos - shift

    def note(self, file: str) -> str:
        """A warning for the import report naming ``file`` and the offsets."""
        count = sum(n for _, n in self.bad)
        shown = ", ".join(str(start) for start, _ in self.bad[:SHOWN])
        more = f" and {len(self.bad) - SHOWN} more" if len(self.bad) > SHOWN else ""
        where = "byte" if len(self.bad) == 1 else "bytes"
        return (
            f"{file}: {count} byte{'' if count == 1 else 's'} not UTF-8 (at {where} {shown}{more}), "
            "read as U+FFFD"
        )


def repair_utf8(data: bytes) -> Repair:
    """``data`` with every invalid UTF-8 sequence replaced by U+FFFD (see the module docs).

    Valid input (the usual case) is returned as it is, after one check.
    """
    if data.isascii():
        return Repair(data, ())
    view = memoryview(data)
    pieces: list[bytes | memoryview] = []
    bad: list[tuple[int, int]] = []
    pos = 0
    while True:
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
        except UnicodeDecodeError as exc:
            start, stop = pos + exc.start, pos + exc.end
            pieces += [view[pos:start], REPLACEMENT]
            bad.append((start, stop - start))
            pos = stop
            continue
        break
    if not bad:
        return Repair(data, ())
    pieces.append(view[pos:])
    return Repair(b"".join(pieces), tuple(bad))
