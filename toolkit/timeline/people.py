"""People across sources: Slack's ``alice``, PagerDuty's ``Alice Chen``, a post-mortem's ``Alice``.

Who is known, and by which names:

* Slack profiles (``slack_users``: handle, display name, real name), and the ``people``
  rows importers write (names, e-mails);
* names written without a profile: role holders, event actors, commanders, PagerDuty
  assignees and acknowledgers.

Names are one person when they are equal (case and spacing aside), share an e-mail, or
are listed together in the policy's ``[people]`` table (``"Alice Chen" = ["alice",
"Alice"]``). A first name written alone ("Alice") is the one person of that first name,
if there is exactly one. A name equal to a service (a PagerDuty trigger's actor) is no
person; a Slack bot is a person with ``is_bot``. ``person_id`` is the slug of the person's name (``alice-chen``): the
policy's name, else the longest real name, else the handle.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.policy import Policy
from toolkit.timeline.model import SCHEMAS, eager
from toolkit.timeline.text import slug

__all__ = ["Resolved", "norm", "resolve_people"]

Resolved = tuple[pl.DataFrame, dict[str, str]]
"""The ``people`` frame and ``{normalised name: person_id}`` for every name that is one person."""


def norm(name: str | None) -> str:
    """A name compared without regard to case, spacing or a leading ``@``."""
    return " ".join((name or "").replace("@", " ").split()).casefold()


def _names(
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame],
) -> list[tuple[str, str, list[str], list[str], bool]]:
    """Every profile and bare name: ``(source, ref, names, emails, is_bot)``."""
    out: list[tuple[str, str, list[str], list[str], bool]] = []
    users = eager(tables, "slack_users")
    if users is not None and users.height:
        cols = [c for c in ("user", "handle", "display_name", "real_name") if c in users.columns]
        for row in users.select("user_id", *cols, "is_bot").iter_rows(named=True):
            names = [row[c] for c in cols if row[c]]
            out.append(("slack", row["user_id"], names, [], bool(row["is_bot"])))
    people = eager(tables, "people")
    if people is not None and people.height:
        for row in people.iter_rows(named=True):
            names = [n for n in (row["name"], *(row["display_names"] or []), *(row["aliases"] or [])) if n]
            out.append((row["source"], row["ref"], names, list(row["emails"] or []), bool(row["is_bot"])))
    bare: set[tuple[str, str]] = set()
    roles = eager(tables, "roles")
    if roles is not None:
        bare |= set(roles.select("source", "person").drop_nulls().unique().iter_rows())
    for table, col in (("events", "actor"), ("incidents", "commander")):
        df = tables.get(table)
        if df is not None:
            seen = df.lazy().select("source", col).drop_nulls().unique().collect(engine="streaming")
            bare |= set(seen.iter_rows())
    pd = eager(tables, "pagerduty_incidents")
    if pd is not None:
        for col in ("assignees", "acknowledgers"):
            if col in pd.columns:
                bare |= {("pagerduty", n) for n in pd[col].explode().drop_nulls().unique().to_list()}
    out += [(src, name, [name], [], False) for src, name in sorted(bare)]
    return out


def resolve_people(
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame], *, policy: Policy, services: set[str]
) -> Resolved:
    """People across sources (module docs); ``services`` are the canonical service names."""
    service_slugs = {slug(s) for s in services}
    entries = [e for e in _names(tables) if e[4] or not all(slug(n) in service_slugs for n in e[2])]
    parent = list(range(len(entries)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    owner: dict[str, int] = {}
    canonical: dict[str, str] = {}
    for name, others in policy.team.people.items():
        for other in (name, *others):
            canonical[norm(other)] = name
    for i, (_, _, names, emails, _) in enumerate(entries):
        keys = {norm(n) for n in names} | {f"mail:{e.casefold()}" for e in emails}
        keys |= {f"policy:{canonical[k]}" for k in list(keys) if k in canonical}
        for key in keys:
            if key:
                union(i, owner.setdefault(key, i))
    # a first name alone: the one person whose name starts with it
    firsts: dict[str, set[int]] = {}
    for i, (_, _, names, _, _) in enumerate(entries):
        for n in names:
            parts = norm(n).split()
            if len(parts) > 1:
                firsts.setdefault(parts[0], set()).add(find(i))
    for i, (_, _, names, _, _) in enumerate(entries):
        parts = norm(names[0]).split()
        if len(names) == 1 and len(parts) == 1 and find(i) == i:
            roots = {find(r) for r in firsts.get(parts[0], set())}
            if len(roots) == 1:
                union(i, roots.pop())
    groups: dict[int, list[int]] = {}
    for i in range(len(entries)):
        groups.setdefault(find(i), []).append(i)
    rows = []
    index: dict[str, str] = {}
    taken: set[str] = set()
    for members in groups.values():
        names = sorted(
            {n for m in members for n in entries[m][2]}, key=lambda n: (-len(n.split()), -len(n), n)
        )
        policy_name = next((canonical[norm(n)] for n in names if norm(n) in canonical), None)
        name = policy_name or names[0]
        pid, k = slug(name) or "person", 1
        while pid in taken:
            k += 1
            pid = f"{slug(name) or 'person'}-{k}"
        taken.add(pid)
        is_bot = any(entries[m][4] for m in members)
        profiles = [m for m in members if entries[m][2] != [entries[m][1]]]
        rows.append(
            {
                "person_id": pid,
                "name": name,
                "display_names": names,
                "emails": sorted({e for m in members for e in entries[m][3]}),
                "aliases": sorted({o for o in policy.team.people.get(policy_name or "", ())}),
                "sources": sorted({entries[m][0] for m in members}),
                "refs": sorted({f"{entries[m][0]}:{entries[m][1]}" for m in profiles}),
                "is_bot": is_bot,
            }
        )
        for n in names:
            index[norm(n)] = pid
    people = pl.DataFrame(rows, schema=SCHEMAS["people"]).sort("person_id")
    return people, index
