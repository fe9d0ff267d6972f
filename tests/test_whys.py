"""5-Whys trees: builder, validation, Markdown round trip, figures, factors, workspace."""

from __future__ import annotations

import string
import subprocess
import sys
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit
from toolkit import schema, whys
from toolkit.errors import PolicyError
from toolkit.importers.postmortem import load_postmortem, load_postmortems
from toolkit.policy import Policy
from toolkit.whys import AUTO, Node, Tree, TreeError

FIXTURES = Path(__file__).parent / "fixtures" / "postmortem"
SEED = FIXTURES / "seed_postmortem.md"
SEED_ID = "INC-2025-01-15-payment-service-outage"


def branching() -> Tree:
    tree = Tree("INC-9", root_cause="No disk alert and no cleanup.")
    w1 = tree.add(None, "Why was search down?", "The cluster rejected queries.")
    w2 = tree.add(w1, "Why did it reject queries?", "It ran out of disk space.")
    tree.add(w2, "Why did old indices pile up?", "The cleanup cron was removed in a migration.")
    tree.add(w2, "Why did nobody notice?", "There was no alert on disk usage.", evidence=["pm.md:12"])
    return tree


# ---------------------------------------------------------------------------- building


def test_toolkit_whys_is_public() -> None:
    assert toolkit.whys is whys
    assert "whys" in toolkit.__all__


def test_builder_chain_and_branches() -> None:
    tree = branching()
    assert [n.node_id for n in tree.nodes] == ["W1", "W2", "W3", "W4"]
    assert [n.parent_id for n in tree.nodes] == [None, "W1", "W2", "W2"]
    assert [n.node_id for n in tree.root_causes()] == ["W3", "W4"]  # the leaves
    assert [n.factor for n in tree.nodes] == [None, None, "change", "monitoring"]
    assert tree.depth("W4") == 3
    assert tree.path("W4") == ["W1", "W2", "W4"]
    assert tree.validate() == ()
    assert repr(tree) == "<whys.Tree INC-9: 4 nodes, 2 root cause(s)>"


def test_factor_by_hand_and_root_causes_by_hand() -> None:
    tree = branching()
    tree.update("W3", factor="process")
    assert tree["W3"].factor == "process"
    tree.update("W3", answer="Nobody tested the   cleanup\nafter the move.", factor=AUTO)
    assert (tree["W3"].answer, tree["W3"].factor) == ("Nobody tested the cleanup after the move.", "testing")
    tree.update("W2", is_root_cause=True)  # the first hand mark keeps the leaves marked too
    assert [n.node_id for n in tree.root_causes()] == ["W2", "W3", "W4"]
    tree.update("W3", is_root_cause=False)
    w5 = tree.add("W4", "Why no alert?", "Disk metrics were never wired up.", factor=None)
    assert [n.node_id for n in tree.root_causes()] == ["W2", "W4"]  # marks stay as set by hand
    assert tree[w5].factor is None
    assert tree.remove("W2") == ["W2", "W3", "W4", "W5"]
    assert [n.node_id for n in tree.nodes] == ["W1"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(lambda t: t.add("W9", "Why?"), "no node 'W9' to add a why under", id="unknown-parent"),
        pytest.param(lambda t: t.add(None, "Why?"), "already has its first why", id="second-first-why"),
        pytest.param(lambda t: t.add("W1", "  "), "a why needs a question", id="empty-question"),
        pytest.param(lambda t: t.add("W1", "Why?", node_id="W2"), "node id 'W2' is taken", id="duplicate-id"),
        pytest.param(
            lambda t: t.add("W1", "Why?", factor="luck"), "unknown factor 'luck'", id="unknown-factor"
        ),
        pytest.param(
            lambda t: t.update("W1", parent_id="W4"), "cannot move 'W1' under 'W4'", id="move-into-cycle"
        ),
        pytest.param(lambda t: t.update("W1", title="X"), "cannot change title", id="not-editable"),
        pytest.param(lambda t: t["W7"], "no node 'W7'", id="missing-node"),
    ],
)
def test_builder_refuses_bad_edits(call, message: str) -> None:  # type: ignore[no-untyped-def]
    tree = branching()
    with pytest.raises(TreeError, match=message):
        call(tree)


