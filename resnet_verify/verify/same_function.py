"""Differences the structure shows that compute the same function: another spelling, not another model.

A refactor can change every op the trace records and still compute exactly what the reference does:
an outer product written as ``einsum`` instead of ``view`` + ``bmm``, a blend written ``torch.lerp``,
a loop over attention maps instead of one ``einsum``, a nearest upsampling instead of ``kron``. No
canonical pass can know every such identity, so where the structural diff finds differences and
every learned tensor of one side pairs one to one with the other's, the claim "these are spellings"
is put to the test numerically:

1. The reference is built for real (``verify.weights.load_reference``); every learned tensor whose
   values are all equal (a BatchNorm's 1 and 0, a zero-initialized residual scale) is drawn at
   random, and the norm statistics too, so no branch hides behind a zero (a shift is drawn around
   zero: a positive one would make the ReLU after it a no-op, and a ReLU left out invisible). The learned tensors and the
   norm statistics are copied into a copy of the candidate; every other tensor (a constant buffer, a
   frozen constant) stays as each side built it, and a candidate built on meta holds none to compare:
   then nothing is decided.
2. Both run in float64 on the same random inputs: in eval mode, in train mode (same random stream),
   backward through the train-mode outputs (every paired gradient and the input's), the norm
   statistics the train-mode forward left, and in eval mode again at a larger input, where a layer
   sized for one input (a fixed pool window) would show.
3. Only when every one of these agrees to :data:`RTOL` are the mismatches dropped, with a note that
   says what was checked. A difference that forward and backward values cannot see is never dropped:
   gradient stops, in-place writes that break the backward, tied weights, train-mode layers, crashes
   and repairs are kept, and with them everything else (the whole comparison stands). Constants are
   not copied, so where two constants differ (``Normalize(255 * mean)`` on raw pixels against ``mean``
   on pixels divided by 255) the values decide.

Numbers can only see what random inputs reach. A difference that touches an op that changes only past a
bound (ReLU6's 6, a clamp, ``max(1, sigma / coeff)`` on a weight, a hard gate's ``> 0.5``) is never cleared:
random activations may never get there (DeepLab-style window settings likewise, above). And a model whose
two samples give the same output (saturated into a constant) decides nothing.

Why all or nothing: the check is of the whole model, so it clears the whole diff or none of it.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import torch
from torch import nn

from resnet_verify.specs.usercode import set_training, train_as_built
from resnet_verify.specs.vocabulary import RUNNING, STATISTICS
from resnet_verify.tracing.records import OpKind, ParamInfo, Trace
from resnet_verify.verify.fused_pairs import Stacked, fused_pairing, join
from resnet_verify.verify.numeric_sides import SEED, Sides, build_sides, runnable_side_by_side, tensors
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind

RTOL = 1e-8  # float64: a refactor agrees to ~1e-14; BatchNorm eps 1e-5 against 1.1e-5 differs by ~5e-7
_KEPT_KINDS = frozenset(
    {MismatchKind.CRASH, MismatchKind.REPAIR, MismatchKind.NUMERIC, MismatchKind.REGULARIZER}
)
# What values cannot see: a gradient stop, a backward-breaking in-place write, tied weights, a precision (autocast,
# a cast to 16 bits: float64 is never lowered); and a window's settings, which one input size can hide (a 3x3 conv
# at dilation 6 or 8 reads only its centre on a 4x4 map, DeepLab's multi-grid at 64 px): numbers cannot clear those.
_KEPT_FIELDS = frozenset({"backward", "inplace_skip", "kernel_size", "stride", "padding", "dilation", "ceil_mode",
                          "output_size", "count_include_pad", "autocast", "dtype", "runs", "writes_running_stats"})  # fmt: skip
_GROWTH = 1.5  # the second input's spatial size, relative to the first


# A layer's own settings that always change the function or what it learns: no spelling differs in them,
# so a mismatch in one ends the question before anything is built or run (the common case: a variant). A
# conv's groups and channel counts are not among them: with every learned shape equal, a difference there
# is a spelling (CondConv's batch folded into the groups of one conv, a weight reshaped in forward).
_SETTINGS = frozenset({"eps", "momentum", "affine", "track_running_stats", "bias", "num_groups", "negative_slope",
                       "p"})  # fmt: skip


# Ops whose result changes only past a bound (ReLU6's 6, clamp(max=3), DDU's max(1, sigma / coeff) on a
# weight, a hard gate's > 0.5): random inputs and weights may never reach it, so numbers cannot clear a
# difference that touches one (ReLU's bound, 0, is reached: the shifts are drawn around it).
_BOUNDED = frozenset({
    "clamp", "clamp_", "clip", "clip_", "clamp_min", "clamp_max", "clamp_min_", "clamp_max_", "hardtanh",
    "hardtanh_", "relu6", "relu6_", "threshold", "threshold_", "maximum", "minimum", "fmax", "fmin", "max", "min",
    "where", "masked_fill", "masked_fill_", "gt", "lt", "ge", "le", "eq", "ne", "__gt__", "__lt__", "__ge__",
    "__le__", "__eq__", "__ne__",
})  # fmt: skip


_ONE_SIDED = frozenset({MismatchKind.MISSING, MismatchKind.EXTRA})
_ACTIVATIONS = frozenset({OpKind.RELU, OpKind.ACTIVATION})


def _activations(trace: Trace) -> Counter[tuple[OpKind, str]]:
    return Counter(
        (op.kind, str(dict(op.attrs).get("function", ""))) for op in trace.ops if op.kind in _ACTIVATIONS
    )


def _one_sided(m: Mismatch) -> bool:
    """An op one side has and the other lacks (a missing op has no parameters: kind OP, one side None)."""
    return m.kind in _ONE_SIDED or (m.field == "op" and (m.expected is None) != (m.actual is None))


def _op_names(comparison: Comparison, m: Mismatch) -> set[str]:
    names = {str(v) for v in (m.expected, m.actual)} if m.field == "param_ops" else set()
    for trace, i in ((comparison.reference, m.reference_op), (comparison.candidate, m.candidate_op)):
        if i is not None and 0 <= i < len(trace.ops):
            attrs = dict(trace.ops[i].attrs)
            names |= {trace.ops[i].name, str(attrs.get("function", "")), str(attrs.get("param_ops", ""))}
    parts = {part for name in names for part in name.split("→")}
    # max / min over an axis (a max pool over neighbours) is a reduction, not a bound: only with a second
    # operand (a tensor or a constant) does it clip
    for trace, i in ((comparison.reference, m.reference_op), (comparison.candidate, m.candidate_op)):
        if i is not None and 0 <= i < len(trace.ops) and trace.ops[i].name in ("max", "min"):
            op = trace.ops[i]
            if len(op.inputs) < 2 and "values" not in dict(op.attrs):
                parts.discard(op.name)
    return parts


_NO_WINDOW = {"kernel_size": 1, "stride": 1, "dilation": 1, "padding": 0}


def _no_window(m: Mismatch) -> bool:
    """A 1x1 window written in another rank (a Conv1d's (1,) over a flattened map, a Conv2d's (1, 1)):
    no window at all on either side, so no input size can hide anything in it."""
    unit = _NO_WINDOW.get(m.field or "")
    values = [m.expected, m.actual]
    return unit is not None and all(isinstance(v, tuple) and v and all(x == unit for x in v) for v in values)


def _unset(m: Mismatch) -> bool:
    """A setting one side's op does not record at all (a norm written as tensor ops has no eps or
    momentum of its own against nn.InstanceNorm2d's): the ops are spelled otherwise, and the numbers
    decide whether they compute the same; a setting both record with two values is a variant."""
    return m.field in _SETTINGS and (m.expected is None) != (m.actual is None)


_PLAIN_WINDOW = frozenset({"kernel_size", "stride", "padding"})


def _undilated(comparison: Comparison, m: Mismatch) -> bool:
    """A window's size, stride or padding where neither side dilates it: every tap reads the map, so
    random values show any difference (a learned kernel of another size has another shape, and the
    learned-shape gate keeps it): a fixed blur's 3x3 written as 3x1 then 1x3 is decided by numbers.
    A dilated window can read only its centre on a small map (DeepLab's multi-grid): kept."""
    if m.field not in _PLAIN_WINDOW:
        return False
    for trace, i in ((comparison.reference, m.reference_op), (comparison.candidate, m.candidate_op)):
        if i is None or not 0 <= i < len(trace.ops):
            return False
        dilation = dict(trace.ops[i].attrs).get("dilation", 1)
        if any(d != 1 for d in (dilation if isinstance(dilation, tuple) else (dilation,))):
            return False
    return True


def _learned_shapes(trace: Trace) -> list[tuple[int, ...]]:
    stats = RUNNING
    return sorted(
        tuple(p.shape)
        for p in trace.params
        if (p.trainable and not p.is_buffer) or (p.is_buffer and p.name.rsplit(".", 1)[-1] in stats)
    )


def _learned(trace: Trace) -> list[tuple[str, tuple[int, ...]]]:
    def learned(p: ParamInfo) -> bool:
        return (p.trainable and not p.is_buffer) or (p.is_buffer and p.name.rsplit(".", 1)[-1] in STATISTICS)

    return [(p.name, tuple(p.shape)) for p in trace.params if learned(p)]


def _eligible(comparison: Comparison) -> bool:
    if not comparison.mismatches or not runnable_side_by_side(comparison):
        return False
    kept = _KEPT_FIELDS | _SETTINGS
    if any(
        m.kind in _KEPT_KINDS
        or (m.field in kept and not _no_window(m) and not _undilated(comparison, m) and not _unset(m))
        for m in comparison.mismatches
    ):
        return False
    if any(_op_names(comparison, m) & _BOUNDED for m in comparison.mismatches):
        return False
    # an activation one side has and the other lacks (the stem's ReLU left out) is no spelling: the most
    # common mistake, answered without building and running both models (15x the compare's time at R50).
    # Where each side runs as many of each (a blend whose blocks align otherwise), the numbers decide.
    one_sided = any(_one_sided(m) and m.op_kind in _ACTIVATIONS for m in comparison.mismatches)
    if one_sided and _activations(comparison.reference) != _activations(comparison.candidate):
        return False
    # no pairing of the learned tensors can exist where their shapes differ (an SE block, a width):
    # the common case, decided from the traces before any model is built; unless layers are fused on
    # one side (a qkv Linear against three): their tensors stack into the fused one's
    ref, cand = comparison.reference, comparison.candidate
    return (
        _learned_shapes(ref) == _learned_shapes(cand)
        or fused_pairing(_learned(ref), _learned(cand)) is not None
    )


def flat_outputs(output: Any) -> Iterator[torch.Tensor]:
    if isinstance(output, torch.Tensor):
        yield output
    elif isinstance(output, dict):
        for value in output.values():
            yield from flat_outputs(value)
    elif isinstance(output, (tuple, list)):
        for value in output:
            yield from flat_outputs(value)


def close(a: torch.Tensor | None, b: torch.Tensor | None, floor: float = 1e-6) -> bool:
    """Equal to :data:`RTOL` of ``a``'s largest value (or of ``floor``, where a tensor is all but zero)."""
    if a is None or b is None:
        return a is None and b is None
    if a.is_complex() and b.is_complex():  # a Fourier layer's weights: their real and imaginary parts
        a, b = (
            torch.view_as_real(a.detach().to(torch.complex128)),
            torch.view_as_real(b.detach().to(torch.complex128)),
        )
    if a.shape != b.shape or a.dtype.is_floating_point != b.dtype.is_floating_point:
        return False
    if not a.dtype.is_floating_point:
        return torch.equal(a, b)
    a, b = a.detach().double(), b.detach().double()
    if not bool(torch.isfinite(a).all()) or not bool(torch.isfinite(b).all()):
        return False
    scale = float(a.abs().max()) if a.numel() else 0.0
    return a.numel() == 0 or float((a - b).abs().max()) <= RTOL * max(scale, floor)


def outputs_close(a: Any, b: Any) -> bool:
    xs, ys = list(flat_outputs(a)), list(flat_outputs(b))
    return len(xs) == len(ys) and bool(xs) and all(close(x, y) for x, y in zip(xs, ys, strict=True))


def _varies(output: Any) -> bool:
    """Whether the two samples of the batch give different outputs: a model saturated into a constant
    (everything clamped away) would agree with anything."""
    for t in flat_outputs(output):
        if t.dim() and t.shape[0] >= 2 and t.is_floating_point():
            a, b = t[0].double(), t[1].double()
            if float((a - b).abs().max()) > RTOL * max(float(a.abs().max()), 1e-6):
                return True
    return False


def _run(model: nn.Module, x: torch.Tensor, seed: int) -> Any:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return model(x)


class Agreement(enum.Enum):
    SAME = "same"
    DIFFERENT = "different"
    UNDECIDED = "undecided"  # a side cannot run this way, or the outputs do not depend on the input


def _eval_agrees(
    sides: Sides, shape: tuple[int, ...], seed: int, *, optional: bool, finite_only: bool = False
) -> Agreement:
    """Eval-mode outputs on one random batch; ``optional``: a reference that cannot run it skips it;
    ``finite_only``: outputs that are not all finite decide nothing."""
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    for model in (sides.reference, sides.candidate):
        set_training(model, False)
    with torch.no_grad():
        try:
            expected = _run(sides.reference, x.clone(), seed)
        except Exception:
            return Agreement.SAME if optional else Agreement.UNDECIDED
        got = _run(sides.candidate, x.clone(), seed)
        if finite_only and not all(
            bool(torch.isfinite(t).all()) for t in (*flat_outputs(expected), *flat_outputs(got))
        ):
            return Agreement.UNDECIDED
        if not outputs_close(expected, got):
            return Agreement.DIFFERENT  # (a reference saturated into a constant the candidate is not)
        return Agreement.SAME if _varies(expected) else Agreement.UNDECIDED


def stacked_pair(s: Stacked, rt: dict[str, torch.Tensor], ct: dict[str, torch.Tensor]) -> tuple[Any, Any]:
    """A fused tensor and its parts stacked, with their gradients stacked likewise."""

    def side(names: Sequence[str], t: dict[str, torch.Tensor]) -> Any:
        parts = [t[n] for n in names]
        whole = join([p.detach() for p in parts])
        if isinstance(parts[0], nn.Parameter):
            whole = nn.Parameter(whole)
            grads = [p.grad for p in parts]
            whole.grad = join(grads) if all(g is not None for g in grads) else None  # type: ignore[arg-type]
        return whole

    return side(s.reference, rt), side(s.candidate, ct)


def _train_agrees(sides: Sides, shape: tuple[int, ...]) -> bool:
    """Train-mode outputs, the gradients backward sends to every paired tensor and the input, and the
    norm statistics the forward leaves."""
    gen = torch.Generator().manual_seed(SEED + 1)
    x = torch.randn(shape, generator=gen, dtype=torch.float64)
    results = []
    for model in (sides.reference, sides.candidate):
        train_as_built(model)
        model.zero_grad(set_to_none=True)
        xi = x.clone().requires_grad_(True)
        out = list(flat_outputs(_run(model, xi, SEED + 2)))
        results.append((xi, out))
    (xr, out_r), (xc, out_c) = results
    if len(out_r) != len(out_c) or not all(close(a, b) for a, b in zip(out_r, out_c, strict=True)):
        return False
    weights = [torch.randn(o.shape, generator=gen, dtype=torch.float64) for o in out_r]
    for _, outs in results:
        loss = sum((o * w).sum() for o, w in zip(outs, weights, strict=True) if o.requires_grad)
        if isinstance(loss, torch.Tensor) and loss.requires_grad:
            backward_seeded(loss)
    rt, ct = tensors(sides.reference), tensors(sides.candidate)
    pairs = [(rt[r], ct[c]) for r, c in sides.pairs] + [stacked_pair(s, rt, ct) for s in sides.stacked]
    # a gradient is measured against the largest of them all: one that all but cancels (a bias before a
    # mass-conserving rescale) holds only rounding noise, which differs between two spellings
    floor = max(
        (float(a.grad.abs().max()) for a, _ in pairs if a.grad is not None and a.grad.numel()), default=0.0
    )
    return close(xr.grad, xc.grad) and all(
        close(a.grad, b.grad, max(floor, 1e-6)) if isinstance(a, nn.Parameter) else close(a, b)
        for a, b in pairs
    )


def backward_seeded(loss: torch.Tensor) -> None:
    """A backward that draws (ShakeDrop's beta, drawn in its Function's backward) draws from one stream
    on both sides, as their forwards do: otherwise the second side's draws follow the first's."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED + 6)
        loss.backward()


def _larger(shape: tuple[int, ...]) -> tuple[int, ...]:
    return (*shape[:2], *(int(math.ceil(s * _GROWTH / 16) * 16) for s in shape[2:]))


def functions_agree(sides: Sides, input_shape: Sequence[int]) -> Agreement:
    """Eval outputs, train outputs, gradients and norm statistics, then eval outputs at a larger input.
    A side that raises (a model that casts to float32 inside, a backward it cannot run) decides nothing.
    Warnings the models raise are theirs, never the answer's: it is the same under ``-W error``."""
    traced = tuple(int(s) for s in input_shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _functions_agree(sides, (2, *traced[1:]), traced)


def _traced_agrees(sides: Sides, traced: tuple[int, ...]) -> bool:
    """Eval outputs at the batch the structure was traced at: a forward that branches on its batch size
    (``if h.size(0) > 1: h = self.bn(h)``) is what the trace saw there, whatever two samples show."""
    x = torch.randn(traced, generator=torch.Generator().manual_seed(SEED + 7), dtype=torch.float64)
    for model in (sides.reference, sides.candidate):
        set_training(model, False)
    with torch.no_grad():
        return outputs_close(_run(sides.reference, x.clone(), SEED), _run(sides.candidate, x.clone(), SEED))


def _train_agrees_if_runs(sides: Sides, traced: tuple[int, ...]) -> bool:
    """Training at the traced batch where both sides run it (a BatchNorm1d raises on one sample)."""
    try:
        return _train_agrees(sides, traced)
    except Exception:
        return True


def _functions_agree(sides: Sides, shape: tuple[int, ...], traced: tuple[int, ...]) -> Agreement:
    try:
        if traced != shape and not _traced_agrees(sides, traced):
            return Agreement.DIFFERENT
        first = _eval_agrees(sides, shape, SEED, optional=False)
        if first is not Agreement.SAME:
            return first
        if not _train_agrees(sides, shape):
            return Agreement.DIFFERENT
        larger = _eval_agrees(sides, _larger(shape), SEED + 3, optional=True)
        # last: a side that fails partway leaves the other's statistics moved, and nothing reads them after
        if larger is Agreement.SAME and traced != shape and not _train_agrees_if_runs(sides, traced):
            return Agreement.DIFFERENT
        return larger
    except Exception:
        return Agreement.UNDECIDED


def outputs_agree(sides: Sides, input_shape: Sequence[int], *, seed: int = SEED) -> Agreement:
    """Eval-mode outputs alone, at the compared input size (outputs that are not all finite decide
    nothing; the models' warnings ignored, as in :func:`functions_agree`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            shape = (2, *(int(s) for s in input_shape[1:]))
            return _eval_agrees(sides, shape, seed, optional=False, finite_only=True)
        except Exception:
            return Agreement.UNDECIDED


def _same_function(candidate: nn.Module, reference: str | nn.Module, comparison: Comparison) -> bool:
    """The same function on the reference's draw of its learned tensors and on a second draw (each
    negated): agreeing on one draw alone can be the draw's coincidence. The second overturns the
    first only with finite outputs on both sides (a tensor that must stay positive, negated, proves
    nothing)."""
    sides = build_sides(candidate, reference, comparison)
    if sides is None or functions_agree(sides, comparison.input_shape) is not Agreement.SAME:
        return False
    try:
        negated = build_sides(candidate, reference, comparison, negated=True)
    except Exception:
        return True
    return (
        negated is None
        or outputs_agree(negated, comparison.input_shape, seed=SEED + 7) is not Agreement.DIFFERENT
    )


def _note(comparison: Comparison) -> str:
    n = len(comparison.mismatches)
    size = "x".join(map(str, _larger((2, *comparison.input_shape[1:]))[2:]))
    return (
        f"the trace shows {n} difference{'s' if n > 1 else ''} in how the model is written, and it computes "
        "the same function: with the reference's learned tensors copied in (constant ones drawn at random), "
        "outputs in eval and train mode, every gradient and the BatchNorm statistics agree in float64, and "
        f"eval outputs at {size} as well; they are not listed"
    )


def spelled_otherwise(candidate: nn.Module, reference: str | nn.Module, comparison: Comparison) -> Comparison:
    """``comparison`` without its mismatches where the two models compute the same function (see the
    module docstring); otherwise ``comparison`` unchanged. A failure of either model is no answer."""
    if not _eligible(comparison):
        return comparison
    try:
        same = _same_function(candidate, reference, comparison)
    except Exception:
        return comparison
    if not same:
        return comparison
    from resnet_verify.verify.comparison import stage_rows

    return dataclasses.replace(
        comparison,
        mismatches=(),
        findings=(),
        stages=stage_rows(comparison.reference, comparison.candidate, comparison.blocks, ()),
        notes=(*comparison.notes, _note(comparison)),
    )
