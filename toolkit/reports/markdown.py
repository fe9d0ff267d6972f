"""Executed notebook -> Markdown for wikis and git, figures as PNG files beside it.

nbconvert's ``MarkdownExporter`` with inputs hidden and outputs cut down to what is
safe in Markdown: the ``text/markdown`` our blocks give (already escaped), else PNG,
else ``text/plain`` (an indented code block, literal by construction). Raw HTML
outputs never reach the file. Each plotly figure becomes ``<name>_files/fig-<cell>-<n>.png``
(kaleido), or a one-line note saying why it was left out (no chromium, no kaleido, or
the image failed even after retries).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from toolkit.reports import images
from toolkit.reports.blocks import PLOTLY_MIME
from toolkit.reports.escape import md_text

if TYPE_CHECKING:  # pragma: no cover
    from nbconvert.exporters import MarkdownExporter

__all__ = ["KEEP", "to_markdown"]

KEEP = ("text/markdown", "image/png", "text/plain")
"""The only MIME types that reach a Markdown report, in order of preference."""


@lru_cache(maxsize=1)
def _exporter() -> MarkdownExporter:
    from nbconvert.exporters import MarkdownExporter
    from traitlets.config import Config

    config = Config({"NbConvertBase": {"display_data_priority": list(KEEP)}})
    return MarkdownExporter(  # type: ignore[no-untyped-call]
        config=config, exclude_input=True, exclude_input_prompt=True
    )


def _figures(nb: Any, files_dir: str) -> tuple[dict[str, bytes], int]:
    """Plotly outputs -> Markdown images (PNG bytes by file name) or notes; outputs pruned."""
    written: dict[str, bytes] = {}
    count = 0
    why = images.unavailable()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out_index, output in enumerate(cell.get("outputs", [])):
            data = output.get("data")
            if not data:
                continue
            spec = data.pop(PLOTLY_MIME, None)
            if spec is not None:
                count += 1
                title = str(data.get("text/plain", "figure")).strip("[]") or "figure"
                name = f"fig-{index}-{out_index}.png"
                failed = why
                if failed is None:
                    try:
                        written[name] = images.png(spec)
                    except Exception as exc:  # a broken static image never fails the report
                        failed = f"the static image could not be made ({type(exc).__name__})"
                if failed is None:
                    data["text/markdown"] = f"![{md_text(title)}](<{files_dir}/{name}>)"
                else:
                    data["text/markdown"] = "_" + md_text(f"Figure left out ({title}): {failed}.") + "_"
            for mime in list(data):
                if mime not in KEEP:
                    del data[mime]
    return written, count


def to_markdown(nb: Any, *, name: str) -> tuple[str, dict[str, bytes], int]:
    """The report as Markdown, its images (file name -> PNG bytes) and its figure count.

    Parameters
    ----------
    nb
        The executed notebook (not changed).
    name
        The report's file stem; images go to ``<name>_files/`` beside ``<name>.md``.
    """
    nb = copy.deepcopy(nb)
    files_dir = f"{name}_files"
    written, count = _figures(nb, files_dir)
    body, resources = _exporter().from_notebook_node(
        nb, resources={"metadata": {"name": name}, "unique_key": name, "output_files_dir": files_dir}
    )
    for path, data in (resources.get("outputs") or {}).items():  # images of other outputs, if any
        written[path.removeprefix(files_dir + "/")] = data
    text = "\n".join("" if not line.strip() else line for line in body.strip().splitlines())
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text + "\n", written, count
