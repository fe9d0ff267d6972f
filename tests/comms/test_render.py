"""Templates, formats, a team's own templates, hostile text, and what customer drafts leave out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.comms.conftest import FIXTURES, PAYMENT
from toolkit.comms import EXTERNAL, KINDS, draft
from toolkit.errors import ArgumentError
from toolkit.policy import Policy
from toolkit.workspace import Workspace

EVIL = "INC-2025-03-10-evil"
WJ = "\u2060"


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A war room whose messages try every Slack, Markdown and HTML trick (tests/fixtures/comms/evil-slack)."""
    ws = Workspace(tmp_path_factory.mktemp("evil"))
    ws.ingest(FIXTURES / "evil-slack")
    return ws


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("at", ["2025-03-10 10:30 PDT", None])
def test_slack_format_passes_no_mention_or_link(evil: Workspace, kind: str, at: str | None) -> None:
    out = draft(kind, EVIL, workspace=evil, at=at, format="slack")
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U999>", "<@U01EVE>", "<https://evil", "<script"):
        assert raw not in out
    for word in ("@everyone", "@here", "@channel"):
        assert word not in out
    if kind in ("declare", "update", "escalate"):
        assert "&lt;!channel&gt;" in out


@pytest.mark.parametrize("kind", list(KINDS))
def test_markdown_format_renders_no_link_image_or_html(evil: Workspace, kind: str) -> None:
    out = draft(kind, EVIL, workspace=evil, at="2025-03-10 10:45 PDT", format="markdown")
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert not re.search(r"<(?!/?(?:p|br|ul|ol|li|strong|h2|table|thead|tbody|tr|th|td)\b)[a-z]", html)
    assert "evil.example" not in re.findall(r'href="([^"]*)"', html)
    assert "&lt;script&gt;" in html or kind not in ("resolve", "exec")


def test_markdown_keeps_the_lines_of_a_message() -> None:
    ws_lines = (
        Path(__file__).parent.joinpath("snapshots", "declare-1005.markdown.txt").read_text(encoding="utf-8")
    )
    html = MarkdownIt("commonmark").render(ws_lines)
    assert html.count("<br />") == 7
    assert html.count("<li>") == 4
    assert "<strong>System:</strong> Payment Processing (payment-service)<br />" in html


def test_text_format_drops_the_bold_markers(plain_ws: Workspace) -> None:
    out = draft("declare", PAYMENT, workspace=plain_ws, at="2025-01-15 10:05 PST", format="text")
    assert "**" not in out
    assert out.splitlines()[1] == "System: Payment Processing (payment-service)"


def _staff(ws: Workspace) -> list[str]:
    tl = ws.timeline()
    names = {
        n
        for r in tl.people.iter_rows(named=True)
        for c in ("display_names", "emails", "aliases")
        for n in r[c]
    }
    names |= set(tl.people["name"].to_list()) | set(tl.roles["person"].to_list())
    return sorted(n for n in names if n and len(n) >= 3)


@pytest.mark.parametrize("kind", sorted(EXTERNAL))
def test_external_drafts_name_no_staff_and_show_no_internal_event(ws: Workspace, kind: str) -> None:
    tl = ws.timeline()
    assert {"Alice Chen", "alice", "Bob Martinez"} <= set(_staff(ws))
    staff = [re.compile(rf"(?<![\w]){re.escape(n)}(?![\w])", re.IGNORECASE) for n in _staff(ws)]
    checked = 0
    for row in tl.incidents.iter_rows(named=True):
        iid = row["incident_id"]
        start = row["started_at"] or row["detected_at"] or row["declared_at"]
        internal = [
            line.strip()
            for t in tl.events.filter(
                (tl.events["incident_id"] == iid) & (tl.events["visibility"] == "internal")
            )["text"].to_list()
            for line in (t or "").splitlines()
            if len(line.strip()) >= 15
        ]
        for at in (None, start.isoformat()):
            out = draft(kind, iid, workspace=ws, at=at)
            for rx in staff:
                assert not rx.search(out), f"{kind} {iid} at {at}: names {rx.pattern}\n{out}"
            assert set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", out)) <= {"support@acme.example"}
            for line in internal:
                assert line not in out, f"{kind} {iid} at {at}: shows internal {line!r}"
            checked += 1
    assert checked == 26


