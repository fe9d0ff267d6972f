"""Plotly figures of one 5-Whys tree (plotly is imported only when a figure is drawn)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from plotly.graph_objects import Figure

    from toolkit.whys.tree import Node, Tree

__all__ = ["FACTOR_COLORS", "tree_figure"]

FACTOR_COLORS = (
    "#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2",
    "#EECA3B", "#B279A2", "#FF9DA6", "#9D755D", "#BAB0AC",
)  # fmt: skip
"""Colours of factor categories, in taxonomy order (grey for none)."""
_NONE_COLOR = "#D0D0D0"


def _wrap(text: str | None, width: int = 40) -> str:
    return "<br>".join(textwrap.wrap(text or "", width)) or "—"


def _hover(tree: Tree, node: Node) -> str:
    parts = [f"<b>{_wrap(node.question)}</b>", _wrap(node.answer or "(no answer yet)")]
    parts.append(f"factor: {tree.taxonomy.label(node.factor)}")
    if node.is_root_cause:
        parts.append("★ root cause")
    if node.evidence:
        parts.append("evidence: " + ", ".join(node.evidence))
    return "<br>".join(parts)


def _color(tree: Tree, factor: str | None) -> str:
    if factor is None or factor not in tree.taxonomy.ids:
        return _NONE_COLOR
    return FACTOR_COLORS[tree.taxonomy.ids.index(factor) % len(FACTOR_COLORS)]


def tree_figure(tree: Tree, *, kind: str = "tree") -> Figure:
    """A node-link tree (depth left to right) or an icicle of ``tree``.

    Nodes are coloured by factor category; root causes are stars (tree) or outlined
    (icicle); hovering shows question, answer, factor and evidence.
    """
    import plotly.graph_objects as go

    nodes = tree.nodes
    if kind == "icicle":
        fig = go.Figure(
            go.Icicle(
                ids=[n.node_id for n in nodes],
                labels=[_wrap(n.question, 30) for n in nodes],
                parents=[n.parent_id or "" for n in nodes],
                hovertext=[_hover(tree, n) for n in nodes],
                hoverinfo="text",
                marker={
                    "colors": [_color(tree, n.factor) for n in nodes],
                    "line": {"width": [3 if n.is_root_cause else 1 for n in nodes], "color": "#222"},
                },
                tiling={"orientation": "v"},
            )
        )
        fig.update_layout(title=f"5 Whys — {tree.incident_id}", margin={"t": 50, "l": 10, "r": 10, "b": 10})
        return fig
    if kind != "tree":
        raise ValueError(f"kind must be 'tree' or 'icicle', got {kind!r}")
    # layout: leaves one row apart in tree order; a parent sits at the mean of its children
    y: dict[str, float] = {}
    next_row = 0.0

    def place(node: Node) -> float:
        nonlocal next_row
        kids = tree.children(node.node_id)
        if not kids:
            y[node.node_id] = next_row
            next_row += 1
        else:
            y[node.node_id] = sum(place(k) for k in kids) / len(kids)
        return y[node.node_id]

    for root in tree.roots():
        place(root)
    x = {n.node_id: tree.depth(n.node_id) for n in nodes}
    ex: list[float | None] = []
    ey: list[float | None] = []
    for n in nodes:
        if n.parent_id is not None:
            ex += [x[n.parent_id], x[n.node_id], None]
            ey += [y[n.parent_id], y[n.node_id], None]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=ex, y=ey, mode="lines", line={"color": "#999", "width": 1}, hoverinfo="skip", showlegend=False
        )
    )
    groups: dict[str | None, list[Node]] = {}
    for n in nodes:
        groups.setdefault(n.factor, []).append(n)
    for factor, members in groups.items():
        fig.add_trace(
            go.Scatter(
                x=[x[n.node_id] for n in members],
                y=[y[n.node_id] for n in members],
                mode="markers+text",
                name=tree.taxonomy.label(factor),
                text=[_wrap(n.question, 28) for n in members],
                textposition="bottom center",
                hovertext=[_hover(tree, n) for n in members],
                hoverinfo="text",
                marker={
                    "size": [22 if n.is_root_cause else 14 for n in members],
                    "symbol": ["star" if n.is_root_cause else "circle" for n in members],
                    "color": _color(tree, factor),
                    "line": {"width": 1, "color": "#333"},
                },
            )
        )
    fig.update_layout(
        title=f"5 Whys — {tree.incident_id}",
        xaxis={"title": "why #", "dtick": 1, "zeroline": False},
        yaxis={"visible": False, "autorange": "reversed"},
        legend={"title": "factor"},
        plot_bgcolor="white",
        margin={"t": 50, "l": 20, "r": 20, "b": 20},
    )
    return fig
