"""The polars decoder of the Slack message reader gives exactly what the exact path gives.

Every day file that polars decodes is checked (lint, decoded-column checks) before its
columns are taken; anything doubtful goes to the exact, per-record path. These tests
throw values of every JSON type at every field the reader looks at and compare the two
paths table by table, rejections and notes included.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import load_slack
from toolkit.importers.slack import SlackExport, columnar
from toolkit.importers.slack import days as reader

_scalar = (
    st.none()
    | st.booleans()
    | st.integers(-(2**65), 2**65)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "x", "1736935200.000100", "1736935200", "5", "true", "U1", "<@U1> hi"])
)
_any = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from(["ts", "name", "text", "id"]), inner, max_size=2)
    ),
    max_leaves=4,
)
_good_ts = st.integers(1_700_000_000, 1_700_999_999).map(lambda n: f"{n}.000{n % 1000:03d}")


def _maybe(value: st.SearchStrategy[Any], odd: float = 0.15) -> st.SearchStrategy[Any]:
    """Mostly ``value``, sometimes anything at all."""
    return st.one_of(value, _any) if odd else value


_reaction = st.fixed_dictionaries(
    {},
    optional={
        "name": _maybe(st.sampled_from(["+1", "eyes"])),
        "count": _maybe(st.integers(0, 5)),
        "users": _maybe(st.lists(_maybe(st.sampled_from(["U1", "U2"])), max_size=3)),
    },
)
_attachment = st.fixed_dictionaries(
    {},
    optional={
        "pretext": _maybe(st.sampled_from(["", "deploy", "<@U1> did it"])),
        "title": _maybe(st.sampled_from(["", "build #4"])),
        "text": _maybe(st.sampled_from(["", "ok &amp; done"])),
        "fallback": _maybe(st.sampled_from(["", "alert <https://x.io|x>"])),
        "ts": _maybe(st.integers(1_700_000_000, 1_700_000_100)),
    },
)
_block = st.fixed_dictionaries(
    {"type": st.sampled_from(["section", "rich_text", "divider"])},
    optional={
        "text": _maybe(
            st.fixed_dictionaries({"type": st.just("mrkdwn"), "text": st.sampled_from(["hi", ""])})
        ),
        "elements": st.just([{"type": "rich_text_section", "elements": [{"type": "text", "text": "hello"}]}]),
    },
)
_message = st.fixed_dictionaries(
    {"ts": _maybe(_good_ts, 0.1)},
    optional={
        "type": st.just("message"),
        "user": _maybe(st.sampled_from(["U1", "U2", "U9"])),
        "text": _maybe(st.sampled_from(["", "hello", "SEV2 declared <#C1|general>", "resolved"])),
        "subtype": _maybe(st.sampled_from(["bot_message", "channel_join"])),
        "thread_ts": _maybe(_good_ts),
        "reply_count": _maybe(st.integers(0, 3)),
        "bot_id": _maybe(st.sampled_from(["B1"])),
        "username": _maybe(st.sampled_from(["deploybot"])),
        "edited": _maybe(st.fixed_dictionaries({"user": st.just("U1")}, optional={"ts": _maybe(_good_ts)})),
        "reactions": _maybe(st.lists(_maybe(_reaction, 0.1), max_size=2)),
        "files": _maybe(st.lists(_maybe(st.fixed_dictionaries({"id": st.just("F1")}), 0.1), max_size=2)),
        "file": _maybe(st.fixed_dictionaries({"id": st.just("F1")})),
        "pinned_to": _maybe(st.lists(st.just("C1"), max_size=1)),
        "bot_profile": _maybe(
            st.fixed_dictionaries({}, optional={"name": _maybe(st.sampled_from(["", "ci"]))})
        ),
        "user_profile": _maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "display_name": _maybe(st.sampled_from(["", "zed"])),
                    "real_name": _maybe(st.just("Zed")),
                },
            )
        ),
        "attachments": _maybe(st.lists(_maybe(_attachment, 0.1), max_size=2)),
        "blocks": _maybe(st.lists(_maybe(_block, 0.1), max_size=2)),
        "client_msg_id": _any,
    },
)
_day = st.lists(_maybe(_message, 0.03), max_size=5)


def _export(root: Path, days: list[list[Any]], *, indent: bool) -> Path:
    (root / "general").mkdir(parents=True)
    (root / "incident-2025-01-02-db").mkdir()
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (root / "users.json").write_text(json.dumps([{"id": "U1", "profile": {"display_name": "alice"}}]))
    for d, day in enumerate(days):
        folder = "general" if d % 2 else "incident-2025-01-02-db"
        (root / folder / f"2025-01-{d + 1:02d}.json").write_text(
            json.dumps(day, indent=4 if indent else None)
        )
    return root


def _same(fast: SlackExport, exact: SlackExport) -> None:
    for name, table in fast.tables().items():
        assert table.equals(exact.tables()[name]), name
    assert fast.rejected.equals(exact.rejected)
    assert fast.notes == exact.notes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=st.lists(_day, min_size=1, max_size=4), indent=st.booleans())
def test_both_paths_agree_on_anything(days: list[list[Any]], indent: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = _export(Path(tmp), days, indent=indent)
        exact = load_slack(root)
        reader.DECODER = "polars"
        try:
            fast = load_slack(root)
        finally:
            reader.DECODER = "msgspec"
    _same(fast, exact)


# id -> a day file the fast path must hand to the exact path (polars would read it differently)
DOUBTFUL: dict[str, bytes] = {
    "number-for-text": b'[{"ts": "1736935200.000100", "text": 5}]',
    "bool-for-user": b'[{"ts": "1736935200.000100", "user": true}]',
    "float-ts": b'[{"ts": 1736935200.123456}]',
    "int-ts": b'[{"ts": 1736935200}]',
    "float-reply-count": b'[{"ts": "1736935200.000100", "reply_count": 2.0}]',
    "huge-reply-count": b'[{"ts": "1736935200.000100", "reply_count": 99999999999999999999}]',
    "string-for-users": b'[{"ts": "1736935200.000100", "reactions": [{"name": "x", "users": "U1"}]}]',
    "number-in-users": b'[{"ts": "1736935200.000100", "reactions": [{"name": "x", "users": ["U1", 7]}]}]',
    "null-reaction": b'[{"ts": "1736935200.000100", "reactions": [null]}]',
    "reaction-without-name": b'[{"ts": "1736935200.000100", "reactions": [{"count": 1}]}]',
    "string-for-pinned-to": b'[{"ts": "1736935200.000100", "pinned_to": "C1"}]',
    "escaped-key": b'[{"t\\u0073": 5}]',
    "lone-surrogate": b'[{"ts": "1736935200.000100", "text": "\\ud83d"}]',
    "malformed-edited-ts": b'[{"ts": "1736935200.000100", "edited": {"ts": "soon"}}]',
    "object-not-array": b'{"ts": "1736935200.000100"}',
    "bom": b'\xef\xbb\xbf[{"ts": "1736935200.000100"}]',
}


@pytest.mark.parametrize("case", list(DOUBTFUL), ids=list(DOUBTFUL))
def test_doubtful_files_take_the_exact_path(case: str) -> None:
    raw = DOUBTFUL[case]
    frame = columnar.decode(raw)
    if frame is None:
        return  # polars refuses it itself
    if columnar.linted([raw]) == [True]:
        return
    numbered = frame.with_columns(_file=pl.lit(0, pl.Int32), _rec=pl.int_range(pl.len(), dtype=pl.Int32))
    assert columnar.doubtful(numbered) == {0}


def test_clean_files_take_the_fast_path() -> None:
    raw = json.dumps(
        [
            {
                "ts": "1736935200.000100",
                "user": "U1",
                "text": "hi",
                "reactions": [{"name": "+1", "count": 2, "users": ["U1", "U2"]}],
                "attachments": [{"ts": 1736935200, "text": "unfurl"}],
                "user_profile": {"display_name": "al", "is_restricted": False},
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
            }
        ],
        indent=4,
    ).encode()
    frame = columnar.decode(raw)
    assert frame is not None
    assert columnar.linted([raw]) == [False]
    numbered = frame.with_columns(_file=pl.lit(0, pl.Int32), _rec=pl.int_range(pl.len(), dtype=pl.Int32))
    assert columnar.doubtful(numbered) == set()
