"""Post-mortems as teams write them: the public templates' shapes, front matter, checkboxes,
bullet timelines, Word and HTML exports — exact figures for each fixture document."""

from __future__ import annotations

import builtins
import shutil
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import toolkit
from toolkit import importers, schema
from toolkit.errors import InputFormatError
from toolkit.importers.postmortem import PostmortemDoc, load_postmortem, load_postmortems, parse_postmortem
from toolkit.importers.postmortem.doc import item_id
from toolkit.schema import Source

TEMPLATES = Path(__file__).parents[1] / "fixtures" / "postmortem_templates"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def load(name: str) -> PostmortemDoc:
    doc = load_postmortem(TEMPLATES / name)
    for table, df in doc.tables().items():
        schema.validate(table, df, extra=False)
    return doc


def milestones(doc: PostmortemDoc) -> dict[str, Any]:
    row = doc.incidents.row(0, named=True)
    keys = ("started_at", "detected_at", "declared_at", "acknowledged_at", "mitigated_at", "resolved_at")
    return {k: row[k] for k in keys}


# ---------------------------------------------------------------------------- SRE book


@pytest.fixture(scope="module")
def sre() -> PostmortemDoc:
    return load("sre-book-shakespeare.md")


def test_sre_book_fields_as_headed_sections(sre: PostmortemDoc) -> None:
    inc = sre.incident
    assert (sre.incident_id, sre.ref) == ("INC-465", "INC-465")  # "(incident #465)" in the title
    assert inc["title"] == "Shakespeare Sonnet++"
    assert inc["date"] == date(2015, 10, 21)  # "## Date" then a line
    assert inc["authors"] == ["jennifer", "martym", "agoogler"]
    assert inc["status"] == "Complete, action items in progress"
    assert (inc["timezone"], inc["tz"]) == ("UTC", "UTC")  # "2015-10-21 (all times UTC)"
    assert inc["summary"].startswith("Shakespeare Search down for 66 minutes")
    assert inc["root_cause"].startswith("Cascading failure due to combination of exceptionally high load")
    assert inc["narrative"]["Trigger"] == "Latent bug triggered by sudden increase in traffic."
    assert set(inc["narrative"]) == {"Trigger", "Resolution", "Detection", "Supporting information"}
    assert sre.rejected.height == 0
    assert sre.notes == ()


def test_sre_book_milestones_give_the_summary_duration(sre: PostmortemDoc) -> None:
    assert milestones(sre) == {
        "started_at": utc(2015, 10, 21, 14, 54),  # OUTAGE BEGINS
        "detected_at": utc(2015, 10, 21, 14, 55),  # pager storm
        "declared_at": utc(2015, 10, 21, 15, 1),  # INCIDENT BEGINS
        "acknowledged_at": None,
        "mitigated_at": utc(2015, 10, 21, 15, 36),  # OUTAGE MITIGATED
        "resolved_at": utc(2015, 10, 21, 16, 0),  # OUTAGE ENDS
    }
    assert sre.incident["duration"] == timedelta(minutes=66)  # "down for 66 minutes"
    assert sre.incident["closed_at"] == utc(2015, 10, 21, 16, 30)  # INCIDENT ENDS
    row = sre.incidents.row(0, named=True)
    assert (row["commander"], row["status"], row["revenue_impacted"]) == ("jennifer", "resolved", False)
    assert row["impact"] == "Estimated 1.21B queries lost, no revenue impact."


