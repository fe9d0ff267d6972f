"""Content of the rendered Markdown reports and their figure files."""

import pytest
from markdown_it import MarkdownIt

from tests.reports.conftest import INJECTED
from toolkit.reports import images
from toolkit.reports.markdown import to_markdown


def _md(done, key):
    (r,) = [r for r in done if r.key == key]
    assert r.ok, r.error
    return r, r.paths["md"].read_text(encoding="utf-8")


def test_postmortem_markdown(sample_reports):
    r, md = _md(sample_reports, "INC-2025-01-15-payment")
    lines = md.splitlines()
    assert lines[0] == "# Payment Service Outage (INC-2025-01-15-payment)"
    assert "- **Severity:** SEV1 (declared SEV1; decision tree SEV1: revenue impacted)" in lines
    assert "- **Duration:** 2h 15m" in lines
    assert "| 2025-01-15 18:45 | postmortem | update |  | Error rate back to \\<1% (normal) |" in lines
    assert (
        "| 2025-01-15 18:02 | pagerduty | acknowledge | Bob Martinez | Acknowledged by Bob Martinez. |"
        in lines
    )
    assert (
        "| P0 | Fix connection leak in payment-service (ensure finally block) | Team Alpha | 2025-01-17 | done |"
        in lines
    )
    stem = "postmortem-INC-2025-01-15-payment"
    images_md = [ln for ln in lines if ln.startswith("![")]
    assert images_md == [
        f"![timeline of INC-2025-01-15-payment](<{stem}_files/fig-14-0.png>)",
        f"![update cadence of INC-2025-01-15-payment](<{stem}_files/fig-18-0.png>)",
        f"![5 Whys](<{stem}_files/fig-29-0.png>)",
    ]
    for name in ("fig-14-0.png", "fig-18-0.png", "fig-29-0.png"):
        assert (r.paths["md"].parent / f"{stem}_files" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<div" not in md
    assert "<table" not in md
    assert "```" not in md


def test_review_markdown(sample_reports):
    _, md = _md(sample_reports, "2025-02-19")
    assert md.startswith("# 30-day review, 2025-01-21 to 2025-02-19\n")
    assert "- **Incidents:** 10" in md.splitlines()
    assert "- **Open:** 1" in md.splitlines()


@pytest.mark.parametrize("key", list(INJECTED))
def test_injected_text_stays_text_in_markdown(injection_reports, key):
    _, md = _md(injection_reports, key)
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert (
        f"{INJECTED[key]}&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; [click](javascript:alert(1))"
        in html
    )
    assert "<script" not in html
    assert '<img src="x"' not in html
    assert 'javascript:alert(1)"' not in html


def test_figures_are_left_out_with_a_note_without_chromium(injection_reports, monkeypatch):
    import nbformat

    (r,) = [r for r in injection_reports if r.key == "INC-2025-01-15-payment-api-checkout-flow"]
    nb = nbformat.read(r.paths["ipynb"], as_version=4)
    monkeypatch.setattr(
        images, "unavailable", lambda: "no chromium found (install Debian's: apt-get install chromium)"
    )
    md, files, figures = to_markdown(nb, name="x")
    assert files == {}
    assert figures == 3  # the timeline, the update cadence, the 5 Whys
    assert (
        "_Figure left out (timeline of INC-2025-01-15-payment-api-checkout-flow): no chromium found "
        "(install Debian's: apt-get install chromium)._"
    ) in md.splitlines()


def test_a_failing_static_image_leaves_a_note_not_a_failed_report(injection_reports, monkeypatch):
    import nbformat

    (r,) = [r for r in injection_reports if r.key == "INC-2025-03-04-db"]
    nb = nbformat.read(r.paths["ipynb"], as_version=4)

    def broken(spec):
        raise RuntimeError("kaleido died")

    monkeypatch.setattr(images, "png", broken)
    md, files, figures = to_markdown(nb, name="x")
    assert files == {}
    assert figures == 2  # the timeline and the update cadence
    assert (
        "_Figure left out (timeline of INC-2025-03-04-db): the static image could not be made (RuntimeError)._"
        in md.splitlines()
    )
