"""Why a port is refused: every blocker at once, each with its fix.

Three kinds, read from typed records (never from message text): tensors the alignment cannot
pair (grouped by the reference layer that owns them), the first block whose outputs diverge with
the same weights, and BatchNorm settings that differ. A fix comes from the finding that explains
the mismatches at that place (``resnet_v1_stride``, ``fixed_size_head``, ``keras_batchnorm`` ...);
where no finding does, a plain fix is computed from the reference.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.equivalence import EquivalenceReport
from resnet_verify.verify.pairing import ParamMapping
from resnet_verify.verify.records import Comparison, MismatchKind, Pattern

_BN_FIELDS = ("eps", "momentum", "affine", "track_running_stats")


class BlockerKind(str, enum.Enum):
    CRASH = "crash"  # the candidate's forward fails
    UNPAIRED = "unpaired"  # tensors the alignment cannot pair
    DIVERGENT = "divergent"  # the first block whose outputs differ with the same weights
    BATCHNORM = "batchnorm"  # BatchNorm settings that differ


@dataclass(frozen=True, slots=True)
class Blocker:
    kind: BlockerKind
    where: str  # the reference's path ("fc", "layer2.0", "bn1")
    candidate_path: str | None
    problem: str
    fix: str

    def line(self) -> str:
        return f"{self.where}: {self.problem}; fix: {self.fix}"


def _covers(path: str | None, where: str) -> bool:
    return bool(path) and (path == where or str(path).startswith(where + "."))


def _finding_fix(comparison: Comparison, *where: str) -> str | None:
    """The suggestion of the finding that explains a mismatch at (or inside) one of ``where``.

    A head with other classes than the checkpoint is what a fine-tuning port expects, so the
    hard-coded class count finding is no fix for a port.
    """
    for finding in comparison.findings:
        if finding.suggestion is None or finding.pattern is Pattern.CLASS_COUNT:
            continue
        claimed = [comparison.mismatches[i] for i in finding.mismatches]
        here = [m for m in claimed if any(_covers(m.reference_path, w) for w in where)]
        if here or any(w in finding.locations for w in where):
            return finding.suggestion
    return None


def _region_paths(comparison: Comparison, report: EquivalenceReport, where: str) -> tuple[str, ...]:
    """The module paths inside the diverging stem or block: a finding at any of them explains it."""
    rs = comparison.reference.structure
    if report.first_divergent == "stem":
        ops = rs.stem
    else:
        block = next((b for b in rs.blocks if b.path == where), None)
        ops = (*block.main, *block.shortcut, *block.tail) if block is not None else ()
    paths = [comparison.reference.ops[o].module_path for o in ops]
    return (where, *dict.fromkeys(p for p in paths if p))


def _listing(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f", ... {len(names) - 3} more" if len(names) > 3 else "")


def _head_linear(comparison: Comparison, module: str) -> bool:
    ref = comparison.reference
    return any(
        ref.ops[o].kind is OpKind.LINEAR and ref.ops[o].module_path == module for o in ref.structure.head
    )


def unpaired_blockers(comparison: Comparison, mapping: ParamMapping) -> list[Blocker]:
    """Reference layers whose tensors have no candidate partner, one blocker per fix (a too narrow
    stage is one blocker for all its layers), then candidate tensors no reference tensor fills."""
    owners: dict[str, list[str]] = {}
    for name in mapping.unpaired_reference:
        owners.setdefault(name.rpartition(".")[0], []).append(name)
    why = dict(mapping.differences)
    shapes = {p.name: list(p.shape) for p in comparison.reference.params}
    by_fix: dict[str, list[str]] = {}
    for module, names in owners.items():
        fix = _finding_fix(comparison, module)
        if fix is None and _head_linear(comparison, module):
            fix = (
                "port with --partial (partial=True) to leave the head at its initialisation for "
                "fine-tuning, or build the candidate with the checkpoint's classes"
            )
        fix = (
            fix
            or "give the layer the reference's shapes (" + ", ".join(f"{n} {shapes[n]}" for n in names) + ")"
        )
        by_fix.setdefault(fix, []).append(module)
    blockers = []
    for fix, modules in by_fix.items():
        first = modules[0]
        names = owners[first]
        problem = f"{', '.join(names)} cannot be paired" + (f" ({why[first]})" if first in why else "")
        if len(modules) > 1:
            problem += f"; so do {len(modules) - 1} more layers ({_listing(modules[1:])})"
        blockers.append(Blocker(BlockerKind.UNPAIRED, first or "model", None, problem, fix))
    left = [*mapping.conflicts, *(() if blockers else mapping.unpaired_candidate)]
    if left:
        shown = _listing(left)
        blockers.append(
            Blocker(
                BlockerKind.UNPAIRED,
                "model",
                left[0],
                f"{len(left)} candidate tensor(s) without one reference partner ({shown})",
                "remove the layers (or the weight sharing) the reference does not have, or port with --partial",
            )
        )
    return blockers


def divergence_blocker(comparison: Comparison, report: EquivalenceReport) -> Blocker | None:
    """The first diverging stem / block / head of ``report``, with the fix of what explains it."""
    if not report.mismatches:
        return None
    m = report.mismatches[0]
    where = m.reference_path or report.first_divergent or "output"
    fix = _finding_fix(comparison, *_region_paths(comparison, report, where))
    if fix is None:
        inside = next((x for x in comparison.mismatches if _covers(x.reference_path, where)), None)
        if inside is not None:
            fix = f"what compare reports there: {inside.message}"
        elif batchnorm_blockers(comparison):
            fix = "the BatchNorm settings below change every BatchNorm's output: fix them first"
        else:
            fix = (
                "the layers are the same but compute something else (a ReLU, the residual add or "
                "a BatchNorm in another place); run compare --equivalence on it"
            )
    label = report.first_divergent or where
    problem = m.message.removeprefix(f"block {label}: ").removeprefix(f"{label}: ")
    return Blocker(BlockerKind.DIVERGENT, where, m.candidate_path, problem, fix)


def batchnorm_blockers(comparison: Comparison) -> list[Blocker]:
    """One blocker per differing BatchNorm setting (field, reference value, candidate value)."""
    groups: dict[tuple[str, str, str], list[tuple[str, str | None]]] = {}
    for m in comparison.mismatches:
        if m.kind is MismatchKind.ATTRIBUTE and m.op_kind is OpKind.BATCH_NORM and m.field in _BN_FIELDS:
            key = (str(m.field), repr(m.expected), repr(m.actual))
            groups.setdefault(key, []).append((m.reference_path or "?", m.candidate_path))
    blockers = []
    for (name, expected, actual), where in groups.items():
        first, cand = where[0]
        n = len(where)
        problem = (
            f"BatchNorm {name} is {actual} instead of {expected} in {n} BatchNorm{'s' if n != 1 else ''}"
        )
        fix = (
            _finding_fix(comparison, first)
            or f"BatchNorm2d(num_features, {name}={expected}) as in the reference"
        )
        blockers.append(Blocker(BlockerKind.BATCHNORM, first, cand, problem, fix))
    return blockers


__all__ = ["Blocker", "BlockerKind", "batchnorm_blockers", "divergence_blocker", "unpaired_blockers"]
