"""One post-mortem, read: :class:`PostmortemDoc`, its tables, and the ids of its records.

**Identity.** A document's ``ref`` (its key with ``source="postmortem"``) is the id it
states (an Incident ID field, "incident #465" in the title), else its path inside the
export (``q1/2025-01-15.md``); ``incident_id`` is the stated id, else
``INC-<date>-<slug>``. An action item's ``item_id`` is ``AI-`` and the first 12 hex digits
of the SHA-256 of the document's ref and the item's normalised title (case-folded,
punctuation stripped, whitespace collapsed), so reordering a document's items keeps their
ids; a second item with the same title in one document adds its ordinal to the hash.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.policy import Policy
from toolkit.schema import TABLES

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.whys.tree import Tree

__all__ = [
    "TABLE_NAMES",
    "PostmortemDoc",
    "empty_frame",
    "frame_of",
    "identified",
    "item_id",
    "normalised_title",
]

TABLE_NAMES = ("incidents", "events", "whys", "action_items", "roles", "people", "postmortem_sections")
"""The core tables a post-mortem fills, in the order ``tables()`` gives them."""
_SCHEMAS = {name: TABLES[name].schema for name in (*TABLE_NAMES, "rejected")}
_UNDATED = pl.Schema(
    {
        "incident_id": pl.String(),
        "time": pl.Time(),
        "kind": pl.String(),
        "actor": pl.String(),
        "text": pl.String(),
        "ref": pl.String(),
    }
)
_PUNCT_RX = re.compile(r"[^\w\s]")
_EMPTY: dict[str, pl.DataFrame] = {}


def empty_frame(name: str) -> pl.DataFrame:
    """An empty table ``name`` of the schema (one shared frame per table: frames are immutable)."""
    if name not in _EMPTY:
        _EMPTY[name] = pl.DataFrame(schema=_SCHEMAS[name])
    return _EMPTY[name]


def frame_of(name: str, rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Rows (dicts) as table ``name`` of the schema."""
    if not rows:
        return empty_frame(name)
    return pl.from_dicts(rows, schema=_SCHEMAS[name])


def normalised_title(title: str) -> str:
    """A title case-folded, punctuation stripped, whitespace collapsed (for ids)."""
    return " ".join(_PUNCT_RX.sub("", title.casefold()).split())


def item_id(ref: str, title: str, ordinal: int = 1) -> str:
    """The stable id of an action item (module docstring).

    Examples
    --------
    >>> item_id("INC-465", "Update the playbook!") == item_id("INC-465", "update  the playbook")
    True
    """
    key = f"{ref}\x1f{normalised_title(title)}" + (f"\x1f{ordinal}" if ordinal > 1 else "")
    return "AI-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


Rows = dict[str, list[dict[str, Any]]]
"""Table name → rows as dicts."""


def identified(rows: Rows, *, incident_id: str, ref: str) -> Rows:
    """``rows`` with the document's incident id and ref (and so its item ids) set."""
    out = {
        name: [{**r, "incident_id": incident_id} if "incident_id" in r else dict(r) for r in table]
        for name, table in rows.items()
    }
    for inc in out.get("incidents", []):
        inc["ref"] = ref
    seen: dict[str, int] = {}
    for item in out.get("action_items", []):
        norm = normalised_title(item["title"])
        seen[norm] = seen.get(norm, 0) + 1
        item["item_id"] = item_id(ref, item["title"], seen[norm])
    return out


