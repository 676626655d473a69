"""From a comparison to a verified patch: every writer's fix, applied together, compared again.

The patch is kept only if the patched model is no worse: no crash it did not have, no finding of a
new kind, no more mismatches (or unexplained ones) than before, and each fixed finding gone. When
the fixes together fail that, each is tried on top of those already kept, in registry order, and
one that fails is left out with the reason; the others still go in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from resnet_verify.verify.fixes.apply import PatchedFile, conflict, patch_files, unified_diff
from resnet_verify.verify.fixes.context import FixContext, Writer
from resnet_verify.verify.fixes.records import CannotFix, Edit, Fix, Outcome, Status
from resnet_verify.verify.fixes.registry import WRITERS, order
from resnet_verify.verify.records import Comparison

NO_WRITER = "no code edit is written for this kind of finding: follow its fix by hand"


class PatchFailed(Exception):
    """The patched source did not parse or build; the message says why (one line)."""


# The patched files -> the comparison of the model they build (check.py builds and compares).
Verifier = Callable[[Sequence[PatchedFile]], Comparison]


@dataclass(frozen=True, slots=True)
class Plan:
    before: Comparison
    outcomes: tuple[Outcome, ...]  # one per finding of ``before``, in its order
    files: tuple[PatchedFile, ...]  # the verified patch; () when nothing could be patched
    after: Comparison | None  # the patched model's comparison (None without a patch)

    @property
    def fixes(self) -> tuple[Fix, ...]:
        fixed = [o for o in self.outcomes if o.status is Status.FIXED and o.fix is not None]
        return tuple(o.fix for o in sorted(fixed, key=lambda o: order(o.pattern)) if o.fix is not None)

    @property
    def diff(self) -> str:
        return unified_diff(self.files)


def propose(comparison: Comparison, writers: Mapping = WRITERS) -> list[Outcome]:
    """Each finding's fix as its writer makes it (PROPOSED), or why there is none."""
    out = []
    for i, finding in enumerate(comparison.findings):
        writer: Writer | None = writers.get(finding.pattern)
        if writer is None:
            out.append(Outcome(i, finding.pattern, Status.NO_WRITER, reason=NO_WRITER))
            continue
        try:
            fix = writer(FixContext(comparison, finding))
        except CannotFix as exc:
            out.append(Outcome(i, finding.pattern, Status.REFUSED, reason=exc.reason))
            continue
        except Exception as exc:  # a writer's own failure on unusual source: no patch, never a crash
            why = f"the fix writer failed on this source ({type(exc).__name__}: {exc})"
            out.append(Outcome(i, finding.pattern, Status.REFUSED, reason=why))
            continue
        out.append(Outcome(i, finding.pattern, Status.PROPOSED, fix))
    return out


def _without_conflicts(proposed: list[Outcome], writers: Mapping) -> list[Outcome]:
    kept: list[Edit] = []
    out = []
    for o in sorted(proposed, key=lambda o: order(o.pattern, writers)):
        fix = o.fix
        if o.status is Status.PROPOSED and fix is not None:
            hit = conflict(kept, fix.edits)
            if hit is not None:
                reason = f"its edit overlaps another fix's at {hit.file}:{hit.line}: run --fix again after this patch"
                o = replace(o, status=Status.REFUSED, fix=None, reason=reason)
            else:
                kept += fix.edits
        out.append(o)
    return out


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 'es'}"


def _loose(c: Comparison) -> int:
    return sum(1 for i in c.unexplained if c.mismatches[i].cause is None)


def problem(before: Comparison, after: Comparison, fixed: Sequence[Fix]) -> str | None:
    """Why ``after`` is worse than ``before`` for fixes meant to remove ``fixed``; None if it is not."""
    if after.candidate.crash is not None and before.candidate.crash is None:
        crash = after.candidate.crash
        return f"the patched model crashes ({crash.error_type} in {crash.module_path or 'forward'})"
    old = {f.pattern for f in before.findings}
    new = [f for f in after.findings if f.pattern not in old]
    if new:
        return f"a new finding appears: {new[0].title}"
    had, has = Counter(f.pattern for f in before.findings), Counter(f.pattern for f in after.findings)
    for pattern, n in Counter(f.pattern for f in fixed).items():
        if has[pattern] > had[pattern] - n:
            return f"the {pattern.value} finding is still there"
    if len(after.mismatches) > len(before.mismatches):
        return f"{_count(len(after.mismatches), 'mismatch')} instead of {len(before.mismatches)}"
    if _loose(after) > _loose(before):
        return f"{_count(_loose(after), 'unexplained mismatch')} instead of {_loose(before)}"
    return None


def _attempt(base: Comparison, fixes: Sequence[Fix], judged: Sequence[Fix], verify: Verifier) -> tuple[
    tuple[PatchedFile, ...], Comparison | None, str | None
]:  # fmt: skip
    files = patch_files([e for f in fixes for e in f.edits])
    try:
        after = verify(files)
    except PatchFailed as exc:
        return files, None, str(exc)
    return files, after, problem(base, after, judged)


@dataclass(frozen=True, slots=True)
class _Verified:
    verdicts: dict[int, str | None]  # id(fix) -> why it is left out, None when kept
    files: tuple[PatchedFile, ...] = ()
    after: Comparison | None = None


def _verify_all(before: Comparison, fixes: list[Fix], verify: Verifier) -> _Verified:
    files, after, trouble = _attempt(before, fixes, fixes, verify)
    if trouble is None or len(fixes) == 1:
        kept = trouble is None and after is not None
        return _Verified({id(f): trouble for f in fixes}, files if kept else (), after if kept else None)
    verdicts: dict[int, str | None] = {}
    done = _Verified(verdicts)
    base, kept_fixes = before, list[Fix]()
    for f in fixes:  # one by one on top of those kept: a fix that fails alone is left out
        files, after, trouble = _attempt(base, [*kept_fixes, f], [f], verify)
        verdicts[id(f)] = trouble
        if trouble is None and after is not None:
            kept_fixes.append(f)
            base, done = after, _Verified(verdicts, files, after)
    return replace(done, verdicts=verdicts)


def plan(before: Comparison, verify: Verifier, writers: Mapping = WRITERS) -> Plan:
    """The verified patch for ``before``'s findings (``verify`` compares a patched model again)."""
    proposed = _without_conflicts(propose(before, writers), writers)
    fixes = [o.fix for o in proposed if o.status is Status.PROPOSED and o.fix is not None]
    checked = _verify_all(before, fixes, verify) if fixes else _Verified({})
    outcomes = []
    for o in sorted(proposed, key=lambda o: o.finding):
        if o.status is Status.PROPOSED and o.fix is not None:
            why = checked.verdicts[id(o.fix)]
            if why is None:
                o = replace(o, status=Status.FIXED)
            else:
                reason = f"the patch was checked and is not offered: with it, {why}"
                o = replace(o, status=Status.REFUSED, fix=None, reason=reason)
        outcomes.append(o)
    return Plan(before, tuple(outcomes), checked.files, checked.after)


__all__ = ["NO_WRITER", "PatchFailed", "Plan", "Verifier", "plan", "problem", "propose"]
