"""``render()``: post-mortems and 30-day reviews from their notebooks, one or a batch.

With the sample ingested into ``workspace/`` (``incident-toolkit demo``)::

    from toolkit import reports
    done = reports.render("postmortem", {"incident_id": "INC-2025-01-15-payment"}, formats=("html", "md"))
    [r.paths["html"].name for r in done]     # ['postmortem-INC-2025-01-15-payment.html']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.reports.fingerprint import fingerprint, is_current, workspace_digest
from toolkit.reports.job import FORMATS, Job, Rendered, file_stem, output_paths
from toolkit.reports.locate import NOTEBOOKS, TEMPLATES, default_workspace, notebook_path

__all__ = ["KINDS", "check_formats", "render"]

KINDS = ("postmortem", "review")
"""Report kinds: one incident's post-mortem, or the review of a window of days."""

_PARAMETERS = {
    "postmortem": ("incident_id", "workspace", "policy", "audience", "redact"),
    "review": ("end_date", "days", "workspace", "services", "policy"),
}


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """``formats`` as a tuple in the order given, each one known; a ValueError names a bad one.

    Examples
    --------
    >>> check_formats(["md", "html", "md"])
    ('md', 'html')
    """
    out = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise ValueError(f"unknown format {', '.join(bad) or '(none)'}; use {', '.join(FORMATS)}")
    return out


def _review_end(params: Mapping[str, Any], workspace: Path) -> str:
    from toolkit.reports.context import open_workspace
    from toolkit.reports.review import latest_incident_date, parse_day

    if params.get("end_date") is not None:
        return parse_day(params["end_date"]).isoformat()
    latest = latest_incident_date(open_workspace(workspace).incidents())
    if latest is None:
        raise ValueError(f"{workspace}: no incidents, so no default end date; pass end_date")
    return latest.isoformat()


def _linked(batch: list[Mapping[str, Any]], workspace: Path) -> list[Mapping[str, Any]]:
    """``batch`` with each ``incident_id`` as its linked id (a report is named after it)."""
    from toolkit.reports.context import linked_ids

    groups: dict[tuple[str, str | None], list[int]] = {}
    for index, p in enumerate(batch):
        if p.get("incident_id"):
            ws = str(p.get("workspace") or workspace)
            groups.setdefault((ws, None if p.get("policy") is None else str(p["policy"])), []).append(index)
    out = list(batch)
    for (ws, policy), indexes in groups.items():
        ids = linked_ids(ws, [str(batch[i]["incident_id"]) for i in indexes], policy=policy)
        for i, iid in zip(indexes, ids, strict=True):
            out[i] = {**batch[i], "incident_id": iid}
    return out


def _job(
    kind: str,
    params: Mapping[str, Any],
    *,
    formats: tuple[str, ...],
    out_dir: Path,
    workspace: Path,
    workspace_state: str,
) -> Job:
    unknown = sorted(set(params) - set(_PARAMETERS[kind]))
    if unknown:
        raise ValueError(f"unknown {kind} parameter(s) {unknown}; use {', '.join(_PARAMETERS[kind])}")
    parameters: dict[str, Any] = {k: v for k, v in params.items() if v is not None}
    ws = Path(parameters.pop("workspace", workspace)).expanduser().resolve()
    parameters["workspace"] = str(ws)
    if "policy" in parameters:
        parameters["policy"] = str(Path(parameters["policy"]).expanduser().resolve())
    if kind == "postmortem":
        if not parameters.get("incident_id"):
            raise ValueError("a post-mortem needs params['incident_id']")
        key = str(parameters["incident_id"])
        title = f"Post-mortem {key}"
    else:
        end = parameters["end_date"] = _review_end(parameters, ws)
        days = int(parameters.get("days", 30))
        services = [str(s) for s in parameters.get("services") or ()]
        if "services" in parameters:
            parameters["services"] = services
        key = end + (f"-{days}d" if days != 30 else "") + ("-" + "+".join(services) if services else "")
        title = f"{days}-day review to {end}"
    notebook = notebook_path(kind)
    policy = Path(parameters["policy"]) if "policy" in parameters else None
    state = workspace_state if ws == workspace else workspace_digest(ws)
    return Job(
        kind=kind,
        key=key,
        stem=file_stem(kind, key),
        title=title,
        notebook=notebook,
        templates=TEMPLATES,
        parameters=parameters,
        formats=formats,
        out_dir=out_dir,
        cwd=NOTEBOOKS,
        fingerprint=fingerprint(
            notebook=notebook,
            templates=TEMPLATES / "report",
            parameters=parameters,
            workspace_state=state,
            policy=policy,
        ),
    )


