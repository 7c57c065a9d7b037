"""Stage 1: monograph text (markdown + YAML front matter) → ``Monograph``.

Copes with the source site's quirks: bold markers inside headings (``## **Usage**``),
FAQ ``q`` values that also hold the answer after ``**``, answers that start with ``A:**``.
Takes text and opens no files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..errors import MonographError
from ..model import DosingEntry, Faq, Monograph, Section
from . import safeyaml
from .text import name_key, name_problem, visible_name

_HEADING = re.compile(r"^(#{1,6})[^\S\n]+(.*)", re.M)  # the title is stripped by clean_heading
_LATER_HEADING = re.compile(r"\n" + _HEADING.pattern[1:])  # the same after the first line
_BULLET = re.compile(r"^\s*[*\-+]\s+(.*\S)\s*$")
_LABELLED = re.compile(r"^\*\*(.+?):?\*\*:?\s*(.*)$")
_POPULATIONS = (
    ("adult", "adults"),
    ("child", "children"),
    ("pediatric", "children"),
    ("paediatric", "children"),
    ("special", "special-cases"),
)
_OTHER_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # line breaks to str.splitlines, besides "\n"
_ANSWER_LEAD = re.compile(r"^\s*\**\s*A:\s*\**")  # the site's "A:**" before an answer
_MISSED = re.compile(r"\bmiss(ed|es)?\b.*\bdose", re.I)


def clean_heading(raw: str) -> str:
    """``**Adults:**`` → ``Adults``; ``**Q1: What…?**`` → ``Q1: What…?``."""
    return raw.replace("**", "").strip().rstrip(":").strip()


def _squash(text: str) -> str:
    return " ".join(text.split())  # as re.sub(r"\s+", " ", text).strip(), faster


def _front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    try:
        meta, content = _loads(text)
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None  # the YAML starts on the opening --- line
        raise MonographError(
            f"front matter is not valid YAML ({_squash(str(getattr(exc, 'problem', exc)))})", path=path, line=line
        ) from None
    if not meta:
        raise MonographError(
            "no YAML front matter", path=path, line=1, hint="a monograph starts with '---', 'title: <drug>', '---'"
        )
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise MonographError("front matter has no 'title' (the drug name)", path=path, key="title")
    return meta, content


def _loads(text: str) -> tuple[dict[str, Any], str]:
    """``frontmatter.loads(text, handler=_StrictYAML())`` as (metadata, content), in its own few
    steps: python-frontmatter defines the format, but its wrapper (a second scan for "\r\n",
    a ``Post`` built from keyword arguments) cost a fifth of reading the front matter.
    ``tests/read/test_front_matter.py`` holds the two to the same result or the same refusal."""
    if "\r" in text:  # a one-character scan; replacing "\r\n" scans for the pair, far slower
        # twice, as loads and then parse each do it (so "\r\r\n" becomes "\n")
        text = text.replace("\r\n", "\n").replace("\r\n", "\n")
    text = text.strip()
    try:
        fm, content = _HANDLER.split(text)
    except ValueError:  # no front matter: python-frontmatter gives no metadata and the whole text
        return {}, text
    meta = _HANDLER.load(fm)
    return (meta if isinstance(meta, dict) else {}), content.strip()


class _StrictYAML(YAMLHandler):
    """python-frontmatter's YAML handler with our strict safe loader (no aliases, bounded depth)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        meta = safeyaml.load(fm)
        # python-frontmatter hands the keys on as Post(content, handler, **metadata): a key such
        # as `1:` or `content:` is a TypeError there, so it is refused here, as YAML no monograph has.
        keys = list(meta) if isinstance(meta, dict) else []
        if odd := [k for k in keys if not isinstance(k, str)]:  # a list: the key may be 0 or null
            raise _not_a_key(f"a key must be a name, not {odd[0]!r}")
        if taken := [k for k in keys if k in _POST_PARAMETERS]:
            raise _not_a_key(f"{taken[0]!r} cannot be a key (python-frontmatter's Post takes it as a parameter)")
        return meta

    def split(self, text: str) -> tuple[str, str]:
        """As python-frontmatter's ``FM_BOUNDARY.split(text, 2)`` (a ValueError when there are
        not two boundaries), but the pattern is tried only where a line starts with "---",
        not at every character up to the closing one."""
        first = _boundary(text, 0)
        second = _boundary(text, first.end()) if first else None
        if first is None or second is None:
            raise ValueError("no front matter boundaries")
        return text[first.end() : second.start()], text[second.end() :]


_HANDLER = _StrictYAML()  # it keeps no state
_POST_PARAMETERS = ("self", "content", "handler")  # frontmatter.Post.__init__(self, content, handler, **metadata)


def _not_a_key(problem: str) -> yaml.YAMLError:
    return yaml.constructor.ConstructorError(None, None, problem, None)


_FM_BOUNDARY = YAMLHandler.FM_BOUNDARY  # ^-{3,}\s*$, multiline


