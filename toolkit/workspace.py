"""The analyst's workspace: the store's tables plus the timeline that links them.

:class:`Workspace` is :class:`toolkit.store.Workspace` (imports, edits, tables) with
:meth:`~Workspace.timeline` — every source linked into one incident per real incident —
and the edits that steer linking: :meth:`~Workspace.link`, :meth:`~Workspace.unlink`,
:meth:`~Workspace.rename_incident`. ``toolkit.Workspace`` is this class.

Examples
--------
>>> import tempfile
>>> ws = Workspace(tempfile.mkdtemp() + "/ws")
>>> _ = ws.ingest("data/sample/pagerduty")
>>> ws.incidents()["incident_id"].to_list()[:2]
['INC-2025-01-06-search', 'INC-2025-01-09-notifications']
>>> ws.rename_incident("PD-P8N2KRT", "INC-2025-01-09-email-queue", actor="dave")
>>> ws.timeline().linked_id("INC-2025-01-09-notifications")
'INC-2025-01-09-email-queue'
"""

from __future__ import annotations

import polars as pl

from toolkit import store
from toolkit.errors import ArgumentError
from toolkit.timeline import Timeline
from toolkit.timeline import cache as timeline_cache
from toolkit.timeline.build import build, tables_of

__all__ = ["Workspace"]


class Workspace(store.Workspace):
    """A workspace folder (see :class:`toolkit.store.Workspace`) that also links its incidents.

    The timeline is built when imports or edits change (:meth:`state`) and otherwise read
    from ``.cache/`` in the workspace (a few milliseconds), so every notebook and report
    can call :meth:`timeline` freely.
    """

    _memo: tuple[str, Timeline] | None = None

    def timeline(self) -> Timeline:
        """Every source linked into incidents, with milestones, events, people (cached).

        Examples
        --------
        >>> Workspace("no-such-folder").timeline().incidents.height
        0
        """
        name = timeline_cache.key(self.state(), self.policy)
        if self._memo is not None and self._memo[0] == name:
            return self._memo[1]
        found = timeline_cache.load(self.path, name) if self.exists else None
        if found is None:
            pins = timeline_cache.read_pins(self.path)
            found = (
                build(tables_of(self), policy=self.policy, pinned=pins) if self.exists else Timeline.empty()
            )
            if self.exists:
                timeline_cache.write_pins(self.path, found.links, pins)
                timeline_cache.save(self.path, name, found)
        self._memo = (name, found)
        return found

    def incidents(self, *, linked: bool = True) -> pl.DataFrame:
        """The incidents, earliest first: one row per linked incident with its ``sources``,
        or with ``linked=False`` every source's own records (the store's ``incidents`` table)."""
        if not linked:
            return super().incidents()
        return self.timeline().incidents

    def link(self, incident_id: str, source: str, ref: str, *, actor: str) -> None:
        """Link the record ``(source, ref)`` to incident ``incident_id`` by hand (always wins)."""
        self._links([(incident_id, source, ref, "manual")], actor=actor)

    def unlink(self, source: str, ref: str, *, actor: str, incident_id: str | None = None) -> None:
        """Keep the record ``(source, ref)`` out of automatic links (it becomes its own incident)."""
        iid = incident_id or self._incident_of(source, ref)
        self._links([(iid, source, ref, "unlink")], actor=actor)

    def rename_incident(self, old: str, new: str, *, actor: str) -> None:
        """Give incident ``old`` (any of its ids) the id ``new``: a manual link of each of its records.

        The old id stays an alias of the incident (``timeline().aliases``, kind ``former``).
        """
        tl = self.timeline()
        iid = tl.linked_id(old)
        if iid is None:
            raise ArgumentError(f"no incident {old!r} in {self.path}; see `incident-toolkit incidents`")
        new = new.strip()
        if not new or any(c.isspace() for c in new):
            raise ArgumentError(
                f"new incident id {new!r}: expected one word such as 'INC-2025-01-15-payment'"
            )
        if new != iid and new in set(tl.incidents["incident_id"].to_list()):
            raise ArgumentError(f"incident id {new!r} is taken by another incident; choose another")
        rows = tl.links.filter(pl.col("incident_id") == iid)
        self._links([(new, s, r, "manual") for s, r in rows.select("source", "ref").iter_rows()], actor=actor)

    def _incident_of(self, source: str, ref: str) -> str:
        hit = self.timeline().links.filter((pl.col("source") == source) & (pl.col("ref") == ref))
        if not hit.height:
            raise ArgumentError(f"no record {source}/{ref} in {self.path}; see timeline().links")
        return str(hit["incident_id"][0])

    def _links(self, rows: list[tuple[str, str, str, str]], *, actor: str) -> None:
        frame = pl.DataFrame(
            [(*r, 1.0) for r in rows],
            schema={
                "incident_id": pl.String,
                "source": pl.String,
                "ref": pl.String,
                "method": pl.String,
                "confidence": pl.Float64,
            },
            orient="row",
        )
        with self.transaction(actor=actor) as tx:
            keys = self.table("links").join(frame.select("source", "ref"), on=["source", "ref"], how="semi")
            if keys.height:
                tx.delete("links", keys)
            tx.edit("links", frame)
