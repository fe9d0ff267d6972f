"""HTML report -> PDF through Debian's chromium, driven by Playwright, with the network blocked.

The browser is Debian's ``/usr/bin/chromium`` (never a Playwright download), started
once per process and closed at exit. It lives in a thread of its own, so that printing
works from any caller, one running an asyncio loop too (a notebook, nbclient, a test). Every request other than the report file itself
is aborted, so printing cannot fetch anything. The page waits until every figure is
drawn (the report's script marks ``body[data-tk-drawn]``), sets the figures to a fixed
width that fits A4, waits ``RENDER_WAIT_MS`` for the last redraw, then prints.
"""

from __future__ import annotations

import atexit
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from toolkit.reports.images import chromium_path

__all__ = ["CHROMIUM_ARGS", "RENDER_WAIT_MS", "PdfError", "html_to_pdf"]

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)
"""How chromium is started (no sandbox as root; nothing that phones home)."""

RENDER_WAIT_MS = 1000
"""Wait after the figures are drawn and resized, before printing (shorter cut plots off)."""

PRINT_WIDTH_PX = 680
"""Figure width in the PDF: A4 less half-inch margins, at 96 px per inch."""

_lock = threading.Lock()
_state: dict[str, Any] = {}
_jobs: queue.Queue[tuple[Callable[[], Any], Future[Any]]] = queue.Queue()


def _serve() -> None:
    while True:
        fn, future = _jobs.get()
        try:
            future.set_result(fn())
        except BaseException as exc:
            future.set_exception(exc)


def _in_pdf_thread(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in the one thread that owns the browser (a daemon: it still runs at exit)."""
    with _lock:
        if "thread" not in _state:
            _state["thread"] = threading.Thread(target=_serve, name="toolkit-pdf", daemon=True)
            _state["thread"].start()
    future: Future[Any] = Future()
    _jobs.put((fn, future))
    return future.result()


class PdfError(RuntimeError):
    """A PDF could not be made (no chromium, no Playwright, or the page failed)."""


def _close_here() -> None:
    browser, driver = _state.pop("browser", None), _state.pop("driver", None)
    if browser is not None:
        browser.close()
    if driver is not None:
        driver.stop()


def _close() -> None:
    if "driver" in _state:
        _in_pdf_thread(_close_here)


def _browser() -> Any:
    """The browser, started on first use (call in the PDF thread only)."""
    if "browser" not in _state:
        path = chromium_path()
        if path is None:
            raise PdfError("no chromium found for PDF output; install Debian's: apt-get install chromium")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise PdfError("PDF output needs Playwright: pip install 'incident-toolkit[pdf]'") from None
        from multiprocessing import util

        driver = sync_playwright().start()
        _state["driver"] = driver
        _state["browser"] = driver.chromium.launch(executable_path=str(path), args=list(CHROMIUM_ARGS))
        atexit.register(_close)
        util.Finalize(None, _close, exitpriority=10)  # pool workers leave without atexit
    return _state["browser"]


def html_to_pdf(html: Path, pdf: Path, *, figures: int, timeout_ms: int = 30_000) -> list[str]:
    """Print the report ``html`` to ``pdf``; return the requests that were blocked (none expected).

    Parameters
    ----------
    html
        The self-contained HTML report.
    pdf
        Where to write the PDF.
    figures
        How many plotly figures the report draws (0: do not wait for any).
    timeout_ms
        How long to wait for the figures.
    """
    blocked: list[str] = _in_pdf_thread(lambda: _print(html, pdf, figures=figures, timeout_ms=timeout_ms))
    return blocked


def _print(html: Path, pdf: Path, *, figures: int, timeout_ms: int) -> list[str]:
    browser = _browser()
    url = html.resolve().as_uri()
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context = browser.new_context(viewport={"width": 794, "height": 1123}, java_script_enabled=True)
    try:
        page = context.new_page()
        page.route("**/*", route)
        page.goto(url, wait_until="load", timeout=timeout_ms)
        if figures:
            page.wait_for_selector("body[data-tk-drawn]", state="attached", timeout=timeout_ms)
            page.evaluate(
                """(width) => Promise.all(Array.from(document.querySelectorAll('.tk-plotly.js-plotly-plot'))
                     .map((div) => Plotly.relayout(div, {width: width})))""",
                PRINT_WIDTH_PX,
            )
            page.wait_for_timeout(RENDER_WAIT_MS)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(pdf),
            format="A4",
            print_background=True,
            margin={"top": "0.5in", "bottom": "0.5in", "left": "0.5in", "right": "0.5in"},
        )
    finally:
        context.close()
    return blocked


def html_to_png(
    html: Path, png: Path, *, width: int = 1100, height: int = 1400, timeout_ms: int = 30_000
) -> None:
    """A screenshot of the top of the report ``html`` (``width`` x ``height`` CSS pixels) as PNG.

    For the README: ``python3 tasks.py screenshot`` keeps it current.
    """
    _in_pdf_thread(lambda: _screenshot(html, png, width=width, height=height, timeout_ms=timeout_ms))


def _screenshot(html: Path, png: Path, *, width: int, height: int, timeout_ms: int) -> None:
    url = html.resolve().as_uri()
    context = _browser().new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        page.goto(url, wait_until="load", timeout=timeout_ms)
        if page.locator("script.tk-plotly-data").count():
            page.wait_for_selector("body[data-tk-drawn]", state="attached", timeout=timeout_ms)
            page.wait_for_timeout(RENDER_WAIT_MS)
        png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png), full_page=False)
    finally:
        context.close()
