"""Benchmark the PagerDuty importer against the JSON parse floor and a pandas baseline.

Run ``.venv/bin/python benchmarks/bench_pagerduty.py [--small] [--repeat N]``.

Data: ``toolkit.samplegen.write_pagerduty`` writes 100,000 incidents and 1,000,000 log
entries as REST v2 pages of 100 (``incidents-NNNNN.json``, ``log_entries-NNNNN.json``)
into ``benchmarks/_data/`` (git-ignored; reused once complete) or, with ``--small``
(1,000 incidents, 10,000 log entries), into a temporary folder.

Contenders, each in a fresh subprocess (wall and CPU time of the work only, peak RSS of
the process as ``ru_maxrss``), best wall time of ``--repeat`` runs:

* ``parse floor``: list, read and ``orjson.loads`` every file, keeping nothing;
* ``load_pagerduty``: the importer as a user calls it (all tables: incidents with
  derived response times, log entries, events, cross-check, rejections);
* ``pandas``: a straightforward pandas version of the incidents, log-entries and events
  tables (orjson, ``pd.json_normalize``, ``pd.to_datetime``, de-duplication, group-bys).

Targets: the importer within 3x of the parse floor and at least 5x faster than pandas.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script it is; loaded by file path (the tests) it is not
    sys.path.insert(0, str(HERE))
import _harness as harness  # noqa: E402

CONTENDERS = ("parse floor", "load_pagerduty", "pandas")
FLOOR_TARGET = 3.0
PANDAS_TARGET = 5.0
FULL = (100_000, 1_000_000)
SMALL = (1_000, 10_000)
PRELOAD = ("msgspec", "orjson", "pandas", "polars")


# --- the contenders (run inside a worker process) ------------------------------------


def run_floor(folder: Path) -> int:
    """Read and parse every file, nothing else. Returns the number of records."""
    import orjson

    n = 0
    for path in harness.files(folder):
        with open(path, "rb") as fh:
            doc = orjson.loads(fh.read())
        n += len(doc.get("incidents", ())) + len(doc.get("log_entries", ()))
    return n


def run_toolkit(folder: Path) -> int:
    """The importer, as a user calls it."""
    from toolkit.importers.pagerduty import load_pagerduty

    data = load_pagerduty(folder, progress=False)
    return data.pagerduty_incidents.height + data.log_entries.height


def run_pandas(folder: Path) -> int:
    """A straightforward pandas implementation of the incidents, log-entries and events tables."""
    import orjson
    import pandas as pd

    incidents: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for path in harness.files(folder):
        with open(path, "rb") as fh:
            doc = orjson.loads(fh.read())
        incidents.extend(doc.get("incidents", ()))
        entries.extend(doc.get("log_entries", ()))
    log = pd.json_normalize(entries)
    log["at"] = pd.to_datetime(log["created_at"], utc=True, format="ISO8601")
    log["type"] = log["type"].str.removesuffix("_log_entry")
    log = log.drop_duplicates(["incident.id", "id"]).sort_values(["incident.id", "at"], kind="stable")
    inc = pd.json_normalize(incidents)
    for col in ("created_at", "updated_at", "resolved_at"):
        inc[col] = pd.to_datetime(inc[col], utc=True, format="ISO8601")
    inc = inc.sort_values("updated_at").drop_duplicates("id", keep="last")
    inc["teams"] = inc["teams"].map(lambda ts: [t["summary"] for t in ts])
    inc["assignees"] = inc["assignments"].map(lambda xs: [x["assignee"]["summary"] for x in xs])
    by = log.groupby("incident.id")
    derived = pd.DataFrame(
        {
            "first_ack_at": log[log["type"] == "acknowledge"].groupby("incident.id")["at"].min(),
            "log_resolved_at": log[log["type"] == "resolve"].groupby("incident.id")["at"].max(),
            "escalation_count": log[log["type"] == "escalate"].groupby("incident.id")["at"].nunique(),
            "entries": by.size(),
        }
    )
    inc = inc.merge(derived, left_on="id", right_index=True, how="left")
    inc["escalation_count"] = inc["escalation_count"].fillna(0).astype("int64")
    inc["resolved_at"] = inc["log_resolved_at"].fillna(inc["resolved_at"])
    inc["seconds_to_first_ack"] = (inc["first_ack_at"] - inc["created_at"]).dt.total_seconds()
    inc["seconds_to_resolve"] = (inc["resolved_at"] - inc["created_at"]).dt.total_seconds()
    kinds = {
        "trigger": "alert",
        "notify": "page",
        "acknowledge": "acknowledge",
        "unacknowledge": "unacknowledge",
        "escalate": "escalate",
        "assign": "assign",
        "annotate": "note",
        "resolve": "resolve",
    }
    events = log[log["type"].isin(list(kinds))].assign(
        incident_id="PD-" + log["incident.id"], kind=log["type"].map(kinds), source="pagerduty"
    )[["incident_id", "at", "source", "kind", "agent.summary", "summary", "id"]]
    assert len(events) <= len(log)
    return len(inc) + len(log)


RUNNERS = {"parse floor": run_floor, "load_pagerduty": run_toolkit, "pandas": run_pandas}


# --- the driver ----------------------------------------------------------------------


def generate(root: Path, incidents: int, log_entries: int) -> Path:
    """The export under ``root`` (reused when a previous run completed it)."""
    from toolkit.samplegen import write_pagerduty

    return harness.cached(
        root / f"pagerduty-{incidents}x{log_entries}-seed0",
        lambda folder: write_pagerduty(folder, incidents=incidents, log_entries=log_entries, seed=0),
        what=f"{incidents:,} incidents, {log_entries:,} log entries",
    )


def measure(contender: str, folder: Path, repeat: int) -> dict[str, Any]:
    """Best of ``repeat`` runs of one contender, each in a fresh interpreter."""
    figures = harness.measure(Path(__file__), contender, folder, repeat=repeat)
    figures["rows"] = figures.pop("result")
    return figures


def report(rows: list[dict[str, Any]]) -> str:
    """The results as a plain-text table (ratios of wall time; CPU ratios beside them)."""
    return harness.report(rows, rates=[("rows/s", "rows")])


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = harness.arg_parser(__doc__, "1,000 incidents in a temporary folder (seconds)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender; the best wall time counts")
    args = parser.parse_args(argv)
    if args.worker:
        harness.worker_main(RUNNERS, args.worker[0], Path(args.worker[1]), preload=PRELOAD)
        return []
    incidents, log_entries = SMALL if args.small else FULL
    with tempfile.TemporaryDirectory(prefix="bench-pagerduty-") as tmp:
        folder = generate(Path(tmp) if args.small else harness.DATA, incidents, log_entries)
        mb = harness.tree_bytes(folder) / 1e6
        got = {c: measure(c, folder, args.repeat) for c in CONTENDERS}
    floor, ours, pandas = (got[c] for c in CONTENDERS)
    rows: list[dict[str, Any]] = []
    for contender in CONTENDERS:
        row: dict[str, Any] = {"contender": contender, "mb": mb, **got[contender]}
        if contender == "load_pagerduty":
            ratio = ours["seconds"] / floor["seconds"]
            row["ratio"] = (
                f"{ratio:.2f}x floor (<= {FLOOR_TARGET:g}: {'ok' if ratio <= FLOOR_TARGET else 'MISSED'}); "
                f"CPU {ours['cpu'] / floor['cpu']:.2f}x"
            )
        if contender == "pandas":
            ratio = pandas["seconds"] / ours["seconds"]
            row["ratio"] = (
                f"{ratio:.2f}x slower (>= {PANDAS_TARGET:g}: {'ok' if ratio >= PANDAS_TARGET else 'MISSED'}); "
                f"CPU {pandas['cpu'] / ours['cpu']:.2f}x"
            )
        rows.append(row)
    if {got[c]["rows"] for c in CONTENDERS} != {incidents + log_entries}:
        raise SystemExit(f"contenders disagree on the row count: {got}")
    print(
        f"PagerDuty importer: {incidents:,} incidents + {log_entries:,} log entries, {mb:,.0f} MB of JSON, "
        f"{os.cpu_count()} CPUs, best of {args.repeat}"
    )
    print(report(rows))
    if args.small:
        print("(--small: fixed start-up costs dominate; the targets are for the full size)")
    return rows


if __name__ == "__main__":
    main()
