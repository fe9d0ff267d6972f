"""Records into incidents: the edges, strongest first, joined under a few rules.

1. Manual links first: every record linked by hand to the same id is one incident, and
   that id is its id. Two records linked by hand to different ids are never joined.
2. Then the automatic edges, strongest method first (``reference``, ``name``,
   ``time+service``), then by confidence. An edge is taken unless it would put two
   records of one source into one incident (one war room, one PagerDuty incident, ...
   per incident; more only by hand) or touches a record unlinked by hand.
3. A record no edge joins stays an incident of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np
import polars as pl

__all__ = ["METHOD_RANK", "join_records"]

METHOD_RANK = {"manual": 0, "reference": 1, "name": 2, "time+service": 3}
"""The order edges are considered in (lower first)."""


def join_records(
    ranks: pl.Series,
    edges: pl.DataFrame,
    *,
    manual: Mapping[int, int],
    unlinked: Set[int],
) -> tuple[np.ndarray, pl.DataFrame]:
    """The group of every record, and the edges that were taken.

    Parameters
    ----------
    ranks
        Per record (by position ``rec``), the index of its source (a small integer).
    edges
        ``a, b, method, confidence, evidence`` between record positions.
    manual
        Record -> manual id code (records linked by hand; same code, same incident).
    unlinked
        Records that take no automatic edge.

    Returns
    -------
    tuple
        The group root of each record (an array as long as ``ranks``) and the taken edges.
    """
    n = len(ranks)
    parent = list(range(n))
    mask = [1 << int(r) for r in ranks.to_list()]
    code = [-1] * n

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    by_code: dict[int, int] = {}
    for rec, c in sorted(manual.items()):
        code[rec] = c
        first = by_code.setdefault(c, rec)
        ra, rb = find(first), find(rec)
        if ra != rb:
            parent[rb] = ra
            mask[ra] |= mask[rb]
    ordered = edges.with_columns(_m=pl.col("method").replace_strict(METHOD_RANK, return_dtype=pl.Int32)).sort(
        "_m", "confidence", "a", "b", descending=[False, True, False, False]
    )
    taken = np.zeros(ordered.height, dtype=bool)
    for i, (a, b) in enumerate(zip(ordered["a"].to_list(), ordered["b"].to_list(), strict=True)):
        if a in unlinked or b in unlinked:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            taken[i] = True
            continue
        if mask[ra] & mask[rb]:
            continue
        ca, cb = code[ra], code[rb]
        if ca >= 0 and cb >= 0 and ca != cb:
            continue
        parent[rb] = ra
        mask[ra] |= mask[rb]
        code[ra] = ca if ca >= 0 else cb
        taken[i] = True
    roots = np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)
    return roots, ordered.filter(pl.Series(taken)).drop("_m")
