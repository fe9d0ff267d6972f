"""The machinery the importer benchmarks share: worker processes, caching, tables.

Each ``benchmarks/bench_<source>.py`` keeps its own contenders (functions of the data's
path), targets and report; this module runs a contender in a fresh interpreter and
times it there (:func:`measure` starts the script with ``--worker CONTENDER PATH``,
which calls :func:`worker_main`), generates the data once (:func:`cached`) and lays
out the results (:func:`table`).

The scripts import it as ``_harness``: run as a script, ``benchmarks/`` is the first
entry of ``sys.path`` already; loaded by file path (the tests), each script puts it
there first.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "_data"
"""Where full-size data is generated (git-ignored) and reused."""


# --- inside the worker process -------------------------------------------------------


def worker_main(
    runners: Mapping[str, Callable[[Path], object]],
    contender: str,
    path: Path,
    *,
    preload: Sequence[str] = ("orjson", "polars", "pandas"),
    self_timed: bool = False,
) -> None:
    """Time one contender and print its figures as one JSON line.

    Parameters
    ----------
    runners
        The contenders by name; each takes the data's path and returns a JSON-serialisable
        result (a count, or a list of counts) that the script checks and reports.
    contender
        The key of ``runners`` to run.
    path
        The data (a folder or a file).
    preload
        Modules imported before the clock starts, so that no contender pays for
        importing what the others import too.
    self_timed
        The runner times its own work and returns ``(result, seconds)``; used when part of
        what it does (reading input into memory, say) must not count. CPU seconds and
        peak RSS still cover the whole call.

    Notes
    -----
    Sets ``INCIDENT_TOOLKIT_NO_PROGRESS=1`` first. The printed line holds ``seconds``
    (wall time of the work), ``cpu`` (user + system seconds of all threads, from
    ``getrusage``), ``rss_mb`` (peak RSS of the process, ``ru_maxrss``, KiB on Linux,
    in MiB) and ``result``.
    """
    os.environ["INCIDENT_TOOLKIT_NO_PROGRESS"] = "1"
    for name in preload:
        importlib.import_module(name)
    run = runners[contender]
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = run(path)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    if self_timed:
        result, seconds = result  # type: ignore[misc]
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": after.ru_maxrss / 1024, "result": result}))


# --- the driver ----------------------------------------------------------------------


def arg_parser(doc: str | None, small_help: str) -> argparse.ArgumentParser:
    """The command line every benchmark shares: ``--small`` and the hidden ``--worker``.

    Parameters
    ----------
    doc
        The script's docstring; its first line describes the command.
    small_help
        Help for ``--small`` (what the small data is).

    Returns
    -------
    argparse.ArgumentParser
        Add the script's own options to it; ``args.worker`` is ``[CONTENDER, PATH]`` in a
        worker process (pass it to :func:`worker_main`) and ``None`` otherwise.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--small", action="store_true", help=small_help)
    parser.add_argument("--worker", nargs=2, metavar=("CONTENDER", "PATH"), help=argparse.SUPPRESS)
    return parser


def measure(script: Path, contender: str, path: Path, *, repeat: int = 1) -> dict[str, Any]:
    """Run one contender in fresh interpreters and return the figures of its fastest run.

    Parameters
    ----------
    script
        The benchmark script; it is run as ``python SCRIPT --worker CONTENDER PATH`` with
        the repository root as working directory and ``PYTHONPATH``.
    contender, path
        Passed on to the worker.
    repeat
        Number of runs, each in a new process; the one with the least wall time counts.

    Returns
    -------
    dict
        The worker's JSON line: ``seconds``, ``cpu``, ``rss_mb``, ``result``.
    """
    best: dict[str, Any] | None = None
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, str(script), "--worker", contender, str(path)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
        if best is None or figures["seconds"] < best["seconds"]:
            best = figures
    if best is None:
        raise ValueError(f"repeat must be at least 1, not {repeat}")
    return best


