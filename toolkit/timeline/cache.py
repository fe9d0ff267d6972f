"""The timeline on disk: built once per workspace state, read back in milliseconds.

::

    workspace/
      .cache/timeline-<state>-<policy>/   one Parquet file per frame + meta.json
      timeline-ids.parquet                the id given to each record (source, ref, incident_id)

``<state>`` is :meth:`toolkit.store.Workspace.state` (it changes with every import and
edit) and ``<policy>`` a hash of the policy, the toolkit version and the frames' schemas,
so a change to any of them builds anew. A cache folder is written beside its final name and renamed into
place, so a reader never sees half of one; older ones are removed. ``timeline-ids`` is
not a cache: it is how an incident keeps its id when a new source joins it
(:mod:`toolkit.timeline.ids`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import orjson
import polars as pl

from toolkit._version import __version__
from toolkit.policy import Policy
from toolkit.timeline.model import FRAMES, SCHEMAS, Timeline

__all__ = ["PINS", "key", "load", "read_pins", "save", "write_pins"]

PINS = "timeline-ids.parquet"
_PIN_SCHEMA = {"source": pl.String, "ref": pl.String, "incident_id": pl.String}


def _canonical(value: object) -> object:
    """``value`` as plain data that prints the same in every process (sets sorted: their
    order, like their ``repr``, changes with each interpreter's string hashing)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted(repr(_canonical(v)) for v in value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, re.Pattern):
        return value.pattern
    return value if isinstance(value, str | int | float | bool | None) else repr(value)


def key(state: str, policy: Policy) -> str:
    """The cache folder's name for a workspace state under a policy (the same in every process)."""
    layout = {name: {c: str(d) for c, d in schema.items()} for name, schema in SCHEMAS.items()}
    text = orjson.dumps([__version__, layout, _canonical(policy)], option=orjson.OPT_SORT_KEYS)
    return f"timeline-{state}-{hashlib.sha256(text).hexdigest()[:12]}"


def load(root: Path, name: str) -> Timeline | None:
    """The cached timeline ``root/.cache/<name>``, or None when there is none (or it is unreadable)."""
    folder = root / ".cache" / name
    meta_file = folder / "meta.json"
    if not meta_file.is_file():
        return None
    try:
        meta = orjson.loads(meta_file.read_bytes())
        frames = {f: pl.read_parquet(folder / f"{f}.parquet") for f in FRAMES}
    except (OSError, orjson.JSONDecodeError, pl.exceptions.ComputeError):
        return None
    if any(dict(frames[f].schema) != dict(SCHEMAS[f]) for f in FRAMES):
        return None
    as_of = datetime.fromisoformat(meta["as_of"]) if meta.get("as_of") else None
    return Timeline(**frames, as_of=as_of, notes=tuple(meta.get("notes", ())))


def save(root: Path, name: str, timeline: Timeline) -> None:
    """Write ``timeline`` as ``root/.cache/<name>`` (atomically) and remove older timelines."""
    cache = root / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f".{name}.{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        for f, df in timeline.frames().items():
            df.write_parquet(tmp / f"{f}.parquet", statistics=False)
        meta = {
            "as_of": timeline.as_of.isoformat() if timeline.as_of else None,
            "notes": list(timeline.notes),
        }
        (tmp / "meta.json").write_bytes(orjson.dumps(meta))
        final = cache / name
        if final.exists():  # unreadable (load found nothing): replace it
            shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in cache.glob("timeline-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)


def read_pins(root: Path) -> pl.DataFrame:
    """The ids given before (``source, ref, incident_id``); empty when there are none."""
    path = root / PINS
    if not path.is_file():
        return pl.DataFrame(schema=_PIN_SCHEMA)
    return pl.read_parquet(path).select(list(_PIN_SCHEMA))


def write_pins(root: Path, links: pl.DataFrame, before: pl.DataFrame) -> None:
    """Remember the id of every record not remembered yet (a record keeps its first id)."""
    new = links.select("source", "ref", "incident_id").join(before, on=["source", "ref"], how="anti")
    if not new.height:
        return
    path = root / PINS
    tmp = path.with_name(f".{PINS}.{uuid.uuid4().hex}")
    pl.concat([before, new]).sort("source", "ref").write_parquet(tmp)
    tmp.replace(path)
