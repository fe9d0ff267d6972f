"""One JSON file that should hold an array of records, read losing as little as possible.

:func:`read_json_array` is what an importer calls for a file of records (a Slack day file
or list, a page of PagerDuty log entries, a Statuspage list):

* an empty file is rejected whole (there is nothing to keep);
* bytes that are not UTF-8 are read as U+FFFD, and a note names the file and the byte
  offsets (:mod:`toolkit.importers._base.utf8`);
* a file that does not parse keeps every complete record before the problem, and the
  problem becomes **one** rejected record naming the byte offset ("truncated at byte N:
  ...", :mod:`toolkit.importers._base.jsonarray`); a file with no array to salvage is
  rejected whole;
* a document that is not an array (or, with ``key``, not an object holding one there)
  is rejected whole.

Checking each record is the caller's business: the records come back as parsed.

Examples
--------
>>> from toolkit.importers._base.common import Rejects
>>> from toolkit.importers._base.inputs import Member
>>> from toolkit.schema import Source
>>> rejects, notes = Rejects(Source.slack), []
>>> member = Member("general/2025-01-02.json", "general/2025-01-02.json", 0)
>>> read_json_array(member, rejects, notes, data=b'[{"ts": "1"}, {"ts": "2', noun="message")
[{'ts': '1'}]
>>> rejects.frame()["reason"][0]
'truncated at byte 23: message 1 (from byte 14) is cut off; the 1 message before it was read'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

import orjson

from toolkit.importers._base.common import Rejects, type_name
from toolkit.importers._base.inputs import Member
from toolkit.importers._base.jsonarray import Salvage, salvage_array
from toolkit.importers._base.utf8 import Repair, repair_utf8

__all__ = ["read_json_array", "read_json_document"]


def read_json_document(
    member: Member,
    rejects: Rejects,
    notes: list[str],
    *,
    data: bytes | None = None,
    keys: Sequence[str] = (),
    noun: str = "record",
    incident_id: str | None = None,
) -> Any | None:
    """``member``'s JSON document, or what survives of it; None when the file is rejected whole.

    A document that parses comes back as it is. One that does not keeps the complete
    records of its array before the problem: a top-level array comes back as a list, an
    array under one of ``keys`` of a top-level object (the first of them the bytes name)
    as ``{key: records}``; the problem is one rejected record naming the byte offset.
    Bad bytes are read as U+FFFD, with a note. See :func:`read_json_array` for the rest.
    """
    raw = member.read() if data is None else data
    if not raw.strip():
        rejects.add(
            member.display,
            None,
            None,
            "empty file",
            hint="re-export it or remove it",
            incident_id=incident_id,
        )
        return None
    repair = repair_utf8(raw)
    if repair.bad:
        notes.append(repair.note(member.display))
    try:
        return orjson.loads(repair.data)
    except orjson.JSONDecodeError as exc:
        problem, problem_at = f"invalid JSON: {exc}", exc.pos
    named = [k for k in keys if f'"{k}"'.encode() in repair.data]
    if repair.data.lstrip()[:1] == b"[":
        found: tuple[str | None, Salvage | None] = (None, salvage_array(repair.data))
    else:
        found = (named[0], salvage_array(repair.data, key=named[0])) if named else (None, None)
    key, salvage = found
    if salvage is None and named:
        # The document around the array is broken before it (a stray byte at the top, a
        # bad key): the array itself may still be whole. Read it on its own.
        key, salvage = named[0], _bare_array(repair.data, named[0])
        if salvage is not None:
            rejects.add(
                member.display,
                None,
                key,
                f"invalid JSON at byte {repair.original_offset(problem_at)} around the {key!r} array "
                f"({problem.removeprefix('invalid JSON: ')}); its {noun} records were read on their own",
                incident_id=incident_id,
            )
            if salvage.closed:
                salvage = dataclasses.replace(
                    salvage, detail=""
                )  # what follows the array is not ours to judge
    if salvage is None:
        rejects.add(
            member.display, None, None, problem, hint="the file may be truncated", incident_id=incident_id
        )
        return None
    salvage = _in_original(salvage, repair)
    if not salvage.whole:
        cut = len(salvage.items)
        rejects.add(
            member.display,
            cut,
            None,
            salvage.reason(noun),
            label=f"{noun} {cut}",
            incident_id=incident_id,
        )
    return salvage.items if key is None else {**_keys_before(repair.data, key), key: salvage.items}


def _bare_array(data: bytes, key: str) -> Salvage | None:
    """The array under ``"key":`` read as a document of its own, offsets in ``data``."""
    m = re.search(rb'"' + re.escape(key.encode()) + rb'"\s*:\s*(\[)', data)
    if m is None:
        return None
    start = m.start(1)
    whole = _whole_array(data[start:])
    inner = whole if whole is not None else salvage_array(data[start:])
    if inner is None:
        return None
    return dataclasses.replace(inner, offset=inner.offset + start, at=inner.at + start)


def _whole_array(data: bytes) -> Salvage | None:
    """The array at the start of ``data`` when it parses whole (whatever follows it)."""
    s = salvage_array(data)
    return s if s is not None and s.closed else None


def _keys_before(data: bytes, key: str) -> dict[str, Any]:
    """The complete members of the top-level object written before ``key`` (``page`` before
    ``incidents``), so a salvaged document keeps them; empty when they do not parse."""
    at = data.find(f'"{key}"'.encode())
    head = data[:at].rstrip().rstrip(b",")
    try:
        found = orjson.loads(head + b"}")
    except orjson.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def read_json_array(
    member: Member,
    rejects: Rejects,
    notes: list[str],
    *,
    data: bytes | None = None,
    key: str | None = None,
    noun: str = "record",
    what: str = "a JSON array",
    incident_id: str | None = None,
) -> list[Any] | None:
    """The records of ``member``'s array, or None when the file is rejected whole.

    Parameters
    ----------
    member
        The file (its bytes are read unless ``data`` is given).
    rejects
        Where rejections go; in strict mode the first one raises.
    notes
        Warnings are appended here (bad bytes).
    data
        The file's bytes, when the caller has them already.
    key
        The array is the value of this key of a top-level object (else the document).
    noun
        One record, for people: rejections say "message 7 (from byte ...)" and name
        the record ``"{noun} {index}"`` in strict errors.
    what
        What the document should be, for the rejection when it is something else.
    incident_id
        The incident the file belongs to, if the importer knows, for the rejections.
    """
    doc = read_json_document(
        member,
        rejects,
        notes,
        data=data,
        keys=() if key is None else (key,),
        noun=noun,
        incident_id=incident_id,
    )
    if doc is None:
        return None
    if key is not None:
        if not isinstance(doc, dict) or key not in doc:
            got = f"an object without {key!r}" if isinstance(doc, dict) else type_name(doc)
            rejects.add(
                member.display,
                None,
                None,
                f"expected an object with {what} under {key!r}, got {got}",
                incident_id=incident_id,
            )
            return None
        doc = doc[key]
    if not isinstance(doc, list):
        rejects.add(
            member.display, None, None, f"expected {what}, got {type_name(doc)}", incident_id=incident_id
        )
        return None
    return doc


def _in_original(salvage: Salvage, repair: Repair) -> Salvage:
    """The salvage's offsets in the file as it was, before its bad bytes were replaced."""
    if not repair.bad:
        return salvage
    return dataclasses.replace(
        salvage, offset=repair.original_offset(salvage.offset), at=repair.original_offset(salvage.at)
    )
