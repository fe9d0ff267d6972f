"""Reports: post-mortems and 30-day reviews rendered from notebooks to HTML, Markdown and PDF.

``render(kind, params, ...)`` executes ``notebooks/postmortem.ipynb`` or
``notebooks/review_30d.ipynb`` with papermill (one fresh kernel per report, in parallel
with ``jobs=`` or on any executor, Dask included), keeps the executed notebook and
exports it: self-contained offline HTML (``report_templates/report/``), Markdown with PNG
figures, PDF through chromium. Unchanged reports are skipped by a content hash.
The notebooks show everything through :mod:`toolkit.reports.blocks`, which escape
untrusted text in every format; :func:`redact` masks e-mails, phones and names.

Modules: ``render`` (the API), ``batch`` (executors), ``job`` (one report), ``execute``
(papermill), ``html``, ``markdown``, ``images`` (kaleido), ``pdf`` (Playwright),
``fingerprint`` (skip unchanged), ``blocks`` and ``escape`` (safe output), ``redact``,
``postmortem`` and ``review`` (the notebooks' sections; a post-mortem's section bodies are in
``sections``, a review's in ``review_window``, ``review_metrics``, ``review_figures``,
``review_practice`` and ``review_actions``), ``prose``, ``context``, ``locate``, ``options``. A post-mortem is one per linked
incident (:meth:`toolkit.workspace.Workspace.timeline`), asked for by any of its ids and
named after its linked id.

Examples
--------
>>> from toolkit import reports
>>> reports.redact("paged alice@example.com", names={})
'paged [email]'

With the sample ingested into ``workspace/`` (``incident-toolkit demo``)::

    done = reports.render("postmortem", [{"incident_id": "INC-2025-01-15-payment"}],
                          formats=("html", "md"), jobs=2)
    [str(r.error) for r in done if not r.ok]     # []
"""

from __future__ import annotations

from toolkit.reports.execute import RenderError
from toolkit.reports.job import FORMATS, Rendered
from toolkit.reports.locate import default_workspace
from toolkit.reports.redact import redact
from toolkit.reports.render import KINDS, render

__all__ = ["FORMATS", "KINDS", "RenderError", "Rendered", "default_workspace", "redact", "render"]
