"""Post-mortem Markdown documents of the sample, in the seed's template shape.

The documents live beside the scenario files (``<scenario>/postmortems/``); each incident
file names its own. ``2025-01-15-payment-service-outage.md`` is the seed document's
post-mortem template section byte for byte; the others follow the same headings and tables.
"""

from __future__ import annotations

from pathlib import Path

from ._util import write_bytes
from .model import Scenario


def write_postmortems(out_dir: Path, story: Scenario) -> list[Path]:
    """Copy the post-mortem of every incident that has one into ``out_dir``; returns the paths."""
    names = [i.postmortem.file for i in story.incidents if i.postmortem]
    return [write_bytes(out_dir / name, (story.folder / "postmortems" / name).read_bytes()) for name in names]