def render(
    kind: str,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    formats: Iterable[str] = ("html",),
    out_dir: str | Path = "reports",
    jobs: int = 1,
    executor: Any = None,
    force: bool = False,
    progress: bool | None = None,
    workspace: str | Path | None = None,
) -> list[Rendered]:
    """Render reports of one ``kind`` from their notebooks; one per mapping in ``params``.

    Parameters
    ----------
    kind
        ``"postmortem"`` (params: ``incident_id``, optional ``audience``, ``redact``,
        ``policy``, ``workspace``) or ``"review"`` (params: optional ``end_date``,
        default the day of the latest incident; ``days``, default 30; ``services``;
        ``policy``; ``workspace``).
    params
        One mapping (one report) or a sequence of them.
    formats
        Any of ``html`` (self-contained, offline), ``md`` (figures as PNG files in
        ``<name>_files/``), ``pdf`` (via chromium), ``ipynb``. The executed notebook is
        kept beside the reports in any case.
    out_dir
        Where the reports go: ``postmortem-<incident_id>.<ext>``, ``review-<end>.<ext>``.
    jobs
        Reports rendered at once, in worker processes, when no ``executor`` is given.
    executor
        A ``concurrent.futures.Executor`` or a ``dask.distributed.Client`` to run the
        reports on (workers must see the same workspace and output folder).
    force
        Render even when nothing the report reads has changed since it was written.
    progress
        Show a progress bar (``None``: in a terminal or notebook).
    workspace
        The workspace for reports whose params name none (default: ``$INCIDENT_TOOLKIT_WORKSPACE``,
        else ``<repo>/workspace``).

    Returns
    -------
    list of Rendered
        In the order of ``params``; failed reports carry their ``error`` (the others
        were rendered all the same), unchanged ones ``skipped=True``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; use {', '.join(KINDS)}")
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    wanted = check_formats(formats)
    batch = [params] if isinstance(params, Mapping) else list(params)
    out = Path(out_dir).expanduser().resolve()
    ws = Path(workspace).expanduser().resolve() if workspace is not None else default_workspace()
    if kind == "postmortem":
        batch = _linked(batch, ws)
    else:
        from toolkit.reports.context import settled

        for folder in {str(p.get("workspace") or ws) for p in batch}:
            settled(folder)
    state = workspace_digest(ws)
    all_jobs = [
        _job(kind, p, formats=wanted, out_dir=out, workspace=ws, workspace_state=state) for p in batch
    ]
    stems = [job.stem for job in all_jobs]
    twice = sorted({s for s in stems if stems.count(s) > 1})
    if twice:
        raise ValueError(f"the same report is asked for more than once: {', '.join(twice)}")
    results: dict[int, Rendered] = {}
    todo: list[tuple[int, Job]] = []
    for index, job in enumerate(all_jobs):
        paths = output_paths(out, job.stem, wanted)
        if not force and is_current(out, job.stem, job.fingerprint, paths):
            results[index] = Rendered(job.kind, job.key, paths, skipped=True)
        else:
            todo.append((index, job))
    from toolkit.reports.batch import run_jobs

    done = run_jobs(
        [job for _, job in todo],
        workers=jobs,
        executor=executor,
        description=f"rendering {kind}",
        show_progress=progress,
    )
    results.update({index: r for (index, _), r in zip(todo, done, strict=True)})
    return [results[i] for i in range(len(all_jobs))]
