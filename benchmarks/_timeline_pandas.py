"""A straightforward pandas implementation of the timeline's definitions, for the benchmark.

The same rules as ``toolkit.timeline`` and ``toolkit.analysis`` — references, naming and
time+service links joined strongest first with one record per source per incident;
events of one incident, kind and visibility within a minute from an earlier source
folded into it; the milestone rules; durations; cadence gaps; promises; median, p90 and
mean with 2,000-resample bootstrap intervals — written the way a pandas user would:
``merge``, ``str.extract``, ``groupby(...).apply``, Python loops where a rule is a loop.
It skips what the benchmark data has none of (manual links, corrections, people).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ORDER = {"slack": 0, "pagerduty": 1, "statuspage": 2, "postmortem": 3}
RANK = {"reference": 1, "name": 2, "time+service": 3}
STOP = {"incident", "inc", "the", "a", "an", "of", "and", "in", "on", "for", "to", "with"}
DONE = re.compile(
    r"(?i)\b(?:complete[ds]?|completed|done|finished|restored|back\s+to|rolled\s+back|applied|live)\b"
)
NOT_YET = re.compile(
    r"(?i)\b(?:decision|initiat\w*|starting|started|in\s+progress|deploying|rolling\s+back|will)\b"
)
LIMITS = {"SEV1": 30, "SEV2": 60, "SEV3": 60}


def _read(root: Path, name: str) -> pd.DataFrame:
    dirs = sorted((root / "ws" / "imports").iterdir())
    frames = [pd.read_parquet(d / f"{name}.parquet") for d in dirs if (d / f"{name}.parquet").exists()]
    return pd.concat(frames, ignore_index=True)


def _aliases(root: Path) -> dict[str, str]:
    import tomllib

    names = tomllib.loads((root / "policy.toml").read_text())["services"]
    return {_slug(o): k for k, others in names.items() for o in (k, *others)}


def _slug(text: Any) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", str(text).lower())) if isinstance(text, str) else ""


def _words(text: str) -> set[str]:
    return {
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w not in STOP
    }


def records(inc: pd.DataFrame, ev: pd.DataFrame, aliases: dict[str, str]) -> pd.DataFrame:
    spans = (
        ev[ev["kind"] != "postmortem"]
        .groupby(["source", "incident_id"])["at"]
        .agg(first="min", last="max")
        .reset_index()
    )
    rec = inc.merge(spans, on=["source", "incident_id"], how="left")
    times = ["started_at", "detected_at", "acknowledged_at", "declared_at", "mitigated_at", "resolved_at"]
    rec["win_start"] = rec[[*times, "first"]].min(axis=1)
    rec["win_end"] = rec["resolved_at"].fillna(rec["last"] + pd.Timedelta(hours=12))
    rec["win_end"] = rec[["win_end", "win_start"]].max(axis=1)
    rec["rank"] = rec["source"].map(ORDER)
    rec = rec.sort_values(["rank", "win_start", "ref"], kind="stable").reset_index(drop=True)
    rec["keys"] = [
        sorted(
            {
                aliases.get(_slug(s), _slug(s))
                for s in [
                    *(str(svc).split(",") if isinstance(svc, str) else []),
                    *(comps if comps is not None else []),
                ]
                if _slug(s)
            }
        )
        for svc, comps in zip(rec["service"], rec["components"], strict=True)
    ]
    rec["date"] = rec["win_start"].dt.tz_convert("America/Los_Angeles").dt.strftime("%Y-%m-%d")
    return rec


def edges(rec: pd.DataFrame, ev: pd.DataFrame, channels: pd.DataFrame) -> pd.DataFrame:
    idx = rec.reset_index().rename(columns={"index": "rec"})
    out = []
    # references: a PagerDuty note naming the war room, a war room posting the status page's URL
    texts = ev[ev["text"].str.contains("#incident-|/incidents/", regex=True, na=False)].merge(
        idx[["rec", "source", "incident_id"]], on=["source", "incident_id"]
    )
    rooms = idx[idx["source"] == "slack"].merge(channels, left_on="ref", right_on="channel_id")[
        ["rec", "channel"]
    ]
    named = texts.assign(channel=texts["text"].str.extract(r"#([a-z0-9][a-z0-9_-]{2,79})")[0]).merge(
        rooms, on="channel", suffixes=("", "_b")
    )
    out.append(
        pd.DataFrame({"a": named["rec"], "b": named["rec_b"], "method": "reference", "confidence": 0.95})
    )
    sp = idx[idx["source"] == "statuspage"].assign(sp=lambda d: d["ref"].str.split("/").str[-1])[
        ["rec", "sp"]
    ]
    posted = texts.assign(
        sp=texts["text"].str.extract(r"https?://[^\s/]*status[^\s/]*/incidents/([a-z0-9]{6,})")[0]
    ).merge(sp, on="sp", suffixes=("", "_b"))
    out.append(
        pd.DataFrame({"a": posted["rec"], "b": posted["rec_b"], "method": "reference", "confidence": 1.0})
    )
    # naming: a war room and a post-mortem of the same day, every word of the room in the document
    room_words = idx[idx["source"] == "slack"].assign(
        w=lambda d: d["incident_id"].str.replace(r"^INC-\d{4}-\d{2}-\d{2}-", "", regex=True).map(_words),
        date=lambda d: d["incident_id"].str.extract(r"^INC-(\d{4}-\d{2}-\d{2})")[0].fillna(d["date"]),
    )
    docs = idx[idx["source"] == "postmortem"].assign(
        p=lambda d: (d["title"].fillna("") + " " + d["service"].fillna("")).map(_words)
    )
    pairs = room_words[["rec", "date", "w"]].merge(docs[["rec", "date", "p"]], on="date", suffixes=("", "_b"))
    pairs = pairs[[w <= p for w, p in zip(pairs["w"], pairs["p"], strict=True)]]
    out.append(pd.DataFrame({"a": pairs["rec"], "b": pairs["rec_b"], "method": "name", "confidence": 0.8}))
    # time + service, found per day
    base = idx[["rec", "source", "win_start", "win_end", "keys"]].explode("keys").dropna(subset=["keys"])
    slop = pd.Timedelta(minutes=15)
    days = base.assign(
        day=[
            pd.date_range((s - slop).date(), (e + slop).date(), freq="D")
            for s, e in zip(base["win_start"], base["win_end"], strict=True)
        ]
    ).explode("day")
    starts = base.assign(day=pd.to_datetime(base["win_start"].dt.date))
    m = starts.merge(days, on=["keys", "day"], suffixes=("", "_b"))
    m = m[
        (m["rec"] != m["rec_b"])
        & (m["source"] != m["source_b"])
        & (m["win_start"] >= m["win_start_b"] - slop)
        & (m["win_start"] <= m["win_end_b"] + slop)
    ]
    shared = (
        m[["win_end", "win_end_b"]].min(axis=1) - m[["win_start", "win_start_b"]].max(axis=1)
    ).dt.total_seconds()
    shorter = (
        pd.concat([m["win_end"] - m["win_start"], m["win_end_b"] - m["win_start_b"]], axis=1)
        .min(axis=1)
        .dt.total_seconds()
    )
    ratio = np.where(shorter > 0, shared / shorter.where(shorter > 0, 1), 1.0).clip(0, 1)
    tm = pd.DataFrame(
        {
            "a": m[["rec", "rec_b"]].min(axis=1),
            "b": m[["rec", "rec_b"]].max(axis=1),
            "method": "time+service",
            "confidence": (0.5 + 0.4 * ratio).round(3),
        }
    )
    out.append(tm)
    e = pd.concat(out, ignore_index=True)
    e = e.sort_values(["a", "b", "confidence"], ascending=[True, True, False]).drop_duplicates(
        ["a", "b", "method"]
    )
    return e


def groups(rec: pd.DataFrame, e: pd.DataFrame) -> list[int]:
    parent = list(range(len(rec)))
    mask = [1 << int(r) for r in rec["rank"]]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    e = e.assign(m=e["method"].map(RANK)).sort_values(
        ["m", "confidence", "a", "b"], ascending=[True, False, True, True]
    )
    for a, b in zip(e["a"], e["b"], strict=True):
        ra, rb = find(int(a)), find(int(b))
        if ra != rb and not mask[ra] & mask[rb]:
            parent[rb] = ra
            mask[ra] |= mask[rb]
    return [find(i) for i in range(len(rec))]


def dedupe(ev: pd.DataFrame) -> pd.DataFrame:
    epoch = pd.Timestamp("1970-01-01", tz="UTC")
    ev = ev.assign(rank=ev["source"].map(ORDER), _s=(ev["at"] - epoch).dt.total_seconds()).sort_values(
        "at", kind="stable"
    )

    def fold(g: pd.DataFrame) -> pd.Series:
        keep = np.ones(len(g), dtype=bool)
        at, rank = g["_s"].to_numpy(), g["rank"].to_numpy()
        for j in range(len(g)):
            earlier = np.nonzero((rank < rank[j]) & (np.abs(at - at[j]) <= 60))[0]
            keep[j] = len(earlier) == 0
        return pd.Series(keep, index=g.index)

    kept = ev.groupby(["incident_id", "kind", "visibility"], group_keys=False, sort=False).apply(
        fold, include_groups=False
    )
    return ev[kept.reindex(ev.index).to_numpy(dtype=bool)].drop(columns="_s")


def milestones(g: pd.DataFrame, recs: pd.DataFrame) -> pd.Series:
    def first(kinds: list[str]) -> Any:
        hit = g.loc[g["kind"].isin(kinds), "at"]
        return hit.min() if len(hit) else pd.NaT

    def by(col: str, order: list[str]) -> Any:
        for s in order:
            v = recs.loc[recs["source"] == s, col].dropna()
            if len(v):
                return v.iloc[0]
        return pd.NaT

    stated = recs[["started_at"]].dropna()
    declared = by("declared_at", ["slack"])
    declared = declared if pd.notna(declared) else first(["declare"])
    resolved = by("resolved_at", ["slack", "pagerduty", "statuspage", "postmortem"])
    detected = first(["alert"])
    detected = detected if pd.notna(detected) else declared
    started = stated["started_at"].min() if len(stated) else first(["alert"])
    if pd.isna(started):
        started = min((t for t in (detected, declared) if pd.notna(t)), default=pd.NaT)
    mits = g[g["kind"].isin(["mitigation", "rollback"])]
    done = np.array(
        [bool(DONE.search(t or "")) and not NOT_YET.search(t or "") for t in mits["text"]], dtype=bool
    )
    mits = mits.loc[done]
    if pd.notna(resolved):
        mits = mits[mits["at"] <= resolved]
    return pd.Series(
        {
            "started_at": started,
            "detected_at": detected,
            "acknowledged_at": first(["acknowledge"]),
            "declared_at": declared,
            "mitigated_at": mits["at"].min() if len(mits) else pd.NaT,
            "resolved_at": resolved,
            "severity": by("severity", ["slack", "postmortem", "pagerduty"]),
        }
    )


def gaps(g: pd.DataFrame, start: Any, end: Any) -> list[float]:
    pts = [start, *sorted(t for t in g["at"] if start < t <= end), end]
    return [d for d in (round((b - a).total_seconds()) / 60 for a, b in itertools.pairwise(pts)) if d > 0]


def bootstrap(v: np.ndarray, seed: int) -> tuple[float, float, float, float]:
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(v), size=(2000, len(v)))
    meds, means = np.median(v[idx], axis=1), v[idx].mean(axis=1)
    lo_m, hi_m = np.percentile(meds, [2.5, 97.5])
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(lo_m), float(hi_m), float(lo), float(hi)


def run(root: Path) -> list[int]:
    inc, ev = _read(root, "incidents"), _read(root, "events")
    channels = _read(root, "slack_channels")
    rec = records(inc, ev, _aliases(root))
    roots = groups(rec, edges(rec, ev, channels))
    rec["group"] = roots
    ev = ev.merge(rec[["source", "incident_id", "group"]], on=["source", "incident_id"], how="left")
    ev["incident_id"] = ev["group"].astype(str)
    kept = dedupe(ev)
    by_group = {k: g for k, g in rec.groupby("group")}
    ms = kept.groupby("group").apply(lambda g: milestones(g, by_group[g.name]), include_groups=False)
    for col in (
        "time_to_detect",
        "time_to_acknowledge",
        "time_to_declare",
        "time_to_mitigate",
        "time_to_resolve",
    ):
        a, b = {
            "time_to_detect": ("detected_at", "started_at"),
            "time_to_acknowledge": ("acknowledged_at", "detected_at"),
            "time_to_declare": ("declared_at", "detected_at"),
            "time_to_mitigate": ("mitigated_at", "started_at"),
            "time_to_resolve": ("resolved_at", "started_at"),
        }[col]
        ms[col] = (ms[a] - ms[b]).dt.total_seconds() / 60
    internal = kept[(kept["kind"] == "update") & (kept["source"] == "slack")]
    cad = internal.groupby("group").apply(
        lambda g: (
            gaps(g, ms.at[g.name, "declared_at"], ms.at[g.name, "resolved_at"])
            if pd.notna(ms.at[g.name, "resolved_at"])
            else []
        ),
        include_groups=False,
    )
    within = [
        sum(x <= LIMITS.get(ms.at[k, "severity"], 1e9) for x in v) / len(v) for k, v in cad.items() if v
    ]
    promises = kept[kept["kind"] == "update_promise"]
    updates = defaultdict(list)
    for k, t in zip(internal["group"], internal["at"], strict=True):
        updates[k].append(t)
    kept_promises = 0
    for k, made, due in zip(promises["group"], promises["at"], promises["due_at"], strict=True):
        later = [t for t in updates[k] if t > made]
        answer = min(
            [*later, *([ms.at[k, "resolved_at"]] if pd.notna(ms.at[k, "resolved_at"]) else [])], default=None
        )
        kept_promises += answer is not None and answer <= due + pd.Timedelta(minutes=5)
    summary = {}
    for (sev, metric), values in (
        ms.melt(id_vars="severity", value_vars=["time_to_resolve", "time_to_mitigate", "time_to_declare"])
        .dropna()
        .groupby(["severity", "variable"])["value"]
    ):
        v = values.to_numpy()
        summary[(sev, metric)] = (
            (np.median(v), np.quantile(v, 0.9), v.mean(), *bootstrap(v, 0)) if len(v) > 1 else None
        )
    resolved = ms["resolved_at"].notna()
    median = float(np.nanmedian(ms.loc[resolved, "time_to_resolve"]))
    return [
        len(ms),
        len(kept),
        int(resolved.sum()),
        round(median, 3),
        len(within),
        int(kept_promises),
        len(summary),
    ]
