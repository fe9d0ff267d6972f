"""How a table is declared: :class:`Column` and :class:`Table`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import polars as pl

from toolkit.errors import SchemaError

__all__ = ["REACTION", "UTC", "Column", "S", "Table", "Tier"]

UTC = pl.Datetime("us", "UTC")
"""The one timestamp dtype of every table."""

S = pl.String()
REACTION = pl.Struct({"name": pl.String(), "count": pl.Int64(), "users": pl.List(pl.String())})

Tier = Literal["core", "source"]


@dataclass(frozen=True)
class Column:
    """One column: name, polars dtype, one line of documentation, allowed values."""

    name: str
    dtype: pl.DataType
    doc: str
    enum: type[StrEnum] | None = None
    nullable: bool = True


@dataclass(frozen=True)
class Table:
    """One tidy table: its columns, its key (unique per row), what a row is, and its tier.

    ``core`` tables are what every layer after the importers reads; ``source`` tables keep
    what one vendor's export says, under names that say whose it is (``slack_messages``).
    """

    name: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    tier: Tier = "core"

    @property
    def schema(self) -> pl.Schema:
        """The polars schema (column name to dtype), in column order."""
        return pl.Schema({c.name: c.dtype for c in self.columns})

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise SchemaError(self.name, name, "no such column in the schema")
