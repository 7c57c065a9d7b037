"""The README is tested: its CLI examples run, its docs links resolve, its tree is the package.

- Every ```console block is run in one temporary folder, in order (a later example may use a file
  an earlier one wrote), against the repository's monographs and rules. A line starting with
  ``$ `` is a command (a trailing ``\\`` continues it); the lines after it, up to the next
  command, are what it prints (stdout, then stderr): the first lines of that, or all of it. A
  ``...`` line skips lines. A command exits 0 unless it ends with the comment ``# exits N``.
- A fenced block whose info string has ``title=NAME`` (```csv title=patients.csv) is written to
  that file in the folder before the commands run.
- Every relative link (``](docs/...)``) resolves to a file or folder of the repository.
- The Architecture section's ```text block lists exactly the modules under ``planner/``: a
  folder line (``read/``) stands for its ``__init__.py``.

``python tests/test_readme.py --tree`` prints a fresh tree for the README: the descriptions now
in the README are kept, new modules get the first line of their docstring.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import ROOT

README = ROOT / "README.md"
PACKAGE = ROOT / "planner"
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.M | re.S)
EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")
TREE_WIDTH = 22  # the column where a module's description starts


@dataclass(frozen=True)
class Example:
    command: str
    expected: tuple[str, ...]
    exit_code: int
    line: int  # in README.md

    def __str__(self) -> str:
        return f"README.md:{self.line}: $ {self.command}"


def blocks(text: str, kind: str) -> list[tuple[str, str, int]]:
    """(info string, body, line of the body) of each fenced block whose language is ``kind``."""
    out = []
    for m in FENCE.finditer(text):
        info = m.group(1).strip()
        if info.split(" ")[0] == kind or (kind == "*" and info):
            out.append((info, m.group(2), text.count("\n", 0, m.start(2)) + 1))
    return out


def examples(text: str) -> list[Example]:
    out: list[Example] = []
    for _, body, first in blocks(text, "console"):
        lines = body.splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                raise AssertionError(f"README.md:{first + i}: a console block must start with `$ `: {lines[i]!r}")
            start = i
            command = lines[i][2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1].rstrip() + " " + lines[i].strip()
            i += 1
            expected = []
            while i < len(lines) and not lines[i].startswith("$ "):
                expected.append(lines[i])
                i += 1
            m = EXITS.search(command)
            out.append(Example(command, tuple(expected), int(m.group(1)) if m else 0, first + start))
    return out


def files(text: str) -> dict[str, str]:
    out = {}
    for info, body, _ in blocks(text, "*"):
        m = re.search(r"\btitle=(\S+)", info)
        if m:
            out[m.group(1)] = body
    return out


def matches(expected: tuple[str, ...], got: list[str]) -> bool:
    """The shown lines are the first lines printed; a ``...`` line skips any number of lines."""
    chunks: list[list[str]] = [[]]
    for line in expected:
        if line.strip() in ("...", "…"):
            chunks.append([])
        else:
            chunks[-1].append(line.rstrip())
    got = [line.rstrip() for line in got]
    first, *rest = chunks
    if got[: len(first)] != first:
        return False
    at = len(first)
    for chunk in rest:
        while at <= len(got) - len(chunk) and got[at : at + len(chunk)] != chunk:
            at += 1
        if at > len(got) - len(chunk):
            return False
        at += len(chunk)
    return True


TEXT = README.read_text(encoding="utf-8")
EXAMPLES = examples(TEXT)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for all examples, with the repository's monographs and rules and a `planner`."""
    folder = tmp_path_factory.mktemp("readme")
    for name in ("monographs", "rules"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    for name, body in files(TEXT).items():
        (folder / name).write_text(body, encoding="utf-8")
    bin_dir = folder / ".bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "planner"
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m planner "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return folder


def run(example: Example, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{folder / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PLANNER_DATA": str(ROOT),
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": "1764547200",
        "COLUMNS": "80",
    }
    return subprocess.run(
        ["bash", "-c", example.command], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_readme_has_examples() -> None:
    commands = " ".join(e.command for e in EXAMPLES)
    for needed in (
        "planner list",
        "planner plan",
        "planner missed",
        "planner batch",
        "planner extract",
        "planner validate",
        "--sig",
        "--option",
        "--amount",
        "--from-ics",
        "--fhir",
    ):
        assert needed in commands, f"the README has no example of {needed}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"line{e.line}" for e in EXAMPLES])
def test_example(example: Example, workdir: Path) -> None:
    assert example.command.startswith("planner "), f"{example}: examples run the planner only"
    done = run(example, workdir)
    printed = done.stdout.splitlines() + done.stderr.splitlines()
    assert (
        done.returncode == example.exit_code
    ), f"{example}\nexit {done.returncode}, the README says {example.exit_code}\n{done.stderr}"
    assert matches(example.expected, printed), (
        f"{example}\nthe README shows:\n" + "\n".join(example.expected) + "\nit printed:\n" + "\n".join(printed[:40])
    )


def test_the_flags_shown_exist() -> None:
    """Every --flag in a README example is in that command's --help (an example may fail on purpose)."""
    helps: dict[str, str] = {}
    for example in EXAMPLES:
        words = shlex.split(example.command, comments=True)
        command = words[1]
        if command not in helps:
            helps[command] = subprocess.run(
                [sys.executable, "-m", "planner", command, "--help"],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
            ).stdout
        for flag in (w.split("=")[0] for w in words if w.startswith("--")):
            assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", helps[command]), f"{example}: {flag}"


def all_help() -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    out = []
    for command in ([], ["list"], ["plan"], ["missed"], ["batch"], ["extract"], ["validate"]):
        done = subprocess.run(
            [sys.executable, "-m", "planner", *command, "--help"], capture_output=True, text=True, env=env
        )
        out.append(done.stdout)
    return "\n".join(out)


def test_every_flag_cited_exists() -> None:
    """A --flag named anywhere in the README or docs/cli.md is an option of some command."""
    helps = all_help()
    for page in (README, ROOT / "docs" / "cli.md"):
        lines = page.read_text(encoding="utf-8").splitlines()
        text = "\n".join(
            line for line in lines if not re.search(r"\b(ruff|mypy|pytest|test_readme)\b", line)
        )  # other tools' flags
        for flag in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))):
            assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", helps), f"{page.name} cites {flag}"


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


