"""Which JSON parser: orjson, msgspec or the standard library, on the shapes we import.

Run: ``.venv/bin/python benchmarks/bench_json.py [--small]``. Generates a Slack export and a
PagerDuty export with the sample generator, then times parsing every file with each parser
(best of 3 runs) and prints MB/s and the ratio to orjson. Untyped decoding (every field to
dicts) is what most importers do, and orjson leads there; msgspec is a dependency too because
*typed* decoding of only the declared fields (the PagerDuty importer) beats both.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import orjson

from toolkit.samplegen import write_pagerduty, write_slack_export


def _parsers() -> dict[str, Callable[[bytes], object]]:
    out: dict[str, Callable[[bytes], object]] = {"orjson.loads": orjson.loads, "json.loads": json.loads}
    try:
        import msgspec

        out["msgspec.json.decode"] = msgspec.json.decode
    except ImportError:
        pass
    return out


def _best(fn: Callable[[bytes], object], blobs: list[bytes], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        for b in blobs:
            fn(b)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--small", action="store_true", help="tiny sizes, for a smoke run")
    args = ap.parse_args()
    messages, incidents = (20_000, 2_000) if args.small else (200_000, 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        zpath = write_slack_export(Path(tmp) / "slack.zip", channels=200, messages=messages, seed=1)
        with zipfile.ZipFile(zpath) as zf:
            slack = [zf.read(n) for n in zf.namelist() if n.endswith(".json")]
        pd_files = write_pagerduty(Path(tmp) / "pd", incidents=incidents, log_entries=incidents * 10, seed=1)
        pagerduty = [p.read_bytes() for p in pd_files]
    print(f"{'corpus':<10} {'parser':<22} {'MB':>8} {'seconds':>9} {'MB/s':>9} {'vs orjson':>10}")
    for corpus, blobs in (("slack", slack), ("pagerduty", pagerduty)):
        mb = sum(map(len, blobs)) / 1e6
        base = None
        for name, fn in _parsers().items():
            secs = _best(fn, blobs)
            base = base or secs
            print(f"{corpus:<10} {name:<22} {mb:>8.1f} {secs:>9.3f} {mb / secs:>9.1f} {secs / base:>9.2f}x")


if __name__ == "__main__":
    main()
