"""``write_sample``: the small, coherent, committed sample in ``data/sample/``."""

from __future__ import annotations

from pathlib import Path

from ._util import DEFAULT_SEED, write_bytes
from .model import Scenario
from .pagerduty import write_pagerduty_sample
from .postmortem import write_postmortems
from .readme import render_readme
from .slack import write_slack_sample
from .statuspage import write_statuspage_sample

__all__ = ["DEFAULT_SEED", "write_sample"]


def write_sample(out_dir: Path, *, seed: int = DEFAULT_SEED, story: Scenario | None = None) -> list[Path]:
    """Write the small coherent sample (Slack, PagerDuty, Statuspage, post-mortems).

    Parameters
    ----------
    out_dir
        Target folder, e.g. ``data/sample``; sub-folders ``slack/``, ``pagerduty/``,
        ``statuspage/`` and ``postmortems/`` are created.
    seed
        Drives only incidental values (Slack ``ts`` fractions, message and log-entry ids,
        milliseconds); the story itself is the scenario. Same seed, same bytes.
    story
        The scenario to render; default the bundled one (:data:`~.scenario.STORY`).

    Returns
    -------
    list[Path]
        Every file written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.relative_to(tmp).as_posix() for p in write_sample(Path(tmp))][:3]
    ['README.md', 'slack/acme-slack-export.zip', 'pagerduty/incidents.json']
    """
    if story is None:
        from .scenario import STORY

        story = STORY
    out_dir = Path(out_dir)
    return [
        write_bytes(out_dir / "README.md", render_readme(story)),
        write_slack_sample(out_dir / "slack", story, seed=seed),
        *write_pagerduty_sample(out_dir / "pagerduty", story, seed=seed),
        write_statuspage_sample(out_dir / "statuspage", story, seed=seed),
        *write_postmortems(out_dir / "postmortems", story),
    ]
