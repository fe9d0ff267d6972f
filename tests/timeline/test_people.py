"""People across sources: one person however each source writes them."""

from __future__ import annotations

import polars as pl

from tests.timeline.records import frame
from toolkit.policy import Policy
from toolkit.timeline.people import norm, resolve_people


def _people(policy: Policy | None = None, **tables: list[dict[str, object]]):
    frames = {name: frame(name, rows) for name, rows in tables.items()}
    return resolve_people(frames, policy=policy or Policy.default(), services={"auth"})


SLACK = [
    {
        "user_id": "U0ALICE",
        "user": "alice",
        "handle": "alice",
        "display_name": "alice",
        "real_name": "Alice Chen",
        "is_bot": False,
    },
    {
        "user_id": "U0ALEX",
        "user": "alex",
        "handle": "alex",
        "display_name": "alex",
        "real_name": "Alex Stone",
        "is_bot": False,
    },
    {
        "user_id": "UBOT",
        "user": "deploy-bot",
        "handle": "deploy-bot",
        "display_name": "",
        "real_name": "deploy-bot",
        "is_bot": True,
    },
]


def test_alice_alice_chen_and_alice_are_one_person(sample):
    alice = sample.people.filter(pl.col("person_id") == "alice-chen").row(0, named=True)
    assert alice["name"] == "Alice Chen"
    assert {"alice", "Alice", "Alice Chen"} <= set(alice["display_names"])
    assert {"slack", "pagerduty", "postmortem"} <= set(alice["sources"])
    ic = sample.roles.filter((pl.col("incident_id") == "INC-2025-01-15-payment") & (pl.col("role") == "IC"))
    assert set(ic["person_id"]) == {"alice-chen"}
    assert sample.incidents.filter(pl.col("incident_id") == "INC-2025-01-15-payment")[
        "commander"
    ].to_list() == ["Alice Chen"]


def test_a_first_name_alone_is_the_one_person_of_that_first_name():
    people, index = _people(
        slack_users=SLACK,
        roles=[{"incident_id": "I", "role": "IC", "person": "Alice", "source": "postmortem", "ref": "pm:1"}],
    )
    assert index[norm("Alice")] == "alice-chen"
    assert people.filter(pl.col("person_id") == "deploy-bot")["is_bot"].to_list() == [True]


def test_a_first_name_two_people_share_stays_apart():
    chen = {**SLACK[0], "user": "achen", "handle": "achen", "display_name": "achen"}
    two = [
        chen,
        *SLACK[1:],
        {
            "user_id": "U0AL2",
            "user": "abrown",
            "handle": "abrown",
            "display_name": "",
            "real_name": "Alice Brown",
            "is_bot": False,
        },
    ]
    people, index = _people(
        slack_users=two,
        roles=[{"incident_id": "I", "role": "IC", "person": "Alice", "source": "postmortem", "ref": "pm:1"}],
    )
    assert index[norm("Alice")] == "alice"
    assert people.height == 5


def test_the_policy_joins_names_nothing_else_would():
    policy = Policy.default().replace(team=Policy.default().team.__class__(people={"Alex Stone": ("Ace",)}))
    _, index = _people(
        policy,
        slack_users=SLACK,
        events=[
            {
                "incident_id": "I",
                "at": None,
                "source": "pagerduty",
                "kind": "note",
                "ref": "r",
                "visibility": "internal",
                "actor": "Ace",
            }
        ],
    )
    assert index[norm("Ace")] == "alex-stone"


def test_a_service_as_actor_is_no_person():
    people, index = _people(
        events=[
            {
                "incident_id": "I",
                "at": None,
                "source": "pagerduty",
                "kind": "alert",
                "ref": "r",
                "visibility": "internal",
                "actor": "auth",
            }
        ]
    )
    assert people.height == 0
    assert norm("auth") not in index


def test_emails_join_profiles():
    rows = [
        {
            "person_id": "pagerduty:P1",
            "source": "pagerduty",
            "ref": "P1",
            "name": "A. Chen",
            "display_names": ["A. Chen"],
            "emails": ["alice@acme.example"],
            "aliases": [],
            "is_bot": False,
        },
        {
            "person_id": "manual:x",
            "source": "manual",
            "ref": "x",
            "name": "Alice C.",
            "display_names": [],
            "emails": ["Alice@acme.example"],
            "aliases": [],
            "is_bot": False,
        },
    ]
    people, _ = _people(people=rows)
    assert people.select("name", "emails").rows() == [
        ("Alice C.", ["Alice@acme.example", "alice@acme.example"])
    ]
