"""The people a post-mortem names and the roles it states, as ``people`` and ``roles`` rows.

Roles are read from ``Name (Role)`` and ``Role: Name`` entries (participants, responders,
a Roles table or list, front matter ``roles: {IC: alice}``), the Commander field and role
hand-offs in the timeline ("names jennifer incident commander"). People are every person
named as a participant, commander, author, role holder, action-item owner or timeline
actor; teams ("SRE Team", "Platform", "DevOps") are not people.

A person's id is ``postmortem:<name>``: the name case-folded with its spaces collapsed;
a first name alone ("Alice") is the person whose full name starts with it when the
document names exactly one ("Alice Chen").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from toolkit.importers.postmortem.kinds import ROLE_ALIASES
from toolkit.importers.postmortem.markdown import ListBlock, Paragraph, Section, Table, plain
from toolkit.schema import Source

__all__ = ["Cast", "is_team", "person_key", "roles_of", "split_people"]

_TEAM_RX = re.compile(
    r"\b(?:team|teams|squad|group|guild|crew|department|dept|on-?call|sre|devops|engineering|platform"
    r"|qa|ops|support|infra|infrastructure|security|everyone|all)\b",
    re.IGNORECASE,
)
_EMAIL_RX = re.compile(r"<?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)>?")
_NAME_ROLE_RX = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<role>[^)]+)\)$")
_ROLE_NAME_RX = re.compile(r"^(?P<role>[^:–—()]+?)\s*(?::|\s[–—-]\s)\s*(?P<name>.+)$")
_NOTE_RX = re.compile(r"\s*\([^)]*\)")


def split_people(value: str) -> list[str]:
    """``Alice (IC), Bob (TL), SRE Team`` → each person as written (commas in parentheses kept).

    Examples
    --------
    >>> split_people("Alice (IC), Ivan (SME, DB); @bob")
    ['Alice (IC)', 'Ivan (SME, DB)', 'bob']
    """
    out: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in value:
        depth += ch == "("
        depth -= ch == ")"
        if ch in ",;" and depth <= 0:
            out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf).strip())
    return [plain(p).lstrip("@") for p in out if p.strip()]


def _role(text: str) -> list[str]:
    return [r for part in re.split(r"[,/&]", text) if (r := ROLE_ALIASES.get(part.strip().lower()))]


def roles_of(participants: Sequence[str]) -> dict[str, str]:
    """Role → name from ``Name (Role)`` or ``Role: Name`` entries (``{"IC": "Alice"}``)."""
    roles: dict[str, str] = {}
    for p in participants:
        got = _entry(p)
        if got:
            for role in got[1]:
                roles.setdefault(role, got[0])
    return roles


def _entry(text: str) -> tuple[str, list[str]] | None:
    """(name, roles) of ``Alice Chen (IC)``, ``Incident Commander: Alice`` or ``IC - Alice``."""
    for rx in (_NAME_ROLE_RX, _ROLE_NAME_RX):
        m = rx.match(text)
        roles = _role(m.group("role")) if m else []
        name = m.group("name").strip().lstrip("@") if m else ""
        if roles and name:
            return _strip_email(_NOTE_RX.sub("", name)) or name, roles
    return None


def _role_line(text: str) -> list[str]:
    """``Subject Matter Experts: Priya (notifications), Tom`` → each person with the role."""
    m = _ROLE_NAME_RX.match(text)
    if m and _role(m.group("role")):
        role = m.group("role").strip()
        return [f"{_NOTE_RX.sub('', p)} ({role})" for p in split_people(m.group("name"))]
    return split_people(text)


def _strip_email(name: str) -> str:
    return " ".join(_EMAIL_RX.sub("", name).split()) or name


def is_team(name: str) -> bool:
    """A team or group rather than a person ("SRE Team", "Platform", "DevOps")."""
    return bool(_TEAM_RX.search(name)) or (name.isupper() and len(name) > 1 and " " not in name)


def person_key(name: str) -> str:
    """The normalised name: case-folded, @ and e-mail dropped, ``.``/``_`` and spaces collapsed
    into one space (so the handle ``@sam.lee`` is Sam Lee)."""
    return " ".join(re.sub(r"[._]", " ", _strip_email(name).lstrip("@")).casefold().split())


@dataclass
class Cast:
    """People and roles collected while a document is read."""

    file: str
    names: dict[str, str] = field(default_factory=dict)
    """Person key → name as first written."""
    refs: dict[str, str] = field(default_factory=dict)
    emails: dict[str, list[str]] = field(default_factory=dict)
    spellings: dict[str, list[str]] = field(default_factory=dict)
    roles: list[tuple[str, str, int | None, datetime | None]] = field(default_factory=list)
    """(role, person as written, line, assigned_at)."""
    seen: dict[str, str | None] = field(default_factory=dict, repr=False)
    """Names as written → their key (a name is looked at once)."""

    def person(self, written: str, *, email: str | None = None) -> str | None:
        """Note a person (teams and empty names are skipped); their key."""
        if email is None and written in self.seen:
            return self.seen[written]
        key = self._person(written, email)
        self.seen[written] = key
        return key

    def _person(self, written: str, email: str | None) -> str | None:
        name = _strip_email(written.strip().lstrip("@"))
        mail = email or next(iter(_EMAIL_RX.findall(written)), None)
        if not name or is_team(name) or len(name) > 60:
            return None
        key = person_key(name)
        self.names.setdefault(key, name)
        spellings = self.spellings.setdefault(key, [])
        if name not in spellings:
            spellings.append(name)
        if mail and mail not in self.emails.setdefault(key, []):
            self.emails[key].append(mail)
        return key

    def role(
        self,
        role: str,
        written: str,
        line: int | None,
        at: datetime | None = None,
        *,
        email: str | None = None,
    ) -> None:
        """Note a role held by a person (teams may hold roles too; they get no person id)."""
        name = _strip_email(written.strip().lstrip("@"))
        if name:
            self.roles.append((role, name, line, at))
            self.person(written, email=email)

    def entries(self, values: Iterable[tuple[str, int]]) -> list[str]:
        """Participants-style entries (``Alice (IC)``): people and roles; the names."""
        names = []
        for text, line in values:
            got = _entry(text)
            name = got[0] if got else re.sub(r"\s*\(.*\)$", "", text).strip()
            mail = next(iter(_EMAIL_RX.findall(text)), None)
            for role in got[1] if got else []:
                self.role(role, name, line, email=mail)
            self.person(_strip_email(name), email=mail)
            names.append(_strip_email(name))
        return names

    def section(self, section: Section) -> list[tuple[str, int]]:
        """Entries of a Responders/Roles section: list items, ``Role | Name`` table rows."""
        out: list[tuple[str, int]] = []
        for block in section.blocks:
            if isinstance(block, ListBlock):
                out += [(p, item.line) for item in block.items for p in _role_line(plain(item.raw))]
            elif isinstance(block, Paragraph):
                out += [
                    (p, block.line + i)
                    for i, ln in enumerate(block.raw.split("\n"))
                    for p in _role_line(plain(ln))
                ]
            elif isinstance(block, Table):
                for line, cells in ((block.line, block.header), *block.rows):
                    texts = [plain(c) for c in cells]
                    role = next((i for i, t in enumerate(texts) if _role(t)), None)
                    if role is not None and len(texts) >= 2:
                        who = next((t for i, t in enumerate(texts) if i != role and t), "")
                        out += [(f"{p} ({texts[role]})", line) for p in split_people(who)]
        return out

    def resolved(self) -> dict[str, str]:
        """Person key → canonical key: a first name alone joins the one full name it starts."""
        keys = list(self.names)
        out = {}
        for key in keys:
            longer = [k for k in keys if k != key and " " not in key and k.startswith(key + " ")]
            out[key] = longer[0] if len(longer) == 1 else key
        return out

    def people_rows(self) -> list[dict[str, Any]]:
        """``people`` rows, one per person (first names merged into their full name)."""
        canon = self.resolved()
        rows: dict[str, dict[str, Any]] = {}
        for key, target in canon.items():
            row = rows.setdefault(
                target,
                {
                    "person_id": f"postmortem:{target}",
                    "source": Source.postmortem.value,
                    "ref": self.names[target],
                    "name": self.names[target],
                    "display_names": [],
                    "emails": [],
                    "aliases": [],
                    "is_bot": False,
                },
            )
            row["display_names"] += [s for s in self.spellings[key] if s not in row["display_names"]]
            row["emails"] += [e for e in self.emails.get(key, []) if e not in row["emails"]]
        return list(rows.values())

    def role_rows(self, incident_id: str) -> list[dict[str, Any]]:
        """``roles`` rows: one per role and person (the first place that names them)."""
        canon = self.resolved()
        seen: set[tuple[str, str]] = set()
        rows = []
        for role, name, line, at in self.roles:
            key = person_key(name)
            pid = f"postmortem:{canon[key]}" if key in canon else None
            ident = (role, pid or name)
            if ident in seen:
                continue
            seen.add(ident)
            rows.append(
                {
                    "incident_id": incident_id,
                    "role": role,
                    "person": name,
                    "person_id": pid,
                    "assigned_at": at,
                    "source": Source.postmortem.value,
                    "ref": f"{self.file}:{line}" if line is not None else self.file,
                }
            )
        return rows
