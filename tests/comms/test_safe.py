"""Untrusted text stays plain text in each format; customer drafts lose staff names and addresses."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from toolkit.comms.safe import escape, plain, redact

WJ = "\u2060"

ESCAPES = [
    pytest.param("<!channel> now", "slack", "&lt;!channel&gt; now", id="slack-channel"),
    pytest.param("<!here|here>", "slack", "&lt;!here|here&gt;", id="slack-here"),
    pytest.param(
        "ask <@U123> & <#C1|ops>", "slack", f"ask &lt;@{WJ}U123&gt; &amp; &lt;#C1|ops&gt;", id="slack-user"
    ),
    pytest.param(
        "<https://evil.example|click>", "slack", "&lt;https://evil.example|click&gt;", id="slack-link"
    ),
    pytest.param("@channel @here @bob", "slack", f"@{WJ}channel @{WJ}here @{WJ}bob", id="slack-at"),
    pytest.param("mail support@acme.example", "slack", "mail support@acme.example", id="slack-email-kept"),
    pytest.param("[x](javascript:alert(1))", "markdown", "\\[x\\](javascript:alert(1))", id="md-link"),
    pytest.param("![img](http://e/x.png)", "markdown", "\\!\\[img\\](http://e/x.png)", id="md-image"),
    pytest.param(
        "<script>alert(1)</script>", "markdown", "&lt;script&gt;alert(1)&lt;/script&gt;", id="md-html"
    ),
    pytest.param("*a* _b_ `c` ~d~", "markdown", "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~", id="md-emphasis"),
    pytest.param(
        "# head\n- item\n1. one\n> quote",
        "markdown",
        "\\# head\n\\- item\n1\\. one\n&gt; quote",
        id="md-blocks",
    ),
    pytest.param("a | b", "markdown", "a \\| b", id="md-pipe"),
    pytest.param("cc @octocat", "markdown", f"cc @{WJ}octocat", id="md-at"),
    pytest.param("<!channel> *x*", "text", "<!channel> *x*", id="text-kept"),
    pytest.param("hi @here", "text", f"hi @{WJ}here", id="text-at"),
    pytest.param(
        "red\x1b[31m bell\x07 rtl\u202eevil", "text", "red[31m bell rtl" + "evil", id="text-controls"
    ),
    pytest.param("a\r\nb\rc", "text", "a\nb\nc", id="text-line-ends"),
]


@pytest.mark.parametrize(("text", "fmt", "expected"), ESCAPES)
def test_escape(text: str, fmt: str, expected: str) -> None:
    assert escape(text, fmt) == expected


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'html'"):
        escape("x", "html")


def test_escaped_markdown_renders_as_the_same_characters() -> None:
    evil = "**bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)> `code` # h &amp; ~~s~~ | t"
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(escape(evil, "markdown"))
    for tag in ("<strong", "<a ", "<img", "<code", "<h1", "<s>", "<del"):
        assert tag not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;amp;" in html  # "&amp;" shows as typed, not as "&"


def test_plain_keeps_tabs_and_newlines() -> None:
    assert plain("a\tb\nc\x00") == "a\tb\nc"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Alice rolled back", "our team rolled back", id="name"),
        pytest.param("@alice and ALICE CHEN", "our team and our team", id="handle-and-case"),
        pytest.param("Malice is a word", "Malice is a word", id="whole-words-only"),
        pytest.param("write alice.chen@acme.example", "write [email removed]", id="email"),
        pytest.param("contact support@acme.example", "contact support@acme.example", id="kept-address"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text, names=["Alice", "alice", "Alice Chen"], keep=["Support@acme.example"]) == expected
