"""Incident ids that survive a re-export: the first id an incident record was given is kept.

Importers propose a readable id for every incident record (``INC-2025-01-15-payment``
from a war room's name, a post-mortem's stated id, ``PD-<id>``, ...). The workspace keeps
the first id it saw for each ``(source, ref)`` in ``edits.sqlite`` (table
``incident_ids``), so when a war-room channel is renamed, or a post-mortem's title
changes, a later export's records keep their old id, and every edit keyed on it (whys,
action items, links) stays attached. Within one source an id belongs to one record; a
new record proposing a taken id gets ``-2``, ``-3``, ...
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

import polars as pl

from toolkit.store.edits import now

__all__ = ["assign", "remap"]


def assign(db: sqlite3.Connection, incidents: pl.DataFrame) -> dict[str, str]:
    """Register the import's incident records; return ``{proposed id: kept id}`` where they differ.

    ``incidents`` has ``source``, ``ref`` and ``incident_id`` columns. Call inside a write
    transaction, so that two imports at once cannot hand out the same id.
    """
    mapping: dict[str, str] = {}
    stamp = now()
    for source, ref, proposed in incidents.select("source", "ref", "incident_id").iter_rows():
        hit = db.execute(
            "SELECT incident_id FROM incident_ids WHERE source = ? AND ref = ?", (source, ref)
        ).fetchone()
        if hit is not None:
            kept = hit[0]
        else:
            kept, n = proposed, 1
            while db.execute(
                "SELECT 1 FROM incident_ids WHERE source = ? AND incident_id = ?", (source, kept)
            ).fetchone():
                n += 1
                kept = f"{proposed}-{n}"
            db.execute(
                "INSERT INTO incident_ids (source, ref, incident_id, first_seen) VALUES (?, ?, ?, ?)",
                (source, ref, kept, stamp),
            )
        if kept != proposed:
            mapping[proposed] = kept
    return mapping


def remap(tables: Mapping[str, pl.DataFrame], mapping: Mapping[str, str]) -> dict[str, pl.DataFrame]:
    """Every table's ``incident_id`` column with ``mapping`` applied (others unchanged)."""
    if not mapping:
        return dict(tables)
    return {
        name: df.with_columns(pl.col("incident_id").replace(dict(mapping)))
        if "incident_id" in df.columns
        else df
        for name, df in tables.items()
    }
