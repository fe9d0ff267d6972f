"""Executed notebook -> one self-contained HTML file that works offline.

nbconvert's ``HTMLExporter`` with the ``report`` template (``report_templates/report/``,
extending JupyterLab's) and :class:`ReportPreprocessor`: inputs and prompts hidden,
plotly figures kept as ``application/vnd.plotly.v1+json`` in the notebook and drawn
here with ``Plotly.newPlot`` from plotly.js inlined once, every figure div with its own
id, JavaScript and widget outputs dropped, a Content-Security-Policy with a per-file
nonce that only our scripts carry, a print style, and a table of contents made from
the headings. The exporter and plotly.js are built once per process.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from toolkit._version import __version__
from toolkit.reports.blocks import PLOTLY_MIME
from toolkit.reports.escape import html_text, json_for_script
from toolkit.reports.locate import TEMPLATES

if TYPE_CHECKING:  # pragma: no cover
    from nbconvert.exporters import HTMLExporter

__all__ = ["TEMPLATE", "ReportPreprocessor", "to_html"]

TEMPLATE = "report"
"""The nbconvert template (``report_templates/report/``) the HTML reports use."""

_DROP = ("application/javascript", "application/vnd.jupyter.widget-view+json", "text/javascript")

_CSS = """
body.jp-Notebook { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem; }
.tk-toc { font-family: var(--jp-content-font-family); border: 1px solid #ddd; border-radius: 4px; padding: .5rem 1rem; margin: 1rem 0 1.5rem; background: #fafafa; }
.tk-toc-title { font-weight: 600; margin: .2rem 0 .4rem; }
.tk-toc ul { margin: 0; padding-left: 1.2rem; }
.tk-toc li.tk-toc-3 { margin-left: 1.2rem; font-size: .95em; }
.tk-header { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; margin: 0; }
.tk-header dt { font-weight: 600; }
.tk-header dd { margin: 0; }
.tk-table { border-collapse: collapse; margin: .5rem 0; font-size: .9em; }
.jp-RenderedHTMLCommon table.tk-table th, .jp-RenderedHTMLCommon table.tk-table td {
  border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top;
}
.jp-RenderedHTMLCommon table.tk-table .tk-num { text-align: right; font-variant-numeric: tabular-nums; }
.tk-table th { background: #f0f0f0; }
.tk-note { color: #555; font-style: italic; }
.tk-plotly { width: 100%; min-height: 320px; }
@media print {
  body.jp-Notebook { max-width: none; padding: 0; }
  .jp-OutputArea-output, .jp-OutputArea, .jp-Cell-outputWrapper, .jp-Cell-outputArea, .jp-OutputArea-child {
    overflow: visible !important;
  }
  .tk-plotly { width: 680px !important; break-inside: avoid; }
  .tk-table { break-inside: auto; }
  .tk-table tr { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  .tk-toc { break-after: page; background: none; }
  .modebar { display: none !important; }
}
"""

_DRAW_JS = """(function () {
  var drawn = [];
  document.querySelectorAll("script.tk-plotly-data").forEach(function (el) {
    var spec = JSON.parse(el.textContent);
    var div = document.getElementById(el.getAttribute("data-for"));
    var config = Object.assign({}, spec.config || {}, {responsive: true, displaylogo: false});
    drawn.push(Plotly.newPlot(div, spec.data || [], spec.layout || {}, config));
  });
  Promise.all(drawn).then(function () { document.body.setAttribute("data-tk-drawn", String(drawn.length)); });
})();"""


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js: str = get_plotlyjs()
    if "</script" in js.lower():  # would end the inline <script> early
        raise RuntimeError("this plotly.js contains '</script' and cannot be inlined")
    return js


def _preprocessor_base() -> type:
    from nbconvert.preprocessors import Preprocessor

    return Preprocessor


class ReportPreprocessor(_preprocessor_base()):  # type: ignore[misc]
    """Figures to ``Plotly.newPlot`` divs, JavaScript outputs dropped, ``resources["tk"]`` filled."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for out_index, output in enumerate(cell.get("outputs", [])):
                data = output.get("data")
                if not data:
                    continue
                for mime in _DROP:
                    data.pop(mime, None)
                spec = data.pop(PLOTLY_MIME, None)
                if spec is None:
                    continue
                div = f"tk-fig-{index}-{out_index}"
                payload = json_for_script(orjson.dumps(spec, default=str).decode())
                data.pop("text/html", None)
                data["text/html"] = (
                    f'<div class="tk-plotly" id="{div}"></div>'
                    f'<script type="application/json" class="tk-plotly-data" data-for="{div}">{payload}</script>'
                )
                count += 1
        resources["tk"] = {
            "nonce": secrets.token_urlsafe(18),
            "figures": count,
            "plotly_js": _plotly_js() if count else "",
            "draw_js": _DRAW_JS,
            "css": _CSS,
            "version": __version__,
        }
        return nb, resources


@lru_cache(maxsize=4)
def _exporter(templates: Path) -> HTMLExporter:
    from nbconvert.exporters import HTMLExporter

    return HTMLExporter(  # type: ignore[no-untyped-call]
        template_name=TEMPLATE,
        extra_template_basedirs=[str(templates)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        mathjax_url="",
        require_js_url="",
        jupyter_widgets_base_url="",
        widget_renderer_url="",
    )


_HEADING = re.compile(r"<h([1-3])\b([^>]*)>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")


def _with_toc(html: str) -> str:
    """Give every h1-h3 a unique id and put a table of contents of the h2s and h3s below the title."""
    seen: dict[str, int] = {}
    entries: list[tuple[int, str, str]] = []

    def unique(match: re.Match[str]) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2), match.group(3)
        found = _ID.search(attrs)
        base = found.group(1) if found else "section"
        n = seen.get(base, 0)
        seen[base] = n + 1
        new_id = base if n == 0 else f"{base}-{n + 1}"
        attrs = _ID.sub(f'id="{new_id}"', attrs, count=1) if found else f'{attrs} id="{new_id}"'
        text = " ".join(_TAGS.sub("", inner).replace("¶", "").split())
        if level > 1:
            entries.append((level, new_id, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    cut = html.find("<!--tk-scripts-->")  # never look for headings inside plotly.js
    head, tail = (html, "") if cut < 0 else (html[:cut], html[cut:])
    html = _HEADING.sub(unique, head) + tail
    items = "".join(
        f'<li class="tk-toc-{level}"><a href="#{html_text(anchor)}">{text}</a></li>'
        for level, anchor, text in entries
    )
    toc = (
        f'<nav class="tk-toc" aria-label="Contents"><p class="tk-toc-title">Contents</p><ul>{items}</ul></nav>'
        if items
        else ""
    )
    if toc and "</h1>" in html:  # below the report's title
        return html.replace("<!--tk-toc-->", "", 1).replace("</h1>", "</h1>" + toc, 1)
    return html.replace("<!--tk-toc-->", toc, 1)


def to_html(nb: Any, *, title: str, templates: Path = TEMPLATES) -> tuple[str, int]:
    """The report as one HTML document, and how many plotly figures it draws.

    Parameters
    ----------
    nb
        The executed notebook (an ``nbformat`` node; not changed).
    title
        The document title (escaped).
    templates
        The folder holding the ``report`` template.
    """
    import copy

    exporter = _exporter(templates)
    body, resources = exporter.from_notebook_node(copy.deepcopy(nb), resources={"metadata": {"name": title}})
    return _with_toc(body), int(resources["tk"]["figures"])
