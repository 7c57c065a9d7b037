"""The import direction that keeps stages apart, read with ast: layers in order, absolute and
relative imports alike, no hidden clock or randomness in the four stages, no streamlit in planner/."""

from __future__ import annotations

import ast

import pytest
from helpers import ROOT

PACKAGE = ROOT / "planner"
# Layer of each top-level part of planner/: a module may import only its own layer or lower ones.
# clock sits under model: Preferences resolves its zone name there, once.
LAYERS = {"errors": 0, "clock": 1, "model": 2, "limits": 3, "read": 4, "plan": 5, "words": 6, "write": 7,
          "files": 8, "processes": 8, "course": 9, "batch": 10, "cli": 11, "__init__": 12, "__main__": 12}  # fmt: skip
# Known upward edges, each with why (to be removed by its owner): none may be added.
ALLOWED_UP: dict[tuple[str, str], str] = {}
# Inside a package, the order of its modules: a module imports only siblings of a lower rank,
# and every module is listed here, so a new one takes its place on purpose.
SUBLAYERS = {
    "model": {"common": 0, "monograph": 0, "regimen": 0, "missed": 0, "rules": 1, "schedule": 2, "__init__": 3},
    "words": {"__init__": 0, "markdown": 0, "regimen": 0, "missed": 0,  # the words everything else uses
              "plan_text": 1, "calendar": 1, "review": 1, "today": 1, "compare": 1, "prescribed": 1,
              "before": 2, "contract": 2},
    "plan": {"__init__": 0, "choices": 0, "weekdays": 0, "missed_policy": 0, "same_day": 0, "events": 1, "scheduler": 2,
             "missed": 2},
    "write": {"__init__": 0, "ical_text": 0, "events": 0, "vtimezone": 1, "series": 1, "ics": 2, "fhir": 0,
              "sheet": 0},
}  # fmt: skip
STAGES = ("read", "plan", "words", "write")
IMPURE_CALLS = {("datetime", "now"), ("datetime", "today"), ("date", "today"), ("datetime", "utcnow"), ("time", "time")}


def part(path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def planner_imports(path) -> set[str]:
    """Top-level planner parts a file imports (relative or absolute)."""
    rel = path.relative_to(PACKAGE)
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel.parts[:-1])[: len(rel.parts) - node.level]
                target = base + (node.module.split(".") if node.module else [])
                names = target[:1] or [a.name for a in node.names]
                out.update(n for n in names if n)
            elif node.module and node.module.split(".")[0] == "planner":
                parts = node.module.split(".")
                out.update(parts[1:2] or [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names if a.name.startswith("planner."))
    return {n for n in out if n in LAYERS}


def sibling_imports(path) -> set[str]:
    """Modules of its own package a file imports (``from .x``, ``from ..words.x``, ``planner.words.x``)."""
    package = path.relative_to(PACKAGE).parts[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                out.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
            else:
                parts = (node.module or "").split(".")
                parts = parts[1:] if node.level == 0 and parts[0] == "planner" else parts if node.level == 2 else []
                if parts[:1] == [package]:
                    out.update(parts[1:2] or [a.name for a in node.names])
    return out


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
INSIDE = [p for p in MODULES if part(p) in SUBLAYERS and p.parent != PACKAGE]


@pytest.mark.parametrize("path", MODULES, ids=[p.relative_to(PACKAGE).as_posix() for p in MODULES])
def test_imports_point_down_the_layers(path) -> None:
    me = part(path)
    for other in planner_imports(path) - {me}:
        assert LAYERS[other] <= LAYERS[me] or (me, other) in ALLOWED_UP, f"{path.name}: {me} imports {other}"


def test_every_allowed_upward_edge_is_still_used() -> None:
    used = {(part(p), other) for p in MODULES for other in planner_imports(p) - {part(p)}}
    assert set(ALLOWED_UP) <= used, f"remove from ALLOWED_UP: {set(ALLOWED_UP) - used}"


@pytest.mark.parametrize("path", INSIDE, ids=[p.relative_to(PACKAGE).as_posix() for p in INSIDE])
def test_modules_inside_a_package_import_only_lower_siblings(path) -> None:
    order = SUBLAYERS[part(path)]
    assert path.stem in order, f"{path.name}: add it to SUBLAYERS[{part(path)!r}]"
    for other in sibling_imports(path) - {path.stem}:
        assert order[other] < order[path.stem], f"{path.name} imports {other}"


@pytest.mark.parametrize("path", MODULES, ids=[p.relative_to(PACKAGE).as_posix() for p in MODULES])
def test_modules_are_documented_and_never_import_streamlit_or_importlib(path) -> None:
    tree = ast.parse(path.read_text())
    assert ast.get_docstring(tree) or path.name == "__init__.py" and not path.read_text().strip(), path
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "streamlit" not in names, path
    # no module loads another by name: every import is visible to this test, ruff and mypy
    assert "importlib" not in names, path


@pytest.mark.parametrize("path", [p for p in MODULES if part(p) in STAGES],
                         ids=lambda p: p.relative_to(PACKAGE).as_posix())  # fmt: skip
def test_stages_read_no_clock_randomness_or_environment(path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) not in IMPURE_CALLS, f"{path}: {node.value.id}.{node.attr}"
            assert (node.value.id, node.attr) != ("os", "environ"), path
        if isinstance(node, ast.Import):
            assert not {a.name for a in node.names} & {"random", "time"}, path


def test_the_check_sees_relative_and_absolute_upward_imports(tmp_path) -> None:
    """A scratch scheduler that imports words (both spellings) is caught by the same reader."""
    for line in ("from ..words import regimen\n", "from planner.words import regimen\n"):
        fake = tmp_path / "planner" / "plan" / "scheduler.py"
        fake.parent.mkdir(parents=True, exist_ok=True)
        fake.write_text('"""x"""\n' + line)
        global PACKAGE
        saved, PACKAGE = PACKAGE, tmp_path / "planner"
        try:
            assert "words" in planner_imports(fake)
        finally:
            PACKAGE = saved


def test_the_check_sees_sibling_imports_in_every_spelling(tmp_path) -> None:
    """A scratch words/regimen.py that imports plan_text (three spellings) is caught."""
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "planner"
    try:
        fake = PACKAGE / "words" / "regimen.py"
        fake.parent.mkdir(parents=True)
        for line in (
            "from .plan_text import x\n",
            "from ..words.plan_text import x\n",
            "from planner.words import plan_text\n",
        ):
            fake.write_text('"""x"""\n' + line)
            assert sibling_imports(fake) == {"plan_text"}, line
        fake.write_text('"""x"""\nfrom ..model import Phase\nfrom .. import errors\n')
        assert sibling_imports(fake) == set()
    finally:
        PACKAGE = saved
