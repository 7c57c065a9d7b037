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

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from . import safeyaml
from .errors import MonographError
from .model import DosingEntry, Faq, Monograph, Section

_HEADING = re.compile(r"^(#{1,6})[^\S\n]+(.*)", re.M)  # the title is stripped by clean_heading
_BULLET = re.compile(r"^\s*[*\-+]\s+(.*\S)\s*$")
_LABELLED = re.compile(r"^\*\*(.+?):?\*\*:?\s*(.*)$")
_POPULATIONS = (("adult", "adults"), ("child", "children"), ("pediatric", "children"),
                ("paediatric", "children"), ("special", "special-cases"))
_ANSWER_LEAD = re.compile(r"^\s*\**\s*A:\s*\**")  # the site's "A:**" before an answer
_MISSED = re.compile(r"\bmiss(ed|es)?\b.*\bdose", re.I)


def clean_heading(raw: str) -> str:
    """``**Adults:**`` → ``Adults``; ``**Q1: What…?**`` → ``Q1: What…?``."""
    return raw.replace("**", "").strip().rstrip(":").strip()


def _squash(text: str) -> str:
    return " ".join(text.split())  # as re.sub(r"\s+", " ", text).strip(), faster


def _front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    try:
        post = frontmatter.loads(text, handler=_StrictYAML())
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for '---'
        raise MonographError(f"front matter is not valid YAML ({_squash(str(getattr(exc, 'problem', exc)))})",
                             path=path, line=line) from None
    meta = post.metadata
    if not isinstance(meta, dict) or not meta:
        raise MonographError("no YAML front matter", path=path, line=1,
                             hint="a monograph starts with '---', 'title: <drug>', '---'")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise MonographError("front matter has no 'title' (the drug name)", path=path, key="title")
    return meta, post.content


class _StrictYAML(YAMLHandler):
    """python-frontmatter's YAML handler with our strict safe loader (no aliases, bounded depth)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return safeyaml.load(fm)


def _sections(body: str, first_line: int) -> tuple[Section, _Outline]:
    """Build the heading tree; each section keeps the 1-based file line of its heading.
    Also returns the sections in document order, to look them up without walking the tree.

    A section is frozen when the next heading at its level or above closes it, and its text
    is sliced from the body, not rebuilt line by line: parsing is on the extraction budget
    (issue 7).
    """
    outline: list[Section] = []
    stack = [_Open("", 0, first_line, first_line, 0, -1)]
    start, line = 0, first_line
    for match in _headings(body):
        line += body.count("\n", start, match.start())
        start = match.start()
        stack[-1].end = max(start - 1, stack[-1].start)
        level = len(match.group(1))
        while stack[-1].level >= level:
            _close(stack, body, outline)
        stack.append(_Open(clean_heading(match.group(2)), level, line, line + 1, match.end() + 1, len(outline)))
        outline.append(None)  # type: ignore[arg-type]  # its place in document order, filled when closed
    while len(stack) > 1:
        _close(stack, body, outline)
    root = stack[0].section(body)
    return root, _Outline(outline)


class _Open:
    """A section whose sub-headings are still being read."""

    __slots__ = ("title", "level", "line", "raw_line", "start", "end", "order", "children")

    def __init__(self, title: str, level: int, line: int, raw_line: int, start: int, order: int) -> None:
        self.title, self.level, self.line, self.raw_line = title, level, line, raw_line
        self.start, self.end, self.order = start, None, order
        self.children: list[Section] = []

    def section(self, body: str) -> Section:
        raw = body[self.start:self.end]
        return Section(title=self.title, level=self.level, text=raw.strip(), line=self.line,
                       children=tuple(self.children), raw=raw, raw_line=self.raw_line)


def _close(stack: list[_Open], body: str, outline: list[Section]) -> None:
    node = stack.pop()
    outline[node.order] = section = node.section(body)
    stack[-1].children.append(section)


def _headings(body: str) -> Iterator[re.Match[str]]:
    """The heading lines. Finding the '#'s that start lines first is several times faster than
    letting the regex try '^' at every character."""
    at = 0 if body.startswith("#") else body.find("\n#") + 1
    while at or body.startswith("#"):
        if match := _HEADING.match(body, at):
            yield match
        at = body.find("\n#", at) + 1
        if not at:
            return


class _Outline:
    """The sections below the root in document order: ``Section.find`` without the recursion."""

    def __init__(self, sections: list[Section]) -> None:
        self.titles = [(s.title.lower(), s) for s in sections]

    def find(self, title: str) -> Section | None:
        title = title.lower()
        return next((s for lowered, s in self.titles if lowered.startswith(title)), None)


def bullets(section: Section | None) -> tuple[str, ...]:
    """The bullet texts of a section, bold markers removed."""
    if section is None:
        return ()
    return tuple(_squash(m.group(1).replace("**", "")) for _, line in section.numbered_lines()
                 if (m := _BULLET.match(line)))


def _population(title: str) -> str | None:
    lowered = title.lower()
    return next((pop for key, pop in _POPULATIONS if key in lowered), None)


def _dosing(root: Section, outline: _Outline) -> tuple[DosingEntry, ...]:
    dosage = next((s for s in root.children if s.title.lower().startswith("dos")), None)
    if dosage is None:
        dosage = outline.find("Dosage")
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
        bullet = _BULLET.match(line)
        text = bullet.group(1) if bullet else line.strip()
        if not text:
            continue
        labelled = _LABELLED.match(text)
        if labelled:
            label, sentence = clean_heading(labelled.group(1)), labelled.group(2).strip()
        else:
            label, sentence = "", text
        out.append(DosingEntry(population=population, label=label, sentence=sentence,
                               section=breadcrumb, line=number))
    return out


def _faqs(meta: dict[str, Any], outline: _Outline) -> tuple[Faq, ...]:
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


def parse_monograph(text: str, path: str = "") -> Monograph:
    """Parse a monograph; raise ``MonographError`` naming the file and line when it is not one."""
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()  # of the file as it is
    text = text.replace("\r\n", "\n")  # python-frontmatter does so to the body; lines must agree
    meta, body = _front_matter(text, path)
    at = text.find(body[:40]) if body else -1
    body_start = text.count("\n", 0, at) + 1 if at >= 0 else 1
    root, outline = _sections(body, body_start)
    faqs = _faqs(meta, outline)
    missed = next((f.answer for f in faqs if _MISSED.search(f.question)), None)
    alternate = outline.find("Alternate Names")
    disclaimers = tuple(s.text for s in root.children if s.title.lower().startswith("disclaimer"))
    return Monograph(
        drug=_squash(meta["title"]),
        brand_names=brand_names(alternate.text if alternate else ""),
        description=_squash(str(meta.get("description") or "")),
        last_modified=str(meta["lastModified"]) if meta.get("lastModified") else None,
        root=root,
        dosing=_dosing(root, outline),
        faqs=faqs,
        missed_dose=missed,
        contraindications=bullets(outline.find("Contraindications")),
        pregnancy=bullets(outline.find("Pregnancy")),
        precautions=bullets(outline.find("Precautions")),
        disclaimers=disclaimers,
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
