"""Benchmark the Slack importer against the orjson parse floor and a pandas baseline.

Run ``.venv/bin/python benchmarks/bench_slack.py [--small] [--messages N] [--channels N]``.

Data: ``toolkit.samplegen.write_slack_export`` writes a zipped export of N messages
(default 1,000,000) across C channels (default 2,000) into ``benchmarks/_data/``
(git-ignored; reused when present) or, with ``--small`` (20,000 messages, 40 channels),
into a temporary folder. About 90% of its channels are war rooms, so the incident
derivation runs over most messages: a harsher load than a real workspace.

Contenders, each in a fresh subprocess (wall time of the work only, CPU seconds, and the
process's peak RSS as ``ru_maxrss``):

* ``parse floor``: ``orjson.loads`` of every day file, its bytes read from the zip
  beforehand (not timed): the floor the issue names;
* ``read+parse floor``: read (inflate) every day file from the zip and ``orjson.loads`` it,
  the least any importer of this zip must do;
* ``load_slack``: the importer with everything it returns (messages rendered, channels,
  users, events, incidents, roles, rejections), as the workspace calls it;
* ``pandas``: ``json.load`` + ``pd.json_normalize`` per day file + ``pd.concat`` (the
  straightforward implementation the issue names; no rendering, names or events).

Targets (issue 3): the importer within 3x of the parse floor, at least 5x faster than
pandas, peak memory under 3x the uncompressed export size.
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
FLOOR_TARGET = 3.0
PANDAS_TARGET = 5.0
RSS_TARGET = 3.0


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


def unzipped_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist()) / 1e6


def report(rows: list[dict[str, Any]]) -> str:
    """The results as a plain-text table with the ratios against the targets."""
    return harness.report(rows, rates=[("messages/s", "messages")])


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = harness.arg_parser(__doc__, "20,000 messages in a temporary folder (seconds)")
    parser.add_argument("--messages", type=int, default=None, help="messages (default 1,000,000)")
    parser.add_argument("--channels", type=int, default=None, help="channels (default 2,000)")
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
    messages = args.messages or (20_000 if args.small else 1_000_000)
    channels = args.channels or (40 if args.small else 2_000)
    with tempfile.TemporaryDirectory(prefix="bench-slack-") as tmp:
        root = Path(tmp) if args.small else harness.DATA
        root.mkdir(parents=True, exist_ok=True)
        path = generate(root, messages, channels)
        mb = unzipped_mb(path)
        got = {c: measure(c, path) for c in CONTENDERS}
    floor, read_floor, ours, pandas = (got[c]["seconds"] for c in CONTENDERS)
    rows: list[dict[str, Any]] = []
    for contender in CONTENDERS:
        row: dict[str, Any] = {"contender": contender, "mb": mb, **got[contender]}
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
        f"Slack importer, {messages:,} messages in {channels:,} channels, "
        f"{mb:,.0f} MB unzipped ({os.cpu_count()} CPUs)"
    )
    print(report(rows))
    return rows


if __name__ == "__main__":
    main()