def test_sre_book_timeline(sre: PostmortemDoc) -> None:
    tl = sre.timeline
    assert tl.height == 34
    assert [f"{t:%H:%M}" for t in tl["at"]][:8] == [
        "14:51",
        "14:53",
        "14:54",
        "14:55",
        "14:57",
        "14:58",
        "15:01",
        "15:02",
    ]
    assert [f"{t:%H:%M}" for t in tl["at"]][-3:] == ["15:58", "16:00", "16:30"]
    assert tl["ref"][0] == "sre-book-shakespeare.md:76"
    marked = tl.filter(pl.col("text").str.contains(r"OUTAGE|INCIDENT (?:BEGINS|ENDS)")).select(
        "kind", "actor"
    )
    assert marked.rows() == [
        ("message", None),
        ("declare", "docbrown"),
        ("mitigation", None),
        ("resolve", None),
        ("resolve", None),
    ]
    assert tl.filter(pl.col("actor") == "docbrown").height == 9
    assert sre.roles.select("role", "person", "person_id", "assigned_at").rows() == [
        (
            "IC",
            "jennifer",
            "postmortem:jennifer",
            utc(2015, 10, 21, 15, 1),
        )  # "names jennifer incident commander"
    ]
    assert sre.people["person_id"].to_list() == [
        "postmortem:jennifer", "postmortem:martym", "postmortem:agoogler", "postmortem:docbrown", "postmortem:clarac"
    ]  # fmt: skip


def test_sre_book_action_items_with_markers_in_the_bug_column(sre: PostmortemDoc) -> None:
    items = sre.action_items.select("owner", "status", "kind", "link").rows()
    assert items == [
        ("jennifer", "done", "mitigate", None),
        ("martym", "pending", "prevent", "Bug 5554823"),
        ("docbrown", "pending", "process", None),
        ("jennifer", "pending", "prevent", "Bug 5554824"),
        ("agoogler", "done", "prevent", "Bug 5554825"),
        ("agoogler", "pending", "prevent", "Bug 5554826"),
        ("clarac", "pending", "prevent", "Bug 5554827"),
        ("jennifer", "done", "prevent", None),
        ("jennifer", "pending", "other", None),
    ]
    assert (
        sre.action_items["title"][0]
        == "Update playbook with instructions for responding to cascading failure"
    )
    assert (
        sre.action_items["item_id"][0]
        == item_id("INC-465", sre.action_items["title"][0])
        == "AI-c625dc87ccca"
    )
    assert set(sre.action_items["created_at"]) == {utc(2015, 10, 21)}


def test_sre_book_lessons_nested_under_lessons_learned(sre: PostmortemDoc) -> None:
    assert sre.went_well == [
        "Monitoring quickly alerted us to high rate (reaching ~100%) of HTTP 500s",
        "Rapidly distributed updated Shakespeare corpus to all clusters",
    ]
    assert len(sre.went_wrong) == 2
    assert sre.lucky == [
        "Mailing list of Shakespeare aficionados had a copy of new sonnet available",
        "Server logs had stack traces pointing to file descriptor exhaustion as cause for crash",
        "Query-of-death was resolved by pushing new index containing popular search term",
    ]
    assert sre.lessons == []
    assert sre.whys.height == 0  # root cause as prose: kept as the statement, no rejection
    sections = sre.sections.group_by("section", maintain_order=True).len().rows()
    assert sections == [
        ("summary", 1),
        ("impact", 1),
        ("root_cause", 1),
        ("went_well", 2),
        ("went_wrong", 2),
        ("lucky", 3),
    ]
    assert sre.sections.filter(pl.col("section") == "root_cause").select("text", "ref").row(0) == (
        "Cascading failure due to combination of exceptionally high load and a resource leak when searches failed "
        "due to terms not being in the Shakespeare corpus. The newly discovered sonnet used a word that had never "
        "before appeared in one of Shakespeare's works, which happened to be the term users searched for.\n"
        "Under normal circumstances, the rate of task failures due to resource leaks is low enough to be unnoticed.",
        "sre-book-shakespeare.md:31",
    )


# ---------------------------------------------------------------------------- PagerDuty


