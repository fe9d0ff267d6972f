"""5-Whys as data: a tree of why-questions, their answers and the root causes they reach.

A why may have several causes, so the analysis is a tree (one first why at the top).
Each :class:`Node` has a question, an answer, optional evidence (refs of timeline events,
e.g. ``"postmortem.md:23"``), an ``is_root_cause`` flag and a contributing-factor
category from the policy's taxonomy (:mod:`toolkit.whys.taxonomy`), assigned by keyword
rules unless set by hand. :class:`Tree` is the notebook builder; it validates (no
cycles, no orphans, depth limits, a root cause present), renders as an indented text
tree, as Markdown in the post-mortem template's numbered style (which imports back to
the same tree) and as a plotly figure, and saves edited nodes in a workspace.
Across incidents, :func:`factor_table` and :func:`factor_figure` show which factor
categories recur and whether their action items were done (the 30-day review).

Examples
--------
>>> from toolkit import whys
>>> tree = whys.Tree("INC-1")
>>> w1 = tree.add(None, "Why did checkouts fail?", "Payment API returned 500 errors.")
>>> w2 = tree.add(w1, "Why did the API fail?", "Connection pool was exhausted.")
>>> w3 = tree.add(w2, "Why didn't tests catch this?", "Load tests only ran the happy path.")
>>> tree[w3].factor, tree[w3].is_root_cause
('testing', True)
>>> print(tree.to_markdown(), end="")
1. **Why did checkouts fail?**
Payment API returned 500 errors.
2. **Why did the API fail?**
Connection pool was exhausted.
3. **Why didn't tests catch this?**
Load tests only ran the happy path.
"""

from __future__ import annotations

from toolkit.whys.check import Problem
from toolkit.whys.factors import factor_figure, factor_table
from toolkit.whys.taxonomy import Factor, Taxonomy, rules
from toolkit.whys.tree import AUTO, Node, Tree, TreeError, trees

__all__ = [
    "AUTO",
    "Factor",
    "Node",
    "Problem",
    "Taxonomy",
    "Tree",
    "TreeError",
    "factor_figure",
    "factor_table",
    "rules",
    "trees",
]
