"""Post-mortem documents (Markdown, Word, HTML) into the core tables, as teams write them.

Reads the seed's template and the common public ones (the SRE book's example,
PagerDuty's, Atlassian's, Confluence pages) in any mix of shapes: fields as bold fields,
list fields, headed sections, YAML/TOML front matter or a metrics table
(:mod:`~toolkit.importers.postmortem.fields`); timelines as tables or lists, zones in the
heading, the column name or the cell, dates in a line above or in each row, milestone
markers such as ``OUTAGE BEGINS`` (:mod:`~toolkit.importers.postmortem.timeline`,
:mod:`~toolkit.importers.postmortem.milestones`); action items in any table or as
checkboxes (:mod:`~toolkit.importers.postmortem.actions`); root cause as prose and/or
numbered whys; went well / went wrong / where we got lucky / lessons as lists. ``.docx``
and ``.html`` are converted to Markdown first (the ``docs`` extra,
:mod:`~toolkit.importers.postmortem.convert`). Zone labels come from the policy's
``[time_zones]`` (:mod:`toolkit.clock`); ``tz=`` overrides them all. What cannot be read
is listed in ``.rejected`` with its line number in ``record``; bytes that are not UTF-8
are read as U+FFFD with a note naming the file and byte offset.

Tables (``tables()``, the core tables of :mod:`toolkit.schema`):

* ``incidents`` — one row, ``source="postmortem"``, ``ref`` the stated id else the path in
  the export (:mod:`~toolkit.importers.postmortem.doc`), milestones and impact facts;
* ``events`` — the timeline (``ref`` = ``"<path>:<line>"``);
* ``whys`` — node ids ``W1``, ``W2``, ... in document order (:mod:`toolkit.whys.markdown`);
* ``action_items`` — ids from the document's ref and the normalised title, ``created_at``
  the document's date at 00:00 in its zone, ``source="postmortem"``, ``ref`` ``"<path>:<line>"``;
* ``roles`` and ``people`` — :mod:`~toolkit.importers.postmortem.people`;
* ``postmortem_sections`` — summary, impact, root cause, went well, went wrong, lucky,
  lessons, follow-up: one row per paragraph or list item, Markdown as written.

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
from pathlib import Path, PurePosixPath
from typing import Any

import polars as pl

from toolkit.errors import InputFormatError
from toolkit.importers import Importer, register
from toolkit.importers._base.common import Rejects
from toolkit.importers._base.inputs import Member, open_input
from toolkit.importers._base.sniff import heads
from toolkit.importers.postmortem.convert import MARKDOWN, SUFFIXES, MissingExtraError, to_markdown
from toolkit.importers.postmortem.doc import TABLE_NAMES, PostmortemDoc, empty_frame, frame_of
from toolkit.importers.postmortem.parse import parse_postmortem
from toolkit.policy import Policy
from toolkit.progress import progress as progress_bar
from toolkit.schema import Source

__all__ = ["PostmortemDoc", "PostmortemSet", "load_postmortem", "load_postmortems", "parse_postmortem"]


@dataclass(frozen=True)
class PostmortemSet:
    """Several post-mortems (a folder or zip); ``tables()`` covers them all."""

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
        """Every document's tables, stacked (people merged across documents by person id)."""
        out = {
            n: frame_of(n, [r for d in self.docs for r in d.rows.get(n, [])])
            for n in TABLE_NAMES
            if n != "people"
        }
        out["people"] = frame_of("people", _merged_people(d.rows.get("people", []) for d in self.docs))
        return {n: out[n] for n in TABLE_NAMES}

    @property
    def incidents(self) -> pl.DataFrame:
        """The core ``incidents`` table, one row per document."""
        return self.tables()["incidents"]


def _merged_people(groups: Any) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for rows in groups:
        for row in rows:
            have = merged.get(row["person_id"])
            if have is None:
                merged[row["person_id"]] = {
                    **row,
                    "display_names": list(row["display_names"]),
                    "emails": list(row["emails"]),
                }
                continue
            have["display_names"] += [n for n in row["display_names"] if n not in have["display_names"]]
            have["emails"] += [e for e in row["emails"] if e not in have["emails"]]
    return list(merged.values())


