"""Drafts from Jinja templates: ``report_templates/comms/<kind>.j2``, or a team's own.

A template gets ``f`` (the :class:`~toolkit.comms.model.Facts`), ``team`` (the policy's
``[comms]``), ``policy``, ``sev`` (the severity's policy, or None), ``audience`` and
``fmt``, and these filters (times in the team's zone; ``customer=True`` for the
customers'): ``hm`` (10:05 AM), ``hm0`` (09:55 AM), ``hmz`` (10:05 AM PST), ``stamp``
(Jan 15, 10:05 AM PST), ``day`` (Jan 15), ``long_day`` (January 15), ``weekday``
(Fri Jan 17), ``window(end)`` (10:00 AM - 12:15 PM PST), ``when(ref)`` (``hmz`` on ``ref``'s
day, else ``stamp``), ``dur`` (2h 15m), ``minutes``,
``fill(what)`` (the value, else ``[fill in: what]``), ``mention`` (@alice, else the
name), ``channel`` (#incident-...), ``cell`` (one table cell), ``summary`` (steps as
"Rollback (10:23 AM) + Fix deployed (11:30 AM)"), ``tag`` (the zone label that day).

A team's template can include the shipped one as ``builtin/<kind>.j2``
(``{% include "builtin/update.j2" %}`` under a header of its own).

Every value a template prints is escaped for the format (:mod:`toolkit.comms.safe`), and
in drafts for customers staff names and e-mail addresses are taken out first. Templates are
written in the seed's markup (``**System:**``): ``text`` drops the ``**``, ``markdown``
adds the line breaks and blank lines Markdown needs to keep the lines apart.

Examples
--------
>>> sorted(p.stem for p in BUILTIN.glob("*.j2"))[:3]
['customer', 'declare', 'escalate']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from toolkit.comms.fmt import Zone, duration
from toolkit.comms.model import ROLE_NAMES, Facts, Person, Step
from toolkit.comms.safe import Safe, escape, redact
from toolkit.errors import ArgumentError
from toolkit.policy import Policy
from toolkit.schema import Severity

__all__ = ["BUILTIN", "EXTERNAL", "render"]

_PACKAGED = Path(__file__).resolve().parents[1] / "_report_templates" / "comms"
BUILTIN = (
    _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[2] / "report_templates" / "comms"
)
"""The shipped templates (``report_templates/comms/``)."""

EXTERNAL = frozenset({"statuspage", "customer", "support"})
"""Kinds read outside the team: no staff names, e-mail addresses or internal-only events."""

_HANDLE = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
_NOT_PEOPLE = frozenset({"channel", "here", "everyone"})


def _fill(value: Any, what: str = "details") -> Any:
    """``value``, else a fill-in marker (None, empty text and empty lists count as missing)."""
    if value is None or (isinstance(value, str | list | tuple) and not value):
        return Safe(f"[fill in: {what}]")
    return value


class _Filters:
    """The template filters of one draft (module docs)."""

    def __init__(self, fmt: str, team: Zone, customer: Zone) -> None:
        self.fmt, self.team, self.customer = fmt, team, customer

    def zone(self, customer: bool) -> Zone:
        return self.customer if customer else self.team

    def timed(self, name: str) -> Callable[..., Any]:
        def apply(value: datetime | None, customer: bool = False) -> str | None:
            return None if value is None else str(getattr(self.zone(customer), name)(value))

        return apply

    def window(self, start: datetime | None, end: datetime | None, customer: bool = False) -> str | None:
        return None if start is None or end is None else self.zone(customer).window(start, end)

    def when(self, value: datetime | None, ref: datetime | None = None, customer: bool = False) -> str | None:
        """``10:00 AM PST`` on ``ref``'s day, else ``Feb 19, 2:10 PM PST``."""
        if value is None:
            return None
        z = self.zone(customer)
        return z.hmz(value) if ref is None or z.same_day(value, ref) else z.stamp(value)

    def mention(self, person: Person | None) -> Any:
        if person is None:
            return None
        if person.handle and _HANDLE.fullmatch(person.handle) and person.handle not in _NOT_PEOPLE:
            return Safe("@" + escape(person.handle, self.fmt))
        return person.name

    def cell(self, text: str | None) -> str:
        one = " ".join((text or "").split())
        return one if self.fmt == "markdown" else one.replace("|", "\\|")

    def summary(self, steps: Iterable[Step]) -> str | None:
        parts = [f"{s.label} ({self.team.hm(s.at)})" for s in steps]
        return " + ".join(parts) or None

    def table(self) -> dict[str, Callable[..., Any]]:
        names = ("hm", "hm0", "hmz", "stamp", "day", "long_day", "weekday", "tag")
        return {
            **{n: self.timed(n) for n in names},
            "window": self.window,
            "when": self.when,
            "dur": duration,
            "minutes": lambda d: None if d is None else max(0, round(d / timedelta(minutes=1))),
            "fill": _fill,
            "mention": self.mention,
            "channel": lambda name: None if not name else f"#{str(name).lstrip('#')}",
            "cell": self.cell,
            "summary": self.summary,
        }


