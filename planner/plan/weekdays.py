"""Stage 3, weekly patterns: an "N times per week" ``Phase`` + start date + the patient's weekdays
→ the weekdays of each week.

The patient's days when they meet the label's spacing (else a ``ScheduleError`` with an
example that does), or the most even pattern that starts on the start date. Pure.
"""

from __future__ import annotations

import datetime as dt
import itertools

from ..errors import ScheduleError
from ..limits import spacing_text
from ..model import WEEKDAYS, Phase


def weekday_names(days: tuple[int, ...]) -> str:
    """(0, 3) → "MO,TH": the codes the CLI's --weekdays and the CSV's weekdays column take."""
    return ",".join(WEEKDAYS[d] for d in days)


def _gaps(days: tuple[int, ...]) -> list[int]:
    """Days between consecutive weekdays of a weekly pattern, wrapping into the next week."""
    ordered = sorted(days)
    return [b - a for a, b in zip(ordered, ordered[1:] + [ordered[0] + 7], strict=False)]


def _pattern_ok(days: tuple[int, ...], phase: Phase) -> bool:
    """Every gap of the pattern within the label's spacing (1 to 7 days when it sets none)."""
    gaps = _gaps(days)
    spacing = phase.spacing
    low = spacing.min_days if spacing else 1
    high = spacing.max_days if spacing and spacing.max_days else 7
    return all(low <= g <= high for g in gaps)


def _best_pattern(phase: Phase, anchor: int) -> tuple[int, ...] | None:
    """The most even weekly pattern containing weekday ``anchor`` that meets the spacing,
    laid out from the anchor (consecutive days when the label sets no spacing)."""
    assert phase.frequency is not None
    candidates = [
        c for c in itertools.combinations(range(7), phase.frequency.times) if anchor in c and _pattern_ok(c, phase)
    ]

    def rank(c: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
        evenness = max(_gaps(c)) - min(_gaps(c)) if phase.spacing else 0
        return evenness, tuple(sorted((d - anchor) % 7 for d in c))

    return min(candidates, key=rank) if candidates else None


def weekday_pattern(phase: Phase, start: dt.date, preferred: tuple[int, ...] | None) -> tuple[int, ...]:
    """The weekdays of an "N times per week" phase: the patient's if they meet the label,
    else the default pattern that starts on the start date."""
    assert phase.frequency is not None
    times = phase.frequency.times
    if preferred is None:
        best = _best_pattern(phase, start.weekday())
        if best is None:
            raise ScheduleError(f"no weekly pattern of {times} days meets the label's spacing")
        return best
    chosen = tuple(sorted(set(preferred)))
    example = next(filter(None, (_best_pattern(phase, d) for d in chosen + (start.weekday(),))), None)
    if example is None:
        raise ScheduleError(f"no weekly pattern of {times} days meets the label's spacing")
    hint = f"for example {weekday_names(example)}"
    if len(chosen) != times:
        raise ScheduleError(
            f"this regimen needs exactly {times} weekday(s) a week, got {weekday_names(chosen)}",
            key="weekdays",
            hint=hint,
        )
    if not _pattern_ok(chosen, phase):
        raise ScheduleError(
            f"{weekday_names(chosen)} break the label's spacing ({spacing_text(phase)})", key="weekdays", hint=hint
        )
    return chosen