def _boundary(text: str, at: int) -> re.Match[str] | None:
    """The first match of ``_FM_BOUNDARY`` at or after ``at``: it starts a line with "---"."""
    start = at if (at == 0 or text[at - 1] == "\n") and text.startswith("---", at) else text.find("\n---", at) + 1
    if start == 0 and at != 0 or start == 0 and not text.startswith("---"):
        return None
    while True:
        if match := _FM_BOUNDARY.match(text, start):
            return match
        start = text.find("\n---", start) + 1
        if start == 0:
            return None


class Outline:
    """The headings of a monograph body in document order. A ``Section``, with the headings
    below it, is built only when asked for: extraction reads a dozen of some thirty
    sections, and building the rest was a tenth of its time (issue 7)."""

    def __init__(self, body: str, first_line: int) -> None:
        self.body = body
        self.first_line = first_line
        # per heading: (title lowered, title, level, file line, start of its own text)
        self.headings: list[tuple[str, str, int, int, int]] = []
        self.ends: list[int] = []  # where each heading line starts: the end of the text before it
        line, start = first_line, 0
        for match in _headings(body):
            line += body.count("\n", start, match.start(1))
            start = match.start(1)  # its first "#"
            title = clean_heading(match.group(2))
            self.headings.append((title.lower(), title, len(match.group(1)), line, match.end() + 1))
            self.ends.append(max(start - 1, 0))
        self.ends.append(len(body))

    def find(self, title: str) -> Section | None:
        """As ``Section.find`` on the whole tree: the first heading starting with ``title``."""
        title = title.lower()
        return next((self.section(i) for i, h in enumerate(self.headings) if h[0].startswith(title)), None)

    def top(self, title: str) -> Iterator[Section]:
        """The top-level sections (children of the root) whose title starts with ``title``."""
        title, lowest = title.lower(), 7
        for i, (lowered, _, level, _, _) in enumerate(self.headings):
            if level <= lowest:  # no heading before it is above it
                lowest = level
                if lowered.startswith(title):
                    yield self.section(i)

    def tree(self) -> Section:
        """The whole heading tree, its root holding the text before the first heading."""
        children, _ = self._below(0, 0)
        raw = self.body[: self.ends[0]] if self.headings else self.body
        return Section(
            title="",
            level=0,
            text=raw.strip(),
            line=self.first_line,
            children=children,
            raw=raw,
            raw_line=self.first_line,
        )

    def section(self, index: int) -> Section:
        return self._build(index)[0]

    def _build(self, index: int) -> tuple[Section, int]:
        """The section of heading ``index`` and the index after the headings below it."""
        _, title, level, line, start = self.headings[index]
        children, after = self._below(index + 1, level)
        raw = self.body[start : max(self.ends[index + 1], start)]
        return Section(
            title=title, level=level, text=raw.strip(), line=line, children=children, raw=raw, raw_line=line + 1
        ), after

    def _below(self, index: int, level: int) -> tuple[tuple[Section, ...], int]:
        """The sections from heading ``index`` on that sit below a heading of ``level``, and
        the index of the first heading that does not."""
        children = []
        while index < len(self.headings) and self.headings[index][2] > level:
            child, index = self._build(index)
            children.append(child)
        return tuple(children), index


def sections(text: str) -> Section:
    """The heading tree of a monograph's body (lines numbered as in ``text``)."""
    body, body_start = _body(text, "")[1:]
    return Outline(body, body_start).tree()


def _headings(body: str) -> Iterator[re.Match[str]]:
    """The heading lines. After the first line the pattern starts with "\n", which the regex
    engine scans for in C: ``^`` (multiline) would be tried at every character, and a Python
    loop finding the "\n#"s first cost as much again as the matches."""
    if match := _HEADING.match(body):
        yield match
    yield from _LATER_HEADING.finditer(body)


def bullets(section: Section | None) -> tuple[str, ...]:
    """The bullet texts of a section, bold markers removed."""
    if section is None:
        return ()
    return tuple(
        _squash(m.group(1).replace("**", ""))
        for _, line in section.numbered_lines()
        if line and (m := _BULLET.match(line))
    )


def _population(title: str) -> str | None:
    lowered = title.lower()
    return next((pop for key, pop in _POPULATIONS if key in lowered), None)


def _dosing(outline: Outline) -> tuple[DosingEntry, ...]:
    dosage = next(outline.top("dos"), None) or outline.find("Dosage")
    if dosage is None:
        return ()
    entries: list[DosingEntry] = []

    def walk(section: Section, trail: tuple[str, ...]) -> None:
        trail = trail + (section.title,)
        population = _population(section.title)
        if population is not None:
            entries.extend(_entries(section, population, " > ".join(trail)))
        for child in section.children:
            if population is None:
                walk(child, trail)

    walk(dosage, ())
    return tuple(entries)


