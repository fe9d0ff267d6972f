from datetime import timedelta

import pytest

from toolkit.errors import PolicyError
from toolkit.policy import DEFAULT_POLICY_PATH, Policy, determine_severity, explain_severity
from toolkit.schema import Severity


def test_seed_example_is_sev2():
    # The seed's own example: 15 % users, no revenue impact, 60 % slower.
    sev = determine_severity(
        revenue_impacted=False,
        percent_users_affected=15,
        core_functionality_down=False,
        performance_degradation=60,
    )
    assert sev is Severity.SEV2


# Every branch of the seed's decision tree, in order, plus the boundaries.
BRANCHES = [
    ({"revenue_impacted": True}, Severity.SEV1, "revenue impacted"),
    ({"data_breach": True}, Severity.SEV1, "data breach"),
    ({"percent_users_affected": 25}, Severity.SEV1, "users affected 25% >= 25%"),
    ({"percent_users_affected": 24.9}, Severity.SEV2, "users affected 24.9% >= 10%"),
    ({"core_functionality_down": True}, Severity.SEV1, "core functionality down with no workaround"),
    (
        {"core_functionality_down": True, "workaround_exists": True},
        Severity.SEV4,
        "cosmetic: no rule above applies",
    ),
    ({"percent_users_affected": 10}, Severity.SEV2, "users affected 10% >= 10%"),
    ({"performance_degradation": 50}, Severity.SEV2, "performance degraded 50% >= 50%"),
    ({"performance_degradation": 49}, Severity.SEV4, "cosmetic: no rule above applies"),
    ({"critical_customer_affected": True}, Severity.SEV2, "critical customer affected"),
    ({"percent_users_affected": 1}, Severity.SEV3, "users affected 1% >= 1%"),
    ({"percent_users_affected": 0.5}, Severity.SEV4, "cosmetic: no rule above applies"),
    ({"non_critical_feature_broken": True}, Severity.SEV3, "non-critical feature broken"),
    ({"percent_users_affected": 0}, Severity.SEV4, "cosmetic: no rule above applies"),
    # order matters: critical factors win over major ones
    ({"percent_users_affected": 12, "revenue_impacted": True}, Severity.SEV1, "revenue impacted"),
    (
        {"performance_degradation": 80, "non_critical_feature_broken": True},
        Severity.SEV2,
        "performance degraded 80% >= 50%",
    ),
]


@pytest.mark.parametrize(
    ("inputs", "expected", "reason"), BRANCHES, ids=[str(i) for i in range(len(BRANCHES))]
)
def test_decision_tree_branches(inputs, expected, reason):
    assert explain_severity(**inputs) == (expected, reason)
    assert determine_severity(**inputs) is expected


def test_default_policy_has_the_seed_values():
    p = Policy.default()
    s = p.severities
    assert s[Severity.SEV1].response_time == timedelta(0)
    assert s[Severity.SEV2].response_time == timedelta(minutes=30)
    assert s[Severity.SEV3].response_time == timedelta(hours=2)
    assert s[Severity.SEV4].response_time is None  # best effort
    assert (s[Severity.SEV1].update_min_minutes, s[Severity.SEV1].update_max_minutes) == (15, 30)
    assert (s[Severity.SEV2].update_min_minutes, s[Severity.SEV2].update_max_minutes) == (30, 60)
    assert (s[Severity.SEV3].update_max_minutes, s[Severity.SEV3].update_on_resolution) == (60, True)
    assert (s[Severity.SEV4].max_update_gap, s[Severity.SEV4].stakeholder_updates) == (None, False)
    assert p.postmortem_due == timedelta(hours=48)
    assert p.review_days == 30
    assert p.mitigation_stable_minutes == 15
    assert p.slack.incident_channel_pattern == "^(incident|inc)[-_]"
    assert DEFAULT_POLICY_PATH.name == "policy.toml"


