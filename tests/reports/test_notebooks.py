"""The report notebooks under nbval: they run top to bottom, from any working directory,
with their default parameters, and give the same output every time (volatile parts sanitised).

Each notebook is executed once as JupyterLab would (nbclient, no papermill) to make the
reference outputs; nbval then runs the executed copy again in a fresh kernel and compares
every output with it.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from toolkit.reports.locate import NOTEBOOKS

HERE = Path(__file__).resolve().parent


PRINTS = {"action_items.ipynb": 1}  # the follow-through summary, printed beside its table


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["postmortem.ipynb", "review_30d.ipynb", "explore.ipynb", "action_items.ipynb"]
)
def test_notebook_runs_and_reproduces_its_outputs(sample_ws, tmp_path, monkeypatch, name):
    from nbclient import NotebookClient

    monkeypatch.setenv("INCIDENT_TOOLKIT_WORKSPACE", str(sample_ws))
    monkeypatch.chdir(tmp_path)  # not the notebook's folder, not the repository
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(
        nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert sum(o.output_type == "stream" for o in outputs) == PRINTS.get(name, 0)
    assert len(outputs) == sum(c.cell_type == "code" for c in nb.cells) - 1 + PRINTS.get(
        name, 0
    )  # every cell but the parameters shows one
    reference = tmp_path / name
    nbformat.write(nb, reference)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(HERE / "nbval_sanitize.cfg"),
            str(reference),
        ],
        cwd=tmp_path,
        env={**os.environ, "INCIDENT_TOOLKIT_WORKSPACE": str(sample_ws)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"{sum(c.cell_type == 'code' for c in nb.cells)} passed" in run.stdout
