"""The window of a review: which days, which incidents, and the window before it.

A window is ``days`` days ending on ``end`` (both inclusive, UTC dates); an incident is in
it when it started on one of those days (started, else detected, declared or resolved).

Examples
--------
>>> from datetime import date
>>> Window(date(2025, 2, 19), 30).start, Window(date(2025, 2, 19), 30).previous()
(datetime.date(2025, 1, 21), Window(end=datetime.date(2025, 1, 20), days=30))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

__all__ = ["Window", "incident_time", "latest_incident_date", "parse_day", "window_ids"]


def incident_time() -> pl.Expr:
    """When an incident record happened, for windows: started, else detected, declared, resolved."""
    return pl.coalesce("started_at", "detected_at", "declared_at", "resolved_at")


def latest_incident_date(incidents: pl.DataFrame) -> date | None:
    """The UTC date of the latest incident record (the default end of a review), or None."""
    latest = incidents.select(incident_time().max()).item()
    return None if latest is None else latest.date()


def parse_day(value: str | date) -> date:
    """A date from ``YYYY-MM-DD`` (or a date); a ValueError names the bad value.

    Examples
    --------
    >>> parse_day("2025-02-19")
    datetime.date(2025, 2, 19)
    """
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"expected a date like 2025-02-19, got {value!r}") from None


@dataclass(frozen=True)
class Window:
    """``days`` days ending on ``end``, inclusive."""

    end: date
    days: int

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(f"days must be at least 1, got {self.days}")

    @property
    def start(self) -> date:
        """The first day of the window."""
        return self.end - timedelta(days=self.days - 1)

    def previous(self) -> Window:
        """The window of the same length just before this one."""
        return Window(self.start - timedelta(days=1), self.days)

    def label(self) -> str:
        """``2025-01-21 to 2025-02-19``."""
        return f"{self.start} to {self.end}"


def window_ids(incidents: pl.DataFrame, window: Window, *, services: Sequence[str] = ()) -> list[str]:
    """Ids of the ``incidents`` that started in ``window``, earliest first, of ``services`` only
    when given (any case).

    Examples
    --------
    >>> import datetime as dt
    >>> inc = pl.DataFrame({"incident_id": ["a", "b"], "service": ["Auth", "db"],
    ...                     "started_at": [dt.datetime(2025, 1, 2), dt.datetime(2025, 1, 9)],
    ...                     "detected_at": None, "declared_at": None, "resolved_at": None})
    >>> window_ids(inc, Window(date(2025, 1, 9), 7)), window_ids(inc, Window(date(2025, 1, 9), 9), services=["auth"])
    (['b'], ['a'])
    """
    inside = incidents.filter(incident_time().dt.date().is_between(window.start, window.end))
    if services:
        lowered = [s.lower() for s in services]
        inside = inside.filter(pl.col("service").str.to_lowercase().is_in(lowered))
    return inside.sort(incident_time(), "incident_id")["incident_id"].to_list()
