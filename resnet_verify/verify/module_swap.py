"""The candidate runs another of its modules where the reference runs one the candidate also built.

AdvProp's MixBatchNorm holds a main and an auxiliary BN and runs one by a flag; left on ``adv``, every
norm runs the auxiliary BN: the same ops in the same order, other weights and statistics, and the main
BNs built but never run. Names differ between any two models, so they are not compared; but where
the candidate holds a module at exactly the path the reference runs, with parameters, and never runs
it, while running another module at that place, the choice between its own modules is the
difference. A mismatch at the op, either side.
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpRecord, Trace

FIELD = "module_run"


def _idle(trace: Trace) -> frozenset[str]:
    """Modules that hold parameters no op reads and are never called (a functional forward reading
    ``self.conv1.weight`` runs that module's weights without calling it: not idle)."""
    called = {c.path for c in trace.modules}
    read = {name.rpartition(".")[0] for op in trace.ops for name in op.params}
    held = {p.name.rpartition(".")[0] for p in trace.params}
    return frozenset(held - called - read)


def relative(r_path: str, c_path: str) -> tuple[str, str]:
    """The two module paths below what they share (``bn1`` / ``bn1.aux_bn`` -> ``itself`` / ``aux_bn``):
    the same choice at every norm reads the same everywhere, so it groups as one cause."""
    a, b = r_path.split("."), c_path.split(".")
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return ".".join(a[n:]) or "itself", ".".join(b[n:]) or "itself"


class ModuleSwaps:
    """Asks, for a pair of ops, whether either side runs another module than one it built idle."""

    def __init__(self, ref: Trace, cand: Trace) -> None:
        self.idle = (_idle(ref), _idle(cand))

    def swapped(self, r: OpRecord, c: OpRecord) -> str | None:
        if not r.params or not c.params or r.module_path == c.module_path:
            return None
        if r.module_path in self.idle[1]:
            return "candidate"
        if c.module_path in self.idle[0]:
            return "reference"
        return None


__all__ = ["FIELD", "ModuleSwaps", "relative"]
