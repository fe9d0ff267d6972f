"""A draft in a notebook, with a button that copies it: ``toolkit.comms.show(...)``.

The draft shows as preformatted text (escaped: nothing in it becomes HTML) beside a
**Copy** button that puts the exact text on the clipboard (the Clipboard API, else the
browser's copy command on a hidden text area). It is an HTML output, so it works in
JupyterLab, in classic notebooks and in exported HTML; IPython is imported only here.

Examples
--------
>>> html = copy_html("<!channel> 📋 UPDATE #2")
>>> "&lt;!channel&gt; 📋 UPDATE #2" in html and "<!channel>" not in html
True
"""

from __future__ import annotations

import html
import itertools
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.store import Workspace as Store
    from toolkit.workspace import Workspace

__all__ = ["copy_html", "show"]

_IDS = itertools.count(1)

_SCRIPT = (
    "(function(b){{var box=document.getElementById('{id}');var text=box.value;"
    "var done=function(){{b.textContent='Copied';setTimeout(function(){{b.textContent='Copy';}},1500);}};"
    "var fallback=function(){{box.style.display='block';box.select();"
    "try{{document.execCommand('copy');done();}}catch(e){{b.textContent='Select and copy';}}"
    "box.style.display='none';}};"
    "if(navigator.clipboard&&window.isSecureContext){{navigator.clipboard.writeText(text).then(done,fallback);}}"
    "else{{fallback();}}}})(this)"
)


def copy_html(text: str, *, title: str | None = None) -> str:
    """HTML that shows ``text`` (escaped) with a Copy button copying it exactly."""
    n = next(_IDS)
    box = f"toolkit-draft-{n}"
    heading = f'<div style="font-weight:600;margin-bottom:4px">{html.escape(title)}</div>' if title else ""
    return (
        f'<div class="toolkit-draft" data-draft="{n}" style="border:1px solid #ccc;border-radius:4px;'
        'padding:8px;max-width:60em">'
        f"{heading}"
        f'<button type="button" class="toolkit-draft-copy" onclick="{html.escape(_SCRIPT.format(id=box))}" '
        'style="float:right">Copy</button>'
        f'<pre style="white-space:pre-wrap;margin:0">{html.escape(text)}</pre>'
        f'<textarea id="{box}" readonly style="display:none;width:100%">{html.escape(text)}</textarea>'
        "</div>"
    )


def show(
    kind: str,
    incident_id: str,
    *,
    workspace: Workspace | Store | str | Path,
    at: datetime | str | None = None,
    audience: str | None = None,
    format: str | None = None,
    templates: str | Path | None = None,
) -> None:
    """Display :func:`toolkit.comms.draft` (same arguments) in the notebook, with a Copy button.

    Examples
    --------
    >>> import tempfile, toolkit
    >>> ws = toolkit.Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/slack/acme-slack-export.zip")
    >>> toolkit.comms.show("update", "INC-2025-01-15-payment", workspace=ws, at="2025-01-15 10:45 PST")
    <IPython.core.display.HTML object>
    """
    from IPython.display import HTML, display

    from toolkit.comms.draft import draft

    text = draft(
        kind,
        incident_id,
        workspace=workspace,
        at=at,
        audience=audience,
        format=format,
        templates=templates,
    )
    display(HTML(copy_html(text, title=f"{kind} · {incident_id}")))  # type: ignore[no-untyped-call]
