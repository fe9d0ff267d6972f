"""render(): batches, failures, skipping unchanged reports, executors (a Dask cluster too)."""

import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import polars as pl
import pytest

from toolkit.reports import render
from toolkit.store import Workspace

ONE = "INC-2025-01-15-payment"
OTHER = "PD-PE2Y7MF"  # asked for by PagerDuty's id ...
OTHER_ID = "INC-2025-02-19-sso"  # ... named after its linked incident


@pytest.fixture
def ws(sample_ws, tmp_path):
    """A copy of the sample workspace this test may change."""
    return shutil.copytree(sample_ws, tmp_path / "ws")


def test_a_failing_report_never_stops_the_batch(ws, tmp_path):
    done = render(
        "postmortem",
        [{"incident_id": ONE}, {"incident_id": "INC-missing"}, {"incident_id": OTHER}],
        out_dir=tmp_path / "out",
        jobs=2,
        workspace=ws,
        progress=False,
    )
    assert [(r.key, r.ok) for r in done] == [(ONE, True), ("INC-missing", False), (OTHER_ID, True)]
    error = done[1].error
    assert (error.kind, error.key, error.cell, error.ename, error.source) == (
        "postmortem",
        "INC-missing",
        2,
        "WorkspaceError",
        "report.title()",
    )
    assert "no incident 'INC-missing'" in error.evalue
    assert str(error).startswith("postmortem INC-missing: cell 2 (report.title()): WorkspaceError: ")
    assert set(done[1].paths) == {"ipynb"}  # the executed notebook, with the error in it, is kept
    assert (tmp_path / "out" / "postmortem-OTHER.html").exists() is False
    assert (tmp_path / "out" / f"postmortem-{OTHER}.html").exists() is False
    assert (tmp_path / "out" / f"postmortem-{OTHER_ID}.html").is_file()


def _skipped(*args, **kwargs):
    done = render(*args, **kwargs)
    assert [str(r.error) for r in done if not r.ok] == []
    return [r.skipped for r in done]


def test_unchanged_reports_are_skipped_until_something_they_read_changes(ws, tmp_path):
    out = tmp_path / "out"
    args = {"formats": ("html", "md"), "out_dir": out, "workspace": ws, "progress": False}
    first = render("postmortem", {"incident_id": ONE}, **args)
    assert [(r.ok, r.skipped) for r in first] == [(True, False)]
    again = render("postmortem", {"incident_id": ONE}, **args)
    assert [(r.ok, r.skipped) for r in again] == [(True, True)]
    assert again[0].paths == first[0].paths
    forced = render("postmortem", {"incident_id": ONE}, force=True, **args)
    assert [r.skipped for r in forced] == [False]
    # another format, other parameters: rendered
    assert _skipped("postmortem", {"incident_id": ONE}, **{**args, "formats": ("ipynb",)}) == [True]
    assert _skipped("postmortem", {"incident_id": ONE, "redact": True}, **args) == [False]
    # an output file changed by hand: rendered again
    (out / f"postmortem-{ONE}.md").write_text("edited", encoding="utf-8")
    assert _skipped("postmortem", {"incident_id": ONE, "redact": True}, **args) == [False]
    assert _skipped("postmortem", {"incident_id": ONE, "redact": True}, **args) == [True]
    # an edit in the workspace (a 5-Whys answer corrected): rendered again
    why = Workspace(ws).table("whys").head(1).with_columns(answer=pl.lit("corrected by hand"))
    Workspace(ws).edit("whys", why, actor="test")
    assert _skipped("postmortem", {"incident_id": ONE, "redact": True}, **args) == [False]


def test_any_executor_works(ws, tmp_path):
    cwd = os.getcwd()
    with ThreadPoolExecutor(2) as pool:
        done = render(
            "postmortem",
            [{"incident_id": ONE}, {"incident_id": OTHER}],
            out_dir=tmp_path,
            executor=pool,
            workspace=ws,
            progress=False,
        )
    assert [(r.key, r.ok) for r in done] == [(ONE, True), (OTHER_ID, True)]
    assert os.getcwd() == cwd  # threads never change the process's working directory


@pytest.mark.slow
def test_a_dask_cluster_renders_the_batch(ws, tmp_path):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        done = render(
            "postmortem",
            [{"incident_id": ONE}, {"incident_id": "INC-missing"}, {"incident_id": OTHER}],
            out_dir=tmp_path,
            executor=client,
            workspace=ws,
            progress=False,
        )
    assert [(r.key, r.ok) for r in done] == [(ONE, True), ("INC-missing", False), (OTHER_ID, True)]
    assert (done[1].error.cell, done[1].error.ename) == (2, "WorkspaceError")
    assert (tmp_path / f"postmortem-{ONE}.html").is_file()


def test_a_review_is_named_after_its_window(ws, tmp_path):
    done = render(
        "review",
        [{}, {"end_date": "2025-01-31", "days": 7, "services": ["checkout"]}],
        out_dir=tmp_path,
        workspace=ws,
        progress=False,
        jobs=2,
    )
    assert [r.key for r in done] == ["2025-02-19", "2025-01-31-7d-checkout"]
    assert [r.paths["html"].name for r in done] == [
        "review-2025-02-19.html",
        "review-2025-01-31-7d-checkout.html",
    ]
    html = done[1].paths["html"].read_text(encoding="utf-8")
    assert "<dt>Window (UTC)</dt><dd>2025-01-25 to 2025-01-31 (7 days)</dd>" in html
    assert "<dt>Services</dt><dd>checkout</dd>" in html


def test_a_review_right_after_an_ingest_is_skipped_when_rendered_again(tmp_path):
    from pathlib import Path

    fresh = Workspace(tmp_path / "fresh")
    fresh.ingest(Path(__file__).parents[2] / "data" / "sample" / "postmortems")
    args = {"out_dir": tmp_path / "out", "workspace": fresh.path, "progress": False}
    assert [(r.ok, r.skipped) for r in render("review", {}, **args)] == [(True, False)]
    assert [(r.ok, r.skipped) for r in render("review", {}, **args)] == [(True, True)]


@pytest.mark.parametrize(
    ("kind", "params", "options", "message"),
    [
        pytest.param("autopsy", {}, {}, "unknown report kind 'autopsy'", id="kind"),
        pytest.param("postmortem", {}, {}, "needs params\\['incident_id'\\]", id="no-incident"),
        pytest.param("postmortem", {"incident": "x"}, {}, "unknown postmortem parameter", id="bad-param"),
        pytest.param(
            "postmortem", {"incident_id": "x"}, {"formats": ("docx",)}, "unknown format docx", id="format"
        ),
        pytest.param("postmortem", {"incident_id": "x"}, {"jobs": 0}, "jobs must be at least 1", id="jobs"),
        pytest.param("review", {"end_date": "31/01/2025"}, {}, "expected a date like 2025-02-19", id="date"),
        pytest.param(
            "postmortem", [{"incident_id": "x"}, {"incident_id": "x"}], {}, "more than once", id="twice"
        ),
        pytest.param(
            "postmortem",
            [{"incident_id": "INC-2025-01-15-payment"}, {"incident_id": "PD-PZ4F9WB"}],
            {},
            "more than once: postmortem-INC-2025-01-15-payment",
            id="twice-by-another-id",
        ),
    ],
)
def test_bad_requests_are_refused_before_anything_runs(sample_ws, tmp_path, kind, params, options, message):
    with pytest.raises(ValueError, match=message):
        render(kind, params, out_dir=tmp_path, workspace=sample_ws, progress=False, **options)
    assert list(tmp_path.iterdir()) == []