def test_team_override_changes_only_what_it_says(tmp_path):
    f = tmp_path / "team.toml"
    f.write_text(
        "[severity.SEV2]\nupdate_max_minutes = 45\n\n[decision]\nsev1_percent_users = 20\n[review]\ndays = 14\n"
    )
    p = Policy.load(f)
    assert p.severities[Severity.SEV2].update_max_minutes == 45
    assert p.severities[Severity.SEV2].update_min_minutes == 30  # kept from the default
    assert p.review_days == 14
    assert p.source == str(f)
    # the override changes the tree's threshold
    assert determine_severity(percent_users_affected=22, policy=p) is Severity.SEV1
    assert determine_severity(percent_users_affected=22) is Severity.SEV2


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[severity.SEV1]\nupdate_max_minutes = -5\n",
            "key 'severity.SEV1.update_max_minutes': must be >= 0, got -5",
        ),
        (
            "[severity.SEV1]\nupdate_max_minutes = '15'\n",
            "key 'severity.SEV1.update_max_minutes': expected a whole number of minutes, got '15'",
        ),
        (
            "[severity.SEV1]\nupdate_min_minutes = 40\n",
            "key 'severity.SEV1.update_min_minutes': 40 is above update_max_minutes 30",
        ),
        (
            "[severity.SEV5]\nresponse_minutes = 1\n",
            "key 'severity.SEV5': unknown key; expected one of SEV1, SEV2, SEV3, SEV4",
        ),
        ("[severity.SEV1]\ncadence = 5\n", "key 'severity.SEV1.cadence': unknown key"),
        (
            "[decision]\nsev2_percent_users = 150\n",
            "key 'decision.sev2_percent_users': must be between 0 and 100, got 150",
        ),
        (
            "[decision]\nsev3_percent_users = 30\n",
            "key 'decision': user thresholds must satisfy sev1 >= sev2 >= sev3",
        ),
        (
            "[severity.SEV3]\nresponse_minutes = 10\n",
            "key 'severity.*.response_minutes': must not shrink as severity drops",
        ),
        ("[escalation]\nx = 1\n", "key 'escalation': unknown table"),
        (
            "[slack]\nincident_channel_pattern = '(['\n",
            "key 'slack.incident_channel_pattern': not a valid regular expression",
        ),
        (
            "[postmortem]\ndue_hours = true\n",
            "key 'postmortem.due_hours': expected a whole number of hours, got True",
        ),
        ("[review\n", "not valid TOML"),
        ('[time_zones]\nXST = "Mars/Olympus"\n', "key 'time_zones.XST': unknown time zone 'Mars/Olympus'"),
        ("[time_zones]\nXST = 8\n", "key 'time_zones.XST': unknown time zone 8"),
        ('[time_zones]\n"X T" = "UTC"\n', "key 'time_zones.X T': a label is one word"),
        ("time_zones = 3\n", "key 'time_zones': expected a table"),
        (
            '[slack.time_zones]\nPST = "America/Los_Angeles"\n',
            "key 'slack.time_zones': moved to the top-level [time_zones] table",
        ),
        ('[team]\ntime_zone = "Mars/Olympus"\n', "key 'team.time_zone': unknown time zone 'Mars/Olympus'"),
        ('[team]\nzone = "UTC"\n', "key 'team.zone': unknown key; expected one of time_zone"),
        (
            '[people]\n"Alice Chen" = "alice"\n',
            "key 'people.Alice Chen': expected a list of strings, got 'alice'",
        ),
        (
            '[services]\nauth = ["sso"]\nlogin = ["SSO"]\n',
            "key 'services.login': 'SSO' is also listed under 'auth'; keep it under one",
        ),
        (
            "[compliance]\npromise_grace_minutes = -1\n",
            "key 'compliance.promise_grace_minutes': must be >= 0, got -1",
        ),
    ],
    ids=[
        "negative",
        "string-number",
        "min-above-max",
        "unknown-severity",
        "unknown-key",
        "percent-range",
        "threshold-order",
        "response-order",
        "unknown-table",
        "bad-regex",
        "bool-not-int",
        "bad-toml",
        "bad-zone",
        "zone-not-string",
        "label-with-space",
        "zones-not-table",
        "slack-zones-moved",
        "team-zone",
        "team-key",
        "people-not-a-list",
        "service-twice",
        "grace-negative",
    ],
)
def test_bad_overrides_name_file_and_key(tmp_path, toml, message):
    f = tmp_path / "team.toml"
    f.write_text(toml)
    with pytest.raises(PolicyError) as info:
        Policy.load(f)
    assert str(info.value).startswith(f"{f}: {message}")


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError) as info:
        Policy.load(tmp_path / "team-policy.toml")
    assert str(info.value) == f"{tmp_path / 'team-policy.toml'}: no such file"


