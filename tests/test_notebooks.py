"""Notebooks are tested by executing them with papermill, as users render them.

The report notebooks (and explore.ipynb on the sample workspace) also run under nbval in
``tests/reports/test_notebooks.py``; here explore.ipynb fills an empty workspace first.
"""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_explore_notebook_fills_an_empty_workspace_and_tours_it(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_TOOLKIT_NO_PROGRESS", "1")  # the ingest's bars are widgets in a kernel
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        ROOT / "notebooks" / "explore.ipynb",
        out,
        parameters={"data_dir": str(ROOT / "data" / "sample"), "workspace": str(tmp_path / "ws")},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
        shutdown_kernel="immediate",
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert [o for o in outputs if o.output_type in ("error", "stream")] == []
    shown = [o.get("data", {}).get("text/plain", "") for o in outputs]
    assert "'incidents': (36, 25)" in shown[0], shown[:3]  # every source's own records, before linking
    assert shown[1].startswith("shape: (13, 7)"), shown[:3]  # one row per linked incident
    assert (tmp_path / "ws" / "imports").is_dir()
