"""Forms for JupyterLab (ipywidgets, imported on first use).

:func:`action_items` is the action-item form: a table of an incident's items with inline
status change, an add/edit form whose validation messages sit next to the fields, save,
cancel and delete (with confirmation), a filter (open / overdue / all), and conflicts
shown plainly with a reload that keeps your unsaved values in sight. Every value is
validated before it is assigned to a widget (a ``DatePicker`` would otherwise keep a bad
string). :func:`notebook_workspace` is the workspace a notebook opens by default.

Examples
--------
>>> import tempfile
>>> from toolkit.store import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.ingest("data/sample/postmortems")
>>> from toolkit import forms
>>> box = forms.action_items(ws, "INC-2025-01-15-payment-service-outage", actor="alice")
>>> box.form.count.value
'3 item(s)'
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from toolkit import actions
from toolkit.actions.model import OPEN_STATUSES
from toolkit.actions.validate import FieldError, parse_due_date, parse_priority, parse_status
from toolkit.errors import ConflictError, ToolkitError, WorkspaceError
from toolkit.schema import ItemStatus, Priority
from toolkit.store import ENV_WORKSPACE, Workspace

__all__ = ["FIELDS", "ActionItemsForm", "action_items", "default_workspace_path", "notebook_workspace"]

FIELDS = ("incident_id", "title", "owner", "priority", "due_date", "status", "kind", "link", "notes")
"""The form's fields, in the order shown."""

_REPO = Path(__file__).resolve().parents[1]
_ERR = '<span style="color:#b00020">{}</span>'
_NOTE = '<span style="color:#7a5a00">{}</span>'
_OK = '<span style="color:#1b5e20">{}</span>'


def _esc(text: object) -> str:
    import html

    return html.escape(str(text))


def default_workspace_path() -> Path:
    """``$INCIDENT_TOOLKIT_WORKSPACE``, else the repository's ``workspace/`` (whatever the working
    directory; ``./workspace`` when the package is installed outside a checkout)."""
    env = os.environ.get(ENV_WORKSPACE)
    if env:
        return Path(env)
    return _REPO / "workspace" if (_REPO / "pyproject.toml").is_file() else Path("workspace")


def notebook_workspace(path: str | Path | None = None) -> Workspace:
    """The workspace a notebook works on: ``path``, else ``$INCIDENT_TOOLKIT_WORKSPACE``, else the
    repository's ``workspace/`` (whatever the working directory). An empty one gets the bundled
    sample (``data/sample``) ingested, so the notebooks run top to bottom on a fresh clone.

    Examples
    --------
    >>> import tempfile
    >>> ws = notebook_workspace(tempfile.mkdtemp())
    >>> sorted(ws.imports()["source"])
    ['pagerduty', 'postmortem', 'slack', 'statuspage']
    """
    ws = Workspace(default_workspace_path() if path is None else path)
    sample = _REPO / "data" / "sample"
    if not (ws.path / "imports").is_dir() and sample.is_dir():
        for child in sorted(sample.iterdir()):
            if child.name.startswith(".") or child.name.lower().startswith("readme"):
                continue
            files = sorted(child.iterdir()) if child.is_dir() else []
            zips = [f for f in files if f.suffix == ".zip"]
            for export in zips if files and len(zips) == len(files) else [child]:
                ws.ingest(export)
    return ws


def action_items(
    ws: Workspace, incident_id: str | None = None, *, actor: str | None = None, as_of: date | None = None
) -> Any:
    """The action-item form for ``incident_id`` (all incidents when None), as an ipywidgets box.

    ``actor`` (default: the login name) is who the audit trail names; ``as_of`` (default
    today) is the day the overdue filter judges against. The box's ``form`` attribute is
    the :class:`ActionItemsForm` behind it.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> box = action_items(ws, "INC-2025-01-15-payment-service-outage", actor="alice")
    >>> form = box.form
    >>> form.title.value, form.owner.value, form.priority.value = "Alert on pool usage", "Alice Chen", "P1"
    >>> form.save.click()
    >>> form.message.value
    '<span style="color:#1b5e20">Saved Alert on pool usage (version 1).</span>'
    """
    return ActionItemsForm(ws, incident_id, actor=actor, as_of=as_of).widget