# ---------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("nodes", "codes"),
    [
        pytest.param([], ["empty"], id="empty"),
        pytest.param(
            [Node("a", "Why?", parent_id="b"), Node("b", "Why?", parent_id="a", is_root_cause=True)],
            [("no_root", None), ("cycle", "a"), ("cycle", "b")],
            id="cycle",
        ),
        pytest.param(
            [Node("a", "Why?"), Node("b", "Why?", parent_id="zz", is_root_cause=True)],
            [("orphan", "b")],
            id="orphan",
        ),
        pytest.param(
            [Node("a", "Why?", is_root_cause=True), Node("b", "Why?")],
            [("multiple_roots", "b")],
            id="two-first-whys",
        ),
        pytest.param([Node("a", "Why?")], [("no_root_cause", None)], id="no-root-cause"),
        pytest.param(
            [Node("a", " ", is_root_cause=True, factor="luck")],
            [("empty_question", "a"), ("unknown_factor", "a")],
            id="empty-question-unknown-factor",
        ),
        pytest.param(
            [
                Node(f"n{i}", "Why?", parent_id=f"n{i - 1}" if i else None, is_root_cause=i == 11)
                for i in range(12)
            ],
            [("too_deep", "n10")],
            id="deeper-than-10",
        ),
    ],
)
def test_validation(nodes: list[Node], codes: list[object]) -> None:
    problems = Tree("INC-1", nodes=nodes).validate()
    if codes == ["empty"]:
        assert [p.code for p in problems] == ["empty"]
        return
    assert [(p.code, p.node_id) for p in problems] == codes


def test_evidence_must_cite_timeline_events() -> None:
    doc = load_postmortem(FIXTURES / "variant_branching.md")
    tree = doc.tree()
    assert tree.validate(events=doc.timeline) == ()
    tree.update("W3", evidence=["variant_branching.md:10", "variant_branching.md:99"])
    assert [(p.code, p.node_id) for p in tree.validate(events=doc.timeline)] == [("unknown_evidence", "W3")]
    assert tree.validate() == ()  # without a timeline, refs are not checked


def test_depth_limits_and_check() -> None:
    tree = branching()
    assert [p.code for p in tree.validate(min_depth=4)] == ["too_shallow"]
    assert [(p.code, p.node_id) for p in tree.validate(max_depth=2)] == [
        ("too_deep", "W3"),
        ("too_deep", "W4"),
    ]
    with pytest.raises(TreeError, match="invalid 5-Whys tree \\(2 problem\\(s\\)\\)") as err:
        tree.check(max_depth=2)
    assert [p.node_id for p in err.value.problems] == ["W3", "W4"]
    bad = Tree("INC-1", nodes=[Node("a", "Why?", parent_id="b"), Node("b", "Why?", parent_id="a")])
    with pytest.raises(TreeError, match="node 'a' is its own ancestor"):
        bad.to_markdown()


# ---------------------------------------------------------------------------- rendering


def test_text_tree() -> None:
    assert branching().to_text() == (
        "5 Whys — INC-9\n"
        "Why was search down? → The cluster rejected queries.\n"
        "└─ Why did it reject queries? → It ran out of disk space.\n"
        "   ├─ Why did old indices pile up? → The cleanup cron was removed in a migration."
        "  [Deployment / change]  ★ root cause\n"
        "   └─ Why did nobody notice? → There was no alert on disk usage.  [Monitoring / alerting]  ★ root cause\n"
    )


