"""What a post-mortem says in prose: lists (went well, lessons, ...), impact facts, and the
``postmortem_sections`` rows (one per paragraph or list item, Markdown as written).

Impact facts for the severity audit are read from the Impact section (bullets such as
``- **Users affected:** ~5,000 (15%)``, a metrics table ``| Users Affected | 1000 |``, or
prose) and an Impact field: users affected (count and %), support tickets, revenue
impact ("$50K" → true, "no revenue impact" → false), performance degradation ("60%
slower"), core functionality down, a workaround, a data breach — each only where stated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from toolkit.importers.postmortem.markdown import Block, Document, ListBlock, Other, Paragraph, Table, plain
from toolkit.importers.postmortem.timeline import Problem

__all__ = ["impact_facts", "read_impact", "read_list", "section_rows", "short"]

_ITEM_MARK_RX = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")


def read_list(blocks: Sequence[Block], *, section: str) -> tuple[list[str], list[Problem]]:
    """Bullet or numbered items as readable text (bold labels kept: "Label: text"); nested
    items join their parent ("parent; child"); paragraphs outside the list are problems."""
    out: list[str] = []
    problems: list[Problem] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                text = plain(item.raw)
                nested = [plain(i.raw) for b in item.children if isinstance(b, ListBlock) for i in b.items]
                text = "; ".join(t for t in (text, *nested) if t)
                if text:
                    out.append(text)
        elif isinstance(block, Paragraph):
            for i, ln in enumerate(block.raw.split("\n")):
                if ln.strip():
                    problems.append((block.line + i, section, f"paragraph outside the list: {ln.strip()!r}"))
    return out, problems


def _source(doc: Document, first: int, last: int, *, item: bool = False) -> str:
    lines = [doc.lines[n - 1] for n in range(first, min(last, len(doc.lines)) + 1)]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return ""
    indent = min((len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()), default=0)
    lines = [ln[indent:] for ln in lines]
    if item:
        lines[0] = _ITEM_MARK_RX.sub("", lines[0])
    return "\n".join(lines).strip()


def section_rows(
    doc: Document, blocks: Iterable[Block], *, incident_id: str, section: str, file: str, start: int = 0
) -> list[dict[str, Any]]:
    """``postmortem_sections`` rows: one per paragraph, list item, table or other block."""
    rows: list[dict[str, Any]] = []
    for block in blocks:
        parts: list[tuple[int, str]] = []
        if isinstance(block, ListBlock):
            parts = [(i.line, _source(doc, i.line, i.end, item=True)) for i in block.items]
        elif isinstance(block, Paragraph | Table | Other):
            parts = [(block.line, _source(doc, block.line, block.end))]
        for line, text in parts:
            if text:
                rows.append(row(incident_id, section, start + len(rows), text, f"{file}:{line}"))
    return rows


def row(incident_id: str, section: str, position: int, text: str, ref: str) -> dict[str, Any]:
    """One ``postmortem_sections`` row."""
    return {"incident_id": incident_id, "section": section, "position": position, "text": text, "ref": ref}


# ---------------------------------------------------------------------------- impact

_COLUMN_NAMES = frozenset(
    {"", "metric", "metrics", "measure", "impact", "item", "what", "category", "type", "name"}
)
"""First header cells that make a table's header row a header, not a row of figures."""
_BOLD_FIELD_RX = re.compile(r"^\s*(\*\*|__)(?P<k>[^*_\n]{1,60}?)\s*:?\s*\1\s*:?\s*(?P<v>.*)$")


def read_impact(blocks: Sequence[Block]) -> tuple[dict[str, str], list[str]]:
    """Impact bullets and metrics-table rows as {label: value}; other text as lines."""
    fields: dict[str, str] = {}
    other: list[str] = []

    def lines(raws: Sequence[str]) -> None:
        text: list[str] = []
        for raw in [*raws, "**-:** -"]:
            m = _BOLD_FIELD_RX.match(raw)
            if m and m.group("v").strip():
                if text and plain(" ".join(text)):
                    other.append(plain(" ".join(text)))
                text = []
                if raw != "**-:** -":
                    fields.setdefault(plain(m.group("k")), plain(m.group("v")))
            else:
                text.append(raw)

    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                lines([item.raw.replace("\n", " ")])
        elif isinstance(block, Paragraph):
            lines(block.raw.split("\n"))
        elif isinstance(block, Table) and len(block.header) >= 2:
            head = () if plain(block.header[0]).lower() in _COLUMN_NAMES else (block.header,)
            for cells in (*head, *(r for _, r in block.rows)):
                label, value = plain(cells[0]), plain(cells[1])
                if label and value:
                    fields.setdefault(label, value)
    return fields, other


