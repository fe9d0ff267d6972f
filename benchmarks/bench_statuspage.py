"""Benchmark the Statuspage importer against the JSON parse floor and a pandas baseline.

Run ``.venv/bin/python benchmarks/bench_statuspage.py [--small] [--incidents N]``.

Data: ``toolkit.samplegen.write_statuspage`` writes N incidents (default 100,000) twice,
as ``incidents-NNNNN.json`` list pages of 50 and as one ``incidents/<id>.json`` file per
incident, into ``benchmarks/_data/`` (git-ignored; reused when present) or, with
``--small`` (2,000 incidents), into a temporary folder.

Contenders, each in a fresh subprocess (wall time of the work only, peak RSS of the
process as ``ru_maxrss``):

* ``parse floor``: list (``os.walk``), read and ``orjson.loads`` every file, nothing
  else (the time inside ``orjson.loads`` alone is shown too);
* ``load_statuspage``: the importer (tables, dedup, validation, phases not included);
* ``pandas``: a straightforward pandas version of the same tables (orjson parsing,
  ``pd.json_normalize`` of the updates, ``pd.to_datetime``, de-duplication, sorting).

Targets: the importer within 3x of the parse floor and at least 5x faster than pandas.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script it is; loaded by file path (the tests) it is not
    sys.path.insert(0, str(HERE))
import _harness as harness  # noqa: E402

LAYOUTS = ("pages", "single")
CONTENDERS = ("parse floor", "load_statuspage", "pandas")
FLOOR_TARGET = 3.0
PANDAS_TARGET = 5.0
PRELOAD = ("orjson", "pandas", "polars")


# --- the contenders (run inside a worker process) ------------------------------------


def run_floor(folder: Path) -> tuple[int, float]:
    """List, read and parse every file; nothing else.

    Returns the number of incidents and the seconds spent inside ``orjson.loads`` alone.
    """
    import orjson

    n, parse = 0, 0.0
    for path in harness.files(folder):
        with open(path, "rb") as fh:
            data = fh.read()
        start = time.perf_counter()
        doc = orjson.loads(data)
        parse += time.perf_counter() - start
        n += len(doc["incidents"]) if "incidents" in doc else 1
    return n, parse


def run_toolkit(folder: Path) -> int:
    """The importer, as a user calls it."""
    from toolkit.importers.statuspage import load_statuspage

    return load_statuspage(folder, progress=False).statuspage_incidents.height


def run_pandas(folder: Path) -> int:
    """A straightforward pandas implementation of the incidents and updates tables."""
    import orjson
    import pandas as pd

    incidents: list[dict[str, Any]] = []
    for path in harness.files(folder):
        with open(path, "rb") as fh:
            doc = orjson.loads(fh.read())
        incidents.extend(doc["incidents"] if "incidents" in doc else [doc["incident"]])
    updates = pd.json_normalize(
        incidents, record_path="incident_updates", meta=["page_id"], meta_prefix="incident_"
    )
    updates["affected_components"] = updates["affected_components"].map(
        lambda comps: [c["name"] for c in comps] if isinstance(comps, list) else None
    )
    for col in ("created_at", "display_at", "updated_at"):
        updates[col] = pd.to_datetime(updates[col], utc=True, format="ISO8601")
    updates = (
        updates.sort_values("updated_at")
        .drop_duplicates(["incident_page_id", "incident_id", "id"], keep="last")
        .sort_values(["incident_page_id", "incident_id", "created_at"])
    )
    inc = pd.DataFrame(incidents).drop(columns=["incident_updates"])
    inc["components"] = inc["components"].map(lambda comps: [c["name"] for c in comps] if comps else [])
    for col in ("created_at", "updated_at", "started_at", "monitoring_at", "resolved_at"):
        inc[col] = pd.to_datetime(inc[col], utc=True, format="ISO8601")
    inc = inc.sort_values("updated_at").drop_duplicates(["page_id", "id"], keep="last")
    counts = updates.groupby(["incident_page_id", "incident_id"]).size().rename("n_updates")
    inc = inc.merge(counts, left_on=["page_id", "id"], right_index=True, how="left")
    first_resolved = (
        updates[updates["status"] == "resolved"]
        .groupby(["incident_page_id", "incident_id"])["created_at"]
        .min()
    )
    inc = inc.merge(
        first_resolved.rename("_first_resolved"), left_on=["page_id", "id"], right_index=True, how="left"
    )
    inc["resolved_at"] = inc["resolved_at"].fillna(inc["_first_resolved"])
    return len(inc)


RUNNERS = {"parse floor": run_floor, "load_statuspage": run_toolkit, "pandas": run_pandas}


# --- the driver ----------------------------------------------------------------------


def generate(root: Path, incidents: int) -> dict[str, Path]:
    """The two layouts of ``incidents`` incidents under ``root`` (reused when complete)."""
    from toolkit.samplegen import write_statuspage

    return {
        layout: harness.cached(
            root / f"statuspage-{layout}-{incidents}",
            partial(write_statuspage, incidents=incidents, seed=0, layout=layout),
            what=f"{incidents:,} incidents ({layout})",
        )
        for layout in LAYOUTS
    }


def measure(contender: str, folder: Path) -> dict[str, Any]:
    """Run one contender in a fresh interpreter and return its figures."""
    figures = harness.measure(Path(__file__), contender, folder)
    result = figures.pop("result")
    if contender == "parse floor":
        figures["incidents"], figures["parse_only"] = result
    else:
        figures["incidents"] = result
    return figures


def report(rows: list[dict[str, Any]]) -> str:
    """The results as a plain-text table, with the ratios against the targets.

    Ratios are of wall time; CPU seconds (user + system, all threads) are shown too,
    as they are steadier than wall time on a busy machine.
    """
    return harness.report(rows, rates=[("incidents/s", "incidents")], lead=["layout"])


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = harness.arg_parser(__doc__, "2,000 incidents in a temporary folder (seconds)")
    parser.add_argument("--incidents", type=int, default=None, help="incidents per layout (default 100,000)")
    args = parser.parse_args(argv)
    if args.worker:
        harness.worker_main(RUNNERS, args.worker[0], Path(args.worker[1]), preload=PRELOAD)
        return []
    incidents = args.incidents or (2_000 if args.small else 100_000)
    with tempfile.TemporaryDirectory(prefix="bench-statuspage-") as tmp:
        folders = generate(Path(tmp) if args.small else harness.DATA, incidents)
        rows: list[dict[str, Any]] = []
        for layout, folder in folders.items():
            mb = harness.tree_bytes(folder) / 1e6
            got = {c: measure(c, folder) for c in CONTENDERS}
            floor, ours, pandas = (got[c]["seconds"] for c in CONTENDERS)
            for contender in CONTENDERS:
                row: dict[str, Any] = {"layout": layout, "contender": contender, "mb": mb, **got[contender]}
                if contender == "load_statuspage":
                    ok = "ok" if ours / floor <= FLOOR_TARGET else "MISSED"
                    row["ratio"] = (
                        f"{ours / floor:.2f}x floor (<= {FLOOR_TARGET:g}) {ok}; "
                        f"CPU {got[contender]['cpu'] / got['parse floor']['cpu']:.2f}x"
                    )
                if contender == "pandas":
                    ok = "ok" if pandas / ours >= PANDAS_TARGET else "MISSED"
                    row["ratio"] = (
                        f"{pandas / ours:.2f}x slower (>= {PANDAS_TARGET:g}) {ok}; "
                        f"CPU {got[contender]['cpu'] / got['load_statuspage']['cpu']:.2f}x"
                    )
                if contender == "parse floor":
                    row["ratio"] = f"(orjson.loads alone: {got[contender]['parse_only']:.2f} s)"
                rows.append(row)
            counts = {got[c]["incidents"] for c in CONTENDERS}
            if counts != {incidents}:
                raise SystemExit(f"{layout}: contenders disagree on the incident count: {got}")
    print(f"Statuspage importer, {incidents:,} incidents per layout ({os.cpu_count()} CPUs)")
    print(report(rows))
    if args.small:
        print("(--small: fixed start-up costs dominate; the targets are for the full size)")
    return rows


if __name__ == "__main__":
    main()
