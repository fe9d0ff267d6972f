"""The bundled sample, ingested once per test session, and copies of it for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.pipeline import sample_inputs
from toolkit.store import Workspace

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"


def sample_workspace(factory: pytest.TempPathFactory) -> Path:
    """The sample ingested into a session-wide folder (built by the first caller)."""
    path = factory.getbasetemp() / "sample-workspace"
    if not (path / "imports").is_dir():
        ws = Workspace(path)
        for export in sample_inputs(SAMPLE):
            ws.ingest(export)
    return path


def copy_of(path: Path, dest: Path) -> Workspace:
    """A workspace of its own for one test: a copy of ``path``."""
    shutil.copytree(path, dest)
    return Workspace(dest)
