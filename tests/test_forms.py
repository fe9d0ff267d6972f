"""The action-item form: headless (set widget values, click buttons, read the database), the
notebook under papermill, and once end to end in a real JupyterLab driven by Playwright."""

from __future__ import annotations

import sqlite3
from datetime import date

import nbformat
import papermill as pm
import pytest

from tests._jupyterlab import BROWSER_ARGS, CHROMIUM, jupyterlab, run_notebook, wait_for
from tests.actions._sample import ROOT, copy_of, sample_workspace
from toolkit import actions, forms
from toolkit.store import ENV_WORKSPACE, Workspace

PAYMENT = "INC-2025-01-15-payment-service-outage"
NOTEBOOK = ROOT / "notebooks" / "action_items.ipynb"


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory):
    return sample_workspace(tmp_path_factory)


@pytest.fixture
def ws(sample_dir, tmp_path):
    return copy_of(sample_dir, tmp_path / "ws")


@pytest.fixture
def form(ws):
    return forms.action_items(ws, PAYMENT, actor="alice", as_of=date(2025, 2, 1)).form


def _rows(ws: Workspace, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(ws.path / "edits.sqlite") as db:
        return db.execute(sql, args).fetchall()


def _fill(form, **values):
    for name, value in values.items():
        form.fields[name].value = value


def test_the_form_shows_the_incident_and_suggests_its_people(form):
    import ipywidgets

    assert isinstance(form.widget, ipywidgets.VBox)
    assert form.widget.form is form
    assert (form.filter.value, form.count.value, len(form.status_menus)) == ("open", "3 item(s)", 3)
    assert (form.incident.value, form.incident.disabled) == (PAYMENT, True)
    assert form.owner.options[0] == "Alice Chen"  # the incident's commander first, then everyone known
    assert "Judy" in form.owner.options  # names as the people table spells them
    form.filter.value = "overdue"
    assert form.count.value == "1 item(s)"  # due before 2025-02-01: the load tests
    form.filter.value = "all"
    assert form.count.value == "6 item(s)"


def test_save_adds_an_item_to_the_database(ws, form):
    _fill(form, title="Page the DBA at 80% pool use", owner="@Dave", priority="P1", kind="Detective")
    form.due_date.value = date(2025, 2, 10)
    form.save.click()
    assert "Saved Page the DBA at 80% pool use (version 1)." in form.message.value
    assert _rows(ws, "select owner, priority, due_date, status, kind, created_by from action_items where title = ?",
                 "Page the DBA at 80% pool use") == [("Dave", "P1", "2025-02-10", "pending", "detective", "alice")]  # fmt: skip
    assert (form.title.value, form.count.value) == (
        "",
        "4 item(s)",
    )  # cleared for the next one, table refreshed


def test_validation_messages_sit_next_to_their_fields(ws, form):
    _fill(form, title="  ", owner="SRE Team", link="ftp://x")
    form.save.click()
    shown = {f: e.value for f, e in form.errors.items() if e.value}
    assert sorted(shown) == ["link", "priority", "title"]
    assert "required; got nothing" in shown["title"]
    assert "expected an http(s) URL" in shown["link"]
    assert "Not saved" in form.message.value
    assert _rows(ws, "select count(*) from action_items") == [(14,)]


def test_unknown_owner_is_saved_with_a_warning(ws, form):
    _fill(form, title="Add a pool dashboard", owner="SRE Team", priority="P2")
    form.save.click()
    assert "owner &#x27;SRE Team&#x27; is not a person this workspace knows" in form.message.value


def test_inline_status_change_and_its_conflict(ws, form):
    (item_id, menu), (other_id, other_menu) = list(form.status_menus.items())[:2]
    menu.value = "done"
    assert _rows(ws, "select status, version, updated_by from action_items where item_id = ?", item_id) == [
        ("done", 2, "alice")
    ]
    assert item_id not in form.status_menus  # done: the open filter hides it now
    stored = actions.get(ws, other_id)
    actions.update(Workspace(ws.path), other_id, version=stored.version, actor="bob", status="in_progress")
    other_menu.value = "cancelled"  # this menu was built on the version before bob's change
    assert "Status not changed" in form.message.value
    assert "changed by bob" in form.message.value
    assert form.status_menus[other_id].value == "in_progress"  # the table shows what is stored
    assert _rows(ws, "select status from action_items where item_id = ?", other_id) == [("in_progress",)]


def test_a_conflict_is_shown_and_reload_keeps_the_unsaved_values(ws, form):
    item_id = next(iter(form.edit_buttons))
    form.edit_buttons[item_id].click()
    version = form.editing.version
    assert f"(version {version})" in form.message.value
    actions.update(Workspace(ws.path), item_id, version=version, actor="bob", notes="bob was here")
    _fill(form, notes="my notes", owner="carol")
    form.save.click()
    assert "Not saved" in form.message.value
    assert "changed by bob" in form.message.value
    assert form.reload.layout.display is None  # the reload button is offered
    assert (form.notes.value, form.owner.value) == ("my notes", "carol")  # nothing lost
    form.reload.click()
    assert (form.notes.value, form.editing.version) == ("bob was here", version + 1)  # what is stored now...
    assert "your unsaved value: my notes" in form.errors["notes"].value  # ...with mine beside it
    assert "your unsaved value: carol" in form.errors["owner"].value
    form.use_mine.click()
    assert (form.notes.value, form.owner.value) == ("my notes", "carol")
    form.save.click()
    assert "Saved" in form.message.value
    assert _rows(ws, "select notes, owner, version from action_items where item_id = ?", item_id) == [
        ("my notes", "Carol", version + 2)
    ]


def test_delete_asks_first(ws, form):
    item_id = next(iter(form.edit_buttons))
    form.edit_buttons[item_id].click()
    assert form.confirm.layout.display == "none"
    form.delete.click()
    assert form.confirm.layout.display is None
    form.keep.click()
    assert _rows(ws, "select deleted_at from action_items where item_id = ?", item_id) == [(None,)]
    form.delete.click()
    form.confirm_delete.click()
    assert "Deleted" in form.message.value
    (deleted_at,) = _rows(ws, "select deleted_at from action_items where item_id = ?", item_id)[0]
    assert deleted_at is not None
    assert item_id not in form.status_menus


def test_cancel_discards_the_edit(ws, form):
    item_id = next(iter(form.edit_buttons))
    form.edit_buttons[item_id].click()
    form.title.value = "changed my mind"
    form.cancel.click()
    assert (form.editing, form.title.value, form.message.value) == (None, "", "")
    assert _rows(ws, "select version from action_items where item_id = ?", item_id) == [(1,)]


def test_values_are_validated_before_they_reach_the_widgets(form):
    form.show(
        {"title": "t", "due_date": "2025-02-30", "priority": "P9", "status": "done", "incident_id": "INC-x"}
    )
    assert (form.due_date.value, form.priority.value, form.status.value, form.incident.value) == (
        None,
        None,
        "done",
        None,
    )
    assert "&#x27;2025-02-30&#x27; is not a real date" in form.errors["due_date"].value
    assert "expected one of P0, P1, P2, P3" in form.errors["priority"].value
    assert "not in this workspace" in form.errors["incident_id"].value
    form.show({"due_date": "2025-02-14"})
    assert form.due_date.value == date(2025, 2, 14)  # a real date object, never the string


def test_every_incident_and_untrusted_text(ws):
    item = actions.add(ws, incident_id=PAYMENT, title="<script>alert(1)</script>", owner="bob", priority="P3")
    form = forms.action_items(ws).form
    assert form.incident.disabled is False
    assert form.count.value == "8 item(s)"
    form.edit_buttons[item.item_id].click()
    assert "&lt;script&gt;" in form.message.value
    assert "<script>" not in form.message.value
    with pytest.raises(Exception, match="no incident 'INC-nope'"):
        forms.action_items(ws, "INC-nope")


def test_the_default_workspace_is_the_repositorys(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_WORKSPACE, raising=False)
    monkeypatch.chdir(tmp_path)
    assert forms.default_workspace_path() == ROOT / "workspace"
    monkeypatch.setenv(ENV_WORKSPACE, str(tmp_path / "mine"))
    assert forms.default_workspace_path() == tmp_path / "mine"
    ws = forms.notebook_workspace()  # an empty one gets the sample
    assert ws.path == tmp_path / "mine"
    assert actions.list_items(ws).height == 14


def _errors(nb):
    return [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]


@pytest.mark.slow
def test_the_notebook_runs_under_papermill_with_its_defaults(sample_dir, tmp_path, monkeypatch):
    copy_of(sample_dir, tmp_path / "ws")
    monkeypatch.setenv(ENV_WORKSPACE, str(tmp_path / "ws"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        NOTEBOOK,
        out,
        cwd=str(elsewhere),
        kernel_name="python3",
        progress_bar=False,
        shutdown_kernel="immediate",
    )
    nb = nbformat.read(out, as_version=4)
    assert _errors(nb) == []
    kinds = [k for c in nb.cells for o in c.get("outputs", []) for k in o.get("data", {})]
    assert "application/vnd.jupyter.widget-view+json" in kinds
    assert "application/vnd.plotly.v1+json" in kinds
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "14 action items" in printed


# ------------------------------------------------------------------------ JupyterLab end to end


@pytest.mark.slow
def test_end_to_end_in_jupyterlab(sample_dir, tmp_path):
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    ws = copy_of(sample_dir, tmp_path / "ws")
    root = tmp_path / "lab"
    root.mkdir()
    (root / NOTEBOOK.name).write_bytes(NOTEBOOK.read_bytes())
    with jupyterlab(root, tmp_path, env={ENV_WORKSPACE: str(ws.path)}) as (port, log):
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
            try:
                page = browser.new_page()
                run_notebook(page, port, NOTEBOOK.name)
                title = page.locator(".ai-form .ai-title input")
                title.wait_for(state="visible")
                title.fill("Page the DBA at 80% pool use (e2e)")
                page.locator(".ai-form .ai-owner input").fill("dave")
                page.locator(".ai-form .ai-priority select").select_option("P1")
                page.locator(".ai-form button.ai-save").click()
                page.locator(".ai-form .ai-message").get_by_text("Saved").wait_for()
            finally:
                browser.close()

        def saved() -> list[tuple[object, ...]]:
            return _rows(ws, "select owner, priority, status, created_by from action_items where title = ?",
                         "Page the DBA at 80% pool use (e2e)")  # fmt: skip

        rows = wait_for(saved, timeout=30, what="the saved row in edits.sqlite", log=log)
        assert [r[:3] for r in rows] == [("Dave", "P1", "pending")]
