"""The analyst's workspace: the timeline cached per state, linked incidents, link edits."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

import toolkit
from tests.timeline.records import ingest_sample
from toolkit import store
from toolkit.errors import ArgumentError
from toolkit.workspace import Workspace


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ws-module")
    ingest_sample(folder)
    Workspace(folder).timeline()
    return folder


@pytest.fixture
def ws(sample_copy, tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(sample_copy, folder)
    return Workspace(folder)


def test_toolkit_workspace_is_the_analysts():
    assert toolkit.Workspace is Workspace
    assert issubclass(Workspace, store.Workspace)


def test_incidents_are_linked_unless_asked_for_records(ws):
    assert ws.incidents().height == 13
    assert ws.incidents(linked=False).height == ws.table("incidents").height == 36


def test_the_timeline_is_read_from_disk_until_something_changes(ws, monkeypatch):
    first = ws.timeline()
    import toolkit.workspace as module

    def no_build(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(module, "build", no_build)
    again = Workspace(ws.path).timeline()  # a fresh process-alike: the cache on disk
    assert again.incidents["incident_id"].to_list() == first.incidents["incident_id"].to_list()
    monkeypatch.undo()
    ws.unlink("pagerduty", "P8N2KRT", actor="dave")
    assert ws.timeline() is not first


def test_a_manual_link_joins_and_an_unlink_splits(ws):
    ws.unlink("pagerduty", "PZ4F9WB", actor="dave")
    tl = ws.timeline()
    assert tl.links.filter(pl.col("ref") == "PZ4F9WB").select("incident_id", "method").row(0) == (
        "INC-2025-01-15-payment-service",
        "self",
    )
    ws.link("INC-2025-01-15-payment", "pagerduty", "PZ4F9WB", actor="dave")
    tl = ws.timeline()
    assert tl.links.filter(pl.col("ref") == "PZ4F9WB").select("incident_id", "method").row(0) == (
        "INC-2025-01-15-payment",
        "manual",
    )
    assert ws.incidents().height == 13
    assert ws.audit().filter(pl.col("table_name") == "links")["actor"].unique().to_list() == ["dave"]


def test_rename_keeps_the_old_id_as_an_alias(ws):
    ws.rename_incident("PD-PZ4F9WB", "INC-2025-01-15-checkout-outage", actor="carol")
    tl = ws.timeline()
    assert "INC-2025-01-15-checkout-outage" in tl.incidents["incident_id"].to_list()
    assert "INC-2025-01-15-payment" not in tl.incidents["incident_id"].to_list()
    assert tl.linked_id("INC-2025-01-15-payment") == "INC-2025-01-15-checkout-outage"
    assert set(tl.links.filter(pl.col("incident_id") == "INC-2025-01-15-checkout-outage")["method"]) == {
        "manual"
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("INC-nope", "INC-x", "no incident 'INC-nope'"),
        ("INC-2025-01-15-payment", "INC 2", "expected one word"),
        ("INC-2025-01-15-payment", "INC-2025-01-23-auth", "is taken by another incident"),
    ],
    ids=["unknown", "spaces", "taken"],
)
def test_bad_renames(ws, old, new, message):
    with pytest.raises(ArgumentError, match=message):
        ws.rename_incident(old, new, actor="carol")


def test_a_missing_workspace_has_an_empty_timeline_and_stays_missing(tmp_path):
    ws = Workspace(tmp_path / "none")
    assert ws.timeline().incidents.height == 0
    assert not (tmp_path / "none").exists()
