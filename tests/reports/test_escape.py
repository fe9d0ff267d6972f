import pytest

from toolkit.reports.escape import html_text, json_for_script, md_cell, md_text, safe_url

ATTACKS = [
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param("<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param("[click](javascript:alert(1))", id="js-link"),
    pytest.param("<a href='javascript:alert(1)'>x</a>", id="raw-anchor"),
    pytest.param("![x](https://evil.example/pixel.png)", id="remote-image"),
    pytest.param("<https://evil.example>", id="autolink"),
    pytest.param("&lt;script&gt;", id="entities"),
]


@pytest.mark.parametrize("text", ATTACKS)
def test_html_text_leaves_no_tag_or_entity(text):
    out = html_text(text)
    assert "<" not in out
    assert ">" not in out
    assert "&lt;" not in text or "&amp;lt;" in out


@pytest.mark.parametrize("text", ATTACKS)
def test_md_text_renders_back_to_the_same_characters(text):
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(md_text(text))
    assert rendered == "<p>" + html_text(text).replace("&#x27;", "'").replace("&quot;", '"') + "</p>\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("# title", "\\# title", id="heading"),
        pytest.param("  - item", "\\- item", id="list-after-blanks"),
        pytest.param("1. first", "1\\. first", id="ordered"),
        pytest.param("> quote", "\\> quote", id="quote"),
        pytest.param("a_b*c*", "a\\_b\\*c\\*", id="emphasis"),
        pytest.param("cost $5 and $6", "cost \\$5 and \\$6", id="math"),
        pytest.param("x\n===", "x\n\\===", id="setext"),
    ],
)
def test_md_text_escapes_block_and_inline_markup(text, expected):
    assert md_text(text) == expected


def test_md_cell_is_one_line_with_pipes_escaped():
    assert md_cell("a | b\nc") == "a \\| b c"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://example.com/x?y=1", "https://example.com/x?y=1", id="https"),
        pytest.param("http://example.com/a b", "http://example.com/a%20b", id="space-encoded"),
        pytest.param("mailto:oncall@example.com", "mailto:oncall@example.com", id="mailto"),
        pytest.param(
            'https://x.example/"><script>', "https://x.example/%22%3E%3Cscript%3E", id="quote-encoded"
        ),
        pytest.param("javascript:alert(1)", None, id="javascript"),
        pytest.param(" JaVaScRiPt:alert(1)", None, id="javascript-mixed-case"),
        pytest.param("data:text/html,<script>", None, id="data"),
        pytest.param("vbscript:x", None, id="vbscript"),
        pytest.param("https:///nohost", None, id="no-host"),
        pytest.param("mailto:nobody", None, id="mailto-no-address"),
        pytest.param("/relative", None, id="relative"),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_json_for_script_cannot_close_the_script():
    out = json_for_script('{"t": "</script><!--\u2028"}')
    assert "<" not in out
    assert "\u2028" not in out
    import json

    assert json.loads(out) == {"t": "</script><!--\u2028"}