class ActionItemsForm:
    """The widgets and handlers of :func:`action_items` (every widget is an attribute)."""

    def __init__(
        self, ws: Workspace, incident_id: str | None, *, actor: str | None = None, as_of: date | None = None
    ) -> None:
        import ipywidgets as w

        self.ws, self.actor, self.as_of = ws, actor or actions.login_name(), as_of
        self.ctx = actions.incidents_of(ws)
        self.incident_id = self.ctx.linked_id(incident_id) if incident_id else None
        if incident_id and self.incident_id is None:
            raise WorkspaceError(f"{ws.path}: no incident {incident_id!r}; pass one of its incident ids")
        self.editing: actions.ActionItem | None = None
        self.unsaved: dict[str, Any] | None = None
        self._quiet = False
        ids = self._incident_ids = self.ctx.incidents["incident_id"].to_list()
        titles = dict(zip(ids, self.ctx.incidents["title"].to_list(), strict=True))
        self.filter = w.ToggleButtons(options=["open", "overdue", "all"], value="open", description="Show")
        self.count = w.Label()
        self.table = w.VBox()
        self.status_menus: dict[str, Any] = {}
        self.edit_buttons: dict[str, Any] = {}
        layout = w.Layout(width="34em")
        self.incident = w.Dropdown(
            options=[(f"{i} — {titles[i] or ''}", i) for i in ids], description="Incident", layout=layout
        )
        self.title = w.Text(description="Title", placeholder="What is to be done", layout=layout)
        self.owner = w.Combobox(
            description="Owner", placeholder="Who owns it (person or team)", layout=layout
        )
        self.priority = w.Dropdown(options=[("(choose)", None), *((p.value, p.value) for p in Priority)])
        self.priority.description = "Priority"
        self.due_date = w.DatePicker(description="Due date")
        self.status = w.Dropdown(options=[s.value for s in ItemStatus], value="pending", description="Status")
        self.kind = w.Combobox(description="Kind", options=list(actions.KINDS), placeholder="corrective, ...")
        self.link = w.Text(
            description="Link", placeholder="https://tracker.example.com/PAY-123", layout=layout
        )
        self.notes = w.Textarea(description="Notes", layout=w.Layout(width="34em", height="4em"))
        self.fields: dict[str, Any] = {
            "incident_id": self.incident, "title": self.title, "owner": self.owner, "priority": self.priority,
            "due_date": self.due_date, "status": self.status, "kind": self.kind, "link": self.link, "notes": self.notes,
        }  # fmt: skip
        self.errors = {f: w.HTML() for f in FIELDS}
        self.save, self.cancel = (
            w.Button(description="Save", button_style="primary"),
            w.Button(description="Cancel"),
        )
        self.delete = w.Button(description="Delete…", button_style="danger")
        self.confirm_delete = w.Button(description="Yes, delete", button_style="danger")
        self.keep = w.Button(description="No, keep it")
        self.reload = w.Button(description="Reload", button_style="warning")
        self.use_mine = w.Button(description="Use my values")
        self.new = w.Button(description="New item")
        self.message = w.HTML()
        self.confirm = w.HBox([w.HTML("Delete this item?"), self.confirm_delete, self.keep])
        for name, field in self.fields.items():
            field.add_class(f"ai-{name.replace('_', '-')}")
        for name in (
            "save",
            "cancel",
            "delete",
            "confirm_delete",
            "keep",
            "reload",
            "use_mine",
            "new",
            "message",
        ):
            getattr(self, name).add_class(f"ai-{name.replace('_', '-')}")
        self.save.on_click(lambda _: self.on_save())
        self.cancel.on_click(lambda _: self.clear())
        self.new.on_click(lambda _: self.clear())
        self.delete.on_click(lambda _: self._display(self.confirm, True))
        self.keep.on_click(lambda _: self._display(self.confirm, False))
        self.confirm_delete.on_click(lambda _: self.on_delete())
        self.reload.on_click(lambda _: self.on_reload())
        self.use_mine.on_click(lambda _: self.on_use_mine())
        self.filter.observe(lambda _: self.refresh(), names="value")
        self.incident.observe(lambda _: self._suggest(), names="value")
        rows = [w.HBox([self.fields[f], self.errors[f]]) for f in FIELDS]
        heading = f"Action items — {_esc(self.incident_id)}" if self.incident_id else "Action items"
        self.widget = w.VBox(
            [
                w.HTML(f"<h3>{heading}</h3>"),
                w.HBox([self.filter, self.count]),
                self.table,
                w.HTML("<h4>Add or edit an item</h4>"),
                *rows,
                w.HBox([self.save, self.cancel, self.delete, self.new]),
                self.confirm,
                w.HBox([self.message, self.reload, self.use_mine]),
            ]
        )
        self.widget.add_class("ai-form")
        self.widget.form = self
        self.clear()
        self.refresh()

    # -- the table ------------------------------------------------------------------
    def items(self) -> pl.DataFrame:
        """The items the table shows (the incident's, through the filter)."""
        rows = actions.list_items(self.ws, incident_id=self.incident_id)
        if self.filter.value == "open":
            rows = rows.filter(pl.col("status").is_in(OPEN_STATUSES))
        elif self.filter.value == "overdue":
            rows = actions.list_items(self.ws, incident_id=self.incident_id, overdue=True, as_of=self.as_of)
        return rows

    def refresh(self) -> None:
        """Rebuild the table from the store."""
        import ipywidgets as w

        rows = self.items()
        self.count.value = f"{rows.height} item(s)"
        self.status_menus, self.edit_buttons = {}, {}
        lines = []
        for r in rows.iter_rows(named=True):
            menu = w.Dropdown(
                options=[s.value for s in ItemStatus], value=r["status"], layout=w.Layout(width="9em")
            )
            menu.add_class("ai-row-status")
            menu.observe(self._status_changed(r["item_id"], r["version"]), names="value")
            edit = w.Button(description="Edit", layout=w.Layout(width="5em"))
            edit.on_click(lambda _, i=r["item_id"]: self.edit(i))
            self.status_menus[r["item_id"]], self.edit_buttons[r["item_id"]] = menu, edit
            cells = [r["title"], r["owner"] or "—", r["priority"] or "—", r["due_date"] or "no due date"]
            if self.incident_id is None:
                cells.insert(0, r["incident_id"])
            labels = [
                w.Label(str(c), layout=w.Layout(width="24em" if i == 0 else "9em"))
                for i, c in enumerate(cells)
            ]
            line = w.HBox([*labels, menu, edit])
            line.add_class("ai-row")
            lines.append(line)
        self.table.children = lines

    def _status_changed(self, item_id: str, version: int) -> Any:
        def handler(change: dict[str, Any]) -> None:
            if self._quiet:
                return
            try:
                item = actions.update(
                    self.ws, item_id, version=version, actor=self.actor, status=change["new"]
                )
                self._say(_OK, f"{item.title}: now {item.status} (version {item.version})")
            except ConflictError as exc:
                self._say(_ERR, f"Status not changed. {exc}")
            except ToolkitError as exc:
                self._say(_ERR, f"Status not changed: {exc}")
            self.refresh()

        return handler

    # -- the form ---------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """What the form holds now, as :func:`toolkit.actions.update` takes it."""
        return {f: self.fields[f].value for f in FIELDS}

    def show(self, values: dict[str, Any]) -> None:
        """Show ``values`` in the fields, each validated before it is assigned (a bad one is left
        empty, with a note next to its field)."""
        self._quiet = True
        try:
            for f in FIELDS:
                value, problem = _widget_value(f, values.get(f))
                if f == "incident_id" and value is not None and value not in self._incident_ids:
                    value, problem = None, f"incident {value!r} is not in this workspace"
                self.fields[f].value = value if value is not None else _EMPTY.get(f)
                self.errors[f].value = _ERR.format(_esc(problem)) if problem else ""
        finally:
            self._quiet = False
        self._suggest()

    def _suggest(self) -> None:
        inc = self.incident.value
        mine = self.ctx.participants_of(inc) if inc else []
        self.owner.options = list(dict.fromkeys([*mine, *self.ctx.known_people()]))

    def clear(self) -> None:
        """An empty form for a new item (of the form's incident)."""
        self.editing, self.unsaved = None, None
        self.show({"incident_id": self.incident_id or (self._incident_ids or [None])[0]})
        self.incident.disabled = self.incident_id is not None
        self._display(self.confirm, False)
        self._display(self.delete, False)
        self._conflict(False)
        self.message.value = ""

    def edit(self, item_id: str) -> None:
        """Load item ``item_id`` into the form."""
        self.clear()
        try:
            self.editing = actions.get(self.ws, item_id, ctx=self.ctx)
        except WorkspaceError as exc:
            self._say(_ERR, str(exc))
            return
        self.show(self.editing.values())
        self.incident.disabled = False
        self._display(self.delete, True)
        self._say(_NOTE, f"Editing {self.editing.title} (version {self.editing.version})")

    def on_save(self) -> None:
        """Save the form: add a new item, or change the edited one (based on its version)."""
        values = self.values()
        for f in FIELDS:
            self.errors[f].value = ""
        try:
            if self.editing is None:
                fields = {k: v for k, v in values.items() if k not in ("status", "incident_id")}
                item = actions.add(self.ws, incident_id=values["incident_id"], actor=self.actor, **fields)
                if values["status"] != ItemStatus.pending.value:
                    item = actions.update(
                        self.ws, item.item_id, version=item.version, actor=self.actor, status=values["status"]
                    )
            else:
                before = self.editing.values()
                changes = {k: v for k, v in values.items() if _same(k, v) != _same(k, before[k])}
                item = actions.update(
                    self.ws, self.editing.item_id, version=self.editing.version, actor=self.actor, **changes
                )
        except actions.ValidationError as exc:
            for f, problem in exc.errors.items():
                self.errors[f].value = _ERR.format(_esc(problem))
            self._say(_ERR, "Not saved: see the messages next to the fields.")
            return
        except ConflictError as exc:
            self.unsaved = values
            self._conflict(True)
            self._say(
                _ERR,
                f"Not saved: {exc}. Your unsaved values are still in the form; Reload shows the current item and keeps yours next to each field.",
            )
            return
        except ToolkitError as exc:
            self._say(_ERR, f"Not saved: {exc}")
            return
        self.clear()
        note = "".join(f"<br>{_esc(x)}" for x in item.warnings)
        saved = _OK.format(f"Saved {_esc(item.title)} (version {item.version}).")
        self.message.value = saved + (_NOTE.format(note) if note else "")
        self.refresh()

    def on_delete(self) -> None:
        """Delete the edited item (after the confirmation)."""
        self._display(self.confirm, False)
        if self.editing is None:
            return
        try:
            actions.delete(self.ws, self.editing.item_id, version=self.editing.version, actor=self.actor)
        except ConflictError as exc:
            self.unsaved = self.values()
            self._conflict(True)
            self._say(_ERR, f"Not deleted: {exc}.")
            return
        title = self.editing.title
        self.clear()
        self._say(_OK, f"Deleted {title}.")
        self.refresh()

    def on_reload(self) -> None:
        """After a conflict: load the current item, and show your unsaved values beside the fields."""
        mine = self.unsaved or self.values()
        if self.editing is None:
            return
        try:
            self.editing = actions.get(self.ws, self.editing.item_id, ctx=self.ctx)
        except WorkspaceError:
            self.editing = None
            self.show(mine)
            self._conflict(False)
            self._say(
                _ERR,
                "The item was deleted meanwhile; your values are in the form, Save adds them as a new item.",
            )
            return
        self.show(self.editing.values())
        current = self.editing.values()
        for f in FIELDS:
            if _same(f, mine.get(f)) != _same(f, current.get(f)):
                shown = "(empty)" if mine.get(f) in (None, "") else mine.get(f)
                self.errors[f].value = _NOTE.format(f"your unsaved value: {_esc(shown)}")
        self.unsaved = mine
        self.reload.layout.display = "none"
        self.use_mine.layout.display = None
        by = self.editing.updated_by or "someone"
        self._say(
            _NOTE,
            f"Reloaded version {self.editing.version} (changed by {_esc(by)}). Your unsaved values are next to the fields; Use my values puts them back.",
        )

    def on_use_mine(self) -> None:
        """Put the unsaved values back into the reloaded form (Save then bases them on the new version)."""
        if self.unsaved is not None:
            self.show(self.unsaved)
        self._conflict(False)

    def _conflict(self, on: bool) -> None:
        self._display(self.reload, on)
        self._display(self.use_mine, False)

    def _say(self, style: str, text: str) -> None:
        self.message.value = style.format(_esc(text))

    @staticmethod
    def _display(widget: Any, on: bool) -> None:
        widget.layout.display = None if on else "none"


_EMPTY: dict[str, Any] = {"title": "", "owner": "", "link": "", "notes": "", "kind": "", "status": "pending"}


def _widget_value(field: str, value: Any) -> tuple[Any, str | None]:
    """``value`` as field ``field``'s widget takes it, or (None, what is wrong)."""
    try:
        if field == "due_date":
            return parse_due_date(value), None
        if field == "priority":
            return (None if value is None else parse_priority(value).value), None
        if field == "status":
            return (None if value is None else parse_status(value).value), None
    except FieldError as exc:
        return None, f"stored value not shown: {exc}"
    if value is not None and not isinstance(value, str):
        return None, f"stored value not shown: expected text, got {value!r}"
    return value, None


def _same(field: str, value: Any) -> Any:
    """A value compared across the form and the store ("" and None are the same)."""
    return None if value in ("", None) else value