def test_a_public_post_naming_staff_is_redacted(evil: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "statuspage.j2").write_text("{{ f.root_cause }} | {{ f.title }}\n", encoding="utf-8")
    out = draft("statuspage", EVIL, workspace=evil, templates=folder)  # text format: plain, names out
    assert out == "<script>alert(1)</script> from our team |\n"


def test_a_team_folder_overrides_some_templates(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "update.j2").write_text(
        "UPDATE {{ f.update_number }} at {{ f.at | hmz }}: {{ f.phase }}; next {{ f.next_update_at | hm }}\n",
        encoding="utf-8",
    )
    assert draft("update", PAYMENT, workspace=ws, at="2025-01-15 10:30 PST", templates=tmp_path) == (
        "UPDATE 3 at 10:30 AM PST: Monitoring; next 10:45 AM\n"
    )
    shipped = draft("resolve", PAYMENT, workspace=ws)
    assert draft("resolve", PAYMENT, workspace=ws, templates=tmp_path) == shipped  # not overridden


def test_a_team_template_can_include_the_shipped_one(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "update.j2").write_text(
        '[{{ f.incident_id }}]\n{% include "builtin/update.j2" %}', encoding="utf-8"
    )
    shipped = draft("update", PAYMENT, workspace=ws, at="2025-01-15 10:30 PST")
    got = draft("update", PAYMENT, workspace=ws, at="2025-01-15 10:30 PST", templates=tmp_path)
    assert got == f"[{PAYMENT}]\n{shipped}"


def test_the_policy_names_a_templates_folder(sample_folder: Path, tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "exec.j2").write_text("Hi {{ audience }}: {{ f.title }}\n", encoding="utf-8")
    team = tmp_path / "team.toml"
    team.write_text('[comms]\ntemplates = "tpl"\n', encoding="utf-8")
    ws = Workspace(sample_folder, policy=Policy.load(team))
    assert draft("exec", PAYMENT, workspace=ws, audience="Dana") == "Hi Dana: Payment Service Outage\n"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param("{% if %}\n", r"update\.j2: line 1: Expected an expression", id="syntax"),
        pytest.param(
            "{{ f.nothing }}\n", r"template update\.j2: .*has no attribute 'nothing'", id="undefined"
        ),
        pytest.param(
            "{{ f.__class__.__mro__ }}\n",
            r"template update\.j2: access to attribute '__class__'",
            id="sandbox",
        ),
    ],
)
def test_a_bad_team_template_is_an_argument_error(
    ws: Workspace, tmp_path: Path, source: str, message: str
) -> None:
    (tmp_path / "update.j2").write_text(source, encoding="utf-8")
    with pytest.raises(ArgumentError, match=message):
        draft("update", PAYMENT, workspace=ws, templates=tmp_path)


def test_customer_times_are_in_the_customers_zone(sample_folder: Path, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text(
        '[comms]\ncustomer_time_zone = "EST"\nsupport_email = "help@acme.example"\n', encoding="utf-8"
    )
    ws = Workspace(sample_folder, policy=Policy.load(team))
    out = draft("customer", PAYMENT, workspace=ws)
    assert "We experienced a service disruption today (January 15) from 1:00 PM to 3:15 PM EST" in out
    assert "help@acme.example." in out
    assert "2h 15m (10:00 AM - 12:15 PM PST)" in draft("resolve", PAYMENT, workspace=ws)  # team times stay


def test_a_zone_label_from_the_policy(sample_folder: Path, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text('[comms]\nzone_label = "Pacific"\n', encoding="utf-8")
    ws = Workspace(sample_folder, policy=Policy.load(team))
    assert "**Started:** 10:00 AM Pacific" in draft(
        "declare", PAYMENT, workspace=ws, at="2025-01-15 10:05 PST"
    )


def test_audience_greets(write) -> None:  # type: ignore[no-untyped-def]
    assert write("exec", audience="Dana").splitlines()[1] == "Hi Dana,"
    assert write("customer", audience="Ms. Rivera").splitlines()[1] == "Dear Ms. Rivera,"
