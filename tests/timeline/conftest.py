"""The bundled sample, ingested once per test session, and its timeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.timeline.records import ingest_sample
from toolkit.timeline import Timeline
from toolkit.workspace import Workspace


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample-ws")
    ingest_sample(folder)
    return folder


@pytest.fixture(scope="session")
def sample(sample_dir: Path) -> Timeline:
    return Workspace(sample_dir).timeline()
