"""Post-mortem documents (Markdown, the seed template's shape) into tidy tables.

Reads tolerantly: heading levels and emoji vary, tables may reorder or rename columns
(Owner/Assignee, Due/Due Date), times may be ``10:00 AM``, ``10:00`` or ``10:00 PST``,
and one time-zone label ("All times PST", else a Timezone field, else the Duration's
``(... PST)``) applies to every time that names none (labels are mapped in
:mod:`toolkit.importers.postmortem.time`; ``tz=`` overrides them all). Timeline times
fall on the document's date unless the row names a date; a row earlier than the one
above by more than an hour is after midnight (the date rolls). What cannot be read is
listed in ``.rejected`` with its line number in ``record``; sections outside the template
are kept in ``incident["other_sections"]`` and named in ``.notes``.

Tables (``tables()``):

* ``incidents`` — one row, ``source="postmortem"``, ``ref`` the file name; id rule in
  :mod:`toolkit.importers.postmortem.header` (e.g. ``INC-2025-01-15-payment-service-outage``);
  ``started_at``/``resolved_at`` from the header; ``detected_at`` the first alert or page
  of the timeline, ``declared_at`` its first declaration, ``acknowledged_at`` its first
  acknowledgement (``mitigated_at`` stays empty); ``computed_severity`` by the
  policy's decision tree when the impact states a % of users or a revenue loss;
  ``postmortem_at`` only when the header states it.
* ``events`` — the timeline (``ref`` = ``"<file name>:<line>"``, kinds in
  :mod:`toolkit.importers.postmortem.timeline`).
* ``whys`` — node ids ``W1``, ``W2``, ... in document order (:mod:`toolkit.whys.markdown`);
  root causes are the marked nodes, else the leaves; factors by the policy's keyword rules.
* ``action_items`` — ids ``<incident_id>-AI<n>`` (n = the row's position), ``created_at``
  the document's date at 00:00 in its time zone, ``version`` 1.

Examples
--------
>>> doc = load_postmortem("tests/fixtures/postmortem/seed_postmortem.md")
>>> doc.incident["severity"], len(doc.timeline), len(doc.whys), len(doc.action_items)
('SEV1', 15, 5, 6)
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from toolkit.errors import InputFormatError
from toolkit.importers import Importer, register
from toolkit.importers._base.common import Rejects
from toolkit.importers._base.inputs import Member, open_input
from toolkit.importers.postmortem.doc import PostmortemDoc, empty_frame, frame_of, parse_postmortem
from toolkit.policy import Policy
from toolkit.progress import progress
from toolkit.schema import Source

__all__ = ["PostmortemDoc", "PostmortemSet", "load_postmortem", "load_postmortems", "parse_postmortem"]

_MD_SUFFIXES = (".md", ".markdown")
_TABLE_NAMES = ("incidents", "events", "whys", "action_items")


@dataclass(frozen=True)
class PostmortemSet:
    """Several post-mortems (a folder or zip of ``.md`` files); ``tables()`` covers them all."""

    docs: tuple[PostmortemDoc, ...]
    rejected: pl.DataFrame
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, incident_id: str) -> PostmortemDoc:
        for doc in self.docs:
            if doc.incident_id == incident_id:
                return doc
        have = ", ".join(d.incident_id for d in self.docs)
        raise KeyError(f"no post-mortem for {incident_id!r}; have: {have}")

    def tables(self) -> dict[str, pl.DataFrame]:
        """Every document's tables, stacked (built once from all documents' rows)."""
        return {n: frame_of(n, [r for d in self.docs for r in d.rows.get(n, [])]) for n in _TABLE_NAMES}


def _read_member(member: Member, rejects: Rejects) -> str | None:
    raw = member.read()
    if not raw.strip():
        rejects.add(member.display, None, None, "empty file", hint="remove it or write the post-mortem")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        rejects.add(
            member.display,
            None,
            None,
            f"not UTF-8 text (byte {exc.start}): {exc.reason}",
            hint="save it as UTF-8",
        )
        return None


def _unreadable(member: Member, rejected: pl.DataFrame) -> PostmortemDoc:
    return PostmortemDoc({"incident_id": None, "ref": member.name}, [], [], [], rejected)


def load_postmortem(
    path: str | Path, *, strict: bool = False, tz: str | None = None, policy: Policy | None = None
) -> PostmortemDoc:
    """Read one post-mortem ``.md`` file.

    Parameters
    ----------
    path
        The Markdown file.
    strict
        Raise :class:`~toolkit.errors.InputFormatError` at the first line that cannot be
        read, instead of listing it in ``.rejected``.
    tz
        Read every time in this zone (IANA name such as ``"America/Los_Angeles"`` or a
        label such as ``"PST"``), overriding the document's labels; by default the
        document's label applies, else UTC (with a note).
    policy
        Supplies the 5-Whys factor taxonomy (default: the shipped policy).

    Examples
    --------
    >>> doc = load_postmortem("tests/fixtures/postmortem/seed_postmortem.md")
    >>> doc.incident_id, str(doc.incident["started_at"])
    ('INC-2025-01-15-payment-service-outage', '2025-01-15 18:00:00+00:00')
    """
    with open_input(path) as inp:
        if inp.kind != "file":
            raise InputFormatError(
                inp.path,
                None,
                None,
                f"is a {inp.kind}; load_postmortem reads one .md file",
                hint="use load_postmortems(path) for a folder or zip of post-mortems",
            )
        member = inp.members[0]
        rejects = Rejects(Source.postmortem, strict=strict)
        text = _read_member(member, rejects)
        if text is None:
            return _unreadable(member, rejects.frame())
        return parse_postmortem(
            text, name=member.name, display=member.display, strict=strict, tz=tz, policy=policy
        )


def load_postmortems(
    path: str | Path,
    *,
    strict: bool = False,
    tz: str | None = None,
    policy: Policy | None = None,
    show_progress: bool | None = None,
) -> PostmortemSet:
    """Read every ``.md`` post-mortem of a folder or zip (or one file) as a :class:`PostmortemSet`.

    Files without a ``.md``/``.markdown`` suffix are skipped (counted in ``.notes``); two
    documents with the same incident id get ``-2``, ``-3``, ... appended (with a note).

    Examples
    --------
    >>> docs = load_postmortems("tests/fixtures/postmortem")                # doctest: +SKIP
    >>> docs.tables()["action_items"].group_by("status").len()              # doctest: +SKIP
    """
    docs: list[PostmortemDoc] = []
    rejected: list[pl.DataFrame] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    with open_input(path) as inp:
        members = [m for m in inp.members if m.name.lower().endswith(_MD_SUFFIXES)]
        if len(members) < len(inp.members):
            notes.append(f"{len(inp.members) - len(members)} file(s) without a .md suffix skipped")
        with progress("post-mortems", len(members), enabled=show_progress) as advance:
            for member in members:
                advance(1)
                rejects = Rejects(Source.postmortem, strict=strict)
                text = _read_member(member, rejects)
                if text is None:
                    rejected.append(rejects.frame())
                    continue
                doc = parse_postmortem(
                    text, name=member.name, display=member.display, strict=strict, tz=tz, policy=policy
                )
                seen[doc.incident_id] = n = seen.get(doc.incident_id, 0) + 1
                if n > 1:
                    doc = _renamed(doc, f"{doc.incident_id}-{n}")
                    notes.append(
                        f"{member.name}: incident id taken by another document; renamed {doc.incident_id}"
                    )
                docs.append(doc)
                rejected.append(doc.rejected)
                notes.extend(f"{member.name}: {note}" for note in doc.notes)
    frame = pl.concat(rejected) if rejected else empty_frame("rejected")
    return PostmortemSet(tuple(docs), frame, tuple(notes))


def _renamed(doc: PostmortemDoc, new_id: str) -> PostmortemDoc:
    old = doc.incident_id
    rows = {name: [{**r, "incident_id": new_id} for r in table] for name, table in doc.rows.items()}
    for item in rows.get("action_items", []):
        item["item_id"] = new_id + item["item_id"][len(old) :]
    return replace(doc, incident={**doc.incident, "incident_id": new_id}, rows=rows)


# ---------------------------------------------------------------------------- registry

_MARKER_RX = re.compile(
    rb"(?i)post[- ]?mortem|retrospective|incident review|5 whys|five whys|root cause|\*\*severity:?\*\*"
)


def _visible(parts: tuple[str, ...]) -> bool:
    return not any(p.startswith((".", "__MACOSX")) for p in parts)


def _sniff(path: Path) -> bool:
    """A ``.md`` file that looks like a post-mortem (first 8 KiB), or a folder or zip whose
    files (the first 200 of a folder) are all ``.md``."""
    try:
        if path.is_dir():
            files = []
            for p in path.rglob("*"):
                if p.is_file() and _visible(p.relative_to(path).parts):
                    files.append(p.name)
                    if len(files) >= 200:
                        break
            return bool(files) and all(f.lower().endswith(_MD_SUFFIXES) for f in files)
        if path.suffix.lower() in _MD_SUFFIXES:
            with path.open("rb") as fh:
                return bool(_MARKER_RX.search(fh.read(8192)))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                names = [n for n in zf.namelist() if not n.endswith("/") and _visible(tuple(n.split("/")))]
            return bool(names) and all(n.lower().endswith(_MD_SUFFIXES) for n in names)
    except (OSError, zipfile.BadZipFile):
        return False
    return False


def _load(path: Path, *, strict: bool, policy: Policy) -> PostmortemDoc | PostmortemSet:
    if path.is_file() and path.suffix.lower() in _MD_SUFFIXES:
        return load_postmortem(path, strict=strict, policy=policy)
    return load_postmortems(path, strict=strict, policy=policy)


register(
    Importer(
        source=Source.postmortem,
        sniff=_sniff,
        load=_load,
        description="post-mortem documents in Markdown (the seed template): one .md, or a folder or zip of them",
    )
)
