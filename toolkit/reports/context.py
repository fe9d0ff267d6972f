"""What every report notebook starts from: the workspace, the policy and how text is said.

Examples
--------
>>> say = Voice({"alice": "the Incident Commander"}, redact=True)
>>> say("alice rolled back; mail alice@example.com")
'the Incident Commander rolled back; mail [email]'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import WorkspaceError
from toolkit.reports.locate import default_workspace
from toolkit.reports.redact import redact as _redact

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from toolkit.store import Workspace
    from toolkit.workspace import Workspace as LinkedWorkspace

__all__ = ["AUDIENCES", "Voice", "linked", "linked_ids", "open_linked_workspace", "open_workspace"]

AUDIENCES = ("internal", "external")
"""Who a report is for: the team (everything) or outsiders (redacted, public events only)."""


@dataclass(frozen=True)
class Voice:
    """How a report says untrusted text: as written, or redacted (names become roles)."""

    names: Mapping[str, str] = field(default_factory=dict)
    redact: bool = False

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        return _redact(text, names=self.names) if self.redact else text

    def column(self, frame: pl.DataFrame, *names: str) -> pl.DataFrame:
        """``frame`` with the text columns ``names`` said in this voice (a new frame)."""
        if not self.redact:
            return frame
        import polars as pl

        return frame.with_columns(
            pl.col(n).map_elements(lambda t: self(t), return_dtype=pl.String, skip_nulls=True) for n in names
        )


def open_workspace(workspace: str | Path | None = None, *, policy: str | Path | None = None) -> Workspace:
    """The workspace a report reads (default :func:`~toolkit.reports.default_workspace`).

    Raises :class:`~toolkit.errors.WorkspaceError` when it holds no imports, saying how
    to fill it.
    """
    from toolkit.policy import Policy
    from toolkit.store import Workspace

    path = Path(workspace).expanduser() if workspace is not None else default_workspace()
    if not (path / "imports").is_dir() or not any((path / "imports").glob("*/manifest.json")):
        raise WorkspaceError(
            f"{path}: no imported exports here; run `incident-toolkit demo` (the sample) or "
            "`incident-toolkit ingest EXPORT...` first, or pass workspace=... / set $INCIDENT_TOOLKIT_WORKSPACE"
        )
    return Workspace(path, policy=Policy.load(Path(policy)) if policy is not None else None)


def check_audience(audience: str) -> str:
    """``audience`` if it is ``internal`` or ``external``; else a ValueError saying so."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be 'internal' or 'external', got {audience!r}")
    return audience


def linked(ws: Workspace) -> LinkedWorkspace:
    """``ws`` as a :class:`toolkit.workspace.Workspace` (the one with the linked timeline).

    The same object when it is one already; else the same folder and policy.
    """
    from toolkit.workspace import Workspace as LinkedWorkspace

    return ws if isinstance(ws, LinkedWorkspace) else LinkedWorkspace(ws.path, policy=ws.policy)


def open_linked_workspace(
    workspace: str | Path | None = None, *, policy: str | Path | None = None
) -> LinkedWorkspace:
    """:func:`open_workspace`, as a workspace that links its sources into incidents."""
    return linked(open_workspace(workspace, policy=policy))


def settled(workspace: str | Path, *, policy: str | Path | None = None) -> LinkedWorkspace:
    """The linked workspace at ``workspace`` with its imported action items merged into its
    store, as a report's first read would merge them: a fingerprint of the workspace taken
    afterwards stays valid once the reports ran, so an unchanged rerun is skipped."""
    from toolkit.actions import list_items
    from toolkit.policy import Policy
    from toolkit.workspace import Workspace as LinkedWorkspace

    pol = Policy.load(Path(policy)) if policy is not None else None
    ws = LinkedWorkspace(Path(workspace), policy=pol)
    if ws.exists:
        list_items(ws)
    return ws


def linked_ids(workspace: str | Path, ids: list[str], *, policy: str | Path | None = None) -> list[str]:
    """Each of ``ids`` (a linked id or any per-source id) as its linked incident id, in the
    :func:`settled` workspace. Ids the workspace does not know stay as they are (the report
    then says so)."""
    timeline = settled(workspace, policy=policy).timeline()
    return [timeline.linked_id(i) or i for i in ids]
