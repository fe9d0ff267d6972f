import pytest

from toolkit.reports.redact import redact, role_names

NAMES = {
    "Alice Chen": "the Incident Commander",
    "alice": "the Incident Commander",
    "Bob": "the Technical Lead",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("mail alice.chen+oncall@example.co.uk now", "mail [email] now", id="email"),
        pytest.param("call +1 (415) 555-0100", "call [phone]", id="phone-us"),
        pytest.param("ring 020 7946 0018", "ring [phone]", id="phone-uk"),
        pytest.param("+44 20 7946 0018 or 415.555.0100", "[phone] or [phone]", id="two-phones"),
        pytest.param("Alice Chen paged Bob", "the Incident Commander paged the Technical Lead", id="names"),
        pytest.param(
            "@alice acked; ALICE CHEN left",
            "the Incident Commander acked; the Incident Commander left",
            id="handle-and-case",
        ),
        pytest.param("Bobby and Alicea stay", "Bobby and Alicea stay", id="whole-words-only"),
        pytest.param("at 2025-01-15 18:05 (v2.5.1)", "at 2025-01-15 18:05 (v2.5.1)", id="dates-and-versions"),
        pytest.param(
            "host 10.0.0.12, ticket 123456789", "host 10.0.0.12, ticket 123456789", id="ips-and-ids"
        ),
        pytest.param("ts 1736935200.000100", "ts 1736935200.000100", id="slack-ts"),
        pytest.param("p95 2300 ms at 12:30", "p95 2300 ms at 12:30", id="numbers"),
    ],
)
def test_redact(text, expected):
    assert redact(text, names=NAMES) == expected


def test_redact_without_names_masks_contacts_only():
    assert redact("Alice: alice@example.com", names={}) == "Alice: [email]"


def test_role_names_prefers_the_senior_role_and_names_the_rest_responders():
    got = role_names([("bob", "SME"), ("bob", "TL"), ("alice", "IC")], people=["carol", "bob"])
    assert got == {"bob": "the Technical Lead", "alice": "the Incident Commander", "carol": "a responder"}
