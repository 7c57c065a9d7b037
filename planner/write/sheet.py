"""Presentation: ``Schedule`` → a printable course sheet (PDF bytes) for the fridge door.

One A4 page for a course of up to a year: the regimen in words and the label's sentence,
month grids with a box to tick on every dose day (phases, rest periods and review days
marked as in the app's calendar, with a legend), the missed-dose rule, the monograph's
warnings and the disclaimer (in the footer of every page). Longer plans continue on
further pages. Pure: ``created`` is a parameter, so the same schedule gives the same bytes.

fpdf2 writes the PDF. Its built-in Helvetica covers Latin-1 only, so text is folded to
Latin-1 first (dashes, quotes, ≥ and the like become ASCII; other letters lose accents or
become "?"), which keeps the sheet free of font files and the same on every machine.
"""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata

from fpdf import FPDF

from ..model import DISCLAIMER, WEEKDAY_NAMES, Schedule
from ..words.calendar import calendar_legend, day_kinds, key_dates
from ..words.plan_text import warning_texts
from ..words.regimen import describe_regimen, dose_how

_ASCII = {
    "–": "-",
    "—": "-",
    "‑": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "•": "-",
    "…": "...",
    "≥": ">=",
    "≤": "<=",
    "→": "->",
    "←": "<-",
    "×": "x",
    "●": "*",
    "◆": "*",
    "\u2009": " ",
    "\u202f": " ",
    "\u200b": "",
}
_MARGIN = 12.0
_GAP = 5.0  # between month grids
_PAGE_W, _PAGE_H = 210.0, 297.0
_FOOTER_H = 17.0
_NO_RULE = "The monograph gives no missed-dose rule: ask your prescriber or pharmacist what to do."


def latin1(text: str) -> str:
    """``text`` as the Latin-1 the PDF's built-in font can show (see the module docstring)."""
    out = []
    for char in text:
        char = _ASCII.get(char, char)
        if len(char) == 1 and ord(char) > 0xFF:
            folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            char = folded if folded and all(ord(c) <= 0xFF for c in folded) else "?"
        out.append(char)
    return "".join(out)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _tint(colour: str, strength: float = 0.22) -> tuple[int, int, int]:
    """A light version of a colour (``strength`` of it on white): dose days print without much ink."""
    return tuple(round(255 - (255 - c) * strength) for c in _rgb(colour))  # type: ignore[return-value]


BODY_PT = 10.0  # every sentence of the sheet: at least 10 pt (issue 15: it was 6.5)
SMALL_PT = 8.0  # grid labels and the footer


class _Sheet(FPDF):
    def footer(self) -> None:
        self.set_y(-_FOOTER_H)
        self.set_font("helvetica", "I", BODY_PT)
        self.set_text_color(40, 40, 40)
        self.multi_cell(0, 4.2, latin1(DISCLAIMER + f"  Page {self.page_no()}/{{nb}}"), align="C")