def _read_member(member: Member, rejects: Rejects) -> tuple[str, list[int]] | None:
    """The member's Markdown and the offsets of its non-UTF-8 bytes (None: rejected)."""
    raw = member.read()
    if not raw.strip():
        rejects.add(member.display, None, None, "empty file", hint="remove it or write the post-mortem")
        return None
    try:
        return to_markdown(raw, suffix=PurePosixPath(member.name).suffix.lower(), display=member.display)
    except MissingExtraError:
        raise
    except InputFormatError as exc:
        rejects.add(member.display, None, None, exc.problem, hint=exc.hint)
        return None


def _decoding_note(member: Member, offsets: list[int]) -> str:
    more = f" and {len(offsets) - 1} more" if len(offsets) > 1 else ""
    return (
        f"{member.name}: not UTF-8 at byte {offsets[0]}{more}; read as U+FFFD and everything else kept "
        "(save it as UTF-8)"
    )


def _parse(member: Member, got: tuple[str, list[int]], **options: Any) -> PostmortemDoc:
    text, offsets = got
    doc = parse_postmortem(text, name=member.name, display=member.display, **options)
    return replace(doc, notes=(_decoding_note(member, offsets), *doc.notes)) if offsets else doc


def _unreadable(member: Member, rejected: pl.DataFrame) -> PostmortemDoc:
    return PostmortemDoc({"incident_id": None, "ref": member.name}, [], [], [], rejected)


def load_postmortem(
    path: str | Path,
    *,
    strict: bool = False,
    policy: Policy | None = None,
    progress: bool | None = None,
    tz: str | None = None,
) -> PostmortemDoc:
    """Read one post-mortem (``.md``, ``.docx`` or ``.html``).

    Parameters
    ----------
    path
        The file.
    strict
        Raise :class:`~toolkit.errors.InputFormatError` at the first line that cannot be
        read, instead of listing it in ``.rejected``.
    policy
        Supplies the zone labels (``[time_zones]``) and the 5-Whys factor taxonomy
        (default: the shipped policy).
    progress
        Accepted for symmetry with the other loaders; one document needs no bar.
    tz
        Read every time in this zone (IANA name such as ``"America/Los_Angeles"`` or a
        label such as ``"PST"``), overriding the document's labels; by default the
        document's label applies, else UTC (with a note).

    Examples
    --------
    >>> doc = load_postmortem("tests/fixtures/postmortem/seed_postmortem.md")
    >>> doc.incident_id, str(doc.incident["started_at"])
    ('INC-2025-01-15-payment-service-outage', '2025-01-15 18:00:00+00:00')
    """
    with open_input(path) as inp:
        if inp.kind != "file" and not str(path).lower().endswith(".docx"):
            raise InputFormatError(
                inp.path,
                None,
                None,
                f"is a {inp.kind}; load_postmortem reads one post-mortem file",
                hint="use toolkit.load_postmortems(path) for a folder or zip of post-mortems",
            )
        member = _single(inp.path) if inp.kind != "file" else inp.members[0]
        rejects = Rejects(Source.postmortem, strict=strict)
        got = _read_member(member, rejects)
        if got is None:
            return _unreadable(member, rejects.frame())
        return _parse(member, got, strict=strict, tz=tz, policy=policy)


def _single(path: Path) -> Member:
    """A ``.docx`` (a zip itself) as one member."""
    return Member(path.name, str(path), path.stat().st_size, None, str(path))


def load_postmortems(
    path: str | Path,
    *,
    strict: bool = False,
    policy: Policy | None = None,
    progress: bool | None = None,
    tz: str | None = None,
) -> PostmortemSet:
    """Read every post-mortem of a folder or zip (or one file) as a :class:`PostmortemSet`.

    Files without a post-mortem suffix (``.md``, ``.markdown``, ``.docx``, ``.html``,
    ``.htm``) are skipped (counted in ``.notes``). Documents are read in path order; two
    that propose the same incident id get ``-2``, ``-3``, ... appended, and a second
    document stating an id already taken keeps its path as ref (with a note).

    Examples
    --------
    >>> docs = load_postmortems("tests/fixtures/postmortem/seed_postmortem.md", progress=False)
    >>> [d.incident_id for d in docs.docs]
    ['INC-2025-01-15-payment-service-outage']
    """
    docs: list[PostmortemDoc] = []
    rejected: list[pl.DataFrame] = []
    notes: list[str] = []
    ids: dict[str, int] = {}
    refs: set[str] = set()
    with open_input(path) as inp:
        members = (
            [_single(inp.path)]
            if inp.kind == "zip" and inp.path.suffix.lower() == ".docx"
            else list(inp.members)
        )
        chosen = [m for m in members if PurePosixPath(m.name).suffix.lower() in SUFFIXES]
        if len(chosen) < len(members):
            notes.append(f"{len(members) - len(chosen)} file(s) without a post-mortem suffix skipped")
        with progress_bar("post-mortems", len(chosen), enabled=progress) as advance:
            for member in sorted(chosen, key=lambda m: m.name):
                advance(1)
                rejects = Rejects(Source.postmortem, strict=strict)
                got = _read_member(member, rejects)
                if got is None:
                    rejected.append(rejects.frame())
                    continue
                doc = _parse(member, got, strict=strict, tz=tz, policy=policy)
                doc = _distinct(doc, member, ids, refs, notes)
                docs.append(doc)
                rejected.append(doc.rejected)
                notes.extend(
                    n if n.startswith(f"{member.name}: ") else f"{member.name}: {n}" for n in doc.notes
                )
    frame = pl.concat(rejected) if rejected else empty_frame("rejected")
    return PostmortemSet(tuple(docs), frame, tuple(notes))


