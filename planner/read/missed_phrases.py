"""The missed-dose reader's vocabulary of instructions: the words a label uses to say what to do
about a missed dose ("take it as soon as you remember", "skip it", "contact your doctor"), each
pattern with the kind of instruction it gives. ``missed_words`` reads a label's answer with them."""

from __future__ import annotations

import re

from ..model import MissedKind

_I = re.I

NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|twenty|thirty)"
DOSE = r"(?:doses?|tablets?|capsules?|applications?|injections?|patch(?:es)?|one)"
WHO = (
    r"(?:your |the )?(?:doctor|prescriber|healthcare provider|health care provider|pharmacist|"
    r"oncology team|care team|clinic|nurse)"
)
NEXT = r"(?:your|the) next (?:scheduled )?(?:dose|application|one|tablet|capsule)"
ACTS = r"(?:take|apply|use|give|inject|put on|put (?:it|one|a new \w+) on|change (?:it|the \w+))"
ACTIONS: tuple[tuple[MissedKind, re.Pattern[str]], ...] = (
    (
        MissedKind.NEXT_MORNING,
        re.compile(
            rf"\b{ACTS}\b(?! (?:your|the) (?:usual|next)\b)[^,.;]*?"
            r"\b(?:on )?the (?:next )?morning after you remember\b",
            _I,
        ),
    ),
    (MissedKind.NEXT_MORNING, re.compile(rf"\b{ACTS} (?:it|the missed \w+|one \w+) (?:on )?the next morning\b", _I)),
    (
        MissedKind.SKIP,
        re.compile(rf"(?<!not )(?<!never )\bskip (?:it|the missed (?:\w+ )?{DOSE}|that dose|this dose)\b", _I),
    ),
    (MissedKind.SKIP, re.compile(r"\bdo not (?:take|apply|use) the missed (?:dose|tablet|capsule|application)\b", _I)),
    (MissedKind.SKIP, re.compile(rf"\bdo not {ACTS} it later\b(?: (?:in the|that) day)?", _I)),
    (
        MissedKind.SHIFT,
        re.compile(
            r"\b(?:if (?:this|that) means )?(?:your |the )?(?:remaining|later|other) doses "
            r"(?:will )?move (?:back|on)\b[^,.;]*",
            _I,
        ),
    ),
    (MissedKind.SHIFT, re.compile(r"\btake them once a day until the course is (?:finished|complete)\b", _I)),
    (
        MissedKind.SHIFT,
        re.compile(rf"\bthen every (?:{NUM} )?(?:days?|weeks?|months?) from the date of that (?:dose|injection)\b", _I),
    ),
    (
        MissedKind.TAKE,
        re.compile(
            rf"\b(?:{ACTS}|be given)\b[^,.;]*?\b(?:as soon as|when) "
            r"(?:you (?:can|remember)|possible|it can be\b[^,.;]*)",
            _I,
        ),
    ),
    (
        MissedKind.TAKE,
        re.compile(
            r"(?<!not )(?<!never )\b(?:take|apply|use) the missed (?:dose|tablet|capsule|application)\s*(?=[,.;]|$)", _I
        ),
    ),
    (
        MissedKind.SAME_DAY_ONLY,
        re.compile(r"\bremember,? (?:on|later|during) (?:that|the) same day\b|\bon that same day\b", _I),
    ),
    (
        MissedKind.MIN_HOURS,
        re.compile(
            rf"\b(?:never|do not|don't) (?:take|apply|use) two (?:[\w.]+ ){{0,3}}?{DOSE} within "
            rf"(?P<w>the same week|a week|one week|(?P<n>{NUM}) (?P<u>hours?|days?))\b",
            _I,
        ),
    ),
    (
        MissedKind.ONE_PER_DAY,
        re.compile(
            rf"\b(?:never|do not|don't)(?: (?:take|apply|use))?(?: it| the \w+)? "
            rf"(?:two (?:[\w.]+ ){{0,3}}?{DOSE}|twice|more than "
            rf"(?:once|twice|{NUM} times)) (?:on|in|a) (?:the same |one |a single )?day\b|"
            rf"\b(?:take|apply|use)(?: it)? more than (?:once|twice|{NUM} times) (?:a|per|in one) day\b",
            _I,
        ),
    ),
    (
        MissedKind.NO_DOUBLE,
        re.compile(
            rf"\bdouble (?:dose|amount|(?:your|the) next dose)\b|\btwo {DOSE} (?:at once|at the same time|together)\b|"
            r"\b(?:extra|more)\b[^,.;]*\bto (?:make up|catch up)\b|\bdaily to catch up\b|\bon two days in a row\b|"
            rf"\btwo {DOSE} (?:\w+ ){{0,2}}?to (?:make up|catch up)\b",
            _I,
        ),
    ),
    (MissedKind.KEEP_END, re.compile(r"\bdo not (?:extend|add extra days|go beyond|continue past)\b", _I)),
    (
        MissedKind.FINISH,
        re.compile(
            r"\buntil the course is (?:finished|complete)\b|\b(?:finish|complete) the (?:full |whole )?course\b", _I
        ),
    ),
    (
        MissedKind.RESUME,
        re.compile(
            r"\b(?:carry on|continue|go back|return|resume)\b[^,.;]*\b(?:schedule|usual|regular|normal|original|chosen|"
            r"scheduled|planned|pack)\b",
            _I,
        ),
    ),
    (
        MissedKind.RESUME,
        re.compile(
            rf"\b{ACTS} (?:your|the) (?:next|usual)\b[^,.;]*\b(?:usual|regular|normal|scheduled|planned|that day|"
            r"(?:next|following) (?:morning|day))\b",
            _I,
        ),
    ),
    (MissedKind.RESUME, re.compile(rf"\b{ACTS} (?:it|the \w+) the next day at your usual\b", _I)),
    (MissedKind.RESUME, re.compile(rf"\bwait (?:until|for) {NEXT}\b", _I)),
    (MissedKind.CONTACT, re.compile(rf"\b(?:contact|call|ask|tell|check with|speak to|talk to) {WHO}\b", _I)),
    (MissedKind.CONTACT, re.compile(r"\bas soon as it can be rescheduled\b", _I)),
    (MissedKind.NOTE, re.compile(r"\bprescribing information does not give\b[^;]*", _I)),
)
