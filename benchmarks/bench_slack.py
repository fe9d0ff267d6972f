"""Benchmark the Slack importer against the orjson parse floor and a pandas baseline.

Run ``.venv/bin/python benchmarks/bench_slack.py [--small] [--sizes 300000x600,1000000x2000]
[--repeat N]``.

Data: ``toolkit.samplegen.write_slack_export`` writes a zipped export of N messages across
C channels into ``benchmarks/_data/`` (git-ignored; reused when present) or, with
``--small`` (20,000 messages, 40 channels), into a temporary folder. By default both sizes
the issue names run in one go: 300,000 messages in 600 channels and 1,000,000 in 2,000.
About 90% of the channels are war rooms, so the incident derivation runs over most
messages: a harsher load than a real workspace.

Contenders, each in a fresh subprocess (wall time of the work only, CPU seconds of all
threads, and the process's peak RSS as ``ru_maxrss``):

* ``parse floor``: ``orjson.loads`` of every day file, its bytes read from the zip
  beforehand (not timed): the floor the issue names;
* ``read+parse floor``: read (inflate) every day file from the zip and ``orjson.loads`` it;
* ``load_slack``: the importer with everything it returns (messages rendered, channels,
  users, events, incidents, roles, rejections), as the workspace calls it;
* ``pandas``: ``json.load`` + ``pd.json_normalize`` per day file + ``pd.concat`` (the
  straightforward implementation the issue names; no rendering, names or events).

The machine may be shared: every contender runs ``--repeat`` times (default 3),
interleaved, and the table shows the fastest run with the spread of all runs, and the
load average (``os.getloadavg``) before and after each size.

Targets (issue 15): the importer within 2.5x of the parse floor, at least 8x faster than
pandas, peak memory under 2x the uncompressed export size, at both sizes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script it is; loaded by file path (the tests) it is not
    sys.path.insert(0, str(HERE))
import _harness as harness  # noqa: E402

CONTENDERS = ("parse floor", "read+parse floor", "load_slack", "pandas")
FLOOR_TARGET = 2.5
PANDAS_TARGET = 8.0
RSS_TARGET = 2.0
SIZES = ((300_000, 600), (1_000_000, 2_000))
SMALL = (20_000, 40)


# --- the contenders (run inside a worker process) ------------------------------------


def _day_files(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [i for i in zf.infolist() if not i.is_dir() and i.filename.count("/") == 1]


def run_floor(path: Path) -> tuple[int, float]:
    """``orjson.loads`` of every day file (bytes read first, untimed); (messages, seconds)."""
    import orjson

    with zipfile.ZipFile(path) as zf:
        blobs = [zf.read(i) for i in _day_files(zf)]
    start = time.perf_counter()
    n = sum(len(orjson.loads(b)) for b in blobs)
    return n, time.perf_counter() - start


def run_read_floor(path: Path) -> tuple[int, float]:
    """Read every day file from the zip and ``orjson.loads`` it."""
    import orjson

    start = time.perf_counter()
    with zipfile.ZipFile(path) as zf:
        n = sum(len(orjson.loads(zf.read(i))) for i in _day_files(zf))
    return n, time.perf_counter() - start


def run_toolkit(path: Path) -> tuple[int, float]:
    """The importer, as a user calls it."""
    from toolkit.importers.slack import load_slack

    start = time.perf_counter()
    export = load_slack(path, progress=False)
    seconds = time.perf_counter() - start
    if export.rejected.height:
        raise SystemExit(f"load_slack rejected {export.rejected.height} records")
    return export.messages.height, seconds


def run_pandas(path: Path) -> tuple[int, float]:
    """``json.load`` + ``pd.json_normalize`` per day file + ``pd.concat``."""
    import pandas as pd

    start = time.perf_counter()
    frames = []
    with zipfile.ZipFile(path) as zf:
        for info in _day_files(zf):
            with zf.open(info) as fh:
                day = pd.json_normalize(json.load(fh))
            day["channel"] = info.filename.split("/", 1)[0]
            frames.append(day)
    df = pd.concat(frames, ignore_index=True)
    df["at"] = pd.to_datetime(df["ts"].astype(float), unit="s", utc=True)
    return len(df), time.perf_counter() - start


RUNNERS = {
    "parse floor": run_floor,
    "read+parse floor": run_read_floor,
    "load_slack": run_toolkit,
    "pandas": run_pandas,
}


def generate(root: Path, messages: int, channels: int) -> Path:
    """The zipped export under ``root`` (reused when present)."""
    from toolkit.samplegen import write_slack_export

    return harness.cached(
        root / f"slack-{messages}-{channels}.zip",
        partial(write_slack_export, channels=channels, messages=messages, seed=0),
        what=f"{messages:,} messages in {channels:,} channels",
        kind="file",
    )


def measure(contender: str, path: Path) -> dict[str, Any]:
    """Run one contender in a fresh interpreter and return its figures."""
    figures = harness.measure(Path(__file__), contender, path)
    figures["messages"] = figures.pop("result")
    return figures


def measure_all(path: Path, repeat: int) -> dict[str, dict[str, Any]]:
    """Every contender ``repeat`` times, interleaved; the fastest run of each, with the spread."""
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in CONTENDERS}
    for _ in range(repeat):
        for contender in CONTENDERS:
            runs[contender].append(measure(contender, path))
    best = {}
    for contender, figures in runs.items():
        fastest = min(figures, key=lambda f: f["seconds"])
        walls = sorted(f["seconds"] for f in figures)
        best[contender] = {
            **fastest,
            "rss_mb": max(f["rss_mb"] for f in figures),
            "spread": f"{walls[0]:.2f}-{walls[-1]:.2f}",
        }
    return best


def unzipped_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist()) / 1e6


def load() -> str:
    """The load average, as ``uptime`` prints it."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def report(rows: list[dict[str, Any]]) -> str:
    """The results as a plain-text table with the ratios against the targets."""
    return harness.report(rows, rates=[("messages/s", "messages")], lead=("size", "spread"))


