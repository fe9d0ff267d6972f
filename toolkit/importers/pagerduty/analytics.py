"""PagerDuty Analytics raw incidents: ``POST /analytics/raw/incidents`` JSON and the same as CSV.

Analytics records carry PagerDuty's own response times (``seconds_to_first_ack``,
``seconds_to_resolve``, ``seconds_to_engage``, ``escalation_count``) and descriptive
fields (``priority_name``, ``major``, ``urgency``, ``service_name``, ...). Their timestamps
usually have no time zone ("2023-05-31T10:05:00"): those are read as local time in ``tz``
(default UTC) and the import report says so; timestamps that do carry an offset or 'Z'
keep it. A local time that does not exist in ``tz`` (a daylight-saving gap) is rejected.

CSV files use the same column names (one row per incident). List columns
(``assigned_user_names``, ``acknowledged_user_names``) may hold a JSON array
(``["Jane Doe", "John Smith"]``) or names separated by commas. Booleans may be written
true/false, yes/no or 1/0. Aggregate responses (``/analytics/metrics/...``, with
``aggregate_unit`` or ``mean_*`` fields) hold no incident and are skipped with a note.
"""

from __future__ import annotations

import io
from typing import Any

import orjson
import polars as pl

from toolkit.importers._base.common import BadField, Rejects, parse_iso_utc, parse_naive_in, type_name
from toolkit.importers._base.inputs import Member
from toolkit.schema import UTC

__all__ = ["SCHEMA", "finish", "parsed_schema", "read_csv", "read_document", "same_zone"]

_TEXT = (
    "id",
    "description",
    "status",
    "urgency",
    "priority_name",
    "service_name",
    "escalation_policy_name",
    "team_name",
)
_TIMES = ("created_at", "resolved_at", "updated_at")
_INTS = (
    "incident_number",
    "seconds_to_first_ack",
    "seconds_to_resolve",
    "seconds_to_engage",
    "escalation_count",
)
_BOOLS = ("major", "auto_resolved")
_NAMES = ("assigned_user_names", "acknowledged_user_names")

SCHEMA = pl.Schema(
    {
        "_file_idx": pl.Int64(),
        "_record": pl.Int64(),
        "_csv": pl.Boolean(),
        **dict.fromkeys(_TEXT, pl.String()),
        **dict.fromkeys(_TIMES, pl.String()),
        **dict.fromkeys(_INTS, pl.Int64()),
        **dict.fromkeys(_BOOLS, pl.Boolean()),
        **dict.fromkeys(_NAMES, pl.List(pl.String())),
    }
)
"""Flat analytics rows before their timestamps are parsed."""


def parsed_schema() -> pl.Schema:
    """Columns of the frame :func:`finish` returns (timestamps parsed to UTC)."""
    return pl.Schema({name: (UTC if name in _TIMES else dtype) for name, dtype in SCHEMA.items()})


_UTC_NAMES = {"utc", "etc/utc", "etc/uct", "uct", "etc/universal", "universal", "etc/zulu", "zulu", "z"}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


