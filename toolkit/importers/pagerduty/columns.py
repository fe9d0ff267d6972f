"""PagerDuty records as columns: which fields each kind of record yields, and how fast.

:class:`Columns` collects the decoded Structs of one kind and turns them into a polars
frame every few hundred thousand records: every leaf field of a record is read with one
C-level ``attrgetter`` call and the tuples are transposed with ``zip``, which keeps the
per-record Python work to a couple of calls; list columns go through pyarrow, which
converts nested lists in one go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import Any

import polars as pl
import pyarrow as pa

from toolkit.importers.pagerduty.shapes import Kind
from toolkit.schema import UTC

__all__ = ["META", "META_SCHEMA", "REQUIRED", "SCHEMAS", "TIMES", "Columns", "empty_flat"]

S = pl.String()
_I = pl.Int64()
_L = pl.List(S)
META_SCHEMA: dict[str, pl.DataType] = {
    "_file_idx": _I,
    "_page": _I,
    "_paged": pl.Boolean(),
    "_record": _I,
}
META = list(META_SCHEMA)
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "incident": {
        "pd_incident_id": S,
        "incident_number": _I,
        "title": S,
        "summary": S,
        "status": S,
        "urgency": S,
        "created_at": S,
        "updated_at": S,
        "last_status_change_at": S,
        "resolved_at": S,
        "service": S,
        "escalation_policy": S,
        "priority": S,
        "teams": _L,
        "assignees": _L,
        "acknowledgers": _L,
        "ack_ats": _L,
        "merged_into": S,
        "html_url": S,
        "incident_key": S,
    },
    "log entry": {
        "pd_incident_id": S,
        "entry_id": S,
        "raw_type": S,
        "created_at": S,
        "agent": S,
        "agent_type": S,
        "channel_type": S,
        "channel_summary": S,
        "notification_type": S,
        "summary": S,
        "notified_user": S,
        "assignees": _L,
        "note": S,
        "incident_summary": S,
        "service": S,
    },
    "note": {"pd_incident_id": S, "note_id": S, "content": S, "created_at": S, "user": S},
    "alert": {
        "pd_incident_id": S,
        "alert_id": S,
        "summary": S,
        "created_at": S,
        "status": S,
        "severity": S,
        "service": S,
        "integration": S,
    },
}


def _sums(refs: Sequence[Any]) -> list[str]:
    return [r.summary for r in refs if r is not None and r.summary is not None]


@dataclass(frozen=True)
class _Spec:
    """How records of one kind become columns: leaf paths, list columns, final touches."""

    leaves: dict[str, str]
    """Column name → dotted attribute path, read for all records by one C-level getter."""
    lists: dict[str, tuple[str, Callable[[Any], list[str]]]]
    """Column name → (attribute, function of its value when not null) for list columns."""
    finish: dict[str, pl.Expr]
    """Columns computed from the leaves once the frame exists."""
    drop: tuple[str, ...] = ()


_SPECS: dict[str, _Spec] = {
    "incident": _Spec(
        leaves={
            "pd_incident_id": "id",
            "incident_number": "incident_number",
            "title": "title",
            "summary": "summary",
            "status": "status",
            "urgency": "urgency",
            "created_at": "created_at",
            "updated_at": "updated_at",
            "last_status_change_at": "last_status_change_at",
            "resolved_at": "resolved_at",
            "service": "service.summary",
            "escalation_policy": "escalation_policy.summary",
            "_priority_summary": "priority.summary",
            "_priority_name": "priority.name",
            "_reason": "resolve_reason.type",
            "_reason_incident": "resolve_reason.incident.id",
            "html_url": "html_url",
            "incident_key": "incident_key",
        },
        lists={
            "teams": ("teams", _sums),
            "assignees": ("assignments", lambda v: _sums([a.assignee for a in v])),
            "acknowledgers": ("acknowledgements", lambda v: _sums([a.acknowledger for a in v])),
            "ack_ats": ("acknowledgements", lambda v: [a.at for a in v if a.at is not None]),
        },
        finish={
            "priority": pl.coalesce("_priority_summary", "_priority_name"),
            "merged_into": pl.when(pl.col("_reason") == "merge_resolve_reason").then(
                pl.col("_reason_incident")
            ),
        },
        drop=("_priority_summary", "_priority_name", "_reason", "_reason_incident"),
    ),
    "log entry": _Spec(
        leaves={
            "pd_incident_id": "incident.id",
            "entry_id": "id",
            "raw_type": "type",
            "created_at": "created_at",
            "agent": "agent.summary",
            "agent_type": "agent.type",
            "channel_type": "channel.type",
            "channel_summary": "channel.summary",
            "notification_type": "channel.notification.type",
            "summary": "summary",
            "notified_user": "user.summary",
            "note": "note",
            "incident_summary": "incident.summary",
            "service": "service.summary",
        },
        lists={"assignees": ("assignees", _sums)},
        finish={},
    ),
    "note": _Spec(
        leaves={
            "pd_incident_id": "incident.id",
            "note_id": "id",
            "content": "content",
            "created_at": "created_at",
            "user": "user.summary",
        },
        lists={},
        finish={},
    ),
    "alert": _Spec(
        leaves={
            "pd_incident_id": "incident.id",
            "alert_id": "id",
            "summary": "summary",
            "created_at": "created_at",
            "status": "status",
            "severity": "severity",
            "service": "service.summary",
            "integration": "integration.summary",
        },
        lists={},
        finish={},
    ),
}


def _walk(rec: Any, path: str) -> Any:
    for name in path.split("."):
        if rec is None:
            return None
        rec = getattr(rec, name)
    return rec


def _leaf_columns(recs: list[Any], paths: list[str]) -> list[Sequence[Any]]:
    """The leaf columns of ``recs``: one C-level getter per record, transposed by zip.

    Absent references decode as shared empty Structs, so the getter runs through; a
    batch holding an explicit JSON null reference takes the slower walk instead.
    """
    try:
        return list(zip(*map(attrgetter(*paths), recs), strict=True))
    except AttributeError:
        return [_leaf(recs, p) for p in paths]


def _leaf(recs: list[Any], path: str) -> list[Any]:
    try:
        return list(map(attrgetter(path), recs))
    except AttributeError:
        return [_walk(r, path) for r in recs]


def _series(name: str, values: Sequence[Any], dtype: pl.DataType) -> pl.Series:
    if isinstance(dtype, pl.List):
        # polars builds nested lists element by element; pyarrow converts them in one go
        return pl.Series(name, pa.array(values, pa.list_(pa.string()))).cast(dtype)
    return pl.Series(name, values, dtype=dtype)


class Columns:
    """Decoded records of one kind, turned into a polars frame every few hundred thousand.

    Reading every leaf field of a record with one ``attrgetter`` call and transposing the
    tuples with ``zip`` keeps the per-record Python work to a couple of C calls.
    """

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.spec = _SPECS[kind.name]
        self.schema = {**META_SCHEMA, **SCHEMAS[kind.name]}
        self.recs: list[Any] = []
        self.meta: dict[str, list[Any]] = {name: [] for name in META_SCHEMA}
        self.frames: list[pl.DataFrame] = []

    def add(self, file_idx: int, page: int, paged: bool, recs: Sequence[Any], numbers: Iterable[int]) -> int:
        n = len(recs)
        m = self.meta
        m["_file_idx"].extend(repeat(file_idx, n))
        m["_page"].extend(repeat(page, n))
        m["_paged"].extend(repeat(paged, n))
        m["_record"].extend(numbers)
        self.recs.extend(recs)
        return n

    def flush(self) -> None:
        if not self.recs:
            return
        spec, recs = self.spec, self.recs
        names = list(spec.leaves)
        columns: dict[str, Sequence[Any]] = dict(self.meta)
        columns.update(zip(names, _leaf_columns(recs, list(spec.leaves.values())), strict=True))
        for name, (attr, get) in spec.lists.items():
            columns[name] = [None if v is None else get(v) for v in map(attrgetter(attr), recs)]
        dtypes = {**self.schema, **dict.fromkeys(spec.drop, pl.String())}
        frame = pl.DataFrame([_series(k, v, dtypes[k]) for k, v in columns.items()])
        if spec.finish:
            frame = frame.with_columns(**spec.finish)
        self.frames.append(frame.select(list(self.schema)))
        self.recs = []
        self.meta = {name: [] for name in META_SCHEMA}

    def frame(self) -> pl.DataFrame | None:
        self.flush()
        if not self.frames:
            return None
        frames, self.frames = self.frames, []
        return pl.concat(frames, how="vertical", rechunk=False)


REQUIRED: dict[str, list[tuple[str, str]]] = {
    "incident": [("pd_incident_id", "id")],
    "log entry": [("entry_id", "id"), ("raw_type", "type")],
    "note": [("note_id", "id")],
    "alert": [("alert_id", "id")],
}
TIMES: dict[str, list[tuple[str, str, bool]]] = {
    "incident": [
        ("created_at", "created_at", True),
        ("updated_at", "updated_at", False),
        ("last_status_change_at", "last_status_change_at", False),
        ("resolved_at", "resolved_at", False),
    ],
    "log entry": [("created_at", "created_at", True)],
    "note": [("created_at", "created_at", True)],
    "alert": [("created_at", "created_at", True)],
}


def empty_flat(kind_name: str) -> pl.DataFrame:
    """An empty frame with the columns a validated frame of ``kind_name`` has."""
    schema = {**META_SCHEMA, **SCHEMAS[kind_name]}
    for col, _, _ in TIMES[kind_name]:
        schema[col] = UTC
    if kind_name == "incident":
        schema["ack_ats"] = pl.List(UTC)
    return pl.DataFrame(schema=schema)
