"""Benchmark the post-mortem importer against Markdown parse floors and a pandas baseline.

Run ``.venv/bin/python benchmarks/bench_postmortem.py [--small] [--docs N]``.

Data: a local generator (the sample generator has no scaled post-mortem writer) writes N
post-mortems (default 5,000) in the seed template's shape — 8 to 30 timeline rows that may
cross midnight, 3 to 7 whys with an occasional branch, 3 to 8 action items, PST/PDT/UTC/
CET/EST labels — into ``benchmarks/_data/`` (git-ignored; reused when present) or, with
``--small`` (100 documents), into a temporary folder.

Contenders, each in a fresh subprocess (wall time of the work only; peak RSS of the
process as ``ru_maxrss``):

* ``read floor``: read every file, decode it and split it into lines (for Markdown this
  takes the place of the JSON importers' ``orjson.loads`` floor, which has no analogue);
* ``markdown-it parse``: tokenise every file with markdown-it-py (CommonMark + tables),
  a real Markdown parse that extracts nothing;
* ``load_postmortems``: the importer and its seven core tables (incidents, events, whys,
  action items, roles, people, postmortem sections), as the workspace calls it;
* ``pandas``: a straightforward pandas version of the timeline and action-item tables
  (regex sections, ``pd.read_csv(sep="|")``, ``pd.to_datetime``), without kinds, actors,
  whys or validation.

Issue 6 sets no speed target; the provisional ones here are: the importer within 10x of
the markdown-it parse and at least 100 documents/s on one core.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script it is; loaded by file path (the tests) it is not
    sys.path.insert(0, str(HERE))
import _harness as harness  # noqa: E402

CONTENDERS = ("read floor", "markdown-it parse", "load_postmortems", "pandas")
PARSE_TARGET = 10.0
DOCS_PER_SECOND_TARGET = 100.0
PRELOAD = ("markdown_it", "pandas", "polars", "toolkit.importers.postmortem")

# --- the data ------------------------------------------------------------------------

_EVENTS = (
    "Alert: {svc} error rate > {n}%",
    "IC ({ic}) declared {sev}, assembled team",
    'Status page: "Investigating {svc} issues"',
    "TL identified: {svc} connection pool at 100%",
    "Hypothesis: bad config in the last deploy",
    "Decision: roll back {svc}",
    "Rollback completed, monitoring metrics",
    "Metrics improving: error rate dropping",
    "Feature flag {svc}-v2 disabled",
    "Fix deployed ({svc} v{n}.1) with proper cleanup",
    "Customer reports via support: checkout failing",
    "Update #{n} posted",
)
_WHYS = (
    ("Why did {svc} fail?", "It returned 500 errors for {n}% of requests."),
    ("Why did it return errors?", "Its connection pool was exhausted."),
    ("Why was the pool exhausted?", "New code opened connections but never closed them."),
    ("Why didn't tests catch this?", "Load tests only cover the happy path."),
    ("Why was nobody alerted earlier?", "There is no alert on pool usage."),
    ("Why was the change deployed at peak?", "The deployment policy allows it."),
    ("Why was the setting wrong?", "A config value was copied from staging."),
)
_ITEMS = (
    "Add pool metrics to the dashboard and alert at 80%",
    "Add error scenarios to the load tests",
    "Fix the connection leak (ensure finally block)",
    "Code review checklist: resource cleanup",
    "No deploys during peak hours",
    "Runbook for {svc} failover",
    "Chaos drill: exhaust the {svc} pool",
    "Validate config values at startup",
)
_STATUS = ("✅ Done", "🟡 In Progress", "⏳ Pending")
_ZONES = {"PST": -8, "PDT": -7, "UTC": 0, "CET": 1, "EST": -5}


def _doc(rng: random.Random, i: int) -> str:
    svc = rng.choice(["payment-api", "search", "auth", "checkout", "gateway", "billing"])
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    label = rng.choice(list(_ZONES))
    start = datetime.combine(day, datetime.min.time()) + timedelta(minutes=rng.randrange(0, 23 * 60))
    sev = f"SEV{rng.randint(1, 4)}"
    fill = {"svc": svc, "ic": "Alice", "sev": sev}
    t = start
    rows = []
    for _ in range(rng.randint(8, 30)):
        fill["n"] = str(rng.randint(2, 60))
        rows.append(f"| {t:%I:%M %p} | {rng.choice(_EVENTS).format(**fill)} |")
        t += timedelta(minutes=rng.randint(1, 20))
    end = t
    whys = []
    depth = 0
    for _ in range(rng.randint(3, 7)):
        q, a = rng.choice(_WHYS)
        depth = depth if depth > 1 and rng.random() < 0.15 else depth + 1  # a branch repeats a number
        whys += [f"{depth}. **{q.format(**fill)}**", a.format(**fill)]
    items = [
        f"| **P{rng.randint(0, 3)}** | {rng.choice(_ITEMS).format(**fill)} | Team {rng.choice('ABCDE')} "
        f"| {day + timedelta(days=rng.randint(2, 40))} | {rng.choice(_STATUS)} |"
        for _ in range(rng.randint(3, 8))
    ]
    minutes = int((end - start).total_seconds() // 60)
    return "\n".join(
        [
            f"# Incident Post-Mortem: {svc.title()} outage {i}",
            f"**Date:** {day}",
            f"**Severity:** {sev}",
            f"**Duration:** {minutes // 60}h {minutes % 60}m ({start:%I:%M %p} - {end:%I:%M %p} {label})",
            "**Commander:** Alice Chen",
            "**Participants:** Alice (IC), Bob (TL), Carol (Comms), Dave (Scribe)",
            "## Executive Summary",
            f"{svc} was degraded for {minutes} minutes.",
            "## Impact",
            f"- **Users affected:** ~{rng.randint(10, 9000):,} ({rng.randint(1, 40)}% of requests)",
            f"- **Customer complaints:** {rng.randint(0, 90)} support tickets",
            f"## Timeline (All times {label})",
            "| Time | Event |",
            "|------|-------|",
            *rows,
            "## Root Cause (5 Whys)",
            *whys,
            f"**Root Cause:** connection leak in {svc}.",
            "## What Went Well ✅",
            "- **Fast detection:** Alert fired within 5 min of impact",
            "- **Quick rollback:** completed in 5 min",
            "## What Went Wrong ❌",
            "- **Insufficient load testing:** no error scenarios",
            "## Action Items",
            "| Priority | Action | Owner | Due Date | Status |",
            "|----------|--------|-------|----------|--------|",
            *items,
            "## Lessons Learned",
            "1. **Monitor resource pools:** alert on bounded resources.",
            "2. **Load test unhappy paths:** errors reveal leaks.",
            "",
        ]
    )


def _write(folder: Path, docs: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    for i in range(docs):
        (folder / f"pm-{i:06d}.md").write_text(_doc(rng, i), encoding="utf-8")


def generate(root: Path, docs: int) -> Path:
    """``docs`` post-mortems under ``root`` (reused when complete)."""
    return harness.cached(
        root / f"postmortems-{docs}", lambda folder: _write(folder, docs), what=f"{docs:,} post-mortems"
    )


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md"))


# --- the contenders (run inside a worker process) ------------------------------------


def run_floor(folder: Path) -> tuple[int, int]:
    """Read, decode and split every file; (documents, lines)."""
    lines = 0
    files = _files(folder)
    for path in files:
        lines += len(path.read_bytes().decode("utf-8").splitlines())
    return len(files), lines


def run_markdown_it(folder: Path) -> tuple[int, int]:
    """Tokenise every file (CommonMark + tables); (documents, tokens)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    tokens = 0
    files = _files(folder)
    for path in files:
        tokens += len(md.parse(path.read_text(encoding="utf-8")))
    return len(files), tokens


