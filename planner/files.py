"""The filesystem edge: read monographs and rules, find bundled drugs, write output safely.

Bundled data lives in ``monographs/`` and ``rules/`` beside the package (or under
``$PLANNER_DATA``). A rule file names its monograph and that file's SHA-256: when the
monograph changes the rules are *stale*, and when a rule's sentence is no longer in the
monograph the rule file is rejected as tampered.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import ExportError, MonographError, PlannerError, RuleError
from .model import Monograph, RuleSet
from .read.rules import load_rules

MAX_INPUT_BYTES = 2 * 1024 * 1024  # a monograph is ~20 kB; refuse anything far larger
MAX_NAME_BYTES = 255  # a file name's limit on ext4, APFS, NTFS (in UTF-16 units there) and most others
# write_output's temporary is ".NAME.XXXXXXXX.tmp" (tempfile.mkstemp: 8 of [a-z0-9_]): 14 bytes more
TEMP_AFFIX_BYTES = len("..") + 8 + len(".tmp")
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
UTF8_BOM = b"\xef\xbb\xbf"
_SAFE_NAME = re.compile(r"^[\w][\w .+-]{0,80}$")


def data_dir() -> Path:
    return Path(os.environ.get("PLANNER_DATA") or Path(__file__).resolve().parent.parent)


def read_text(path: Path, error: type[PlannerError] = MonographError) -> str:
    """Read a UTF-8 text file within the size limit, or raise ``error`` with a one-line reason."""
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_INPUT_BYTES:
                raise error(f"file is {size:,} bytes, more than the {MAX_INPUT_BYTES:,} allowed", path=str(path))
            # One byte past the stated size shows a size that lied (/dev/zero, a pipe, /proc): then
            # read on, never past the limit. Asking for the limit at once allocates it every time.
            data = stream.read(size + 1)
            if len(data) > size:
                data += stream.read(MAX_INPUT_BYTES + 1 - len(data))
        return text_of(data, str(path), error)
    except IsADirectoryError:
        raise error("is a directory, not a file", path=str(path)) from None
    except OSError as exc:
        raise error(exc.strerror or "cannot be read", path=str(path)) from None


def text_of(data: bytes, name: str, error: type[PlannerError] = MonographError) -> str:
    """Bytes from a file or an upload → text, within the size limit, UTF-8 and not binary.
    A leading UTF-8 byte-order mark (Notepad and Excel write one) is dropped, as the CSV and
    FHIR readers do: every text the planner reads comes through here (issue 16, item 14)."""
    if len(data) > MAX_INPUT_BYTES:
        raise error(f"file is larger than the {MAX_INPUT_BYTES:,} bytes allowed", path=name)
    if b"\x00" in data:
        raise error("a binary file, not text", path=name, hint="a monograph is a markdown (.md) file")
    body = data.removeprefix(UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start + len(data) - len(body)})", path=name) from None


def load_monograph(path: Path) -> Monograph:
    from .read.monograph import parse_monograph  # here, not at the top: `plan --drug` never parses one

    return parse_monograph(read_text(path), str(path))


def extract_file(path: Path) -> RuleSet:
    """Read and extract a monograph file (always this file, never a bundled rule)."""
    from .read.extract import extract_rules

    return extract_rules(load_monograph(path), _display(path))


def _display(path: Path) -> str:
    """A path to record in rules: relative to the data dir when inside it, never absolute."""
    try:
        return path.resolve().relative_to(data_dir().resolve()).as_posix()
    except ValueError:
        return path.name


@dataclass(frozen=True)
class Bundled:
    """A reviewed rule file with what was found when checking it against its monograph."""

    ruleset: RuleSet
    path: Path
    stale: bool  # the monograph changed since review


def load_bundled(path: Path) -> Bundled:
    ruleset = load_rules(read_text(path, RuleError), _display(path))
    if ".." in Path(ruleset.source).parts or Path(ruleset.source).is_absolute():
        raise RuleError("source must be a path inside the project", path=str(path), key="source")
    text = read_text(data_dir() / ruleset.source)
    missing = [r.id for r in ruleset.rules if r.source.sentence not in text]
    if missing:
        raise RuleError(
            f"source sentence of {', '.join(missing)} is not in {ruleset.source}: "
            "the rule does not come from this monograph",
            path=str(path),
            hint="re-run `planner extract` and review",
        )
    stale = hashlib.sha256(text.encode("utf-8")).hexdigest() != ruleset.source_sha256
    return Bundled(ruleset, path, stale)


def bundled_paths() -> list[Path]:
    return sorted((data_dir() / "rules").glob("*.yaml"))


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


def find_bundled(name: str) -> Bundled:
    """The bundled rules for a generic or brand name ("imiquimod", "Aldara")."""
    if not _SAFE_NAME.match(name) or ".." in name:
        raise RuleError(f"not a drug name: {name!r}", key="drug", hint="see `planner list`")
    wanted = _key(name)
    for path in bundled_paths():
        if _key(path.stem) == wanted:
            return load_bundled(path)
    for path in bundled_paths():
        bundled = load_bundled(path)
        names = (bundled.ruleset.drug,) + bundled.ruleset.brand_names
        if wanted in {_key(n) for n in names}:
            return bundled
    known = ", ".join(p.stem for p in bundled_paths()) or "none"
    raise RuleError(f"no bundled drug named {name!r}", key="drug", hint=f"bundled: {known}")


def _mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def remove_stale_temporaries(folder: Path, names: Container[str]) -> int:
    """Remove the hidden temporaries ``.NAME.XXXXXXXX.tmp`` that ``write_output`` left beside a
    file in ``names`` when it was killed between creating and renaming one (kill -9, power
    loss): each may hold a patient's partial plan (issue 16, item 11). Only regular files of
    exactly our naming go; a symlink or any other file stays. Returns how many were removed.
    Two planners writing the same file at the same moment are not supported (nor were they)."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0  # the write itself reports an unreadable folder
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match and match["name"] in names and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                continue  # not ours to force: the write goes on
    return removed


