"""Small hand-made store frames for timeline and analysis tests (no importer involved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from toolkit import schema
from toolkit.pipeline import sample_inputs
from toolkit.policy import Policy
from toolkit.timeline import Timeline, build

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def at(day: int, hh: int, mm: int = 0, ss: int = 0, *, month: int = 1) -> datetime:
    """A UTC time in 2025."""
    return datetime(2025, month, day, hh, mm, ss, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def incident(source: str, ref: str, incident_id: str, **cols: Any) -> dict[str, Any]:
    """An ``incidents`` row (missing columns null)."""
    return {"source": source, "ref": ref, "incident_id": incident_id, **cols}


def event(
    source: str, incident_id: str, when: datetime, kind: str, text: str = "", **cols: Any
) -> dict[str, Any]:
    """An ``events`` row; ``ref`` defaults to one unique per row."""
    cols.setdefault("ref", f"{source}:{incident_id}:{kind}:{when.isoformat()}:{text[:20]}")
    cols.setdefault("visibility", "public" if source == "statuspage" else "internal")
    return {"source": source, "incident_id": incident_id, "at": when, "kind": kind, "text": text, **cols}


def frame(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """``rows`` as table ``name``, padded to its schema."""
    if name not in schema.TABLES:
        return pl.DataFrame(rows, infer_schema_length=None)
    if not rows:
        return schema.empty(name)
    keys = sorted({k for r in rows for k in r})
    df = pl.DataFrame([{k: r.get(k) for k in keys} for r in rows], infer_schema_length=None)
    return schema.conform(name, df)


def tables(
    incidents: list[dict[str, Any]], events: list[dict[str, Any]], **extra: list[dict[str, Any]]
) -> dict[str, pl.DataFrame]:
    """Store frames by name: ``incidents``, ``events`` and any ``extra`` table."""
    out = {"incidents": frame("incidents", incidents), "events": frame("events", events)}
    out.update({name: frame(name, rows) for name, rows in extra.items()})
    return out


def timeline(incidents: list[dict[str, Any]], events: list[dict[str, Any]], **extra: Any) -> Timeline:
    """The timeline of hand-made frames under the default policy."""
    pinned = extra.pop("pinned", None)
    policy = extra.pop("policy", Policy.default())
    return build(tables(incidents, events, **extra), policy=policy, pinned=pinned)


def ingest_sample(folder: Path) -> None:
    """Ingest every export of the bundled sample into the workspace at ``folder``."""
    from toolkit.workspace import Workspace

    ws = Workspace(folder)
    for path in sample_inputs(SAMPLE):
        ws.ingest(path)
