"""Which part of a post-mortem each section is: timeline, whys, action items, lessons, ...

Headings are matched by name with emoji, numbering and punctuation removed (first rule that
matches, so "Where we got lucky" is ``lucky`` and "Root Cause (5 Whys)" is ``whys``):

=============== ==============================================================================
key             headings
=============== ==============================================================================
timeline        Timeline, Chronology, Sequence of events
whys            Root Cause(s), 5 Whys, Five whys, RCA, Causal analysis, Contributing factors, Cause
lucky           Where we got lucky, Luck
went_well       What went well, What worked, Successes
went_wrong      What went wrong, What didn't go (so) well, Could be improved, Challenges
action_items    Action items, Action plan, Actions, Remediation, Corrective actions, Tasks, TODO
lessons         Lessons learned, Learnings, Takeaways
follow_up       Follow-up(s), Next steps (read as action items when they hold a table or checkboxes)
impact          Impact, Customer impact, Blast radius
summary         Summary, Executive summary, Overview, TL;DR, Description, Background, What happened
people          Responders, Participants, Roles, Incident team, People involved, Attendees
narrative       Trigger, Resolution, Detection, Response, Recovery, Leadup, Fault, Messaging, ...
=============== ==============================================================================

A section named after a field (``## Date``, ``## Authors``, ``## Status``) is that field
(see :mod:`toolkit.importers.postmortem.fields`). A heading we do not know continues the
known section above it when it is deeper (a sub-heading), else it is kept in
``incident["other_sections"]`` with a note. The first heading is the document's title
unless it is a section heading among peers of the same level.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from toolkit.importers.postmortem.fields import canonical_key
from toolkit.importers.postmortem.markdown import Document, plain

__all__ = ["HEADED_FIELDS", "Layout", "clean_heading", "layout", "section_key"]

_SECTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(rx))
    for key, rx in (
        ("timeline", r"\btimeline\b|\bchronology\b|\bsequence of events\b"),
        (
            "whys",
            r"\bwhys?\b|\broot ?causes?\b|\brca\b|\bcausal analysis\b|\bcontributing factors?\b"
            r"|^causes?$|\bwhy it happened\b",
        ),
        ("lucky", r"\blucky\b|\bluck\b"),
        ("went_well", r"\bwent well\b|\bwhat worked\b|\bwhat we did well\b|\bsuccesses\b"),
        (
            "went_wrong",
            r"\bwent wrong\b|\bdid ?n[o' ]?t go (?:so )?well\b|\bcould (?:be|have been) (?:improved|better)\b"
            r"|\bto improve\b|\bwhat failed\b|\bchallenges\b|\bwent poorly\b|\bcould have gone better\b",
        ),
        (
            "action_items",
            r"\baction items?\b|\baction plan\b|\bactions\b|\bremediations?\b|\bcorrective\b|\bpreventive\b"
            r"|\btodos?\b|\btasks\b",
        ),
        ("lessons", r"\blessons?\b|\blearnings?\b|\btakeaways?\b"),
        ("follow_up", r"\bfollow[- ]?ups?\b|\bnext steps\b"),
        ("impact", r"\bimpact\b|\bblast radius\b"),
        ("summary", r"\bsummary\b|\boverview\b|\btl ?dr\b|\bdescription\b|\bbackground\b|\bwhat happened\b"),
        (
            "people",
            r"\bresponders\b|\bparticipants\b|^roles?$|\bincident team\b|\bpeople involved\b|\battendees\b"
            r"|\bwho was involved\b",
        ),
        (
            "narrative",
            r"^(?:trigger|resolution|detection|response|recovery|lead ?up|fault|supporting information"
            r"|related (?:records|incidents)|backlog check|recurrence|messaging|internal|external"
            r"|how'?d we do|how did we do|mitigation|customer communications?|glossary)$",
        ),
    )
)
HEADED_FIELDS = frozenset(
    {
        "incident_id",
        "date",
        "severity",
        "duration",
        "commander",
        "authors",
        "title",
        "started",
        "resolved",
        "detected",
        "timezone",
        "service",
        "status",
        "postmortem_at",
    }
)
"""Fields that may be written as a section of their own (``## Date``)."""
_TITLE_PREFIX_RX = re.compile(
    r"^(?:incident\s+)?(?:post[- ]?mortem|retrospective|incident report|incident review|rca)\b", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def clean_heading(text: str) -> str:
    """A heading's text without emoji, Markdown emphasis, trailing colons or extra spaces."""
    kept = "".join(ch for ch in plain(text) if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Mn"))
    return " ".join(kept.split()).rstrip(":").strip()


@lru_cache(maxsize=4096)
def section_key(heading: str) -> str | None:
    """The part of a post-mortem a heading names, or None.

    Examples
    --------
    >>> section_key("What Went Well ✅"), section_key("Root Cause (5 Whys)"), section_key("Appendix")
    ('went_well', 'whys', None)
    """
    norm = re.sub(r"[^a-z0-9' ]+", " ", clean_heading(heading).lower().replace("’", "'"))
    norm = re.sub(r"^\d+\s+", "", " ".join(norm.split()))
    for key, rx in _SECTION_RULES:
        if rx.search(norm):
            return key
    return None


def bold_section(text: str) -> bool:
    """A bold-only paragraph naming one of these sections starts it (not the whys)."""
    key = section_key(text)
    return key is not None and key != "whys"


@dataclass
class Layout:
    """Where each part of a document is: section indexes per key."""

    title: str | None = None
    title_line: int | None = None
    preamble: list[int] = field(default_factory=list)
    keyed: dict[str, list[int]] = field(default_factory=dict)
    headed: dict[str, int] = field(default_factory=dict)
    unknown: list[int] = field(default_factory=list)

    def of(self, key: str) -> list[int]:
        """The sections of ``key``, in document order."""
        return self.keyed.get(key, [])


def _is_title(doc: Document, index: int) -> bool:
    """The first heading is the document title unless it is a section heading among peers."""
    section = doc.sections[index]
    text = clean_heading(section.title or "")
    if section_key(text) is None or _TITLE_PREFIX_RX.match(text):
        return canonical_key(text) not in HEADED_FIELDS
    others = [s.level for s in doc.sections[index + 1 :]]
    return bool(others) and section.level < min(others)


def layout(doc: Document) -> Layout:
    """The :class:`Layout` of ``doc`` (see the module docstring)."""
    out = Layout(preamble=[0])
    first = 1
    if len(doc.sections) > 1 and _is_title(doc, 1):
        out.title, out.title_line = doc.sections[1].title, doc.sections[1].line
        out.preamble.append(1)
        first = 2
    effective: dict[int, str | None] = {}
    for index in range(first, len(doc.sections)):
        section = doc.sections[index]
        title = section.title or ""
        key = section_key(title)
        name = canonical_key(clean_heading(title))
        if key is None and name in HEADED_FIELDS and name not in out.headed:
            out.headed[name] = index
            effective[index] = None
            continue
        parent = section.parent
        if key is None and parent is not None and effective.get(parent) is not None:
            key = effective[parent]
        effective[index] = key
        if key is None:
            out.unknown.append(index)
        else:
            out.keyed.setdefault(key, []).append(index)
    return out
