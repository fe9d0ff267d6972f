from datetime import UTC, datetime

import pandas as pd
import polars as pl
import pytest

from toolkit import schema
from toolkit.errors import SchemaError


def _one_event(**over):
    row = {
        "incident_id": "INC-1",
        "at": datetime(2025, 1, 15, 18, 0, tzinfo=UTC),
        "source": "slack",
        "kind": "declare",
        "actor": "Alice",
        "text": "SEV1 declared",
        "ref": "C1/1736964000.000100",
        "visibility": "internal",
        "severity": "SEV1",
        "due_at": None,
    }
    row.update(over)
    return pl.DataFrame([row], schema=schema.TABLES["events"].schema)


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_empty_tables_validate_and_convert_to_pandas(name):
    df = schema.empty(name)
    assert schema.validate(name, df) is df
    assert isinstance(df.to_pandas(), pd.DataFrame)


def test_every_column_is_documented_once_and_every_table_has_its_key():
    for table in schema.TABLES.values():
        names = [c.name for c in table.columns]
        assert len(names) == len(set(names)), table.name
        assert all(c.doc.strip() for c in table.columns), table.name
        assert set(table.key) <= set(names), table.name


def test_tables_come_in_the_two_tiers_design_names():
    """DESIGN.md's core tables and source tables, each in its tier, and nothing else."""
    assert schema.CORE == (
        "incidents",
        "events",
        "roles",
        "people",
        "action_items",
        "whys",
        "postmortem_sections",
        "links",
        "corrections",
        "rejected",
    )
    assert set(schema.SOURCES) == {
        "slack_messages",
        "slack_channels",
        "slack_users",
        "pagerduty_incidents",
        "pagerduty_log_entries",
        "statuspage_incidents",
        "statuspage_updates",
        "statuspage_components",
        "statuspage_maintenances",
    }
    assert {t.tier for t in schema.TABLES.values() if t.name in schema.SOURCES} == {"source"}
    # a source table's name says whose it is
    assert all(n.split("_", 1)[0] in {s.value for s in schema.Source} for n in schema.SOURCES)


def test_every_source_record_has_a_source_ref_key():
    for name in ("incidents", "people"):
        assert schema.TABLES[name].key == ("source", "ref")


def test_conform_pads_casts_orders_and_drops():
    df = pl.DataFrame({"confidence": [1], "method": ["manual"], "source": ["slack"], "junk": [0]})
    out = schema.conform("links", df)
    assert out.columns == ["incident_id", "source", "ref", "method", "confidence"]
    assert out.schema["confidence"] == pl.Float64
    assert out.row(0) == (None, "slack", None, "manual", 1.0)


def test_a_good_row_validates():
    df = _one_event()
    assert schema.validate("events", df).height == 1


@pytest.mark.parametrize(
    ("df", "message"),
    [
        (_one_event().drop("kind"), "table 'events', column 'kind': missing column"),
        (
            _one_event().with_columns(pl.col("at").dt.replace_time_zone(None)),
            "table 'events', column 'at': naive datetime (Datetime(time_unit='us', time_zone=None)); "
            "expected Datetime(time_unit='us', time_zone='UTC') — attach a time zone",
        ),
        (
            _one_event().with_columns(pl.col("at").cast(pl.Datetime("ms", "UTC"))),
            "table 'events', column 'at': wrong dtype Datetime(time_unit='ms', time_zone='UTC'); "
            "expected Datetime(time_unit='us', time_zone='UTC')",
        ),
        (
            _one_event().with_columns(pl.lit(1).alias("text")),
            "table 'events', column 'text': wrong dtype Int32; expected String",
        ),
        (
            _one_event(kind="explosion"),
            "table 'events', column 'kind': value(s) 'explosion' outside EventKind",
        ),
        (
            _one_event(severity="SEV5"),
            "table 'events', column 'severity': value(s) 'SEV5' outside Severity (SEV1, SEV2, SEV3, SEV4)",
        ),
        (_one_event(ref=None), "table 'events', column 'ref': 1 null value(s) in a required column"),
        (
            pl.concat([_one_event(), _one_event()]),
            "table 'events', column 'source,incident_id,ref,kind,text': 2 rows share a key",
        ),
    ],
    ids=[
        "missing-column",
        "naive-datetime",
        "wrong-time-unit",
        "wrong-dtype",
        "bad-enum",
        "bad-severity",
        "null-required",
        "duplicate-key",
    ],
)
def test_validate_names_table_column_and_problem(df, message):
    with pytest.raises(SchemaError) as info:
        schema.validate("events", df)
    assert str(info.value).startswith(message)


def test_extra_columns_allowed_unless_forbidden():
    df = _one_event().with_columns(extra=pl.lit(1))
    schema.validate("events", df)
    with pytest.raises(SchemaError, match="column 'extra': column not in the schema"):
        schema.validate("events", df, extra=False)


def test_unknown_table():
    with pytest.raises(SchemaError, match="table 'nope': no such table"):
        schema.validate("nope", pl.DataFrame())
