"""Naming: a war room and a post-mortem about the same day and the same thing.

``incident-2025-01-15-payment`` and a post-mortem dated 2025-01-15 titled "Payment Service
Outage" name one incident: the dates are equal (the post-mortem's in the team's time
zone) and every word of the war room's name after its date (``payment``) is a word of
the post-mortem's title, its services or their canonical names (plural ``s`` ignored).
"""

from __future__ import annotations

import polars as pl

__all__ = ["CONFIDENCE", "naming_edges"]

CONFIDENCE = 0.8
"""How surely a naming match means the same incident."""


def naming_edges(recs: pl.DataFrame) -> pl.DataFrame:
    """Edges ``a`` (war room), ``b`` (post-mortem), ``method="name"``, confidence, evidence."""
    rooms = recs.filter(pl.col("is_war_room") & (pl.col("name_words").list.len() > 0)).select(
        a="rec", name_date="name_date", w="name_words", room="incident_id"
    )
    service_words = (
        pl.col("service_keys").list.eval(pl.element().str.split("-")).list.eval(pl.element().explode())
    )
    docs = recs.filter(pl.col("source") == "postmortem").select(
        b="rec",
        name_date="name_date",
        p=pl.concat_list(pl.col("name_words").fill_null([]), service_words.fill_null([])).list.unique(),
        doc="incident_id",
    )
    pairs = rooms.join(docs, on="name_date").filter(pl.col("w").list.set_difference("p").list.len() == 0)
    return pairs.select(
        "a",
        "b",
        method=pl.lit("name"),
        confidence=pl.lit(CONFIDENCE),
        evidence=pl.format(
            "{} and {} are both {} about {}", "room", "doc", "name_date", pl.col("w").list.join(" ")
        ),
    )
