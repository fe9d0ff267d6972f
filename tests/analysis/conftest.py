"""The bundled sample, ingested once per test session, and its timeline (the timeline tests' fixtures)."""

from tests.timeline.conftest import sample, sample_dir

__all__ = ["sample", "sample_dir"]
