"""An author's Markdown: emphasis, code and safe links kept; HTML, images and script links as text."""

import pytest
from markdown_it import MarkdownIt

from tests.reports.conftest import PAYLOAD
from toolkit.reports.prose import Prose, ProseList

MD = MarkdownIt("commonmark")


@pytest.mark.parametrize(
    "block", [Prose(f"**Note:** {PAYLOAD}"), ProseList((f"**Note:** {PAYLOAD}", "_two_"))]
)
def test_payload_stays_text_in_both_formats(block):
    for html in (block.html(), MD.render(block.markdown())):
        assert "<strong>Note:</strong>" in html
        assert (
            "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; [click](javascript:alert(1))"
            in html
        )
        assert "<script" not in html
        assert "<img" not in html
        assert "href" not in html


@pytest.mark.parametrize(
    ("text", "html", "markdown"),
    [
        pytest.param("**a** _b_", "<strong>a</strong> <em>b</em>", "**a** _b_", id="emphasis"),
        pytest.param("run `rm -rf <x>`", "run <code>rm -rf &lt;x&gt;</code>", "run `rm -rf <x>`", id="code"),
        pytest.param(
            "see [doc](https://x.example/d)",
            'see <a href="https://x.example/d">doc</a>',
            "see [doc](<https://x.example/d>)",
            id="link",
        ),
        pytest.param(
            "![pixel](https://evil.example/p.png)",
            '!<a href="https://evil.example/p.png">pixel</a>',
            "\\![pixel](<https://evil.example/p.png>)",
            id="no-image",
        ),
        pytest.param("# not a heading", "# not a heading", "\\# not a heading", id="heading"),
        pytest.param("costs $5 ~ $6", "costs $5 ~ $6", "costs \\$5 \\~ \\$6", id="math"),
    ],
)
def test_what_is_kept(text, html, markdown):
    assert Prose(text).html() == f'<p class="tk-text">{html}</p>'
    assert Prose(text).markdown() == markdown


def test_plain_text_drops_the_markup():
    assert (
        Prose("**Fast detection:** in `5` min\nthen [x](https://a.example)").plain()
        == "Fast detection: in 5 min then x"
    )
