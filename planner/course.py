"""Course edge: a ``CourseRequest`` → its ``Schedule``, reading what the request names (a bundled
drug, a monograph or FHIR file, a regimen file) on the way. Used by the CLI, the batch and the
app alike, so a course planned from flags, a CSV row, widgets or a re-opened calendar is the
same course.

A prescriber's ``regimen`` or ``sig`` replaces the label's regimen for the indication; the
sig's read-back ("Read from the prescription: ...") is the plan's first note. A course longer
than the planner's horizon is refused rather than cut short in silence (issue 16, item 2).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from . import files
from .errors import RuleError, ScheduleError
from .limits import MAX_HORIZON_DAYS
from .model import RuleSet, Schedule
from .plan.scheduler import plan_course
from .read.request import CourseRequest, RulesSource
from .read.rules import regimen_from_text, with_regimen
from .words.regimen import describe_regimen


def read_fhir(path: str) -> Any:
    """A --fhir file as JSON data (size, UTF-8 and JSON errors are one-line RuleErrors)."""
    from .read.fhir.parse import parse_json  # only on the --fhir path: it is the slowest reader

    return parse_json(files.read_text(Path(path), RuleError), path)


def rules_of(request: CourseRequest, fhir: Any = None) -> RuleSet:
    """The rules the request's source names, checked (an unknown drug, stale rules)."""
    source = request.source
    if source.kind is RulesSource.FHIR:
        from .read.fhir.prescription import from_fhir

        return from_fhir(fhir if fhir is not None else read_fhir(source.name), request.indication or "prescription",
                         source.name)  # fmt: skip
    if not request.indication:
        raise RuleError(
            "--indication is required with --drug or --monograph", key="indication", hint="see `planner list`"
        )
    if source.kind is RulesSource.RULES:
        assert source.rules is not None  # Source(RULES) is made with its rules
        return source.rules
    if source.kind is RulesSource.MONOGRAPH:
        return files.extract_file(Path(source.name))
    bundled = files.find_bundled(source.name)
    if bundled.stale and not request.accept_stale:
        raise RuleError(
            f"the rules in {bundled.path.name} are stale: {bundled.ruleset.source} changed after review",
            hint="re-run `planner extract` and review, or pass --accept-stale",
        )
    return bundled.ruleset


def plan_request(request: CourseRequest, rules: RuleSet | None = None) -> Schedule:
    """Plan the course. ``rules``: the source's rules when the caller holds them already (the
    app's catalogue); otherwise they are read from the source."""
    fhir = read_fhir(request.source.name) if request.source.kind is RulesSource.FHIR else None
    start, prefs = request.start, request.preferences
    if fhir is not None:  # the prescription's own dates, times and weekdays come first
        from .read.fhir.prescription import preferences_from_fhir, prescribed_start

        named = prescribed_start(fhir, request.source.name)
        if named is not None and start is not None and start != named:
            raise RuleError(
                f"the prescription starts on {named.isoformat()}, not {start.isoformat()}",
                path=request.source.name,
                hint=f"leave --start out, or pass --start {named.isoformat()}",
            )
        start = start or named
    if start is None and not (prefs.event_start or prefs.event_end):  # timed from an event: its dates give it
        raise ScheduleError("the start date is missing", key="start", hint="pass --start YYYY-MM-DD")
    ruleset = rules if rules is not None else rules_of(request, fhir)
    if fhir is not None:
        prefs = preferences_from_fhir(fhir, prefs, request.source.name)
    indication = request.indication or ruleset.rules[0].id
    if request.regimen:
        text = request.regimen
        if text.startswith("@"):
            text = files.read_text(Path(text[1:]), RuleError)
        ruleset = with_regimen(ruleset, indication, regimen_from_text(text))
    said: tuple[str, ...] = ()
    if request.sig:
        from .read.sig import with_sig

        ruleset, said = with_sig(ruleset, indication, request.sig)
    schedule = plan_course(ruleset, indication, start, prefs, option=request.option)
    _refuse_cut(schedule)
    if request.sig:  # what was read, in words, before anything else
        assert schedule.rule.regimen is not None
        said = (f"Read from the prescription: {describe_regimen(schedule.rule.regimen)}.", *said)
    return replace(schedule, notes=said + schedule.notes) if said else schedule


def _refuse_cut(schedule: Schedule) -> None:
    """A course with an end that the planner's horizon stopped short ("for 2000 doses" once a
    day, a FHIR count of 5000) would be numbered "1831/1831" as if complete: refuse it."""
    regimen = schedule.rule.regimen
    if schedule.ongoing or regimen is None or not schedule.doses:
        return
    for index, phase in enumerate(regimen.phases, 1):
        planned = sum(1 for d in schedule.doses if d.phase == index)
        if phase.doses is not None and planned < phase.doses:
            raise ScheduleError(
                f"the course has {phase.doses} doses in step {index}, and only {planned} fit in the "
                f"planner's {MAX_HORIZON_DAYS}-day horizon; nothing was planned",
                key="regimen",
                hint="plan a shorter course and make a new calendar for the rest",
            )
    if (schedule.doses[-1].at.date() - schedule.start).days >= MAX_HORIZON_DAYS:
        raise ScheduleError(
            f"the course reaches the planner's {MAX_HORIZON_DAYS}-day horizon, so it would be cut short; "
            "nothing was planned",
            key="regimen",
            hint="plan a shorter course and make a new calendar for the rest",
        )
