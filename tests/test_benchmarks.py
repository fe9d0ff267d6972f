"""Smoke runs of the benchmarks that no importer test runs (``--small``: seconds, not figures)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_bench_slack_small_runs_every_contender_on_the_same_messages():
    rows = _load("bench_slack").main(["--small"])
    assert [r["contender"] for r in rows] == ["parse floor", "read+parse floor", "load_slack", "pandas"]
    assert {r["messages"] for r in rows} == {20_000}
    assert "parse floor (<= 2.5)" in rows[2]["ratio"]
    assert "slower than load_slack (>= 8)" in rows[3]["ratio"]


@pytest.mark.slow
def test_bench_json_small_prints_every_parser():
    out = subprocess.run(
        [sys.executable, str(BENCH / "bench_json.py"), "--small"], capture_output=True, text=True, check=True
    ).stdout
    for parser in ("orjson.loads", "json.loads", "msgspec.json.decode"):
        assert f"slack      {parser}" in out
        assert f"pagerduty  {parser}" in out


@pytest.mark.slow
def test_bench_reports_small_renders_with_one_and_two_jobs_against_the_floor():
    rows = _load("bench_reports").main(["--small"])
    assert [r["contender"] for r in rows] == [
        "papermill floor",
        "render html, 1 job",
        "render html, 2 jobs",
        "render html+md, 2 jobs",
    ]
    assert {r["reports"] for r in rows} == {4}
    assert "the floor (<= 2)" in rows[1]["ratio"]
    assert "faster than 1 job (>= 1.7)" in rows[2]["ratio"]


@pytest.mark.slow
def test_bench_timeline_small_runs_every_contender_on_the_same_workspace():
    rows = _load("bench_timeline").main(["--small", "--incidents", "300"])
    assert [r["contender"] for r in rows] == ["read floor", "toolkit", "pandas", "cached sample"]
    assert rows[1]["result"][:4] == rows[2]["result"][:4]  # incidents, events kept, resolved, median
    assert rows[1]["result"][0] == 300
    assert "x the events in memory (< 2)" in rows[1]["ratio"]
    assert "slower than toolkit (>= 10)" in rows[2]["ratio"]
    assert rows[3]["result"] == [13]
