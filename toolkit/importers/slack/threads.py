"""Incidents declared in a thread outside any war room ("SEV4: admin-console slow ... tracking in this thread").

A top-level message outside the war rooms that has replies, names no war room, and
either begins with a severity (``SEV4:``, ``sev 3 -``) or matches a ``declare`` rule,
declares an incident of its own: the thread (the message and its replies) is its war
room. Its ref is ``<channel id>/<thread ts>``; its id ``INC-<date>-<service>`` (the
message's UTC date; the service is the **System:** line's, else the first word after the
severity), ``-<thread ts>`` appended when a war room or another thread has that id.

Examples
--------
>>> import polars as pl
>>> from datetime import datetime, UTC
>>> msgs = pl.DataFrame({"channel_id": ["C1", "C1"], "ts": ["1738696800.000100", "1738700000.000100"],
...     "thread_ts": ["1738696800.000100", "1738696800.000100"], "is_thread_reply": [False, True],
...     "reply_count": [1, None], "text": ["SEV4: admin-console (internal) slow. I'm IC", "resolved"],
...     "raw_text": ["SEV4: admin-console (internal) slow. I'm IC", "resolved"],
...     "at": [datetime(2025, 2, 4, 19, 20, tzinfo=UTC)] * 2})
>>> thread_incidents(msgs, {}, declare=[]).select("ref", "incident_id", "service", "title").row(0)
('C1/1738696800.000100', 'INC-2025-02-04-admin-console', 'admin-console', 'admin-console (internal) slow')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

__all__ = ["SEVERITY_FIRST", "thread_incidents"]

SEVERITY_FIRST = r"(?i)^[^\w\n]*sev[- ]?[1-4]\b\s*[:\-–—]"
"""A message that begins with a severity label."""

_AFTER = r"(?i)^[^\w\n]*sev[- ]?[1-4]\b\s*[:\-–—]\s*"
_SYSTEM = r"(?im)^[^\w\n]*(?:system|service)[*_]*\s*:\s*[*_]*\s*([^\n]*[^\s*_])"


def thread_incidents(
    messages: pl.DataFrame, war_rooms: Mapping[str, str], *, declare: Sequence[str]
) -> pl.DataFrame:
    """One row per thread declaration (module docs): ref, incident_id, channel_id, thread_ts, title, service.

    ``war_rooms`` maps war-room channel ids to incident ids; ``declare`` are the
    ``declare`` rules' patterns (polars syntax).
    """
    text = pl.col("text").fill_null("")
    says = text.str.contains(SEVERITY_FIRST)
    for pattern in declare:
        says = says | text.str.contains(pattern)
    rooms = list(war_rooms)
    roots = messages.filter(
        ~pl.col("channel_id").is_in(rooms)
        & ~pl.col("is_thread_reply").fill_null(False)
        & (pl.col("reply_count").fill_null(0) > 0)
        & ~pl.col("raw_text").fill_null("").str.contains(r"<#C", literal=False)
        & says
    )
    if not roots.height:
        return pl.DataFrame(
            schema={
                c: pl.String for c in ("ref", "incident_id", "channel_id", "thread_ts", "title", "service")
            }
        )
    rest = text.str.replace(_AFTER, "")
    system = text.str.extract(_SYSTEM, 1)
    first_word = rest.str.extract(r"^([\w][\w.-]*)", 1)
    out = roots.select(
        ref=pl.format("{}/{}", "channel_id", pl.coalesce("thread_ts", "ts")),
        channel_id="channel_id",
        thread_ts=pl.coalesce("thread_ts", "ts"),
        title=rest.str.extract(r"^([^\n]*?)(?:\s+[-–—]\s+|[.!?](?:\s|$)|\n|$)", 1),
        service=pl.coalesce(
            system.str.extract(r"\(([\w.-]+)\)\s*$", 1), system, first_word
        ).str.to_lowercase(),
        _date=pl.col("at").dt.strftime("%Y-%m-%d"),
    ).with_columns(
        incident_id=pl.format(
            "INC-{}-{}",
            "_date",
            pl.col("service").str.replace_all(r"[^a-z0-9]+", "-").str.strip_chars("-").fill_null("thread"),
        )
    )
    taken = set(war_rooms.values())
    ids = []
    for iid, ts in out.select("incident_id", "thread_ts").iter_rows():
        ids.append(f"{iid}-{ts}" if iid in taken else iid)
        taken.add(ids[-1])
    return out.with_columns(incident_id=pl.Series(ids, dtype=pl.String)).select(
        "ref", "incident_id", "channel_id", "thread_ts", "title", "service"
    )
