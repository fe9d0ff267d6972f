"""Benchmark report rendering: 50 post-mortems with 1 and 2 jobs against the papermill floor.

Run ``.venv/bin/python benchmarks/bench_reports.py [--small] [--reports N]``.

Data: a workspace holding the bundled sample (35 incident records, 3 with post-mortem
documents, whys and action items) plus a generated PagerDuty export, so that there are
N distinct incidents (default 50; ``--small``: 4). Built once per run in a temporary folder.

Contenders, each in a fresh subprocess (wall time of the work only; peak RSS of the
process and of its largest child, a kernel or a pool worker):

* ``papermill floor``: ``papermill.execute_notebook`` of a notebook that only imports
  polars and plotly, N times one after another (a kernel start each, as for a report);
* ``render html, 1 job`` / ``render html, 2 jobs``: ``toolkit.reports.render`` of the N
  post-mortems as HTML (``force=True``: nothing skipped);
* ``render html+md, 2 jobs``: the same with Markdown and its PNG figures (kaleido), for
  the main job's cost.

Targets (issue 13): HTML at most 2x the floor per report with 1 job, and at least 1.7x
faster with 2 jobs than with 1 on 2 cores.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script it is; loaded by file path (the tests) it is not
    sys.path.insert(0, str(HERE))
import _harness as harness  # noqa: E402

CONTENDERS = ("papermill floor", "render html, 1 job", "render html, 2 jobs", "render html+md, 2 jobs")
FLOOR_TARGET = 2.0
SPEEDUP_TARGET = 1.7
PRELOAD = ("polars", "papermill", "toolkit.reports", "toolkit.store")

_FLOOR_NB = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "floor",
            "metadata": {},
            "outputs": [],
            "source": "import polars\nimport plotly.graph_objects",
        }
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


# --- the data ------------------------------------------------------------------------


def build(root: Path, reports: int) -> Path:
    """A workspace under ``root`` with at least ``reports`` incidents; returns its folder."""
    from toolkit import samplegen
    from toolkit.pipeline import sample_inputs
    from toolkit.reports.options import report_incidents
    from toolkit.store import Workspace

    ws = Workspace(root / "ws")
    for path in sample_inputs(harness.ROOT / "data" / "sample"):
        ws.ingest(path)
    extra = max(0, reports - report_incidents(ws).height)  # linked incidents: one report each
    if extra:
        samplegen.write_pagerduty(root / "pd", incidents=extra, log_entries=extra * 8, seed=13)
        ws.ingest(root / "pd")
    return ws.path


def _ids(ws: Path, reports: int) -> list[str]:
    from toolkit.reports.options import report_incidents
    from toolkit.store import Workspace

    ids = list(report_incidents(Workspace(ws))["incident_id"])
    if len(ids) < reports:
        raise SystemExit(f"the workspace has {len(ids)} incidents, fewer than {reports}")
    return ids[:reports]


# --- the contenders (run inside a worker process) ------------------------------------


def _children_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _render(ws: Path, *, formats: tuple[str, ...], jobs: int) -> tuple[int, float]:
    from toolkit.reports import render

    reports = int(os.environ["BENCH_REPORTS"])
    with tempfile.TemporaryDirectory(prefix="bench-reports-out-") as out:
        done = render(
            "postmortem",
            [{"incident_id": i} for i in _ids(ws, reports)],
            formats=formats,
            out_dir=out,
            jobs=jobs,
            force=True,
            progress=False,
            workspace=ws,
        )
    failed = [str(r.error) for r in done if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} report(s) failed: {failed[:3]}")
    return len(done), _children_rss_mb()


def run_floor(ws: Path) -> tuple[int, float]:
    """papermill on the floor notebook, once per report; (runs, child peak RSS MB)."""
    import orjson
    import papermill

    reports = int(os.environ["BENCH_REPORTS"])
    with tempfile.TemporaryDirectory(prefix="bench-reports-floor-") as tmp:
        nb = Path(tmp) / "floor.ipynb"
        nb.write_bytes(orjson.dumps(_FLOOR_NB))
        for i in range(reports):
            papermill.execute_notebook(
                str(nb),
                str(Path(tmp) / f"out-{i}.ipynb"),
                kernel_name="python3",
                progress_bar=False,
                shutdown_kernel="immediate",
                request_save_on_cell_execute=False,
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
    return reports, _children_rss_mb()


RUNNERS = {
    "papermill floor": run_floor,
    "render html, 1 job": lambda ws: _render(ws, formats=("html",), jobs=1),
    "render html, 2 jobs": lambda ws: _render(ws, formats=("html",), jobs=2),
    "render html+md, 2 jobs": lambda ws: _render(ws, formats=("html", "md"), jobs=2),
}


# --- the driver ----------------------------------------------------------------------


def report(rows: list[dict[str, Any]]) -> str:
    """The results table: per-report seconds, peak RSS of the process and of its largest child."""
    headers = [
        ("contender", "<24"),
        ("wall s", ">8.2f"),
        ("CPU s", ">8.2f"),
        ("s/report", ">9.3f"),
        ("peak RSS MB", ">12.0f"),
        ("child RSS MB", ">13.0f"),
        ("ratio", ""),
    ]
    body = [
        (
            r["contender"],
            r["seconds"],
            r["cpu"],
            r["seconds"] / r["reports"],
            r["rss_mb"],
            r["child_rss_mb"],
            r.get("ratio", ""),
        )
        for r in rows
    ]
    return harness.table(headers, body)


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = harness.arg_parser(__doc__, "4 post-mortems (seconds)")
    parser.add_argument("--reports", type=int, default=None, help="number of post-mortems (default 50)")
    args = parser.parse_args(argv)
    if args.worker:
        harness.worker_main(RUNNERS, args.worker[0], Path(args.worker[1]), preload=PRELOAD)
        return []
    reports = args.reports or (4 if args.small else 50)
    os.environ["BENCH_REPORTS"] = str(reports)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        ws = build(Path(tmp), reports)
        got: dict[str, dict[str, Any]] = {}
        for contender in CONTENDERS:
            figures = harness.measure(Path(__file__), contender, ws)
            figures["reports"], figures["child_rss_mb"] = figures.pop("result")
            got[contender] = figures
    floor = got["papermill floor"]["seconds"]
    one, two = got["render html, 1 job"]["seconds"], got["render html, 2 jobs"]["seconds"]
    rows: list[dict[str, Any]] = []
    for contender in CONTENDERS:
        row: dict[str, Any] = {"contender": contender, **got[contender]}
        seconds = row["seconds"]
        if contender == "render html, 1 job":
            ok = seconds / floor <= FLOOR_TARGET
            row["ratio"] = (
                f"{seconds / floor:.2f}x the floor (<= {FLOOR_TARGET:g}) {'ok' if ok else 'MISSED'}"
            )
        elif contender == "render html, 2 jobs":
            ok = one / two >= SPEEDUP_TARGET
            row["ratio"] = (
                f"{one / two:.2f}x faster than 1 job (>= {SPEEDUP_TARGET:g}) {'ok' if ok else 'MISSED'}; "
                f"{seconds / floor:.2f}x the floor"
            )
        elif contender == "render html+md, 2 jobs":
            row["ratio"] = f"{seconds / two:.2f}x html alone"
        rows.append(row)
    if {got[c]["reports"] for c in CONTENDERS} != {reports}:
        raise SystemExit(f"contenders disagree on the report count: {got}")
    load = os.getloadavg()[0]
    print(
        f"Report rendering, {reports} post-mortems ({os.cpu_count()} CPUs, load {load:.1f} at the end; "
        f"{time.perf_counter() - started:.0f} s in all)"
    )
    print(report(rows))
    return rows


if __name__ == "__main__":
    main()
