"""The metric blocks of the 30-day review, on small frames (escaping, changes, empty input)."""

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from tests.reports.conftest import PAYLOAD
from toolkit.reports.review_metrics import change_text, incidents_table, survival_text


@pytest.mark.parametrize(
    ("current", "previous", "text"),
    [
        pytest.param(135.0, 98.0, "+37m", id="longer"),
        pytest.param(60.0, 90.5, "−30m 30s", id="shorter"),
        pytest.param(5.0, 5.0, "±0s", id="same"),
        pytest.param(None, 5.0, "—", id="no-current"),
        pytest.param(5.0, None, "—", id="no-previous"),
    ],
)
def test_change_text(current, previous, text):
    assert change_text(current, previous) == text


def test_incident_titles_are_escaped_and_open_ones_say_so():
    start = datetime(2025, 1, 1, 10, tzinfo=UTC)
    incidents = pl.DataFrame(
        {
            "incident_id": ["INC-1"],
            "severity": ["SEV1"],
            "service": ["db"],
            "started_at": [start],
            "status": ["investigating"],
            "sources": [["slack"]],
            "title": [PAYLOAD],
        }
    )
    durations = pl.DataFrame(
        {"incident_id": ["INC-1"], "time_to_resolve": [None], "observed": [timedelta(minutes=75)]},
        schema_overrides={"time_to_resolve": pl.Duration("us")},
    )
    block = incidents_table(incidents, durations)
    assert "open (1h 15m so far)" in block.plain()
    assert "<script>" not in block.html()
    assert "<img" not in block.html()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block.html()
    assert "\\<script\\>" in block.markdown()


def test_survival_text_of_an_empty_curve():
    empty = pl.DataFrame(
        schema={"time_min": pl.Float64, "n_at_risk": pl.Int64, "n_events": pl.Int64, "n_censored": pl.Int64}
    )
    assert survival_text(empty).plain() == "No data: no incidents with a start time in the window"
