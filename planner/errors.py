"""The planner's exceptions: one small tree, each error naming what, where and what would work.

The CLI maps every ``PlannerError`` to exit code 2 with ``str(error)`` as its one line;
the app shows the same text.
"""

from __future__ import annotations

from collections.abc import Sequence


class PlannerError(Exception):
    """Base of every error the planner raises on purpose (bad input, unsafe request)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        key: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.key = key
        self.line = line
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.key:
            where += f"{': ' if where else ''}{self.key}"
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class MonographError(PlannerError, ValueError):
    """Raised by the monograph loader and the extractor: the file cannot be read as a monograph."""


class RuleError(PlannerError, ValueError):
    """Raised by the rule loader and lookups: a rules file, drug or indication is invalid or unknown.
    ``problems``: every problem found, one ``where: what`` line each (the message shows the first 20)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        key: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        super().__init__(message, path=path, key=key, line=line, hint=hint)
        self.problems = tuple(problems)


class ScheduleError(PlannerError, ValueError):
    """Raised by the scheduler: preferences or a regimen that cannot be planned safely."""


class ExportError(PlannerError):
    """Raised when writing output: an existing file, an unwritable path."""
