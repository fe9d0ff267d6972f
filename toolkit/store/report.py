"""What one ingest did: :class:`ImportReport` (file, hash, rows per table, rejections, notes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from toolkit.schema import Source

__all__ = ["OUTCOMES", "ImportReport", "md_text"]

OUTCOMES = ("imported", "replaced", "unchanged", "empty")
"""``imported``: new; ``replaced``: superseded an older import of the same path or bytes;
``unchanged``: the same bytes were imported already; ``empty``: nothing could be read
(nothing was written)."""


@dataclass(frozen=True)
class ImportReport:
    """What one ingest did: file, hash, rows per table, rejections and notes."""

    path: str
    source: Source
    sha256: str
    import_id: str
    rows: Mapping[str, int]
    rejected: pl.DataFrame
    notes: tuple[str, ...] = ()
    outcome: str = "imported"
    seconds: float = 0.0

    @property
    def rows_read(self) -> int:
        """Rows written across all tables."""
        return sum(self.rows.values())

    @property
    def rows_rejected(self) -> int:
        """Records kept aside as rejected."""
        return self.rejected.height

    def affected(self) -> list[str]:
        """One line per incident that lost records to rejection ("INC-…: 1 rejected message, ...").

        A rejected record of an incident can take one of its milestones with it (a
        declaration with a bad ``ts`` moves ``declared_at``), so the report names them.
        """
        if "incident_id" not in self.rejected.columns or not self.rejected.height:
            return []
        counts = (
            self.rejected.drop_nulls("incident_id")
            .group_by("incident_id")
            .len()
            .sort("incident_id")
            .iter_rows()
        )
        what = {Source.slack: "message", Source.pagerduty: "record", Source.statuspage: "update"}
        noun = what.get(self.source, "record")
        return [
            f"{inc}: {n} rejected {noun}{'s' if n != 1 else ''}, milestones may be incomplete"
            for inc, n in counts
        ]

    def summary(self) -> str:
        """One line for people."""
        counts = ", ".join(f"{n:,} {t}" for t, n in self.rows.items() if n)
        return (
            f"{self.path} [{self.source}] {self.outcome}: {counts or 'no rows'}; "
            f"{self.rows_rejected:,} rejected; sha256 {self.sha256[:12]}"
        )

    def to_markdown(self) -> str:
        """The report as Markdown: counts, notes, affected incidents and every rejection."""
        lines = [
            f"### `{self.path}` ({self.source}, {self.outcome})",
            "",
            f"- sha256: `{self.sha256}`",
        ]
        lines += [f"- {t}: {n:,} rows" for t, n in self.rows.items()]
        lines.append(f"- rejected: {self.rows_rejected:,}")
        lines += [f"- note: {md_text(n)}" for n in self.notes]
        lines += [f"- affected: {md_text(a)}" for a in self.affected()]
        if self.rows_rejected:
            lines += ["", "| file | record | field | reason |", "|---|---|---|---|"]
            for r in self.rejected.iter_rows(named=True):
                rec = "" if r["record"] is None else r["record"]
                lines.append(
                    f"| {md_text(r['file'])} | {rec} | {md_text(r['field'] or '')} | {md_text(r['reason'])} |"
                )
        return "\n".join(lines) + "\n"


def md_text(text: str) -> str:
    """Text from an export, safe inside a Markdown table cell or list item (no HTML, no pipes)."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", " ")
    )
