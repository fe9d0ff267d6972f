"""The store under two writers at once: processes, not threads, as two analysts would be."""

from __future__ import annotations

import multiprocessing as mp

import orjson
import polars as pl

from tests.actions import _workers
from toolkit import actions

PAYMENT = "INC-2025-01-15-payment-service-outage"
TIMES = 200


def _two(target, args_a, args_b):
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=target, args=a) for a in (args_a, args_b)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0, 0], "a worker failed (its traceback is above)"


def _audit_of(ws, item_id):
    audit = ws.audit().filter(
        (pl.col("table_name") == "action_items") & (pl.col("key").list.first() == item_id)
    )
    return [
        (orjson.loads(b)["version"], orjson.loads(a)["version"])
        for b, a in audit.select("before", "after").rows()
        if b
    ]


def test_two_processes_updating_different_items_lose_nothing(ws):
    a = actions.add(ws, incident_id=PAYMENT, title="A", owner="alice", priority="P1", actor="t")
    b = actions.add(ws, incident_id=PAYMENT, title="B", owner="bob", priority="P1", actor="t")
    _two(_workers.bump, (str(ws.path), a.item_id, "alice", TIMES), (str(ws.path), b.item_id, "bob", TIMES))
    for item, name in ((a, "alice"), (b, "bob")):
        now = actions.get(ws, item.item_id)
        assert (now.version, now.notes, now.updated_by) == (TIMES + 1, f"{name} {TIMES - 1}", name)
        assert _audit_of(ws, item.item_id) == [(v, v + 1) for v in range(1, TIMES + 1)]
    updates = ws.audit().filter(pl.col("action") == "update")
    assert updates.group_by("actor").len().sort("actor").rows() == [("alice", TIMES), ("bob", TIMES)]


def test_two_processes_updating_the_same_item_refuse_every_stale_write(ws):
    item = actions.add(ws, incident_id=PAYMENT, title="Shared", owner="alice", priority="P1", actor="t")
    ctx = mp.get_context("spawn")
    barrier, manager = ctx.Barrier(2), ctx.Manager()
    results = manager.dict()
    path = str(ws.path)
    _two(
        _workers.race,
        (path, item.item_id, "alice", TIMES, barrier, results),
        (path, item.item_id, "bob", TIMES, barrier, results),
    )
    (won_a, refused_a), (won_b, refused_b) = results["alice"], results["bob"]
    manager.shutdown()
    assert (won_a + won_b, refused_a + refused_b) == (TIMES, TIMES)  # one winner per round
    assert won_a + refused_a == won_b + refused_b == TIMES
    now = actions.get(ws, item.item_id)
    assert now.version == TIMES + 1  # every accepted write counted once
    # no write was lost: the audit trail is one unbroken chain of versions, one entry per win
    assert _audit_of(ws, item.item_id) == [(v, v + 1) for v in range(1, TIMES + 1)]
    updates = ws.audit().filter(pl.col("action") == "update")
    assert dict(updates.group_by("actor").len().rows()) == {"alice": won_a, "bob": won_b}