def run_toolkit(folder: Path) -> tuple[int, int]:
    """The importer, as the workspace calls it; (documents, rows of its seven tables)."""
    from toolkit.importers.postmortem import load_postmortems

    tables = load_postmortems(folder, progress=False).tables()
    return tables["incidents"].height, sum(df.height for df in tables.values())


def run_pandas(folder: Path) -> tuple[int, int]:
    """A straightforward pandas version of the timeline and action items; (documents, rows)."""
    import io
    import re

    import pandas as pd

    section = re.compile(r"^## (.+)$", re.MULTILINE)
    events, items = [], []
    files = _files(folder)
    for path in files:
        text = path.read_text(encoding="utf-8")
        day = re.search(r"\*\*Date:\*\* (\S+)", text).group(1)  # type: ignore[union-attr]
        parts = section.split(text)
        body = dict(zip(parts[1::2], parts[2::2], strict=True))
        for title, chunk in body.items():
            table = "\n".join(ln for ln in chunk.splitlines() if ln.startswith("|") and "---" not in ln)
            if title.startswith("Timeline"):
                label = title.rsplit(" ", 1)[-1].rstrip(")")
                df = pd.read_csv(io.StringIO(table), sep="|", skipinitialspace=True).iloc[:, 1:-1]
                df.columns = [c.strip() for c in df.columns]
                at = pd.to_datetime(day + " " + df["Time"].str.strip(), format="%Y-%m-%d %I:%M %p")
                df["at"] = (at - pd.Timedelta(hours=_ZONES[label])).dt.tz_localize("UTC")
                df["file"] = path.name
                events.append(df)
            elif title.startswith("Action Items"):
                df = pd.read_csv(io.StringIO(table), sep="|", skipinitialspace=True).iloc[:, 1:-1]
                df.columns = [c.strip() for c in df.columns]
                df["Priority"] = df["Priority"].str.strip().str.strip("*")
                df["Due Date"] = pd.to_datetime(df["Due Date"].str.strip())
                df["file"] = path.name
                items.append(df)
    ev, ai = pd.concat(events, ignore_index=True), pd.concat(items, ignore_index=True)
    return len(files), len(ev) + len(ai)