def _text_block(pdf: FPDF, title: str, text: str, size: float = 8.0) -> None:
    pdf.set_font("helvetica", "B", size + 1)
    pdf.cell(0, 5, latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", size)
    pdf.multi_cell(0, size * 0.45, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _height(pdf: FPDF, text: str, size: float) -> float:
    pdf.set_font("helvetica", "", size)
    lines = pdf.multi_cell(0, size * 0.45, latin1(text), dry_run=True, output="LINES")
    return float(len(lines) if isinstance(lines, list) else 1) * size * 0.45 + 6.5


def _month(
    pdf: FPDF,
    x: float,
    y: float,
    width: float,
    cell_h: float,
    year: int,
    month: int,
    kinds: dict[dt.date, str],
    colours: dict[str, str],
    doses: dict[dt.date, list[int]],
) -> None:
    cell_w = width / 7
    pdf.set_xy(x, y)
    pdf.set_font("helvetica", "B", 11)
    pdf.set_text_color(0, 0, 0)
    pdf.cell(width, 5, f"{calendar.month_name[month]} {year}", align="C")
    pdf.set_font("helvetica", "", SMALL_PT)
    for i, name in enumerate(WEEKDAY_NAMES):
        pdf.set_xy(x + i * cell_w, y + 5)
        pdf.cell(cell_w, 4, name[:2], align="C")
    for row, week in enumerate(calendar.Calendar().monthdatescalendar(year, month)):
        for col, day in enumerate(week):
            if day.month != month:
                continue
            left, top = x + col * cell_w, y + 9 + row * cell_h
            kind = kinds.get(day, "outside")
            marked = kind.startswith("dose-") or kind in ("review", "rest")
            pdf.set_fill_color(*(_tint(colours[kind]) if marked else _rgb(colours[kind])))
            pdf.set_draw_color(*(_rgb(colours[kind]) if marked else (150, 150, 150)))
            pdf.set_line_width(0.5 if marked else 0.2)
            pdf.rect(left, top, cell_w, cell_h, style="DF")
            pdf.set_text_color(0, 0, 0)
            pdf.set_font("helvetica", "B" if kind.startswith("dose-") else "", 9)
            pdf.set_xy(left + 0.3, top + 0.3)
            pdf.cell(cell_w / 2, 3.4, str(day.day))
            numbers = doses.get(day, [])
            if numbers:  # one box to tick per dose of the day, with the dose number beside it
                box = min(3.4, cell_h / 2.4, (cell_w - 1) / 2)
                pdf.set_draw_color(0, 0, 0)
                pdf.set_fill_color(255, 255, 255)
                pdf.set_line_width(0.3)
                shown = numbers[:2]
                for k, number in enumerate(shown):
                    bx = left + 0.6 + k * (cell_w - 1.2) / len(shown)
                    by = top + cell_h - box - 0.6
                    pdf.rect(bx, by, box, box, style="DF")
                    if len(shown) == 1:
                        pdf.set_font("helvetica", "", 7.5)
                        pdf.set_xy(bx + box + 0.2, by)
                        pdf.cell(cell_w - box - 1.5, box, f"#{number}")
            if kind == "review":
                pdf.set_xy(left + cell_w / 2, top + 0.3)
                pdf.set_font("helvetica", "B", 9)
                pdf.cell(cell_w / 2 - 0.3, 3.4, "R", align="R")
    pdf.set_text_color(0, 0, 0)


def course_sheet(schedule: Schedule, created: dt.datetime) -> bytes:
    """The printable course sheet of a schedule as PDF bytes; ``created`` is its creation date."""
    pdf = _Sheet(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(created)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_FOOTER_H + 2)
    title = f"{schedule.drug} - {schedule.rule.name or schedule.rule.id}".strip(" -")
    pdf.set_title(latin1(title))
    pdf.set_subject("Dosing calendar: course sheet")
    pdf.set_creator("planner")
    pdf.alias_nb_pages()
    pdf.add_page()
    width = _PAGE_W - 2 * _MARGIN

    pdf.set_font("helvetica", "B", 15)
    pdf.multi_cell(0, 7, latin1(title), new_x="LMARGIN", new_y="NEXT")
    total = schedule.total
    active = schedule.active
    times = sorted({f"{d.at:%H:%M}" for d in active})
    summary = [f"{total} doses" if total else f"{len(active)} doses planned (ongoing treatment)"]
    summary += [f"{label}: {day:%a %d %b %Y}" for label, day in key_dates(schedule)]
    summary.append(f"at {', '.join(times[:4])} ({schedule.preferences.timezone} time)" if times else "")
    pdf.set_font("helvetica", "", BODY_PT)
    pdf.multi_cell(0, 4.8, latin1(" | ".join(s for s in summary if s)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "I", BODY_PT)
    pdf.cell(0, 5, "Tick the box of each dose when you have taken it.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    phases = schedule.rule.regimen.phases if schedule.rule.regimen else ()
    how = describe_regimen(schedule.rule.regimen)
    each = "; ".join(dict.fromkeys(filter(None, (dose_how(p) for p in phases))))
    _text_block(
        pdf,
        "How to take it",
        f"{how}." + (f" Each dose: {each}." if each else "") + f"\nThe label says: {schedule.rule.source.sentence}",
        BODY_PT,
    )

    missed = schedule.missed_dose.text if schedule.missed_dose else _NO_RULE
    warnings = warning_texts(schedule)
    warning_text = "\n".join(f"- {w}" for w in warnings)
    after = _height(pdf, missed, BODY_PT) + 8  # the warnings may go on to the next page

    kinds = day_kinds(schedule)
    legend = calendar_legend(schedule)
    colours = {kind: colour for kind, _, colour in legend}
    colours.setdefault("outside", "#ffffff")
    doses: dict[dt.date, list[int]] = {}
    for d in active:
        doses.setdefault(d.at.date(), []).append(d.number)
    months: list[tuple[int, int]] = []
    if kinds:
        first, last = min(kinds), max(kinds)
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    cols = 3 if len(months) <= 6 else 4
    rows = -(-len(months) // cols)
    grid_w = (width - (cols - 1) * _GAP) / cols
    room = _PAGE_H - _FOOTER_H - 2 - pdf.get_y() - after - 8  # 8: the legend
    cell_h = max(6.0, min(12.0, ((room / max(rows, 1)) - 9 - _GAP) / 6)) if rows else 0
    top = pdf.get_y()
    for index, (year, month) in enumerate(months):
        col = index % cols
        if col == 0:
            top = top if index == 0 else top + 9 + 6 * cell_h + _GAP
            if top + 9 + 6 * cell_h > _PAGE_H - _FOOTER_H - 2:
                pdf.add_page()
                top = pdf.get_y()
        _month(pdf, _MARGIN + col * (grid_w + _GAP), top, grid_w, cell_h, year, month, kinds, colours, doses)
    if months:
        pdf.set_y(top + 9 + 6 * cell_h + 2)

    pdf.set_font("helvetica", "", BODY_PT)
    x = _MARGIN
    for kind, label, colour in legend:
        text = latin1(label + (", R: review" if kind == "review" else ""))
        if x + 6 + pdf.get_string_width(text) > _PAGE_W - _MARGIN:
            pdf.ln(4.5)
            x = _MARGIN
        y = pdf.get_y()
        pdf.set_fill_color(*_rgb(colour))
        pdf.set_draw_color(150, 150, 150)
        pdf.rect(x, y + 0.5, 3.5, 3.5, style="DF")
        pdf.set_xy(x + 4.5, y)
        pdf.cell(pdf.get_string_width(text) + 1, 4.5, text)
        x += 4.5 + pdf.get_string_width(text) + 6
        pdf.set_xy(x, y)
    pdf.ln(6)
    pdf.set_x(_MARGIN)
    _text_block(pdf, "If you miss a dose", missed, BODY_PT)
    if warnings:
        _text_block(pdf, "Warnings from the label", warning_text, BODY_PT)
    return bytes(pdf.output())
