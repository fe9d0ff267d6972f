"""The bundled sample, ingested once per test session, under the Acme team's policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.timeline.records import ingest_sample
from toolkit.comms import draft
from toolkit.policy import Policy
from toolkit.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "comms"
POLICY = FIXTURES / "acme-policy.toml"
SNAPSHOTS_DIR = Path(__file__).parent / "snapshots"
PAYMENT = "INC-2025-01-15-payment"
"""The seed's own incident: declared 10:05 PST, updates every 15 min, rollback 10:18-10:23, resolved 12:15."""


@pytest.fixture(scope="session")
def sample_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("comms-ws")
    ingest_sample(folder)
    return folder


@pytest.fixture(scope="session")
def acme() -> Policy:
    return Policy.load(POLICY)


@pytest.fixture(scope="session")
def ws(sample_folder: Path, acme: Policy) -> Workspace:
    """The sample workspace read with the Acme policy (the store is not written to)."""
    return Workspace(sample_folder, policy=acme)


@pytest.fixture(scope="session")
def plain_ws(sample_folder: Path) -> Workspace:
    """The sample workspace under the shipped policy (no [comms] values set)."""
    return Workspace(sample_folder)


@pytest.fixture
def write(ws: Workspace) -> Callable[..., str]:
    """``write(kind, at=None, incident=PAYMENT, **kw)``: a draft of the sample."""

    def make(kind: str, at: str | None = None, incident: str = PAYMENT, **kw: object) -> str:
        return draft(kind, incident, workspace=ws, at=at, **kw)  # type: ignore[arg-type]

    return make