def write_output(path: Path, data: bytes, force: bool = False, sync: bool = True, clean: bool = True) -> None:
    """Write atomically (temporary file, then rename); never replace a file without ``force``.
    ``sync=False`` skips the fsync, for a caller that syncs many files at once (``planner batch``);
    ``clean=False`` skips removing stale temporaries, for a caller that removed them once for many
    files (scanning a folder of 100,000 calendars for each would be quadratic)."""
    size = len(path.name.encode("utf-8", "surrogateescape"))
    if size + TEMP_AFFIX_BYTES > MAX_NAME_BYTES:
        raise ExportError(
            f"the file name is {size} bytes; at most {MAX_NAME_BYTES - TEMP_AFFIX_BYTES} fit",
            path=str(path),
            hint="choose a shorter -o name",
        )
    if path.exists() and not force:
        raise ExportError(
            "already exists; nothing was written",
            path=str(path),
            hint="pass --force to replace it, or choose another -o",
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError("its folder does not exist", path=str(path))
    if clean:
        remove_stale_temporaries(folder, {path.name})
    tmp = None
    try:
        import tempfile  # only when writing

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        os.chmod(tmp, _mode(path))  # mkstemp makes 0600; give the file the mode a plain write would
        os.replace(tmp, path)
    except BaseException as exc:  # an error, Ctrl-C or SIGTERM half way: no partial temporary stays
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ExportError(exc.strerror or "cannot be written", path=str(path)) from None
        raise


def catalog() -> list[Bundled]:
    """Every bundled drug that loads; a broken rule file is left out here and reported by validate."""
    out = []
    for path in bundled_paths():
        try:
            out.append(load_bundled(path))
        except PlannerError:
            continue
    return out


def search(query: str, bundled: Iterable[Bundled]) -> list[Bundled]:
    """Bundled drugs whose generic or brand name contains the query ("ald" finds Aldara)."""
    wanted = _key(query)
    return [
        b for b in bundled if not wanted or any(wanted in _key(n) for n in (b.ruleset.drug,) + b.ruleset.brand_names)
    ]


def catalog_errors() -> list[tuple[str, str]]:
    """The bundled rule files that ``catalog()`` leaves out, each with its one-line error."""
    out = []
    for path in bundled_paths():
        try:
            load_bundled(path)
        except PlannerError as exc:
            out.append((_display(path), str(exc)))
    return out
