"""Seeded sample-data generator: a small coherent story and large benchmark exports.

Everything is deterministic: the same seed gives byte-identical files. Standard library
and orjson only.

- :func:`write_sample` writes the committed sample (``data/sample``): a Slack workspace
  export zip, PagerDuty ``/incidents``, ``/log_entries`` and Analytics responses, a
  Statuspage ``incidents.json`` and post-mortem Markdown, all telling one story whose
  ground truth is :data:`SCENARIO`.
- :func:`write_slack_export`, :func:`write_pagerduty` and :func:`write_statuspage`
  write large synthetic exports of exact sizes for benchmarks, streaming with bounded
  memory.

Examples
--------
>>> from toolkit.samplegen import SCENARIO
>>> payment = next(i for i in SCENARIO if i.incident_id == "INC-20250115-1005")
>>> payment.true_severity, payment.commander
('SEV1', 'alice')
"""

from __future__ import annotations

from .model import (
    Incident,
    Message,
    PageEntry,
    Paging,
    SeverityInputs,
    StatusIncident,
    StatusUpdate,
    determine_severity,
)
from .sample import write_sample
from .scale_pagerduty import write_pagerduty
from .scale_slack import write_slack_export
from .scale_statuspage import write_statuspage
from .scenario import BY_ID, CHATTER, EXPORT_AT, SCENARIO

__all__ = [
    "BY_ID",
    "CHATTER",
    "EXPORT_AT",
    "SCENARIO",
    "Incident",
    "Message",
    "PageEntry",
    "Paging",
    "SeverityInputs",
    "StatusIncident",
    "StatusUpdate",
    "determine_severity",
    "write_pagerduty",
    "write_sample",
    "write_slack_export",
    "write_statuspage",
]
