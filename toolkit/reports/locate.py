"""Where the report notebooks, templates and the default workspace are, whatever the cwd.

Paths resolve against the installed package (a wheel carries ``_notebooks/`` and
``_report_templates/``) or, in a checkout, against the repository, never against the
caller's working directory: a notebook opened in JupyterLab from ``notebooks/`` and one
run by papermill from anywhere find the same workspace.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["NOTEBOOKS", "REPO", "TEMPLATES", "default_workspace", "notebook_path"]

_PACKAGE = Path(__file__).resolve().parents[1]
REPO = _PACKAGE.parent
"""The repository (or site-packages) folder holding the ``toolkit`` package."""


def _packaged_or_repo(packaged: str, repo: str) -> Path:
    inside = _PACKAGE / packaged
    return inside if inside.is_dir() else REPO / repo


NOTEBOOKS = _packaged_or_repo("_notebooks", "notebooks")
"""The report notebooks (``notebooks/`` in a checkout)."""

TEMPLATES = _packaged_or_repo("_report_templates", "report_templates")
"""The report templates (``report_templates/`` in a checkout)."""


def notebook_path(kind: str) -> Path:
    """The notebook a report ``kind`` is rendered from.

    Examples
    --------
    >>> notebook_path("postmortem").name
    'postmortem.ipynb'
    """
    names = {"postmortem": "postmortem.ipynb", "review": "review_30d.ipynb"}
    if kind not in names:
        raise ValueError(f"unknown report kind {kind!r}; use one of {', '.join(names)}")
    return NOTEBOOKS / names[kind]


def default_workspace() -> Path:
    """``$INCIDENT_TOOLKIT_WORKSPACE`` if set, else ``<repo>/workspace`` (absolute either way).

    Examples
    --------
    >>> default_workspace().is_absolute()
    True
    """
    from toolkit.store import ENV_WORKSPACE

    env = os.environ.get(ENV_WORKSPACE)
    if env:
        return Path(env).expanduser().resolve()
    return REPO / "workspace"
