"""Post-mortem Markdown documents of the sample, in the seed's template shape.

``2025-01-15-payment-service-outage.md`` is the seed document's post-mortem template
section byte for byte; the other two follow the same headings and tables.
"""

from __future__ import annotations

from pathlib import Path

from ._util import write_bytes

_HERE = Path(__file__).parent / "postmortems"
SEED_POSTMORTEM = "2025-01-15-payment-service-outage.md"
POSTMORTEMS = (
    SEED_POSTMORTEM,
    "2025-01-23-auth-login-failures.md",
    "2025-01-28-api-gateway-errors.md",
)


def postmortem_bytes(name: str) -> bytes:
    """The stored Markdown of one post-mortem (UTF-8 bytes, ``\\n`` line ends).

    Examples
    --------
    >>> postmortem_bytes(SEED_POSTMORTEM).splitlines()[0].decode()
    '# Incident Post-Mortem: Payment Service Outage'
    """
    return (_HERE / name).read_bytes()


def write_postmortems(out_dir: Path) -> list[Path]:
    """Copy every post-mortem into ``out_dir``; returns the paths written."""
    return [write_bytes(out_dir / name, postmortem_bytes(name)) for name in POSTMORTEMS]