def test_pagerduty_template() -> None:
    doc = load("pagerduty-template.md")
    inc = doc.incident
    assert (doc.incident_id, inc["title"], inc["date"], inc["severity"]) == (
        "PD-2025-0218", "Delayed notifications for EU accounts", date(2025, 2, 18), "SEV2"
    )  # fmt: skip
    assert inc["tz"] == "UTC"  # "Time (UTC)" column
    assert milestones(doc) == {
        "started_at": utc(2025, 2, 18, 10, 6),
        "detected_at": utc(2025, 2, 18, 10, 6),
        "declared_at": utc(2025, 2, 18, 10, 12),
        "acknowledged_at": utc(2025, 2, 18, 10, 8),
        "mitigated_at": None,
        "resolved_at": utc(2025, 2, 18, 10, 48),
    }
    assert inc["duration"] == timedelta(minutes=42)
    assert doc.timeline.select("kind", "actor").rows() == [
        ("message", None), ("alert", None), ("acknowledge", None), ("declare", "Jane Doe"),
        ("status_update", None), ("update", "Priya Patel"), ("rollback", None), ("resolve", None),
    ]  # fmt: skip
    # the Impact table of metrics
    assert (inc["users_affected"], inc["percent_users_affected"], inc["support_tickets"]) == (1830, 6.0, 17)
    assert inc["impact"]["Time in SEV-2"] == "42 min"
    assert doc.incidents["computed_severity"][0] == "SEV3"
    # Responders, one line per role
    assert doc.roles.select("role", "person").rows() == [
        ("IC", "Jane Doe"), ("Scribe", "Sam Lee"), ("SME", "Priya Patel"), ("SME", "Tom Wu")
    ]  # fmt: skip
    assert doc.people.filter(pl.col("person_id") == "postmortem:sam lee")["display_names"][0].to_list() == [
        "Sam Lee", "sam.lee"
    ]  # fmt: skip
    assert doc.action_items.select("title", "owner", "status", "link").rows() == [
        (
            "Put a lower bound on the retry back-off setting",
            "Tom Wu",
            "done",
            "https://tickets.example/PD-4021",
        ),
        (
            "Alert on queue depth growth rate, not only on depth",
            "sam.lee",
            "pending",
            "https://tickets.example/PD-4022",
        ),
        (
            "Require review for router configuration pushes",
            "Jane Doe",
            "pending",
            "https://tickets.example/PD-4023",
        ),
    ]
    assert doc.went_well == [
        "The revert took two minutes once the cause was known.",
        "Customer support had a status page link within ten minutes.",
    ]
    assert doc.went_wrong == [
        "The queue alert fired eight minutes after the push, at 80% depth.",
        "Nobody reviewed the configuration change.",
    ]
    assert doc.sections.filter(pl.col("section") == "root_cause")["text"].to_list() == [
        "- The retry back-off is a plain configuration value with no lower bound.",
        "- Queue depth alerts fire only above 80% of capacity.",
    ]
    assert (doc.rejected.height, doc.notes) == (0, ())


# ---------------------------------------------------------------------------- Atlassian


def test_atlassian_template() -> None:
    doc = load("atlassian-template.md")
    inc = doc.incident
    assert (doc.incident_id, doc.ref, inc["title"], inc["date"]) == (
        "HOT-4271", "HOT-4271", "EU search results missing after index migration", date(2025, 3, 12)
    )  # fmt: skip
    assert (inc["authors"], inc["service"]) == (["Dana Whitfield"], "Confluence search, Jira quick search")
    assert milestones(doc) == {
        "started_at": utc(2025, 3, 12, 14, 9),  # "| Impact started | 14:09 UTC |"
        "detected_at": utc(2025, 3, 12, 14, 12),
        "declared_at": utc(2025, 3, 12, 14, 21),
        "acknowledged_at": None,
        "mitigated_at": None,
        "resolved_at": utc(2025, 3, 12, 14, 56),
    }
    assert inc["duration"] == timedelta(minutes=47)
    assert inc["timezone"] == "UTC"  # from the full timestamps in the time column
    assert doc.timeline["actor"].to_list() == [
        "Lee Park", None, None, "Lee Park", "Dana Whitfield", "Dana Whitfield", "Omar Haddad", "Dana Whitfield"
    ]  # fmt: skip
    # five whys as "Why ...? Because ..." and the blameless root cause as prose: both kept
    assert doc.whys["question"][0] == "Why did EU users get empty search results?"
    assert (
        doc.whys["answer"][4]
        == "Because the replica rollout did not include a review of the migration tooling."
    )
    assert doc.whys["is_root_cause"].to_list() == [False, False, False, False, True]
    assert inc["root_cause"].startswith("The migration tool's readiness check predates replicated shards")
    # impact facts from prose
    row = doc.incidents.row(0, named=True)
    assert (row["users_affected_pct"], row["workaround"], row["data_breach"], row["computed_severity"]) == (
        18.0, True, False, "SEV2"
    )  # fmt: skip
    assert doc.action_items.select("owner", "due_date", "status", "link").rows() == [
        ("Omar Haddad", date(2025, 3, 19), "done", "https://jira.example/browse/SRCH-881"),
        ("Lee Park", date(2025, 3, 26), "in_progress", "https://jira.example/browse/SRCH-882"),
        ("Dana Whitfield", date(2025, 4, 2), "pending", "https://jira.example/browse/SRCH-883"),
    ]
    assert doc.lessons == [
        "Readiness checks must cover every replica, not just the primary.",
        "Region-by-region rollouts need a pause between regions to compare quality metrics.",
    ]
    assert inc["narrative"]["Related records"] == "- HOT-3990 (similar routing problem in 2024)"
    assert (doc.rejected.height, doc.notes) == (0, ())


