"""The main job: ingest every export in a data folder and write what came of it to reports/.

This is what ``incident-toolkit demo`` (and the README's first command) runs on the bundled
sample in ``data/sample``: it ingests every sample export, writes an import report
(``reports/import-report.md``), then renders a post-mortem of every incident and the
30-day review ending on the day of the latest incident (HTML and Markdown by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from toolkit.reports import Rendered, render
from toolkit.reports.options import report_incidents
from toolkit.store import ImportReport, Workspace
from toolkit.workspace import Workspace as Linked

__all__ = ["TEMPLATES", "RunResult", "open_or_ingest", "render_template", "run", "sample_inputs"]

_PACKAGED = Path(__file__).resolve().parent / "_report_templates"
TEMPLATES = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[1] / "report_templates"
"""Where report templates live (``report_templates/`` at the top of the repo)."""


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` did: one import report per input, the files it wrote, the rendered reports."""

    reports: tuple[ImportReport, ...]
    written: tuple[Path, ...]
    rendered: tuple[Rendered, ...] = ()
    seconds: float = 0.0
    render_seconds: float = 0.0


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


def open_or_ingest(workspace: str | Path | None = None, *, data_dir: str | Path | None = None) -> Linked:
    """The workspace ``workspace`` (default :func:`toolkit.reports.default_workspace`), after
    ingesting every export of ``data_dir`` (default: the bundled ``data/sample``) into it
    when it holds no imports yet; a workspace with imports is opened as it is.

    Raises :class:`~toolkit.errors.WorkspaceError` when the workspace is empty and
    ``data_dir`` does not exist.

    Examples
    --------
    >>> import tempfile
    >>> ws = open_or_ingest(tempfile.mkdtemp() + "/ws")
    >>> ws.incidents().height, open_or_ingest(ws.path, data_dir="no-such-folder").incidents().height
    (13, 13)
    """
    from toolkit.errors import WorkspaceError
    from toolkit.reports.locate import REPO, default_workspace

    path = Path(workspace).expanduser() if workspace is not None else default_workspace()
    ws = Linked(path)
    if any((path / "imports").glob("*/manifest.json")):
        return ws
    source = Path(data_dir).expanduser() if data_dir is not None else REPO / "data" / "sample"
    if not source.is_dir():
        raise WorkspaceError(
            f"{path}: no imported exports here, and no folder {source} to ingest; pass data_dir=..."
        )
    for export in sample_inputs(source):
        ws.ingest(export)
    return ws


def run(
    data_dir: Path,
    *,
    workspace: Workspace,
    reports_dir: Path,
    on_report: Callable[[ImportReport], None] | None = None,
    formats: Iterable[str] = ("html", "md"),
    jobs: int = 2,
    force: bool = False,
    progress: bool | None = None,
) -> RunResult:
    """Ingest every export under ``data_dir`` into ``workspace``, then write ``reports_dir``.

    ``reports_dir`` gets ``import-report.md``, a post-mortem of every incident
    (``postmortem-<incident_id>.<ext>``) and the 30-day review ending on the day of the
    latest incident (``review-<end>.<ext>``), in ``formats`` (none: no reports rendered),
    ``jobs`` at a time. Reports whose inputs did not change are not rendered again
    unless ``force``.
    """
    started = time.perf_counter()
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
            incidents=Workspace.incidents(workspace).iter_rows(named=True),  # records, before linking
            fmt=lambda t: "" if t is None else f"{t:%Y-%m-%d %H:%M}",
            n_rejected=sum(r.rows_rejected for r in reports),
        ),
        encoding="utf-8",
    )
    wanted = tuple(formats)
    rendered: list[Rendered] = []
    render_started = time.perf_counter()
    if wanted:
        ids = list(report_incidents(workspace)["incident_id"])
        options = {
            "formats": wanted,
            "out_dir": reports_dir,
            "force": force,
            "progress": progress,
            "workspace": workspace.path,
        }
        if ids:
            from toolkit.reports.batch import process_pool

            params = [{"incident_id": i} for i in ids]
            # one pool for both batches: its workers are warm (imports, browsers) for the review
            with process_pool(jobs) if jobs > 1 else nullcontext() as pool:
                rendered += render("postmortem", params, executor=pool, **options)  # type: ignore[arg-type]
                rendered += render("review", {"days": 30}, executor=pool, **options)  # type: ignore[arg-type]
    now = time.perf_counter()
    return RunResult(tuple(reports), (out,), tuple(rendered), now - started, now - render_started)


def render_template(name: str, **context: object) -> str:
    """Render ``report_templates/<name>`` (jinja2) with ``context``."""
    import jinja2

    from toolkit.store.report import md_text

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True, autoescape=False
    )
    env.filters["md"] = md_text  # untrusted text from exports, safe in a Markdown table
    return env.get_template(name).render(**context)
