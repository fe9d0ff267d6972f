"""Batching: how many records an importer holds as Python values before building frames.

Every importer collects decoded records in plain Python lists (fast to append) and turns
them into polars frames in batches, so memory stays bounded on big exports and the frames
are built column-wise in few calls. :class:`Batches` is the one mechanism: count what is
held, call the importer's ``build`` when :data:`FLUSH_ROWS` is reached, and once more at
the end.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["FLUSH_ROWS", "Batches"]

FLUSH_ROWS = 50_000
"""Records (and sub-records) held before a batch becomes frames, for every importer."""


class Batches:
    """Counts records held and calls ``build`` (which turns them into frames) every ``limit``.

    Examples
    --------
    >>> built = []
    >>> b = Batches(lambda: built.append("frames"), limit=3)
    >>> b.add(2); b.add(2); b.finish()
    >>> built
    ['frames', 'frames']
    """

    def __init__(self, build: Callable[[], None], *, limit: int = FLUSH_ROWS) -> None:
        self._build = build
        self.limit = limit
        self.held = 0

    def add(self, n: int) -> None:
        """``n`` more records are held; build frames when the batch is full."""
        self.held += n
        if self.held >= self.limit:
            self.flush()

    def flush(self) -> None:
        """Build frames of what is held now (also when little is held)."""
        self.held = 0
        self._build()

    def finish(self) -> None:
        """Build frames of whatever is left."""
        self.flush()