def _entries(section: Section, population: str, breadcrumb: str) -> list[DosingEntry]:
    out: list[DosingEntry] = []
    for number, line in section.numbered_lines():
        if not line or line.isspace():
            continue
        bullet = _BULLET.match(line)
        text = bullet.group(1) if bullet else line.strip()
        if not text:
            continue
        labelled = _LABELLED.match(text)
        if labelled:
            label, sentence = clean_heading(labelled.group(1)), labelled.group(2).strip()
        else:
            label, sentence = "", text
        out.append(DosingEntry(population=population, label=label, sentence=sentence, section=breadcrumb, line=number))
    return out


def _faqs(meta: dict[str, Any], outline: Outline) -> tuple[Faq, ...]:
    faqs: list[Faq] = []
    raw = meta.get("faqs")
    if isinstance(raw, list):
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("q"), str):
                continue
            question = _squash(item["q"].split("**", 1)[0])
            a = item.get("a")
            answer = a if isinstance(a, str) else item["q"].partition("**A:**")[2]
            faqs.append(Faq(question=question, answer=_answer(answer)))
    if faqs:
        return tuple(faqs)
    section = outline.find("FAQ")
    for child in section.children if section else ():
        question = re.sub(r"^Q\d+:\s*", "", child.title)
        faqs.append(Faq(question=question, answer=_answer(child.text)))
    return tuple(faqs)


def _answer(text: str) -> str:
    return _squash(_ANSWER_LEAD.sub("", text, count=1))


def _body(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, the file line where the body starts). In the body every line break
    that ``str.splitlines`` knows becomes "\n": a lone "\r" or a form feed before a heading
    must not hide it (the section reader looks for "\n#")."""
    if "\r" in text:  # python-frontmatter replaces "\r\n" in the body; the lines must agree
        text = text.replace("\r\n", "\n")
    meta, body = _front_matter(text, path)
    at = text.find(body[:40]) if body else -1
    if any(char in body for char in _OTHER_BREAKS):  # nine substring scans: far faster than a regex class
        body = "\n".join(body.splitlines())
    return meta, body, text.count("\n", 0, at) + 1 if at >= 0 else 1


def _checked_names(
    text: str, path: str, drug: str, brands: tuple[str, ...], brands_line: int | None, dosing: tuple[DosingEntry, ...]
) -> None:
    """Names a person must be able to read as written (``read/text.py``), and no two
    indications of one population that look the same (issue 16, item 13)."""
    if name_problem(drug) is not None:  # the line is needed only for the message
        title_line = next((n for n, line in enumerate(text.split("\n"), 1) if line.startswith("title:")), None)
        visible_name(drug, MonographError, path=path, key="title", line=title_line)
    for brand in brands:
        visible_name(brand, MonographError, path=path, key="brand name", line=brands_line)
    seen: dict[tuple[str, str], DosingEntry] = {}
    for entry in dosing:
        visible_name(entry.label, MonographError, path=path, key="indication", line=entry.line)
        if not entry.label or entry.population not in ("adults", "children"):
            continue
        first = seen.setdefault((entry.population, name_key(entry.label)), entry)
        if first is not entry:
            raise MonographError(
                f"{entry.label!r} looks the same as the {entry.population} indication {first.label!r} "
                f"on line {first.line}",
                path=path,
                key="indication",
                line=entry.line,
                hint="give each indication its own name",
            )


def parse_monograph(text: str, path: str = "") -> Monograph:
    """Parse a monograph; raise ``MonographError`` naming the file and line when it is not one."""
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()  # of the file as it is
    meta, body, body_start = _body(text, path)
    outline = Outline(body, body_start)
    faqs = _faqs(meta, outline)
    missed = next((f.answer for f in faqs if _MISSED.search(f.question)), None)
    alternate = outline.find("Alternate Names")
    drug, brands, dosing = _squash(meta["title"]), brand_names(alternate.text if alternate else ""), _dosing(outline)
    _checked_names(text, path, drug, brands, alternate.line if alternate else None, dosing)
    return Monograph(
        drug=drug,
        brand_names=brands,
        description=_squash(str(meta.get("description") or "")),
        last_modified=str(meta["lastModified"]) if meta.get("lastModified") else None,
        dosing=dosing,
        faqs=faqs,
        missed_dose=missed,
        contraindications=bullets(outline.find("Contraindications")),
        pregnancy=bullets(outline.find("Pregnancy")),
        precautions=bullets(outline.find("Precautions")),
        disclaimers=tuple(s.text for s in outline.top("disclaimer")),
        sha256=sha256,
        path=path,
    )


_BRANDS = re.compile(r"brand names?\b[^.]*?(?:notably|such as|including|like|:)\s+([^.]+)", re.I)


def brand_names(text: str) -> tuple[str, ...]:
    """Brand names from the 'Alternate Names' prose: "…notably Aldara and Zyclara." → both."""
    match = _BRANDS.search(text)
    if not match:
        return ()
    parts = re.split(r",\s*|\s+(?:and|or)\s+", match.group(1))
    names = [p.strip(" *()") for p in parts]
    return tuple(n for n in names if n and n[0].isupper() and len(n.split()) <= 3)
