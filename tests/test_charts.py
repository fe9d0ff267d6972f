"""Charts draw what the analyses computed, nothing more (so the frames' figures are the figures')."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from tests.actions._sample import copy_of, sample_workspace
from toolkit import actions, charts

AS_OF = date(2025, 3, 1)


@pytest.fixture(scope="session")
def ft(tmp_path_factory):
    ws = copy_of(sample_workspace(tmp_path_factory), tmp_path_factory.mktemp("charts") / "ws")
    return actions.follow_through(ws, as_of=AS_OF)


def test_burndown_draws_the_burndown_frame(ft):
    fig = charts.burndown(ft)
    names = [t.name for t in fig.data]
    assert names == ["open", "of which overdue", "closed so far"]
    days = ft.burndown
    assert list(fig.data[0].y) == days["open"].to_list()
    assert list(fig.data[1].y) == days["overdue"].to_list()
    assert list(fig.data[2].y) == days["closed"].to_list()
    assert (str(fig.data[0].x[0]), str(fig.data[0].x[-1])) == ("2025-01-15", "2025-03-01")
    assert fig.layout.title.text == "Action items: open and overdue"


def test_aging_stacks_open_items_by_priority(ft):
    fig = charts.aging(ft)
    assert [t.name for t in fig.data] == ["P0", "P1", "P2", "P3"]
    assert fig.layout.barmode == "stack"
    by_name = {t.name: list(t.y) for t in fig.data}
    assert by_name == {"P0": [0, 0, 0, 0], "P1": [0, 0, 3, 0], "P2": [0, 0, 4, 0], "P3": [0, 0, 0, 0]}
    assert list(fig.data[0].x) == ["0-7 days", "8-30 days", "31-90 days", "over 90 days"]
    assert fig.layout.title.text == "Open action items by age (as of 2025-03-01)"
    assert fig.data[2].marker.color == charts.PRIORITY_COLORS["P2"]


def test_importing_charts_loads_no_plotly():
    code = "import sys, toolkit.charts, toolkit.forms; print('plotly' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
