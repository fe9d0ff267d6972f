"""The ``incident-toolkit`` command: a thin layer over the package (no logic of its own).

User errors print one line on stderr and exit with code 2 (``--verbose`` shows the traceback).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from toolkit.errors import ToolkitError
from toolkit.samplegen.command import generate as _generate

if TYPE_CHECKING:
    from rich.console import Console

    from toolkit.store import ImportReport
    from toolkit.workspace import Workspace

app = typer.Typer(
    name="incident-toolkit",
    help="Learn from incidents, offline: import Slack, PagerDuty and Statuspage exports and "
    "post-mortems into a workspace of tidy tables, and report on them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: brackets in help texts stay, flags show no <bool>
)

_state: dict[str, object] = {"verbose": False}

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder [default: $INCIDENT_TOOLKIT_WORKSPACE or ./workspace].",
        show_default=False,
    ),
]


def _workspace(path: Path | None, *, create: bool = False) -> Workspace:
    """The workspace at ``path`` (it links its sources into incidents); read commands
    (``create=False``) need one that exists."""
    from toolkit import store
    from toolkit.policy import Policy
    from toolkit.workspace import Workspace

    policy_path = _state.get("policy")
    policy = Policy.load(policy_path) if isinstance(policy_path, Path) else None
    folder = path or Path(os.environ.get(store.ENV_WORKSPACE, "workspace"))
    if create:
        return Workspace(folder, policy=policy)
    return cast("Workspace", Workspace.open(folder, policy=policy))


def _console() -> Console:
    """A rich console; wide when piped, so tables are not squeezed to 80 columns."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 200)


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks of errors.")] = False,
    policy: Annotated[
        Path | None, typer.Option("--policy", help="A team policy TOML laid over the default one.")
    ] = None,
) -> None:
    _state["verbose"] = verbose
    _state["policy"] = policy


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Exports to import: files, folders or zips.", metavar="PATH")
    ],
    source: Annotated[
        str | None,
        typer.Option(
            help="slack, pagerduty, statuspage or postmortem (any case) [default: detected per path].",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first bad record instead of keeping it aside.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-import even when the bytes are unchanged.")
    ] = False,
) -> None:
    """Import exports into the workspace and print what each import read and rejected.

    Exit code 0 when every record was read (a warning on stderr when some were rejected),
    1 when an export yielded nothing at all, 2 for a usage error.
    """
    from rich.console import Console

    from toolkit.progress import progress

    ws = _workspace(workspace, create=True)
    out, err = Console(), Console(stderr=True)
    nothing: list[str] = []
    with progress("ingesting", total=len(paths)) as advance:
        for path in paths:
            report = ws.ingest(path, source, strict=strict, force=force)
            _print_report(out, report)
            if report.outcome == "empty":
                why = (
                    f"all {report.rows_rejected:,} records rejected"
                    if report.rows_rejected
                    else "no records found"
                )
                nothing.append(f"{path}: nothing was read ({why}); check the path and --source")
            elif report.rows_rejected:
                err.print(
                    f"warning: {path}: {report.rows_rejected:,} record(s) rejected and kept aside "
                    "(see the lines above, or ws.rejected())",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
            advance(1)
    for line in nothing:
        err.print(f"error: {line}", highlight=False, markup=False, soft_wrap=True)
    if nothing:
        raise typer.Exit(1)


def _print_report(out: Console, report: ImportReport) -> None:
    """The summary line, notes, affected incidents and the first rejections of one import."""
    lines = [report.summary(), *(f"  note: {n}" for n in report.notes)]
    lines += [f"  affected: {a}" for a in report.affected()]
    for row in report.rejected.head(5).iter_rows(named=True):
        where = f"record {row['record']}" if row["record"] is not None else "whole file"
        field = f" field {row['field']!r}" if row["field"] else ""
        lines.append(f"  rejected: {row['file']}: {where}{field}: {row['reason']}")
    if report.rows_rejected > 5:
        lines.append(f"  ... and {report.rows_rejected - 5} more rejected (see ws.rejected())")
    for line in lines:
        out.print(line, highlight=False, markup=False, soft_wrap=True)


@app.command()
def incidents(
    workspace: WorkspaceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (one array of objects).")] = False,
    per_source: Annotated[
        bool, typer.Option("--per-source", help="Every source's own records instead of linked incidents.")
    ] = False,
) -> None:
    """List the incidents in the workspace, earliest first: one row per incident with its sources.

    Each source's records (a war room, a PagerDuty incident, a status-page incident, a
    post-mortem) are linked into one incident; --per-source lists the records themselves.
    """
    ws = _workspace(workspace)
    df = ws.incidents(linked=not per_source)
    if as_json:
        import orjson

        from toolkit.analysis.metrics import iso

        rows = [
            {k: iso(v) if hasattr(v, "tzinfo") else v for k, v in r.items()} for r in df.iter_rows(named=True)
        ]
        sys.stdout.write(orjson.dumps(rows).decode() + "\n")
        return
    from rich.table import Table

    table = Table(
        "incident",
        "sources" if not per_source else "source",
        "sev",
        "status",
        "service",
        "commander",
        "started (UTC)",
        "resolved (UTC)",
    )
    from rich.text import Text

    for r in df.iter_rows(named=True):
        start = r["started_at"] or r["detected_at"] or r["declared_at"]
        cells = (
            r["incident_id"],
            ", ".join(r["sources"]) if not per_source else r["source"],
            r["severity"] or "",
            r["status"] or "",
            r["service"] or "",
            r["commander"] or "",
            f"{start:%Y-%m-%d %H:%M}" if start else "",
            f"{r['resolved_at']:%Y-%m-%d %H:%M}" if r["resolved_at"] else "",
        )
        table.add_row(*(Text(c) for c in cells))  # untrusted text: no rich markup
    out = _console()
    out.print(table)
    out.print(f"{df.height} {'incident record(s)' if per_source else 'incident(s)'}")


@app.command()
def metrics(
    workspace: WorkspaceOpt = None,
    incident: Annotated[
        str | None, typer.Option("--incident", help="One incident (its linked or any per-source id).")
    ] = None,
    group_by: Annotated[
        str, typer.Option("--group-by", help="Summarise by severity, service, component or month.")
    ] = "severity",
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only incidents started on or after DATE (YYYY-MM-DD, team's zone)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Durations, cadence and promises per incident, and the summary with bootstrap intervals.

    Every output carries the definitions it used. Times in JSON are ISO 8601 UTC (Z);
    durations are minutes (numbers, or null when a milestone is missing).
    """
    from datetime import date

    from toolkit.analysis import metrics as compute
    from toolkit.analysis.summary import GROUPS
    from toolkit.errors import ArgumentError

    if group_by not in GROUPS:
        raise ArgumentError(f"--group-by: expected one of {', '.join(GROUPS)}, got {group_by!r}")
    start = None
    if since is not None:
        try:
            start = date.fromisoformat(since)
        except ValueError:
            raise ArgumentError(f"--since: expected a date like 2025-01-15, got {since!r}") from None
    ws = _workspace(workspace)
    result = compute(ws.timeline(), incident=incident, group_by=group_by, since=start, policy=ws.policy)
    if as_json:
        import orjson

        sys.stdout.write(orjson.dumps(result.to_dict()).decode() + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    out = _console()
    for title, headers, rows in result.tables():
        table = Table(*headers, title=title, title_justify="left")
        for row in rows:
            table.add_row(*(Text(c) for c in row))  # untrusted text: no rich markup
        out.print(table)


@app.command()
def draft(
    kind: Annotated[
        str,
        typer.Argument(
            help="declare, update, statuspage, resolve, exec, customer, support, escalate or timeline."
        ),
    ],
    incident_id: Annotated[str, typer.Argument(help="The incident (its linked or any per-source id).")],
    workspace: WorkspaceOpt = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="The moment to draft for: '2025-01-15 10:45 PST', '10:45 AM' or ISO 8601 "
            "[default: the resolution, or now while open].",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="slack, markdown or text [default: the kind's: slack for war-room messages, "
            "text for e-mails and the status page, markdown for the timeline].",
            show_default=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="A folder of your own <kind>.j2 templates.", show_default=False),
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option("--audience", help="Whom an e-mail greets (exec, customer).", show_default=False),
    ] = None,
) -> None:
    """Draft a message of the seed's practice for an incident, from its data at a moment.

    What the data does not say is marked [fill in: ...]. Drafts for customers (statuspage,
    customer, support) name no staff and show no internal-only events.
    """
    from toolkit.comms import draft as compose

    ws = _workspace(workspace)
    text = compose(kind, incident_id, workspace=ws, at=at, audience=audience, format=fmt, templates=templates)
    sys.stdout.write(text)


@app.command()
def tables(workspace: WorkspaceOpt = None) -> None:
    """List the workspace's tables with their row and column counts."""
    from rich.table import Table

    ws = _workspace(workspace)
    out = Table("table", "rows", "columns")
    for name in ws.names():
        df = ws.table(name)
        out.add_row(name, f"{df.height:,}", str(df.width))
    _console().print(out)


@app.command()
def demo(
    data: Annotated[Path, typer.Option(help="Folder of sample exports.")] = Path("data/sample"),
    reports: Annotated[Path, typer.Option(help="Where reports are written.")] = Path("reports"),
    workspace: WorkspaceOpt = None,
    format_: Annotated[
        str, typer.Option("--format", help="Report formats, comma-separated (html, md, pdf, ipynb).")
    ] = "html,md",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Reports rendered at once.")] = 2,
    force: Annotated[bool, typer.Option(help="Render reports even when nothing changed.")] = False,
) -> None:
    """Run the main job on the bundled sample: ingest every export, render every report into reports/."""
    from rich.console import Console

    from toolkit.pipeline import run
    from toolkit.reports.options import formats_from

    out = Console()
    ws = _workspace(workspace, create=True)
    result = run(
        data,
        workspace=ws,
        reports_dir=reports,
        on_report=lambda r: out.print(r.summary(), highlight=False, markup=False, soft_wrap=True),
        formats=formats_from(format_),
        jobs=jobs,
        force=force,
    )
    out.print(f"workspace {ws.path}: {', '.join(ws.names())}", highlight=False, markup=False, soft_wrap=True)
    for path in result.written:
        out.print(f"wrote {path}", highlight=False, markup=False)
    failed = [r for r in result.rendered if not r.ok]
    for kind in ("postmortem", "review"):
        mine = [r for r in result.rendered if r.kind == kind and r.ok]
        if mine:
            fresh = sum(not r.skipped for r in mine)
            example = next(iter(mine[-1].paths.values()))
            out.print(
                f"wrote {len(mine)} {kind} report(s) ({fresh} rendered, {len(mine) - fresh} unchanged) "
                f"in {example.parent}/, e.g. {example.name}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    out.print(
        f"done in {result.seconds:.1f} s ({result.render_seconds:.1f} s rendering {len(result.rendered)} report(s))",
        highlight=False,
        markup=False,
    )
    for r in failed:
        print(f"failed: {r.error}", file=sys.stderr)
    if failed:
        raise typer.Exit(1)


render_app = typer.Typer(
    help="Render post-mortems and 30-day reviews (HTML, Markdown, PDF, the executed notebook).",
    no_args_is_help=True,
)
app.add_typer(render_app, name="render")

FormatOpt = Annotated[
    str, typer.Option("--format", help="Comma-separated: html, md, pdf, ipynb.", show_default=True)
]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Reports rendered at once (processes).")]
ExecutorOpt = Annotated[
    str | None, typer.Option("--executor", help="dask: run on a dask.distributed cluster (extra 'dask').")
]
SchedulerOpt = Annotated[
    str | None, typer.Option("--scheduler", help="Dask scheduler address (default: a local cluster).")
]
OutOpt = Annotated[Path, typer.Option("--out", help="Output folder.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Render even when nothing changed.")]


def _render(kind: str, params: list[dict[str, object]], **options: object) -> None:
    """Render, print one line per report, and exit 1 at the end when any failed."""
    from rich.console import Console

    from toolkit.reports import render
    from toolkit.reports.options import executor_for, formats_from

    out = Console()
    formats = formats_from(str(options.pop("format_")))
    scheduler = options.pop("scheduler")
    with executor_for(options.pop("executor"), scheduler=scheduler) as executor:  # type: ignore[arg-type]
        started = time.perf_counter()
        done = render(kind, params, formats=formats, executor=executor, **options)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
    for r in done:
        if r.ok:
            state = "unchanged" if r.skipped else f"{r.seconds:.1f} s"
            out.print(
                f"{r.kind} {r.key}: {state}: {', '.join(str(p) for p in r.paths.values())}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    failed = [r for r in done if not r.ok]
    out.print(f"{len(done) - len(failed)} of {len(done)} report(s) in {seconds:.1f} s", highlight=False)
    for r in failed:
        print(f"failed: {r.error}", file=sys.stderr)
    if failed:
        raise typer.Exit(1)


@render_app.command("postmortem")
def render_postmortem(
    incident_ids: Annotated[
        list[str] | None,
        typer.Argument(help="Incidents to render: linked ids, or any source's own id.", show_default=False),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every incident in the workspace.")] = False,
    since: Annotated[
        str | None, typer.Option(help="Only incidents on or after this date (YYYY-MM-DD).")
    ] = None,
    audience: Annotated[
        str, typer.Option(help="internal, or external (redacted, public events only).")
    ] = "internal",
    format_: FormatOpt = "html",
    jobs: JobsOpt = 1,
    executor: ExecutorOpt = None,
    scheduler: SchedulerOpt = None,
    out: OutOpt = Path("reports"),
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Render the post-mortem of each incident: reports/postmortem-<incident_id>.<ext>."""
    from toolkit.reports.context import check_audience
    from toolkit.reports.options import RenderOptionError, since_from
    from toolkit.reports.options import incident_ids as pick

    ws = _workspace(workspace)
    try:
        check_audience(audience)
    except ValueError as exc:
        raise RenderOptionError(f"--audience: {exc}") from None
    ids = pick(ws, incident_ids or [], every=all_, since=since_from(since))
    policy = _state.get("policy")
    params: list[dict[str, object]] = [
        {"incident_id": i, "audience": audience, **({"policy": str(policy)} if policy else {})} for i in ids
    ]
    _render(
        "postmortem",
        params,
        format_=format_,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        out_dir=out,
        force=force,
        workspace=ws.path,
    )


@render_app.command("review")
def render_review(
    end: Annotated[
        str | None, typer.Option(help="Last day of the window [default: day of the latest incident].")
    ] = None,
    days: Annotated[int, typer.Option(min=1, help="Length of the window in days.")] = 30,
    service: Annotated[list[str] | None, typer.Option(help="Only this service (repeatable).")] = None,
    format_: FormatOpt = "html",
    jobs: JobsOpt = 1,
    executor: ExecutorOpt = None,
    scheduler: SchedulerOpt = None,
    out: OutOpt = Path("reports"),
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Render the 30-day review of a window: reports/review-<end>.<ext>."""
    from toolkit.reports.options import RenderOptionError, since_from

    ws = _workspace(workspace)
    if end is not None:
        try:
            since_from(end)
        except RenderOptionError:
            raise RenderOptionError(f"--end: expected a date like 2025-02-19, got {end!r}") from None
    policy = _state.get("policy")
    params: dict[str, object] = {"end_date": end, "days": days, "services": service or None}
    if policy:
        params["policy"] = str(policy)
    _render(
        "review",
        [params],
        format_=format_,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        out_dir=out,
        force=force,
        workspace=ws.path,
    )


# The generator's command is defined once, in toolkit.samplegen.command (also run by
# `python -m toolkit.samplegen`); importing it reads no scenario file.
app.command("generate")(_generate)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: user errors become one line on stderr and exit 2."""
    try:
        app(args=argv)  # standalone: usage errors exit 2 with click's message
    except ToolkitError as exc:
        if _state.get("verbose"):
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
