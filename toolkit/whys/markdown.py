"""5-Whys trees as Markdown in the post-mortem template's numbered style, both ways.

The template writes a chain, one numbered bold question per why with its answer below::

    1. **Why did checkouts fail?**
    Payment API returned 500 errors.
    2. **Why did the API return 500 errors?**
    Could not acquire database connections.

    **Root Cause:** Connection leak in payment-service v2.5, introduced in PR #1234.

**The number of an item is its depth** (the first why is 1), so its parent is the most
recent item numbered one less. A chain counts 1, 2, 3, ...; a branch repeats a number:
``1, 2, 3, 3`` makes both 3s causes of 2 (``3a.``/``3b.`` read the same). When the numbers
do not make a tree (nested lists numbered from 1 again), indentation decides instead: an
indented list hangs under the item above it and each item answers the one before it.

The writer nests the earlier causes of a branch under their parent (numbered by depth)
and continues with the last cause at the parent's level, so the text reads like the
template and imports back to the same tree. Besides question and answer, an item may
carry a line ``*[root cause · factor: testing · evidence: pm.md:21, pm.md:28]*`` (written
only when it differs from the defaults: root causes are the leaves, factors come from the
keyword rules), a trailing ``(root cause)`` after its answer, and an id comment
``<!-- id: W3 -->``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.whys.tree import Node, Tree

__all__ = [
    "ParsedNode",
    "ParsedWhys",
    "RenderNode",
    "parse_whys",
    "render_markdown",
    "render_nodes",
    "render_text",
]

_ITEM_RX = re.compile(r"^(?P<indent>\s*)(?P<num>\d{1,2})(?P<letter>[a-z])?[.)]\s+(?P<text>.*)$")
_BULLET_RX = re.compile(r"^(?P<indent>\s*)[-*+•]\s+(?P<text>.*)$")
_ROOT_RX = re.compile(
    r"^(?:\s*(?:\*\*|__)\s*root[- ]causes?\s*:?\s*(?:\*\*|__)\s*:?|root[- ]causes?\s*:)\s*(?P<text>.*)$",
    re.IGNORECASE,
)
_META_RX = re.compile(r"^\s*[*_]\[(?P<body>.*)\][*_]\s*$")
_ID_RX = re.compile(r"<!--\s*id:\s*(?P<id>[^\s>]+)\s*-->")
_BOLD_LEAD_RX = re.compile(r"^(\*\*|__)(?P<q>.+?)\1\s*(?P<rest>.*)$")
_ANSWER_PREFIX_RX = re.compile(r"^(?:a(?:nswer)?\s*[:.)]\s*|→\s*|->\s*|—\s*|–\s*|-\s+|:\s*)", re.IGNORECASE)
_QUESTION_PREFIX_RX = re.compile(
    r"^(?:q(?:uestion)?\s*[:.)]\s*|why\s*#?\d+\s*[:.)-]\s*(?=why\b))", re.IGNORECASE
)
_TRAILING_ROOT_RX = re.compile(
    r"\s*(?<!\\)(?:[(\[]\s*root[- ]cause\s*[)\]]|←\s*root[- ]cause|\*\*\s*\(?root[- ]cause\)?\s*\*\*)\s*\.?\s*$",
    re.IGNORECASE,
)
_INLINE_RX = (
    (re.compile(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1"), r"\2"),
    (re.compile(r"(?<!\\)`([^`]+)(?<!\\)`"), r"\1"),
)


_ESCAPED_RX = re.compile(r"\\([!-/:-@\[-`{-~])")


def _plain(text: str) -> str:
    out = text
    for rx, rep in _INLINE_RX:
        out = rx.sub(rep, out)
    return html.unescape(_ESCAPED_RX.sub(r"\1", re.sub(r"\s+", " ", out).strip()))


def escape_answer(text: str) -> str:
    """Text the reader will take back as it is: not as an item, a bullet, a mark, an
    answer prefix ("A:", ":", "→") or the root-cause statement (Markdown escapes)."""
    out = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
    out = re.sub(r"&(?=#?\w+;)", "&amp;", out)
    if any(rx.search(out) for rx, _ in _INLINE_RX):
        out = re.sub(r"([*_`])", r"\\\1", out)
    if _ITEM_RX.match(out):
        out = re.sub(r"^(\s*\d{1,2}[a-z]?)([.)])", r"\1\\\2", out)
    elif re.match(r"^\s*([-*+#>|:]|[*_]\[)", out):
        out = "\\" + out.lstrip()
    elif out[:1] in ("→", "—", "–"):
        out = f"&#{ord(out[0])};{out[1:]}"
    if _ROOT_RX.match(out) or re.match(r"(?i)^(a(nswer)?|q(uestion)?)\s*[:.)]", out):
        out = re.sub(r"([:.)])", r"\\\1", out, count=1)
    trailing = _TRAILING_ROOT_RX.search(out)
    if trailing:
        out = out[: trailing.start()] + re.sub(r"([(\[*])", r"\\\1", out[trailing.start() :], count=1)
    return out


@dataclass
class ParsedNode:
    """One why as read: where, what, and the marks written next to it."""

    line: int
    indent: int
    number: int | None
    question: str
    answer_parts: list[str] = field(default_factory=list)
    parent: int | None = None
    """Index of the parent in :attr:`ParsedWhys.nodes` (None for the first why)."""
    root_cause: bool | None = None
    """An explicit mark: True ("root cause"), False ("not root cause") or None (unmarked)."""
    factor: str | None = None
    factor_given: bool = False
    """A ``factor:`` mark was present (``factor: none`` sets it to None by hand)."""
    evidence: tuple[str, ...] = ()
    node_id: str | None = None

    @property
    def answer(self) -> str | None:
        """The answer lines joined (soft line breaks become spaces), or None."""
        text = _plain(" ".join(self.answer_parts))
        return text or None


@dataclass
class ParsedWhys:
    """The whys of one Markdown section: nodes in document order, the root-cause statement,
    and the lines that were neither (with their numbers, for the importer's rejections)."""

    nodes: list[ParsedNode]
    root_cause: str | None
    root_cause_line: int | None
    stray: list[tuple[int, str]]
    used_indentation: bool = False


def _split_first(text: str) -> tuple[str, str]:
    """An item's first line as (question, start of answer)."""
    m = _BOLD_LEAD_RX.match(text)
    if m:
        return m.group("q").strip(), m.group("rest").strip()
    if "?" in text:
        head, _, rest = text.partition("?")
        return head.strip() + "?", rest.strip()
    return text.strip(), ""


def _is_bullet_why(text: str) -> bool:
    q, _ = _split_first(text)
    return q.lower().lstrip("*_ ").startswith("why") or q.endswith("?")


def _apply_meta(node: ParsedNode, body: str) -> None:
    for part in re.split(r"\s*[·;|]\s*", body):
        low = part.strip().lower()
        if not low:
            continue
        if low in ("root cause", "root-cause"):
            node.root_cause = True
        elif low in ("not root cause", "not a root cause", "no root cause"):
            node.root_cause = False
        elif low.startswith("factor:"):
            value = part.split(":", 1)[1].strip()
            node.factor = None if value.lower() in ("", "none", "-") else value
            node.factor_given = True
        elif low.startswith("evidence:"):
            refs = part.split(":", 1)[1]
            node.evidence = tuple(r.strip() for r in refs.split(",") if r.strip())


def parse_whys(lines: Sequence[tuple[int, str]]) -> ParsedWhys:
    """Read the numbered whys, their marks and the ``**Root Cause:**`` statement.

    ``lines`` are (line number, text) pairs of one section, heading excluded.

    Examples
    --------
    >>> parsed = parse_whys([(1, "1. **Why?**"), (2, "Because."), (3, "2. **Why that?**"), (4, "Bug.")])
    >>> [(n.question, n.answer, n.parent) for n in parsed.nodes]
    [('Why?', 'Because.', None), ('Why that?', 'Bug.', 0)]
    """
    nodes: list[ParsedNode] = []
    stray: list[tuple[int, str]] = []
    root_parts: list[str] = []
    root_line: int | None = None
    in_root = False
    for number, text in lines:
        if text.lstrip().startswith("#"):
            in_root = False
            continue
        if not text.strip():
            in_root = False
            continue
        m = _ROOT_RX.match(text)
        if m and not _ITEM_RX.match(text):
            in_root, root_line = True, root_line or number
            root_parts.append(m.group("text"))
            continue
        if in_root:
            root_parts.append(text)
            continue
        item = _ITEM_RX.match(text)
        bullet = None if item else _BULLET_RX.match(text)
        if item or (bullet and _is_bullet_why(bullet.group("text")) and not nodes_answering(nodes, bullet)):
            src = item or bullet
            assert src is not None
            body = src.group("text")
            node_id = None
            idm = _ID_RX.search(body)
            if idm:
                node_id = idm.group("id")
                body = _ID_RX.sub("", body)
            question, rest = _split_first(body)
            question = _QUESTION_PREFIX_RX.sub("", _plain(question)).strip()
            node = ParsedNode(
                number,
                len(src.group("indent").expandtabs(4)),
                int(item.group("num")) if item else None,
                question,
                node_id=node_id,
            )
            if rest:
                node.answer_parts.append(_ANSWER_PREFIX_RX.sub("", rest))
            nodes.append(node)
            continue
        meta = _META_RX.match(text)
        if meta and nodes:
            _apply_meta(nodes[-1], meta.group("body"))
            continue
        if nodes:
            part = _ANSWER_PREFIX_RX.sub("", text.strip())
            nodes[-1].answer_parts.append(part)
            continue
        stray.append((number, text))
    for node in nodes:
        if node.answer_parts:
            joined = " ".join(node.answer_parts)
            if _TRAILING_ROOT_RX.search(joined):
                node.root_cause = True
                node.answer_parts = [_TRAILING_ROOT_RX.sub("", joined)]
    used_indentation = not _link_by_number(nodes)
    if used_indentation:
        _link_by_indent(nodes)
    root = _plain(" ".join(root_parts)) or None
    return ParsedWhys(nodes, root, root_line, stray, used_indentation)


def nodes_answering(nodes: list[ParsedNode], bullet: re.Match[str]) -> bool:
    """A bullet indented under the last why is part of its answer, not a new why."""
    if not nodes:
        return False
    return len(bullet.group("indent").expandtabs(4)) > nodes[-1].indent and nodes[-1].number is not None


def _link_by_number(nodes: list[ParsedNode]) -> bool:
    """Parents by depth numbers; False (and nothing linked) when the numbers make no tree."""
    if not nodes or any(n.number is None for n in nodes) or nodes[0].number != 1:
        return False
    last_at: dict[int, int] = {}
    parents: list[int | None] = []
    for i, node in enumerate(nodes):
        depth = node.number
        assert depth is not None
        if depth == 1:
            if i:
                return False
            parents.append(None)
        elif depth - 1 in last_at:
            parents.append(last_at[depth - 1])
        else:
            return False
        last_at[depth] = i
        for deeper in [d for d in last_at if d > depth]:
            del last_at[deeper]
    for node, parent in zip(nodes, parents, strict=True):
        node.parent = parent
    return True


def _link_by_indent(nodes: list[ParsedNode]) -> None:
    """Parents by indentation: a nested list hangs under the item above; items chain."""
    levels: list[list[int]] = []  # [indent, index of the last item at that indent]
    for i, node in enumerate(nodes):
        if not levels:
            node.parent = None
            levels.append([node.indent, i])
            continue
        if node.indent > levels[-1][0]:
            node.parent = levels[-1][1]
            levels.append([node.indent, i])
            continue
        while len(levels) > 1 and node.indent < levels[-1][0]:
            levels.pop()
        node.parent = levels[-1][1]
        levels[-1][1] = i


# ---------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class RenderNode:
    """What the writer needs of a node (kept apart from :class:`toolkit.whys.Node`)."""

    node_id: str
    question: str
    answer: str | None
    meta: tuple[str, ...]
    children: tuple[RenderNode, ...]


def render_markdown(
    roots: Sequence[RenderNode],
    *,
    root_cause: str | None = None,
    heading: str | None = None,
    ids: bool = False,
) -> str:
    """The numbered Markdown of a tree (see the module docstring for the layout)."""
    out: list[str] = []
    if heading:
        out.append(heading)

    def emit(node: RenderNode, depth: int, indent: int) -> None:
        pad = " " * indent
        question = node.question if node.question.startswith(("**", "__")) else f"**{node.question}**"
        suffix = f" <!-- id: {node.node_id} -->" if ids else ""
        out.append(f"{pad}{depth}. {question}{suffix}")
        if node.answer:
            out.append(f"{pad}{escape_answer(node.answer)}")
        if node.meta:
            out.append(f"{pad}*[{' · '.join(node.meta)}]*")
        kids = node.children
        for child in kids[:-1]:
            emit(child, depth + 1, indent + len(f"{depth}. "))
        if kids:
            emit(kids[-1], depth + 1, indent)

    for root in roots:
        emit(root, 1, 0)
    if root_cause:
        out.extend(["", f"**Root Cause:** {escape_answer(root_cause)}"])
    return "\n".join(out) + "\n"


def render_text(
    roots: Sequence[RenderNode],
    *,
    title: str | None = None,
    describe: Callable[[RenderNode], str],
) -> str:
    """An indented text tree (box-drawing characters), one node per line."""
    out: list[str] = [title] if title else []

    def emit(node: RenderNode, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("└─ " if last else "├─ ")
        out.append(f"{prefix}{branch}{describe(node)}")
        child_prefix = prefix if top else prefix + ("   " if last else "│  ")
        for i, child in enumerate(node.children):
            emit(child, child_prefix, i == len(node.children) - 1, False)

    for root in roots:
        emit(root, "", True, True)
    return "\n".join(out) + "\n"


def render_nodes(tree: Tree, *, marks: bool) -> list[RenderNode]:
    """The tree as :class:`RenderNode` roots; with ``marks``, each node carries the marks
    that differ from the defaults (root causes = leaves, factor = keyword rules)."""
    leaves = {n.node_id for n in tree.leaves()}
    flagged = {n.node_id for n in tree.nodes if n.is_root_cause}
    mark_roots = flagged != leaves

    def build(node: Node) -> RenderNode:
        meta: list[str] = []
        if marks:
            if mark_roots and node.is_root_cause:
                meta.append("root cause")
            if mark_roots and not flagged and node.node_id in leaves:
                meta.append("not root cause")
            if node.factor != tree.taxonomy.classify(node.answer, node.question):
                meta.append(f"factor: {node.factor or 'none'}")
            if node.evidence:
                meta.append(f"evidence: {', '.join(node.evidence)}")
        kids = tuple(build(c) for c in tree.children(node.node_id))
        return RenderNode(node.node_id, node.question, node.answer, tuple(meta), kids)

    return [build(r) for r in tree.roots()]
