"""A clinic's batch CSV, syntax step: bytes → ``Row`` values (cells by column name), or a
``PlannerError`` (one line) when the file is not such a CSV at all.

Header ``id,drug,indication,start,timezone[,time][,weekdays][,until]``; UTF-8, an Excel BOM
and ``;`` as the separator are accepted. A row's cells get their meaning in
``read.request.from_row``, with the same parsing as ``planner plan``'s options.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..errors import PlannerError

REQUIRED = ("id", "drug", "indication", "start", "timezone")
OPTIONAL = ("time", "weekdays", "until")
COLUMNS = REQUIRED + OPTIONAL
MAX_CSV_BYTES = 16 * 1024 * 1024  # ~200,000 rows
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Row:
    """One data row of the CSV: ``line`` is where it starts in the file (1-based, header = 1)."""

    line: int
    cells: dict[str, str] = field(hash=False)
    extra: int = 0  # cells beyond the header's columns: the row is refused

    @property
    def id(self) -> str:
        return self.cells.get("id", "")


def read_rows(data: bytes, path: str = "") -> list[Row]:
    """CSV bytes → rows; raise ``PlannerError`` (one line) when the file is not a batch CSV."""
    if len(data) > MAX_CSV_BYTES:
        raise PlannerError(f"file is {len(data):,} bytes, more than the {MAX_CSV_BYTES:,} allowed", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlannerError(
            f"not UTF-8 text (byte {exc.start})", path=path, hint="save the sheet as 'CSV UTF-8'"
        ) from None
    if "\x00" in text:
        raise PlannerError("not a CSV text file (it contains NUL bytes)", path=path)
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise PlannerError(
                "no header row", path=path, line=1, hint=f"the first line names the columns: {','.join(COLUMNS)}"
            )
        names = [h.strip().lower() for h in header]
        _check_header(names, path)
        rows: list[Row] = []
        line = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):  # spreadsheets add empty rows at the end
                if len(rows) >= MAX_ROWS:
                    raise PlannerError(f"more than {MAX_ROWS:,} rows", path=path, hint="split the file")
                cells = {name: cell.strip() for name, cell in zip(names, record, strict=False)}
                rows.append(Row(line, cells, max(0, len(record) - len(names))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise PlannerError(f"not a valid CSV file ({exc})", path=path, line=reader.line_num) from None
    return rows


def _check_header(names: list[str], path: str) -> None:
    problems = []
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        problems.append(f"unknown column(s) {', '.join(repr(n) for n in unknown)}")
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(f"column(s) named twice: {', '.join(twice)}")
    if problems:
        raise PlannerError(
            "; ".join(problems),
            path=path,
            line=1,
            hint=f"columns: {','.join(REQUIRED)} and optionally {','.join(OPTIONAL)}",
        )