# ---------------------------------------------------------------------------- front matter, checkboxes, bullets


def test_yaml_front_matter() -> None:
    doc = load("front-matter.md")
    inc = doc.incident
    assert (doc.incident_id, inc["title"], inc["severity"], inc["service"]) == (
        "INC-2291", "Checkout API latency after cache eviction storm", "SEV2", "checkout-api"
    )  # fmt: skip
    assert (inc["tz"], inc["started_at"], inc["resolved_at"]) == (
        "America/New_York", utc(2025, 6, 3, 13, 12), utc(2025, 6, 3, 14, 2)
    )  # fmt: skip
    assert doc.roles.select("role", "person", "ref").rows() == [
        ("IC", "Priya Raman", "front-matter.md:11"),
        ("TL", "Marcus Lee", "front-matter.md:11"),
        ("Comms", "Ana Souza", "front-matter.md:11"),
    ]
    assert doc.people.select("person_id", "display_names", "emails").rows() == [
        ("postmortem:priya raman", ["Priya Raman"], []),
        ("postmortem:marcus lee", ["Marcus Lee", "marcus"], []),
        ("postmortem:ana souza", ["Ana Souza", "ana.souza"], ["ana.souza@example.com"]),
    ]
    assert doc.timeline.select("at", "kind", "actor").rows() == [
        (utc(2025, 6, 3, 13, 10), "mitigation", "Marcus Lee"),
        (utc(2025, 6, 3, 13, 14), "alert", None),
        (utc(2025, 6, 3, 13, 20), "declare", "Priya Raman"),
        (utc(2025, 6, 3, 13, 41), "mitigation", "Marcus Lee"),
        (utc(2025, 6, 3, 14, 2), "resolve", "Priya Raman"),
    ]
    row = doc.incidents.row(0, named=True)
    assert (row["users_affected_pct"], row["degradation_pct"], row["revenue_impacted"], row["workaround"]) == (
        9.0, 60.0, True, False
    )  # fmt: skip
    assert row["computed_severity"] == "SEV1"  # revenue impacted
    assert doc.action_items.select("title", "owner", "priority", "due_date", "status").rows() == [
        ("Drain cache nodes before restarting them", "marcus", None, date(2025, 6, 10), "done"),
        ("Add a replica to the product cache ring", "Priya Raman", "P1", date(2025, 7, 1), "pending"),
        ("Alert on cache hit rate below 80%", "ana.souza", None, date(2025, 6, 20), "pending"),
    ]
    assert inc["root_cause"] == "a single cache node restart empties a third of the product cache."
    assert (doc.rejected.height, doc.notes) == (0, ())