@dataclass(frozen=True)
class PostmortemDoc:
    """One post-mortem document, read.

    ``incident`` holds the fields and prose: incident_id, ref, title, date, severity,
    duration, started_at/resolved_at/closed_at (UTC), timezone (label as written), tz
    (zone used), commander, participants, authors, roles, summary, impact (label → text)
    with users_affected, percent_users_affected, support_tickets, revenue_impacted,
    degradation_pct, core_down, workaround, data_breach, root_cause, follow_up, service,
    status, postmortem_at, fields (every field as written), narrative (Trigger,
    Resolution, ... by heading) and other_sections. The frames are the core tables
    (``tables()``), built on first use; the lists keep bold labels readably ("Fast
    detection: Alert fired within 5 min of impact").
    """

    incident: Mapping[str, Any]
    went_well: list[str]
    went_wrong: list[str]
    lessons: list[str]
    rejected: pl.DataFrame
    notes: tuple[str, ...] = ()
    rows: Rows = field(default_factory=dict, repr=False)
    """The tables' rows as dicts; the frames below are built from them."""
    lucky: list[str] = field(default_factory=list)
    """Where we got lucky."""
    undated: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    """Timeline rows with a time of day but no date (kept here, not in ``events``)."""
    markdown: str = field(default="", repr=False)
    """The Markdown read (for ``.docx``/``.html``, what they were converted to: refs point into it)."""

    @cached_property
    def timeline(self) -> pl.DataFrame:
        """The timeline, in the ``events`` schema."""
        return frame_of("events", self.rows.get("events", []))

    @cached_property
    def whys(self) -> pl.DataFrame:
        """The 5-Whys nodes, in the ``whys`` schema."""
        return frame_of("whys", self.rows.get("whys", []))

    @cached_property
    def action_items(self) -> pl.DataFrame:
        """The action items, in the ``action_items`` schema."""
        return frame_of("action_items", self.rows.get("action_items", []))

    @cached_property
    def roles(self) -> pl.DataFrame:
        """The roles the document states, in the ``roles`` schema."""
        return frame_of("roles", self.rows.get("roles", []))

    @cached_property
    def people(self) -> pl.DataFrame:
        """The people the document names, in the ``people`` schema."""
        return frame_of("people", self.rows.get("people", []))

    @cached_property
    def sections(self) -> pl.DataFrame:
        """Summary, impact, root cause, lessons, ... one row per paragraph or item (``postmortem_sections``)."""
        return frame_of("postmortem_sections", self.rows.get("postmortem_sections", []))

    @cached_property
    def undated_rows(self) -> pl.DataFrame:
        """Timeline rows without a date: incident_id, time (of day, local), kind, actor, text, ref."""
        return (
            pl.DataFrame(list(self.undated), schema=_UNDATED)
            if self.undated
            else pl.DataFrame(schema=_UNDATED)
        )

    @cached_property
    def incident_row(self) -> pl.DataFrame:
        """The ``incidents`` table row (empty when the file could not be read at all)."""
        return frame_of("incidents", self.rows.get("incidents", []))

    @property
    def incidents(self) -> pl.DataFrame:
        """The core ``incidents`` table (one row): the same as :attr:`incident_row`."""
        return self.incident_row

    @property
    def events(self) -> pl.DataFrame:
        """The core ``events`` table: the same as :attr:`timeline`."""
        return self.timeline

    @property
    def postmortem_sections(self) -> pl.DataFrame:
        """The core ``postmortem_sections`` table: the same as :attr:`sections`."""
        return self.sections

    @property
    def incident_id(self) -> str:
        """The document's incident id (empty when the file could not be read at all)."""
        return str(self.incident.get("incident_id") or "")

    @property
    def ref(self) -> str:
        """The document's stable ref: its stated id, else its path in the export."""
        return str(self.incident.get("ref") or "")

    def tables(self) -> dict[str, pl.DataFrame]:
        """The core tables: incidents (one row), events, whys, action_items, roles, people,
        postmortem_sections."""
        return {
            "incidents": self.incident_row,
            "events": self.timeline,
            "whys": self.whys,
            "action_items": self.action_items,
            "roles": self.roles,
            "people": self.people,
            "postmortem_sections": self.sections,
        }

    def tree(self, *, policy: Policy | None = None) -> Tree:
        """The 5-Whys as a :class:`toolkit.whys.Tree`, with the root-cause statement."""
        from toolkit.whys.tree import Tree

        return Tree.from_frame(
            self.whys, self.incident_id, policy=policy, root_cause=self.incident.get("root_cause")
        )

    def with_identity(self, incident_id: str, ref: str) -> PostmortemDoc:
        """A copy under another incident id and ref (item ids follow the ref)."""
        undated = tuple({**u, "incident_id": incident_id} for u in self.undated)
        rejected = (
            self.rejected.with_columns(incident_id=pl.lit(incident_id))
            if self.rejected.height
            else self.rejected
        )
        return replace(
            self,
            incident={**self.incident, "incident_id": incident_id, "ref": ref},
            rows=identified(self.rows, incident_id=incident_id, ref=ref),
            undated=undated,
            rejected=rejected,
        )
