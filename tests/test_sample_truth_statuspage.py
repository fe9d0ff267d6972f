"""The Statuspage importer on the committed sample against the scenario's ground truth.

Every incident of ``toolkit.samplegen.SCENARIO`` with a ``[statuspage]`` table is compared
with what ``load_statuspage`` and ``status_phases`` read from ``data/sample/statuspage``:
the vendor incident (``statuspage_incidents``), the core incident, its updates one by one,
the first time of each phase, the first public update and the gaps between updates (the
scenario's ``public_gaps_min``).
"""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from toolkit.importers.statuspage import StatuspageData, load_statuspage, status_phases
from toolkit.samplegen import SCENARIO, Incident
from toolkit.samplegen.accounts import COMPONENTS, STATUS_PAGE

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "statuspage"
PUBLIC = [i for i in SCENARIO if i.status_page is not None]
PHASES = ("investigating", "identified", "monitoring", "resolved")

# Where status_phases and the ground truth disagree: (incident id, column) -> (importer, truth).
KNOWN_DISAGREEMENTS: dict[tuple[str, str], tuple[object, object]] = {
    # the public post-mortem (published 2025-01-17 15:00 PST) is on the incident row but not a phase
    ("INC-2025-01-15-payment", "postmortem_at"): (None, datetime.fromisoformat("2025-01-17T23:00:00+00:00")),
}


def sec(at: datetime | None) -> datetime | None:
    """Statuspage times carry milliseconds the scenario does not have."""
    return None if at is None else at.replace(microsecond=0)


@pytest.fixture(scope="module")
def sp() -> StatuspageData:
    return load_statuspage(SAMPLE)


@pytest.fixture(scope="module")
def phases(sp: StatuspageData) -> pl.DataFrame:
    return status_phases(sp)


def _one(df: pl.DataFrame, inc: Incident) -> dict[str, Any]:
    """The row of ``inc`` in a table keyed by ``incident_ref``."""
    assert inc.status_page is not None
    rows = df.filter(pl.col("incident_ref") == inc.status_page.sp_id)
    assert rows.height == 1, inc.incident_id
    return rows.row(0, named=True)


def test_one_statuspage_incident_per_public_incident(sp: StatuspageData) -> None:
    assert len(PUBLIC) == 10
    vendor = sp.statuspage_incidents
    assert sorted(vendor["incident_ref"]) == sorted(i.status_page.sp_id for i in PUBLIC if i.status_page)
    assert set(vendor["page"]) == {STATUS_PAGE["id"]}
    assert sorted(sp.incidents["ref"]) == sorted(f"{STATUS_PAGE['id']}/{r}" for r in vendor["incident_ref"])
    assert sp.rejected.height == 0


@pytest.mark.parametrize("inc", PUBLIC, ids=[i.incident_id for i in PUBLIC])
def test_incident(sp: StatuspageData, inc: Incident) -> None:
    page = inc.status_page
    assert page is not None
    row = _one(sp.statuspage_incidents, inc)
    first = {u.status: u.at for u in reversed(page.updates)}
    status = "postmortem" if page.postmortem_published_at else page.updates[-1].status
    assert (row["name"], row["impact"], row["status"]) == (page.name, page.impact, status)
    assert row["n_updates"] == len(page.updates)
    assert row["started_at"] == inc.started_at
    assert sec(row["created_at"]) == page.updates[0].at == inc.cadence.first_public_update
    assert sec(row["monitoring_at"]) == first.get("monitoring")
    assert sec(row["resolved_at"]) == first.get("resolved")
    assert sec(row["postmortem_at"]) == page.postmortem_published_at
    assert row["postmortem_body"] == page.postmortem_body
    keys = dict.fromkeys(k for u in page.updates for k, _ in u.components)
    assert sorted(row["components"]) == sorted(COMPONENTS[k][1] for k in keys)


@pytest.mark.parametrize("inc", PUBLIC, ids=[i.incident_id for i in PUBLIC])
def test_core_incident(sp: StatuspageData, inc: Incident) -> None:
    """The row later layers read: what customers were told, and when."""
    page = inc.status_page
    assert page is not None
    rows = sp.incidents.filter(pl.col("ref") == f"{STATUS_PAGE['id']}/{page.sp_id}")
    assert rows.height == 1
    row = rows.row(0, named=True)
    first = {u.status: u.at for u in reversed(page.updates)}
    keys = list(dict.fromkeys(k for u in page.updates for k, _ in u.components))
    assert (row["source"], row["title"]) == ("statuspage", page.name)
    assert row["status"] == ("open" if inc.is_open else "resolved")
    assert row["started_at"] == inc.started_at
    assert sec(row["resolved_at"]) == first.get("resolved")
    assert sec(row["postmortem_at"]) == page.postmortem_published_at
    assert row["components"] == [COMPONENTS[k][1] for k in keys]
    # the service is the first component; mapping it to services.toml's service is the linker's job
    assert row["service"] == COMPONENTS[keys[0]][1]


@pytest.mark.parametrize("inc", PUBLIC, ids=[i.incident_id for i in PUBLIC])
def test_updates_one_by_one(sp: StatuspageData, inc: Incident) -> None:
    page = inc.status_page
    assert page is not None
    got = sp.updates.filter(pl.col("incident_ref") == page.sp_id).sort("at")
    assert [(sec(r["at"]), r["status"], r["body"]) for r in got.iter_rows(named=True)] == [
        (u.at, u.status, u.body) for u in page.updates
    ]
    names = [sorted(COMPONENTS[k][1] for k, _ in u.components) for u in page.updates]
    assert [sorted(c) for c in got["affected_components"]] == names


@pytest.mark.parametrize("inc", PUBLIC, ids=[i.incident_id for i in PUBLIC])
def test_phases_and_gaps(phases: pl.DataFrame, inc: Incident) -> None:
    page = inc.status_page
    assert page is not None
    row = _one(phases, inc)
    first = {u.status: u.at for u in reversed(page.updates)}
    for phase in PHASES:
        assert sec(row[f"{phase}_at"]) == first.get(phase), phase
    assert sec(row["first_update_at"]) == inc.cadence.first_public_update
    gaps = inc.cadence.public_gaps_min
    assert row["n_gaps"] == len(gaps)
    assert round(row["gap_max"].total_seconds() / 60, 1) == max(gaps)
    resolved = first.get("resolved")  # time_to_resolve runs from the first public update
    want_ttr = None if resolved is None else (resolved - page.updates[0].at).total_seconds()
    got_ttr = row["time_to_resolve"]
    assert (None if got_ttr is None else round(got_ttr.total_seconds())) == want_ttr
    truth_pm = page.postmortem_published_at
    known = KNOWN_DISAGREEMENTS.get((inc.incident_id, "postmortem_at"))
    if known is None:
        assert sec(row["postmortem_at"]) == truth_pm
    else:
        assert (sec(row["postmortem_at"]), truth_pm) == known


@pytest.mark.parametrize("inc", PUBLIC, ids=[i.incident_id for i in PUBLIC])
def test_public_gaps_match_the_updates(sp: StatuspageData, inc: Incident) -> None:
    """The gaps the scenario states are the gaps between the importer's update times."""
    assert inc.status_page is not None
    at = sp.updates.filter(pl.col("incident_ref") == inc.status_page.sp_id).sort("at")["at"]
    stamps = [sec(t) for t in at]
    gaps = [round((b - a).total_seconds() / 60, 1) for a, b in itertools.pairwise(stamps) if a and b]
    assert tuple(gaps) == inc.cadence.public_gaps_min
