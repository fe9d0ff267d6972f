"""One name per service across sources, by the policy's ``[services]`` table.

Slack's war room says ``sso``, PagerDuty's service ``auth``, the status page's component
``Login & SSO``: with ``auth = ["sso", "Login & SSO"]`` in ``[services]`` all three are
``auth``. Names are compared as slugs (case and punctuation do not matter); a name the
table does not list is its own slug. A record names several services when its text lists
several ("Payment API, Checkout flow") or when it has components.

Examples
--------
>>> from toolkit.policy import Policy
>>> canon = service_names(Policy.default())
>>> canonical("Login & SSO", canon), canonical("Search", canon), canonical(None, canon)
('auth', 'search', None)
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.policy import Policy
from toolkit.timeline.text import slug, slug_expr

__all__ = ["canonical", "canonical_expr", "service_keys", "service_names"]


def service_names(policy: Policy) -> dict[str, str]:
    """``{slug of any listed name: canonical service}`` from ``policy.team.services``."""
    out: dict[str, str] = {}
    for name, others in policy.team.services.items():
        for other in (name, *others):
            out[slug(other)] = name
    return out


def canonical(name: str | None, names: Mapping[str, str]) -> str | None:
    """The canonical service of ``name`` (its slug when not listed), None for no name."""
    key = slug(name)
    return names.get(key, key) if key else None


def canonical_expr(expr: pl.Expr, names: Mapping[str, str]) -> pl.Expr:
    """:func:`canonical` over a string column."""
    key = slug_expr(expr)
    return key.replace(dict(names)) if names else key


def service_keys(service: pl.Expr, components: pl.Expr, names: Mapping[str, str]) -> pl.Expr:
    """Every canonical service a record names: its service text split at ``,``/``;``/``/``,
    and its components; unique, as a list."""
    parts = pl.concat_list(
        service.fill_null("")
        .str.split(",")
        .list.eval(pl.element().str.split(";"))
        .list.eval(pl.element().explode()),
        components.fill_null([]),
    )
    return parts.list.eval(canonical_expr(pl.element().str.strip_chars(), names).drop_nulls()).list.unique(
        maintain_order=True
    )
