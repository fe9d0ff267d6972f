"""PDF reports: the text is all there, injected markup as text, figures drawn."""

import io

import pytest
from pypdf import PdfReader

from tests.reports.conftest import INJECTED


def _text(r):
    reader = PdfReader(io.BytesIO(r.paths["pdf"].read_bytes()))
    return reader, " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _squeezed(text):
    """Without whitespace: table cells wrap long words onto new lines."""
    return "".join(text.split())


@pytest.mark.parametrize("key", list(INJECTED))
def test_pdf_holds_the_injected_text_as_text(injection_reports, key):
    (r,) = [r for r in injection_reports if r.key == key]
    assert r.ok, r.error
    _, text = _text(r)
    assert r.paths["pdf"].read_bytes()[:5] == b"%PDF-"
    assert key in text
    assert _squeezed(INJECTED[key] + "<script>alert(1)</script> <img src=x onerror=alert(1)>") in _squeezed(
        text
    )
    assert "[click](javascript:alert(1))" in _squeezed(text)
    assert "/JavaScript" not in r.paths["pdf"].read_bytes().decode("latin-1")


def test_pdf_has_the_figures_drawn(injection_reports):
    (r,) = [r for r in injection_reports if r.key == "INC-2025-01-15-payment-api-checkout-flow"]
    _, text = _text(r)
    # axis titles and legend entries are SVG text, printed as text: the figures were drawn
    assert "Timeline of INC-2025-01-15-payment-api-checkout-flow" in text
    assert "5 Whys — INC-2025-01-15-payment-api-checkout-flow" in text
    assert "time (UTC)" in text
    assert "event kind" in text
