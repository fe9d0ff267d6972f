"""The notebook helper: the draft shown as text with a Copy button, in JupyterLab too."""

from __future__ import annotations

import html as htmllib
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.comms.conftest import PAYMENT, POLICY
from tests.test_forms import BROWSER_ARGS, CHROMIUM, _free_port, _lab_settings, _wait_for
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
    port, log = _free_port(), tmp_path / "jupyterlab.log"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
    }
    cmd = [
        sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser", "--ip", "127.0.0.1",
        "--port", str(port), "--IdentityProvider.token=", "--ServerApp.password=",
        "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={_lab_settings(tmp_path)}", f"--LabApp.workspaces_dir={tmp_path / 'lab-ws'}",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    try:

        def up() -> bool:
            if server.poll() is not None:
                raise AssertionError("JupyterLab exited:\n" + log.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        _wait_for(up, timeout=60, what="JupyterLab to answer", log=log)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
            try:
                context = browser.new_context()
                context.grant_permissions(
                    ["clipboard-read", "clipboard-write"], origin=f"http://127.0.0.1:{port}"
                )
                page = context.new_page()
                page.set_default_timeout(60_000)
                page.goto(f"http://127.0.0.1:{port}/lab/tree/drafts.ipynb")
                page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')")
                page.wait_for_function(
                    "() => { const w = window.jupyterapp.shell.currentWidget;"
                    " return w && w.sessionContext && w.sessionContext.session"
                    " && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'; }"
                )
                page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
                button = page.locator(".toolkit-draft button.toolkit-draft-copy")
                button.wait_for(state="visible")
                assert page.locator(".toolkit-draft pre").inner_text().startswith("📋 UPDATE #3 - 10:30 AM")
                button.click()
                page.locator(".toolkit-draft button", has_text="Copied").wait_for()
                assert page.evaluate("() => navigator.clipboard.readText()") == expected
            finally:
                browser.close()
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
