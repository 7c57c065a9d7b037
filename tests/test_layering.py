"""The import direction that keeps stages apart: read with ast, enforced here."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from conftest import ROOT

PACKAGE = ROOT / "planner"
# module -> planner modules it may import
ALLOWED = {
    "model": set(),
    "errors": set(),
    "safeyaml": set(),
    "monograph": {"model", "errors", "safeyaml"},
    "phrases": {"model", "limits"},
    "extract": {"model", "errors", "phrases"},
    "rules": {"model", "errors", "limits", "safeyaml"},
    "limits": {"model"},
    "scheduler": {"model", "errors", "limits"},
    "missed": {"model", "errors", "limits", "scheduler"},
    "views": {"model", "rules", "errors"},
    "sheet": {"model", "views"},
    "ics": {"model", "views", "rules"},
    "fhir": {"model", "errors", "rules", "views"},
    "fhir_import": {"model", "errors", "rules", "views", "fhir", "limits"},
    "files": {"model", "errors", "monograph", "extract", "rules"},
    "reopen": {"errors"},
    "inputs": {"errors", "scheduler", "views"},
    "batch": {"model", "errors", "files", "ics", "scheduler"},
    "cli": {
        "model",
        "errors",
        "files",
        "views",
        "rules",
        "scheduler",
        "ics",
        "missed",
        "fhir",
        "fhir_import",
        "batch",
        "reopen",
        "inputs",
    },
    "__init__": {"model", "errors", "monograph", "extract", "rules", "scheduler"},  # on first use
    "__main__": {"cli"},
}
FORBIDDEN_EVERYWHERE = {"streamlit"}
_IMPURE = {"yaml", "frontmatter", "icalendar", "os", "pathlib", "streamlit", "time", "random"}
PURE = {"scheduler": _IMPURE, "limits": _IMPURE, "missed": _IMPURE, "fhir": _IMPURE, "fhir_import": _IMPURE}


def imports(path) -> tuple[set[str], set[str]]:
    """(planner modules, third-party top-level names) imported by a file."""
    local, other = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level and node.module:
                local.add(node.module.split(".")[0])
            elif node.level:  # from . import a, b
                local.update(a.name for a in node.names)
            else:
                other.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.Import):
            other.update(a.name.split(".")[0] for a in node.names)
    return local, other


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_module_imports_only_earlier_stages(name) -> None:
    local, other = imports(PACKAGE / f"{name}.py")
    assert local <= ALLOWED[name], f"{name} imports {local - ALLOWED[name]}"
    assert not other & FORBIDDEN_EVERYWHERE
    assert not other & PURE.get(name, set()), f"{name} must stay pure"


def test_every_module_is_listed_and_documented() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert modules == set(ALLOWED)
    for path in PACKAGE.glob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path.name} has no docstring"


def test_only_the_app_imports_streamlit() -> None:
    importers = {
        p.relative_to(ROOT).as_posix()
        for p in ROOT.glob("**/*.py")
        if ".venv" not in p.parts and "streamlit" in imports(p)[1]
    }
    app = {p for p in importers if p.startswith(("components/", "pages/"))} | {"streamlit_app.py"}
    assert importers - app <= {"tests/test_app.py", "tests/test_browser.py", "bench/run.py"}
    assert not any("streamlit" in imports(p)[1] for p in PACKAGE.glob("**/*.py"))  # planner/ never does


def test_pages_hold_no_logic() -> None:
    """A page imports its component and calls it: no branch, loop or planner import of its own."""
    for path in (ROOT / "pages").glob("*.py"):
        tree = ast.parse(path.read_text())
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.If, ast.For, ast.While, ast.FunctionDef))]
        local, other = imports(path)
        assert other <= {"components", "__future__"}, path


def test_the_package_imports_its_names_on_first_use() -> None:
    """`planner plan --drug` must not pay for the monograph parser (issue 7's start budget),
    and every exported name, and every stage as `planner.<module>`, still resolves."""
    code = (
        "import sys, planner; from planner import cli, ics, files, rules, scheduler; "
        "lazy = {'frontmatter', 'planner.read.monograph', 'planner.read.phrases', 'planner.read.extract'}; "
        "print(sorted(lazy & set(sys.modules))); "
        "print(all(getattr(planner, n) is not None for n in planner.__all__)); "
        "print(planner.read.extract.__name__, planner.read.monograph.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.split("\n")[:3] == ["[]", "True", "planner.read.extract planner.read.monograph"]
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        import planner

        planner.nope  # noqa: B018
