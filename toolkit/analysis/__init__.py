"""The metrics of the seed's practice, as pure functions over :class:`~toolkit.timeline.Timeline` frames.

One idea per module: :mod:`.durations` (time to detect, acknowledge, declare, mitigate,
resolve; public-comms lag), :mod:`.summary` with :mod:`.bootstrap` (median, p90, mean and
seeded bootstrap intervals per group, open incidents counted), :mod:`.survival`
(Kaplan–Meier, open incidents censored), :mod:`.cadence`, :mod:`.promises`,
:mod:`.response`, :mod:`.severity` (audit), :mod:`.resolution` (criteria),
:mod:`.strategy` (mitigation strategy), :mod:`.compliance` (every rule in one table),
:mod:`.metrics` (the bundle the CLI prints). Every output's definitions are in
:data:`DEFINITIONS`.

Examples
--------
>>> from toolkit.timeline import Timeline
>>> summarize(durations(Timeline.empty())).height
0
"""

from __future__ import annotations

from toolkit.analysis.cadence import cadence
from toolkit.analysis.compliance import compliance
from toolkit.analysis.definitions import DEFINITIONS, DURATION_METRICS, definitions
from toolkit.analysis.durations import durations
from toolkit.analysis.metrics import Metrics, metrics
from toolkit.analysis.promises import promises
from toolkit.analysis.resolution import resolution_criteria
from toolkit.analysis.response import response_times
from toolkit.analysis.severity import severity_audit
from toolkit.analysis.strategy import mitigation_strategies, time_to_mitigate_by_strategy
from toolkit.analysis.summary import summarize
from toolkit.analysis.survival import survival

__all__ = [
    "DEFINITIONS",
    "DURATION_METRICS",
    "Metrics",
    "cadence",
    "compliance",
    "definitions",
    "durations",
    "metrics",
    "mitigation_strategies",
    "promises",
    "resolution_criteria",
    "response_times",
    "severity_audit",
    "summarize",
    "survival",
    "time_to_mitigate_by_strategy",
]
