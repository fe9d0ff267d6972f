"""The layout shows the data flow: layers import only lower layers, and no module imports in a circle.

Every ``import`` counts, also those inside functions; only ``if TYPE_CHECKING:`` blocks are
left out (they are for type checkers and never run).
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "toolkit"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("toolkit._version", "toolkit.errors", "toolkit.progress"),
    ("toolkit.schema", "toolkit.clock"),
    ("toolkit.policy",),
    ("toolkit.whys", "toolkit.samplegen"),
    ("toolkit.importers",),
    ("toolkit.store",),
    ("toolkit.timeline",),
    ("toolkit.workspace",),
    ("toolkit.analysis",),
    ("toolkit.actions",),
    ("toolkit.charts", "toolkit.forms", "toolkit.comms"),
    ("toolkit.reports",),
    ("toolkit.pipeline",),
    ("toolkit.cli",),
)
"""Lowest first. A module may import its own package and any package of a lower layer."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str) -> set[str]:
    """The toolkit modules ``module`` imports (resolved to files that exist)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:  # `from pkg import submodule` imports the submodule, not pkg's body
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: _imports(m) for m in MODULES}


def _layer(module: str) -> tuple[int, str] | None:
    for i, group in enumerate(LAYERS):
        for package in group:
            if module == package or module.startswith(package + "."):
                return i, package
    return None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "toolkit"))
def test_module_has_a_layer(module: str) -> None:
    assert _layer(module) is not None, f"{module}: add its package to LAYERS in tests/test_layers.py"


def test_no_module_imports_a_higher_layer_or_a_sibling_package() -> None:
    bad = []
    for module, deps in GRAPH.items():
        if module == "toolkit":  # the facade: lazy attribute access to every public name
            continue
        mine = _layer(module)
        assert mine is not None
        for dep in sorted(deps):
            theirs = _layer(dep)
            if theirs is None or dep == "toolkit":
                bad.append(f"{module} -> {dep}")
            elif theirs[0] > mine[0] or (theirs[0] == mine[0] and theirs[1] != mine[1]):
                bad.append(f"{module} (layer {mine[0]}) -> {dep} (layer {theirs[0]})")
    assert bad == []


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(module: str, stack: list[str]) -> None:
        state[module] = 1
        stack.append(module)
        for dep in sorted(GRAPH[module]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                walk(dep, stack)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            walk(module, [])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_imports_on_its_own(module: str) -> None:
    """Imported first, with no other toolkit module loaded, each module still imports."""
    saved = {k: v for k, v in sys.modules.items() if k == "toolkit" or k.startswith("toolkit.")}
    for k in saved:
        del sys.modules[k]
    try:
        importlib.import_module(module)
    finally:
        for k in [k for k in sys.modules if k == "toolkit" or k.startswith("toolkit.")]:
            del sys.modules[k]
        sys.modules.update(saved)
