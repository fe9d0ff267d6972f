"""The policy's [comms] table: defaults, a team's values, and every bad value named by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import PolicyError
from toolkit.policy import Comms, Policy


def test_the_shipped_defaults_set_nothing_about_the_team() -> None:
    assert Policy.default().comms == Comms()
    assert Policy.default().comms.escalate_to == "VP Engineering + Principal Engineers"


def test_a_team_sets_its_values(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    f = tmp_path / "team.toml"
    f.write_text(
        "[comms]\n"
        'customer_time_zone = "CET"\n'
        'zone_label = "PT"\n'
        'company = "Acme"\n'
        'support_email = "help@acme.example"\n'
        'status_page_url = "https://status.acme.example"\n'
        'templates = "tpl"\n',
        encoding="utf-8",
    )
    comms = Policy.load(f).comms
    assert (comms.customer_time_zone, comms.zone_label, comms.company) == ("Europe/Berlin", "PT", "Acme")
    assert comms.templates == (tmp_path / "tpl").resolve()
    assert comms.support_email == "help@acme.example"
    assert comms.support_phone == ""


@pytest.mark.parametrize(
    ("line", "key", "message"),
    [
        pytest.param(
            'support_email = "support"',
            "comms.support_email",
            "expected an e-mail address, got 'support'",
            id="email",
        ),
        pytest.param(
            'status_page_url = "status.acme"',
            "comms.status_page_url",
            "expected an http(s):// address",
            id="url",
        ),
        pytest.param(
            'bridge_url = "zoom"', "comms.bridge_url", "expected an http(s):// address", id="bridge"
        ),
        pytest.param(
            'customer_time_zone = "Mars/Base"',
            "comms.customer_time_zone",
            "unknown time zone 'Mars/Base'",
            id="zone",
        ),
        pytest.param(
            'customer_time_zone = "XYZ"', "comms.customer_time_zone", "unknown time zone 'XYZ'", id="label"
        ),
        pytest.param('templates = "missing"', "comms.templates", "no folder", id="templates"),
        pytest.param("company = 3", "comms.company", "expected a string, got 3", id="type"),
        pytest.param(
            'colour = "red"', "comms.colour", "unknown key; expected one of bridge_url", id="unknown"
        ),
    ],
)
def test_bad_values_name_the_file_and_key(tmp_path: Path, line: str, key: str, message: str) -> None:
    f = tmp_path / "team.toml"
    f.write_text(f"[comms]\n{line}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        Policy.load(f)
    assert str(info.value).startswith(f"{f}: key '{key}': {message}")
