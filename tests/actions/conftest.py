"""Fixtures for the action-item tests: a fresh copy of the ingested sample per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.actions._sample import copy_of, sample_workspace
from toolkit.store import Workspace


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_workspace(tmp_path_factory)


@pytest.fixture
def ws(sample_dir: Path, tmp_path: Path) -> Workspace:
    return copy_of(sample_dir, tmp_path / "ws")
