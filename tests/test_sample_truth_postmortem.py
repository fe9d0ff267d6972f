"""The post-mortem importer on the committed sample against the scenario's ground truth.

Every incident of ``toolkit.samplegen.SCENARIO`` with a ``[postmortem]`` table names its
document in ``data/sample/postmortems``; what ``load_postmortem`` reads from it (severity,
commander, roles, times, timeline rows, whys, action items) is compared with the
incident's facts and with what the table says the document contains.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from toolkit.importers.postmortem import PostmortemDoc, load_postmortem
from toolkit.samplegen import SCENARIO, STORY, Incident

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "postmortems"
WRITTEN = [i for i in SCENARIO if i.postmortem is not None]

# Where the importer and the ground truth disagree: (incident id, field) -> (importer, truth).
KNOWN_DISAGREEMENTS: dict[tuple[str, str], tuple[object, object]] = {
    # the documents have the mitigation rows, but mitigated_at is never derived from them
    ("INC-2025-01-15-payment", "mitigated_at"): (None, datetime.fromisoformat("2025-01-15T18:23:20+00:00")),
    ("INC-2025-01-23-auth", "mitigated_at"): (None, datetime.fromisoformat("2025-01-23T18:29:40+00:00")),
    ("INC-2025-01-28-api-gateway", "mitigated_at"): (
        None,
        datetime.fromisoformat("2025-01-28T19:22:00+00:00"),
    ),
    # "Services degraded" of the Impact section, not the service that failed
    ("INC-2025-01-15-payment", "service"): ("Payment API, Checkout flow", "payment-service"),
    ("INC-2025-01-23-auth", "service"): ("Login, SSO, Mobile app sign-in", "auth"),
    ("INC-2025-01-28-api-gateway", "service"): ("Public API, Mobile app", "api-gateway"),
}


def minute(at: datetime | None) -> datetime | None:
    """Post-mortem timelines are written to the minute."""
    return None if at is None else at.replace(second=0, microsecond=0)


@pytest.fixture(scope="module")
def docs() -> dict[str, PostmortemDoc]:
    return {p.name: load_postmortem(p) for p in sorted(SAMPLE.glob("*.md"))}


def _doc(docs: dict[str, PostmortemDoc], inc: Incident) -> PostmortemDoc:
    assert inc.postmortem is not None
    return docs[inc.postmortem.file]


def test_one_document_per_incident_with_a_postmortem(docs: dict[str, PostmortemDoc]) -> None:
    assert sorted(docs) == sorted(i.postmortem.file for i in WRITTEN if i.postmortem)
    assert len(WRITTEN) == 3
    assert all(d.rejected.height == 0 for d in docs.values())


@pytest.mark.parametrize("inc", WRITTEN, ids=[i.incident_id for i in WRITTEN])
def test_header(docs: dict[str, PostmortemDoc], inc: Incident) -> None:
    pm = inc.postmortem
    assert pm is not None
    assert inc.commander is not None
    head = _doc(docs, inc).incident
    assert head["severity"] == pm.severity == inc.final_severity
    assert head["commander"] == pm.commander == STORY.person(inc.commander).real_name
    assert head["started_at"] == inc.started_at
    assert head["resolved_at"] == inc.resolved_at
    assert head["roles"] == {role: STORY.person(who).real_name.split()[0] for role, who in inc.roles}


@pytest.mark.parametrize("inc", WRITTEN, ids=[i.incident_id for i in WRITTEN])
def test_incident_row(docs: dict[str, PostmortemDoc], inc: Incident) -> None:
    row = _doc(docs, inc).incident_row.row(0, named=True)
    assert (row["severity"], row["status"]) == (inc.final_severity, "resolved")
    assert row["computed_severity"] == inc.true_severity
    assert row["started_at"] == inc.started_at
    assert row["detected_at"] == minute(inc.detected_at)
    assert row["declared_at"] == inc.declared_at
    assert row["resolved_at"] == inc.resolved_at
    for field, truth in [("mitigated_at", inc.mitigated_at), ("service", inc.service)]:
        known = KNOWN_DISAGREEMENTS.get((inc.incident_id, field))
        if known is None:
            assert row[field] == (minute(truth) if isinstance(truth, datetime) else truth), field
        else:
            assert (row[field], truth) == known, field


@pytest.mark.parametrize("inc", WRITTEN, ids=[i.incident_id for i in WRITTEN])
def test_timeline(docs: dict[str, PostmortemDoc], inc: Incident) -> None:
    pm = inc.postmortem
    assert pm is not None
    timeline = _doc(docs, inc).timeline.sort("at")
    assert timeline.height == pm.timeline_rows
    assert (timeline["at"][0], timeline["at"][-1]) == (pm.timeline_first, pm.timeline_last)
    declares = timeline.filter(pl.col("kind") == "declare")
    assert declares.select("at", "severity").rows() == [(inc.declared_at, inc.declared_severity)]
    assert timeline.filter(pl.col("kind") == "resolve")["at"].to_list() == [inc.resolved_at]


@pytest.mark.parametrize("inc", WRITTEN, ids=[i.incident_id for i in WRITTEN])
def test_whys(docs: dict[str, PostmortemDoc], inc: Incident) -> None:
    pm = inc.postmortem
    assert pm is not None
    whys = _doc(docs, inc).whys
    assert whys.height == pm.whys
    chain = [None, *whys["node_id"].to_list()[:-1]]
    assert whys["parent_id"].to_list() == chain  # one chain, each why asks about the last answer
    assert whys["is_root_cause"].to_list() == [False] * (pm.whys - 1) + [True]


@pytest.mark.parametrize("inc", WRITTEN, ids=[i.incident_id for i in WRITTEN])
def test_action_items(docs: dict[str, PostmortemDoc], inc: Incident) -> None:
    pm = inc.postmortem
    assert pm is not None
    items = _doc(docs, inc).action_items.select("priority", "owner", "due_date", "status").rows()
    assert items == [(a.priority, a.owner, a.due, a.status) for a in pm.action_items]
