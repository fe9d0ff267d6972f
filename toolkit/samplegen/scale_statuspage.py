"""Large synthetic Statuspage histories, as list pages or one file per incident.

``layout="pages"`` writes ``incidents-00001.json`` … with 50 incidents each, newest
first across pages (like paging through ``incidents.json``); ``layout="single"`` writes
``incidents/<id>.json`` files shaped like the ``GET incidents/{id}.json`` response.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from ._util import iso_local_ms, rand_id, write_json
from .accounts import COMPONENTS
from .statuspage import component_object, incident_object, page_object, update_object

END = datetime(2025, 2, 19, 23, 0, tzinfo=UTC)
PAGE_SIZE = 50
NAMES = (
    "Elevated error rates on {c}",
    "Degraded performance of {c}",
    "{c} unavailable",
    "Delayed processing in {c}",
    "Intermittent failures in {c}",
)
BODIES = {
    "investigating": "We are investigating reports of issues with {c}.",
    "identified": "The issue has been identified and a fix is being implemented.",
    "monitoring": "A fix has been implemented and we are monitoring the results.",
    "resolved": "This incident has been resolved.",
}
LIFECYCLES = (
    ("investigating", "resolved"),
    ("investigating", "identified", "resolved"),
    ("investigating", "identified", "monitoring", "resolved"),
    ("investigating", "investigating", "identified", "monitoring", "resolved"),
    ("investigating", "identified", "identified", "monitoring", "monitoring", "resolved"),
)
IMPACT_STATUS = {
    "none": "operational",
    "minor": "degraded_performance",
    "major": "partial_outage",
    "critical": "major_outage",
}


def _incident(rng: random.Random, start: datetime, used: set[str]) -> dict[str, Any]:
    inc_id = rand_id(rng, "", 12, lower=True)
    while inc_id in used:
        inc_id = rand_id(rng, "", 12, lower=True)
    used.add(inc_id)
    key = rng.choice(tuple(COMPONENTS))
    comp = COMPONENTS[key][1]
    impact = rng.choice(("none", "minor", "minor", "major", "critical"))
    steps = list(rng.choice(LIFECYCLES))
    if rng.random() < 0.01:
        steps = steps[:-1] or ["investigating"]
    at = start
    current = "operational"
    updates = []
    first: dict[str, str] = {}
    for status in steps:
        stamp = iso_local_ms(at, rng.randrange(1000))
        new = "operational" if status in ("monitoring", "resolved") else IMPACT_STATUS[impact]
        affected = [{"code": COMPONENTS[key][0], "name": comp, "old_status": current, "new_status": new}]
        current = new
        first.setdefault(status, stamp)
        updates.append(
            update_object(
                update_id=rand_id(rng, "", 12, lower=True),
                incident_id=inc_id,
                status=status,
                body=BODIES[status].format(c=comp),
                at=stamp,
                affected=affected,
            )
        )
        at += timedelta(seconds=rng.randrange(300, 3600))
    updated = updates[-1]["created_at"]
    return incident_object(
        incident_id=inc_id,
        name=rng.choice(NAMES).format(c=comp),
        status=steps[-1],
        impact=impact,
        created_at=updates[0]["created_at"],
        updated_at=updated,
        started_at=iso_local_ms(start - timedelta(minutes=rng.randrange(0, 30)), 0),
        monitoring_at=first.get("monitoring"),
        resolved_at=first.get("resolved"),
        shortlink="https://stspg.io/" + rand_id(rng, "", 12, lower=True),
        updates=updates[::-1],
        components=[component_object(key, current, updated)],
    )


def write_statuspage(
    out_dir: Path,
    *,
    incidents: int,
    seed: int = 0,
    layout: Literal["pages", "single"] = "pages",
) -> list[Path]:
    """Write exactly ``incidents`` Statuspage incidents, newest first.

    Parameters
    ----------
    out_dir
        Folder for ``incidents-NNNNN.json`` pages or the ``incidents/`` folder.
    incidents
        Exact number of incidents (about 1 % are left unresolved).
    seed
        Same seed, same bytes.
    layout
        ``"pages"``: list responses of 50; ``"single"``: one ``{page, incident}`` file each.

    Returns
    -------
    list[Path]
        The files written, newest incidents first.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     len(write_statuspage(Path(tmp), incidents=120, layout="single"))
    120
    """
    if incidents < 1 or layout not in ("pages", "single"):
        raise ValueError(f"need incidents >= 1 and layout 'pages' or 'single', got {incidents=} {layout=}")
    rng = random.Random(seed)
    page = page_object(iso_local_ms(END, 0))
    used: set[str] = set()
    paths: list[Path] = []
    buf: list[dict[str, Any]] = []
    at = END
    for n in range(incidents):
        at -= timedelta(seconds=rng.randrange(1800, 14_400))
        inc = _incident(rng, at, used)
        if layout == "single":
            paths.append(
                write_json(
                    out_dir / "incidents" / f"{inc['id']}.json", {"page": page, "incident": inc}, indent=False
                )
            )
            continue
        buf.append(inc)
        if len(buf) == PAGE_SIZE or n == incidents - 1:
            number = len(paths) + 1
            paths.append(
                write_json(
                    out_dir / f"incidents-{number:05d}.json", {"page": page, "incidents": buf}, indent=False
                )
            )
            buf = []
    return paths
