"""One generator command: ``incident-toolkit generate`` and ``python -m toolkit.samplegen``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
import typer.main
from typer.testing import CliRunner

from toolkit import cli
from toolkit.samplegen import DEFAULT_SEED
from toolkit.samplegen.command import generate, main, single_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _params(command: object) -> list[tuple[str | None, tuple[str, ...], object]]:
    params = command.params  # type: ignore[attr-defined]
    return [(p.name, tuple(p.opts) + tuple(p.secondary_opts), p.default) for p in params]


def test_the_cli_runs_the_samplegen_command_itself() -> None:
    group = typer.main.get_command(cli.app)
    alone = typer.main.get_command(single_app())
    assert _params(group.commands["generate"]) == _params(alone)  # type: ignore[attr-defined]
    seed = next(d for name, _, d in _params(alone) if name == "seed")
    assert seed == DEFAULT_SEED == 20250115
    registered = [c for c in cli.app.registered_commands if c.name == "generate"]
    assert [c.callback for c in registered] == [generate]


def test_python_m_writes_the_committed_sample(tmp_path: Path) -> None:
    """The default seed is the committed sample's: regenerating needs no option."""
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit.samplegen", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stdout.strip()) == (0, f"wrote 9 file(s) under {tmp_path}")
    assert tree(tmp_path) == tree(SAMPLE)


def test_incident_toolkit_generate_is_the_same_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["generate", str(tmp_path / "a")])
    assert (result.exit_code, result.output.strip()) == (0, f"wrote 9 file(s) under {tmp_path / 'a'}")
    assert main([str(tmp_path / "b")]) == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b") == tree(SAMPLE)


def test_big_exports(tmp_path: Path) -> None:
    """The options reach the benchmark generators: exact counts, files laid out as asked."""
    slack = tmp_path / "slack"
    assert main([str(slack), "--kind", "slack", "--messages", "300", "--channels", "6", "--no-zip"]) == 0
    days = [p for p in slack.rglob("*.json") if p.parent != slack]
    assert sum(len(orjson.loads(p.read_bytes())) for p in days) == 300
    assert len(orjson.loads((slack / "channels.json").read_bytes())) == 6
    pd = tmp_path / "pd"
    assert (
        main(
            [
                str(pd),
                "--kind",
                "pagerduty",
                "--incidents",
                "120",
                "--log-entries",
                "300",
                "--page-size",
                "50",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in pd.iterdir()) == [
        *(f"incidents-{n:05d}.json" for n in (1, 2, 3)),
        *(f"log_entries-{n:05d}.json" for n in range(1, 7)),
    ]
    sp = tmp_path / "sp"
    assert main([str(sp), "--kind", "statuspage", "--incidents", "60", "--layout", "single"]) == 0
    assert len(list((sp / "incidents").glob("*.json"))) == 60


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "jira"], "'jira' is not one of"),
        (["--kind", "slack", "--messages", "0"], "Input should be greater than or equal to 1"),
        (["--layout", "tree"], "'tree' is not one of"),
        ([], "Missing argument 'out'"),
    ],
    ids=["unknown-kind", "no-messages", "unknown-layout", "no-out"],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    out = [str(tmp_path)] if args else []
    for command in (
        [sys.executable, "-m", "toolkit.samplegen", *out, *args],
        [sys.executable, "-m", "toolkit.cli", "generate", *out, *args],
    ):
        proc = subprocess.run(
            command, capture_output=True, text=True, check=False, env={"COLUMNS": "200", **_env()}
        )
        assert proc.returncode == 2, command
        assert message in proc.stderr, proc.stderr


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}


def test_importing_the_cli_reads_no_scenario() -> None:
    code = (
        "import sys, toolkit.cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('polars', 'toolkit.samplegen.'))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "['toolkit.samplegen._util', 'toolkit.samplegen.command']"
