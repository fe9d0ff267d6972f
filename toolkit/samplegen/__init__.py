"""Seeded sample-data generator: a small coherent story and large benchmark exports.

Everything is deterministic: the same seed gives byte-identical files.

- The story is data: one TOML file per incident, plus the people, the services and the
  chatter between incidents, in ``toolkit/samplegen/scenario/`` (format:
  :mod:`toolkit.samplegen.load`). :data:`SCENARIO` is its incidents, the ground truth
  that tests and notebooks compare importer output with.
- :func:`write_sample` renders it as the committed sample (``data/sample``): a Slack
  workspace export zip, PagerDuty ``/incidents``, ``/log_entries`` and Analytics
  responses, a Statuspage ``incidents.json`` and post-mortem Markdown.
- :func:`write_slack_export`, :func:`write_pagerduty` and :func:`write_statuspage`
  write large synthetic exports of exact sizes for benchmarks, streaming with bounded
  memory.
- The command line is ``incident-toolkit generate`` (``python -m toolkit.samplegen`` is
  the same command): see :mod:`toolkit.samplegen.command`.

Names load on first use, so importing this package (as the CLI does) reads no file.

Examples
--------
>>> from toolkit.samplegen import BY_ID
>>> payment = BY_ID["INC-2025-01-15-payment"]
>>> payment.true_severity, payment.commander, payment.channel
(<Severity.SEV1: 'SEV1'>, 'alice', 'incident-2025-01-15-payment')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from ._util import DEFAULT_SEED as DEFAULT_SEED
    from .load import load_scenario as load_scenario
    from .load import parse_time as parse_time
    from .model import Incident as Incident
    from .model import Message as Message
    from .model import PageEntry as PageEntry
    from .model import Paging as Paging
    from .model import Promise as Promise
    from .model import Scenario as Scenario
    from .model import SeverityInputs as SeverityInputs
    from .model import StatusIncident as StatusIncident
    from .model import StatusUpdate as StatusUpdate
    from .readme import incident_id_for as incident_id_for
    from .sample import write_sample as write_sample
    from .scale_pagerduty import write_pagerduty as write_pagerduty
    from .scale_slack import write_slack_export as write_slack_export
    from .scale_statuspage import write_statuspage as write_statuspage
    from .scenario import BY_ID as BY_ID
    from .scenario import CHATTER as CHATTER
    from .scenario import EXPORT_AT as EXPORT_AT
    from .scenario import SCENARIO as SCENARIO
    from .scenario import STORY as STORY

# public name -> submodule that defines it
_LAZY: dict[str, str] = {
    "BY_ID": "scenario",
    "CHATTER": "scenario",
    "EXPORT_AT": "scenario",
    "SCENARIO": "scenario",
    "STORY": "scenario",
    "DEFAULT_SEED": "_util",
    "incident_id_for": "readme",
    "write_sample": "sample",
    "write_pagerduty": "scale_pagerduty",
    "write_slack_export": "scale_slack",
    "write_statuspage": "scale_statuspage",
    "load_scenario": "load",
    "parse_time": "load",
    "Incident": "model",
    "Message": "model",
    "PageEntry": "model",
    "Paging": "model",
    "Promise": "model",
    "Scenario": "model",
    "SeverityInputs": "model",
    "StatusIncident": "model",
    "StatusUpdate": "model",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit.samplegen' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"toolkit.samplegen.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
