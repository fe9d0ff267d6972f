"""Shared fixtures: a tiny fake importer registered for store and CLI tests."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
import polars as pl
import pytest

from toolkit import importers, schema
from toolkit.importers._base.common import Rejects
from toolkit.policy import Policy
from toolkit.schema import Source

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class FakeLoaded:
    events: pl.DataFrame
    rejected: pl.DataFrame
    notes: tuple[str, ...] = field(default=())

    def tables(self) -> Mapping[str, pl.DataFrame]:
        return {"events": self.events, "links": self.links}

    @property
    def links(self) -> pl.DataFrame:
        return schema.conform(
            "links",
            self.events.select("incident_id", "source", "ref", method=pl.lit("self"), confidence=pl.lit(1.0)),
        )


def load_fake(path: Path, *, strict: bool, policy: Policy) -> FakeLoaded:
    """A '.fake' file: a JSON array of [incident_id, minute, text]; bad rows are rejected."""
    rejects = Rejects(Source.manual, strict=strict)
    rows = []
    for i, rec in enumerate(orjson.loads(path.read_bytes())):
        if not isinstance(rec, list) or len(rec) != 3 or not isinstance(rec[1], int):
            rejects.add(str(path), i, "minute", "expected [incident_id, minute, text]")
            continue
        rows.append(
            {
                "incident_id": rec[0],
                "at": datetime(2025, 1, 15, 18, rec[1], tzinfo=UTC),
                "source": "manual",
                "kind": "note",
                "actor": None,
                "text": rec[2],
                "ref": f"{path.name}:{i}",
                "visibility": "internal",
                "severity": None,
                "due_at": None,
            }
        )
    events = pl.DataFrame(rows, schema=schema.TABLES["events"].schema)
    return FakeLoaded(events, rejects.frame(), ("fake importer",))


@pytest.fixture
def fake_importer() -> Iterator[importers.Importer]:
    """Register the '.fake' importer for Source.manual for one test."""
    before = dict(importers.registered())  # built-ins loaded, so they are restored too
    imp = importers.register(
        importers.Importer(Source.manual, lambda p: p.suffix == ".fake", load_fake, "test importer")
    )
    yield imp
    importers._REGISTRY.clear()
    importers._REGISTRY.update(before)


def write_fake(path: Path, rows: list[object]) -> Path:
    path.write_bytes(orjson.dumps(rows))
    return path
