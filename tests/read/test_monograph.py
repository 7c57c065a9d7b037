"""Stage 1: the monograph parser, on the seed (quirks included) and on invalid files."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DATA, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import MonographError
from planner.files import load_monograph
from planner.read.monograph import Outline, clean_heading, parse_monograph, sections

SEED = ROOT / "monographs" / "imiquimod.md"


@pytest.fixture(scope="module")
def seed():
    return load_monograph(SEED)


def test_seed_is_copied_verbatim() -> None:
    shared = ROOT.parent / "shared" / "seeds" / "imiquimod.md"
    if not shared.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    assert SEED.read_bytes() == shared.read_bytes()


def test_drug_names_and_front_matter(seed) -> None:
    assert seed.drug == "Imiquimod"
    assert seed.brand_names == ("Aldara", "Zyclara")
    assert seed.last_modified == "2025-09-22T17:21:53.323Z"
    assert seed.description.startswith("Imiquimod is prescribed")


def test_headings_lose_bold_markers_and_keep_their_line() -> None:
    root = sections(SEED.read_text())
    titles = [s.title for s in root.children]
    assert titles[:4] == ["Usage", "Alternate Names", "How It Works", "Dosage"]
    dosage = root.find("Dosage")
    lines = SEED.read_text().splitlines()
    assert lines[dosage.line - 1] == "## **Dosage**"
    assert [c.title for c in dosage.find("Standard Dosage").children] == ["Adults", "Children", "Special Cases"]


def test_dosing_bullets_per_population(seed) -> None:
    adults = [e for e in seed.dosing if e.population == "adults"]
    assert [e.label for e in adults] == [
        "Actinic Keratosis",
        "Superficial Basal Cell Carcinoma",
        "External Genital/Perianal Warts",
    ]
    assert adults[1].sentence == "Apply 5 times per week for 6 weeks."
    assert adults[0].section == "Dosage > Standard Dosage > Adults"
    text = SEED.read_text().splitlines()
    for entry in seed.dosing:
        assert entry.sentence in text[entry.line - 1]
    children = [e for e in seed.dosing if e.population == "children"]
    assert len(children) == 1 and children[0].label == "" and "under 12 years" in children[0].sentence
    assert {e.label for e in seed.dosing if e.population == "special-cases"} >= {"Elderly Patients"}


def test_windows_line_endings_read_the_same(seed) -> None:
    crlf = parse_monograph(SEED.read_text().replace("\n", "\r\n"), str(SEED))
    assert crlf.dosing == seed.dosing
    assert sections(SEED.read_text().replace("\n", "\r\n")) == sections(SEED.read_text())
    assert (crlf.faqs, crlf.missed_dose, crlf.pregnancy) == (seed.faqs, seed.missed_dose, seed.pregnancy)


@pytest.mark.parametrize("brk", ["\r", "\f", "\x85", "\u2028", "\v"])
def test_any_line_break_ends_a_heading_line(brk) -> None:
    """A lone carriage return (or form feed…) before a heading once hid it, and the
    contraindications under it never became warnings."""
    text = (
        "---\ntitle: X\n---\n## Dosage\n#### Adults:"
        + brk
        + "* **Pain:** Take 10 mg by mouth once daily.\n"
        + brk
        + "## Contraindications\n* Severe liver disease\n"
    )
    monograph = parse_monograph(text)
    assert [(e.label, e.line) for e in monograph.dosing] == [("Pain", 6)]
    assert monograph.contraindications == ("Severe liver disease",)


def test_section_text_is_its_own_lines_without_sub_headings() -> None:
    text = "---\ntitle: X\n---\nintro\n# A\n\none\n## B ##\ntwo\n#not a heading\n####### seven\n# C"
    root = sections(text)
    a, c = root.children
    assert (root.text, a.title, a.text, a.line, c.title, c.text) == ("intro", "A", "one", 5, "C", "")
    (b,) = a.children
    assert (b.title, b.line, b.text) == ("B ##", 8, "two\n#not a heading\n####### seven")
    assert b.numbered_lines() == [(9, "two"), (10, "#not a heading"), (11, "####### seven")]


def test_faq_quirks_question_holds_the_answer(seed) -> None:
    first = seed.faqs[0]
    assert first.question == "What is the recommended dosage for Imiquimod?"
    assert first.answer.startswith("Dosage varies depending")  # "A:**" stripped
    assert "**" not in first.question + first.answer
    assert len(seed.faqs) == 10


def test_missed_dose_and_safety_sections(seed) -> None:
    assert seed.missed_dose.startswith("Apply the missed dose as soon as you remember")
    assert "Do not extend treatment" in seed.missed_dose
    assert seed.contraindications[0] == "Hypersensitivity to imiquimod or any component of the formulation."
    assert seed.pregnancy[0].startswith("Pregnancy: Pregnancy Category C.")
    assert any(p.startswith("Lifestyle Considerations") for p in seed.precautions)


def test_faqs_fall_back_to_the_body_without_front_matter_faqs() -> None:
    text = SEED.read_text()
    head, _, body = text.partition("faqs:")
    stripped = head + body[body.index("\n---\n") + 1 :]
    monograph = parse_monograph(stripped, "x.md")
    assert monograph.missed_dose.startswith("Apply the missed dose")


def test_sha256_changes_with_one_character() -> None:
    text = SEED.read_text()
    assert parse_monograph(text).sha256 != parse_monograph(text.replace("16 weeks", "17 weeks", 1)).sha256


@pytest.mark.parametrize("raw,clean", [("**Adults:**", "Adults"), ("**Q1: What?**", "Q1: What?"), ("Usage", "Usage")])
def test_clean_heading(raw: str, clean: str) -> None:
    assert clean_heading(raw) == clean


INVALID = sorted((DATA / "monographs" / "invalid").glob("*.md"))


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_monographs_give_the_pinned_error(path: Path) -> None:
    from planner.files import extract_file

    expected = path.with_suffix(".err").read_text().strip().replace("{path}", str(path))
    with pytest.raises(MonographError) as info:
        extract_file(path)
    assert str(info.value) == expected


@pytest.mark.parametrize(
    ("name", "marker"), [("alias-bomb", "*a,"), ("deep-nesting", "[[["), ("python-tag", "!!python")]
)
def test_a_front_matter_error_names_the_line_that_holds_it(name, marker) -> None:
    """The pinned lines were one too high: python-frontmatter's YAML starts on the '---' line."""
    path = DATA / "monographs" / "invalid" / f"{name}.md"
    with pytest.raises(MonographError) as info:
        parse_monograph(path.read_text(), str(path))
    line = int(str(info.value).split(":")[1])
    assert marker in path.read_text().splitlines()[line - 1]
    assert all(marker not in text for text in path.read_text().splitlines()[: line - 1])


