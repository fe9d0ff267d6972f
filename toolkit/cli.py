"""The ``incident-toolkit`` command: a thin layer over the package (no logic of its own).

User errors print one line on stderr and exit with code 2 (``--verbose`` shows the traceback).
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.errors import ToolkitError
from toolkit.samplegen.command import generate as _generate

if TYPE_CHECKING:
    from rich.console import Console

    from toolkit.store import ImportReport, Workspace

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
    """The workspace at ``path``; read commands (``create=False``) need one that exists."""
    from toolkit.policy import Policy
    from toolkit.store import ENV_WORKSPACE, Workspace

    policy_path = _state.get("policy")
    policy = Policy.load(policy_path) if isinstance(policy_path, Path) else None
    folder = path or Path(os.environ.get(ENV_WORKSPACE, "workspace"))
    return Workspace(folder, policy=policy) if create else Workspace.open(folder, policy=policy)


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
    paths: Annotated[list[Path], typer.Argument(help="Exports to import: files, folders or zips.")],
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
) -> None:
    """List the incidents in the workspace, from every source, earliest first."""
    df = _workspace(workspace).incidents()
    if as_json:
        sys.stdout.write(df.write_json() + "\n")
        return
    from rich.table import Table

    table = Table(
        "incident", "source", "sev", "status", "service", "commander", "started (UTC)", "resolved (UTC)"
    )
    for r in df.iter_rows(named=True):
        start = r["started_at"] or r["detected_at"] or r["declared_at"]
        table.add_row(
            r["incident_id"],
            r["source"],
            r["severity"] or "",
            r["status"] or "",
            r["service"] or "",
            r["commander"] or "",
            f"{start:%Y-%m-%d %H:%M}" if start else "",
            f"{r['resolved_at']:%Y-%m-%d %H:%M}" if r["resolved_at"] else "",
        )
    out = _console()
    out.print(table)
    out.print(f"{df.height} incident record(s)")


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
) -> None:
    """Run the main job on the bundled sample: ingest every export, write reports/."""
    from rich.console import Console

    from toolkit.pipeline import run

    out = Console()
    ws = _workspace(workspace, create=True)
    result = run(
        data,
        workspace=ws,
        reports_dir=reports,
        on_report=lambda r: out.print(r.summary(), highlight=False, markup=False, soft_wrap=True),
    )
    out.print(f"workspace {ws.path}: {', '.join(ws.names())}", highlight=False, markup=False, soft_wrap=True)
    for path in result.written:
        out.print(f"wrote {path}", highlight=False, markup=False)


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
