"""Labelled fields of war-room messages, as the seed's templates write them."""

from __future__ import annotations

import pytest

from toolkit.comms.fields import labelled, stated

DECLARATION = """🚨 SEV1 INCIDENT DECLARED 🚨
**System:** Payment Processing (payment-service)
**Impact:** Users cannot complete checkout (15% error rate)
**Roles:**
- IC: @alice (Incident Commander - makes decisions)
- TL: @bob (Technical Lead - coordinates debugging)
**Status:** Investigating
**Zoom Bridge:** https://zoom.us/j/incident-war-room"""


def test_a_declaration() -> None:
    assert labelled(DECLARATION) == {
        "system": ("Payment Processing (payment-service)",),
        "impact": ("Users cannot complete checkout (15% error rate)",),
        "roles": (
            "IC: @alice (Incident Commander - makes decisions)",
            "TL: @bob (Technical Lead - coordinates debugging)",
        ),
        "status": ("Investigating",),
        "bridge": ("https://zoom.us/j/incident-war-room",),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("**Cause:** stale IdP metadata", {"root cause": ("stale IdP metadata",)}, id="alias"),
        pytest.param("*Root Cause*: leak", {"root cause": ("leak",)}, id="slack-bold-colon-outside"),
        pytest.param(
            "__Next Steps:__\n1. post-mortem\n2) items",
            {"next steps": ("post-mortem", "items")},
            id="numbered",
        ),
        pytest.param("Impact: plain label is not a field", {}, id="unbolded"),
        pytest.param(
            "**Impact:**\n- a\nsome prose\n- not impact", {"impact": ("a",)}, id="prose-ends-the-field"
        ),
        pytest.param("**Impact:**", {}, id="empty"),
    ],
)
def test_label_shapes(text: str, expected: dict[str, tuple[str, ...]]) -> None:
    assert labelled(text) == expected


def test_the_latest_statement_wins() -> None:
    said = stated(["**Impact:** 15% errors\n**Status:** Investigating", "**Impact:**\n- 4% errors"])
    assert said == {"impact": ("4% errors",), "status": ("Investigating",)}