def test_checkbox_follow_ups() -> None:
    doc = load("checkbox-actions.md")
    assert doc.action_items.select("title", "owner", "due_date", "status", "link", "notes").rows() == [
        (
            "Make the standby refuse to serve snapshots older than 5 minutes", "kim", date(2025, 8, 21), "done",
            "https://issues.example/CFG-310", "shipped behind a flag on 2025-08-19",
        ),
        ("Alert on snapshot age on the standby", "Noor Haddad", date(2025, 8, 28), "pending", None, None),
        ("Document the failover in the runbook", "platform-team", None, "done", None, None),
        (
            "Review other services that serve cached configuration", None, None, "pending", None,
            "start with billing and auth; Kim to collect the list",
        ),
    ]  # fmt: skip
    assert doc.action_items["ref"].to_list() == [f"checkbox-actions.md:{n}" for n in (22, 24, 25, 26)]
    assert doc.incident["follow_up"] == []  # a Follow-ups section of checkboxes is action items
    assert doc.roles.select("role", "person").rows() == [("IC", "Noor Haddad"), ("TL", "Kim Lee")]
    assert milestones(doc)["declared_at"] == utc(2025, 8, 14, 13, 26)
    assert doc.notes == ("no time zone stated; times read as UTC (pass tz=... to choose one)",)


def test_bullet_timeline_without_a_date_field() -> None:
    doc = load("bullet-timeline.md")
    assert doc.incident["date"] == date(2025, 11, 27)  # from the day sub-heading
    assert doc.incident_id == "INC-2025-11-27-search-indexing-backlog"
    assert doc.notes == ("no **Date:** in the header; took 2025-11-27 from the timeline",)
    assert doc.timeline.select("at", "kind", "actor", "text").rows() == [
        (utc(2025, 11, 27, 21, 40), "message", None, "nightly reindex job started"),
        (utc(2025, 11, 27, 21, 55), "alert", None, "Alert fired: indexing lag above 15 minutes"),
        (utc(2025, 11, 27, 22, 5), "acknowledge", "Lena", "Lena acknowledged the page"),
        (
            utc(2025, 11, 27, 22, 30),
            "declare",
            "Lena",
            "Lena declared SEV3 and paused the reindex job",
        ),  # its own UTC
        (
            utc(2025, 11, 27, 23, 10),
            "message",
            None,
            "indexing lag back under 5 minutes",
        ),  # 00:10 CET on the 28th
        (utc(2025, 11, 27, 23, 25), "resolve", None, "resolved"),
    ]
    assert doc.incident["duration"] == timedelta(minutes=90)
    assert (doc.went_well, doc.went_wrong, doc.lucky, doc.lessons) == (
        ["The lag alert fired within 15 minutes."],
        ["The reindex job has no rate limit."],
        ["Traffic was at its nightly low."],
        ["Batch jobs that share a cluster with live traffic need a rate limit."],
    )
    assert doc.people.select("person_id", "display_names").rows() == [("postmortem:lena", ["lena", "Lena"])]


# ---------------------------------------------------------------------------- Word and HTML


def test_confluence_html_export() -> None:
    doc = load("confluence-export.html")
    inc = doc.incident
    assert (doc.incident_id, inc["title"], inc["date"], inc["severity"], inc["commander"]) == (
        "BILL-7731", "Billing webhook failures", date(2025, 4, 9), "SEV2", "Ravi Menon"
    )  # fmt: skip
    assert doc.markdown.startswith("# Postmortem: Billing webhook failures\n\n| Incident | BILL-7731 |")
    assert doc.timeline.select("at", "kind", "ref").rows() == [
        (utc(2025, 4, 9, 16, 20), "message", "confluence-export.html:25"),
        (utc(2025, 4, 9, 16, 27), "alert", "confluence-export.html:26"),
        (utc(2025, 4, 9, 16, 31), "declare", "confluence-export.html:27"),
        (utc(2025, 4, 9, 16, 52), "deploy", "confluence-export.html:28"),
        (utc(2025, 4, 9, 17, 5), "resolve", "confluence-export.html:29"),
    ]
    assert doc.action_items.select("title", "owner", "due_date", "status").rows() == [
        ("Load the certificate from the secrets store at start-up", "Ravi Menon", date(2025, 4, 16), "done"),
        ("Alert 30 days before any certificate expires", "Dana Whitfield", date(2025, 4, 30), "in_progress"),
        ("Rotate the certificate on the staging workers too", None, None, "done"),  # inline task list
        ("Add the keystore to the image build checklist", None, None, "pending"),
    ]
    row = doc.incidents.row(0, named=True)
    assert (row["users_affected_pct"], row["revenue_impacted"], row["computed_severity"]) == (
        100.0,
        False,
        "SEV1",
    )
    assert (doc.went_well, doc.went_wrong) == (
        ["The error-rate alert fired 7 minutes after the expiry."],
        ["Nobody owned the certificate's expiry date."],
    )
    assert (doc.rejected.height, doc.notes) == (0, ())


