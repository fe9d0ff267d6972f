"""The tidy tables every layer agrees on: names, dtypes, enums, one doc line per column.

Two tiers, both declared here and validated on the way into the workspace:

* **core tables** (:mod:`toolkit.schema.core`): ``incidents``, ``events``, ``roles``,
  ``people``, ``action_items``, ``whys``, ``postmortem_sections``, ``links``,
  ``corrections``, ``rejected`` — what every layer after the importers reads;
* **source tables** (:mod:`toolkit.schema.sources`): ``slack_messages``, ``slack_channels``,
  ``slack_users``, ``pagerduty_incidents``, ``pagerduty_log_entries``,
  ``statuspage_incidents``, ``statuspage_updates``, ``statuspage_components``,
  ``statuspage_maintenances`` — what one vendor's export says.

Nothing past ``toolkit/importers/`` sees a vendor's field names. All timestamps are
``pl.Datetime("us", "UTC")``; enum-valued columns hold the ``StrEnum`` values as strings
(``pl.String``), so tables travel unchanged to pandas, Parquet, DuckDB and Spark.

Examples
--------
>>> import polars as pl
>>> from toolkit import schema
>>> df = schema.empty("events")
>>> schema.validate("events", df).columns[:3]
['incident_id', 'at', 'source']
>>> schema.conform("links", pl.DataFrame({"incident_id": ["INC-1"], "source": ["slack"],
...                                        "ref": ["C1"], "method": ["manual"]})).columns
['incident_id', 'source', 'ref', 'method', 'confidence']
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.errors import SchemaError
from toolkit.schema.core import CORE_TABLES
from toolkit.schema.enums import (
    EventKind,
    Impact,
    IncidentStatus,
    ItemStatus,
    Priority,
    Role,
    SectionKind,
    Severity,
    Source,
    UpdateStatus,
    Visibility,
)
from toolkit.schema.sources import SOURCE_TABLES
from toolkit.schema.table import REACTION, UTC, Column, Table, Tier

__all__ = [
    "CORE",
    "REACTION",
    "SOURCES",
    "TABLES",
    "UTC",
    "Column",
    "EventKind",
    "Impact",
    "IncidentStatus",
    "ItemStatus",
    "Priority",
    "Role",
    "SectionKind",
    "Severity",
    "Source",
    "Table",
    "Tier",
    "UpdateStatus",
    "Visibility",
    "conform",
    "empty",
    "table",
    "validate",
]

TABLES: Mapping[str, Table] = {t.name: t for t in (*CORE_TABLES, *SOURCE_TABLES)}
"""Every table that may be stored, by name."""

CORE: tuple[str, ...] = tuple(t.name for t in CORE_TABLES)
"""Names of the core tables."""

SOURCES: tuple[str, ...] = tuple(t.name for t in SOURCE_TABLES)
"""Names of the source tables."""


def table(name: str) -> Table:
    """The declared table ``name`` (raises :class:`SchemaError` naming the known ones)."""
    try:
        return TABLES[name]
    except KeyError:
        raise SchemaError(name, None, f"no such table; known tables: {', '.join(TABLES)}") from None


def empty(name: str) -> pl.DataFrame:
    """An empty DataFrame with the columns and dtypes of table ``name``."""
    return pl.DataFrame(schema=table(name).schema)


def conform(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """``df`` with table ``name``'s columns, in order: missing ones as nulls, dtypes cast.

    The one way an importer pads a frame to the schema. Columns not in the schema are
    dropped; a value that cannot be cast raises (a bug in the importer, not bad input).
    """
    t = table(name)
    return df.select(
        [
            pl.col(c.name).cast(c.dtype) if c.name in df.columns else pl.lit(None, c.dtype).alias(c.name)
            for c in t.columns
        ]
    )


def validate(name: str, df: pl.DataFrame, *, extra: bool = True) -> pl.DataFrame:
    """Check ``df`` against table ``name``; return it unchanged or raise :class:`SchemaError`.

    Checks, in order: every schema column present, dtypes equal (timestamps must be
    ``Datetime("us", "UTC")``; a naive datetime is named as such), no nulls in
    non-nullable columns, enum columns hold only their enum's values, and the key is
    unique. Extra columns are allowed unless ``extra=False``.

    Examples
    --------
    >>> import polars as pl
    >>> validate("links", pl.DataFrame({"incident_id": ["x"]}))
    Traceback (most recent call last):
    ...
    toolkit.errors.SchemaError: table 'links', column 'source': missing column
    """
    t = table(name)
    for col in t.columns:
        if col.name not in df.columns:
            raise SchemaError(name, col.name, "missing column")
        actual = df.schema[col.name]
        if actual != col.dtype:
            if isinstance(actual, pl.Datetime) and actual.time_zone is None:
                problem = f"naive datetime ({actual}); expected {col.dtype} — attach a time zone"
            else:
                problem = f"wrong dtype {actual}; expected {col.dtype}"
            raise SchemaError(name, col.name, problem)
        if not col.nullable and df[col.name].null_count():
            raise SchemaError(
                name, col.name, f"{df[col.name].null_count()} null value(s) in a required column"
            )
        if col.enum is not None:
            values = df[col.name].drop_nulls().unique()
            bad = values.filter(~values.is_in([e.value for e in col.enum]))
            if len(bad):
                shown = ", ".join(repr(v) for v in sorted(bad.to_list())[:5])
                allowed = ", ".join(sorted(e.value for e in col.enum))
                raise SchemaError(name, col.name, f"value(s) {shown} outside {col.enum.__name__} ({allowed})")
    if not extra:
        unknown = [c for c in df.columns if c not in t.schema]
        if unknown:
            raise SchemaError(name, unknown[0], "column not in the schema")
    if t.key and df.height:
        dup = df.select(t.key).is_duplicated()
        if dup.any():
            first = df.filter(dup).row(0, named=True)
            shown = ", ".join(f"{k}={first[k]!r}" for k in t.key)
            raise SchemaError(name, ",".join(t.key), f"{int(dup.sum())} rows share a key, e.g. {shown}")
    return df
