"""Importers: one module per source, each turning a vendor export into tidy tables.

Every importer registers an :class:`Importer` with :func:`register` (a small registry,
as papermill does for its engines): a cheap ``sniff`` that says whether a path looks like
its export, and a ``load`` that reads it. :class:`~toolkit.store.Workspace` dispatches
through the registry, so a new source is one new module here and nothing else learns its
field names.

A loader's result is a frozen dataclass of polars DataFrames that also satisfies
:class:`Loaded`: ``.rejected`` (bad records kept aside), ``.notes`` (warnings for the
import report) and ``.tables()`` (the workspace tables of :mod:`toolkit.schema` it fills).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import polars as pl

from toolkit.errors import UnknownSourceError
from toolkit.policy import Policy
from toolkit.schema import Source

__all__ = ["Importer", "Loaded", "detect", "get", "register", "registered"]


@runtime_checkable
class Loaded(Protocol):
    """What every loader returns, besides its own source-specific frames."""

    @property
    def rejected(self) -> pl.DataFrame:
        """Bad records, in the ``rejected`` schema."""
        ...

    @property
    def notes(self) -> tuple[str, ...]:
        """Warnings worth a line in the import report (e.g. 'users.json missing')."""
        ...

    def tables(self) -> Mapping[str, pl.DataFrame]:
        """The workspace tables this export fills, keyed by schema table name."""
        ...


class LoadFn(Protocol):
    def __call__(self, path: Path, *, strict: bool, policy: Policy) -> Loaded: ...


@dataclass(frozen=True)
class Importer:
    """A registered source: how to recognise its exports and how to load one."""

    source: Source
    sniff: Callable[[Path], bool]
    load: LoadFn
    description: str


_REGISTRY: dict[Source, Importer] = {}

# Built-in importers, imported on first use so that `import toolkit` stays fast.
_BUILTIN: dict[Source, str] = {
    Source.slack: "toolkit.importers.slack",
    Source.pagerduty: "toolkit.importers.pagerduty",
    Source.statuspage: "toolkit.importers.statuspage",
    Source.postmortem: "toolkit.importers.postmortem",
}


def register(importer: Importer) -> Importer:
    """Add (or replace) the importer for ``importer.source``; returns it."""
    _REGISTRY[importer.source] = importer
    return importer


def _load_builtins() -> None:
    for source, module in _BUILTIN.items():
        if source not in _REGISTRY:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise


def registered() -> dict[Source, Importer]:
    """All importers, built-in ones included."""
    _load_builtins()
    return dict(_REGISTRY)


def get(source: Source | str) -> Importer:
    """The importer for ``source``."""
    importers = registered()
    try:
        return importers[Source(source)]
    except (KeyError, ValueError):
        raise UnknownSourceError(f"source {source!r}", [s.value for s in importers]) from None


def detect(path: Path) -> Source:
    """Which source's export ``path`` is, by asking each importer's ``sniff``."""
    importers = registered()
    for source, importer in importers.items():
        if importer.sniff(path):
            return source
    raise UnknownSourceError(path, [s.value for s in importers])
