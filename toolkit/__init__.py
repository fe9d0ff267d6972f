"""incident-toolkit: learn from incidents, offline, from the exports you already have.

Read Slack, PagerDuty and Statuspage exports and post-mortem documents into tidy polars
tables, keep them in a :class:`Workspace`, and measure them against a severity
:class:`Policy`. Heavy modules load on first use, so ``import toolkit`` is quick.

Examples
--------
>>> import toolkit
>>> toolkit.determine_severity(percent_users_affected=15, performance_degradation=60)
<Severity.SEV2: 'SEV2'>
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from toolkit._version import __version__

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from toolkit import actions, charts, forms, whys
    from toolkit.analysis.cadence import cadence
    from toolkit.analysis.compliance import compliance
    from toolkit.analysis.definitions import DEFINITIONS
    from toolkit.analysis.durations import durations
    from toolkit.analysis.metrics import metrics
    from toolkit.analysis.promises import promises
    from toolkit.analysis.severity import severity_audit
    from toolkit.analysis.summary import summarize
    from toolkit.analysis.survival import survival
    from toolkit.errors import (
        ArgumentError,
        ConflictError,
        InputFormatError,
        PolicyError,
        SchemaError,
        ToolkitError,
        WorkspaceError,
    )
    from toolkit.importers.pagerduty import PagerDutyData, load_pagerduty
    from toolkit.importers.postmortem import PostmortemDoc, PostmortemSet, load_postmortem, load_postmortems
    from toolkit.importers.slack import SlackExport, load_slack
    from toolkit.importers.statuspage import StatuspageData, load_statuspage, status_phases
    from toolkit.policy import Policy, determine_severity, explain_severity
    from toolkit.schema import (
        EventKind,
        Impact,
        IncidentStatus,
        ItemStatus,
        Priority,
        Severity,
        Source,
        UpdateStatus,
        Visibility,
    )
    from toolkit.store import ImportReport
    from toolkit.timeline import Timeline
    from toolkit.workspace import Workspace

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "ToolkitError": "toolkit.errors",
    "ArgumentError": "toolkit.errors",
    "ConflictError": "toolkit.errors",
    "WorkspaceError": "toolkit.errors",
    "InputFormatError": "toolkit.errors",
    "PolicyError": "toolkit.errors",
    "SchemaError": "toolkit.errors",
    "Policy": "toolkit.policy",
    "determine_severity": "toolkit.policy",
    "explain_severity": "toolkit.policy",
    "EventKind": "toolkit.schema",
    "Impact": "toolkit.schema",
    "IncidentStatus": "toolkit.schema",
    "ItemStatus": "toolkit.schema",
    "Priority": "toolkit.schema",
    "Severity": "toolkit.schema",
    "Source": "toolkit.schema",
    "UpdateStatus": "toolkit.schema",
    "Visibility": "toolkit.schema",
    "Workspace": "toolkit.workspace",
    "Timeline": "toolkit.timeline",
    "ImportReport": "toolkit.store",
    "load_slack": "toolkit.importers.slack",
    "SlackExport": "toolkit.importers.slack",
    "load_pagerduty": "toolkit.importers.pagerduty",
    "PagerDutyData": "toolkit.importers.pagerduty",
    "load_statuspage": "toolkit.importers.statuspage",
    "StatuspageData": "toolkit.importers.statuspage",
    "status_phases": "toolkit.importers.statuspage",
    "load_postmortem": "toolkit.importers.postmortem",
    "load_postmortems": "toolkit.importers.postmortem",
    "durations": "toolkit.analysis",
    "summarize": "toolkit.analysis",
    "cadence": "toolkit.analysis",
    "promises": "toolkit.analysis",
    "compliance": "toolkit.analysis",
    "survival": "toolkit.analysis",
    "severity_audit": "toolkit.analysis",
    "metrics": "toolkit.analysis",
    "DEFINITIONS": "toolkit.analysis",
    "PostmortemDoc": "toolkit.importers.postmortem",
    "PostmortemSet": "toolkit.importers.postmortem",
}

# public submodules, imported on first attribute access (``toolkit.whys``, ``toolkit.actions``)
_SUBMODULES = ("actions", "charts", "forms", "whys")

__all__ = ["__version__", *sorted([*_LAZY, *_SUBMODULES])]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"toolkit.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
