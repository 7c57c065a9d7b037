"""Names every stage shares: weekday codes and names, the disclaimer, and ``slug`` for ids."""

from __future__ import annotations

import functools
import re

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # RFC 5545 BYDAY codes, 0 = Monday
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

DISCLAIMER = (
    "This is a reminder aid, not medical advice. Follow your prescriber's "
    "instructions, which come first; if this calendar differs from what you were "
    "told, ask your doctor or pharmacist before the next dose."
)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=4096)  # names repeat: a drug's labels, its calendars
def slug(text: str) -> str:
    """A name in the form of an id: rule ids, calendar UIDs, file names ("Actinic Keratosis" →
    "actinic-keratosis")."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")
