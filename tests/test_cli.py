import os
import subprocess
import sys

import orjson
import pytest

from tests.conftest import write_fake
from toolkit.cli import main


def run(args, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def test_user_error_is_one_line_exit_2_no_traceback(tmp_path, capsys):
    code, _, err = run(
        ["ingest", str(tmp_path / "missing.json"), "--workspace", str(tmp_path / "ws")], capsys
    )
    assert code == 2
    assert (
        err
        == f"error: {tmp_path / 'missing.json'}: no such file or folder; check the path you passed to ingest\n"
    )
    assert "Traceback" not in err


def test_verbose_shows_the_traceback(tmp_path, capsys):
    code, _, err = run(
        ["--verbose", "ingest", str(tmp_path / "missing.json"), "-w", str(tmp_path / "ws")], capsys
    )
    assert code == 2
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().endswith("check the path you passed to ingest")


def test_usage_error_exits_2(capsys):
    code, _, err = run(["no-such-command"], capsys)
    assert code == 2
    assert "No such command 'no-such-command'" in err


def test_bad_policy_is_a_user_error(tmp_path, capsys):
    bad = tmp_path / "p.toml"
    bad.write_text("[decision]\nsev2_percent_users = 500\n")
    code, _, err = run(["--policy", str(bad), "tables", "-w", str(tmp_path / "ws")], capsys)
    assert code == 2
    assert err == f"error: {bad}: key 'decision.sev2_percent_users': must be between 0 and 100, got 500\n"


def test_ingest_tables_and_incidents(tmp_path, capsys, fake_importer):
    f = write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"], "junk"])
    ws = str(tmp_path / "ws")
    code, out, _ = run(["ingest", str(f), "-w", ws], capsys)
    assert code == 0
    assert "[manual] imported: 1 events, 1 links; 1 rejected" in out
    assert f"rejected: {f}: record 1 field 'minute': expected [incident_id, minute, text]" in out
    code, out, _ = run(["tables", "-w", ws], capsys)
    assert code == 0
    assert "events" in out
    assert "links" in out
    code, out, _ = run(["incidents", "--json", "-w", ws], capsys)
    assert code == 0
    assert orjson.loads(out) == []


def test_workspace_env_var(tmp_path, capsys, fake_importer, monkeypatch):
    monkeypatch.setenv("INCIDENT_TOOLKIT_WORKSPACE", str(tmp_path / "envws"))
    f = write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"]])
    code, _, _ = run(["ingest", str(f)], capsys)
    assert code == 0
    assert (tmp_path / "envws" / "edits.sqlite").exists()


def test_console_script_runs_and_import_is_lazy(tmp_path):
    env = {**os.environ, "INCIDENT_TOOLKIT_NO_PROGRESS": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "incidents", "--json", "-w", str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (proc.returncode, proc.stdout.strip()) == (0, "[]")
    heavy = ["polars", "pandas", "plotly", "ipywidgets", "papermill", "nbconvert", "pyarrow"]
    code = f"import sys, toolkit; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
