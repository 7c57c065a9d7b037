"""The command line: a thin argparse shell over the library.

One handler maps errors to exit codes: a ``PlannerError`` (bad input, unsafe request) prints
one line on stderr and exits 2; anything unexpected exits 1 with a hint to use --debug.
icalendar is imported only when a calendar is written, to keep start-up fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import files
from .course import plan_request
from .errors import PlannerError, RuleError
from .model import DISCLAIMER, Schedule, Status
from .read.request import CourseRequest, from_args, parse_moment
from .read.rules import dump_rules
from .words.contract import ruleset_data, schedule_data
from .words.missed import advice_data, advice_text
from .words.plan_text import schedule_text
from .words.regimen import describe_regimen

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def alarm_minutes(text: str) -> int:
    """argparse type for --alarm: -1 (no reminder) or 0 to a week."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of minutes: {text!r}") from None
    if not -1 <= value <= 7 * 24 * 60:
        raise argparse.ArgumentTypeError(f"{value} is not -1 or 0 to 10080 minutes")
    return value


def _stamp() -> dt.datetime:
    """DTSTAMP: now, or $SOURCE_DATE_EPOCH for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _emit(args: argparse.Namespace, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if args.output:
        files.write_output(Path(args.output), data, force=args.force)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def cmd_extract(args: argparse.Namespace) -> int:
    ruleset = files.extract_file(Path(args.path))
    if args.format == "yaml":
        _emit(args, dump_rules(ruleset))
    else:
        _emit(args, json.dumps(ruleset_data(ruleset), indent=2, ensure_ascii=False) + "\n")
    return 0


def _course(args: argparse.Namespace) -> tuple[CourseRequest, Schedule]:
    """The course the options name (with --from-ics, the calendar's values under them), planned."""
    calendar = files.read_text(Path(args.from_ics), RuleError) if args.from_ics else None
    request = from_args(args, calendar)
    return request, plan_request(request)


def cmd_plan(args: argparse.Namespace) -> int:
    request, schedule = _course(args)
    if args.format == "fhir":
        from .write.fhir import to_fhir

        _emit(args, json.dumps(to_fhir(schedule), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "ics":
        from .write.ics import to_ics  # only here: icalendar is the slowest import

        _emit(
            args,
            to_ics(schedule, _stamp(), alarm_minutes=request.alarm_minutes, recurring=args.recurring),
        )
    elif args.format == "json":
        _emit(args, json.dumps(schedule_data(schedule), indent=2, ensure_ascii=False) + "\n")
    else:
        _emit(args, schedule_text(schedule))
    return 0


def cmd_missed(args: argparse.Namespace) -> int:
    from .plan.missed import late_dose_advice, missed_dose_advice

    request, schedule = _course(args)
    if args.taken:
        advice = late_dose_advice(schedule, args.missed, parse_moment(args.taken, "taken"))
    else:
        advice = missed_dose_advice(schedule, args.missed, parse_moment(args.remembered, "remembered"))
    if args.format == "ics":
        from .write.ics import to_ics

        _emit(
            args,
            to_ics(
                advice.schedule,
                _stamp(),
                alarm_minutes=request.alarm_minutes,
                recurring=args.recurring,
            ),
        )
    elif args.format == "json":
        _emit(args, json.dumps(advice_data(advice, args.missed), indent=2, ensure_ascii=False) + "\n")
    else:
        _emit(args, advice_text(advice, args.missed))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """One calendar per CSV row into --out, and summary.csv; 0 all written, 2 some rows failed."""
    from . import batch  # only here: it imports the calendar writer

    rows = batch.read_csv(Path(args.csv))
    options = batch.Options(_stamp(), None if args.alarm < 0 else args.alarm, args.accept_stale, args.force)
    outcomes = batch.run_batch(
        rows, Path(args.out), options, batch.cpu_jobs(args.jobs), batch.terminal_progress(sys.stderr)
    )
    failed = sum(o.status != "written" for o in outcomes)
    print(
        f"wrote {len(outcomes) - failed:,} of {len(outcomes):,} calendars to {args.out}"
        + (f"; {failed:,} row(s) failed, see" if failed else "; summary in")
        + f" {Path(args.out) / batch.SUMMARY_NAME}",
        file=sys.stderr,
    )
    if any(o.internal for o in outcomes):
        return 1
    return EXIT_BAD_INPUT if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    rows: list[dict[str, Any]] = []
    for path in files.bundled_paths():
        bundled = files.load_bundled(path)
        rs = bundled.ruleset
        rows.append(
            {
                "drug": rs.drug,
                "brand_names": list(rs.brand_names),
                "stale": bundled.stale,
                "indications": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "status": r.status.value,
                        "plain": describe_regimen(r.regimen),
                        "reasons": list(r.reasons),
                    }
                    for r in rs.rules
                ],
            }
        )
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        brands = f" ({', '.join(row['brand_names'])})" if row["brand_names"] else ""
        print(f"{row['drug']}{brands}{'  [STALE]' if row['stale'] else ''}")
        for ind in row["indications"]:
            flag = "" if ind["status"] == "ok" else "  [needs review]"
            print(f"  {ind['id']}{flag}: {ind['plain'] if ind['status'] == 'ok' else '; '.join(ind['reasons'])}")
    print(f"\n{DISCLAIMER}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [files.data_dir() / "rules"]
    targets = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    problems = 0
    for path in targets:
        try:
            bundled = files.load_bundled(path)
        except PlannerError as exc:
            print(f"FAIL {exc}")
            problems += 1
            continue
        review = [r.id for r in bundled.ruleset.rules if r.status is not Status.OK]
        notes = (["stale: monograph changed since review"] if bundled.stale else []) + (
            [f"needs review: {', '.join(review)}"] if review else []
        )
        problems += bool(bundled.stale)
        print(f"{'FAIL' if bundled.stale else 'ok  '} {path}" + (f" ({'; '.join(notes)})" if notes else ""))
    return EXIT_BAD_INPUT if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="planner", description="Dosing calendars from drug monographs. " + DISCLAIMER)
    parser.add_argument("--debug", action="store_true", help="show the traceback of unexpected errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("extract", help="read a monograph and print its dosing rules")
    p.add_argument("path", help="monograph markdown file")
    p.add_argument("--format", choices=("json", "yaml"), default="json")
    _output_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("plan", help="plan the doses of one indication")
    _course_options(p)
    _calendar_options(p, ("json", "ics", "text", "fhir"))
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("missed", help="what to do about a missed or late dose, and the updated plan")
    _course_options(p)
    p.add_argument("--missed", type=int, required=True, metavar="N", help="number of the missed dose")
    moment = p.add_mutually_exclusive_group(required=True)
    moment.add_argument("--remembered", help="when you remembered, ISO date-time (e.g. 2026-12-02T08:00)")
    moment.add_argument("--taken", help="when a late dose was actually taken, ISO date-time")
    _calendar_options(p, ("json", "ics", "text"))
    p.set_defaults(func=cmd_missed)

    p = sub.add_parser("batch", help="one calendar per row of a clinic's CSV, and a summary.csv")
    p.add_argument("csv", help="CSV with columns id,drug,indication,start,timezone[,time,weekdays,until]")
    p.add_argument("--out", required=True, help="folder for the .ics files and summary.csv (created if missing)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (0: one per core; default 1)")
    p.add_argument(
        "--alarm",
        type=alarm_minutes,
        default=15,
        help="minutes before each dose for the reminder, 0 to 10080 (-1: none)",
    )
    p.add_argument("--accept-stale", action="store_true", help="plan from rules whose monograph changed")
    p.add_argument("--force", action="store_true", help="replace existing files in --out")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("list", help="bundled drugs and indications")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("validate", help="check rule files against the schema and their monographs")
    p.add_argument("paths", nargs="*", help="rule files or folders (default: rules/)")
    p.set_defaults(func=cmd_validate)
    return parser


def _course_options(p: argparse.ArgumentParser) -> None:
    """What picks a course: the rules, the indication, the start and the patient's preferences."""
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--drug", help="a bundled drug, by generic or brand name")
    source.add_argument("--monograph", help="a monograph file, extracted now")
    source.add_argument("--fhir", help="a FHIR R4 MedicationRequest, Bundle or Dosage list (JSON file)")
    source.add_argument("--from-ics", metavar="FILE", help="re-open the course of a .ics the planner wrote")
    p.add_argument("--indication", help="indication id, see `planner list` (with --fhir: optional)")
    p.add_argument("--start", help="first day, YYYY-MM-DD (required unless --from-ics gives it)")
    # default None, not "UTC": an explicit --tz UTC must win over a re-opened calendar's zone
    p.add_argument("--tz", help="IANA time zone, e.g. Europe/Berlin (default UTC)")
    p.add_argument("--time", help="time of day HH:MM (HH:MM,HH:MM for several doses a day)")
    p.add_argument("--weekdays", help="preferred weekdays, e.g. MO,TH")
    p.add_argument("--until", help="last day planned for ongoing treatment (default: 90 days)")
    p.add_argument(
        "--length",
        type=int,
        help="for a label range such as '2 to 4 weeks': how many (default: " "the minimum, with a review reminder)",
    )
    p.add_argument("--accept-stale", action="store_true", help="plan from rules whose monograph changed")
    p.add_argument("--event-start", metavar="DATE", help="timed from a trip: the day you leave, YYYY-MM-DD")
    p.add_argument("--event-end", metavar="DATE", help="timed from a trip: the day you come back, YYYY-MM-DD")
    p.add_argument(
        "--option", type=int, metavar="N", help="which of the regimens the label allows (default: the first)"
    )
    p.add_argument("--amount", help="the prescriber's amount where the label gives a range or a dose by weight")
    p.add_argument(
        "--sig",
        metavar="TEXT",
        help="the prescription's words, e.g. 'Take 1 tablet by mouth 3 times a day for 10 days' "
        "(read, shown back and checked against the label)",
    )
    p.add_argument(
        "--regimen",
        help="the prescriber's structured regimen (YAML/JSON as in rules/, or @FILE); "
        "needed for an indication that needs review",
    )


def _calendar_options(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """How a plan is written: format, reminder lead time, compact series, output file."""
    p.add_argument("--format", choices=formats, default="text")
    p.add_argument(
        "--alarm",
        type=alarm_minutes,
        default=15,
        help="minutes before each dose for the reminder, 0 to 10080 (-1: none)",
    )
    p.add_argument(
        "--recurring",
        action="store_true",
        help="ics: one RRULE series per phase and time of day " "where a rule says the doses exactly",
    )
    _output_options(p)


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", help="write to this file (never replaces one without --force)")
    p.add_argument("--force", action="store_true", help="replace an existing output file")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except PlannerError as exc:
        print(f"planner: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM during a batch (processes.Terminated)
        from .processes import Terminated

        return 143 if isinstance(exc, Terminated) else 130
    except BrokenPipeError:  # `planner list | head`: the reader left; nothing to report
        sys.stderr.close()
        return 141
    except Exception as exc:  # the last line of defence: no traceback unless asked
        if args.debug:
            raise
        print(
            f"planner: internal error: {type(exc).__name__}: {exc} (re-run with --debug for details)", file=sys.stderr
        )
        return 1
