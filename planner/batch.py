"""Batch stage: a clinic's CSV of patient courses → one .ics per row, plus a summary.

Input: CSV bytes, one patient course per row, header
``id,drug,indication,start,timezone[,time][,weekdays][,until]`` (UTF-8, an Excel BOM and
``;`` as the separator are accepted). Output: a ``RowResult`` per row — the calendar bytes
under a safe file name derived from ``id``, or the one-line reason the row failed. A bad row
never stops the others; only a file that is not such a CSV at all is an error (``PlannerError``).

``plan_rows`` is the library call (no writes; rules are read once per process).
``run_batch`` is the filesystem edge on top: worker processes, atomic writes into one
folder and nowhere else, never replacing a file without ``force``, and ``summary.csv``.
Each calendar is byte-identical to ``planner plan --format ics`` for the same row and stamp.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

from . import files
from .course import plan_request
from .errors import ExportError, PlannerError
from .processes import chunked, cpu_jobs, run_chunks, terminate_as_interrupt
from .read.request import from_row
from .read.rows import COLUMNS, MAX_CSV_BYTES, Row, read_rows
from .write.ics import DEFAULT_ALARM_MINUTES, to_ics

__all__ = ["COLUMNS", "Options", "Outcome", "Row", "RowResult", "cpu_jobs", "plan_rows", "read_csv", "read_rows",
           "run_batch"]  # fmt: skip
SUMMARY_NAME = "summary.csv"
SUMMARY_COLUMNS = ("line", "id", "status", "file", "error")
MAX_STEM = 80  # characters of a file name taken from an id
# bytes: a name must fit the usual 255-byte limit with ".ics" and write_output's ".NAME.XXXXXXXX.tmp"
MAX_STEM_BYTES = files.MAX_NAME_BYTES - len(".ics") - files.TEMP_AFFIX_BYTES
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowResult:
    """What became of one row: ``data`` and ``file`` when planned, else ``error``."""

    line: int
    id: str
    file: str | None
    data: bytes | None = field(default=None, repr=False)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Outcome:
    """A row after writing: ``status`` is ``written`` or ``failed``; a summary.csv line."""

    line: int
    id: str
    status: str
    file: str
    error: str = ""
    internal: bool = False  # a bug, not bad input: the CLI exits 1


# --- the CSV ----------------------------------------------------------------------


def read_csv(path: Path) -> list[Row]:
    """``read_rows`` of a file, refusing one over the size limit before reading it."""
    try:
        if path.is_dir():
            raise PlannerError("is a folder, not a file", path=str(path))
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise PlannerError(f"file is {size:,} bytes, more than the {MAX_CSV_BYTES:,} allowed", path=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise PlannerError(exc.strerror or "cannot be read", path=str(path)) from None
    return read_rows(data, str(path))


def file_stem(label: str) -> str:
    """A file name stem from a patient label: letters and digits of any script, ``-``, ``_`` and
    inner dots only, so it can never name a folder, a hidden file or a path outside the output
    (``../../etc/x`` → ``etc-x``); NFKC first, so look-alikes of ``/`` and ``.`` are caught too."""
    text = unicodedata.normalize("NFKC", label)
    text = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in text)
    text = re.sub(r"-{2,}", "-", text).strip("._-")
    text = text[:MAX_STEM]
    while len(text.encode("utf-8")) > MAX_STEM_BYTES:  # 80 letters of some scripts are 320 bytes
        text = text[:-1]
    text = text.rstrip("._-")
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text += "_"
    return text


def assign_files(rows: Sequence[Row]) -> dict[int, str | PlannerError]:
    """The file name of each row (by line), or why it has none: no usable id, or the same
    name as an earlier row (compared case-insensitively, as macOS and Windows do)."""
    seen: dict[str, int] = {}
    out: dict[int, str | PlannerError] = {}
    for row in rows:
        stem = file_stem(row.id)
        key = stem.casefold()
        if not row.id:
            out[row.line] = PlannerError("missing", key="id", hint="a label for the patient's file")
        elif not stem:
            out[row.line] = PlannerError(f"{row.id!r} has no letters or digits to name a file", key="id")
        elif key in seen:
            out[row.line] = PlannerError(
                f"{row.id!r} gives the same file name as line {seen[key]}", key="id", hint="make the ids unique"
            )
        else:
            seen[key] = row.line
            out[row.line] = f"{stem}.ics"
    return out


# --- planning ---------------------------------------------------------------------

_BUNDLED: dict[str, files.Bundled | str] = {}  # drug name → rules, or why there are none (per process and batch)


def _bundled(name: str) -> files.Bundled:
    """The bundled rules of a drug, read and validated once per process."""
    if name not in _BUNDLED:
        try:
            _BUNDLED[name] = files.find_bundled(name)
        except PlannerError as exc:
            _BUNDLED[name] = str(exc)  # a message, not the exception: raising one twice grows its traceback
    found = _BUNDLED[name]
    if isinstance(found, str):
        raise PlannerError(found)
    return found


def plan_row(
    row: Row,
    stamp: dt.datetime,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    accept_stale: bool = False,
    file: str | None = None,
) -> RowResult:
    """Plan one row into calendar bytes, or the reason it cannot be planned (never raises
    ``PlannerError``). ``file`` is the name ``assign_files`` gave it."""
    try:
        request = from_row(row, alarm_minutes, accept_stale)
        # the drug's rules once per process (not per row); plan_request checks staleness the same
        bundled = _bundled(request.source.name)
        if bundled.stale and not accept_stale:
            raise PlannerError(
                f"the rules in {bundled.path.name} are stale: {bundled.ruleset.source} changed after review",
                hint="re-run `planner extract` and review, or pass --accept-stale",
            )
        schedule = plan_request(request, bundled.ruleset)
        return RowResult(row.line, row.id, file, to_ics(schedule, stamp, alarm_minutes=request.alarm_minutes))
    except PlannerError as exc:
        return RowResult(row.line, row.id, file, error=str(exc))


def plan_rows(
    rows: Sequence[Row],
    stamp: dt.datetime,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    accept_stale: bool = False,
) -> list[RowResult]:
    """Every row planned in order, in this process; nothing is written."""
    _BUNDLED.clear()  # rules are read once per batch: a long-running process sees rule updates
    names = assign_files(rows)
    out = []
    for row in rows:
        name = names[row.line]
        if isinstance(name, PlannerError):
            out.append(RowResult(row.line, row.id, None, error=str(name)))
        else:
            out.append(plan_row(row, stamp, alarm_minutes, accept_stale, name))
    return out


# --- writing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """The same for every row: ``stamp`` is the one DTSTAMP of the whole batch."""

    stamp: dt.datetime
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES
    accept_stale: bool = False
    force: bool = False


def _write_chunk(chunk: list[tuple[Row, str]], out: str, options: Options) -> list[Outcome]:
    """Plan and write rows (runs in a worker): only an ``Outcome`` goes back, not the bytes."""
    done = []
    for row, name in chunk:
        try:
            result = plan_row(row, options.stamp, options.alarm_minutes, options.accept_stale, name)
            if result.data is None:
                done.append(Outcome(row.line, row.id, "failed", "", result.error or ""))
                continue
            target = Path(out) / name
            if not options.force and target.exists():
                raise ExportError(f"{name} already exists; nothing was written", hint="pass --force to replace it")
            files.write_output(target, result.data, force=options.force, sync=False, clean=False)  # one sync at the end
            done.append(Outcome(row.line, row.id, "written", name))
        except PlannerError as exc:
            done.append(Outcome(row.line, row.id, "failed", "", str(exc)))
        except Exception as exc:  # a bug: report it on the row, keep going, exit 1 at the end
            done.append(
                Outcome(row.line, row.id, "failed", "", f"internal error: {type(exc).__name__}: {exc}", internal=True)
            )
    return done


def run_batch(
    rows: Sequence[Row], out: Path, options: Options, jobs: int = 1, progress: Callable[[int, int], None] | None = None
) -> list[Outcome]:
    """Plan and write every row into ``out`` (created if missing, mode 0700), then write
    ``summary.csv`` there; returns the outcomes in row order."""
    summary = out / SUMMARY_NAME
    if summary.exists() and not options.force:
        raise ExportError(
            "already exists; nothing was written",
            path=str(summary),
            hint="pass --force to replace the files, or choose another --out",
        )
    try:
        out.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise ExportError(exc.strerror or "cannot be created", path=str(out)) from None
    if not out.is_dir():
        raise ExportError("is not a folder", path=str(out))
    names = assign_files(rows)
    _BUNDLED.clear()
    outcomes: dict[int, Outcome] = {}
    work: list[tuple[Row, str]] = []
    for row in rows:
        name = names[row.line]
        if isinstance(name, PlannerError):
            outcomes[row.line] = Outcome(row.line, row.id, "failed", "", str(name))
        else:
            work.append((row, name))
    for drug in sorted({row.cells.get("drug", "") for row, _ in work} - {""}):
        with contextlib.suppress(PlannerError):  # read each drug's rules once here: forked workers inherit them
            _bundled(drug)
    # a batch killed with -9 can leave a hidden partial temporary per file being written: gone now
    files.remove_stale_temporaries(out, {name for _, name in work} | {SUMMARY_NAME})
    before = {p.name for p in out.glob("*.ics")}
    try:
        with terminate_as_interrupt():  # SIGTERM stops the batch as Ctrl-C does: a summary, no temporaries
            _run(work, out, options, jobs, outcomes, len(rows), progress)
    except BaseException:
        # interrupted or broken half way: every finished file stays (each was renamed into
        # place whole), and the summary says which rows are left, so only those need re-running
        os.sync()
        made = {p.name for p in out.glob("*.ics")} - before
        left = [
            outcomes.get(row.line)
            or (
                Outcome(row.line, row.id, "written", name)
                if isinstance(name := names[row.line], str) and name in made
                else Outcome(row.line, row.id, "left", "", "not written: the batch stopped before this row")
            )
            for row in rows
        ]
        files.write_output(summary, summary_csv(left), force=True)
        raise
    # write_output fsyncs each file before its rename; a batch skips that (one fsync per file
    # serialises the workers on the disk) and syncs once here, before the summary says so
    os.sync()
    ordered = [outcomes[row.line] for row in rows]
    files.write_output(summary, summary_csv(ordered), force=options.force)
    return ordered


def _run(
    work: list[tuple[Row, str]],
    out: Path,
    options: Options,
    jobs: int,
    outcomes: dict[int, Outcome],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Write the rows' files, in this process or in worker processes, filling ``outcomes``."""
    finished = [len(outcomes)]
    if progress:
        progress(finished[0], total)

    def done(batch: list[Outcome]) -> None:
        for outcome in batch:
            outcomes[outcome.line] = outcome
        finished[0] += len(batch)
        if progress:
            progress(finished[0], total)

    run_chunks(partial(_write_chunk, out=str(out), options=options), chunked(work, jobs), jobs, done)


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (= + - @, tab, CR first) starts with ``'``."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def summary_csv(outcomes: Iterable[Outcome]) -> bytes:
    """``line,id,status,file,error`` for every row, safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUMMARY_COLUMNS)
    for o in outcomes:
        writer.writerow([str(o.line), neutralise(o.id), o.status, neutralise(o.file), neutralise(o.error)])
    return buffer.getvalue().encode("utf-8")


def terminal_progress(stream: TextIO = sys.stderr) -> Callable[[int, int], None] | None:
    """A one-line progress bar on ``stream`` when it is a terminal (None otherwise), redrawn
    at most ten times a second; the last call ends the line."""
    if not stream.isatty():
        return None
    last = [0.0]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.1:
            return
        last[0] = now
        width = 30
        filled = width * done // total if total else width
        stream.write(f"\rplanning [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
