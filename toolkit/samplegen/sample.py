"""``write_sample``: the small, coherent, committed sample in ``data/sample/``."""

from __future__ import annotations

from pathlib import Path

from ._util import PST, write_bytes
from .pagerduty import write_pagerduty_sample
from .postmortem import write_postmortems
from .scenario import SCENARIO
from .slack import write_slack_sample
from .statuspage import write_statuspage_sample

DEFAULT_SEED = 20250115


def _readme() -> bytes:
    lines = [
        "# Sample exports (generated)",
        "",
        "Written by `python -m toolkit.samplegen sample data/sample`; do not edit by hand.",
        "Ground truth: `toolkit.samplegen.SCENARIO`. Times below are PST (UTC-8).",
        "",
        "| incident | service | declared | true | started | resolved | war room | PagerDuty | Statuspage |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for i in SCENARIO:
        resolved = i.resolved_at.astimezone(PST).strftime("%m-%d %H:%M") if i.resolved_at else "open"
        lines.append(
            f"| {i.incident_id} | {i.service} | {i.declared_severity or '-'} | {i.true_severity} "
            f"| {i.started_at.astimezone(PST):%m-%d %H:%M} | {resolved} | {i.channel or '-'} "
            f"| {i.paging.pd_id if i.paging else '-'} "
            f"| {i.status_page.sp_id if i.status_page else '-'} |"
        )
    return ("\n".join(lines) + "\n").encode()


def write_sample(out_dir: Path, *, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the small coherent sample (Slack, PagerDuty, Statuspage, post-mortems).

    Parameters
    ----------
    out_dir
        Target folder, e.g. ``data/sample``; sub-folders ``slack/``, ``pagerduty/``,
        ``statuspage/`` and ``postmortems/`` are created.
    seed
        Drives only incidental values (Slack ``ts`` fractions, message and log-entry ids,
        milliseconds); the story itself is :data:`SCENARIO`. Same seed, same bytes.

    Returns
    -------
    list[Path]
        Every file written.

    Examples
    --------
    >>> paths = write_sample(Path("data/sample"))  # doctest: +SKIP
    >>> [p.name for p in paths][:2]  # doctest: +SKIP
    ['README.md', 'acme-slack-export.zip']
    """
    out_dir = Path(out_dir)
    return [
        write_bytes(out_dir / "README.md", _readme()),
        write_slack_sample(out_dir / "slack", seed=seed),
        *write_pagerduty_sample(out_dir / "pagerduty", seed=seed),
        write_statuspage_sample(out_dir / "statuspage", seed=seed),
        *write_postmortems(out_dir / "postmortems"),
    ]
