"""What action items know of incidents and people: linked ids, dates, participants, names."""

from __future__ import annotations

from datetime import date

import polars as pl

from toolkit.actions.incidents import build, incidents_of
from toolkit.schema import TABLES

PAYMENT = "INC-2025-01-15-payment-service-outage"


def test_from_the_workspace_tables(ws):
    ctx = incidents_of(ws)
    assert ctx.incidents.height == 36  # the admin-console thread is a Slack record too
    assert ctx.linked_id(PAYMENT) == PAYMENT  # no timeline yet: every record is its own incident
    assert ctx.linked_id("INC-nope") is None
    assert (ctx.started_on(PAYMENT), ctx.resolved_on(PAYMENT)) == (date(2025, 1, 15), date(2025, 1, 15))
    assert ctx.resolved_on("INC-2025-02-19-sso") is None
    assert ctx.started_on("INC-2025-01-06-search") == date(2025, 1, 6)  # no start stated: the resolution
    assert ctx.participants_of("INC-2025-01-23-auth") == [
        "Alice Chen",
        "Carol",
        "Dave",
        "Ivan",
        "Judy",
    ]  # best names
    assert ctx.participants_of(PAYMENT) == ["Alice Chen", "Bob", "Carol", "Dave"]  # the post-mortem's roles
    assert ctx.person("@Judy") == "Judy"
    assert ctx.person("SRE Team") is None
    assert incidents_of(ws) is ctx  # cached until the imports change


def test_people_resolve_every_spelling_to_the_best_name():
    people = pl.DataFrame(
        {
            "person_id": ["p1", "p2"],
            "source": ["slack", "slack"],
            "ref": ["U1", "U2"],
            "name": ["Alice Chen", None],
            "display_names": [["alice", "Alice Chen"], ["deploy-bot"]],
            "emails": [["alice@example.com"], []],
            "aliases": [["ac"], []],
            "is_bot": [False, True],
        },
        schema=TABLES["people"].schema,
    )
    incidents = pl.DataFrame(
        {
            "incident_id": ["A"],
            "title": ["a"],
            "service": ["x"],
            "status": ["open"],
            "severity": [None],
            "started_at": [None],
            "detected_at": [None],
            "declared_at": [None],
            "resolved_at": [None],
            "commander": ["ALICE"],
        },
        schema_overrides={
            c: pl.Datetime("us", "UTC") for c in ("started_at", "detected_at", "declared_at", "resolved_at")
        }
        | {"severity": pl.String},
    )
    roles = pl.DataFrame({"incident_id": ["A"], "role": ["TL"], "person": ["bob"]})
    aliases = pl.DataFrame({"alias": ["x1", "dup", "dup"], "incident_id": ["A", "A", "B"]})
    ctx = build(incidents, aliases, roles, people)
    assert [ctx.person(s) for s in ("alice@example.com", "AC", "Alice Chen", "deploy-bot", "bob")] == [
        "Alice Chen",
        "Alice Chen",
        "Alice Chen",
        None,  # bots own nothing
        "bob",
    ]
    assert ctx.participants_of("x1") == ["Alice Chen", "bob"]
    assert ctx.linked_id("dup") is None  # an alias of two incidents links to neither
    assert ctx.known_people() == ["Alice Chen", "bob"]
