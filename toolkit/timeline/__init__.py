"""One timeline per incident across sources: linking, milestones, events, people.

The layer between the store (per-source records) and the analyses: :func:`build` turns
the store's frames into a :class:`Timeline` (pure; :class:`toolkit.Workspace.timeline`
caches it). How each part works is written in its module:

* :mod:`.link` — which records are one incident: explicit references (:mod:`.refs`),
  naming (:mod:`.naming`), time overlap plus service (:mod:`.overlap`), manual links and
  unlinks (:mod:`.groups`);
* :mod:`.ids` — the linked id (``INC-2025-01-15-payment``), stable, renamable;
* :mod:`.events` — events under linked ids, one row per event seen in several sources;
* :mod:`.milestones` — started, detected, acknowledged, declared, mitigated (a mitigation
  completed, :mod:`.mitigation`), resolved, post-mortem; hand corrections;
* :mod:`.incidents` — one row per incident; :mod:`.people` — people across sources;
  :mod:`.services` — one name per service; :mod:`.cache` — the timeline on disk.
"""

from __future__ import annotations

from toolkit.timeline.build import build, tables_of
from toolkit.timeline.ids import war_room_id
from toolkit.timeline.model import MILESTONES, RESOLVED_BY, SCHEMAS, Timeline

__all__ = ["MILESTONES", "RESOLVED_BY", "SCHEMAS", "Timeline", "build", "tables_of", "war_room_id"]
