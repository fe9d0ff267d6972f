"""Action items imported from post-mortem documents, merged into the store.

Imported items have a stable ``item_id`` (from the incident and the normalised title), so a
re-imported document updates its items instead of duplicating them. The merge is
three-way, field by field: the store keeps what the document said last (``imported``); a
field the document changed since is taken from it unless someone edited that field in the
toolkit meanwhile (edits win). An item the document no longer lists is marked
``removed_from_source`` (never deleted); it is unmarked if it comes back. Items deleted in
the toolkit stay deleted. Merges are audited under the actor ``"import"``.

The merge runs inside the first read or write after the workspace's imports change
(:func:`sync_if_needed`); its token is the list of imported ``action_items`` files.
"""

from __future__ import annotations

from typing import Any

import orjson
import polars as pl

from toolkit.actions.store import Writer, to_sql
from toolkit.schema import Source
from toolkit.store import Workspace
from toolkit.store.imports import table_files

__all__ = ["IMPORT_ACTOR", "SOURCE_FIELDS", "import_token", "merge", "sync_if_needed"]

IMPORT_ACTOR = "import"
"""The actor of changes the merge makes."""

SOURCE_FIELDS = ("incident_id", "title", "owner", "priority", "due_date", "status", "kind", "ref")
"""Fields a post-mortem document gives, merged on re-import."""


def import_token(ws: Workspace) -> str:
    """Names the imported ``action_items`` files; changes whenever an import adds or replaces one."""
    return "|".join(f.parent.name for f in table_files(ws.path, "action_items"))


def sync_if_needed(ws: Workspace, writer: Writer) -> int:
    """Merge the imported items when the imports changed since the last merge; rows changed."""
    token = import_token(ws)
    if writer.token() == token:
        return 0
    changed = merge(writer, ws.table("action_items", edited=False))
    writer.set_token(token)
    return changed


def _doc(row: dict[str, Any]) -> dict[str, Any]:
    return to_sql({f: row[f] for f in SOURCE_FIELDS})


def merge(writer: Writer, imported: pl.DataFrame) -> int:
    """Merge ``imported`` (rows of the imported ``action_items`` table) into the store.

    Returns how many stored rows were inserted or changed.
    """
    changed = 0
    seen: set[str] = set()
    all_stored = writer.rows()
    for row in imported.iter_rows(named=True):
        item_id = row["item_id"]
        seen.add(item_id)
        doc = _doc(row)
        stored = all_stored.get(item_id)
        if stored is None:
            writer.insert(
                {
                    **doc,
                    "item_id": item_id,
                    "link": row["link"],
                    "notes": row["notes"],
                    "created_at": to_sql({"created_at": row["created_at"]})["created_at"],
                    "source": row["source"] or Source.postmortem.value,
                    "imported": orjson.dumps(doc).decode(),
                },
                actor=IMPORT_ACTOR,
            )
            changed += 1
            continue
        if stored["deleted_at"] is not None:
            continue
        last = orjson.loads(stored["imported"]) if stored["imported"] else {}
        changes = {
            f: doc[f] for f in SOURCE_FIELDS if doc[f] != last.get(f) and stored[f] == last.get(f, stored[f])
        }
        if stored["removed_from_source"]:
            changes["removed_from_source"] = 0
        if doc != last:
            changes["imported"] = orjson.dumps(doc).decode()
        if writer.change(stored, changes, actor=IMPORT_ACTOR) != stored:
            changed += 1
    for item_id, stored in all_stored.items():
        live = stored["imported"] is not None and stored["deleted_at"] is None
        if live and not stored["removed_from_source"] and item_id not in seen:
            writer.change(stored, {"removed_from_source": 1}, actor=IMPORT_ACTOR)
            changed += 1
    return changed
