"""The layering of the code, read from its source (ast): who imports whom, and where ids are written.

- `dashboard/` is the core: it imports neither Dash (nor any `dash_*` package) nor Flask, nor
  `layouts/` or `callbacks/`.
- `layouts/` builds components: it never imports `callbacks/` (nor Flask: routes live in app.py).
- No import cycle among the modules of the three packages, counting imports inside functions too
  (an import inside a function is how a cycle hides).
- Component ids are written once, in `layouts/ids.py`: callbacks and layouts name them through it.
"""

from __future__ import annotations

import ast
import runpy
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGES = ("dashboard", "layouts", "callbacks")
DASH_ROOTS = ("dash", "flask")  # plus every dash_* package (dash_bootstrap_components, dash_table, …)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((REPO / package).rglob("*.py"))}


def imported_names(path: Path, name: str) -> set[str]:
    """Every module named by an import anywhere in the file (top level or inside a function),
    relative imports resolved; `from a import b` names `a.b` as well as `a`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    """Module → the modules of the three packages it imports."""
    known = modules()
    return {name: {m for m in imported_names(path, name) if m in known and m != name}
            for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_relative_imports_resolve(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    module = package / "mod.py"
    module.write_text("from . import ids\nfrom .sub import x\ndef f():\n    import dash\n", encoding="utf-8")
    assert imported_names(module, "pkg.mod") >= {"pkg", "pkg.ids", "pkg.sub", "pkg.sub.x", "dash"}


def test_no_import_cycle_among_the_packages():
    assert cycles(graph()) == []


def test_layouts_never_import_callbacks():
    offenders = {name: sorted(m for m in deps if m.split(".")[0] == "callbacks")
                 for name, deps in graph().items() if name.startswith("layouts")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_dashboard_imports_neither_dash_nor_the_ui_packages():
    offenders = {}
    for name, path in modules().items():
        if not name.startswith("dashboard"):
            continue
        roots = {m.split(".")[0] for m in imported_names(path, name)}
        bad = sorted(r for r in roots if r in DASH_ROOTS or r.startswith("dash_") or r in ("layouts", "callbacks"))
        if bad:
            offenders[name] = bad
    assert offenders == {}


def test_layouts_leave_routes_to_the_app():
    offenders = {name: "flask" for name, path in modules().items()
                 if name.startswith("layouts") and "flask" in {m.split(".")[0] for m in imported_names(path, name)}}
    assert offenders == {}


# -- component ids -------------------------------------------------------------------------------
IDS = {value: key for key, value in runpy.run_path(str(REPO / "layouts" / "ids.py")).items()
       if key.isupper() and isinstance(value, str)}
ID_KEYWORDS = ("id", "html_for", "target_id", "tab_id", "active_tab")
DEPENDENCIES = ("Input", "Output", "State")


def _written(node: ast.expr) -> str | None:
    """The text of a string written out (a literal or an f-string), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return ast.unparse(node)
    return None


def id_literals(path: Path) -> list[str]:
    """Ids written out in a file instead of named from `layouts/ids.py`: any string given as a
    component's id (or a label's target, a tab's id) or as a callback dependency's id, and any
    known id used as the "type" of a pattern-matching id or compared with a trigger."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            anywhere = [k.value for k in node.keywords if k.arg in ID_KEYWORDS]
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in DEPENDENCIES and node.args:
                anywhere.append(node.args[0])
            found += [text for text in map(_written, anywhere) if text is not None]
            continue
        known: list[ast.expr] = []
        if isinstance(node, ast.Dict):
            known += [v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "type"]
        elif isinstance(node, ast.Compare):
            known += [node.left, *node.comparators]
        found += [text for text in map(_written, known) if text in IDS]
    return found


@pytest.mark.parametrize("package", ["layouts", "callbacks"])
def test_component_ids_come_from_the_ids_module(package):
    written = {str(p.relative_to(REPO)): id_literals(p) for p in sorted((REPO / package).glob("*.py"))
               if p.name != "ids.py"}
    assert {k: v for k, v in written.items() if v} == {}


def test_the_id_check_sees_a_written_id(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('Input("view-query", "data")\nhtml.Div(id="new-panel")\nhtml.Div(id=f"card-{key}")\n'
                      'x = {"type": "ratio-slider"}\nif trigger == "level": pass\n'
                      'fine = {"type": "bar"}, ids.upload(role), html.Div(id=ids.ROOT)\n', encoding="utf-8")
    assert sorted(id_literals(module)) == ["f'card-{key}'", "level", "new-panel", "ratio-slider", "view-query"]


def test_ids_are_unique():
    values = [v for k, v in runpy.run_path(str(REPO / "layouts" / "ids.py")).items()
              if k.isupper() and isinstance(v, str)]
    assert len(values) == len(set(values))
