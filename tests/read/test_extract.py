"""Stage 2a: the extractor reads the seed's three phrasings exactly and abstains when unsure."""

from __future__ import annotations

import pytest
from helpers import ROOT

from planner.files import extract_file, load_monograph
from planner.model import Duration, DurationKind, Frequency, Interval, MissedKind, MissedWhen, Spacing, Status, Unit
from planner.read.extract import extract_rules, missed_dose
from planner.read.reader import read_regimen
from planner.read.rules import dump_rules, load_rules

SEED = ROOT / "monographs" / "imiquimod.md"


@pytest.fixture(scope="module")
def extracted():
    return extract_file(SEED)


MONOGRAPHS = sorted((ROOT / "monographs").glob("*.md"))


@pytest.mark.parametrize("path", MONOGRAPHS, ids=[p.stem for p in MONOGRAPHS])
def test_the_reviewed_rules_file_is_the_extractors_output(path) -> None:
    """If the extractor or a monograph changes, this fails until rules/ is re-reviewed:
    `planner extract monographs/X.md --format yaml -o rules/X.yaml --force`, then read the diff."""
    extracted = extract_file(path)
    reviewed = (ROOT / "rules" / f"{path.stem}.yaml").read_text()
    assert load_rules(reviewed) == extracted
    assert dump_rules(extracted) == reviewed


def test_three_indications_with_stable_ids(extracted) -> None:
    assert [r.id for r in extracted.rules] == [
        "actinic-keratosis",
        "superficial-basal-cell-carcinoma",
        "external-genital-perianal-warts",
    ]
    assert all(r.status is Status.OK and r.population == "adults" for r in extracted.rules)
    assert extracted.source == "monographs/imiquimod.md"
    assert len(extracted.source_sha256) == 64


def test_actinic_keratosis(extracted) -> None:
    (phase,) = extracted.rule("actinic-keratosis").regimen.phases
    assert phase.frequency == Frequency(2, Unit.WEEK)
    assert phase.spacing == Spacing(3, 4)
    assert phase.duration == Duration(DurationKind.FIXED, Unit.WEEK, 16, 16)
    assert (phase.amount, phase.time_of_day, phase.max_per_day) == ("thin layer", "bedtime", 1)


def test_superficial_bcc(extracted) -> None:
    (phase,) = extracted.rule("superficial-basal-cell-carcinoma").regimen.phases
    assert phase.frequency == Frequency(5, Unit.WEEK)
    assert phase.duration == Duration(DurationKind.FIXED, Unit.WEEK, 6, 6)
    assert phase.spacing is None and phase.amount is None


def test_warts_up_to_16_weeks_every_other_day(extracted) -> None:
    (phase,) = extracted.rule("external-genital-perianal-warts").regimen.phases
    assert phase.frequency == Frequency(3, Unit.WEEK)
    assert phase.spacing == Spacing(2, None)  # "every other day" within 3 a week: MO/WE/FR
    assert phase.duration == Duration(DurationKind.UP_TO, Unit.WEEK, None, 16)


def test_spans_point_at_the_words_that_gave_each_value(extracted) -> None:
    rule = extracted.rule("actinic-keratosis")
    sentence = rule.source.sentence
    got = {s.field: sentence[s.start : s.end] for s in rule.source.spans}
    assert got == {
        "amount": "thin layer",
        "max_per_day": "once daily",
        "time_of_day": "before bedtime",
        "frequency": "2 times per week",
        "spacing": "3-4 days apart",
        "duration": "for 16 weeks",
    }
    assert rule.source.line == 160 and rule.source.section == "Dosage > Standard Dosage > Adults"


