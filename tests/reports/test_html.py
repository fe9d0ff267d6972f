"""Content of the rendered HTML reports (sample and injection)."""

import re

import nbformat
import pytest

from tests.reports.conftest import INJECTED
from toolkit.reports.blocks import PLOTLY_MIME


def _html(done, key):
    (r,) = [r for r in done if r.key == key]
    assert r.ok, r.error
    return r, r.paths["html"].read_text(encoding="utf-8")


def _nonce(html):
    return re.search(r"script-src 'nonce-([^']+)'", html).group(1)


def test_every_sample_report_rendered(sample_reports):
    assert [str(r.error) for r in sample_reports if not r.ok] == []
    assert len(sample_reports) == 14  # the 13 linked incidents and one review
    assert {r.kind for r in sample_reports} == {"postmortem", "review"}


def test_postmortem_content(sample_reports):
    r, html = _html(sample_reports, "INC-2025-01-15-payment")
    assert r.paths["html"].name == "postmortem-INC-2025-01-15-payment.html"
    assert "<title>Post-mortem INC-2025-01-15-payment</title>" in html
    assert '<h1 id="payment-service-outage-inc-2025-01-15-payment">' in html
    assert "<dt>Severity</dt><dd>SEV1 (declared SEV1; decision tree SEV1: revenue impacted)</dd>" in html
    assert "<dt>Duration</dt><dd>2h 15m</dd>" in html
    assert "<dt>Commander</dt><dd>Alice Chen</dd>" in html
    assert (
        "<dt>Sources</dt><dd>slack (INC-2025-01-15-payment); pagerduty (PD-PZ4F9WB); "
        "statuspage (SP-acm3st4tus01-p7m2x9k4q1zt); postmortem (INC-2025-01-15-payment-service-outage)</dd>"
    ) in html
    assert (
        "<td>2025-01-15 18:12</td><td>postmortem</td><td>update</td><td>Bob Martinez</td>"
        "<td>TL identified: DB connection pool at 100%</td>"
    ) in html
    assert "<td>2025-01-15 18:02</td><td>pagerduty</td><td>acknowledge</td><td>Bob Martinez</td>" in html
    assert "<td>2025-01-15 18:15</td><td>statuspage</td><td>status_update</td><td></td>" in html
    assert "<td>Error rate back to &lt;1% (normal)</td>" in html
    assert "<td>Time to resolve</td><td>2h 15m</td>" in html
    assert (
        '<td>war room (internal)</td><td>30 min</td><td class="tk-num">5</td><td>6 of 6</td><td>100%</td>'
        in html
    )
    assert (
        "<td>P0</td><td>Fix connection leak in payment-service (ensure finally block)</td><td>Team Alpha</td><td>2025-01-17</td><td>done</td>"
        in html
    )
    assert "<dt>30-day review due</dt><dd>2025-02-14</dd>" in html
    assert '<p class="tk-text">Payment service was unavailable for 2h 15m, affecting 15% of users' in html
    assert "<li><strong>Fast detection:</strong> Alert fired within 5 min of impact</li>" in html
    assert '<h2 id="Definitions">' in html or 'id="Definitions"' in html
    assert r.figures == 3  # the timeline, the update cadence, the 5 Whys


def test_review_content(sample_reports):
    r, html = _html(sample_reports, "2025-02-19")
    assert r.paths["html"].name == "review-2025-02-19.html"
    assert (
        '<h1 id="30-day-review-2025-01-21-to-2025-02-19">30-day review, 2025-01-21 to 2025-02-19</h1>' in html
    )
    assert "<dt>Incidents</dt><dd>10</dd>" in html
    assert "<dt>By severity</dt><dd>SEV1: 2, SEV2: 4, SEV3: 3, SEV4: 1</dd>" in html
    assert "<dt>Open</dt><dd>1</dd>" in html
    assert "<td>INC-2025-02-19-sso</td>" in html
    assert "<td>open (1h 55m so far)</td>" in html
    assert (
        '<td>time_to_resolve</td><td>all</td><td class="tk-num">9</td><td class="tk-num">1</td><td>2h 15m [1h 30m – 2h 25m]</td>'
        in html
    )
    assert "<td>median time_to_resolve</td><td>2h 15m (n=9)</td><td>1h 38m (n=3)</td><td>+37m</td>" in html
    assert "<dt>Completion</dt><dd>50% (7 of 14)</dd>" in html
    assert '<h2 id="Definitions">Definitions' in html
    assert r.figures == 4  # incidents per day, Kaplan–Meier, action-item burndown and aging


@pytest.mark.parametrize("key", ["INC-2025-01-15-payment", "INC-2025-01-09-notifications", "2025-02-19"])
def test_self_contained_offline_html(sample_reports, key):
    r, html = _html(sample_reports, key)
    nb = nbformat.read(r.paths["ipynb"], as_version=4)
    figures = sum(PLOTLY_MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert figures == r.figures
    assert figures >= 1
    # no file, script, style or font is fetched: no src/href to anything but this file and data:
    page, scripts_part = html.split("<!--tk-scripts-->")
    assert re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?!data:|#)[^"]*"', page) == []
    assert "require.js" not in page
    assert "MathJax" not in page
    assert "cdn." not in page
    assert "mermaid" not in page
    assert re.findall(r"<script[^>]*>", scripts_part) == [f'<script nonce="{_nonce(html)}">'] * 3
    assert html.count("plotly.js v") == 1  # plotly.js inlined once
    ids = re.findall(r'<div class="tk-plotly" id="([^"]+)"', html)
    assert len(ids) == figures == len(set(ids))
    # no code: no editor, no highlighted source, no prompts
    assert (
        re.findall(r'class="[^"]*\b(jp-InputArea-editor|jp-InputPrompt|jp-OutputPrompt|highlight)\b', page)
        == []
    )
    assert "PostmortemReport" not in page
    assert "ReviewReport" not in page
    nonce = _nonce(html)
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all(f'nonce="{nonce}"' in s or 'type="application/json"' in s for s in scripts)
    assert "default-src 'none'" in html
    assert "img-src data:" in html


def test_table_of_contents_links_every_heading(sample_reports):
    _, html = _html(sample_reports, "INC-2025-01-15-payment")
    toc = re.search(r'<nav class="tk-toc".*?</nav>', html).group(0)
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert anchors[:3] == ["At-a-glance", "Executive-summary", "Impact"]
    for anchor in anchors:
        assert html.count(f'id="{anchor}"') == 1


def test_each_report_gets_its_own_nonce(sample_reports):
    nonces = {re.search(r"'nonce-([^']+)'", r.paths["html"].read_text()).group(1) for r in sample_reports[:3]}
    assert len(nonces) == 3


@pytest.mark.parametrize("key", list(INJECTED))
def test_injected_text_is_escaped_in_html(injection_reports, key):
    _, html = _html(injection_reports, key)
    before = html.split("<!--tk-scripts-->")[0]
    prefix = INJECTED[key]
    assert (
        f"{prefix}&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; [click](javascript:alert(1))"
        in before
    )
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert 'href="javascript' not in html