def _environment(fmt: str, folders: Sequence[Path], finalize: Callable[[Any], str]) -> Any:
    import jinja2
    from jinja2.ext import Extension
    from jinja2.sandbox import SandboxedEnvironment

    class PlainText(Extension):
        """For the ``text`` format: the seed's ``**bold**`` markers dropped from the template."""

        def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
            return source.replace("**", "")

    return SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(
            [
                *(jinja2.FileSystemLoader(str(f)) for f in folders),
                jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(BUILTIN))}),
            ]
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=finalize,
        extensions=[PlainText] if fmt == "text" else [],
    )


_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")


def _markdown_lines(text: str) -> str:
    """Lines kept apart in Markdown: hard breaks within a paragraph, blank lines between blocks."""

    def kind(line: str) -> str:
        if not line.strip():
            return "blank"
        if line.lstrip().startswith("|"):
            return "table"
        if line.lstrip().startswith("#"):
            return "heading"
        return "list" if _LIST.match(line) else "para"

    lines = text.rstrip("\n").split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        k = kind(line)
        if out and k != "blank" and (prev := kind(lines[i - 1])) != "blank" and (prev != k or k == "heading"):
            out.append("")
        nxt = kind(lines[i + 1]) if i + 1 < len(lines) else "blank"
        out.append(line + ("\\" if k == "para" and nxt == "para" else ""))
    return "\n".join(out) + "\n"


def render(
    kind: str,
    facts: Facts,
    *,
    fmt: str,
    policy: Policy,
    templates: Path | None = None,
    audience: str | None = None,
) -> str:
    """Draft ``kind`` of ``facts`` in format ``fmt``, from ``templates`` (a team's folder)
    before the policy's ``[comms].templates`` and the shipped ones."""
    folders = [p for p in (templates, policy.comms.templates) if p is not None]
    for folder in folders:
        if not folder.is_dir():
            raise ArgumentError(f"--templates: no folder {folder}; give a folder of <kind>.j2 templates")
    folders.append(BUILTIN)
    external = kind in EXTERNAL
    keep = [policy.comms.support_email] if policy.comms.support_email else []

    def finalize(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Safe):
            return value
        text = str(value)
        return escape(redact(text, names=facts.staff, keep=keep) if external else text, fmt)

    team = Zone(policy.team.time_zone, policy.comms.zone_label)
    customer = (
        Zone(policy.comms.customer_time_zone, policy.comms.customer_zone_label)
        if policy.comms.customer_time_zone
        else Zone(policy.team.time_zone, policy.comms.customer_zone_label or policy.comms.zone_label)
    )
    env = _environment(fmt, folders, finalize)
    env.filters.update(_Filters(fmt, team, customer).table())
    sev = policy.severities.get(Severity(facts.severity)) if facts.severity in set(Severity) else None
    context: Mapping[str, Any] = {
        "f": facts,
        "team": policy.comms,
        "policy": policy,
        "sev": sev,
        "audience": audience,
        "fmt": fmt,
        "kind": kind,
        "ROLE_NAMES": ROLE_NAMES,
        "none": None,
    }
    import jinja2

    try:
        out = str(env.get_template(f"{kind}.j2").render(**context))
    except jinja2.TemplateSyntaxError as exc:
        raise ArgumentError(f"{exc.filename or kind + '.j2'}: line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound:
        raise ArgumentError(f"no template {kind}.j2 in {', '.join(map(str, folders))}") from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as exc:
        raise ArgumentError(f"template {kind}.j2: {exc}") from None
    out = re.sub(r"[ \t]+\n", "\n", out).rstrip("\n") + "\n"
    return _markdown_lines(out) if fmt == "markdown" else out
