"""Role assignments in war-room messages: who is IC, TL, Comms, Scribe, SME.

Read from the raw Slack text, where a mention is ``<@U123>`` and so names a user
unambiguously (display names may contain spaces). Four shapes, role names from the
policy's ``[slack.roles]`` (any case):

* ``IC: @alice``, ``**Commander:** @erin``, ``SME (DB): @ivan``, ``IC: Alice Chen`` (a bare
  capitalised name only when nothing but the name follows on the line);
* ``@bob (Technical Lead - coordinates debugging)``;
* ``@dave is the Scribe``, ``IC is now @bob``;
* ``I'm the Incident Commander`` / ``I'll take comms`` (the author).

All shapes are one pattern, run over the whole column with polars.

Examples
--------
>>> from toolkit.policy import Policy
>>> from toolkit.importers.slack.rules import SlackPolicy
>>> rules = SlackPolicy.from_policy(Policy.default())
>>> find_roles("IC: <@U1>\\nTechnical Lead: <@U2>", rules=rules, author=("U9", "zoe"), names={"U1": "alice"})
[('IC', 'alice', 'U1'), ('TL', 'U2', 'U2')]
>>> find_roles("SEV2 declared - I'm the Incident Commander.", rules=rules, author=("U9", "zoe"))
[('IC', 'zoe', 'U9')]
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.importers.slack.rules import SlackPolicy

__all__ = ["assignments", "find_roles", "role_patterns", "role_prefilter", "role_words"]


def _who(tag: str) -> str:
    return rf"(?:<@(?P<uid{tag}>[A-Z0-9]+)(?:\|(?P<label{tag}>[^>]*))?>|@(?P<handle{tag}>[\w.\-']+))"


_BARE = r"(?P<bare>(?-i:[A-Z][\w.'\-]*(?:[ ][A-Z][\w.'\-]*){0,2}))[ \t]*(?:$|[(,|])"
_SELF = (
    r"\bI(?:['’]m|\s+am|['’]ll\s+be|\s+will\s+be|['’]ll\s+take|\s+will\s+take|['’]m\s+taking|\s+am\s+taking)"
    r"\s+(?:over\s+(?:as\s+)?)?(?:the\s+)?"
)


def _escape(name: str) -> str:
    """A role name as a pattern valid in both Python and Rust regex (spaces match any run)."""
    out = []
    for ch in name:
        if ch.isalnum():
            out.append(ch)
        elif ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        else:
            out.append("\\" + ch)
    return "".join(out)


def role_prefilter(rules: SlackPolicy) -> str:
    """A cheap pattern (valid for polars) that every message naming a role matches."""
    return rf"(?i)\b(?:{'|'.join(_escape(n) for n in rules.role_names())})\b"


def role_words(rules: SlackPolicy) -> list[str] | None:
    """The longest word of every role name: a message naming a role holds one of them.

    None when a name is not ASCII: then its other cases are not all known here.

    Examples
    --------
    >>> from toolkit.policy import Policy
    >>> "Commander" in role_words(SlackPolicy.from_policy(Policy.default()))
    True
    """
    words = {max(name.split(), key=len) for name in rules.role_names()}
    return sorted(words) if all(w.isascii() for w in words) else None


def role_patterns(rules: SlackPolicy) -> dict[str, str]:
    """The role shapes A-E (module docs), each a pattern in Rust syntax for polars (no look-around).

    They run one by one: a single alternation of all five is many times slower in Rust's
    regex engine.
    """
    alt = "|".join(_escape(n) for n in rules.role_names())
    shapes = {
        "A": rf"(?:^|[\s(•*_\-|>])(?P<roleA>{alt})\s*(?:\([^)\n]*\))?\s*[*_]*\s*[:=]\s*[*_]*\s*"
        rf"(?:{_who('A')}|{_BARE})",
        "B": rf"{_who('B')}\s*\((?P<roleB>{alt})(?-u:\b)[^)\n]*\)",
        "C": rf"{_who('C')}\s+(?:is|will\s+be|as)\s+(?:now\s+)?(?:the\s+|our\s+)?(?P<roleC>{alt})(?-u:\b)",
        "D": rf"(?:^|[^\w])(?P<roleD>{alt})\s+(?:is|will\s+be)\s+(?:now\s+)?{_who('D')}",
        "E": rf"{_SELF}(?P<roleE>{alt})(?-u:\b)",
    }
    return {tag: "(?im)" + shape for tag, shape in shapes.items()}


def assignments(
    messages: pl.DataFrame, *, rules: SlackPolicy, names: Mapping[str, str], text: str = "raw_text"
) -> pl.DataFrame:
    """One row per role named in ``messages`` (which need ``text``, ``user_id`` and ``user``).

    Adds ``role`` (canonical), ``name`` (display name) and ``who`` (user id, when known)
    to the message's other columns; a role named twice with the same person in one
    message counts once.
    """
    canonical = {" ".join(n.lower().split()): role for role, ns in rules.roles.items() for n in ns}
    numbered = messages.with_row_index("_msg")
    parts = []
    for tag, pattern in role_patterns(rules).items():
        found = (
            numbered.with_columns(_match=pl.col(text).fill_null("").str.extract_all(pattern))
            .explode("_match")
            .filter(pl.col("_match").is_not_null())
        )
        if not found.height:
            continue
        g = found.select(pl.col("_match").str.extract_groups(pattern)).unnest("_match")
        written = g[f"role{tag}"]
        name: pl.Expr | pl.Series
        who: pl.Expr | pl.Series
        if tag == "E":
            name, who = pl.coalesce("user", "user_id"), pl.col("user_id")
        else:
            uid, label, handle = g[f"uid{tag}"], g[f"label{tag}"], g[f"handle{tag}"]
            bare = g["bare"] if tag == "A" else pl.lit(None, pl.String)
            name = (
                pl.when(uid.is_not_null())
                .then(
                    pl.coalesce(
                        uid.replace_strict(dict(names), default=None, return_dtype=pl.String), label, uid
                    )
                )
                .when(handle.is_not_null())
                .then(handle.str.strip_chars_end(".,;:'"))
                .otherwise(bare.str.strip_chars())
            )
            who = uid
        parts.append(
            found.with_columns(
                _shape=pl.lit(tag),
                role=written.str.to_lowercase()
                .str.replace_all(r"\s+", " ")
                .replace_strict(canonical, default=None, return_dtype=pl.String),
                name=name,
                who=who,
            )
        )
    if not parts:
        return messages.clear().with_columns(
            role=pl.lit(None, pl.String), name=pl.lit(None, pl.String), who=pl.lit(None, pl.String)
        )
    out = pl.concat(parts, how="vertical").sort("_msg", "_shape", maintain_order=True)
    out = out.filter(pl.col("role").is_not_null() & (pl.col("name").fill_null("") != ""))
    return out.unique(["_msg", "role", "name"], keep="first", maintain_order=True).drop(
        "_msg", "_match", "_shape"
    )


def find_roles(
    raw: str,
    *,
    rules: SlackPolicy,
    author: tuple[str | None, str | None],
    names: Mapping[str, str] | None = None,
) -> list[tuple[str, str, str | None]]:
    """``(role, display name, user id or None)`` for each role named in one message, in order.

    ``raw`` is Slack markup (mentions as ``<@U123>``); ``author`` is the poster's
    ``(user id, display name)``, who is meant by "I'm the IC".
    """
    one = pl.DataFrame(
        {"raw_text": [raw], "user_id": [author[0]], "user": [author[1]]},
        schema=dict.fromkeys(("raw_text", "user_id", "user"), pl.String),
    )
    found = assignments(one, rules=rules, names=names or {})
    return [(r, n, w) for r, n, w in found.select("role", "name", "who").iter_rows()]
