import os
import subprocess
import sys
from pathlib import Path

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
    (tmp_path / "ws" / "imports").mkdir(parents=True)
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


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (
            ["ingest", "--source", "jira", str(SAMPLE / "pagerduty")],
            2,
            "error: unknown source 'jira'; choose one of slack, pagerduty, statuspage, postmortem\n",
        ),
        (
            ["ingest", "--source", "pagerduty", str(SAMPLE / "statuspage")],
            2,
            f"error: {SAMPLE / 'statuspage'}: does not look like a PagerDuty export (it looks like Statuspage); "
            "drop --source or pick the right one\n",
        ),
        (
            ["ingest", "--source", "slack", str(SAMPLE / "postmortems")],
            2,
            f"error: {SAMPLE / 'postmortems'}: does not look like a Slack export (it looks like post-mortem); "
            "drop --source or pick the right one\n",
        ),
    ],
    ids=["unknown-source", "wrong-source-pagerduty", "wrong-source-slack"],
)
def test_wrong_source_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, args, code, stderr):
    ws = tmp_path / "ws"
    got, _, err = run([*args, "-w", str(ws)], capsys)
    assert (got, err) == (code, stderr)
    assert not (ws / "imports").exists() or not any((ws / "imports").iterdir())


def test_source_names_are_case_insensitive(tmp_path, capsys):
    code, out, err = run(
        ["ingest", "--source", "PagerDuty", str(SAMPLE / "pagerduty"), "-w", str(tmp_path / "ws")], capsys
    )
    assert (code, err) == (0, "")
    assert "[pagerduty] imported" in out


def test_an_export_that_yields_nothing_exits_1_with_a_reason(tmp_path, capsys):
    empty = tmp_path / "postmortems"
    empty.mkdir()
    code, out, err = run(["ingest", "--source", "postmortem", str(empty), "-w", str(tmp_path / "ws")], capsys)
    assert code == 1
    assert "[postmortem] empty: no rows; 0 rejected" in out
    assert err == f"error: {empty}: nothing was read (no records found); check the path and --source\n"


def test_some_rejected_records_exit_0_with_a_warning(tmp_path, capsys, fake_importer):
    f = write_fake(tmp_path / "a.fake", [["INC-1", 0, "alert"], "junk"])
    code, _, err = run(["ingest", str(f), "-w", str(tmp_path / "ws")], capsys)
    assert code == 0
    assert err.startswith(f"warning: {f}: 1 record(s) rejected and kept aside")


def test_everything_rejected_exits_1(tmp_path, capsys, fake_importer):
    f = write_fake(tmp_path / "a.fake", ["junk", "more junk"])
    code, out, err = run(["ingest", str(f), "-w", str(tmp_path / "ws")], capsys)
    assert code == 1
    assert "[manual] empty: no rows; 2 rejected" in out
    assert "nothing was read (all 2 records rejected)" in err


@pytest.mark.parametrize("command", ["incidents", "tables"])
def test_read_commands_on_a_mistyped_workspace_exit_2_and_create_nothing(tmp_path, capsys, command):
    code, _, err = run([command, "-w", str(tmp_path / "wrokspace")], capsys)
    assert code == 2
    assert (
        err
        == f"error: no workspace at {tmp_path / 'wrokspace'} (ingest something first, or check --workspace)\n"
    )
    assert not (tmp_path / "wrokspace").exists()


def test_help_shows_real_defaults_and_flag_names(capsys):
    code, out, _ = run(["ingest", "--help"], capsys)
    assert code == 0
    assert "<bool>" not in out
    assert "--strict" in out
    assert "--no-strict" not in out
    assert "[default: $INCIDENT_TOOLKIT_WORKSPACE or ./workspace]" in " ".join(out.split())
    assert "[default: detected per path]" in " ".join(out.split())


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory):
    from tests.timeline.records import ingest_sample

    folder = tmp_path_factory.mktemp("cli-sample")
    ingest_sample(folder)
    return str(folder)


def test_incidents_are_linked_with_their_sources(sample_ws, capsys):
    code, out, _ = run(["incidents", "--json", "-w", sample_ws], capsys)
    rows = orjson.loads(out)
    assert code == 0
    assert len(rows) == 13
    pay = next(r for r in rows if r["incident_id"] == "INC-2025-01-15-payment")
    assert pay["sources"] == ["slack", "pagerduty", "statuspage", "postmortem"]
    assert pay["started_at"] == "2025-01-15T18:00:00Z"
    code, out, _ = run(["incidents", "--per-source", "-w", sample_ws], capsys)
    assert "36 incident record(s)" in out


def test_metrics_json_and_table(sample_ws, capsys):
    code, out, _ = run(["metrics", "--json", "--incident", "INC-2025-01-15-payment", "-w", sample_ws], capsys)
    assert code == 0
    doc = orjson.loads(out)
    assert [i["incident_id"] for i in doc["incidents"]] == ["INC-2025-01-15-payment"]
    assert doc["incidents"][0]["cadence"]["internal"]["compliance"] == 1.0
    code, out, _ = run(["metrics", "--group-by", "service", "--since", "2025-02-01", "-w", sample_ws], capsys)
    assert code == 0
    assert "2h 18m" in out  # the 2025-02-11 webhook delays, 09:12 -> 11:30 PST
    assert "Definitions" in out


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["--incident", "INC-nope"],
            "error: --incident: no incident 'INC-nope'; known ids include INC-2025-01-06-search",
        ),
        (["--since", "15/01/2025"], "error: --since: expected a date like 2025-01-15, got '15/01/2025'"),
        (
            ["--group-by", "team"],
            "error: --group-by: expected one of severity, service, component, month, got 'team'",
        ),
    ],
    ids=["unknown-incident", "bad-date", "bad-group"],
)
def test_metrics_bad_arguments_are_one_line_exit_2(sample_ws, capsys, args, stderr):
    code, _, err = run(["metrics", *args, "-w", sample_ws], capsys)
    assert code == 2
    assert err.startswith(stderr)
    assert err.count("\n") == 1


def test_metrics_without_a_workspace(tmp_path, capsys):
    code, _, err = run(["metrics", "-w", str(tmp_path / "nowhere")], capsys)
    assert (code, err) == (
        2,
        f"error: no workspace at {tmp_path / 'nowhere'} (ingest something first, or check --workspace)\n",
    )
