"""When a report can be skipped: a content hash of everything that goes into it.

The fingerprint of a report covers the notebook's bytes, the template folder's bytes,
the parameters, the toolkit's version and source, the default and the given policy
files, the versions of the libraries that shape the output, and a coarse
fingerprint of the workspace (each import's id, sha256 and time from ``ws.imports()``,
and the length and last entry of the edit audit trail, ``ws.audit()``). Any change to
what a report reads changes it; re-ingesting identical exports does not. Each written
report records its fingerprint and the sha256 of every output file in
``<out_dir>/.render/<name>.json``; a report is skipped only when both still match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from toolkit._version import __version__

__all__ = ["STATE_DIR", "fingerprint", "is_current", "record", "tree_digest", "workspace_digest"]

STATE_DIR = ".render"
"""Folder under the output folder holding each report's fingerprint and output hashes."""

_TOOLKIT = Path(__file__).resolve().parents[1]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_digest(path: Path, *, suffixes: Iterable[str] | None = None) -> str:
    """SHA-256 of a file, or of a folder's files (relative paths and bytes, sorted)."""
    h = hashlib.sha256()
    if path.is_file():
        h.update(path.read_bytes())
        return h.hexdigest()
    wanted = tuple(suffixes) if suffixes is not None else None
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = f.relative_to(path).as_posix()
        if "__pycache__" in rel or (wanted is not None and not rel.endswith(wanted)):
            continue
        h.update(rel.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


_LIBRARIES = ("papermill", "nbconvert", "nbformat", "plotly", "polars", "kaleido", "playwright", "jinja2")


@lru_cache(maxsize=1)
def _toolkit_digest() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from toolkit.policy import DEFAULT_POLICY_PATH

    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}=-")
    code = tree_digest(_TOOLKIT, suffixes=(".py", ".toml", ".j2", ".json"))
    return ":".join([__version__, code, tree_digest(Path(DEFAULT_POLICY_PATH)), *versions])


def workspace_digest(workspace: Path) -> str:
    """A coarse fingerprint of a workspace's data: its imports and its edit audit trail."""
    from toolkit.store import Workspace

    ws = Workspace(workspace)
    imports = ws.imports().select("import_id", "sha256", "imported_at", "rows").rows()
    audit = ws.audit()
    last = audit.row(audit.height - 1) if audit.height else None
    return _sha(orjson.dumps({"imports": imports, "audit": [audit.height, last]}))


def fingerprint(
    *,
    notebook: Path,
    templates: Path,
    parameters: Mapping[str, Any],
    workspace_state: str,
    policy: Path | None = None,
) -> str:
    """The content hash of one report (see the module docstring for what it covers)."""
    parts = {
        "notebook": tree_digest(notebook),
        "templates": tree_digest(templates),
        "parameters": dict(sorted(parameters.items())),
        "toolkit": _toolkit_digest(),
        "workspace": workspace_state,
        "policy": tree_digest(policy) if policy is not None and policy.is_file() else None,
    }
    return _sha(orjson.dumps(parts, default=str, option=orjson.OPT_SORT_KEYS))


def _state_file(out_dir: Path, name: str) -> Path:
    return out_dir / STATE_DIR / f"{name}.json"


def is_current(out_dir: Path, name: str, fp: str, paths: Mapping[str, Path]) -> bool:
    """Whether every output in ``paths`` was written from fingerprint ``fp`` and is unchanged."""
    state_file = _state_file(out_dir, name)
    if not state_file.is_file():
        return False
    try:
        state = orjson.loads(state_file.read_bytes())
    except orjson.JSONDecodeError:
        return False
    outputs = state.get("outputs", {})
    for fmt, path in paths.items():
        seen = outputs.get(fmt)
        if not seen or seen.get("fingerprint") != fp or not path.is_file():
            return False
        if seen.get("sha256") != _sha(path.read_bytes()):
            return False
    return True


def record(out_dir: Path, name: str, fp: str, paths: Mapping[str, Path]) -> None:
    """Remember that ``paths`` were written from fingerprint ``fp`` (other formats kept)."""
    state_file = _state_file(out_dir, name)
    state_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        state = orjson.loads(state_file.read_bytes()) if state_file.is_file() else {}
    except orjson.JSONDecodeError:
        state = {}
    outputs = dict(state.get("outputs", {}))
    for fmt, path in paths.items():
        outputs[fmt] = {"fingerprint": fp, "sha256": _sha(path.read_bytes())}
    tmp = state_file.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps({"outputs": outputs}, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    tmp.replace(state_file)
