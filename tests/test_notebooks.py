"""Notebooks are tested by executing them with papermill, as users render them."""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_explore_notebook_runs_on_the_sample(tmp_path):
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        ROOT / "notebooks" / "explore.ipynb",
        out,
        parameters={"data_dir": str(ROOT / "data" / "sample"), "workspace_dir": str(tmp_path / "ws")},
        cwd=str(ROOT / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
        shutdown_kernel="immediate",
    )
    nb = nbformat.read(out, as_version=4)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert errors == []
    printed = "".join(
        o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream"
    )
    # one summary line per sample export
    from toolkit.pipeline import sample_inputs

    assert printed.count(" sha256 ") == len(sample_inputs(ROOT / "data" / "sample"))
