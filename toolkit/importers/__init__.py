"""Importers: one module per source, each turning a vendor export into tidy tables.

Every importer registers an :class:`Importer` with :func:`register` (a small registry,
as papermill does for its engines): a cheap ``sniff`` that scores how much a path looks
like its export (0 = not at all, 1 = certainly; a bool counts as 0 or 1), and a ``load``
that reads it. :func:`detect` picks the best score; a forced source whose sniffer says 0
is refused (:func:`check_forced`). :class:`~toolkit.store.Workspace` dispatches through
the registry, so a new source is one new folder here and nothing else learns its field
names.

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

from toolkit.errors import SourceMismatchError, UnknownSourceError
from toolkit.policy import Policy
from toolkit.schema import Source

__all__ = [
    "LABELS",
    "Importer",
    "Loaded",
    "check_forced",
    "detect",
    "get",
    "parse_source",
    "register",
    "registered",
    "scores",
]

LABELS: dict[Source, str] = {
    Source.slack: "Slack",
    Source.pagerduty: "PagerDuty",
    Source.statuspage: "Statuspage",
    Source.postmortem: "post-mortem",
    Source.manual: "manual",
}
"""How messages name each source ("does not look like a PagerDuty export")."""


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
    sniff: Callable[[Path], float | bool]
    load: LoadFn
    description: str

    @property
    def label(self) -> str:
        """The source's name for people."""
        return LABELS.get(self.source, self.source.value)


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
    """All importers, built-in ones included, in the order of :class:`~toolkit.schema.Source`."""
    _load_builtins()
    order = list(Source)
    return dict(sorted(_REGISTRY.items(), key=lambda kv: order.index(kv[0])))


def parse_source(name: Source | str) -> Source:
    """The source called ``name`` (case and surrounding spaces ignored).

    Examples
    --------
    >>> parse_source(" Slack ")
    <Source.slack: 'slack'>
    >>> parse_source("jira")
    Traceback (most recent call last):
    ...
    toolkit.errors.UnknownSourceError: unknown source 'jira'; choose one of slack, pagerduty, statuspage, postmortem
    """
    if isinstance(name, Source):
        return name
    try:
        return Source(str(name).strip().lower())
    except ValueError:
        raise UnknownSourceError(None, [s.value for s in registered()], name=str(name)) from None


def get(source: Source | str) -> Importer:
    """The importer for ``source`` (a name is read with :func:`parse_source`)."""
    importers = registered()
    src = parse_source(source)
    if src not in importers:
        raise UnknownSourceError(None, [s.value for s in importers], name=str(source))
    return importers[src]


def scores(path: Path) -> dict[Source, float]:
    """Every importer's sniff score for ``path`` (0..1); a sniffer that fails scores 0."""
    out: dict[Source, float] = {}
    for source, importer in registered().items():
        try:
            out[source] = float(importer.sniff(path))
        except Exception:  # a path a sniffer cannot read is not that sniffer's
            out[source] = 0.0
    return out


def detect(path: Path) -> Source:
    """Which source's export ``path`` is: the importer whose sniffer scores it highest.

    Raises
    ------
    UnknownSourceError
        No sniffer recognises it (every score is 0).
    """
    found = scores(path)
    best = max(found, key=lambda s: found[s], default=None)
    if best is None or found[best] <= 0:
        raise UnknownSourceError(path, [s.value for s in found])
    return best


def check_forced(path: Path, source: Source) -> None:
    """Refuse a forced ``source`` whose sniffer says ``path`` is not its export.

    Raises
    ------
    SourceMismatchError
        Naming what the path looks like instead (or that nothing recognises it).
    """
    if path.is_dir() and not any(p.is_file() and not p.name.startswith(".") for p in path.rglob("*")):
        return  # nothing to judge: the import will read nothing and say so
    found = scores(path)
    if found.get(source, 0.0) > 0:
        return
    best = max(found, key=lambda s: found[s], default=None)
    looks_like = LABELS.get(best, best.value) if best is not None and found[best] > 0 else None
    raise SourceMismatchError(path, LABELS.get(source, source.value), looks_like)
