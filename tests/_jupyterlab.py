"""A real JupyterLab for end-to-end tests, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import orjson

T = TypeVar("T")

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], T], *, timeout: float, what: str, log: Path | None = None) -> T:
    """``check()``'s first truthy value, polled until ``timeout`` (then fail with the log's tail)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{tail}")


def _lab_settings(root: Path) -> Path:
    settings = root / "user-settings"
    quiet = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    }
    for rel, value in quiet.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(orjson.dumps(value))
    return settings


@contextmanager
def jupyterlab(
    root: Path, tmp_path: Path, *, env: Mapping[str, str] | None = None
) -> Iterator[tuple[int, Path]]:
    """A JupyterLab serving ``root`` (no token, no news, no autosave) until the block ends:
    its port and its log file."""
    port, log = free_port(), tmp_path / "jupyterlab.log"
    full_env = {
        **os.environ,
        **(env or {}),
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
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=full_env, cwd=root)
    try:

        def up() -> bool:
            if server.poll() is not None:
                raise AssertionError(
                    "JupyterLab exited before answering:\n" + log.read_text(errors="replace")[-3000:]
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2) as r:
                    return bool(r.status == 200)
            except OSError:
                return False

        wait_for(up, timeout=60, what="JupyterLab to answer", log=log)
        yield port, log
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def run_notebook(page: Any, port: int, name: str) -> None:
    """Open notebook ``name`` in ``page``, wait for its kernel to be idle, run every cell."""
    page.set_default_timeout(60_000)
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{name}")
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')")
    page.wait_for_function(  # the kernel is up before cells are run
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'; }"
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
