"""The package's layers: each module imports only the layers below it, and no cycles.

The layers are the data path of docs/design.md, bottom first.  A module may import its
own layer and those below; imports for type checking only (``if TYPE_CHECKING:``) do not
count, nor does the package root, imported for ``__version__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Bottom first; a module not listed fails the test (a new module must be placed).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("oewg_cal.errors", "oewg_cal._gc", "oewg_cal._lazy_re"),
    ("oewg_cal.model", "oewg_cal.stations"),
    ("oewg_cal.schema", "oewg_cal.text"),
    ("oewg_cal.readers.timetext", "oewg_cal.readers.positions"),
    (
        "oewg_cal.readers.lines",
        "oewg_cal.readers.layout",
        "oewg_cal.readers.html_table",
        "oewg_cal.readers.pdf",
        "oewg_cal.readers.document",
        "oewg_cal.readers.programme_file",
        "oewg_cal.readers",
        "oewg_cal.ical",
        "oewg_cal.ical.limits",
        "oewg_cal.ical.feed",
        "oewg_cal.ical.vtimezone",
    ),
    ("oewg_cal.ical.encode", "oewg_cal.ical.decode", "oewg_cal.ical.lint"),
    ("oewg_cal.ical.jcal", "oewg_cal.page"),
    ("oewg_cal.atomic", "oewg_cal._http", "oewg_cal.fetch", "oewg_cal.caldav"),
    (
        "oewg_cal.refresh.config",
        "oewg_cal.refresh.filters",
        "oewg_cal.refresh.report",
        "oewg_cal.refresh.plan",
        "oewg_cal.refresh.state",
        "oewg_cal.refresh.pages",
        "oewg_cal.refresh.run",
        "oewg_cal.refresh",
    ),
    ("oewg_cal.cli", "oewg_cal.cli.refresh", "oewg_cal.cli.page"),
    ("oewg_cal.__main__",),
)
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, top_level_only: bool) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for rest in child.orelse:
                    visit(rest, top)
                continue
            if isinstance(child, ast.ImportFrom) and child.module and (top or not top_level_only):
                if child.module.startswith("oewg_cal"):
                    for alias in child.names:
                        sub = f"{child.module}.{alias.name}"
                        found.add(sub if sub in LAYER else child.module)
            elif isinstance(child, ast.Import) and (top or not top_level_only):
                found.update(a.name for a in child.names if a.name.startswith("oewg_cal"))
            inner = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            visit(child, top and not inner)

    visit(tree, True)
    return found - {"oewg_cal"}


MODULES = {_module_name(p): p for p in sorted((SRC / "oewg_cal").rglob("*.py"))}


def test_every_module_has_a_layer() -> None:
    assert sorted(set(MODULES) - set(LAYER) - {"oewg_cal"}) == []


@pytest.mark.parametrize("name", sorted(set(MODULES) - {"oewg_cal"}))
def test_imports_go_down(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    upward = sorted(i for i in _imports(tree, False) if LAYER.get(i, -1) > LAYER[name])
    assert upward == [], f"{name} (layer {LAYER[name]}) imports {upward}"


def test_no_import_cycles() -> None:
    graph = {
        name: _imports(ast.parse(path.read_text(encoding="utf-8")), True) & set(MODULES)
        for name, path in MODULES.items()
    }
    state: dict[str, int] = {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " → ".join([*trail, node, target]))
            if target not in state:
                walk(target, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [])
