"""The README stays true: its commands and options exist, and its Python tour runs."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from toolkit.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _cli_lines() -> list[str]:
    return [
        line.strip()
        for block in _blocks("bash")
        for line in block.replace("\\\n", " ").splitlines()
        if line.strip().startswith("incident-toolkit ")
    ]


def _command_path(words: list[str]) -> list[str]:
    """The (sub)command words of ``incident-toolkit ...`` (``render postmortem``)."""
    path: list[str] = []
    for word in words:
        if word.startswith("-") or not re.fullmatch(r"[a-z]+", word):
            break
        if CliRunner().invoke(app, [*path, word, "--help"]).exit_code != 0:
            break
        path.append(word)
    return path


def test_the_readme_shows_every_command() -> None:
    shown = {shlex.split(line.split("  #")[0])[1] for line in _cli_lines()}
    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert commands - shown == set()


@pytest.mark.parametrize("line", _cli_lines())
def test_each_readme_command_and_its_options_exist(line: str) -> None:
    words = shlex.split(line.split("  #")[0])[1:]
    path = _command_path(words)
    assert path or words == ["--help"], line
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    named = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+|-[a-zA-Z])\b", line))
    missing = {o for o in named if o not in result.output} - {"--help"}
    assert missing == set(), f"{line}: {sorted(missing)} not in `{' '.join(path)} --help`"


def test_the_python_tour_runs(tmp_path: Path) -> None:
    """The tour runs as written in a folder with the sample's data/ and its workspace/."""
    (tmp_path / "data").symlink_to(ROOT / "data")
    (tour,) = [b for b in _blocks("python") if "import toolkit" in b]
    setup = (
        "import toolkit\n"
        "ws = toolkit.Workspace('workspace')\n"
        "for name in ('pagerduty', 'statuspage', 'postmortems'):\n"
        "    ws.ingest(f'data/sample/{name}')\n"
    )
    (tmp_path / "tour.py").write_text(setup + tour, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "tour.py"], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shutil.rmtree(tmp_path / "workspace")