RUNNERS = {
    "read floor": run_floor,
    "markdown-it parse": run_markdown_it,
    "load_postmortems": run_toolkit,
    "pandas": run_pandas,
}


# --- the driver ----------------------------------------------------------------------


def measure(contender: str, folder: Path) -> dict[str, Any]:
    """Run one contender in a fresh interpreter and return its figures."""
    figures = harness.measure(Path(__file__), contender, folder)
    figures["docs"], figures["rows"] = figures.pop("result")
    return figures


def report(rows: list[dict[str, Any]]) -> str:
    """The results as a plain-text table with the ratios against the provisional targets."""
    return harness.report(rows, rates=[("docs/s", "docs"), ("rows/s", "rows")])


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = harness.arg_parser(__doc__, "100 documents in a temporary folder (seconds)")
    parser.add_argument("--docs", type=int, default=None, help="number of post-mortems (default 5,000)")
    args = parser.parse_args(argv)
    if args.worker:
        harness.worker_main(RUNNERS, args.worker[0], Path(args.worker[1]), preload=PRELOAD)
        return []
    docs = args.docs or (100 if args.small else 5_000)
    with tempfile.TemporaryDirectory(prefix="bench-postmortem-") as tmp:
        folder = generate(Path(tmp) if args.small else harness.DATA, docs)
        mb = harness.tree_bytes(folder, ".md") / 1e6
        got = {c: measure(c, folder) for c in CONTENDERS}
    parse, ours, pandas = (got[c]["seconds"] for c in ("markdown-it parse", "load_postmortems", "pandas"))
    rows: list[dict[str, Any]] = []
    for contender in CONTENDERS:
        row: dict[str, Any] = {"contender": contender, "mb": mb, **got[contender]}
        if contender == "load_postmortems":
            rate = docs / ours
            row["ratio"] = (
                f"{ours / parse:.1f}x markdown-it (<= {PARSE_TARGET:g}) {'ok' if ours / parse <= PARSE_TARGET else 'MISSED'}; "
                f"{rate:,.0f} docs/s (>= {DOCS_PER_SECOND_TARGET:g}) {'ok' if rate >= DOCS_PER_SECOND_TARGET else 'MISSED'}"
            )
        if contender == "pandas":
            row["ratio"] = f"{pandas / ours:.2f}x the importer's time (extracts less: no kinds, actors, whys)"
        rows.append(row)
    if {got[c]["docs"] for c in CONTENDERS} != {docs}:
        raise SystemExit(f"contenders disagree on the document count: {got}")
    print(f"Post-mortem importer, {docs:,} documents, {mb:.1f} MB ({os.cpu_count()} CPUs)")
    print(report(rows))
    print(
        "rows: lines (read floor), tokens (markdown-it), table rows (load_postmortems: 7 tables; pandas: 2)"
    )
    return rows


if __name__ == "__main__":
    main()