def bench_size(root: Path, messages: int, channels: int, repeat: int) -> list[dict[str, Any]]:
    """One export size: the rows of the table (and the figures behind them)."""
    path = generate(root, messages, channels)
    mb = unzipped_mb(path)
    before = load()
    got = measure_all(path, repeat)
    after = load()
    floor, read_floor, ours, pandas = (got[c]["seconds"] for c in CONTENDERS)
    size = f"{messages // 1000}k" if messages < 1_000_000 else f"{messages / 1e6:g}M"
    rows: list[dict[str, Any]] = []
    for contender in CONTENDERS:
        row: dict[str, Any] = {"contender": contender, "mb": mb, "size": size, **got[contender]}
        if contender == "load_slack":
            ok = "ok" if ours / floor <= FLOOR_TARGET else "MISSED"
            rss = got[contender]["rss_mb"] / mb
            row["ratio"] = (
                f"{ours / floor:.2f}x parse floor (<= {FLOOR_TARGET:g}) {ok}; {ours / read_floor:.2f}x read+parse; "
                f"RSS {rss:.2f}x export (< {RSS_TARGET:g}) {'ok' if rss < RSS_TARGET else 'MISSED'}"
            )
        if contender == "pandas":
            ok = "ok" if pandas / ours >= PANDAS_TARGET else "MISSED"
            row["ratio"] = f"{pandas / ours:.2f}x slower than load_slack (>= {PANDAS_TARGET:g}) {ok}"
        rows.append(row)
    counts = {got[c]["messages"] for c in CONTENDERS}
    if counts != {messages}:
        raise SystemExit(f"contenders disagree on the message count: {got}")
    print(
        f"Slack importer, {messages:,} messages in {channels:,} channels, {mb:,.0f} MB unzipped "
        f"({os.cpu_count()} CPUs; load average {before} before, {after} after; best of {repeat}, spread in s)"
    )
    print(report(rows), flush=True)
    return rows


def _sizes(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.split(","):
        messages, _, channels = part.partition("x")
        out.append((int(messages), int(channels)))
    return out


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = harness.arg_parser(__doc__, "20,000 messages in a temporary folder (seconds)")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=None,
        help="MESSAGESxCHANNELS,... (default 300000x600,1000000x2000)",
    )
    parser.add_argument("--messages", type=int, default=None, help="one size: messages")
    parser.add_argument("--channels", type=int, default=None, help="one size: channels")
    parser.add_argument("--repeat", type=int, default=None, help="runs per contender (default 3; --small: 1)")
    args = parser.parse_args(argv)
    if args.worker:
        harness.worker_main(
            RUNNERS,
            args.worker[0],
            Path(args.worker[1]),
            preload=("orjson", "pandas", "polars"),
            self_timed=True,
        )
        return []
    if args.messages or args.channels:
        sizes = [(args.messages or SIZES[-1][0], args.channels or SIZES[-1][1])]
    else:
        sizes = [SMALL] if args.small else (args.sizes or list(SIZES))
    repeat = args.repeat or (1 if args.small else 3)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-slack-") as tmp:
        root = Path(tmp) if args.small else harness.DATA
        root.mkdir(parents=True, exist_ok=True)
        for messages, channels in sizes:
            rows += bench_size(root, messages, channels, repeat)
    return rows


if __name__ == "__main__":
    main()