def test_google_docs_docx_export() -> None:
    doc = load("google-docs-export.docx")
    inc = doc.incident
    assert (doc.incident_id, doc.ref, inc["title"], inc["date"]) == (
        "INC-2025-05-20-mobile-push-notifications-delayed",
        "google-docs-export.docx",
        "Mobile push notifications delayed",
        date(2025, 5, 20),
    )
    assert (inc["timezone"], inc["tz"]) == ("PDT", "America/Los_Angeles")  # "Time (PDT)" column
    assert doc.timeline.select("at", "kind", "actor").rows() == [
        (utc(2025, 5, 20, 17, 2), "deploy", None),
        (utc(2025, 5, 20, 17, 15), "alert", None),
        (utc(2025, 5, 20, 17, 21), "declare", "Maya Chen"),
        (utc(2025, 5, 20, 17, 37), "rollback", None),
        (utc(2025, 5, 20, 17, 55), "resolve", None),
    ]
    assert doc.whys.select("node_id", "parent_id", "is_root_cause").rows() == [
        ("W1", None, False), ("W2", "W1", False), ("W3", "W2", True)
    ]  # fmt: skip
    assert doc.action_items.select("owner", "due_date", "status").rows() == [
        ("Luis Ortega", date(2025, 5, 27), "done"),
        ("Erik Berg", date(2025, 6, 10), "pending"),  # "Not started"
    ]
    assert doc.roles.select("role", "person").rows() == [
        ("IC", "Maya Chen"),
        ("TL", "Luis Ortega"),
        ("Comms", "Erik Berg"),
    ]
    assert doc.incidents["users_affected_pct"][0] == 22.0
    assert (doc.went_well, doc.went_wrong) == (
        ["The rollback took four minutes."],
        ["The rotation was not staged on a canary sender first."],
    )
    assert (doc.rejected.height, doc.notes) == (0, ())


