"""Reading the scenario files: times as people write them, and every mistake named."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from toolkit.errors import InputFormatError
from toolkit.policy import explain_severity
from toolkit.samplegen import SCENARIO, load_scenario, parse_time
from toolkit.samplegen.load import SCENARIO_DIR

PAYMENT = "incidents/2025-01-15-payment.toml"
SEARCH = "incidents/2025-01-06-search.toml"


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2025-01-15 10:05 PST", datetime(2025, 1, 15, 18, 5, tzinfo=UTC)),
        ("2025-01-15 10:05:40 PST", datetime(2025, 1, 15, 18, 5, 40, tzinfo=UTC)),
        ("2025-01-15 23:30 PST", datetime(2025, 1, 16, 7, 30, tzinfo=UTC)),
        ("2025-07-15 10:00 PDT", datetime(2025, 7, 15, 17, 0, tzinfo=UTC)),
        ("2025-02-20 00:30 UTC", datetime(2025, 2, 20, 0, 30, tzinfo=UTC)),
    ],
    ids=["minutes", "seconds", "next-utc-day", "summer", "utc"],
)
def test_parse_time(text: str, utc: datetime) -> None:
    assert parse_time(text) == utc


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2025-01-15 10:05", "expected a time like"),
        ("10:05 PST", "expected a time like"),
        ("2025-01-15T10:05 PST", "expected a time like"),
        ("2025-01-15 10:05 CET", "unknown zone label 'CET'"),
        ("2025-07-15 10:00 PST", "is PDT in America/Los_Angeles, not PST"),
        ("2025-01-15 25:00 PST", "hour must be in 0..23"),
    ],
    ids=["no-zone", "no-date", "iso-t", "unknown-zone", "pst-in-summer", "bad-hour"],
)
def test_parse_time_rejects(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_time(text)


def test_the_bundled_scenario_uses_the_policy_decision_tree() -> None:
    story = load_scenario()
    assert story.incidents == SCENARIO
    assert [i.incident_id for i in story.incidents] == sorted(i.incident_id for i in story.incidents)
    assert story.exported_at == datetime(2025, 2, 20, 0, 30, tzinfo=UTC)
    got = {i.incident_id: (i.true_severity, explain_severity(**asdict(i.inputs))[0]) for i in story.incidents}
    assert all(mine == policy for mine, policy in got.values())
    assert sorted({s for s, _ in got.values()}) == ["SEV1", "SEV2", "SEV3", "SEV4"]


def test_a_copy_reads_the_same(tmp_path: Path) -> None:
    shutil.copytree(SCENARIO_DIR, tmp_path / "s")
    copy = load_scenario(tmp_path / "s")
    assert copy.incidents == SCENARIO
    assert copy.folder == (tmp_path / "s").resolve()


# (file, text in it, replaced by, record, field, problem): one mistake per case
BAD_FILES = [
    pytest.param(
        PAYMENT,
        '10:00:07 PST"\nchannel = "incidents"',
        '10:00:07"\nchannel = "incidents"',
        "message 3",
        "at",
        "expected a time like",
        id="time-without-zone",
    ),
    pytest.param(
        PAYMENT,
        'started = "2025-01-15 10:00 PST"',
        'started = "2025-07-15 10:00 PST"',
        "times",
        "started",
        "is PDT in America/Los_Angeles, not PST",
        id="pst-in-july",
    ),
    pytest.param(
        PAYMENT,
        'kind = "deploy"',
        'kidn = "deploy"',
        "message 1",
        "kidn",
        "unknown key (a typo?)",
        id="typo-in-a-key",
    ),
    pytest.param(
        PAYMENT,
        'kind = "deploy"',
        'kind = "deployed"',
        "message 1",
        "kind",
        "expected one of alert, page",
        id="unknown-event-kind",
    ),
    pytest.param(
        PAYMENT,
        'true = "SEV1"',
        'true = "SEV2"',
        "severity",
        "true",
        "the decision tree gives SEV1 on these inputs (revenue impacted), not SEV2",
        id="true-severity-not-the-tree-s",
    ),
    pytest.param(
        PAYMENT,
        'declared = "SEV1"',
        'declared = "SEV5"',
        "severity",
        "declared",
        "expected one of SEV1",
        id="no-such-severity",
    ),
    pytest.param(
        PAYMENT,
        'eyes = ["bob"',
        'eyes = ["bobby"',
        "message 13",
        "reactions",
        "unknown person 'bobby'",
        id="unknown-person",
    ),
    pytest.param(
        PAYMENT,
        'reply_to = "report"',
        'reply_to = "reprot"',
        "message 5",
        "reply_to",
        "no message of this incident has key 'reprot'",
        id="reply-to-nothing",
    ),
    pytest.param(
        PAYMENT,
        'channel = "deploys"',
        'channel = "deploy"',
        "message 1",
        "channel",
        "unknown channel 'deploy'",
        id="unknown-channel",
    ),
    pytest.param(
        PAYMENT,
        'service = "payment-service"',
        'service = "payments"',
        "incident",
        "service",
        "unknown service 'payments'",
        id="unknown-service",
    ),
    pytest.param(
        PAYMENT,
        "number = 1043",
        'number = "1043"',
        "pagerduty",
        "number",
        "expected an integer, got '1043'",
        id="wrong-type",
    ),
    pytest.param(
        PAYMENT,
        'file = "2025-01-15-payment-service-outage.md"',
        'file = "nope.md"',
        "postmortem",
        "file",
        "no file 'nope.md'",
        id="missing-postmortem-document",
    ),
    pytest.param(
        PAYMENT,
        "kept = true\nlate_min = 0\n",
        "late_min = 0\n",
        "promise 1",
        "answered",
        "give answered, kept and late_min together",
        id="half-a-kept-promise",
    ),
    pytest.param(
        PAYMENT,
        'components = { payments = "major_outage"',
        'components = { payment = "major_outage"',
        "statuspage.update 1",
        "components",
        "payment = 'major_outage': expected a component among payments",
        id="unknown-component",
    ),
    pytest.param(
        PAYMENT,
        'subtype = "channel_join"',
        'subtype = "channel_joined"',
        "message 6",
        "subtype",
        "expected one of channel_join, channel_topic, channel_archive",
        id="unknown-subtype",
    ),
    pytest.param(
        PAYMENT,
        "[times]",
        "[timing]",
        None,
        None,
        "needs the tables [severity] and [times]",
        id="missing-table",
    ),
    pytest.param(
        PAYMENT, "[response]", "[responses]", None, "responses", "unknown key", id="typo-in-a-table"
    ),
    pytest.param(PAYMENT, "[[message]]", "[[message]", None, None, "not valid TOML", id="bad-toml"),
    pytest.param(
        SEARCH,
        'id = "P3XQ7LM"',
        'id = "PZ4F9WB"',
        None,
        "pagerduty.id",
        "used by INC-2025-01-06-search too",
        id="duplicate-pagerduty-id",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "record", "field", "problem"), BAD_FILES)
def test_bad_scenario_files(
    tmp_path: Path, file: str, old: str, new: str, record: str | None, field: str | None, problem: str
) -> None:
    folder = tmp_path / "scenario"
    shutil.copytree(SCENARIO_DIR, folder)
    path = folder / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(InputFormatError) as caught:
        load_scenario(folder)
    err = caught.value
    blamed = PAYMENT if file == SEARCH else file  # a duplicate is reported on the later file
    assert (Path(err.path).relative_to(folder.resolve()).as_posix(), err.record, err.field) == (
        blamed,
        record,
        field,
    )
    assert problem in err.problem
    assert str(err).startswith(str(folder.resolve() / blamed))
