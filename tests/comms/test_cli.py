"""`incident-toolkit draft KIND INCIDENT_ID [--at] [--format] [--templates]`: output, formats, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.comms.conftest import PAYMENT, POLICY, SNAPSHOTS_DIR
from toolkit.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def test_prints_the_draft(sample_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        [
            "--policy",
            str(POLICY),
            "draft",
            "update",
            PAYMENT,
            "-w",
            str(sample_folder),
            "--at",
            "2025-01-15 10:30 PST",
        ],
        capsys,
    )
    assert (code, err) == (0, "")
    assert out == (SNAPSHOTS_DIR / "update-1030.slack.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "snapshot"),
    [("markdown", "declare-1005.markdown.txt"), ("slack", "declare-1005.slack.txt")],
)
def test_formats(sample_folder: Path, capsys: pytest.CaptureFixture[str], fmt: str, snapshot: str) -> None:
    args = ["--policy", str(POLICY), "draft", "declare", PAYMENT, "-w", str(sample_folder)]
    code, out, _ = run([*args, "--at", "2025-01-15T18:05:00Z", "--format", fmt], capsys)
    assert code == 0
    assert out == (SNAPSHOTS_DIR / snapshot).read_text(encoding="utf-8")


def test_templates_and_audience(
    sample_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "exec.j2").write_text("To {{ audience }}: {{ f.title }} ({{ f.phase }})\n", encoding="utf-8")
    code, out, _ = run(
        [
            "draft",
            "exec",
            PAYMENT,
            "-w",
            str(sample_folder),
            "--templates",
            str(tmp_path),
            "--audience",
            "Dana",
        ],
        capsys,
    )
    assert (code, out) == (0, "To Dana: Payment Service Outage (Resolved)\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["draft", "memo", PAYMENT], "unknown draft kind 'memo'; expected one of declare", id="kind"
        ),
        pytest.param(["draft", "update", "INC-nope"], "no incident 'INC-nope' in", id="incident"),
        pytest.param(["draft", "update", PAYMENT, "--at", "25:99"], "--at: expected a time like", id="time"),
        pytest.param(
            ["draft", "update", PAYMENT, "--format", "pdf"], "--format: expected one of slack", id="format"
        ),
        pytest.param(
            ["draft", "update", PAYMENT, "--templates", "/no/such"], "--templates: no folder", id="templates"
        ),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    sample_folder: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run([*args, "-w", str(sample_folder)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {message}")
    assert err.count("\n") == 1


def test_a_missing_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["draft", "update", PAYMENT, "-w", str(tmp_path / "none")], capsys)
    assert (code, err) == (
        2,
        f"error: no workspace at {tmp_path / 'none'} (ingest something first, or check --workspace)\n",
    )


def test_help_lists_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["draft", "--help"], capsys)
    assert code == 0
    for word in (
        "declare, update, statuspage, resolve, exec, customer, support, escalate or timeline",
        "--at",
        "--format",
        "--templates",
    ):
        assert word in " ".join(out.split())