def cached(
    target: Path,
    make: Callable[[Path], object],
    *,
    what: str,
    kind: Literal["folder", "file"] = "folder",
) -> Path:
    """Generate data once and reuse it while it is complete.

    Parameters
    ----------
    target
        The folder (or file) the data lives in.
    make
        Writes the data, given the path to write to.
    what
        Said on stderr while generating ("12 incidents", ...).
    kind
        ``"folder"``: ``make(target)`` fills the folder, then ``target/.complete`` marks it
        done; ``"file"``: ``make`` writes ``target`` with the suffix ``.part``, renamed to
        ``target`` when done. Either way an interrupted run is generated again.

    Returns
    -------
    Path
        ``target``.
    """
    done = target / ".complete" if kind == "folder" else target
    if not done.exists():
        print(f"generating {what} in {target} ...", file=sys.stderr, flush=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "folder":
            make(target)
            done.write_text("ok\n")
        else:
            part = target.with_suffix(".part")
            make(part)
            part.rename(target)
    return target


def files(folder: Path, suffix: str = ".json") -> list[str]:
    """Every file named ``*suffix`` under ``folder``, sorted, hidden folders skipped.

    Plain ``os.walk``, the cheapest listing, as the parse floors want it.
    """
    out: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out.extend(os.path.join(root, n) for n in names if n.endswith(suffix))
    return sorted(out)


def tree_bytes(folder: Path, suffix: str = ".json") -> int:
    """Total size in bytes of the files :func:`files` lists."""
    return sum(os.path.getsize(p) for p in files(folder, suffix))


# --- the report ----------------------------------------------------------------------

_WIDTH = re.compile(r"^(?P<align>[<>^=]?)(?P<width>\d*)")


def table(headers: Sequence[tuple[str, str]], rows: Sequence[Sequence[object]]) -> str:
    """An aligned plain-text table.

    Parameters
    ----------
    headers
        ``(title, spec)`` per column: ``spec`` is a format spec for the column's values
        (``"<16"``, ``">8.2f"``, ``">11,.0f"``); the title is aligned and padded to the
        spec's alignment and width. An empty spec makes a free-text column, set off by
        two spaces and not padded (meant for the last column: ratios, notes).
    rows
        One value per column per row.

    Returns
    -------
    str
        The header line, a rule as wide as the widest line, then the rows, without
        trailing spaces.
    """

    def line(cells: Sequence[str]) -> str:
        text = ""
        for i, ((_, spec), cell) in enumerate(zip(headers, cells, strict=True)):
            text += cell if i == 0 else ("  " if not spec else " ") + cell
        return text.rstrip()

    def title(text: str, spec: str) -> str:
        m = _WIDTH.match(spec)
        assert m is not None  # the pattern matches every string
        return format(text, m["align"] + m["width"])

    lines = [line([title(text, spec) for text, spec in headers])]
    lines += [line([format(v, spec) for (_, spec), v in zip(headers, row, strict=True)]) for row in rows]
    lines.insert(1, "-" * max(len(ln) for ln in lines))
    return "\n".join(lines)


def report(
    rows: Sequence[Mapping[str, Any]],
    *,
    rates: Sequence[tuple[str, str]],
    lead: Sequence[str] = (),
) -> str:
    """The standard results table every benchmark prints.

    Columns: ``lead`` keys (e.g. ``layout``), contender, wall s, CPU s, one rate per
    ``(title, key)`` in ``rates`` (``row[key] / seconds``), MB/s, peak RSS MB, and the
    free-text ratio.

    Parameters
    ----------
    rows
        Each contender's figures: ``contender``, ``seconds``, ``cpu``, ``mb``, ``rss_mb``,
        the ``rates`` keys, the ``lead`` keys, and optionally ``ratio``.
    rates
        ``(column title, row key)`` pairs, e.g. ``[("rows/s", "rows")]``.
    lead
        Row keys shown first, as text.

    Returns
    -------
    str
        The table, as :func:`table` prints it.
    """
    headers = [
        *((key, "<7") for key in lead),
        ("contender", "<18"),
        ("wall s", ">8.2f"),
        ("CPU s", ">8.2f"),
        *((title, ">12,.0f") for title, _ in rates),
        ("MB/s", ">8.1f"),
        ("peak RSS MB", ">12.0f"),
        ("ratio", ""),
    ]
    body = [
        (
            *(r[key] for key in lead),
            r["contender"],
            r["seconds"],
            r["cpu"],
            *(r[key] / r["seconds"] for _, key in rates),
            r["mb"] / r["seconds"],
            r["rss_mb"],
            r.get("ratio", ""),
        )
        for r in rows
    ]
    return table(headers, body)
