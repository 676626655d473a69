"""Edits spliced into the user's text, and the unified diff of the result.

Edits are applied front to back over the original text: each replaces its own span, insertions at
one point keep the order of the fixes that made them, and an edit that overlaps another is a
conflict (:func:`conflict`): that fix waits for the next ``--fix`` run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from resnet_verify.verify.fixes.records import Edit
from resnet_verify.verify.fixes.source import read_source, split_lines


def _overlap(a: Edit, b: Edit) -> bool:
    if a == b:
        return False
    if a.start == a.end and b.start == b.end:
        return False  # two insertions at one point: both go in, in order
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def conflict(accepted: Iterable[Edit], new: Iterable[Edit]) -> Edit | None:
    """The first accepted edit that one of ``new`` overlaps (same file), else None."""
    kept = list(accepted)
    for e in new:
        hit = next((a for a in kept if a.file == e.file and _overlap(a, e)), None)
        if hit is not None:
            return hit
    return None


def _offsets(text: str) -> list[int]:
    starts, at = [], 0
    for line in split_lines(text):
        starts.append(at)
        at += len(line)
        at += 2 if text.startswith("\r\n", at) else (1 if at < len(text) else 0)
    return starts


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` (of one file) applied; identical edits count once."""
    starts = _offsets(text)

    def offset(line: int, column: int) -> int:
        return len(text) if line > len(starts) else starts[line - 1] + column

    out, cursor = [], 0
    for e in sorted(dict.fromkeys(edits), key=lambda e: (e.start, e.end)):
        a, b = offset(*e.start), offset(*e.end)
        if a < cursor:
            raise ValueError(f"overlapping edits at {e.file}:{e.line}")
        out.append(text[cursor:a])
        out.append(e.content)
        cursor = b
    out.append(text[cursor:])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class PatchedFile:
    display: str  # the path as the report spells it
    old: str
    new: str

    def diff(self) -> str:
        # git's a/ b/ prefixes for a path relative to the working directory (``patch -p1``)
        a, b = (
            (self.display, self.display)
            if Path(self.display).is_absolute()
            else (f"a/{self.display}", f"b/{self.display}")
        )
        lines = difflib.unified_diff(_diff_lines(self.old), _diff_lines(self.new), a, b)
        return "".join(lines)


def _diff_lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def patch_files(edits: Sequence[Edit]) -> tuple[PatchedFile, ...]:
    """Each file the edits touch, before and after, in the order the edits name them."""
    files = list(dict.fromkeys(e.file for e in edits))
    out = []
    for display in files:
        old = read_source(display).text
        out.append(PatchedFile(display, old, apply_edits(old, [e for e in edits if e.file == display])))
    return tuple(out)


def unified_diff(files: Sequence[PatchedFile]) -> str:
    return "".join(f.diff() for f in files)


__all__ = ["PatchedFile", "apply_edits", "conflict", "patch_files", "unified_diff"]
