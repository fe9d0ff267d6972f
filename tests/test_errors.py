import pickle

import pytest

from toolkit.errors import (
    ArchiveError,
    ArgumentError,
    ConflictError,
    InputFormatError,
    PolicyError,
    SchemaError,
    SourceMismatchError,
    ToolkitError,
    UnknownSourceError,
    WorkspaceError,
)


def test_input_format_error_reads_file_record_field_problem():
    err = InputFormatError(
        "export.zip:incident-x/2025-01-15.json",
        "message 17",
        "ts",
        "expected a Slack timestamp string, got int",
    )
    assert str(err) == (
        "export.zip:incident-x/2025-01-15.json: message 17: field 'ts': expected a Slack timestamp string, got int"
    )
    assert (err.path, err.record, err.field) == ("export.zip:incident-x/2025-01-15.json", "message 17", "ts")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("f.json", 3, "id", "missing"), "f.json: record 3: field 'id': missing"),
        (("f.json", None, None, "empty file"), "f.json: empty file"),
        (("f.json", None, None, "invalid JSON", "re-export it"), "f.json: invalid JSON (re-export it)"),
    ],
    ids=["int-record", "whole-file", "with-hint"],
)
def test_input_format_error_variants(args, expected):
    assert str(InputFormatError(*args)) == expected


@pytest.mark.parametrize(
    "err",
    [
        InputFormatError("a", 1, "b", "c", "d"),
        ArchiveError("a.zip", None, None, "too big"),
        PolicyError("p.toml", "decision.x", "bad"),
        SchemaError("events", "at", "naive"),
        UnknownSourceError("x", ["slack"]),
        UnknownSourceError(None, ["slack", "pagerduty"], name="jira"),
        SourceMismatchError("data/sample/statuspage", "PagerDuty", "Statuspage"),
        WorkspaceError("nope"),
        ConflictError("action_items AI-1", yours=1, current=2, by="bob", at="2025-01-20T10:00:00"),
        ArgumentError("percent_users_affected: expected a number from 0 to 100, got -5"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_every_error_is_a_toolkit_error_and_pickles(err):
    assert isinstance(err, ToolkitError)
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err)
    assert str(again) == str(err)


def test_hierarchy_is_drawn_in_the_module_docstring():
    import toolkit.errors as mod

    for name in mod.__all__:
        assert name in mod.__doc__


@pytest.mark.parametrize(
    ("err", "expected"),
    [
        (
            UnknownSourceError(None, ["slack", "pagerduty", "statuspage", "postmortem"], name="jira"),
            "unknown source 'jira'; choose one of slack, pagerduty, statuspage, postmortem",
        ),
        (
            SourceMismatchError("data/sample/statuspage", "PagerDuty", "Statuspage"),
            "data/sample/statuspage: does not look like a PagerDuty export (it looks like Statuspage); "
            "drop --source or pick the right one",
        ),
        (
            ConflictError("action_items AI-1", yours=1, current=2),
            "action_items AI-1: changed by someone else (now version 2; your edit is based on version 1); "
            "reload and edit again",
        ),
    ],
    ids=["unknown-source-name", "source-mismatch", "conflict-without-who"],
)
def test_messages_say_what_is_wrong_and_what_to_do(err, expected):
    assert str(err) == expected


def test_argument_error_is_also_a_value_error():
    assert issubclass(ArgumentError, ValueError)
    assert issubclass(ConflictError, WorkspaceError)
