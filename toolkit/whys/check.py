"""Validation of a 5-Whys tree: structure, depth limits, root causes and factors."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.whys.tree import Tree

__all__ = ["Problem", "problems_of"]


@dataclass(frozen=True)
class Problem:
    """One validation finding: a code, the node concerned (if one) and a readable message.

    Codes: ``empty``, ``no_root``, ``multiple_roots``, ``orphan``, ``cycle``, ``too_deep``,
    ``too_shallow``, ``no_root_cause``, ``unknown_factor``, ``empty_question``,
    ``unknown_evidence`` (a ref that is not a timeline event's, when events are given).
    """

    code: str
    node_id: str | None
    message: str


def in_cycle(tree: Tree, node_id: str) -> bool:
    """``node_id`` is its own ancestor (a cycle above it, not through it, does not count)."""
    seen = {node_id}
    cur = tree[node_id].parent_id
    while cur is not None and cur in tree:
        if cur == node_id:
            return True
        if cur in seen:
            return False
        seen.add(cur)
        cur = tree[cur].parent_id
    return False


def problems_of(
    tree: Tree,
    *,
    max_depth: int,
    min_depth: int,
    require_root_cause: bool,
    refs: Collection[str] | None = None,
) -> tuple[Problem, ...]:
    """Every problem of ``tree``, in node order (see :meth:`toolkit.whys.Tree.validate`)."""
    inc = tree.incident_id
    nodes = tree.nodes
    if not nodes:
        return (Problem("empty", None, f"{inc}: the tree has no whys"),)
    out: list[Problem] = []
    roots = tree.roots()
    if not roots:
        out.append(Problem("no_root", None, f"{inc}: no first why (every node has a parent)"))
    for extra in roots[1:]:
        message = f"{inc}: node {extra.node_id!r} is a second first why; give it the parent it explains"
        out.append(Problem("multiple_roots", extra.node_id, message))
    known = tree.taxonomy.ids
    for node in nodes:
        nid, parent = node.node_id, node.parent_id
        if parent is not None and parent not in tree:
            out.append(Problem("orphan", nid, f"{inc}: node {nid!r} hangs under missing node {parent!r}"))
        if in_cycle(tree, nid):
            out.append(Problem("cycle", nid, f"{inc}: node {nid!r} is its own ancestor"))
        elif (depth := tree.depth(nid)) > max_depth and (parent is None or tree.depth(parent) <= max_depth):
            out.append(Problem("too_deep", nid, f"{inc}: node {nid!r} is at depth {depth} > {max_depth}"))
        if not node.question.strip():
            out.append(Problem("empty_question", nid, f"{inc}: node {nid!r} has no question"))
        if node.factor is not None and node.factor not in known:
            message = f"{inc}: node {nid!r} has factor {node.factor!r}; known: {', '.join(known)}"
            out.append(Problem("unknown_factor", nid, message))
        unknown = [ref for ref in node.evidence if ref not in refs] if refs is not None else []
        for ref in unknown:
            message = f"{inc}: node {nid!r} cites {ref!r}, which is not a timeline event's ref"
            out.append(Problem("unknown_evidence", nid, message))
    depths = [tree.depth(n.node_id) for n in nodes if not in_cycle(tree, n.node_id)]
    if depths and max(depths) < min_depth:
        out.append(
            Problem("too_shallow", None, f"{inc}: the deepest why is at depth {max(depths)} < {min_depth}")
        )
    if require_root_cause and not any(n.is_root_cause for n in nodes):
        out.append(Problem("no_root_cause", None, f"{inc}: no node is marked as a root cause"))
    return tuple(out)
