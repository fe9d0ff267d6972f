"""The 5-Whys tree: :class:`Node`, :class:`Tree` (build, validate, render, save), and readers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from toolkit import schema
from toolkit.errors import ToolkitError
from toolkit.policy import Policy
from toolkit.whys.check import Problem, problems_of
from toolkit.whys.markdown import (
    ParsedWhys,
    RenderNode,
    parse_whys,
    render_markdown,
    render_nodes,
    render_text,
)
from toolkit.whys.taxonomy import Taxonomy, WhysRules, rules

if TYPE_CHECKING:  # pragma: no cover
    from plotly.graph_objects import Figure

    from toolkit.store import Workspace

__all__ = ["AUTO", "Node", "Tree", "TreeError", "from_parsed", "trees"]

AUTO: Final = "auto"
"""``factor=AUTO``: assign the factor by the taxonomy's keyword rules."""


class TreeError(ToolkitError):
    """A 5-Whys tree that is not valid, or an edit that would break it.

    ``problems`` lists every :class:`Problem` found (empty for a single bad edit).
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.problems))


@dataclass(frozen=True)
class Node:
    """One why: the question, its answer, and what the analysis concluded about it."""

    node_id: str
    question: str
    answer: str | None = None
    parent_id: str | None = None
    is_root_cause: bool = False
    factor: str | None = None
    evidence: tuple[str, ...] = ()


_WHYS_SCHEMA = schema.TABLES["whys"].schema
_EDITABLE = {"question", "answer", "parent_id", "is_root_cause", "factor", "evidence"}


def _tidy(text: str | None) -> str | None:
    """One paragraph: whitespace runs (line breaks too) become single spaces; blank is None."""
    return " ".join(text.split()) or None if text is not None else None


def _natural(node_id: str) -> tuple[str, int, str]:
    m = re.match(r"^(\D*)(\d+)(.*)$", node_id)
    return (m.group(1), int(m.group(2)), m.group(3)) if m else (node_id, -1, "")


class Tree:
    """A 5-Whys tree for one incident, built in a notebook or read from a table or Markdown.

    Parameters
    ----------
    incident_id
        The incident the analysis belongs to.
    policy
        Supplies the factor taxonomy and depth limits (default: the shipped policy).
    root_cause
        The root-cause statement (the template's ``**Root Cause:**`` paragraph), if any.
    nodes
        Nodes to start from, as they are (not checked; see :meth:`validate`).

    Examples
    --------
    >>> tree = Tree("INC-1")
    >>> first = tree.add(None, "Why was checkout down?", "The database refused connections.")
    >>> a = tree.add(first, "Why did it refuse them?", "The pool was exhausted.")
    >>> b = tree.add(first, "Why was nobody alerted?", "No alert on pool usage.")
    >>> [n.node_id for n in tree.root_causes()], tree[b].factor
    (['W2', 'W3'], 'monitoring')
    """

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __init__(
        self,
        incident_id: str,
        *,
        policy: Policy | None = None,
        root_cause: str | None = None,
        nodes: Iterable[Node] = (),
    ) -> None:
        self.incident_id = incident_id
        self.root_cause = root_cause
        self._rules: WhysRules = rules(policy)
        self._nodes: dict[str, Node] = {n.node_id: n for n in nodes}
        # None: root causes are the leaves; a set: exactly these nodes (marked by hand or loaded)
        self._marked: set[str] | None = (
            {n.node_id for n in self._nodes.values() if n.is_root_cause} if self._nodes else None
        )

    # -- building -------------------------------------------------------------------
    @property
    def taxonomy(self) -> Taxonomy:
        """The factor taxonomy in force."""
        return self._rules.taxonomy

    def _factor(self, factor: str | None, question: str, answer: str | None) -> str | None:
        if factor == AUTO:
            return self.taxonomy.classify(answer, question)
        if factor is not None and factor not in self.taxonomy.ids:
            raise TreeError(
                f"{self.incident_id}: unknown factor {factor!r}; known factors: {', '.join(self.taxonomy.ids)}"
                " (or None, or whys.AUTO for the keyword rules)"
            )
        return factor

    def _next_id(self) -> str:
        n = len(self._nodes) + 1
        while f"W{n}" in self._nodes:
            n += 1
        return f"W{n}"

    def add(
        self,
        parent: str | Node | None,
        question: str,
        answer: str | None = None,
        *,
        node_id: str | None = None,
        is_root_cause: bool | None = None,
        factor: str | None = AUTO,
        evidence: Iterable[str] = (),
    ) -> str:
        """Add a why under ``parent`` (None for the first why) and return its node id.

        ``factor`` defaults to the keyword rules (:data:`AUTO`); pass a category id to set
        it by hand or None for none. ``is_root_cause`` defaults to "is a leaf" until some
        node is marked by hand (``True``), after which only marked nodes are root causes.

        Raises
        ------
        TreeError
            Unknown parent, duplicate id, a second first why, an empty question or an
            unknown factor.
        """
        parent_id = parent.node_id if isinstance(parent, Node) else parent
        if parent_id is not None and parent_id not in self._nodes:
            raise TreeError(
                f"{self.incident_id}: no node {parent_id!r} to add a why under; nodes: {', '.join(self._nodes)}"
            )
        if parent_id is None and any(n.parent_id is None for n in self._nodes.values()):
            raise TreeError(
                f"{self.incident_id}: the tree already has its first why; pass the node this why explains as parent"
            )
        if not question or not question.strip():
            raise TreeError(f"{self.incident_id}: a why needs a question")
        nid = node_id or self._next_id()
        if nid in self._nodes:
            raise TreeError(f"{self.incident_id}: node id {nid!r} is taken")
        question, answer = _tidy(question) or "", _tidy(answer)
        node = Node(
            nid, question, answer, parent_id, False, self._factor(factor, question, answer), tuple(evidence)
        )
        self._nodes[nid] = node
        self._mark(nid, is_root_cause)
        return nid

    def update(self, node_id: str, **changes: Any) -> Node:
        """Change fields of a node (question, answer, parent_id, is_root_cause, factor, evidence).

        ``factor=AUTO`` re-applies the keyword rules; ``is_root_cause=True/False`` marks by
        hand. Moving a node under one of its own descendants raises :class:`TreeError`.
        """
        node = self[node_id]
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise TreeError(
                f"cannot change {', '.join(sorted(unknown))}; editable: {', '.join(sorted(_EDITABLE))}"
            )
        if "parent_id" in changes:
            target = changes["parent_id"]
            if target is not None and (target not in self._nodes or node_id in self.path(target)):
                raise TreeError(
                    f"{self.incident_id}: cannot move {node_id!r} under {target!r} (missing or a cycle)"
                )
        if "question" in changes:
            changes["question"] = _tidy(changes["question"]) or node.question
        if "answer" in changes:
            changes["answer"] = _tidy(changes["answer"])
        question = changes.get("question", node.question)
        answer = changes.get("answer", node.answer)
        if "factor" in changes:
            changes["factor"] = self._factor(changes["factor"], question, answer)
        if "evidence" in changes:
            changes["evidence"] = tuple(changes["evidence"])
        flag = changes.pop("is_root_cause", None)
        self._nodes[node_id] = replace(node, **changes)
        self._mark(node_id, flag)
        return self._nodes[node_id]

    def remove(self, node_id: str) -> list[str]:
        """Remove a node and everything under it; returns the removed ids."""
        self[node_id]
        gone = [node_id, *self.descendants(node_id)]
        for nid in gone:
            del self._nodes[nid]
            if self._marked is not None:
                self._marked.discard(nid)
        self._mark(None, None)
        return gone

    def _leaf_ids(self) -> list[str]:
        parents = {n.parent_id for n in self._nodes.values()}
        return [nid for nid in self._nodes if nid not in parents]

    def _mark(self, node_id: str | None, flag: bool | None) -> None:
        """Apply a hand mark (True/False) to ``node_id``, then set every node's flag.

        The first hand mark freezes the "root causes are the leaves" rule into the set of
        marked nodes; from then on exactly the marked nodes are root causes.
        """
        if node_id is not None and flag is not None:
            if self._marked is None:
                self._marked = set(self._leaf_ids())
            (self._marked.add if flag else self._marked.discard)(node_id)
        marked = set(self._leaf_ids()) if self._marked is None else self._marked
        for nid, node in self._nodes.items():
            if node.is_root_cause != (nid in marked):
                self._nodes[nid] = replace(node, is_root_cause=nid in marked)

    # -- reading --------------------------------------------------------------------
    def __getitem__(self, node_id: str) -> Node:
        try:
            return self._nodes[node_id]
        except KeyError:
            raise TreeError(
                f"{self.incident_id}: no node {node_id!r}; nodes: {', '.join(self._nodes)}"
            ) from None

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tree):
            return NotImplemented
        return (
            self.incident_id == other.incident_id
            and self.root_cause == other.root_cause
            and sorted(self._nodes.items()) == sorted(other._nodes.items())
        )

    def __repr__(self) -> str:
        return f"<whys.Tree {self.incident_id}: {len(self)} nodes, {len(self.root_causes())} root cause(s)>"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def children(self, node_id: str) -> list[Node]:
        """The node's causes, in the order they were added."""
        return [n for n in self._nodes.values() if n.parent_id == node_id]

    def roots(self) -> list[Node]:
        """Nodes without a parent (a valid tree has exactly one: the first why)."""
        return [n for n in self._nodes.values() if n.parent_id is None]

    def descendants(self, node_id: str) -> list[str]:
        """Ids of everything under ``node_id`` (cycle-safe)."""
        out: list[str] = []
        stack = [c.node_id for c in reversed(self.children(node_id))]
        while stack:
            nid = stack.pop()
            if nid in out or nid == node_id:
                continue
            out.append(nid)
            stack.extend(c.node_id for c in reversed(self.children(nid)))
        return out

    def path(self, node_id: str) -> list[str]:
        """Ids from the first why down to ``node_id`` (stops at a cycle or a missing parent)."""
        out = [node_id]
        cur = self[node_id].parent_id
        while cur is not None and cur in self._nodes and cur not in out:
            out.append(cur)
            cur = self._nodes[cur].parent_id
        return out[::-1]

    def depth(self, node_id: str) -> int:
        """1 for the first why, 2 for its causes, ..."""
        return len(self.path(node_id))

    @property
    def nodes(self) -> tuple[Node, ...]:
        """All nodes, the tree's in depth-first order, then any unreachable ones."""
        order: list[str] = []
        for root in self.roots():
            order.extend([root.node_id, *self.descendants(root.node_id)])
        seen = set(order)
        order.extend(nid for nid in self._nodes if nid not in seen)
        return tuple(self._nodes[nid] for nid in order)

    def leaves(self) -> list[Node]:
        """Nodes without causes."""
        return [self._nodes[nid] for nid in self._leaf_ids()]

    def root_causes(self) -> list[Node]:
        """Nodes flagged as root causes, in tree order."""
        return [n for n in self.nodes if n.is_root_cause]

    # -- validation -----------------------------------------------------------------
    def validate(
        self,
        *,
        max_depth: int | None = None,
        min_depth: int | None = None,
        require_root_cause: bool = True,
        events: pl.DataFrame | None = None,
    ) -> tuple[Problem, ...]:
        """Every problem of the tree (empty when valid); depth limits default to the policy's.

        With ``events`` (a timeline in the ``events`` schema), evidence must cite refs of
        those events.

        Examples
        --------
        >>> t = Tree("INC-1", nodes=[Node("a", "Why?", parent_id="b"), Node("b", "Why?", parent_id="a")])
        >>> sorted({p.code for p in t.validate()})
        ['cycle', 'no_root', 'no_root_cause']
        """
        return problems_of(
            self,
            max_depth=self._rules.max_depth if max_depth is None else max_depth,
            min_depth=self._rules.min_depth if min_depth is None else min_depth,
            require_root_cause=require_root_cause,
            refs=None if events is None else set(events["ref"].to_list()),
        )

    def check(self, **limits: Any) -> Tree:
        """The tree itself when :meth:`validate` finds nothing, else :class:`TreeError`."""
        problems = self.validate(**limits)
        if problems:
            listed = "; ".join(p.message for p in problems)
            raise TreeError(
                f"{self.incident_id}: invalid 5-Whys tree ({len(problems)} problem(s)): {listed}", problems
            )
        return self

    def _structural(self) -> Tree:
        return self.check(require_root_cause=False, max_depth=10**6, min_depth=1)

    def same_as(self, other: Tree) -> bool:
        """Same incident, statement and tree shape with the same node contents, ids aside."""

        def shape(t: Tree, node: Node) -> tuple[Any, ...]:
            kids = tuple(shape(t, c) for c in t.children(node.node_id))
            return (node.question, node.answer, node.is_root_cause, node.factor, node.evidence, kids)

        return (
            self.incident_id == other.incident_id
            and self.root_cause == other.root_cause
            and [shape(self, r) for r in self.roots()] == [shape(other, r) for r in other.roots()]
        )

    # -- tables ---------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        """The nodes as ``whys`` table rows (dicts), in tree order."""
        return [
            {
                "incident_id": self.incident_id,
                "node_id": n.node_id,
                "parent_id": n.parent_id,
                "question": n.question,
                "answer": n.answer,
                "is_root_cause": n.is_root_cause,
                "factor": n.factor,
                "evidence": list(n.evidence),
            }
            for n in self.nodes
        ]

    def to_frame(self) -> pl.DataFrame:
        """The nodes as rows of the ``whys`` table, in tree order."""
        rows = self.rows()
        return pl.from_dicts(rows, schema=_WHYS_SCHEMA) if rows else pl.DataFrame(schema=_WHYS_SCHEMA)

    @classmethod
    def from_frame(
        cls,
        df: pl.DataFrame,
        incident_id: str | None = None,
        *,
        policy: Policy | None = None,
        root_cause: str | None = None,
    ) -> Tree:
        """The tree of one incident from ``whys`` rows (siblings ordered by node id).

        Raises
        ------
        TreeError
            ``incident_id`` not given and the rows hold several incidents (or none).
        """
        if incident_id is None:
            ids = df["incident_id"].unique(maintain_order=True).to_list()
            if len(ids) != 1:
                raise TreeError(
                    f"rows hold {len(ids)} incidents ({', '.join(map(str, ids[:5]))}); pass incident_id"
                )
            incident_id = ids[0]
        rows = df.filter(pl.col("incident_id") == incident_id).to_dicts()
        rows.sort(key=lambda r: _natural(r["node_id"]))
        names = {f.name for f in fields(Node)}
        nodes = [
            Node(
                **{k: v for k, v in r.items() if k in names and k != "evidence"},
                evidence=tuple(r.get("evidence") or ()),
            )
            for r in rows
        ]
        return cls(incident_id, policy=policy, root_cause=root_cause, nodes=nodes)

    # -- Markdown and text ------------------------------------------------------------
    def to_markdown(self, *, heading: str | None = None, ids: bool = False) -> str:
        """The tree in the template's numbered style; :meth:`from_markdown` reads it back.

        ``heading`` (e.g. ``"## Root Cause (5 Whys)"``) is written first; ``ids=True`` keeps
        node ids in invisible comments so a round trip keeps them too.
        """
        return render_markdown(
            render_nodes(self._structural(), marks=True), root_cause=self.root_cause, heading=heading, ids=ids
        )

    @classmethod
    def from_markdown(cls, text: str, *, incident_id: str, policy: Policy | None = None) -> Tree:
        """A tree from numbered whys Markdown (see :mod:`toolkit.whys.markdown`).

        Raises
        ------
        TreeError
            Text outside the whys (other than headings) or no whys at all.
        """
        parsed = parse_whys(list(enumerate(text.splitlines(), start=1)))
        if parsed.stray:
            line, bad = parsed.stray[0]
            raise TreeError(f"{incident_id}: line {line}: not a numbered why: {bad.strip()!r}")
        if not parsed.nodes:
            raise TreeError(f"{incident_id}: no numbered whys found")
        return from_parsed(parsed, incident_id=incident_id, policy=policy)

    def to_text(self) -> str:
        """An indented text tree: question → answer, [factor], ★ for root causes."""

        def describe(node: RenderNode) -> str:
            n = self._nodes[node.node_id]
            text = f"{n.question} → {n.answer or '(no answer yet)'}"
            if n.factor:
                text += f"  [{self.taxonomy.label(n.factor)}]"
            return text + ("  ★ root cause" if n.is_root_cause else "")

        return render_text(
            render_nodes(self._structural(), marks=False),
            title=f"5 Whys — {self.incident_id}",
            describe=describe,
        )

    def figure(self, *, kind: str = "tree") -> Figure:
        """A plotly figure of the tree: ``kind="tree"`` (node-link) or ``"icicle"``."""
        from toolkit.whys.figure import tree_figure

        self._structural()
        return tree_figure(self, kind=kind)

    # -- workspace ------------------------------------------------------------------
    def save(self, ws: Workspace, *, actor: str) -> None:
        """Store the tree in the workspace's ``whys`` table as audited edits by ``actor``.

        Only new and changed nodes are written; nodes removed here since :meth:`load` are
        deleted there. Raises :class:`TreeError` for a tree with cycles, orphans or a
        second first why (a missing root cause is fine while editing).

        Examples
        --------
        >>> import tempfile
        >>> from toolkit.store import Workspace
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> tree = Tree("INC-1")
        >>> first = tree.add(None, "Why did checkout fail?", "The pool was exhausted.")
        >>> tree.save(ws, actor="dave")
        >>> again = Tree.load(ws, "INC-1")
        >>> _ = again.update(first, factor="testing")
        >>> again.save(ws, actor="erin")
        >>> ws.audit().select("actor", "action").rows()
        [('dave', 'insert'), ('erin', 'update')]
        """
        self._structural()
        mine = self.to_frame()
        current = ws.table("whys").filter(pl.col("incident_id") == self.incident_id)
        before = {r["node_id"]: r for r in current.select(mine.columns).to_dicts()}
        changed = [r["node_id"] for r in mine.to_dicts() if before.get(r["node_id"]) != r]
        gone = current.filter(~pl.col("node_id").is_in(list(self._nodes)))
        if not changed and not gone.height:
            return
        with ws.transaction(actor=actor) as tx:  # one transaction: the whole tree or nothing
            if changed:
                tx.edit("whys", mine.filter(pl.col("node_id").is_in(changed)))
            if gone.height:
                tx.delete("whys", gone.select("incident_id", "node_id"))

    @classmethod
    def load(cls, ws: Workspace, incident_id: str, *, policy: Policy | None = None) -> Tree:
        """The incident's tree from the workspace (imported rows with edits laid over).

        An incident without whys gives an empty tree to build on. The root-cause statement
        is not stored in the workspace (the ``whys`` table has no place for it).
        """
        return cls.from_frame(ws.table("whys"), incident_id, policy=policy or getattr(ws, "policy", None))


def trees(whys: pl.DataFrame, *, policy: Policy | None = None) -> dict[str, Tree]:
    """One :class:`Tree` per incident of a ``whys`` table.

    Examples
    --------
    >>> trees(schema.empty("whys"))
    {}
    """
    return {
        inc: Tree.from_frame(whys, inc, policy=policy)
        for inc in whys["incident_id"].unique(maintain_order=True).to_list()
    }


def from_parsed(
    parsed: ParsedWhys, *, incident_id: str, policy: Policy | None = None, ids: Sequence[str] = ()
) -> Tree:
    """A :class:`~toolkit.whys.Tree` from :func:`parse_whys` output.

    Node ids come from ``<!-- id: ... -->`` comments, else ``ids``, else W1, W2, ... in
    document order. Root causes are the marked nodes, else the leaves; factors are the
    marked ones, else the taxonomy's keyword rules.
    """
    taxonomy = Taxonomy.from_policy(policy)
    taken: set[str] = set()
    node_ids: list[str] = []
    for i, pn in enumerate(parsed.nodes):
        nid = pn.node_id or (ids[i] if i < len(ids) else f"W{i + 1}")
        while nid in taken:
            nid += "'"
        taken.add(nid)
        node_ids.append(nid)
    marked = any(pn.root_cause for pn in parsed.nodes)
    has_child = {pn.parent for pn in parsed.nodes if pn.parent is not None}
    nodes = [
        Node(
            node_ids[i],
            pn.question,
            pn.answer,
            None if pn.parent is None else node_ids[pn.parent],
            pn.root_cause if pn.root_cause is not None else (not marked and i not in has_child),
            pn.factor if pn.factor_given else taxonomy.classify(pn.answer, pn.question),
            pn.evidence,
        )
        for i, pn in enumerate(parsed.nodes)
    ]
    return Tree(incident_id, policy=policy, root_cause=parsed.root_cause, nodes=nodes)
