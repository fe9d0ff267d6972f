"""Benchmark the timeline (linking, events, milestones) and every metric against a pandas baseline.

Run ``.venv/bin/python benchmarks/bench_timeline.py [--small] [--incidents N]``.

Data: ``_timeline_data.write_workspace`` lays out a workspace of N incidents (default
100,000) with about 50 events each across the four sources (5,000,000 events) in the
store's Parquet layout, straight from polars (no importer runs), in ``benchmarks/_data/``
(git-ignored; reused when complete) or, with ``--small`` (2,000 incidents), in a
temporary folder.

Contenders, each in a fresh subprocess (wall and CPU time of the work, peak RSS of the
process as ``ru_maxrss``):

* ``read floor``: the events table read into memory (what holding it costs), nothing else;
* ``toolkit``: ``toolkit.timeline.build`` on the workspace's tables (link, relink,
  dedupe, people, milestones, incidents), then ``durations``, ``summarize`` by severity
  (bootstrap intervals), ``survival``, ``compliance`` (response, cadence, promises,
  severity audit, resolution criteria) and the mitigation strategies;
* ``pandas``: the same definitions written in straightforward pandas (merges,
  ``str.extract``, ``groupby(...).apply``): ``_timeline_pandas.py``.

Also: the time to read the bundled sample's cached timeline (``toolkit.Workspace(...).timeline()``
in a fresh process, the cache written beforehand), which every report kernel pays.

Targets: the toolkit at least 10x faster than pandas; its peak RSS under 2x the events
table's size in memory.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script it is; loaded by file path (the tests) it is not
    sys.path.insert(0, str(HERE))
import _harness as harness  # noqa: E402

CONTENDERS = ("read floor", "toolkit", "pandas")
PANDAS_TARGET = 10.0
RSS_TARGET = 2.0
PRELOAD = ("numpy", "pandas", "polars", "orjson")


# --- the contenders (run inside a worker process) ------------------------------------


def run_floor(root: Path) -> list[float]:
    """The events table in memory; returns its row count and its size in MB."""
    from toolkit.store import Workspace
    from toolkit.timeline.build import tables_of

    events = tables_of(Workspace(root / "ws"))["events"].lazy().collect(engine="streaming")
    return [events.height, events.estimated_size() / 1e6]


def run_toolkit(root: Path) -> list[float]:
    """The timeline and every metric, as a report kernel computes them."""
    import polars as pl

    from toolkit import analysis
    from toolkit.policy import Policy
    from toolkit.store import Workspace
    from toolkit.timeline import build, tables_of

    ws = Workspace(root / "ws", policy=Policy.load(root / "policy.toml"))
    tl = build(tables_of(ws), policy=ws.policy)
    d = analysis.durations(tl, policy=ws.policy)
    summary = analysis.summarize(d, "severity")
    analysis.survival(d, by="severity")
    rules = analysis.compliance(tl, policy=ws.policy)
    analysis.time_to_mitigate_by_strategy(tl)
    resolved = d.filter(pl.col("resolved_at").is_not_null())
    median = resolved["time_to_resolve"].dt.total_microseconds().median() / 60e6
    kept = rules.filter((pl.col("rule") == "promises_kept") & pl.col("passed"))
    return [
        tl.incidents.height,
        tl.events.height,
        resolved.height,
        round(float(median), 3),
        kept.height,
        summary.height,
    ]


def run_pandas(root: Path) -> list[float]:
    """The same definitions in straightforward pandas."""
    import _timeline_pandas

    return list(_timeline_pandas.run(root))


def run_cached(root: Path) -> tuple[list[float], float]:
    """Read the bundled sample's cached timeline in a fresh process (self-timed: importing
    polars and ``toolkit.workspace``, which a kernel pays once, happens before the clock)."""
    import toolkit

    start = time.perf_counter()
    tl = toolkit.Workspace(root).timeline()
    return [tl.incidents.height], time.perf_counter() - start


RUNNERS = {"read floor": run_floor, "toolkit": run_toolkit, "pandas": run_pandas}


# --- the driver ----------------------------------------------------------------------


def generate(root: Path, incidents: int) -> Path:
    """The workspace of ``incidents`` incidents under ``root`` (reused when complete)."""
    from _timeline_data import write_workspace

    return harness.cached(
        root / f"timeline-{incidents}",
        lambda folder: write_workspace(folder, incidents=incidents),
        what=f"{incidents:,} incidents, about {50 * incidents:,} events",
    )


def sample_workspace(root: Path) -> Path:
    """The bundled sample ingested, its timeline built and cached once."""
    from toolkit.pipeline import sample_inputs
    from toolkit.workspace import Workspace

    folder = root / "sample-ws"
    ws = Workspace(folder)
    for path in sample_inputs(harness.ROOT / "data" / "sample"):
        ws.ingest(path)
    ws.timeline()
    return folder


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = harness.arg_parser(__doc__, "2,000 incidents in a temporary folder (seconds)")
    parser.add_argument("--incidents", type=int, default=None, help="incidents (default 100,000)")
    args = parser.parse_args(argv)
    if args.worker:
        contender, path = args.worker
        if contender == "cached":
            harness.worker_main(
                {"cached": run_cached},
                contender,
                Path(path),
                preload=("polars", "toolkit.workspace"),
                self_timed=True,
            )
        else:
            harness.worker_main(RUNNERS, contender, Path(path), preload=PRELOAD)
        return []
    incidents = args.incidents or (2_000 if args.small else 100_000)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-timeline-") as tmp:
        root = generate(Path(tmp) if args.small else harness.DATA, incidents)
        got = {c: harness.measure(Path(__file__), c, root) for c in CONTENDERS}
        cached = harness.measure(Path(__file__), "cached", sample_workspace(Path(tmp)), repeat=3)
    events, events_mb = got["read floor"]["result"]
    mb = sum(f.stat().st_size for f in (root / "ws").rglob("events.parquet")) / 1e6
    ours, pandas = got["toolkit"], got["pandas"]
    rows: list[dict[str, Any]] = []
    for contender in CONTENDERS:
        row: dict[str, Any] = {"contender": contender, "mb": mb, "incidents": incidents, **got[contender]}
        rss_ratio = row["rss_mb"] / events_mb
        if contender == "toolkit":
            ok = "ok" if rss_ratio < RSS_TARGET else "MISSED"
            row["ratio"] = f"RSS {rss_ratio:.2f}x the events in memory (< {RSS_TARGET:g}) {ok}"
        elif contender == "pandas":
            speed = pandas["seconds"] / ours["seconds"]
            ok = "ok" if speed >= PANDAS_TARGET else "MISSED"
            row["ratio"] = (
                f"{speed:.1f}x slower than toolkit (>= {PANDAS_TARGET:g}) {ok}; CPU {pandas['cpu'] / ours['cpu']:.1f}x"
            )
        else:
            row["ratio"] = f"events {events:,.0f} rows, {events_mb:,.0f} MB in memory; RSS {rss_ratio:.2f}x"
        rows.append(row)
    agree = ours["result"][:3] == pandas["result"][:3]
    print(
        f"Timeline and metrics, {incidents:,} incidents, {events:,.0f} events ({os.cpu_count()} CPUs, load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end)"
    )
    print(harness.report(rows, rates=[("incidents/s", "incidents")]))
    print(
        f"results (incidents, events kept, resolved, median minutes to resolve, ...): toolkit {ours['result']}, pandas {pandas['result']}{'' if agree else '  DISAGREE'}"
    )
    print(
        f"cached sample timeline read in a fresh process: {cached['seconds'] * 1000:.1f} ms ({cached['result'][0]} incidents; target well under 100 ms)"
    )
    if args.small:
        print("(--small: fixed start-up costs dominate; the targets are for the full size)")
    if not agree:
        raise SystemExit("toolkit and pandas disagree on incidents, events or resolutions")
    return [*rows, {"contender": "cached sample", **cached}]


if __name__ == "__main__":
    main()