_NUMBER_RX = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?\b(?!\s*%)")
_SHARE_RX = re.compile(
    r"(\d+(?:\.\d+)?)\s*%\s+of\s+(?:[\w-]+\s+){0,3}?(?:users|customers|accounts)\b", re.IGNORECASE
)
_MONEY_RX = re.compile(r"[$€£]\s*[1-9]|[1-9][\d,.]*\s*[kKmM]?\s*(?:USD|EUR|GBP|dollars)")
_NO_REVENUE_RX = re.compile(r"\bno (?:measurable |measured )?revenue (?:impact|loss)\b", re.IGNORECASE)
_DEGRADED_RXS = (
    re.compile(r"(\d+(?:\.\d+)?)\s*%\s*(?:slower|degrad\w*|(?:higher|more) latency)", re.IGNORECASE),
    re.compile(r"\bdegrad\w*\s+(?:by|of)\s+(\d+(?:\.\d+)?)\s*%", re.IGNORECASE),
)
_YES_RX = re.compile(r"^\s*(?:yes|true|y)\b", re.IGNORECASE)
_NO_RX = re.compile(r"^\s*(?:no|none|false|n)\b", re.IGNORECASE)
_STATED: tuple[tuple[str, re.Pattern[str], re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (name, re.compile(label, re.IGNORECASE), re.compile(yes, re.IGNORECASE), re.compile(no, re.IGNORECASE))
    for name, label, yes, no in (
        (
            "core_down",
            r"\bcore\b",
            r"\bcore (?:functionality|service|feature)s? (?:was |were |is |went )?(?:down|unavailable)\b",
            r"\bcore (?:functionality|service|feature)s? (?:was |were |is |remained )?(?:not affected|unaffected|up)\b",
        ),
        (
            "workaround",
            r"\bworkaround\b",
            r"\bworkaround (?:exists|existed|is available|was available|available)\b|\b(?:was|is|as) a workaround\b",
            r"\bno (?:known )?workaround\b",
        ),
        (
            "data_breach",
            r"\bdata breach\b|\bbreach\b",
            r"(?<!no )\bdata breach\b",
            r"\bno data (?:breach|loss|was (?:lost|exposed|leaked))\b|\bno (?:customer )?data (?:was )?exposed\b",
        ),
    )
)


def impact_facts(impact: dict[str, str], text: Sequence[str]) -> dict[str, Any]:
    """Numbers and flags the impact states (None where it does not)."""
    users = pct = tickets = None
    revenue: bool | None = None
    for label, value in impact.items():
        low = label.lower()
        if ("user" in low or "customer" in low or "account" in low) and "complaint" not in low:
            n = _NUMBER_RX.search(value)
            if n and users is None and "account" not in low:
                mult = {"k": 1_000, "m": 1_000_000}.get((n.group(2) or "").lower(), 1)
                users = int(float(n.group(1).replace(",", "")) * mult)
            p = re.search(r"(\d+(?:\.\d+)?)\s*%", value)
            if p and pct is None:
                pct = float(p.group(1))
        t = re.search(r"(\d[\d,]*)\s+(?:support\s+(?:tickets?|requests?)|tickets?)\b", value, re.IGNORECASE)
        if t and tickets is None:
            tickets = int(t.group(1).replace(",", ""))
        if "support" in low and tickets is None and (n := _NUMBER_RX.search(value)):
            tickets = int(float(n.group(1).replace(",", "")))
        if "revenue" in low:
            revenue = bool(_MONEY_RX.search(value))
    prose = " ".join([*text, *(f"{k}: {v}" for k, v in impact.items())])
    if pct is None and (m := _SHARE_RX.search(" ".join(text))):
        pct = float(m.group(1))
    if revenue is None and _NO_REVENUE_RX.search(prose):
        revenue = False
    degradation = next((float(m.group(1)) for rx in _DEGRADED_RXS if (m := rx.search(prose))), None)
    flags: dict[str, bool | None] = {}
    for name, label_rx, yes, no in _STATED:
        stated = next((v for k, v in impact.items() if label_rx.search(k)), None)
        if stated is not None and (_YES_RX.match(stated) or _NO_RX.match(stated)):
            flags[name] = bool(_YES_RX.match(stated))
        elif no.search(prose):
            flags[name] = False
        elif yes.search(prose):
            flags[name] = True
        else:
            flags[name] = None
    return {
        "users_affected": users,
        "percent_users_affected": pct,
        "support_tickets": tickets,
        "revenue_impacted": revenue,
        "degradation_pct": degradation,
        **flags,
    }


def short(texts: Sequence[str], *, limit: int = 200) -> str | None:
    """Texts joined with "; ", cut at a word boundary to ``limit`` characters (with "…")."""
    joined = "; ".join(t for t in texts if t)
    if len(joined) <= limit:
        return joined or None
    return joined[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
