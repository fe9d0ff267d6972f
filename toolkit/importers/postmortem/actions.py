"""Action items, bullet lists and impact figures of a post-mortem.

Action items come from a table (Priority | Action | Owner | Due Date | Status, columns in
any order and with the usual synonyms: Assignee, Due, Deadline, State, ...) or from a
``- [x] **P1** Do it (@owner, due Jan 18)`` list. Status ✅/🟡/⏳ or words (done, in
progress, pending, ...); priority P0-P3 (or Critical/High/Medium/Low → P0/P1/P2/P3);
``kind`` from a Kind/Type column, else by keyword (detect, mitigate, process, prevent).
A field that cannot be read is reported and the item kept without it (status: pending).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from toolkit.importers.postmortem.md import MdLine, cell, column_index, field_line, list_items, plain, tables
from toolkit.importers.postmortem.time import parse_date
from toolkit.importers.postmortem.timeline import Problem
from toolkit.schema import ItemStatus, Priority

__all__ = [
    "ActionRow",
    "impact_figures",
    "item_kind",
    "item_priority",
    "item_status",
    "read_actions",
    "read_impact",
    "read_list",
]

# ---------------------------------------------------------------------------- action items

_PRIORITY_WORDS = {
    "critical": "P0", "urgent": "P0", "highest": "P0", "high": "P1",
    "medium": "P2", "med": "P2", "normal": "P2", "low": "P3", "lowest": "P3",
}  # fmt: skip
_STATUS_RULES: tuple[tuple[ItemStatus, re.Pattern[str]], ...] = tuple(
    (status, re.compile(rx, re.IGNORECASE))
    for status, rx in (
        (ItemStatus.cancelled, r"❌|🚫|\bcancel+ed\b|\bwon'?t (?:do|fix)\b|\bdropped\b|\bobsolete\b"),
        (
            ItemStatus.in_progress,
            r"🟡|🔄|🚧|⏩|\bin[- ]progress\b|\bwip\b|\bstarted\b|\bongoing\b|\bdoing\b|\bpartial",
        ),
        (
            ItemStatus.done,
            r"✅|✔|☑|\[x\]|\bdone\b|\bcomplete(?:d)?\b|\bclosed\b|\bfixed\b|\bresolved\b|\bshipped\b|\bmerged\b",
        ),
        (
            ItemStatus.pending,
            r"⏳|⬜|🔲|\[ \]|\bpending\b|\bto ?do\b|\bopen\b|\bnot started\b|\bplanned\b|\bbacklog\b|\bnew\b|\bblocked\b",
        ),
    )
)
_KIND_OF_ITEM: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE))
    for kind, rx in (
        (
            "detect",
            r"\balert\w*|\bmonitor\w*|\bdashboard\w*|\bmetrics?\b|\bobservability\b|\blogging\b|\btracing\b|\bslos?\b",
        ),
        (
            "mitigate",
            r"\brollback\w*|\brunbook\w*|\bfail ?over\b|\bcircuit breaker\b|\bfeature flag\w*|\brate limit\w*|\bauto-?remediat\w*",
        ),
        (
            "process",
            r"\bpolicy\b|\bprocess\w*|\bchecklist\w*|\btraining\b|\bdrills?\b|\bgame ?day\b|\bdocument\w*|\bon-?call\b|\bcommunicat\w*",
        ),
        (
            "prevent",
            r"\bfix\w*|\btests?\b|\btesting\b|\bvalidat\w*|\bguard\w*|\bprevent\w*|\bharden\w*|\brefactor\w*|\bpatch\w*",
        ),
    )
)
_PLACEHOLDER = {"", "-", "—", "–", "?", "tbd", "tbc", "n/a", "na", "none", "asap", "ongoing"}


@dataclass(frozen=True)
class ActionRow:
    """An action item as read (ids and timestamps are added by the importer)."""

    line: int
    position: int
    title: str
    owner: str | None
    priority: str | None
    due_date: date | None
    status: str
    kind: str | None
    problems: list[Problem] = field(default_factory=list)


def item_status(text: str) -> ItemStatus | None:
    """✅/🟡/⏳ or words (done, in progress, pending, ...) as an :class:`ItemStatus`."""
    for status, rx in _STATUS_RULES:
        if rx.search(text):
            return status
    return None


def item_priority(text: str) -> Priority | None:
    """``P0``-``P3`` (also ``**P1**``, ``p1``, ``Critical``/``High``/``Medium``/``Low``)."""
    t = plain(text).strip().lower()
    m = re.search(r"\bp\s*([0-3])\b", t)
    if m:
        return Priority(f"P{m.group(1)}")
    word = _PRIORITY_WORDS.get(re.sub(r"[^a-z]", "", t))
    return Priority(word) if word else None


def item_kind(title: str) -> str | None:
    """prevent / detect / mitigate / process by keyword, or None."""
    for kind, rx in _KIND_OF_ITEM:
        if rx.search(title):
            return kind
    return None


def _action(
    line: int, pos: int, got: Mapping[str, str], cols: Mapping[str, str], year: int | None
) -> ActionRow | Problem:
    """One item from its cells (``got``: title, owner, priority, due, status, kind as text)."""
    title, prio, due, status = got["title"], got["priority"], got["due"], got["status"]
    if not title:
        return (line, cols["title"], "empty action")
    problems: list[Problem] = []
    priority = item_priority(prio) if prio else None
    if prio and priority is None:
        problems.append(
            (line, cols["priority"], f"expected a priority P0-P3, got {prio!r}; kept the item without one")
        )
    due_date = None
    if due.strip().lower() not in _PLACEHOLDER:
        due_date = parse_date(due, year=year)
        if due_date is None:
            reason = f"expected a date like '2025-01-18' or 'Jan 18', got {due!r}; kept the item without one"
            problems.append((line, cols["due"], reason))
    st = item_status(status) if status.strip() else ItemStatus.pending
    if st is None:
        problems.append((line, cols["status"], f"unknown status {status!r}; kept the item as pending"))
        st = ItemStatus.pending
    owner = got["owner"].strip().lstrip("@")
    return ActionRow(
        line=line,
        position=pos,
        title=title,
        owner=owner if owner.lower() not in _PLACEHOLDER else None,
        priority=priority.value if priority else None,
        due_date=due_date,
        status=st.value,
        kind=got["kind"].strip().lower() or item_kind(title),
        problems=problems,
    )


_CHECKBOX_RX = re.compile(r"^\[(?P<x>[ xX])\]\s*")
_OWNER_RX = re.compile(r"(?:\bowner:\s*|(?<=\()@|\s@)(?P<owner>[\w.-]+(?-i: [A-Z][\w.-]*)?)", re.IGNORECASE)
_DUE_RX = re.compile(
    r"\bdue(?: date)?:?\s*(?P<due>\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9}\.? \d{1,2}(?:,? \d{4})?)", re.IGNORECASE
)


def read_actions(
    lines: Sequence[MdLine], *, year: int | None
) -> tuple[list[ActionRow], list[Problem], list[str]]:
    """Action items from a table (Priority | Action | Owner | Due Date | Status, in any
    order and with the usual synonyms) or from a ``- [x] **P1** Do it (@owner, due Jan 18)``
    list; plus problems and notes (e.g. columns we did not use)."""
    found, rest = tables(lines)
    out: list[ActionRow] = []
    problems: list[Problem] = []
    notes: list[str] = []
    pos = 0
    for table in found:
        h = table.header
        idx: dict[str, int | None] = {}
        idx["priority"] = column_index(h, r"\bprio|\bpri\b|^\s*p\s*$|\burgency\b")
        idx["status"] = column_index(h, r"\bstatus\b|\bstate\b|\bprogress\b|\bdone\b")
        idx["owner"] = column_index(h, r"\bowner|\bassign|\bresponsible\b|\bwho\b|\bteam\b|\bdri\b")
        idx["due"] = column_index(h, r"\bdue\b|\bdeadline\b|\btarget\b|\beta\b|\bby when\b|\bdate\b")
        idx["kind"] = column_index(h, r"\bkind\b|\btype\b|\bcategory\b")
        used = [i for i in idx.values() if i is not None]
        idx["title"] = column_index(
            h,
            r"\baction|\bitem\b|\btask\b|\btitle\b|\bdescription\b|\bwhat\b|\bremediation\b|\bfix\b",
            exclude=used,
        )
        if idx["title"] is None:
            idx["title"] = next((i for i in range(len(h)) if i not in used), None)
        cols = {k: (plain(h[i]) if i is not None else k) for k, i in idx.items()}
        unused = [plain(c) for i, c in enumerate(h) if i not in idx.values() and plain(c)]
        if unused:
            notes.append(f"action items table (line {table.line}): column(s) not read: {', '.join(unused)}")
        for line, cells in table.rows:
            pos += 1
            got = {k: cell(cells, i) for k, i in idx.items()}
            status_i = idx["status"]  # emoji only: read the raw cell
            got["status"] = cells[status_i] if status_i is not None and status_i < len(cells) else ""
            _collect(_action(line, pos, got, cols, year), out, problems)
    items, stray = list_items(rest)
    cols = {"title": "action", "owner": "owner", "priority": "priority", "due": "due", "status": "status"}
    for item in items:
        pos += 1
        text = item.text
        status = ""
        cb = _CHECKBOX_RX.match(text)
        if cb:
            status, text = ("done" if cb.group("x").lower() == "x" else "pending"), text[cb.end() :]
        prio = re.search(r"\*{0,2}\bP[0-3]\b\*{0,2}:?", text)
        prio_text = prio.group(0) if prio else ""
        if prio:
            text = text[: prio.start()] + text[prio.end() :]
        owner = _OWNER_RX.search(text)
        due = _DUE_RX.search(text)
        for m in sorted((x for x in (owner, due) if x), key=lambda x: -x.start()):
            text = text[: m.start()] + text[m.end() :]
        title = re.sub(r"[\s,;(—–-]+$", "", plain(re.sub(r"\([\s,;]*\)", "", text))).strip(" :-—")
        fields = {
            "title": title,
            "owner": owner.group("owner") if owner else "",
            "priority": prio_text,
            "due": due.group("due") if due else "",
            "status": status or _trailing_status(item.text),
            "kind": "",
        }
        _collect(_action(item.line, pos, fields, cols, year), out, problems)
    for ln in stray:
        if not ln.text.lstrip().startswith("#"):
            problems.append(
                (ln.number, "action_items", f"text outside the action items table: {ln.text.strip()!r}")
            )
    return out, problems, notes


def _trailing_status(text: str) -> str:
    st = item_status(text)
    return st.value if st else ""


def _collect(got: ActionRow | Problem, out: list[ActionRow], problems: list[Problem]) -> None:
    if isinstance(got, ActionRow):
        out.append(got)
        problems.extend(got.problems)
    else:
        problems.append(got)


# ---------------------------------------------------------------------------- lists, impact


def read_list(lines: Sequence[MdLine], *, section: str) -> tuple[list[str], list[Problem]]:
    """Bullet or numbered items as readable text (bold labels kept: "Label: text"); nested
    items join their parent ("parent; child"); paragraphs outside the list are problems."""
    items, stray = list_items(lines)
    out: list[str] = []
    base = min((i.indent for i in items), default=0)
    for item in items:
        text = plain(item.text)
        if item.indent > base and out:
            out[-1] = f"{out[-1]}; {text}"
        elif text:
            out.append(text)
    problems: list[Problem] = [
        (ln.number, section, f"paragraph outside the list: {ln.text.strip()!r}")
        for ln in stray
        if not ln.text.lstrip().startswith("#")
    ]
    return out, problems


def read_impact(lines: Sequence[MdLine]) -> tuple[dict[str, str], list[str]]:
    """``- **Users affected:** ~5,000 (15%)`` bullets as {label: value}; other text as lines."""
    fields: dict[str, str] = {}
    other: list[str] = []
    for ln in lines:
        if not ln.text.strip() or ln.text.lstrip().startswith("#"):
            continue
        f = field_line(ln.text)
        if f:
            fields[plain(f[0])] = plain(f[1])
        else:
            other.append(plain(re.sub(r"^\s*(?:[-*+•]|\d+[.)])\s+", "", ln.text)))
    return fields, [o for o in other if o]


_NUMBER_RX = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?\b(?!\s*%)")


def impact_figures(impact: Mapping[str, str]) -> dict[str, float | int | bool | None]:
    """Numbers in the impact bullets: users affected, % of users, support tickets, revenue."""
    users = pct = tickets = None
    revenue: bool | None = None
    for label, value in impact.items():
        low = label.lower()
        if ("user" in low or "customer" in low) and "complaint" not in low:
            n = _NUMBER_RX.search(value)
            if n and users is None:
                mult = {"k": 1_000, "m": 1_000_000}.get((n.group(2) or "").lower(), 1)
                users = int(float(n.group(1).replace(",", "")) * mult)
            p = re.search(r"(\d+(?:\.\d+)?)\s*%", value)
            if p and pct is None:
                pct = float(p.group(1))
        t = re.search(r"(\d[\d,]*)\s+(?:support\s+)?tickets?\b", value, re.IGNORECASE)
        if t and tickets is None:
            tickets = int(t.group(1).replace(",", ""))
        if "revenue" in low:
            revenue = bool(
                re.search(r"[$€£]\s*[1-9]|[1-9][\d,.]*\s*[kKmM]?\s*(?:USD|EUR|GBP|dollars)", value)
            )
    return {
        "users_affected": users,
        "percent_users_affected": pct,
        "support_tickets": tickets,
        "revenue_impacted": revenue,
    }
