"""Shared by both pages: cached loaders, the browser's clock and locale, escaping, choosing a drug."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from planner import clock
from planner.errors import PlannerError
from planner.files import Bundled, catalog, catalog_errors, data_dir, load_monograph, search, text_of
from planner.model import Monograph, RuleSet
from planner.read.extract import extract_rules
from planner.read.monograph import parse_monograph
from planner.words.markdown import escape_markdown

LOG = logging.getLogger("planner.app")
MAX_UPLOAD_MB = 2  # also server.maxUploadSize in .streamlit/config.toml: the server refuses more
LABEL_SUFFIXES = (".md", ".markdown")


def md(text: object) -> str:
    """Any text from a file or a user, made safe for a markdown sink."""
    return escape_markdown(str(text))


# Shared, not copied (cache_resource): the values are frozen dataclasses and tuples.
@st.cache_resource(show_spinner=False, ttl=300)
def bundled_drugs(folder: str) -> tuple[Bundled, ...]:
    return tuple(catalog())


@st.cache_resource(show_spinner=False, ttl=300)
def broken_rule_files(folder: str) -> tuple[tuple[str, str], ...]:
    return tuple(catalog_errors())


def library() -> tuple[Bundled, ...]:
    return bundled_drugs(str(data_dir()))


@st.cache_data(show_spinner=False, max_entries=32)
def in_library(ruleset: RuleSet) -> bool:
    """Whether these rules are a library drug's, unchanged (not an upload, no entered regimen)."""
    return any(b.ruleset == ruleset for b in library())


def uploaded_ruleset(data: bytes, name: str) -> RuleSet:
    """An uploaded label file, checked like a file on disk; a PlannerError explains a bad one."""
    if not name.lower().endswith(LABEL_SUFFIXES):
        raise PlannerError(f"{name}: not a markdown file; upload the label as .md")
    return extract_rules(parse_monograph(text_of(data, name), name), name)


@st.cache_resource(show_spinner=False, ttl=300)
def library_monograph(source: str, folder: str) -> Monograph | None:
    """The parsed label a library rule file was made from (None if it cannot be read)."""
    try:
        return load_monograph(Path(folder) / source)
    except PlannerError:
        return None


@st.cache_data(show_spinner=False, max_entries=32)
def uploaded_monograph(data: bytes, name: str) -> Monograph:
    return parse_monograph(text_of(data, name), name)


def monograph_of(ruleset: RuleSet) -> Monograph | None:
    """The label behind a ruleset: the upload's (kept in the session) or the library's file."""
    upload = st.session_state.get("upload-monograph")
    if upload is not None and upload[0] == ruleset.source_sha256:
        return uploaded_monograph(*upload[1])
    return library_monograph(ruleset.source, str(data_dir()))


@st.cache_resource(show_spinner=False)
def timezones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def utc_now() -> dt.datetime:
    """The one read of the clock (tests replace it)."""
    return dt.datetime.now(dt.UTC)


def now_utc() -> dt.datetime:
    return utc_now().replace(second=0, microsecond=0)


def browser_locale() -> str | None:
    return st.context.locale


def now_in(zone: ZoneInfo) -> dt.datetime:
    """The patient's wall clock: the shell owns the clock, the library takes the moment."""
    return now_utc().astimezone(zone)


def browser_today() -> dt.date:
    """Today where the browser is (not the server's date)."""
    zone = st.context.timezone
    if zone in timezones():
        return now_in(clock.zone(zone)).date()
    offset = st.context.timezone_offset  # minutes behind UTC, as JavaScript gives it
    if offset is not None:
        return (utc_now() - dt.timedelta(minutes=offset)).date()
    return utc_now().date()


def choose_zone(key: str) -> str | None:
    zones = timezones()
    browser = st.context.timezone
    if browser in zones:
        return st.selectbox(
            "Time zone",
            zones,
            index=zones.index(browser),
            key=key,
            help="Dose times are in this zone. Taken from your browser; change it if needed.",
        )
    zone = st.selectbox(
        "Time zone",
        zones,
        index=None,
        placeholder="Choose your time zone",
        key=key,
        help="Your browser did not say its time zone. Dose times are in the zone you choose.",
    )
    if zone is None:
        st.info("Choose your time zone (e.g. Europe/Berlin) to see the plan: dose times depend on it.")
    return zone


def _uploaded(view: str, what: str) -> RuleSet | None:
    upload = st.file_uploader(
        f"{what} (markdown with front matter, at most {MAX_UPLOAD_MB} MB)",
        type=["md", "markdown", "text/markdown"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"{view}-upload",
    )
    if upload is None:
        st.info(f"Upload the {what.lower()} in markdown (.md) to read its dosing rules.")
        return None
    try:
        ruleset = uploaded_ruleset(upload.getvalue(), upload.name)
        st.session_state["upload-monograph"] = (ruleset.source_sha256, (upload.getvalue(), upload.name))
        return ruleset
    except PlannerError as exc:
        st.error(f"This file cannot be used: {md(exc)}")
    except Exception:  # an upload must never show a traceback; the log keeps it
        LOG.exception("unexpected error reading an upload")
        st.error(f"This file cannot be used: {md(upload.name)} could not be read as a drug label.")
    return None


def _label_of(bundled: Bundled) -> str:
    brands = bundled.ruleset.brand_names
    return f"{bundled.ruleset.drug} ({', '.join(brands)})" if brands else bundled.ruleset.drug


def choose_ruleset(view: str, patient: bool) -> RuleSet | None:
    """Search the library by generic or brand name, or upload a label file."""
    sources = ["Find my medicine", "Use a label file (.md)"] if patient else ["Library", "Upload a monograph (.md)"]
    source = st.radio(
        "Where is the medicine's label?" if patient else "Monograph",
        sources,
        horizontal=True,
        key=f"{view}-source",
        label_visibility="collapsed" if patient else "visible",
    )
    if source == sources[1]:
        return _uploaded(view, "Label file" if patient else "Monograph file")
    query = st.text_input(
        "Your medicine: generic or brand name" if patient else "Search by generic or brand name",
        placeholder="e.g. imiquimod or Aldara",
        key=f"{view}-query",
    )
    found = search(query, library())
    if not found:
        st.info("No medicine of that name is in the library. Try the generic name, or use a label file.")
        return None
    by_name = {b.ruleset.drug: b for b in found}
    name = st.selectbox(
        "Medicine" if patient else "Drug",
        list(by_name),
        index=0 if len(found) == 1 else None,
        key=f"{view}-drug-{'|'.join(by_name)}",  # a new search gives a fresh choice
        format_func=lambda n: _label_of(by_name[n]),
        placeholder=f"Choose one of {len(found)} medicines",
    )
    if name is None:
        st.info("Choose your medicine, or type its generic or brand name above.")
        return None
    chosen = by_name[name]
    if chosen.stale and patient:
        st.error(
            f"The rules for {md(chosen.ruleset.drug)} are out of date: its label changed after they "
            "were reviewed. They are not planned until a clinician re-reviews them."
        )
        return None
    if chosen.stale:
        st.warning(
            f"Stale: {md(chosen.ruleset.source)} changed after these rules were reviewed. "
            "Re-run `planner extract`, review the diff, and update the rules file."
        )
    return chosen.ruleset
