"""Large synthetic PagerDuty exports: ``GET /incidents`` and ``GET /log_entries`` pages.

Pages are written as ``incidents-00001.json`` … and ``log_entries-00001.json`` … in
``out_dir``, each a real paginated response (``limit``, ``offset``, ``more``, ``total``).
Log entries are grouped by incident (each incident's chain in time order) rather than
sorted globally. Memory holds one page of each at a time.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ._util import rand_hex, rand_id, write_json
from .pagerduty import Actor, incident_object, log_entry

SERVICES = (
    "payment-service",
    "checkout",
    "search",
    "auth",
    "notifications",
    "api-gateway",
    "billing",
    "ledger",
    "inventory",
    "admin-console",
)
START = datetime(2023, 1, 2, tzinfo=UTC)
METHODS = ("push_notification", "sms", "phone", "email")
DETAILS = {"acknowledge": "mobile", "resolve": "web_ui", "annotate": "Investigating"}


def _chain(rng: random.Random, k: int, open_: bool) -> list[str]:
    """``k`` log-entry kinds forming a plausible trigger → … → resolve chain."""
    if k <= 0:
        return []
    if k == 1:
        return ["trigger"]
    if k == 2:
        return ["trigger", "acknowledge" if open_ else "resolve"]
    if k == 3:
        return ["trigger", "notify", "acknowledge" if open_ else "resolve"]
    middle = k - 4
    escalations = min(middle // 2, rng.choice((0, 0, 1, 2)))
    body = ["notify"] + ["escalate", "notify"] * escalations + ["acknowledge"]
    body += ["annotate"] * (middle - 2 * escalations)
    return ["trigger", *body, "annotate" if open_ else "resolve"]


def _sizes(rng: random.Random, incidents: int, entries: int) -> list[int]:
    base, extra = divmod(entries, incidents)
    sizes = [base] * incidents
    for i in rng.sample(range(incidents), extra):
        sizes[i] += 1
    return sizes


def write_pagerduty(
    out_dir: Path, *, incidents: int, log_entries: int, seed: int = 0, page_size: int = 100
) -> list[Path]:
    """Write ``incidents`` incidents and exactly ``log_entries`` log entries as API pages.

    Parameters
    ----------
    out_dir
        Folder for ``incidents-NNNNN.json`` and ``log_entries-NNNNN.json``.
    incidents, log_entries
        Exact totals; log entries are spread over the incidents (about 2 % stay open).
    seed
        Same seed, same bytes.
    page_size
        ``limit`` of every page (PagerDuty allows up to 100).

    Returns
    -------
    list[Path]
        Incident pages first, then log-entry pages.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_pagerduty(Path(tmp), incidents=150, log_entries=200)]
    ['incidents-00001.json', 'incidents-00002.json', 'log_entries-00001.json', 'log_entries-00002.json']
    """
    if incidents < 1 or log_entries < 0 or page_size < 1:
        raise ValueError(
            f"need incidents >= 1, log_entries >= 0, page_size >= 1, got "
            f"{incidents=} {log_entries=} {page_size=}"
        )
    rng = random.Random(seed)
    services = [Actor("service", rand_id(rng, "P", 7), name) for name in SERVICES]
    users = [Actor("user", rand_id(rng, "P", 7), f"Responder {i}") for i in range(60)]
    sizes = _sizes(rng, incidents, log_entries)
    inc_pages: list[Path] = []
    log_pages: list[Path] = []
    inc_buf: list[dict[str, Any]] = []
    log_buf: list[dict[str, Any]] = []
    log_offset = 0
    at = START
    for n, k in enumerate(sizes):
        at += timedelta(seconds=rng.randrange(60, 1200))
        obj, entries = _incident(rng, n, k, at, services, users)
        inc_buf.append(obj)
        for e in entries:
            log_buf.append(e)
            if len(log_buf) == page_size:
                log_pages.append(_page(out_dir, "log_entries", log_buf, log_offset, log_entries, page_size))
                log_offset += page_size
                log_buf = []
        if len(inc_buf) == page_size or n == incidents - 1:
            offset = n + 1 - len(inc_buf)
            inc_pages.append(_page(out_dir, "incidents", inc_buf, offset, incidents, page_size))
            inc_buf = []
    if log_buf:
        log_pages.append(_page(out_dir, "log_entries", log_buf, log_offset, log_entries, page_size))
    return inc_pages + log_pages


def _page(out_dir: Path, kind: str, items: list[dict[str, Any]], offset: int, total: int, limit: int) -> Path:
    number = offset // limit + 1
    body = {
        kind: items,
        "limit": limit,
        "offset": offset,
        "more": offset + len(items) < total,
        "total": total,
    }
    return write_json(out_dir / f"{kind}-{number:05d}.json", body, indent=False)


def _incident(
    rng: random.Random,
    n: int,
    k: int,
    created: datetime,
    services: list[Actor],
    users: list[Actor],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    open_ = rng.random() < 0.02
    service = services[rng.randrange(len(services))]
    number = n + 1
    pd_id = "Q" + f"{n:06X}"
    title = f"{service.name}: {rng.choice(('error rate > 5%', 'p95 latency > 2s', 'queue lag'))}"
    summary = f"[#{number}] {title}"
    oncall = users[rng.randrange(len(users))]
    backup = users[rng.randrange(len(users))]
    at = created
    entries = []
    ack: tuple[datetime, Actor] | None = None
    resolved: datetime | None = None
    level = 1
    who = oncall
    last_by = service
    for kind in _chain(rng, k, open_):
        if kind == "escalate":
            level += 1
            who = backup
        actor = None if kind == "trigger" else who
        detail = METHODS[rng.randrange(4)] if kind == "notify" else DETAILS.get(kind, "")
        entries.append(
            log_entry(
                entry_id=rand_id(rng, "R", 14),
                kind=kind,
                at=at,
                pd_id=pd_id,
                incident_summary=summary,
                service=service,
                who=actor,
                detail=detail,
                level=level if kind == "escalate" else None,
                title=title,
            )
        )
        if kind == "acknowledge" and ack is None:
            ack, last_by = (at, who), who
        if kind == "resolve":
            resolved, last_by = at, who
        at += timedelta(seconds=rng.randrange(5, 900))
    status = "resolved" if resolved else ("acknowledged" if ack else "triggered")
    obj = incident_object(
        pd_id=pd_id,
        number=number,
        title=title,
        service=service,
        status=status,
        urgency="high" if rng.random() < 0.7 else "low",
        priority=rng.choice(("P1", "P2", "P3", None)),
        created_at=created,
        updated_at=at,
        last_change_at=resolved or (ack[0] if ack else created),
        last_change_by=last_by,
        resolved_at=resolved,
        acked=ack,
        trigger_id=entries[0]["id"] if entries else rand_id(rng, "R", 14),
        incident_key=rand_hex(rng, 32),
    )
    return obj, entries
