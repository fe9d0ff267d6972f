"""Every HTML report opened in headless chromium with the network blocked: figures drawn, nothing fetched, nothing run."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.reports.conftest import INJECTED
from toolkit.reports.blocks import PLOTLY_MIME
from toolkit.reports.pdf import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
        yield b
        b.close()


def _open(browser: Any, html: Path) -> dict[str, Any]:
    """Open ``html`` with every other request aborted; what failed, alerted, errored and was drawn."""
    url = html.resolve().as_uri()
    seen: dict[str, Any] = {"failed": [], "dialogs": [], "errors": []}
    page = browser.new_page()
    try:

        def route(r: Any) -> None:
            if r.request.url == url:
                r.continue_()
            else:
                seen["failed"].append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("requestfailed", lambda r: seen["failed"].append(r.url))
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.goto(url, wait_until="load")
        page.wait_for_selector("body[data-tk-drawn]", state="attached", timeout=20_000)
        page.wait_for_timeout(200)  # an injected handler, if any, would have fired by now
        seen["drawn"] = page.evaluate(
            "() => Array.from(document.querySelectorAll('.tk-plotly.js-plotly-plot'))"
            ".filter((d) => d.querySelector('svg.main-svg')).length"
        )
        seen["main_svg"] = page.locator(".js-plotly-plot svg.main-svg").count()
        seen["text"] = page.inner_text("body")
        seen["align"] = page.evaluate(
            "() => [...new Set(Array.from(document.querySelectorAll('table.tk-table td'))"
            ".map((td) => (td.classList.contains('tk-num') ? 'num ' : 'text ') + getComputedStyle(td).textAlign))]"
        )
    finally:
        page.close()
    return seen


def _figures(ipynb: Path) -> int:
    nb = nbformat.read(ipynb, as_version=4)
    return sum(PLOTLY_MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def test_every_sample_report_draws_every_figure_offline(browser, sample_reports):
    for r in sample_reports:
        seen = _open(browser, r.paths["html"])
        figures = _figures(r.paths["ipynb"])
        assert (r.key, seen["drawn"], seen["failed"], seen["dialogs"], seen["errors"]) == (
            r.key,
            figures,
            [],
            [],
            [],
        )
        assert seen["main_svg"] >= figures >= 1  # plotly draws 2 or 3 svg.main-svg layers per figure
        assert "text left" in seen["align"], r.key  # text cells left, not JupyterLab's right
        assert set(seen["align"]) <= {"text left", "num right"}, r.key


@pytest.mark.parametrize("key", list(INJECTED))
def test_injected_script_shows_as_text_and_never_runs(browser, injection_reports, key):
    (r,) = [r for r in injection_reports if r.key == key]
    seen = _open(browser, r.paths["html"])
    assert seen["dialogs"] == []
    assert seen["failed"] == []
    assert seen["errors"] == []
    assert (
        f"{INJECTED[key]}<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))"
        in seen["text"]
    )


def test_the_policy_stops_scripts_that_escaping_would_have_let_through(browser, injection_reports, tmp_path):
    """Defence in depth: raw markup pasted into a report (as if escaping had failed) is blocked."""
    (r,) = [r for r in injection_reports if r.key == "INC-2025-02-19-auth"]
    html = r.paths["html"].read_text(encoding="utf-8")
    evil = '<script>alert("inline")</script><img src=x onerror=alert("onerror")><a id=js href="javascript:alert(2)">x</a>'
    tampered = tmp_path / "tampered.html"
    tampered.write_text(html.replace("<!--tk-scripts-->", evil + "<!--tk-scripts-->", 1), encoding="utf-8")
    seen = _open(browser, tampered)
    assert seen["dialogs"] == []
    assert seen["drawn"] == _figures(r.paths["ipynb"])  # our own, nonce-carrying scripts still ran
    assert [u for u in seen["failed"] if not u.endswith("/x")] == []  # only the img's src, aborted
