"""The notebook helper: the draft shown as text with a Copy button, in JupyterLab too."""

from __future__ import annotations

import html as htmllib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests._jupyterlab import BROWSER_ARGS, CHROMIUM, jupyterlab, run_notebook
from tests.comms.conftest import PAYMENT, POLICY
from toolkit.comms import draft
from toolkit.comms.show import copy_html
from toolkit.workspace import Workspace


def test_copy_html_shows_the_text_escaped_and_keeps_it_exact() -> None:
    text = "<!channel> </textarea><script>alert(1)</script> & 📋 UPDATE #2\nline 2\n"
    out = copy_html(text, title="update <b>")
    assert "<script>alert(1)" not in out
    assert "</textarea><script>" not in out
    pre = out[out.index("<pre") :]
    assert htmllib.unescape(pre[pre.index(">") + 1 : pre.index("</pre>")]) == text
    assert "update &lt;b&gt;" in out
    assert out.count('class="toolkit-draft-copy"') == 1
    assert copy_html("x").split('data-draft="')[1][:3] != out.split('data-draft="')[1][:3]  # ids differ


def test_show_displays_the_draft(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    from toolkit.comms import show

    assert show("update", PAYMENT, workspace=ws, at="2025-01-15 10:30 PST") is None
    (obj,) = shown
    text = draft("update", PAYMENT, workspace=ws, at="2025-01-15 10:30 PST")
    assert htmllib.escape(text) in obj.data  # type: ignore[attr-defined]


def test_importing_comms_loads_no_notebook_machinery() -> None:
    code = "import sys, toolkit.comms; print(sorted(m for m in ('IPython', 'ipywidgets', 'jinja2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_copy_button_copies_in_jupyterlab(sample_folder: Path, tmp_path: Path) -> None:
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    root = tmp_path / "lab"
    root.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import toolkit\n"
            f"ws = toolkit.Workspace({str(sample_folder)!r}, policy=toolkit.Policy.load({str(POLICY)!r}))\n"
            f"toolkit.comms.show('update', {PAYMENT!r}, workspace=ws, at='2025-01-15 10:30 PST')"
        )
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "drafts.ipynb")
    expected = draft(
        "update", PAYMENT, workspace=Workspace(sample_folder, policy=__import__("toolkit").Policy.load(POLICY)),
        at="2025-01-15 10:30 PST",
    )  # fmt: skip
    with jupyterlab(root, tmp_path) as (port, _log), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            context = browser.new_context()
            context.grant_permissions(
                ["clipboard-read", "clipboard-write"], origin=f"http://127.0.0.1:{port}"
            )
            page = context.new_page()
            run_notebook(page, port, "drafts.ipynb")
            button = page.locator(".toolkit-draft button.toolkit-draft-copy")
            button.wait_for(state="visible")
            assert page.locator(".toolkit-draft pre").inner_text().startswith("📋 UPDATE #3 - 10:30 AM")
            button.click()
            page.locator(".toolkit-draft button", has_text="Copied").wait_for()
            assert page.evaluate("() => navigator.clipboard.readText()") == expected
        finally:
            browser.close()
