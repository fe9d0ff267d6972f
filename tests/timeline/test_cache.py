"""The timeline on disk: a round trip, atomic folders, and the remembered ids."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from tests.timeline.records import at, incident, timeline
from toolkit.policy import Policy
from toolkit.timeline import cache


def test_a_saved_timeline_reads_back_the_same(tmp_path, sample):
    name = cache.key("abc", Policy.default())
    cache.save(tmp_path, name, sample)
    back = cache.load(tmp_path, name)
    assert back is not None
    for frame, df in sample.frames().items():
        assert_frame_equal(getattr(back, frame), df)
    assert (back.as_of, back.notes) == (sample.as_of, sample.notes)


def test_older_timelines_are_removed_and_nothing_half_written_stays(tmp_path, sample):
    cache.save(tmp_path, "timeline-one-x", sample)
    cache.save(tmp_path, "timeline-two-x", sample)
    assert sorted(p.name for p in (tmp_path / ".cache").iterdir()) == ["timeline-two-x"]
    assert cache.load(tmp_path, "timeline-one-x") is None


def test_an_unreadable_cache_is_no_cache(tmp_path, sample):
    cache.save(tmp_path, "timeline-x-y", sample)
    (tmp_path / ".cache" / "timeline-x-y" / "events.parquet").write_bytes(b"not parquet")
    assert cache.load(tmp_path, "timeline-x-y") is None


def test_the_key_changes_with_the_policy():
    other = Policy.default().replace(promise_grace_minutes=10)
    assert cache.key("s", Policy.default()) != cache.key("s", other)


def test_a_record_keeps_the_first_id_remembered(tmp_path):
    tl = timeline([incident("pagerduty", "P1", "PD-P1", service="auth", detected_at=at(3, 10))], [])
    cache.write_pins(tmp_path, tl.links, cache.read_pins(tmp_path))
    renamed = tl.links.with_columns(incident_id=pl.lit("INC-other"))
    cache.write_pins(tmp_path, renamed, cache.read_pins(tmp_path))
    assert cache.read_pins(tmp_path).rows() == [("pagerduty", "P1", "INC-2025-01-03-auth")]


def test_an_unreadable_cache_is_replaced(tmp_path, sample):
    cache.save(tmp_path, "timeline-x-y", sample)
    (tmp_path / ".cache" / "timeline-x-y" / "events.parquet").write_bytes(b"not parquet")
    cache.save(tmp_path, "timeline-x-y", sample)
    assert cache.load(tmp_path, "timeline-x-y") is not None


def test_the_key_is_the_same_in_every_process():
    import subprocess
    import sys

    code = "from toolkit.timeline import cache; from toolkit.policy import Policy; print(cache.key('s', Policy.default()))"
    keys = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert keys == {cache.key("s", Policy.default()) + "\n"}
