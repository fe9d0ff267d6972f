"""Shared fixtures of the report tests: workspaces ingested once, reports rendered once.

The sample workspace holds all of ``data/sample``; the injection workspace holds small
exports (``tests/fixtures/reports/injection``) whose Slack message, status-page body and
post-mortem line carry a script, an ``onerror`` image and a ``javascript:`` link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.pipeline import sample_inputs
from toolkit.reports import Rendered, render
from toolkit.reports.options import report_incidents
from toolkit.store import Workspace

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
INJECTION = ROOT / "tests" / "fixtures" / "reports" / "injection"
PAYLOAD = "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))"
"""What every injected text holds, after a source-specific prefix."""
INJECTED = {
    "INC-2025-03-04-db": "Slack says: ",
    "INC-2025-02-19-auth": "Status says: ",
    "INC-2025-01-15-payment-api-checkout-flow": "Post-mortem says: ",
}
"""Incident (linked id) -> the words before the payload in its injected text."""
ASKED_AS = ("INC-2025-03-04-db", "SP-acm3st4tus01-inj3ct10n001", "INC-2025-01-15-payment-service-outage")
"""The injection incidents as the batch asks for them: each by its source's own id."""


def _ingest(path: Path, exports: list[Path]) -> Path:
    ws = Workspace(path)
    for export in exports:
        ws.ingest(export)
    return path


@pytest.fixture(scope="session")
def sample_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with every sample export ingested (do not edit it: copy it)."""
    return _ingest(tmp_path_factory.mktemp("sample") / "ws", sample_inputs(SAMPLE))


@pytest.fixture(scope="session")
def injection_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the injection exports ingested."""
    folder = tmp_path_factory.mktemp("injection") / "ws"
    return _ingest(folder, [INJECTION / "slack", INJECTION / "statuspage", INJECTION / "postmortems"])


@pytest.fixture(scope="session")
def sample_reports(sample_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Rendered]:
    """Every sample post-mortem and the 30-day review, HTML and Markdown, two at a time."""
    out = tmp_path_factory.mktemp("sample-reports")
    ids = report_incidents(Workspace(sample_ws))["incident_id"].to_list()
    done = render(
        "postmortem",
        [{"incident_id": i} for i in ids],
        formats=("html", "md"),
        out_dir=out,
        jobs=2,
        workspace=sample_ws,
        progress=False,
    )
    done += render("review", {}, formats=("html", "md"), out_dir=out, workspace=sample_ws, progress=False)
    return done


@pytest.fixture(scope="session")
def injection_reports(injection_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Rendered]:
    """The injection incidents' post-mortems in every format, in this process, one by one."""
    out = tmp_path_factory.mktemp("injection-reports")
    return render(
        "postmortem",
        [{"incident_id": i} for i in ASKED_AS],
        formats=("html", "md", "pdf"),
        out_dir=out,
        workspace=injection_ws,
        progress=False,
    )
