"""The main job: ingest every export in a data folder and write what came of it to reports/.

This is what ``incident-toolkit demo`` (and the README's first command) runs on the bundled
sample in ``data/sample``. Today it ingests every sample export and writes an import report
(``reports/import-report.md``); the post-mortem and 30-day review reports join it as they land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.store import ImportReport, Workspace

__all__ = ["TEMPLATES", "RunResult", "render_template", "run", "sample_inputs"]

_PACKAGED = Path(__file__).resolve().parent / "_report_templates"
TEMPLATES = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[1] / "report_templates"
"""Where report templates live (``report_templates/`` at the top of the repo)."""


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` did: one import report per input and the files it wrote."""

    reports: tuple[ImportReport, ...]
    written: tuple[Path, ...]


def sample_inputs(data_dir: Path) -> list[Path]:
    """The exports in ``data_dir``: each zip on its own, each other folder as one export.

    A source folder holding only zips (``slack/acme.zip``) yields the zips; any other
    folder (``pagerduty/`` with incidents and log entries) is one export, since its files
    are read together; loose files are exports of their own.
    """
    found: list[Path] = []
    for child in sorted(data_dir.iterdir()):
        if child.name.startswith(".") or child.name.lower().startswith("readme"):
            continue
        if child.is_dir():
            files = [p for p in child.iterdir() if not p.name.startswith(".")]
            if files and all(p.suffix == ".zip" for p in files):
                found.extend(sorted(files))
            else:
                found.append(child)
        else:
            found.append(child)
    return found


def run(
    data_dir: Path,
    *,
    workspace: Workspace,
    reports_dir: Path,
    on_report: Callable[[ImportReport], None] | None = None,
) -> RunResult:
    """Ingest every export under ``data_dir`` into ``workspace``; write ``reports_dir/import-report.md``."""
    reports = []
    for path in sample_inputs(data_dir):
        report = workspace.ingest(path)
        reports.append(report)
        if on_report is not None:
            on_report(report)
    reports_dir.mkdir(parents=True, exist_ok=True)
    out = reports_dir / "import-report.md"
    out.write_text(
        render_template(
            "import-report.md.j2",
            workspace=str(workspace.path),
            reports=reports,
            n_incidents=workspace.table("incidents").height,
            incidents=workspace.incidents().iter_rows(named=True),
            fmt=lambda t: "" if t is None else f"{t:%Y-%m-%d %H:%M}",
            n_rejected=sum(r.rows_rejected for r in reports),
        ),
        encoding="utf-8",
    )
    return RunResult(tuple(reports), (out,))


def render_template(name: str, **context: object) -> str:
    """Render ``report_templates/<name>`` (jinja2) with ``context``."""
    import jinja2

    from toolkit.store.report import md_text

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True, autoescape=False
    )
    env.filters["md"] = md_text  # untrusted text from exports, safe in a Markdown table
    return env.get_template(name).render(**context)
