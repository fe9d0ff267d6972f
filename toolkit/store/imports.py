"""Imported tables as Parquet: one folder per import, written atomically, with a manifest.

::

    imports/<source>-<sha256[:16]>/
      manifest.json        file, sha256, source, counts, notes, when, toolkit version
      <table>.parquet      each table the export fills (read in place by DuckDB/Spark)
      rejected.parquet     records the importer could not read, kept aside

Everything is written to ``.staging/`` first and moved into place with one rename; an
import that supersedes older ones (the same bytes, or the same path and source) moves
them aside first and puts them back if the rename fails.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from toolkit.schema import Source

__all__ = ["commit", "import_dirs", "manifest", "sha256_of", "table_files"]


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, or of a folder (its files' relative paths and bytes, sorted)."""
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        if path.is_dir():
            rel = f.relative_to(path).as_posix()
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            h.update(rel.encode() + b"\0")
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def manifest(folder: Path) -> dict[str, Any]:
    """An import folder's manifest."""
    data: dict[str, Any] = orjson.loads((folder / "manifest.json").read_bytes())
    return data


def import_dirs(root: Path) -> list[Path]:
    """The import folders under ``root/imports``, oldest import first (later ones win on keys)."""
    imports = root / "imports"
    if not imports.is_dir():
        return []
    dirs = [d for d in imports.iterdir() if (d / "manifest.json").exists()]
    return sorted(dirs, key=lambda d: (manifest(d).get("imported_at", ""), d.name))


def table_files(root: Path, name: str) -> list[Path]:
    """Every import's Parquet file of table ``name``, oldest import first."""
    return [d / f"{name}.parquet" for d in import_dirs(root) if (d / f"{name}.parquet").exists()]


def commit(
    root: Path,
    import_id: str,
    source: Source,
    tables: Mapping[str, pl.DataFrame],
    rejected: pl.DataFrame,
    manifest_data: Mapping[str, Any],
) -> str:
    """Write one import atomically; returns ``"replaced"`` or ``"imported"``."""
    staging = root / ".staging" / f"{import_id}-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    (root / "imports").mkdir(exist_ok=True)
    try:
        for name, df in tables.items():
            df.write_parquet(staging / f"{name}.parquet")
        rejected.write_parquet(staging / "rejected.parquet")
        (staging / "manifest.json").write_bytes(orjson.dumps(manifest_data, option=orjson.OPT_INDENT_2))
        path = manifest_data.get("path")
        superseded = [
            d
            for d in import_dirs(root)
            if d.name == import_id
            or (d.name.startswith(f"{source.value}-") and manifest(d).get("path") == path)
        ]
        trash = root / ".trash" / uuid.uuid4().hex
        trash.mkdir(parents=True)
        for d in superseded:
            d.rename(trash / d.name)
        try:
            staging.rename(root / "imports" / import_id)
        except BaseException:
            for d in superseded:  # put the previous state back
                (trash / d.name).rename(root / "imports" / d.name)
            raise
        shutil.rmtree(trash, ignore_errors=True)
        return "replaced" if superseded else "imported"
    finally:
        shutil.rmtree(staging, ignore_errors=True)
