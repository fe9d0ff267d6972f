"""One report, start to finish, in whatever process runs it: execute, export, write, record.

:func:`run_job` is what a batch sends to its executor (a process pool, a Dask worker or
the calling process): it takes a picklable :class:`Job` and always returns a
:class:`Rendered`, with the error in it when something failed.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.reports.execute import RenderError, close_thread_loop, execute
from toolkit.reports.fingerprint import STATE_DIR, record

__all__ = ["FORMATS", "Job", "Rendered", "file_stem", "output_paths", "run_job"]

FORMATS = ("html", "md", "pdf", "ipynb")
"""Output formats: self-contained HTML, Markdown (+ PNG figures), PDF, the executed notebook."""


def file_stem(kind: str, key: str) -> str:
    """The report's file name without extension: ``postmortem-<incident_id>``, ``review-<end>``.

    Characters that are not safe in a file name (``/``, spaces, ...) become ``_``.

    Examples
    --------
    >>> file_stem("postmortem", "INC-2025-01-15-payment"), file_stem("postmortem", "../x y")
    ('postmortem-INC-2025-01-15-payment', 'postmortem-.._x_y')
    """
    safe = re.sub(r"[^A-Za-z0-9._+-]", "_", key)
    return f"{kind}-{safe}"


def output_paths(out_dir: Path, stem: str, formats: tuple[str, ...]) -> dict[str, Path]:
    """Where each format of a report goes (the executed notebook always)."""
    wanted = dict.fromkeys([*formats, "ipynb"])
    return {fmt: out_dir / f"{stem}.{fmt}" for fmt in FORMATS if fmt in wanted}


@dataclass(frozen=True)
class Rendered:
    """What rendering one report gave.

    ``paths`` maps each format to its file (the executed ``ipynb`` always, with the
    error in it when a cell failed); ``skipped`` says the report was unchanged and not
    rendered again; ``error`` says why it failed (``None`` when it did not).
    """

    kind: str
    key: str
    paths: Mapping[str, Path]
    skipped: bool = False
    error: RenderError | None = None
    seconds: float = 0.0
    figures: int = 0

    @property
    def ok(self) -> bool:
        """No error."""
        return self.error is None


@dataclass(frozen=True)
class Job:
    """Everything one report needs, picklable, with absolute paths."""

    kind: str
    key: str
    stem: str
    title: str
    notebook: Path
    templates: Path
    parameters: Mapping[str, Any]
    formats: tuple[str, ...]
    out_dir: Path
    cwd: Path
    fingerprint: str


def _write(path: Path, data: bytes | str) -> None:
    """Write atomically: a half-written report never replaces a whole one."""
    tmp = path.with_name(f".{path.name}.tmp")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    tmp.replace(path)


def _export(job: Job, nb: Any, paths: Mapping[str, Path]) -> int:
    figures = 0
    html_path = paths.get("html")
    if "html" in job.formats or "pdf" in job.formats:
        from toolkit.reports.html import to_html

        html, figures = to_html(nb, title=job.title, templates=job.templates)
        if html_path is None:
            html_path = job.out_dir / STATE_DIR / f"{job.stem}.print.html"
            html_path.parent.mkdir(parents=True, exist_ok=True)
        _write(html_path, html)
        if "pdf" in job.formats:
            from toolkit.reports.pdf import html_to_pdf

            tmp_pdf = job.out_dir / STATE_DIR / f"{job.stem}.pdf.tmp"
            blocked = html_to_pdf(html_path, tmp_pdf, figures=figures)
            tmp_pdf.replace(paths["pdf"])
            if blocked:
                raise RuntimeError(f"the report asked for {len(blocked)} outside resource(s): {blocked[:3]}")
            if "html" not in job.formats:
                html_path.unlink()
    if "md" in job.formats:
        from toolkit.reports.markdown import to_markdown

        text, images, figures = to_markdown(nb, name=job.stem)
        files = job.out_dir / f"{job.stem}_files"
        shutil.rmtree(files, ignore_errors=True)
        if images:
            files.mkdir(parents=True)
            for name, data in images.items():
                _write(files / name, data)
        _write(paths["md"], text)
    return figures


def run_job(job: Job) -> Rendered:
    """Render one report; never raises (the error is in the result)."""
    started = time.perf_counter()
    paths = output_paths(job.out_dir, job.stem, job.formats)
    try:
        job.out_dir.mkdir(parents=True, exist_ok=True)
        nb = execute(job.notebook, paths["ipynb"], job.parameters, cwd=job.cwd)
        figures = _export(job, nb, paths)
        record(job.out_dir, job.stem, job.fingerprint, paths)
    except Exception as exc:
        error = RenderError.of(exc, kind=job.kind, key=job.key)
        kept = {"ipynb": paths["ipynb"]} if paths["ipynb"].is_file() else {}
        return Rendered(job.kind, job.key, kept, error=error, seconds=time.perf_counter() - started)
    finally:
        close_thread_loop()
    return Rendered(job.kind, job.key, paths, seconds=time.perf_counter() - started, figures=figures)
