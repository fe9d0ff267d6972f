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

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "_data"
LAYOUTS = ("pages", "single")
CONTENDERS = ("parse floor", "load_statuspage", "pandas")
FLOOR_TARGET = 3.0
PANDAS_TARGET = 5.0


# --- the contenders (run inside a worker process) ------------------------------------


def _files(folder: Path) -> list[str]:
    """Every ``.json`` file under ``folder``, sorted (plain os.walk: the cheapest listing)."""
    out: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out.extend(os.path.join(root, n) for n in names if n.endswith(".json"))
    return sorted(out)


PARSE_ONLY: list[float] = []
"""Seconds spent inside orjson.loads alone, filled by :func:`run_floor`."""


def run_floor(folder: Path) -> int:
    """List, read and parse every file; nothing else. Returns the number of incidents."""
    import orjson

    n, parse = 0, 0.0
    for path in _files(folder):
        with open(path, "rb") as fh:
            data = fh.read()
        start = time.perf_counter()
        doc = orjson.loads(data)
        parse += time.perf_counter() - start
        n += len(doc["incidents"]) if "incidents" in doc else 1
    PARSE_ONLY.append(parse)
    return n


def run_toolkit(folder: Path) -> int:
    """The importer, as a user calls it."""
    from toolkit.importers.statuspage import load_statuspage

    return load_statuspage(folder, progress=False).incidents.height


def run_pandas(folder: Path) -> int:
    """A straightforward pandas implementation of the incidents and updates tables."""
    import orjson
    import pandas as pd

    incidents: list[dict[str, Any]] = []
    for path in _files(folder):
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


def worker(contender: str, folder: Path) -> None:
    """Time one contender and print a JSON line: seconds, CPU seconds, incidents, peak RSS (MB)."""
    os.environ["INCIDENT_TOOLKIT_NO_PROGRESS"] = "1"
    import orjson  # noqa: F401  (imported before the clock starts, like polars/pandas below)
    import pandas  # noqa: F401
    import polars  # noqa: F401

    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    n = RUNNERS[contender](folder)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    rss = after.ru_maxrss / 1024  # KiB on Linux
    result = {"seconds": seconds, "cpu": cpu, "incidents": n, "rss_mb": rss}
    if PARSE_ONLY:
        result["parse_only"] = PARSE_ONLY[0]
    print(json.dumps(result))


# --- the driver ----------------------------------------------------------------------


def generate(root: Path, incidents: int) -> dict[str, Path]:
    """The two layouts of ``incidents`` incidents under ``root`` (reused when complete)."""
    from toolkit.samplegen import write_statuspage

    folders = {}
    for layout in LAYOUTS:
        folder = root / f"statuspage-{layout}-{incidents}"
        done = folder / ".complete"
        if not done.exists():
            print(
                f"generating {incidents:,} incidents ({layout}) in {folder} ...", file=sys.stderr, flush=True
            )
            write_statuspage(folder, incidents=incidents, seed=0, layout=layout)  # type: ignore[arg-type]
            done.write_text("ok\n")
        folders[layout] = folder
    return folders


def measure(contender: str, folder: Path) -> dict[str, float]:
    """Run one contender in a fresh interpreter and return its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--worker", contender, str(folder)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def folder_bytes(folder: Path) -> int:
    return sum(os.path.getsize(p) for p in _files(folder))


def report(rows: list[dict[str, Any]]) -> str:
    """The results as a plain-text table, with the ratios against the targets.

    Ratios are of wall time; CPU seconds (user + system, all threads) are shown too,
    as they are steadier than wall time on a busy machine.
    """
    head = (
        f"{'layout':<7} {'contender':<16} {'wall s':>8} {'CPU s':>7} {'incidents/s':>12} {'MB/s':>8} "
        f"{'peak RSS MB':>12}  ratio"
    )
    lines = [head, "-" * (len(head) + 36)]
    for row in rows:
        lines.append(
            f"{row['layout']:<7} {row['contender']:<16} {row['seconds']:>8.2f} {row['cpu']:>7.2f} "
            f"{row['incidents'] / row['seconds']:>12,.0f} {row['mb'] / row['seconds']:>8.1f} "
            f"{row['rss_mb']:>12.0f}  {row.get('ratio', '')}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--small", action="store_true", help="2,000 incidents in a temporary folder (seconds)"
    )
    parser.add_argument("--incidents", type=int, default=None, help="incidents per layout (default 100,000)")
    parser.add_argument("--worker", nargs=2, metavar=("CONTENDER", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]))
        return []
    incidents = args.incidents or (2_000 if args.small else 100_000)
    with tempfile.TemporaryDirectory(prefix="bench-statuspage-") as tmp:
        folders = generate(Path(tmp) if args.small else DATA, incidents)
        rows: list[dict[str, Any]] = []
        for layout, folder in folders.items():
            mb = folder_bytes(folder) / 1e6
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
