"""tasks.py: the two README commands' set-up step reinstalls only when it must."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def tasks(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    monkeypatch.setattr(mod, "VENV", venv)
    monkeypatch.setattr(mod, "PY", venv / "bin" / "python")
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(mod, "_run", lambda *cmd: calls.append(tuple(map(str, cmd))) or 0)
    mod.calls = calls
    return mod


def test_dev_includes_test(tasks):
    assert tasks._implied("dev") == {"dev", "test"}
    assert tasks._implied("") == set()


def test_demo_after_test_installs_nothing_and_test_after_demo_does(tasks):
    tasks.ensure_venv("dev")
    assert len(tasks.calls) == 2  # pip upgrade, then the install
    tasks.ensure_venv("")  # demo after test: a superset is installed
    tasks.ensure_venv("test")
    assert len(tasks.calls) == 2
    stamps = sorted(p.name for p in tasks.VENV.glob(".installed-*"))
    assert len(stamps) == 1
    assert stamps[0].endswith("-dev+test")


def test_a_core_install_is_extended_when_extras_are_needed(tasks):
    tasks.ensure_venv("")
    tasks.ensure_venv("dev")
    assert [c[-1] for c in tasks.calls] == ["pip", ".", "pip", ".[dev]"]


def test_a_changed_pyproject_reinstalls(tasks, tmp_path, monkeypatch):
    tasks.ensure_venv("dev")
    stamp = next(tasks.VENV.glob(".installed-*"))
    stamp.rename(stamp.with_name(".installed-0000000000000000-dev+test"))
    tasks.ensure_venv("dev")
    assert len(tasks.calls) == 4
    assert sys.version_info >= (3, 11)