def _distinct(
    doc: PostmortemDoc, member: Member, ids: dict[str, int], refs: set[str], notes: list[str]
) -> PostmortemDoc:
    """The document under an incident id and ref no earlier document (by path) has."""
    incident_id, ref = doc.incident_id, doc.ref
    if ref in refs:
        notes.append(f"{member.name}: states the id {ref!r} of an earlier document; its ref is its path")
        ref = member.name
    ids[doc.incident_id] = n = ids.get(doc.incident_id, 0) + 1
    if n > 1:
        incident_id = f"{doc.incident_id}-{n}"
        notes.append(f"{member.name}: incident id taken by another document; renamed {incident_id}")
    refs.add(ref)
    if (incident_id, ref) != (doc.incident_id, doc.ref):
        doc = doc.with_identity(incident_id, ref)
    return doc


# ---------------------------------------------------------------------------- registry

_MARKER_RX = re.compile(
    rb"(?i)post[- ]?mortem|retrospective|incident review|5 whys|five whys|root cause|\*\*severity:?\*\*"
)


def _visible(parts: tuple[str, ...]) -> bool:
    return not any(p.startswith((".", "__MACOSX")) for p in parts)


def _is_docx(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return "word/document.xml" in zf.namelist()


def _sniff(path: Path) -> float:
    """How much ``path`` looks like post-mortems (0..1).

    A ``.md``/``.html`` file whose head names a post-mortem, a root cause or a severity
    scores 1; a ``.docx`` 0.8; a folder or zip whose files (the first 200) all have
    post-mortem suffixes 0.6, and 1 when one of their heads names a post-mortem too.
    """
    try:
        if path.is_dir() or (zipfile.is_zipfile(path) and path.suffix.lower() != ".docx"):
            names = _listing(path)
            if not names or not all(n.lower().endswith(SUFFIXES) for n in names):
                return 0.0
            found = heads(path, suffixes=(*MARKDOWN, ".html", ".htm"), files=4, nbytes=8192)
            return 1.0 if any(_MARKER_RX.search(head) for _, head in found) else 0.6
        suffix = path.suffix.lower()
        if suffix == ".docx":
            return 0.8 if _is_docx(path) else 0.0
        if suffix in (*MARKDOWN, ".html", ".htm"):
            with path.open("rb") as fh:
                return 1.0 if _MARKER_RX.search(fh.read(65536 if suffix != ".md" else 8192)) else 0.0
    except (OSError, zipfile.BadZipFile):
        return 0.0
    return 0.0


def _listing(path: Path, limit: int = 200) -> list[str]:
    """Names of the first ``limit`` visible files of a folder or zip."""
    if path.is_dir():
        out = []
        for p in path.rglob("*"):
            if p.is_file() and _visible(p.relative_to(path).parts):
                out.append(p.name)
                if len(out) >= limit:
                    break
        return out
    with zipfile.ZipFile(path) as zf:
        return [n for n in zf.namelist() if not n.endswith("/") and _visible(tuple(n.split("/")))][:limit]


def _load(path: Path, *, strict: bool, policy: Policy) -> PostmortemDoc | PostmortemSet:
    if path.is_file() and path.suffix.lower() in SUFFIXES:
        return load_postmortem(path, strict=strict, policy=policy)
    return load_postmortems(path, strict=strict, policy=policy)


register(
    Importer(
        source=Source.postmortem,
        sniff=_sniff,
        load=_load,
        description="post-mortem documents (Markdown; .docx and .html with the 'docs' extra): one file, or a folder or zip of them",
    )
)