@pytest.mark.parametrize("name", ["google-docs-export.docx", "confluence-export.html"])
def test_converted_formats_need_the_docs_extra(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def without_docs(module: str, *args: Any, **kwargs: Any) -> Any:
        if module.split(".")[0] in ("mammoth", "markdownify"):
            raise ImportError(f"No module named {module!r}")
        return real_import(module, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_docs)
    assert importers.get(Source.postmortem).sniff(TEMPLATES / name)  # detection needs no converter
    with pytest.raises(InputFormatError) as err:
        load_postmortem(TEMPLATES / name)
    suffix = Path(name).suffix
    assert str(err.value) == (
        f"{TEMPLATES / name}: reading {suffix} post-mortems needs the optional 'docs' extra (mammoth, markdownify) "
        "(pip install 'incident-toolkit[docs]')"
    )


# ---------------------------------------------------------------------------- the whole folder


def test_templates_folder_and_registry(tmp_path: Path) -> None:
    importer = importers.get(Source.postmortem)
    assert not importer.sniff(TEMPLATES)  # make_docx.py is no post-mortem
    assert importer.sniff(TEMPLATES / "google-docs-export.docx")
    assert importer.sniff(TEMPLATES / "confluence-export.html")
    (tmp_path / "page.html").write_text("<html><body><h1>Team offsite</h1></body></html>")
    assert not importer.sniff(tmp_path / "page.html")
    folder = tmp_path / "docs"
    shutil.copytree(TEMPLATES, folder, ignore=shutil.ignore_patterns("*.py"))
    assert importer.sniff(folder)
    loaded = importer.load(folder, strict=False, policy=toolkit.Policy.default())
    tables = loaded.tables()
    for name, df in tables.items():
        schema.validate(name, df, extra=False)
    assert tables["incidents"]["incident_id"].to_list() == [
        "HOT-4271",
        "INC-2025-11-27-search-indexing-backlog",
        "INC-2025-08-14-retro-stale-feature-flags-after-config-service-failover",
        "BILL-7731",
        "INC-2291",
        "INC-2025-05-20-mobile-push-notifications-delayed",
        "PD-2025-0218",
        "INC-465",
    ]  # path order
    assert {n: df.height for n, df in tables.items()} == {
        "incidents": 8,
        "events": 8 + 6 + 5 + 5 + 5 + 5 + 8 + 34,
        "whys": 5 + 0 + 0 + 0 + 3 + 3 + 0 + 0,
        "action_items": 3 + 0 + 4 + 4 + 3 + 2 + 3 + 9,
        "roles": 0 + 1 + 2 + 1 + 3 + 3 + 4 + 1,
        "people": 3 + 1 + 2 + 2 + 3 + 3 + 4 + 5 - 1,  # Dana Whitfield is in two documents
        "postmortem_sections": 5 + 4 + 1 + 6 + 6 + 5 + 9 + 10,
    }
    assert loaded.rejected.height == 0
    ws = toolkit.Workspace(tmp_path / "ws")
    report = ws.ingest(folder, source="postmortem")
    assert report.rows["events"] == 76
    assert ws.table("postmortem_sections").filter(pl.col("section") == "lucky").height == 4


# ---------------------------------------------------------------------------- identity


def test_reordering_action_items_keeps_their_ids() -> None:
    text = (TEMPLATES / "atlassian-template.md").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    rows = [i for i, ln in enumerate(lines) if ln.startswith("| [SRCH-")]
    swapped = lines.copy()
    swapped[rows[0]], swapped[rows[2]] = lines[rows[2]], lines[rows[0]]
    before = parse_postmortem(text, name="a.md").action_items.select("title", "item_id")
    after = parse_postmortem("".join(swapped), name="a.md").action_items.select("title", "item_id")
    assert after.sort("title").rows() == before.sort("title").rows()
    assert after["title"].to_list() != before["title"].to_list()
    renamed = parse_postmortem(text, name="renamed/other.md").action_items["item_id"]
    assert renamed.to_list() == before["item_id"].to_list()  # the stated id is the ref, not the path


def test_same_stated_id_twice_is_told_apart_by_path(tmp_path: Path) -> None:
    shutil.copy(TEMPLATES / "front-matter.md", tmp_path / "b.md")
    shutil.copy(TEMPLATES / "front-matter.md", tmp_path / "a.md")
    docs = load_postmortems(tmp_path, progress=False)
    assert [(d.incident_id, d.ref) for d in docs.docs] == [("INC-2291", "INC-2291"), ("INC-2291-2", "b.md")]
    assert docs.notes == (
        "b.md: states the id 'INC-2291' of an earlier document; its ref is its path",
        "b.md: incident id taken by another document; renamed INC-2291-2",
    )
    for name, df in docs.tables().items():
        schema.validate(name, df, extra=False)
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as zf:
        zf.write(tmp_path / "b.md", "q2/b.md")
        zf.write(tmp_path / "a.md", "q1/a.md")
    zipped = load_postmortems(tmp_path / "export.zip", progress=False)
    assert [(d.incident_id, d.ref) for d in zipped.docs] == [
        ("INC-2291", "INC-2291"),
        ("INC-2291-2", "q2/b.md"),
    ]


# ---------------------------------------------------------------------------- more shapes, one line each


def test_toml_front_matter_headed_fields_and_a_metrics_table() -> None:
    text = """+++
title = "Queue outage"
incident_id = "OPS-77"
+++
## Date
Jan 9, 2025

## Severity
SEV3

## Impact
| Metric | Value |
|---|---|
| Duration | 1h 30m |
| Users affected | 3% |

## Timeline
- 09:00 UTC — alert fired
- 10:30 UTC — resolved
"""
    doc = parse_postmortem(text, name="q.md")
    assert (doc.incident_id, doc.incident["title"], doc.incident["date"], doc.incident["severity"]) == (
        "OPS-77", "Queue outage", date(2025, 1, 9), "SEV3"
    )  # fmt: skip
    assert doc.incident["duration"] == timedelta(minutes=90)  # from the metrics table
    assert (doc.incident["started_at"], doc.incident["resolved_at"]) == (
        utc(2025, 1, 9, 9),
        utc(2025, 1, 9, 10, 30),
    )
    assert doc.incidents["users_affected_pct"][0] == 3.0
    assert (doc.rejected.height, doc.notes) == (0, ())


def test_undated_rows_are_kept_with_their_time_of_day() -> None:
    doc = parse_postmortem("# Outage\n## Timeline\n- 10:00 Alert fired\n- 10:20 Resolved\n", name="u.md")
    assert doc.timeline.height == 0
    assert doc.undated_rows.select("time", "kind", "text", "ref").rows() == [
        (datetime(1, 1, 1, 10).time(), "alert", "Alert fired", "u.md:3"),
        (datetime(1, 1, 1, 10, 20).time(), "resolve", "Resolved", "u.md:4"),
    ]
    assert doc.rejected.select("record", "field").rows() == [(None, "Date")]
    assert doc.notes[-1] == (
        "2 timeline row(s) (line 3, 4) have a time of day but no date: kept in .undated, not in the events "
        "table; add **Date:** YYYY-MM-DD to the header (or a date line above the timeline)"
    )


def test_dated_rows_import_without_a_date_field() -> None:
    text = "# Outage\n## Timeline\n| Time | Event |\n|--|--|\n| 2025-01-15 10:05 UTC | Alert fired |\n| 10:30 | Resolved |\n"
    doc = parse_postmortem(text, name="d.md")
    assert doc.timeline["at"].to_list() == [utc(2025, 1, 15, 10, 5), utc(2025, 1, 15, 10, 30)]
    assert doc.incident_id == "INC-2025-01-15-outage"
    assert doc.rejected.height == 0


def test_a_bad_byte_keeps_the_document(tmp_path: Path) -> None:
    raw = (TEMPLATES / "bullet-timeline.md").read_bytes().replace(b"nightly low", b"nightly l\xf6w")
    (tmp_path / "pm.md").write_bytes(raw)
    doc = load_postmortem(tmp_path / "pm.md")
    offset = raw.index(b"\xf6")
    assert (
        doc.notes[0]
        == f"pm.md: not UTF-8 at byte {offset}; read as U+FFFD and everything else kept (save it as UTF-8)"
    )
    assert doc.lucky == ["Traffic was at its nightly l\ufffdw."]
    assert doc.timeline.height == 6


BAD = [
    pytest.param("---\ntitle: [unclosed\n---\n# X\n", (1, "front matter"), id="bad-yaml-front-matter"),
    pytest.param("# X\n**Date:** 2025-01-15\n## Timeline\n- ten past ten: alert\n", (4, "time"), id="list-row-without-time"),
    pytest.param("# X\n**Date:** 2025-01-15\n## Timeline\n| Time (UTC) | Event |\n|--|--|\n| 25:00 | Alert |\n", (6, "time"), id="bad-time-in-zone-column"),
    pytest.param("# X\n**Date:** 2025-01-15\n## Follow-ups\n- [ ] Fix it (due Feb 30)\n", (4, "due"), id="bad-checkbox-due-date"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_shapes_are_rejected_with_their_line(text: str, expected: tuple[int, str]) -> None:
    doc = parse_postmortem(text, name="bad.md")
    assert doc.rejected.select("record", "field").row(0) == expected
    for name, df in doc.tables().items():
        schema.validate(name, df, extra=False)
    with pytest.raises(InputFormatError):
        parse_postmortem(text, name="bad.md", strict=True)