def _text(name: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return orjson.dumps(value).decode()
    raise BadField(name, f"expected text, got {type_name(value)}")


def _int(name: str, value: Any, *, from_text: bool) -> int | None:
    if from_text and isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        try:
            value = float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            raise BadField(name, f"expected a whole number, got '{value}'") from None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadField(name, f"expected a whole number, got {type_name(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise BadField(name, f"expected a whole number, got {value}")
        return int(value)
    return value


def _bool(name: str, value: Any, *, from_text: bool) -> bool | None:
    if from_text and isinstance(value, str):
        low = value.strip().lower()
        if not low:
            return None
        if low in _TRUE or low in _FALSE:
            return low in _TRUE
        raise BadField(name, f"expected true or false, got '{value}'")
    if value is None or isinstance(value, bool):
        return value
    raise BadField(name, f"expected true or false, got {type_name(value)}")


def _names(name: str, value: Any, *, from_text: bool) -> list[str]:
    if from_text and isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError:
                raise BadField(name, f"expected a JSON array of names, got '{value}'") from None
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadField(name, f"expected an array of names, got {type_name(value)}")
    out = []
    for i, item in enumerate(value):
        if item is None:
            continue
        if not isinstance(item, str):
            raise BadField(f"{name}[{i}]", f"expected a name, got {type_name(item)}")
        out.append(item)
    return out


def _row(rec: dict[str, Any], *, from_text: bool) -> list[Any]:
    row: list[Any] = []
    for name in _TEXT:
        row.append(_text(name, rec.get(name)))
    for name in _TIMES:
        value = rec.get(name)
        if from_text and isinstance(value, str) and not value.strip():
            value = None
        if value is not None and not isinstance(value, str):
            raise BadField(name, f"expected a timestamp string, got {type_name(value)}")
        row.append(value)
    for name in _INTS:
        row.append(_int(name, rec.get(name), from_text=from_text))
    for name in _BOOLS:
        row.append(_bool(name, rec.get(name), from_text=from_text))
    for name in _NAMES:
        row.append(_names(name, rec.get(name), from_text=from_text))
    return row


def _rows(records: list[Any], display: str, idx: int, rejects: Rejects, *, from_text: bool) -> pl.DataFrame:
    rows: list[list[Any]] = []
    for i, rec in enumerate(records):
        label = f"line {i + 2}" if from_text else f"analytics incident {i}"
        if not isinstance(rec, dict):
            rejects.add(
                display, i, None, f"expected an analytics incident object, got {type_name(rec)}", label=label
            )
            continue
        try:
            rows.append([idx, i, from_text, *_row(rec, from_text=from_text)])
        except BadField as bad:
            rejects.add(display, i, bad.field, bad.problem, label=label)
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def _is_aggregate(doc: dict[str, Any]) -> bool:
    if "aggregate_unit" in doc:
        return True
    data = doc.get("data")
    first = data[0] if isinstance(data, list) and data else data
    return (
        isinstance(first, dict)
        and "id" not in first
        and any(k.startswith(("mean_", "total_")) for k in first)
    )


def same_zone(a: str, b: str) -> bool:
    """Whether two zone names mean the same zone (UTC spellings are all equal)."""
    return a == b or (a.lower() in _UTC_NAMES and b.lower() in _UTC_NAMES)


def read_document(
    member: Member, doc: dict[str, Any], idx: int, rejects: Rejects, report: list[str], *, tz: str
) -> pl.DataFrame | None:
    """Rows of one Analytics JSON response (``{"data": [...]}`` or ``{"data": {...}}``)."""
    if _is_aggregate(doc):
        report.append(f"{member.display}: Analytics aggregate metrics, not incidents; skipped")
        return None
    data = doc.get("data")
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        rejects.add(
            member.display, None, "data", f"expected an array of analytics incidents, got {type_name(data)}"
        )
        return None
    declared = doc.get("time_zone")
    if isinstance(declared, str) and not same_zone(declared, tz):
        report.append(
            f"{member.display}: the response says time_zone '{declared}', but its timestamps without a "
            f"zone were read in '{tz}' as asked; pass tz='{declared}' if that is the zone they are in"
        )
    return _rows(data, member.display, idx, rejects, from_text=False)


def read_csv(member: Member, data: bytes, idx: int, rejects: Rejects) -> pl.DataFrame | None:
    """Rows of an Analytics CSV export (same column names as the JSON fields)."""
    if not data.strip():
        rejects.add(member.display, None, None, "empty file", hint="re-export it or remove it")
        return None
    try:
        df = pl.read_csv(io.BytesIO(data), infer_schema=False, truncate_ragged_lines=False)
    except Exception as exc:  # polars raises several error types for bad CSV
        rejects.add(member.display, None, None, f"not a readable CSV file: {str(exc).splitlines()[0]}")
        return None
    if "id" not in df.columns:
        shown = ", ".join(df.columns[:6])
        rejects.add(
            member.display,
            None,
            "id",
            f"no 'id' column (columns: {shown}); expected PagerDuty Analytics raw-incident columns "
            "such as id, created_at, seconds_to_first_ack",
        )
        return None
    return _rows(list(df.iter_rows(named=True)), member.display, idx, rejects, from_text=True)


def finish(
    frame: pl.DataFrame, files: list[str], rejects: Rejects, report: list[str], *, tz: str
) -> pl.DataFrame:
    """Check required fields, parse timestamps (offset-less ones in ``tz``), reject the rest."""
    checks: list[tuple[pl.Expr, str, pl.Expr]] = [
        (pl.col("id").is_null() | (pl.col("id") == ""), "id", pl.lit("missing")),
        (pl.col("created_at").is_null(), "created_at", pl.lit("missing")),
    ]
    parsed = {}
    for name in _TIMES:
        aware = parse_iso_utc(pl.col(name))
        naive = pl.col(name).str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us")
        parsed[name] = pl.coalesce(aware, parse_naive_in(pl.col(name), tz))
        frame = frame.with_columns(
            **{f"_t_{name}": parsed[name], f"_naive_{name}": aware.is_null() & naive.is_not_null()}
        )
        bad = pl.col(name).is_not_null() & pl.col(f"_t_{name}").is_null()
        checks.append(
            (
                bad & pl.col(f"_naive_{name}"),
                name,
                pl.format(f"local time '{{}}' does not exist in {tz} (a daylight-saving gap)", pl.col(name)),
            )
        )
        checks.append(
            (
                bad,
                name,
                pl.format(
                    "expected an ISO 8601 timestamp like '2025-01-15T10:00:00', got '{}'", pl.col(name)
                ),
            )
        )
    problem = pl.lit(None, dtype=pl.String)
    reason = pl.lit(None, dtype=pl.String)
    for cond, name, text in reversed(checks):
        problem = pl.when(cond).then(pl.lit(name)).otherwise(problem)
        reason = pl.when(cond).then(text).otherwise(reason)
    frame = frame.with_columns(_problem=problem, _reason=reason)
    for idx, record, csv, name, text in (
        frame.filter(pl.col("_problem").is_not_null())
        .select("_file_idx", "_record", "_csv", "_problem", "_reason")
        .iter_rows()
    ):
        rejects.add(
            files[idx],
            record,
            name,
            text,
            label=f"line {record + 2}" if csv else f"analytics incident {record}",
        )
    good = frame.filter(pl.col("_problem").is_null())
    naive = good.select(pl.sum_horizontal(pl.col(f"_naive_{n}").sum() for n in _TIMES)).item()
    if naive:
        report.append(
            f"Analytics timestamps read as {tz}: {naive} of them carried no time zone "
            "(pass tz=... if the export used another)"
        )
    return good.drop("_problem", "_reason", *_TIMES, *(f"_naive_{n}" for n in _TIMES)).rename(
        {f"_t_{n}": n for n in _TIMES}
    )
