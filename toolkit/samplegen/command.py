"""The generator's one command line: ``incident-toolkit generate`` = ``python -m toolkit.samplegen``.

:func:`generate` is the command; ``toolkit.cli`` registers this very function as its
``generate`` subcommand, and :func:`main` runs it alone for ``python -m toolkit.samplegen``,
so both have the same options and defaults (documented once, in the option help below).
The generators load lazily: building the command reads no scenario file.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     main([tmp, "--kind", "statuspage", "--incidents", "3", "--layout", "single"])  # doctest: +ELLIPSIS
wrote 3 file(s) under ...
0
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.errors import ToolkitError

from ._util import DEFAULT_SEED

__all__ = ["Kind", "Layout", "generate", "main", "single_app"]


class Kind(StrEnum):
    """What ``generate`` writes."""

    sample = "sample"
    slack = "slack"
    pagerduty = "pagerduty"
    statuspage = "statuspage"


class Layout(StrEnum):
    """How a big Statuspage history is laid out."""

    pages = "pages"
    single = "single"


def generate(
    out: Annotated[
        Path,
        typer.Argument(help="Output folder (a .zip file for --kind slack, unless --no-zip)."),
    ],
    kind: Annotated[
        Kind,
        typer.Option(
            help="sample: the small coherent story (data/sample); or a big slack, pagerduty or statuspage export."
        ),
    ] = Kind.sample,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same bytes.")] = DEFAULT_SEED,
    incidents: Annotated[int, typer.Option(min=1, help="Incidents (pagerduty, statuspage).")] = 1000,
    log_entries: Annotated[int, typer.Option(min=1, help="Log entries (pagerduty).")] = 10_000,
    page_size: Annotated[int, typer.Option(min=1, help="Records per page file (pagerduty).")] = 100,
    messages: Annotated[int, typer.Option(min=1, help="Messages (slack).")] = 100_000,
    channels: Annotated[int, typer.Option(min=1, help="Channels (slack).")] = 200,
    zip_: Annotated[
        bool, typer.Option("--zip/--no-zip", help="Slack: one zip, or loose files in OUT.")
    ] = True,
    layout: Annotated[
        Layout, typer.Option(help="Statuspage: incidents.json pages, or one file per incident.")
    ] = Layout.pages,
) -> None:
    """Generate exports in the real vendor formats: the small sample, or big ones for benchmarks."""
    written: list[Path]
    if kind is Kind.sample:
        from .sample import write_sample

        written = write_sample(out, seed=seed)
    elif kind is Kind.slack:
        from .scale_slack import write_slack_export

        written = [write_slack_export(out, channels=channels, messages=messages, seed=seed, as_zip=zip_)]
    elif kind is Kind.pagerduty:
        from .scale_pagerduty import write_pagerduty

        written = write_pagerduty(
            out, incidents=incidents, log_entries=log_entries, seed=seed, page_size=page_size
        )
    else:
        from .scale_statuspage import write_statuspage

        written = write_statuspage(out, incidents=incidents, seed=seed, layout=layout.value)
    typer.echo(f"wrote {len(written)} file(s) under {out}")


def single_app() -> typer.Typer:
    """A Typer app whose only command is :func:`generate` (what ``python -m`` runs)."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    app.command()(generate)
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Run :func:`generate` as a program (``python -m toolkit.samplegen``); returns the exit code.

    As with ``incident-toolkit``, a user error prints one line on stderr and gives 2.
    """
    try:
        single_app()(args=list(argv) if argv is not None else None, prog_name="python -m toolkit.samplegen")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    except ToolkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