def test_time_zones_table_default_and_team_override(tmp_path):
    zones = Policy.default().time_zones
    assert (zones["PST"], zones["PDT"], zones["PT"], zones["CET"], zones["IST"]) == (
        "America/Los_Angeles",
        "America/Los_Angeles",
        "America/Los_Angeles",
        "Europe/Berlin",
        "Asia/Kolkata",
    )
    f = tmp_path / "team.toml"
    f.write_text('[time_zones]\npst = "UTC-8"\nNPT = "UTC+05:45"\nSAST = "Africa/Johannesburg"\n')
    p = Policy.load(f)
    assert (p.time_zones["PST"], p.time_zones["NPT"], p.time_zones["SAST"]) == (
        "UTC-08:00",
        "UTC+05:45",
        "Africa/Johannesburg",
    )
    assert p.time_zones["CET"] == "Europe/Berlin"  # kept from the default
    # the Slack importer's view of the same table: the names polars knows
    from toolkit.importers.slack.rules import SlackPolicy

    slack = SlackPolicy.from_policy(p).time_zones
    assert (slack["PST"], slack["SAST"], "NPT" in slack) == ("Etc/GMT+8", "Africa/Johannesburg", False)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({}, "no impact given: pass at least one of revenue_impacted, data_breach, "),
        (
            {"percent_users_affected": -5},
            "percent_users_affected: expected a number from 0 to 100 (a percentage), got -5",
        ),
        (
            {"percent_users_affected": 150},
            "percent_users_affected: expected a number from 0 to 100 (a percentage), got 150",
        ),
        (
            {"percent_users_affected": "abc"},
            "percent_users_affected: expected a number from 0 to 100 (a percentage), got 'abc' (str)",
        ),
        (
            {"performance_degradation": float("nan")},
            "performance_degradation: expected a number from 0 to 100",
        ),
        ({"revenue_impacted": "yes"}, "revenue_impacted: expected true or false, got 'yes' (str)"),
        ({"percent_users_affected": True}, "percent_users_affected: expected a number from 0 to 100"),
    ],
    ids=["no-impact", "negative", "above-100", "text", "nan", "flag-text", "bool-percent"],
)
def test_decision_tree_inputs_are_validated(inputs, message):
    from toolkit.errors import ArgumentError

    with pytest.raises(ArgumentError) as info:
        determine_severity(**inputs)
    assert str(info.value).startswith(message)


def test_the_team_and_its_names(tmp_path):
    default = Policy.default()
    assert (default.team.time_zone, default.promise_grace_minutes, default.immediate_response_minutes) == (
        "America/Los_Angeles",
        5,
        5,
    )
    assert default.team.services["auth"][:2] == ("sso", "login")
    f = tmp_path / "team.toml"
    f.write_text(
        '[team]\ntime_zone = "Europe/Berlin"\n[services]\nbilling = ["invoices"]\n[compliance]\npromise_grace_minutes = 2\n'
    )
    mine = Policy.load(f)
    assert mine.team.time_zone == "Europe/Berlin"
    assert dict(mine.team.services) == {"billing": ("invoices",)}  # the team's table replaces the sample's
    assert mine.promise_grace_minutes == 2
