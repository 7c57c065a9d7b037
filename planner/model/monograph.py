"""Stage 1's types: a parsed drug monograph, its heading tree and its dosing entries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A heading of the monograph body with its own text and its sub-headings."""

    title: str
    level: int
    text: str
    line: int
    children: tuple[Section, ...] = ()
    raw: str = field(default="", repr=False)  # its own lines as written, up to the first sub-heading
    raw_line: int = field(default=0, repr=False)  # the file line where ``raw`` starts

    def numbered_lines(self) -> list[tuple[int, str]]:
        """Its own lines as (1-based file line, text)."""
        return list(enumerate(self.raw.split("\n"), self.raw_line))

    def find(self, title: str) -> Section | None:
        """The first section below this one whose title starts with ``title`` (case-insensitive)."""
        for child in self.children:
            if child.title.lower().startswith(title.lower()):
                return child
            found = child.find(title)
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class DosingEntry:
    """One dosing bullet (or paragraph) of the Dosage section, for one population."""

    population: str  # "adults", "children", "special-cases"
    label: str  # the bold lead of the bullet, e.g. "Actinic Keratosis"; "" for a paragraph
    sentence: str
    section: str  # breadcrumb, e.g. "Dosage > Standard Dosage > Adults"
    line: int  # 1-based line in the file


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str


@dataclass(frozen=True)
class Monograph:
    """A parsed drug monograph: what the later stages read from it. ``sha256`` identifies the
    exact text it came from; ``monograph.sections(text)`` gives its whole heading tree."""

    drug: str
    brand_names: tuple[str, ...]
    description: str
    last_modified: str | None
    dosing: tuple[DosingEntry, ...]
    faqs: tuple[Faq, ...]
    missed_dose: str | None
    contraindications: tuple[str, ...]
    pregnancy: tuple[str, ...]
    precautions: tuple[str, ...]
    disclaimers: tuple[str, ...]
    sha256: str
    path: str = ""