def test_markdown_of_a_branching_tree_reads_back() -> None:
    tree = branching()
    tree.update("W1", factor="dependency")
    md = tree.to_markdown(heading="## Root Cause (5 Whys)")
    assert md == (
        "## Root Cause (5 Whys)\n"
        "1. **Why was search down?**\n"
        "The cluster rejected queries.\n"
        "*[factor: dependency]*\n"
        "2. **Why did it reject queries?**\n"
        "It ran out of disk space.\n"
        "   3. **Why did old indices pile up?**\n"
        "   The cleanup cron was removed in a migration.\n"
        "3. **Why did nobody notice?**\n"
        "There was no alert on disk usage.\n"
        "*[evidence: pm.md:12]*\n"
        "\n"
        "**Root Cause:** No disk alert and no cleanup.\n"
    )
    back = Tree.from_markdown(md, incident_id="INC-9")
    assert back == tree
    tree.update("W2", is_root_cause=True)
    tree.update("W3", is_root_cause=False)
    with_ids = tree.to_markdown(ids=True)
    assert "*[root cause]*" in with_ids
    assert "<!-- id: W4 -->" in with_ids
    assert Tree.from_markdown(with_ids, incident_id="INC-9") == tree


def test_seed_whys_render_as_the_template_and_read_back() -> None:
    doc = load_postmortem(SEED)
    tree = doc.tree()
    md = tree.to_markdown(heading="## Root Cause (5 Whys)")
    template = SEED.read_text(encoding="utf-8").splitlines()
    assert md.splitlines()[:11] == template[34:45]  # the heading and the five numbered whys, byte for byte
    back = Tree.from_markdown(md, incident_id=SEED_ID)
    assert back == tree
    assert back.to_frame().equals(doc.whys)


@pytest.mark.parametrize(
    ("text", "parents", "roots"),
    [
        pytest.param(
            "1. **Why A?** a\n2. **Why B?** b\n3a. **Why C?** c\n3b. **Why D?** d\n",
            [None, "W1", "W2", "W2"],
            ["W3", "W4"],
            id="lettered-branches",
        ),
        pytest.param(
            "1. **Why A?**\n   a\n   1. **Why B?**\n      b\n   2. **Why C?**\n      c\n2. **Why D?**\n   d\n",
            [None, "W1", "W2", "W1"],
            ["W3", "W4"],
            id="nested-lists-numbered-from-1",
        ),
        pytest.param(
            "- Why A? → a\n- **Why B?** A: b\n  - detail of b\n- Q: Why C? c (root cause)\n",
            [None, "W1", "W2"],
            ["W3"],
            id="bullets-and-arrows",
        ),
    ],
)
def test_markdown_styles(text: str, parents: list[str | None], roots: list[str]) -> None:
    tree = Tree.from_markdown(text, incident_id="INC-1")
    assert [n.parent_id for n in tree.nodes] == parents
    assert [n.node_id for n in tree.root_causes()] == roots
    assert [n.question for n in tree.nodes][:2] == ["Why A?", "Why B?"]


def test_markdown_answers_that_look_like_markup_survive() -> None:
    tree = Tree("INC-1")
    w1 = tree.add(None, "Why?", "2. It was the second deploy")
    w2 = tree.add(w1, "Why that?", "- because of a flag")
    w3 = tree.add(w2, "And?", "Root cause: a typo")
    w4 = tree.add(w3, "Finally?", "A: nothing (root cause)")
    tree.add(w4, "Really?", "→ :yes & &amp; **no**")
    back = Tree.from_markdown(tree.to_markdown(), incident_id="INC-1")
    assert [n.answer for n in back.nodes] == [n.answer for n in tree.nodes]
    assert back == tree


def test_markdown_errors() -> None:
    with pytest.raises(TreeError, match=r"line 1: not a numbered why: 'Some intro\.'"):
        Tree.from_markdown("Some intro.\n1. **Why?** x\n", incident_id="INC-1")
    with pytest.raises(TreeError, match="no numbered whys"):
        Tree.from_markdown("## Root cause\n", incident_id="INC-1")


