"""Cadence, promises, response times and the severity audit in the 30-day review (sample window)."""

import polars as pl
import pytest

from tests.reports.conftest import PAYLOAD
from toolkit.reports.review import ReviewReport
from toolkit.reports.review_practice import severity_table, within_text


@pytest.fixture(scope="module")
def review(sample_ws):
    return ReviewReport.load(workspace=sample_ws)


def test_cadence_per_incident_against_the_policy(review):
    auth = review.cadence().filter(incident_id="INC-2025-01-23-auth").row(0, named=True)
    assert (auth["limit_min"], auth["n_within_internal"], auth["n_gaps_internal"]) == (30, 3, 5)
    assert (auth["longest_silence_min_internal"], auth["longest_silence_min_public"]) == (50.0, 70.0)
    assert (auth["kept"], auth["promises"], auth["latest_by_min"]) == (3, 4, 23.0)
    summary, table = review.cadence_table().plain().split("\n\n")
    assert summary == (
        "War-room gaps within the policy: 26 of 29 (90%); status-page gaps: 17 of 22 (77%); "
        "promised updates kept: 22 of 26; 7 of 9 incidents kept every war-room update on time."
    )
    lines = table.splitlines()
    assert (
        lines[2]
        == "INC-2025-01-23-auth | SEV1 | 30 min | 3 of 5 (60%) | 50m | 1 of 3 (33%) | 1h 10m | 3 of 4 | 23m"
    )
    assert lines[5] == "INC-2025-02-04-admin-console | SEV4 | — | — | 1h 45m | — | — | — | —"


def test_response_times_per_severity(review):
    assert review.response_times().plain().splitlines() == [
        "Severity | Acknowledged in time | Declared in time",
        "SEV1 | 0 of 2 | 0 of 2",
        "SEV2 | 4 of 4 | 4 of 4",
        "SEV3 | 2 of 2 | 3 of 3",
    ]


def test_severity_audit_lists_the_disagreements(review):
    summary, table = review.severity_audit().plain().split("\n\n")
    assert summary == (
        "10 incidents: 2 match the decision tree, 0 disagree, 8 not judged (no impact or severity recorded); "
        "2 changed severity after the declaration."
    )
    assert table.splitlines()[1:] == [
        "INC-2025-01-23-auth | SEV2 | SEV1 | SEV1 | users affected 40% >= 25% | match",
        "INC-2025-01-30-push-notifications | SEV2 | SEV3 |  |  | not judged",
    ]


def test_branch_text_is_escaped():
    audit = pl.DataFrame(
        {
            "incident_id": ["INC-1"],
            "declared_severity": ["SEV2"],
            "severity": ["SEV1"],
            "computed_severity": ["SEV3"],
            "branch": [PAYLOAD],
            "verdict": ["mismatch"],
        }
    )
    block = severity_table(audit)
    assert "<script>" not in block.html()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block.html()
    assert "\\<script\\>" in block.markdown()


@pytest.mark.parametrize(
    ("within", "gaps", "text"),
    [
        pytest.param(3, 5, "3 of 5 (60%)", id="some"),
        pytest.param(None, 2, "—", id="no-limit"),
        pytest.param(0, 0, "—", id="no-gaps"),
    ],
)
def test_within_text(within, gaps, text):
    assert within_text(within, gaps) == text
