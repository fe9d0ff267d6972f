"""Shorthands for writing the story modules: wall-clock times on one day, messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ._util import local
from .model import Message, PageEntry, PageEntryType, StatusName, StatusUpdate

Day = tuple[int, int, int]


def clock(day: Day) -> Callable[[str], datetime]:
    """``t = clock((2025, 1, 15)); t("10:05")`` is 10:05 PST on that day, in UTC."""

    def at(wall: str) -> datetime:
        return local(day, wall)

    return at


def messages_on(day: Day, channel: str) -> Callable[..., Message]:
    """A :class:`Message` factory whose times are PST wall clock on ``day``.

    ``m("10:05", "alice", "text", kind="declare")`` posts to ``channel`` unless a
    ``channel=`` keyword says otherwise.
    """

    def m(wall: str, author: str, text: str, **kw: Any) -> Message:
        where = kw.pop("channel", channel)
        if "edited" in kw:
            kw["edited_at"] = local(day, kw.pop("edited"))
        return Message(local(day, wall), author, text, where, **kw)

    return m


def pages_on(day: Day) -> Callable[..., PageEntry]:
    """A :class:`PageEntry` factory: ``p("10:00:07", "trigger")``."""

    def p(
        wall: str, kind: PageEntryType, who: str | None = None, detail: str = "", level: int | None = None
    ) -> PageEntry:
        return PageEntry(local(day, wall), kind, who, detail, level)

    return p


def updates_on(day: Day) -> Callable[..., StatusUpdate]:
    """A :class:`StatusUpdate` factory: ``u("10:08", "investigating", "body", payments=...)``."""

    def u(wall: str, status: StatusName, body: str, **components: str) -> StatusUpdate:
        return StatusUpdate(local(day, wall), status, body, tuple(components.items()))

    return u