headings = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.sampled_from(["Dosage", "Adults", "FAQ", "Dos", "Pregnancy", "x"]),
        st.sampled_from(["", "text", "* bullet\nmore"]),
    ),
    max_size=12,
)


def shape(section) -> tuple:
    return (section.title, section.level, section.line, tuple(shape(c) for c in section.children))


def stack_shape(heads: list[tuple[int, str, str]], first_line: int) -> tuple:
    """The reference nesting: a heading belongs to the nearest heading above it of a lower level."""
    root: list = ["", 0, first_line, []]
    stack, line = [root], first_line
    for level, title, text in heads:
        node = [title, level, line, []]
        line += 2 + text.count("\n")
        while stack[-1][1] >= level:
            stack.pop()
        stack[-1][3].append(node)
        stack.append(node)

    def freeze(node: list) -> tuple:
        return (node[0], node[1], node[2], tuple(freeze(c) for c in node[3]))

    return freeze(root)


@settings(max_examples=200, deadline=None)
@given(headings)
def test_outline_lookups_agree_with_the_tree(heads) -> None:
    """Extraction looks sections up in the flat outline; the tree is the reference."""
    body = "".join(f"{'#' * level} **{title}**\n{text}\n" for level, title, text in heads)
    outline = Outline(body, 4)
    tree = outline.tree()
    assert shape(tree) == stack_shape(heads, 4)
    for title in ("dos", "Dosage", "FAQ", "pregnancy", "x", "missing"):
        assert outline.find(title) == tree.find(title)
        assert list(outline.top(title)) == [c for c in tree.children if c.title.lower().startswith(title.lower())]


@pytest.mark.parametrize("key", ["1", "2026-12-01", "true", "null", "1.5"])
def test_a_front_matter_key_that_is_not_a_name_is_refused(key) -> None:
    """python-frontmatter hands the keys on as keyword arguments: `1: x` was a TypeError (exit 1)."""
    text = f"---\n{key}: x\ntitle: Foo\n---\n# Foo\n"
    with pytest.raises(MonographError, match="a key must be a name"):
        parse_monograph(text, "odd.md")


@pytest.mark.parametrize("key", ["content", "handler", "self"])
def test_a_front_matter_key_that_python_frontmatter_keeps_is_refused(key) -> None:
    """`Post(content, handler, **metadata)` took `content: x` as a second `content`: a TypeError (exit 1)."""
    text = f"---\n{key}: x\ntitle: Foo\n---\n# Foo\n"
    with pytest.raises(MonographError, match=f"'{key}' cannot be a key"):
        parse_monograph(text, "odd.md")
