"""The clinician's review: a rule's structured regimen field by field beside the label's own
words, and the label's sentence with every value that produced a number highlighted.
Pure and streamlit-free; markdown from the sentence is escaped.
"""

from __future__ import annotations

from typing import Any

from ..model import DosingRule, Phase
from .markdown import escape_markdown
from .regimen import duration_text


def highlighted_source(rule: DosingRule) -> str:
    """The source sentence as markdown with each value that produced a number in bold,
    tagged with its field: "**2 times per week** _(frequency)_". Markdown in the sentence
    itself is escaped, so monograph text cannot inject formatting or HTML."""
    sentence, out, at = rule.source.sentence, [], 0
    for span in sorted(rule.source.spans, key=lambda s: s.start):
        if span.start < at:
            continue
        out.append(escape_markdown(sentence[at : span.start]))
        out.append(f"**{escape_markdown(sentence[span.start:span.end])}** _({span.field.replace('_', ' ')})_")
        at = span.end
    out.append(escape_markdown(sentence[at:]))
    return "".join(out)


def _phase_values(phase: Phase) -> dict[str, str]:
    f, i, s, c = phase.frequency, phase.interval, phase.spacing, phase.cycle
    values = {
        "amount": phase.amount or "",
        "frequency": f"{f.times} per {f.per.value}" if f else "",
        "interval": f"every {i.every} {i.unit.value}(s)" if i else "",
        "spacing": (f"{s.min_days}-{s.max_days} days apart" if s.max_days else f"at least {s.min_days} days apart")
        if s
        else "",
        "duration": duration_text(phase) or "",
        "doses": str(phase.doses) if phase.doses is not None else "",
        "max_per_day": f"at most {phase.max_per_day} a day" if phase.max_per_day else "",
        "time_of_day": phase.time_of_day or "",
        "cycle": f"{c.on_days} days on, {c.off_days} off" + (f", {c.repeats} times" if c.repeats else "") if c else "",
        "start_day": f"course day {phase.start_day}" if phase.start_day else "",
    }
    return {k: v for k, v in values.items() if v}


def regimen_fields(rule: DosingRule) -> list[dict[str, Any]]:
    """The structured regimen field by field, each beside the words of the label it was read
    from (the source spans; with several phases, the k-th span of a field goes to phase k)."""
    sentence = rule.source.sentence
    words: dict[str, list[str]] = {}
    for span in sorted(rule.source.spans, key=lambda s: s.start):
        words.setdefault(span.field, []).append(sentence[span.start : span.end])
    phases = rule.regimen.phases if rule.regimen else ()
    rows = []
    for number, phase in enumerate(phases, 1):
        for name, value in _phase_values(phase).items():
            found = words.get(name, [])
            text = found[number - 1] if len(found) == len(phases) else " / ".join(found)
            rows.append(
                {
                    "phase": number,
                    "field": name.replace("_", " "),
                    "value": value,
                    "label's words": text or "(default: not in the sentence)",
                }
            )
    return rows