def test_missed_dose_guidance_is_structured(extracted) -> None:
    m = extracted.missed_dose
    kinds = {(c.kind, c.when) for c in m.clauses}
    assert kinds == {
        (MissedKind.TAKE, MissedWhen.ALWAYS),
        (MissedKind.SKIP, MissedWhen.NEXT_WITHIN),
        (MissedKind.NO_DOUBLE, MissedWhen.ALWAYS),
        (MissedKind.KEEP_END, MissedWhen.ALWAYS),
    }
    assert m.unplaced == ()
    assert missed_dose(None) is None


def test_warnings_reach_the_user(extracted) -> None:
    topics = {w.topic for w in extracted.warnings}
    assert {"age", "pregnancy", "breastfeeding", "contraindication", "missed-dose"} <= topics
    texts = " ".join(w.text for w in extracted.warnings)
    assert "under 12 years" in texts and "Do not extend treatment" in texts and "extra cream" in texts
    assert "No specific dose adjustment" not in texts  # a reassurance is not a warning


@pytest.mark.parametrize(
    "sentence,frequency,interval,doses",
    [
        ("Take 1 g three times daily for 7 days.", Frequency(3, Unit.DAY), None, None),
        ("Take 500 mg twice a day for 10 days.", Frequency(2, Unit.DAY), None, None),
        ("Take 100 mg every 12 hours for 7 days.", None, Interval(12, Unit.HOUR), None),
        ("Take 2 g every 12 hours for 2 doses.", None, Interval(12, Unit.HOUR), 2),
        ("Take 150 mg as a single dose.", None, None, 1),
        ("Apply once daily for 2 weeks.", Frequency(1, Unit.DAY), None, None),
        ("Apply every other day for 4 weeks.", None, Interval(2, Unit.DAY), None),
    ],
)
def test_other_plain_phrasings(sentence, frequency, interval, doses) -> None:
    regimen, _, reasons = read_regimen(sentence)
    assert reasons == ()
    (phase,) = regimen.phases
    assert (phase.frequency, phase.interval, phase.doses) == (frequency, interval, doses)


@pytest.mark.parametrize(
    "sentence,reason",
    [
        ("Use as directed by your doctor.", "as directed"),
        ("Apply 5 times per week for several weeks.", "no duration"),
        ("Apply a thin layer before bedtime for 6 weeks.", "no dosing frequency"),
        ("Take 10 to 25 mg once weekly, adjusted as needed.", "as needed"),
        ("Apply twice weekly and three times weekly for 8 weeks.", "two different values"),
        ("Apply 40 times per week for 6 weeks.", "outside the usual range"),
        ("Take one tablet every 0 hours for 2 days.", "outside the usual range"),
        ("Apply 2 times per week for 10000 weeks.", "more than five years"),
        ("Take as needed for pain, up to 4 times a day.", "as needed: not scheduled; at most 4 in a day"),
        ("Apply twice daily until the lesions heal.", "'until'"),
    ],
)
def test_uncertain_sentences_need_review_and_have_no_regimen(sentence, reason) -> None:
    regimen, _, reasons = read_regimen(sentence)
    assert regimen is None
    assert any(reason in r for r in reasons), reasons


def test_vague_bullet_becomes_a_needs_review_rule() -> None:
    text = SEED.read_text().replace("Apply 5 times per week for 6 weeks.", "Dosing is individualized.")
    from planner.read.monograph import parse_monograph

    rules = extract_rules(parse_monograph(text, "x.md"))
    rule = rules.rule("superficial-basal-cell-carcinoma")
    assert rule.status is Status.NEEDS_REVIEW and rule.regimen is None and rule.reasons


def test_extract_reads_the_file_it_is_given(tmp_path) -> None:
    """A changed label must not be silently replaced by the bundled rule of the same drug."""
    changed = tmp_path / "imiquimod.md"
    changed.write_text(SEED.read_text().replace("for 6 weeks.", "for 8 weeks."))
    phase = extract_file(changed).rule("superficial-basal-cell-carcinoma").regimen.phases[0]
    assert phase.duration.min == 8
    assert load_monograph(changed).drug == "Imiquimod"
