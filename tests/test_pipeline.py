from tests.conftest import write_fake
from toolkit.pipeline import run, sample_inputs
from toolkit.store import Workspace


def test_sample_inputs_groups_exports(tmp_path):
    (tmp_path / "slack").mkdir()
    (tmp_path / "slack" / "a.zip").write_bytes(b"")
    (tmp_path / "slack" / "b.zip").write_bytes(b"")
    (tmp_path / "pagerduty").mkdir()
    (tmp_path / "pagerduty" / "incidents.json").write_text("{}")
    (tmp_path / "pagerduty" / "log_entries.json").write_text("{}")
    (tmp_path / "loose.md").write_text("# x")
    (tmp_path / "README.md").write_text("about")
    names = [p.relative_to(tmp_path).as_posix() for p in sample_inputs(tmp_path)]
    assert names == ["loose.md", "pagerduty", "slack/a.zip", "slack/b.zip"]


def test_run_writes_the_import_report(tmp_path, fake_importer):
    data = tmp_path / "data"
    data.mkdir()
    write_fake(data / "one.fake", [["INC-1", 0, "alert"], ["INC-1", 3, "x|y"], 7])
    result = run(data, workspace=Workspace(tmp_path / "ws"), reports_dir=tmp_path / "reports")
    (out,) = result.written
    text = out.read_text()
    assert "1 export(s), 0 incident record(s) across sources, 1 record(s) kept aside." in text
    assert f"| `{data / 'one.fake'}` | manual | imported | 4 | 1 |" in text
    assert f"| {data / 'one.fake'} | 2 | minute | expected [incident_id, minute, text] |" in text
    assert "- note: fake importer" in text


def test_run_renders_a_postmortem_per_incident_and_the_review(tmp_path):
    from tests.reports.conftest import INJECTION

    result = run(
        INJECTION,
        workspace=Workspace(tmp_path / "ws"),
        reports_dir=tmp_path / "reports",
        formats=("html",),
        progress=False,
    )
    assert [(r.kind, r.key, r.ok) for r in result.rendered] == [
        ("postmortem", "INC-2025-01-15-payment-api-checkout-flow", True),  # linked incidents, earliest first
        ("postmortem", "INC-2025-02-19-auth", True),
        ("postmortem", "INC-2025-03-04-db", True),
        ("review", "2025-03-04", True),
    ]
    names = sorted(p.name for p in (tmp_path / "reports").iterdir() if p.is_file())
    assert names == [
        "import-report.md",
        "postmortem-INC-2025-01-15-payment-api-checkout-flow.html",
        "postmortem-INC-2025-01-15-payment-api-checkout-flow.ipynb",
        "postmortem-INC-2025-02-19-auth.html",
        "postmortem-INC-2025-02-19-auth.ipynb",
        "postmortem-INC-2025-03-04-db.html",
        "postmortem-INC-2025-03-04-db.ipynb",
        "review-2025-03-04.html",
        "review-2025-03-04.ipynb",
    ]
    assert result.seconds >= result.render_seconds > 0
    again = run(
        INJECTION,
        workspace=Workspace(tmp_path / "ws"),
        reports_dir=tmp_path / "reports",
        formats=("html",),
        progress=False,
    )
    assert all(r.skipped for r in again.rendered)
