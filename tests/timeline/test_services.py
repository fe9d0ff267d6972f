"""One name per service, by the policy's [services] table."""

from __future__ import annotations

import polars as pl
import pytest

from toolkit.policy import Policy
from toolkit.timeline.services import canonical, service_keys, service_names

NAMES = service_names(Policy.default())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sso", "auth"),
        ("Login & SSO", "auth"),
        ("Payments API", "payment-service"),
        ("Search", "search"),
        ("billing", "billing"),
        ("", None),
    ],
    ids=["alias", "component", "component-2", "case", "unlisted", "empty"],
)
def test_canonical(name, expected):
    assert canonical(name, NAMES) == expected


def test_a_record_names_every_service_it_lists():
    df = pl.DataFrame({"s": ["Payment API, Checkout flow"], "c": [["Login & SSO"]]})
    assert df.select(k=service_keys(pl.col("s"), pl.col("c"), NAMES))["k"].to_list() == [
        ["payment-service", "checkout", "auth"]
    ]