def check_links(page: Path) -> None:
    for link in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        path = (page.parent / target) if target else page
        assert path.exists(), f"{page.relative_to(ROOT)} links to {link}, which does not exist"
        if anchor and path.suffix == ".md":
            assert anchor in anchors(path), f"{page.relative_to(ROOT)} links to {link}: no such heading"


def test_links_resolve() -> None:
    assert "](docs/" in TEXT
    check_links(README)


def test_docs_links_resolve() -> None:
    """The docs' own relative links too, and docs/README.md indexes every page."""
    pages = sorted((ROOT / "docs").glob("*.md"))
    for page in pages:
        check_links(page)
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    for page in pages:
        if page.name != "README.md":
            assert f"({page.name}" in index, f"docs/README.md does not list {page.name}"


# --- the Architecture tree ------------------------------------------------------------------


def tree_block(text: str = TEXT) -> tuple[str, int, int]:
    """The ```text block of the Architecture section: (body, start, end offsets in the README)."""
    section = text.index("\n## Architecture")
    m = re.compile(r"^```text\n(.*?)^```", re.M | re.S).search(text, section)
    assert m, "the Architecture section has no ```text block"
    return m.group(1), m.start(1), m.end(1)


def tree_entries(body: str) -> dict[str, str]:
    """Paths listed under planner/ (relative to the repository) → their description."""
    out: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for raw in body.splitlines():
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        name, _, description = raw.strip().partition(" ")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = "/".join([s[1].rstrip("/") for s in stack] + [name.rstrip("/")])
        if name.endswith("/"):
            stack.append((indent, name))
            path += "/__init__.py"
        out[path] = description.strip()
    return {p: d for p, d in out.items() if p.startswith("planner/")}


def modules() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def test_the_tree_lists_exactly_the_modules() -> None:
    listed = set(tree_entries(tree_block()[0]))
    missing, extra = sorted(modules() - listed), sorted(listed - modules())
    hint = " (`python tests/test_readme.py --tree` prints a fresh tree)"
    assert not missing, f"the README's Architecture tree misses {missing}{hint}"
    assert not extra, f"the README's Architecture tree lists modules that do not exist: {extra}{hint}"


def test_the_tree_says_what_each_module_is() -> None:
    for path, description in tree_entries(tree_block()[0]).items():
        assert description, f"the Architecture tree gives {path} no description"


def first_docstring_line(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.strip().split("\n")[0].rstrip(".")


def render_tree() -> str:
    """The planner/ tree with the README's descriptions (docstrings for new modules), then the
    README's other top-level lines (the app) unchanged."""
    body = tree_block()[0]
    known = tree_entries(body)
    lines = []

    def walk(folder: Path, depth: int) -> None:
        pad = "  " * depth
        rel = folder.relative_to(ROOT).as_posix()
        init = f"{rel}/__init__.py"
        describe = known.get(init) or first_docstring_line(folder / "__init__.py")
        lines.append(f"{pad}{folder.name + '/':<{TREE_WIDTH - len(pad) - 1}} {describe}".rstrip())
        children = sorted(folder.iterdir(), key=lambda p: (p.is_dir(), p.name != "__init__.py", p.name))
        for child in children:
            if child.is_dir() and (child / "__init__.py").exists():
                walk(child, depth + 1)
            elif child.suffix == ".py" and child.name != "__init__.py":
                path = child.relative_to(ROOT).as_posix()
                text = known.get(path) or first_docstring_line(child)
                cpad = "  " * (depth + 1)
                lines.append(f"{cpad}{child.name:<{TREE_WIDTH - len(cpad) - 1}} {text}".rstrip())

    walk(PACKAGE, 0)
    others = [
        line for line in body.splitlines() if line and not line.startswith(" ") and not line.startswith("planner/")
    ]
    return "\n".join(lines + others) + "\n"


if __name__ == "__main__":
    if "--tree" in sys.argv:
        print(render_tree(), end="")
    elif "--write-tree" in sys.argv:  # rewrite the README's block in place
        _, start, end = tree_block()
        README.write_text(TEXT[:start] + render_tree() + TEXT[end:], encoding="utf-8")
    else:
        sys.exit(pytest.main([__file__, "-q"]))
