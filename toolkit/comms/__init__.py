"""Communication drafts from incident data: the seed's declaration, updates, status-page
posts, resolution announcement and stakeholder messages, for any moment of an incident.

:func:`draft` writes one message (:data:`KINDS`) for an incident as it stood at a moment:
what was recorded by then (:func:`facts`, a pure function of the timeline), in the team's
time zone, from Jinja templates (``report_templates/comms/<kind>.j2``, which a team can
override with its own folder). What the data does not say is marked ``[fill in: ...]``.
Untrusted text is escaped for each format (:mod:`toolkit.comms.safe`), and drafts read
outside the team (:data:`~toolkit.comms.render.EXTERNAL`) carry no staff names, e-mail
addresses or internal-only events. :func:`show` displays a draft in a notebook with a
copy button.

One idea per module: :mod:`.records` (what each source's own tables say), :mod:`.fields`
(labelled fields of war-room messages), :mod:`.rows` (timeline rows), :mod:`.facts`
(what was known at a moment), :mod:`.model` (the facts' shape), :mod:`.fmt` (times and
durations), :mod:`.safe` (escaping, redaction), :mod:`.render` (Jinja), :mod:`.draft`
(the entry point), :mod:`.show` (the notebook helper).

Examples
--------
>>> import tempfile
>>> from toolkit.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.ingest("data/sample/slack/acme-slack-export.zip")
>>> print(draft("declare", "INC-2025-01-15-payment", workspace=ws, at="2025-01-15 10:05 PST").splitlines()[0])
🚨 SEV1 INCIDENT DECLARED 🚨
"""

from __future__ import annotations

from toolkit.comms.draft import KINDS, draft, parse_at
from toolkit.comms.facts import facts
from toolkit.comms.model import PHASES, Facts
from toolkit.comms.render import EXTERNAL
from toolkit.comms.safe import FORMATS
from toolkit.comms.show import show

__all__ = ["EXTERNAL", "FORMATS", "KINDS", "PHASES", "Facts", "draft", "facts", "parse_at", "show"]
