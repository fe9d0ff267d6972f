from datetime import UTC, date, datetime

import polars as pl
import pytest
from markdown_it import MarkdownIt

from tests.reports.conftest import PAYLOAD
from toolkit.reports.blocks import (
    PLOTLY_MIME,
    Bullets,
    Figure,
    Group,
    Heading,
    KeyValues,
    Link,
    Note,
    Table,
    Text,
    format_value,
    no_data,
    slug,
)

MD = MarkdownIt("commonmark").enable("table")

BLOCKS = [
    pytest.param(Heading(PAYLOAD), id="heading"),
    pytest.param(Text(PAYLOAD), id="text"),
    pytest.param(Text("see ", Link(PAYLOAD, "javascript:alert(1)")), id="link"),
    pytest.param(Bullets([PAYLOAD, Link("x", "javascript:alert(1)")]), id="bullets"),
    pytest.param(KeyValues({PAYLOAD: PAYLOAD}), id="key-values"),
    pytest.param(Table(pl.DataFrame({"text": [PAYLOAD]})), id="table"),
    pytest.param(Note(PAYLOAD), id="note"),
    pytest.param(Group(Heading(PAYLOAD), Text(PAYLOAD)), id="group"),
]


@pytest.mark.parametrize("block", BLOCKS)
def test_html_keeps_the_payload_as_text(block):
    html = block._repr_html_()
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("block", BLOCKS)
def test_markdown_renders_to_text_not_markup(block):
    html = MD.render(block._repr_markdown_())
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[click](javascript:alert(1))" in html


@pytest.mark.parametrize("block", BLOCKS)
def test_every_block_offers_html_markdown_and_text(block):
    bundle = block._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
    assert "<script>alert(1)</script>" in bundle["text/plain"]


def test_safe_links_are_clickable_in_both_formats():
    link = Link("runbook (v2)", "https://wiki.example/run book")
    assert (
        link.html() == '<a href="https://wiki.example/run%20book" rel="noopener noreferrer">runbook (v2)</a>'
    )
    assert link.markdown() == "[runbook (v2)](<https://wiki.example/run%20book>)"
    assert 'href="https://wiki.example/run%20book"' in MD.render(link.markdown())


def test_table_labels_formats_links_and_row_limit():
    df = pl.DataFrame(
        {
            "at": [datetime(2025, 1, 15, 18, 5, 30, tzinfo=UTC), datetime(2025, 1, 15, 18, 7, tzinfo=UTC)],
            "n": [1234.5, None],
            "url": ["https://x.example/1", "javascript:alert(1)"],
            "skip": ["a", "b"],
        }
    )
    table = Table(
        df, columns={"at": "When", "n": "Count", "url": "Link"}, formats={"n": ",.0f"}, links=("url",)
    )
    assert table.markdown().splitlines() == [
        "| When | Count | Link |",
        "|---|---|---|",
        "| 2025-01-15 18:05 | 1,234 | [https://x.example/1](<https://x.example/1>) |",
        "| 2025-01-15 18:07 |  | javascript:alert(1) |",
    ]
    assert '<th>When</th><th class="tk-num">Count</th><th>Link</th>' in table.html()  # numbers align right
    limited = Table(df, columns={"at": "When"}, max_rows=1)
    assert limited.plain().splitlines() == ["When", "2025-01-15 18:05", "... and 1 more rows"]


def test_empty_table_says_no_data():
    table = Table(pl.DataFrame({"a": []}, schema={"a": pl.String}), empty="no events recorded")
    assert table.plain() == "No data: no events recorded"
    assert table.markdown() == "_No data: no events recorded_"


def test_table_with_an_unknown_column_names_it():
    with pytest.raises(KeyError, match=r"no column\(s\) \['nope'\]"):
        Table(pl.DataFrame({"a": [1]}), columns={"nope": "Nope"}).html()


def test_figure_travels_as_plotly_json_only():
    fig = Figure({"data": [{"type": "bar", "y": [1, 2]}], "layout": {"title": {"text": "t"}}}, title="bars")
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {PLOTLY_MIME, "text/plain"}
    assert bundle[PLOTLY_MIME]["data"] == [{"type": "bar", "y": [1, 2]}]
    assert bundle["text/plain"] == "[bars]"


def test_plotly_figures_are_serialised_by_plotly():
    import plotly.graph_objects as go

    spec = Figure(go.Figure(go.Scatter(x=[datetime(2025, 1, 1, tzinfo=UTC)], y=[1]))).spec()
    assert spec["data"][0]["x"] == ["2025-01-01T00:00:00+00:00"]


def test_a_group_refuses_figures():
    with pytest.raises(TypeError, match="on its own"):
        Group(Figure({"data": []}))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, "", id="none"),
        pytest.param(date(2025, 2, 14), "2025-02-14", id="date"),
        pytest.param(True, "yes", id="bool"),
        pytest.param(2.50, "2.5", id="float"),
        pytest.param(["a", 1], "a, 1", id="list"),
    ],
)
def test_format_value(value, expected):
    assert format_value(value) == expected


def test_heading_levels_and_slugs():
    assert (
        Heading("Root cause (5 Whys)", level=3).html()
        == '<h3 id="root-cause-5-whys">Root cause (5 Whys)</h3>'
    )
    assert slug("!!!") == "section"
    with pytest.raises(ValueError, match="1 to 6"):
        Heading("x", level=7)
    assert no_data("nothing").markdown() == "_No data: nothing_"
