"""A fix as data: the edits of the user's source that resolve one finding, like ruff's ``Fix``.

Fix writers (one module each, ordered by ``registry.py``) read a comparison's findings and return a
:class:`Fix` or raise :class:`CannotFix` with the reason no patch is offered; ``plan.py`` applies the
fixes, re-compares the patched model and keeps what it verified (:class:`Outcome`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from resnet_verify.verify.records import Pattern


class Applicability(str, enum.Enum):
    # SAFE: a literal or an argument moved as written; verified by the re-comparison.
    SAFE = "safe"
    # NEEDS_REVIEW: verified too, but it chose something the comparison cannot judge (a name picked
    # by its value, an edit inside an expression, a replaced layer the user's checkpoints know).
    NEEDS_REVIEW = "needs review"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from (line, column) to (end_line, end_column) of ``file`` with ``content``;
    an insertion where both ends are equal. Lines are 1-based, columns 0-based characters, as
    libcst's positions count them; ``file`` is the path as the finding's SourceLoc spells it."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    @property
    def start(self) -> tuple[int, int]:
        return self.line, self.column

    @property
    def end(self) -> tuple[int, int]:
        return self.end_line, self.end_column


@dataclass(frozen=True, slots=True)
class Fix:
    pattern: Pattern
    title: str  # what the edits do, for people: "padding=True -> padding=1 at model.py:15"
    edits: tuple[Edit, ...]
    applicability: Applicability

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.file for e in self.edits))


class CannotFix(Exception):
    """A fix writer's refusal; the message is the reason shown with the finding (one sentence)."""

    def __init__(self, reason: str) -> None:
        super().__init__(" ".join(str(reason).split()))

    @property
    def reason(self) -> str:
        return str(self.args[0])


class Status(str, enum.Enum):
    PROPOSED = "proposed"  # a writer made a fix; not verified yet
    FIXED = "fixed"  # in the patch, verified
    REFUSED = "refused"  # a writer exists, but no patch is offered (the reason says why)
    NO_WRITER = "no writer"  # the pattern has no code edit: its prose fix stands


@dataclass(frozen=True, slots=True)
class Outcome:
    """What ``--fix`` did about one finding of the comparison."""

    finding: int  # index into Comparison.findings
    pattern: Pattern
    status: Status
    fix: Fix | None = None
    reason: str = ""  # why no patch (REFUSED, NO_WRITER)


__all__ = ["Applicability", "CannotFix", "Edit", "Fix", "Outcome", "Status"]