_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " ,.'!?:;-()#%/+", min_size=1, max_size=25)


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    statement = draw(st.none() | _TEXT.map(str.strip).filter(bool))
    tree = Tree("INC-H", root_cause=statement)
    ids: list[str] = []
    for i in range(draw(st.integers(1, 9))):
        parent = None if i == 0 else ids[draw(st.integers(0, i - 1))]
        factor = draw(st.sampled_from([AUTO, None, "testing", "process"]))
        mark = draw(st.sampled_from([None, None, True, False]))
        evidence = draw(st.lists(st.sampled_from(["pm.md:3", "pm.md:14"]), max_size=2, unique=True))
        answer = draw(st.none() | _TEXT)
        ids.append(
            tree.add(
                parent, "Why " + draw(_TEXT), answer, factor=factor, is_root_cause=mark, evidence=evidence
            )
        )
    return tree


@settings(max_examples=60, deadline=None)
@given(trees())
def test_markdown_round_trip_property(tree: Tree) -> None:
    back = Tree.from_markdown(tree.to_markdown(), incident_id="INC-H")
    assert back.same_as(tree)
    assert Tree.from_markdown(tree.to_markdown(ids=True), incident_id="INC-H") == tree


def test_frame_round_trip() -> None:
    tree = branching()
    df = tree.to_frame()
    schema.validate("whys", df)
    assert Tree.from_frame(df, root_cause=tree.root_cause) == tree
    both = pl.concat([df, Tree("INC-2", nodes=[Node("W1", "Why?", is_root_cause=True)]).to_frame()])
    assert sorted(whys.trees(both)) == ["INC-2", "INC-9"]
    with pytest.raises(TreeError, match="rows hold 2 incidents"):
        Tree.from_frame(both)


def test_figures_are_plotly_and_lazy() -> None:
    tree = branching()
    fig = tree.figure()
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data[1:]] == ["(no factor)", "Deployment / change", "Monitoring / alerting"]
    assert [s for t in fig.data[1:] for s in t.marker.symbol] == ["circle", "circle", "star", "star"]
    icicle = tree.figure(kind="icicle")
    assert list(icicle.data[0].parents) == ["", "W1", "W2", "W2"]
    with pytest.raises(ValueError, match="kind must be 'tree' or 'icicle'"):
        tree.figure(kind="pie")
    code = (
        "import sys, toolkit, toolkit.whys, toolkit.importers.postmortem as p;"
        "p.load_postmortem(sys.argv[1]).tree().to_markdown();"
        "assert toolkit.whys.Tree and 'plotly' not in sys.modules, 'plotly imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code, str(SEED)], check=True)


# ---------------------------------------------------------------------------- taxonomy in the policy


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        pytest.param("[whys]\ncolour = 1\n", "whys.colour", id="unknown-key"),
        pytest.param("[whys]\nmax_depth = 0\n", "whys.max_depth", id="max-depth-zero"),
        pytest.param("[whys]\nmin_depth = 11\n", "whys.min_depth", id="min-above-max"),
        pytest.param("[whys.factors.Bad-Id]\nlabel = 'x'\n", "whys.factors.Bad-Id", id="bad-id"),
        pytest.param("[whys.factors.auto]\nlabel = 'x'\n", "whys.factors.auto", id="reserved-id"),
        pytest.param(
            "[whys.factors.x]\nkeywords = 'test'\n", "whys.factors.x.keywords", id="keywords-not-list"
        ),
        pytest.param("[whys.factors.x]\nlabel = ''\n", "whys.factors.x.label", id="empty-label"),
        pytest.param("[whys.factors.x]\nweight = 2\n", "whys.factors.x.weight", id="unknown-factor-key"),
    ],
)
def test_bad_taxonomy(tmp_path: Path, toml: str, key: str) -> None:
    path = tmp_path / "team.toml"
    path.write_text(toml)
    with pytest.raises(PolicyError) as err:
        whys.rules(Policy.load(path))
    assert (err.value.path, err.value.key) == (str(path), key)


