"""Slack message text for people: mentions, channels, links and entities resolved.

Slack stores text in its own markup (``mrkdwn``): ``<@U123>`` is a user mention,
``<#C123|general>`` a channel, ``<https://x|label>`` a link, ``<!here>`` a broadcast,
and ``&lt; &gt; &amp;`` escape the three characters Slack reserves. :func:`render_texts`
resolves all of it over a whole column at once:

==========================  ===========================================
``<@U123>``                 ``@`` + the user's display name (else real name, else the
                            label written in the token, else the id)
``<#C123|name>``/``<#C1>``  ``#name`` (the label, else the channel's name, else the id)
``<!here>`` and kin         ``@here``, ``@channel``, ``@everyone``; ``<!subteam^S1|@ops>``
                            and ``<!date^...|fallback>`` become their label
``<https://x|label>``       ``label (https://x)``; a bare ``<https://x>`` is ``https://x``
``&lt; &gt; &amp;``         ``< > &`` (last, so escaped markup stays literal text)
==========================  ===========================================

Bot messages often carry no text at all and put it in ``attachments`` or ``blocks``;
:func:`fallback_text` gathers it (in Slack markup, rendered like any other text).

Examples
--------
>>> import polars as pl
>>> s = pl.Series(["<@U1> see <#C2|ops> and <https://x.io|the doc> &amp; more"])
>>> render_texts(s, users={"U1": "alice"}, channels={}).to_list()
['@alice see #ops and the doc (https://x.io) & more']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

__all__ = ["fallback_text", "render_texts", "render_token"]

_TOKEN = r"<[@#!][^<>]*>"
_LINK_LABEL = r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^|<>\s]*)\|([^<>]*)>"
_LINK_BARE = r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^|<>\s]*)>"
_ENTITIES = (["&lt;", "&gt;", "&amp;"], ["<", ">", "&"])


def render_token(token: str, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """Render one ``<@…>``, ``<#…>`` or ``<!…>`` token.

    Examples
    --------
    >>> render_token("<@U1|bob>", {}, {})
    '@bob'
    >>> render_token("<!subteam^S1|@oncall>", {}, {})
    '@oncall'
    """
    body = token[1:-1]
    sigil, rest = body[0], body[1:]
    ident, _, label = rest.partition("|")
    if sigil == "@":
        return "@" + (users.get(ident) or label or ident)
    if sigil == "#":
        return "#" + (label or channels.get(ident) or ident)
    if label:
        return label
    word = ident.split("^", 1)[0]
    return "@" + word if word else token


def render_texts(texts: pl.Series, *, users: Mapping[str, str], channels: Mapping[str, str]) -> pl.Series:
    """Render a column of Slack markup (see the module docs); nulls stay null."""
    out = texts.clone()
    needs = out.str.contains("[<&]")
    idx = needs.arg_true()
    if not len(idx):
        return out
    sub = out.gather(idx)
    if sub.str.contains("<", literal=True).any():
        tokens = sub.str.extract_all(_TOKEN).explode().drop_nulls().unique().to_list()
        if tokens:
            sub = sub.str.replace_many(
                tokens, [render_token(t, users, channels) for t in tokens], leftmost=True
            )
        sub = sub.str.replace_all(_LINK_LABEL, "${2} (${1})").str.replace_all(_LINK_BARE, "${1}")
    sub = sub.str.replace_many(*_ENTITIES, leftmost=True)
    out.scatter(idx, sub)
    return out


def fallback_text(message: Mapping[str, Any]) -> str:
    """Text of a message that has none of its own: its attachments', else its blocks'.

    Attachments give their pretext, title and text (else their fallback), one per line.

    Examples
    --------
    >>> fallback_text({"attachments": [{"pretext": "[repo:main] 1 new commit", "text": "fix"}]})
    '[repo:main] 1 new commit\\nfix'
    """
    lines: list[str] = []
    attachments = message.get("attachments")
    if isinstance(attachments, list):
        for att in attachments:
            if not isinstance(att, dict):
                continue
            parts = [att.get(k) for k in ("pretext", "title", "text")]
            found = [p for p in parts if isinstance(p, str) and p]
            if not found and isinstance(att.get("fallback"), str) and att["fallback"]:
                found = [att["fallback"]]
            lines.extend(found)
    if not lines:
        blocks = message.get("blocks")
        if isinstance(blocks, list):
            for block in blocks:
                text = _block_text(block)
                if text:
                    lines.append(text)
    return "\n".join(lines)


def _block_text(node: Any) -> str:
    """Slack-markup text of one Block Kit block (sections, headers, context, rich text)."""
    if isinstance(node, list):
        return "".join(_block_text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind in ("plain_text", "mrkdwn"):
        return str(node.get("text") or "")
    if kind == "text":
        return str(node.get("text") or "")
    if kind == "link":
        url, label = node.get("url") or "", node.get("text") or ""
        return f"<{url}|{label}>" if label else f"<{url}>"
    if kind == "user":
        return f"<@{node.get('user_id', '')}>"
    if kind == "channel":
        return f"<#{node.get('channel_id', '')}>"
    if kind == "usergroup":
        return f"<!subteam^{node.get('usergroup_id', '')}>"
    if kind == "broadcast":
        return f"<!{node.get('range', '')}>"
    if kind == "emoji":
        return f":{node.get('name', '')}:"
    if kind in ("section", "header"):
        parts = [_block_text(node.get("text"))]
        fields = node.get("fields")
        if isinstance(fields, list):
            parts += [_block_text(f) for f in fields]
        return "\n".join(p for p in parts if p)
    if kind == "context":
        return " ".join(p for p in (_block_text(e) for e in node.get("elements") or []) if p)
    if kind in ("rich_text", "rich_text_quote"):
        return "\n".join(p for p in (_block_text(e) for e in node.get("elements") or []) if p)
    if kind == "rich_text_list":
        return "\n".join("- " + p for p in (_block_text(e) for e in node.get("elements") or []) if p)
    if kind in ("rich_text_section", "rich_text_preformatted"):
        return _block_text(node.get("elements") or [])
    return ""
