"""Action items of a post-mortem, from tables of any shape and from (checkbox) lists.

A table's columns are found by name, in any order: the item (Action Item, Action, Task,
Item, Title, Description, Remediation), its owner (Owner, Assignee, Responsible, Who,
DRI, Team; else an ``@handle`` in any cell), kind (Type, Kind, Category), link (Bug,
Ticket, Link, Jira, URL; a URL anywhere in the row wins), due date (Due, Due Date,
Deadline, Target, ETA), status (Status, State, Progress), priority (Priority, P,
Urgency) and notes (Notes, Comments). Without a status cell, a marker in any cell gives
the status: ``DONE``/``TODO``/``IN PROGRESS`` in capitals (also bold, as the SRE book
writes ``Bug 5554823 **TODO**``), ✅/🟡/⏳/❌ or ``[x]``/``[ ]``; the marker is taken out of
that cell. A list item (``- [x] **P1** Do it (@owner, due Jan 18)``) gives the same
fields; the items nested under it are its notes.

Statuses read as words: done (done, complete, closed, fixed, ...), in_progress (in
progress, WIP, started, ...), cancelled (cancelled, won't fix, ...), pending (to do,
open, pending, planned, ...). Priority P0-P3 (Critical/High/Medium/Low → P0/P1/P2/P3);
``kind`` from a Kind/Type column, else by keyword (detect, mitigate, process, prevent).
A field that cannot be read is reported and the item kept without it (status: pending).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from toolkit.clock import parse_date
from toolkit.importers.postmortem.markdown import Block, Item, ListBlock, Paragraph, Table, plain, urls
from toolkit.importers.postmortem.timeline import Problem, column_index
from toolkit.schema import ItemStatus, Priority

__all__ = ["ActionRow", "item_kind", "item_priority", "item_status", "looks_like_actions", "read_actions"]

_PRIORITY_WORDS = {
    "critical": "P0", "urgent": "P0", "highest": "P0", "high": "P1",
    "medium": "P2", "med": "P2", "normal": "P2", "low": "P3", "lowest": "P3",
}  # fmt: skip
_STATUS_RULES: tuple[tuple[ItemStatus, re.Pattern[str]], ...] = tuple(
    (status, re.compile(rx, re.IGNORECASE))
    for status, rx in (
        (
            ItemStatus.cancelled,
            r"❌|🚫|\bcancel+ed\b|\bwon'?t (?:do|fix)\b|\bwontfix\b|\bdropped\b|\bobsolete\b",
        ),
        (
            ItemStatus.in_progress,
            r"🟡|🔄|🚧|⏩|\bin[- ]progress\b|\bwip\b|(?<!not )\bstarted\b|\bongoing\b|\bdoing\b|\bpartial",
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
_MARKER_RXS = (
    re.compile(r"^\s*(?P<m>\[[ xX]\]|✅|✔️?|☑️?|🟡|🔄|🚧|⏳|⬜|🔲|❌|🚫)\s*"),
    re.compile(r"\s*(?P<m>✅|✔️?|☑️?|🟡|🔄|🚧|⏳|⬜|🔲|❌|🚫)\s*$"),
    re.compile(
        r"\s*(?:\*\*|__)?\b(?P<m>DONE|TODO|TO DO|IN[ -]PROGRESS|WIP|CANCELL?ED|WONTFIX|BLOCKED|OPEN|CLOSED"
        r"|COMPLETED?|PENDING|STARTED)\b(?:\*\*|__)?\s*$"
    ),
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
_COLUMNS = (
    ("priority", r"\bprio|\bpri\b|^\s*p\s*$|\burgency\b"),
    ("status", r"\bstatus\b|\bstate\b|\bprogress\b|\bdone\b"),
    ("owner", r"\bowner|\bassign|\bresponsible\b|\bwho\b|\bteam\b|\bdri\b|^\s*@"),
    ("link", r"\bbug\b|\bticket\b|\blink\b|\bjira\b|\burl\b|\btracking\b"),
    ("due", r"\bdue\b|\bdeadline\b|\btarget\b|\beta\b|\bby when\b|\bdate\b"),
    ("kind", r"\bkind\b|\btype\b|\bcategory\b"),
    ("notes", r"\bnotes?\b|\bcomments?\b|\bremarks?\b"),
)
_TITLE_COLUMN = (
    r"\baction|\bitem\b|\btask\b|\btitle\b|\bdescription\b|\bwhat\b|\bremediation\b|\bfix\b|\bfollow"
)
_HANDLE_RX = re.compile(r"(?<![\w.])@([\w.-]*\w)")
_MD_LINK_RX = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_URL_ONLY_RX = re.compile(r"<?https?://[^\s)>]+>?")
_TICKET_RX = re.compile(r"[A-Z][A-Z0-9]+-\d+|#?\d+|link|ticket|issue|bug", re.IGNORECASE)


@dataclass(frozen=True)
class ActionRow:
    """An action item as read (ids and timestamps are added by the importer)."""

    line: int
    title: str
    owner: str | None
    priority: str | None
    due_date: date | None
    status: str
    kind: str | None
    link: str | None = None
    notes: str | None = None
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


def _marker(raw: str) -> tuple[ItemStatus | None, str]:
    """A status marker at the start or end of a cell, and the cell without it."""
    for rx in _MARKER_RXS:
        m = rx.search(raw)
        if m:
            return item_status(m.group("m").replace("TO DO", "todo")), (
                raw[: m.start()] + raw[m.end() :]
            ).strip()
    return None, raw


def looks_like_actions(blocks: Sequence[Block]) -> bool:
    """A table or a checkbox list: a Follow-ups section read as action items."""
    return any(
        isinstance(b, Table) or (isinstance(b, ListBlock) and any(i.checked is not None for i in b.items))
        for b in blocks
    )


def _action(
    line: int, got: Mapping[str, str], cols: Mapping[str, str], year: int | None
) -> ActionRow | Problem:
    """One item from its cells (``got``: title, owner, priority, due, status, kind, link, notes)."""
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
    link = got["link"].strip()
    return ActionRow(
        line=line,
        title=title,
        owner=owner if owner.lower() not in _PLACEHOLDER else None,
        priority=priority.value if priority else None,
        due_date=due_date,
        status=st.value,
        kind=got["kind"].strip().lower() or item_kind(title),
        link=link if link.lower() not in _PLACEHOLDER else None,
        notes=got["notes"].strip() or None,
        problems=problems,
    )


def _table_items(
    table: Table, year: int | None, out: list[ActionRow], problems: list[Problem], notes: list[str]
) -> None:
    h = table.header
    idx: dict[str, int | None] = {}
    for name, rx in _COLUMNS:
        idx[name] = column_index(h, rx, exclude=list(idx.values()))
    idx["title"] = column_index(h, _TITLE_COLUMN, exclude=list(idx.values()))
    if idx["title"] is None:
        idx["title"] = next((i for i in range(len(h)) if i not in idx.values()), None)
    cols = {k: (plain(h[i]) if i is not None else k) for k, i in idx.items()}
    unused = [plain(c) for i, c in enumerate(h) if i not in idx.values() and plain(c)]
    if unused:
        notes.append(f"action items table (line {table.line}): column(s) not read: {', '.join(unused)}")
    for line, row in table.rows:
        cells = list(row)
        status_i = idx["status"]
        status = cells[status_i] if status_i is not None and status_i < len(cells) else ""
        if not status.strip():  # a marker in another cell
            for i, raw in enumerate(cells):
                found, cleaned = _marker(raw)
                if found is not None:
                    status, cells[i] = found.value, cleaned
                    break
        got = {k: (plain(cells[i]) if i is not None and i < len(cells) else "") for k, i in idx.items()}
        got["status"] = status
        found_urls = [u for c in cells for u in urls(c)]
        if found_urls:
            got["link"] = found_urls[0]
        if not got["owner"]:
            handle = next((m.group(1) for c in cells if (m := _HANDLE_RX.search(plain(c)))), "")
            got["owner"] = handle
        _collect(_action(line, got, cols, year), out, problems)


_OWNER_RX = re.compile(r"(?:\bowner:\s*|(?<=\()@|\s@)(?P<owner>[\w.-]+(?-i: [A-Z][\w.-]*)?)", re.IGNORECASE)
_DUE_RX = re.compile(
    r"\bdue(?: date)?:?\s*(?P<due>\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9}\.? \d{1,2}(?:,? \d{4})?)", re.IGNORECASE
)
_LIST_COLS = {
    "title": "action", "owner": "owner", "priority": "priority", "due": "due", "status": "status",
    "kind": "kind", "link": "link", "notes": "notes",
}  # fmt: skip


def _unlinked(raw: str) -> str:
    """``raw`` without ticket links (``[CFG-310](https://...)``) and bare URLs; other links keep their text."""

    def keep(m: re.Match[str]) -> str:
        return "" if _TICKET_RX.fullmatch(m.group(1).strip()) else m.group(1)

    return _URL_ONLY_RX.sub("", _MD_LINK_RX.sub(keep, raw))


def _list_item(item: Item, year: int | None) -> ActionRow | Problem:
    text = _unlinked(item.raw).replace("\n", " ")
    found, text = _marker(text)
    status = (
        ("done" if item.checked else "pending")
        if item.checked is not None
        else (found.value if found else "")
    )
    prio = re.search(r"\*{0,2}\bP[0-3]\b\*{0,2}:?", text)
    prio_text = prio.group(0) if prio else ""
    if prio:
        text = text[: prio.start()] + text[prio.end() :]
    owner = _OWNER_RX.search(text)
    due = _DUE_RX.search(text)
    for m in sorted((x for x in (owner, due) if x), key=lambda x: -x.start()):
        text = text[: m.start()] + text[m.end() :]
    title = re.sub(r"[\s,;(—–-]+$", "", plain(re.sub(r"\([\s,;]*\)", "", text))).strip(" :-—")
    nested = [plain(i.raw) for b in item.children if isinstance(b, ListBlock) for i in b.items]
    nested += [plain(b.raw) for b in item.children if isinstance(b, Paragraph)]
    fields = {
        "title": title,
        "owner": owner.group("owner") if owner else "",
        "priority": prio_text,
        "due": due.group("due") if due else "",
        "status": status or _trailing_status(item.raw),
        "kind": "",
        "link": next(iter(urls(item.raw)), ""),
        "notes": "; ".join(n for n in nested if n),
    }
    return _action(item.line, fields, _LIST_COLS, year)


def read_actions(
    blocks: Sequence[Block], *, year: int | None
) -> tuple[list[ActionRow], list[Problem], list[str]]:
    """Action items of a section's blocks (module docstring), plus problems and notes."""
    out: list[ActionRow] = []
    problems: list[Problem] = []
    notes: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            _table_items(block, year, out, problems, notes)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _collect(_list_item(item, year), out, problems)
        elif isinstance(block, Paragraph):
            for i, text in enumerate(block.raw.split("\n")):
                if text.strip():
                    problems.append(
                        (
                            block.line + i,
                            "action_items",
                            f"text outside the action items table: {text.strip()!r}",
                        )
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
