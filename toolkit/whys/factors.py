"""Contributing factors across incidents, for the 30-day review.

Which factor categories of the 5-Whys trees recur, in which incidents, and how many of
the action items that address each category are done. An action item addresses the
category in its ``factor`` column when the table has one, else the category its title
falls in by the taxonomy's keyword rules (:mod:`toolkit.whys.taxonomy`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from toolkit.policy import Policy
from toolkit.schema import ItemStatus
from toolkit.whys.taxonomy import Taxonomy

if TYPE_CHECKING:  # pragma: no cover
    from plotly.graph_objects import Figure

__all__ = ["FACTOR_TABLE_SCHEMA", "factor_figure", "factor_table"]

FACTOR_TABLE_SCHEMA = pl.Schema(
    {
        "factor": pl.String(),  # category id; null for nodes/items without a factor
        "label": pl.String(),
        "incidents": pl.Int64(),  # incidents whose whys name the category
        "incident_ids": pl.List(pl.String()),
        "nodes": pl.Int64(),  # why nodes with the category
        "root_causes": pl.Int64(),  # of which flagged as root causes
        "items": pl.Int64(),  # action items addressing the category
        "items_done": pl.Int64(),
        "items_open": pl.Int64(),  # pending or in progress
        "items_overdue": pl.Int64(),  # open and due before `as_of` (null without as_of)
        "done_share": pl.Float64(),  # items_done / items (null without items)
        "recurring": pl.Boolean(),  # named in two incidents or more (null for the no-factor row)
    }
)
"""Columns of :func:`factor_table`."""

_NONE = "\x00none"  # stands for a null factor while joining


def factor_table(
    whys: pl.DataFrame,
    action_items: pl.DataFrame,
    *,
    policy: Policy | None = None,
    as_of: date | None = None,
) -> pl.DataFrame:
    """One row per factor category found in the whys or the action items.

    Sorted by incidents, then nodes (most first), then taxonomy order; the row with a
    null ``factor`` (nodes and items without a category) comes last. See
    :data:`FACTOR_TABLE_SCHEMA` for the columns.

    Examples
    --------
    >>> from toolkit import schema
    >>> whys = pl.DataFrame({"incident_id": ["A", "B"], "node_id": ["W1", "W1"],
    ...                      "factor": ["testing", "testing"], "is_root_cause": [True, True]})
    >>> items = pl.DataFrame({"incident_id": ["A"], "title": ["Add load tests"], "status": ["done"]})
    >>> factor_table(whys, items).select("factor", "incidents", "items_done", "recurring").row(0)
    ('testing', 2, 1, True)
    """
    taxonomy = Taxonomy.from_policy(policy)
    nodes = (
        whys.lazy()
        .with_columns(pl.col("factor").fill_null(_NONE))
        .group_by("factor")
        .agg(
            incidents=pl.col("incident_id").n_unique().cast(pl.Int64),
            incident_ids=pl.col("incident_id").unique().sort(),
            nodes=pl.len().cast(pl.Int64),
            root_causes=pl.col("is_root_cause").cast(pl.Int64).sum(),
        )
    )
    factor = taxonomy.classify_expr(pl.col("title"))
    if "factor" in action_items.columns:
        factor = pl.coalesce(pl.col("factor"), factor)
    is_open = pl.col("status").is_in([ItemStatus.pending.value, ItemStatus.in_progress.value])
    overdue = (
        pl.lit(None, pl.Int64)
        if as_of is None
        else (is_open & (pl.col("due_date") < pl.lit(as_of))).cast(pl.Int64).sum()
    )
    items = (
        action_items.lazy()
        .with_columns(factor.fill_null(_NONE).alias("factor"))
        .group_by("factor")
        .agg(
            items=pl.len().cast(pl.Int64),
            items_done=(pl.col("status") == ItemStatus.done.value).cast(pl.Int64).sum(),
            items_open=is_open.cast(pl.Int64).sum(),
            items_overdue=overdue,
        )
    )
    order = {fid: i for i, fid in enumerate(taxonomy.ids)}
    labels = {fid: taxonomy.label(fid) for fid in taxonomy.ids}
    out = (
        nodes.join(items, on="factor", how="full", coalesce=True)
        .with_columns(
            pl.col("incidents", "nodes", "root_causes", "items", "items_done", "items_open").fill_null(0),
            pl.col("incident_ids").fill_null(pl.lit([], pl.List(pl.String()))),
            factor=pl.when(pl.col("factor") == _NONE)
            .then(pl.lit(None, pl.String))
            .otherwise(pl.col("factor")),
        )
        .with_columns(
            items_overdue=pl.lit(None, pl.Int64) if as_of is None else pl.col("items_overdue").fill_null(0),
            label=pl.col("factor")
            .replace_strict(labels, default=pl.col("factor"))
            .fill_null(taxonomy.label(None)),
            done_share=pl.when(pl.col("items") > 0).then(pl.col("items_done") / pl.col("items")),
            recurring=pl.when(pl.col("factor").is_not_null()).then(pl.col("incidents") >= 2),
            _none=pl.col("factor").is_null(),
            _order=pl.col("factor").replace_strict(order, default=len(order), return_dtype=pl.Int64),
        )
        .sort(["_none", "incidents", "nodes", "_order"], descending=[False, True, True, False])
        .select(FACTOR_TABLE_SCHEMA.names())
        .collect()
    )
    return out.cast(dict(FACTOR_TABLE_SCHEMA))  # type: ignore[arg-type]


def factor_figure(table: pl.DataFrame, *, title: str = "Contributing factors across incidents") -> Figure:
    """A horizontal bar chart of :func:`factor_table`: incidents per category, coloured by
    the share of its action items done (grey: no action items), labelled "done/items".

    Examples
    --------
    >>> from toolkit import schema
    >>> fig = factor_figure(factor_table(schema.empty("whys"), schema.empty("action_items")))
    >>> fig.layout.title.text
    'Contributing factors across incidents'
    """
    import plotly.graph_objects as go

    rows = table.filter(pl.col("factor").is_not_null()).reverse()  # plotly draws the first bar at the bottom
    shares = rows["done_share"].to_list()
    colors = [
        "#BBBBBB" if s is None else f"rgb({int(220 - 170 * s)},{int(80 + 110 * s)},{int(70 + 20 * s)})"
        for s in shares
    ]
    text = [
        f"{d}/{n} done" if n else "no action items"
        for d, n in zip(rows["items_done"], rows["items"], strict=True)
    ]
    hover = [
        f"<b>{label}</b><br>{inc} incident(s): {', '.join(ids)}<br>{nodes} why node(s), {rc} root cause(s)"
        f"<br>action items: {t}"
        for label, inc, ids, nodes, rc, t in zip(
            rows["label"],
            rows["incidents"],
            rows["incident_ids"],
            rows["nodes"],
            rows["root_causes"],
            text,
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=rows["incidents"].to_list(),
            y=rows["label"].to_list(),
            orientation="h",
            marker={"color": colors, "line": {"color": "#333", "width": 1}},
            text=text,
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(
        title=title,
        xaxis={"title": "incidents naming the factor", "dtick": 1, "rangemode": "tozero"},
        yaxis={"title": None},
        plot_bgcolor="white",
        margin={"t": 50, "l": 10, "r": 40, "b": 40},
        height=120 + 40 * max(rows.height, 1),
    )
    return fig
