import toolkit


def test_all_matches_public_names():
    public = {n for n in dir(toolkit) if not n.startswith("_")} | {"__version__"}
    assert set(toolkit.__all__) == public


def test_lazy_names_resolve():
    assert toolkit.Severity.SEV1 == "SEV1"
    assert toolkit.Workspace.__name__ == "Workspace"
    assert toolkit.determine_severity(percent_users_affected=30) == "SEV1"