def test_team_taxonomy_adds_a_category(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text(
        '[whys]\nmax_depth = 6\n[whys.factors.security]\nlabel = "Security"\nkeywords = ["cve*", "leaked key*"]\n'
    )
    policy = Policy.load(path)
    taxonomy = whys.Taxonomy.from_policy(policy)
    assert taxonomy.ids[-1] == "security"
    assert len(taxonomy.ids) == 10
    assert taxonomy.classify("A leaked key in the repo") == "security"
    tree = Tree("INC-1", policy=policy)
    tree.add(None, "Why?", "An unpatched CVE in the proxy.")
    assert tree["W1"].factor == "security"
    assert whys.rules(policy).max_depth == 6


# ---------------------------------------------------------------------------- across incidents


def test_factor_table_over_several_post_mortems() -> None:
    tables = load_postmortems(FIXTURES, progress=False).tables()
    table = whys.factor_table(tables["whys"], tables["action_items"], as_of=date(2025, 2, 1))
    assert table.schema == whys.factor_table(schema.empty("whys"), schema.empty("action_items")).schema
    seed, latency, batch, search = (
        SEED_ID,
        "INC-2025-03-03-checkout-latency",
        "INC-2025-02-10-nightly-batch-overload",
        "INC-2025-04-02-search-outage",
    )
    cols = ["factor", "incidents", "incident_ids", "nodes", "root_causes", "items", "items_done", "items_open",
            "items_overdue", "done_share", "recurring"]  # fmt: skip
    assert table.select(cols).rows() == [
        ("change", 3, sorted([seed, batch, search]), 3, 1, 1, 1, 0, 0, 1.0, True),
        ("testing", 2, sorted([seed, latency]), 2, 2, 3, 0, 3, 1, 0.0, True),
        ("configuration", 2, sorted([latency, batch]), 2, 1, 2, 1, 1, 0, 0.5, True),
        ("monitoring", 1, [search], 1, 1, 2, 2, 0, 0, 1.0, False),
        ("capacity", 1, [seed], 1, 0, 1, 1, 0, 0, 1.0, False),
        ("code_review", 0, [], 0, 0, 1, 0, 1, 0, 0.0, False),
        (None, 3, sorted([seed, latency, search]), 6, 0, 2, 1, 1, 0, 0.5, None),
    ]
    assert table["label"].to_list()[:2] == ["Deployment / change", "Testing"]
    by_hand = tables["action_items"].with_columns(factor=pl.lit("process"))
    assert whys.factor_table(tables["whys"], by_hand).filter(pl.col("factor") == "process")[
        "items"
    ].to_list() == [12]
    fig = whys.factor_figure(table)
    assert list(fig.data[0].y) == [
        "Code review",
        "Capacity",
        "Monitoring / alerting",
        "Configuration",
        "Testing",
        "Deployment / change",
    ]
    assert list(fig.data[0].x) == [0, 1, 1, 2, 2, 3]
    assert fig.data[0].text[-1] == "1/1 done"
    assert fig.data[0].text[-2] == "0/3 done"


# ---------------------------------------------------------------------------- workspace


def test_edited_nodes_persist_in_the_workspace(tmp_path: Path) -> None:
    ws = toolkit.Workspace(tmp_path / "ws")
    ws.ingest(SEED, source="postmortem")
    tree = Tree.load(ws, SEED_ID)
    assert tree.to_frame().equals(load_postmortem(SEED).whys)
    tree.update("W4", factor="code_review")
    w6 = tree.add(
        "W4",
        "Why did review miss the leak?",
        "The checklist has no resource-cleanup item.",
        is_root_cause=True,
    )
    tree.save(ws, actor="dave")
    again = Tree.load(ws, SEED_ID)
    assert again == tree
    assert [n.node_id for n in again.root_causes()] == ["W5", "W6"]
    audit = ws.audit().filter(pl.col("table_name") == "whys")
    assert audit.select("actor", "action", "key").rows() == [
        ("dave", "update", [SEED_ID, "W4"]),
        ("dave", "insert", [SEED_ID, w6]),
    ]
    tree.remove(w6)
    tree.save(ws, actor="erin")
    final = Tree.load(ws, SEED_ID)
    assert [n.node_id for n in final.nodes] == ["W1", "W2", "W3", "W4", "W5"]
    assert final["W4"].factor == "code_review"
    assert ws.audit()["action"].to_list()[-1] == "delete"
    schema.validate("whys", ws.table("whys"))
