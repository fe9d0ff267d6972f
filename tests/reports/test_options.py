"""What the render command asks for, checked (and the command itself, end to end)."""

from datetime import date

import pytest

from toolkit.cli import main
from toolkit.reports.options import (
    RenderOptionError,
    executor_for,
    formats_from,
    incident_ids,
    report_incidents,
    since_from,
)
from toolkit.store import Workspace


def _cli(args, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def test_incident_ids_all_since_and_as_given(sample_ws):
    ws = Workspace(sample_ws)
    assert len(incident_ids(ws, [], every=True)) == 13  # one per linked incident, every source in it
    assert incident_ids(ws, [], every=True, since=date(2025, 2, 11)) == [
        "INC-2025-02-11-payment-webhooks",
        "INC-2025-02-13-api-gateway",
        "INC-2025-02-18-checkout",
        "INC-2025-02-19-sso",
    ]
    # any source's own id names its incident, once
    assert incident_ids(ws, ["PD-PE2Y7MF", "INC-2025-02-19-sso", "PD-P3XQ7LM"]) == [
        "INC-2025-02-19-sso",
        "INC-2025-01-06-search",
    ]


def test_report_incidents_are_the_linked_ones(sample_ws):
    found = report_incidents(Workspace(sample_ws))
    assert found.height == 13
    assert found["incident_id"].to_list()[:3] == [
        "INC-2025-01-06-search",
        "INC-2025-01-09-notifications",
        "INC-2025-01-15-payment",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(lambda ws: incident_ids(ws, []), "name incident ids or pass --all", id="neither"),
        pytest.param(lambda ws: incident_ids(ws, ["X"], every=True), "not both", id="both"),
        pytest.param(
            lambda ws: incident_ids(ws, ["INC-nope"]),
            r"no incident 'INC-nope' \(known ids include INC-2025-01-06-search, ",
            id="unknown-id",
        ),
        pytest.param(lambda ws: since_from("yesterday"), "--since: expected a date", id="bad-since"),
        pytest.param(lambda ws: formats_from("html,docx"), "--format: unknown format docx", id="bad-format"),
        pytest.param(
            lambda ws: executor_for("spark").__enter__(), "unknown executor 'spark'", id="bad-executor"
        ),
        pytest.param(
            lambda ws: executor_for(None, scheduler="tcp://x:1").__enter__(),
            "needs --executor dask",
            id="lone-scheduler",
        ),
    ],
)
def test_bad_options_are_user_errors(sample_ws, call, message):
    with pytest.raises(RenderOptionError, match=message):
        call(Workspace(sample_ws))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["render", "postmortem", "INC-nope"], "no incident 'INC-nope'", id="unknown-id"),
        pytest.param(
            ["render", "postmortem", "--all", "--since", "15/01"], "--since: expected a date", id="bad-date"
        ),
        pytest.param(
            ["render", "postmortem", "--all", "--format", "docx"],
            "--format: unknown format docx",
            id="bad-format",
        ),
        pytest.param(
            ["render", "review", "--end", "soon"], "--end: expected a date like 2025-02-19", id="bad-end"
        ),
        pytest.param(
            ["render", "postmortem", "--all", "--audience", "press"],
            "--audience: audience must be",
            id="bad-audience",
        ),
    ],
)
def test_cli_user_errors_are_one_line_and_exit_2(sample_ws, tmp_path, capsys, args, message):
    code, _, err = _cli([*args, "-w", str(sample_ws), "--out", str(tmp_path)], capsys)
    assert code == 2
    assert err.startswith("error: ")
    assert message in err
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_cli_renders_and_reports_each_failure_at_the_end(sample_ws, tmp_path, capsys, monkeypatch):
    import shutil

    ws = shutil.copytree(sample_ws, tmp_path / "ws")
    code, out, err = _cli(
        [
            "render",
            "postmortem",
            "PD-PE2Y7MF",
            "-w",
            str(ws),
            "--out",
            str(tmp_path / "out"),
            "--format",
            "html,md",
        ],
        capsys,
    )
    assert code == 0, err
    assert "postmortem INC-2025-02-19-sso: " in out  # named after the linked incident
    assert "postmortem-INC-2025-02-19-sso.html" in out
    assert "1 of 1 report(s) in " in out
    # a second run changes nothing; a broken notebook fails that report, named, with exit 1
    code, out, _ = _cli(
        ["render", "postmortem", "PD-PE2Y7MF", "-w", str(ws), "--out", str(tmp_path / "out")], capsys
    )
    assert code == 0
    assert "postmortem INC-2025-02-19-sso: unchanged: " in out
    broken = tmp_path / "nb"
    broken.mkdir()
    nb = (
        '{"cells": [{"cell_type": "code", "execution_count": null, "id": "a", "metadata": {"tags": ["parameters"]},'
        ' "outputs": [], "source": "incident_id = None"}, {"cell_type": "code", "execution_count": null, "id": "b",'
        ' "metadata": {}, "outputs": [], "source": "raise RuntimeError(incident_id)"}], "metadata": {"kernelspec":'
        ' {"display_name": "Python 3", "language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}'
    )
    (broken / "postmortem.ipynb").write_text(nb, encoding="utf-8")
    import importlib

    import toolkit.reports.locate as locate

    render_module = importlib.import_module("toolkit.reports.render")

    monkeypatch.setattr(render_module, "notebook_path", lambda kind: broken / "postmortem.ipynb")
    code, out, err = _cli(
        ["render", "postmortem", "PD-PE2Y7MF", "PD-P3XQ7LM", "-w", str(ws), "--out", str(tmp_path / "out")],
        capsys,
    )
    assert code == 1
    assert "0 of 2 report(s) in " in out
    assert err.splitlines() == [
        "failed: postmortem INC-2025-02-19-sso: cell 2 (raise RuntimeError(incident_id)): RuntimeError: INC-2025-02-19-sso",
        "failed: postmortem INC-2025-01-06-search: cell 2 (raise RuntimeError(incident_id)): "
        "RuntimeError: INC-2025-01-06-search",
    ]
    assert locate.notebook_path("postmortem").name == "postmortem.ipynb"


def test_cli_renders_a_review(sample_ws, tmp_path, capsys):
    code, _, err = _cli(
        [
            "render",
            "review",
            "--end",
            "2025-02-19",
            "--days",
            "14",
            "-w",
            str(sample_ws),
            "--out",
            str(tmp_path),
        ],
        capsys,
    )
    assert code == 0, err
    assert (tmp_path / "review-2025-02-19-14d.html").is_file()
