import pickle

import pytest

from toolkit.errors import (
    ArchiveError,
    InputFormatError,
    PolicyError,
    SchemaError,
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
        WorkspaceError("nope"),
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
