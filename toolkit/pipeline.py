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

__all__ = ["RunResult", "run", "sample_inputs"]


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
    incidents = workspace.incidents()
    lines = [
        "# Import report",
        "",
        f"Workspace: `{workspace.path}` — {len(reports)} export(s), "
        f"{incidents.height} incident record(s) across sources.",
        "",
        "| export | source | outcome | rows | rejected |",
        "|---|---|---|---:|---:|",
    ]
    lines += [
        f"| `{r.path}` | {r.source} | {r.outcome} | {r.rows_read:,} | {r.rows_rejected:,} |" for r in reports
    ]
    lines.append("")
    lines += [r.to_markdown() for r in reports]
    out.write_text("\n".join(lines), encoding="utf-8")
    return RunResult(tuple(reports), (out,))
