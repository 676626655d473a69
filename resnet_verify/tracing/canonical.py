"""One spelling per concept, after recording: ops that together compute what one op computes.

``x.mean(-1).mean(-1)`` and ``x.mean(3).mean(2)`` are a global average pool spelled in two steps;
the last step already reads as one (``opkinds``: a mean over every axis after (N, C) of what it is
given), the earlier ones are partial reductions that only feed it. They are re-marked as layout ops
(``RESHAPE``, ``part_of``), which alignment and diff skip, so the model compares as the one pool it
is. Op ids and dataflow are untouched: only kinds change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers
from resnet_verify.tracing.written_norms import STATISTICS, eps_at, module_norm

_REDUCTIONS = frozenset({"mean", "amax"})


def _partial_spatial(op: OpRecord) -> bool:
    a = dict(op.attrs)
    dims = a.get("dims")
    return (
        op.kind is OpKind.OTHER
        and a.get("function") in _REDUCTIONS
        and isinstance(dims, tuple)
        and bool(dims)
        and all(isinstance(d, int) and d >= 2 for d in dims)
    )


_MODES = {"mean": "avg", "amax": "max"}


def _same_reduction(step: OpRecord, reader: OpRecord, reader_joined: bool) -> bool:
    """The step and what reads it reduce alike: a mean of means is the mean, a max of maxima the max;
    a max over a group axis then a mean over H, W (a p4 group pool) is neither pool."""
    function = dict(step.attrs).get("function")
    if reader_joined:
        return dict(reader.attrs).get("function") == function
    return reader.kind is OpKind.GLOBAL_POOL and dict(reader.attrs).get("mode") == _MODES.get(str(function))


def join_partial_pools(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    consumers = readers(ops)
    out = list(ops)
    joined: set[int] = set()
    for op in reversed(ops):  # the pool first, then each partial step that only feeds it
        if not _partial_spatial(op):
            continue
        uses = consumers.get(op.id, [])
        if len(uses) == 1 and _same_reduction(op, out[uses[0]], uses[0] in joined):
            a = dict(op.attrs)
            out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({**a, "part_of": "global pool"}))
            joined.add(op.id)
    return tuple(out)


# A normalization written as tensor ops (FilterResponseNorm, EvoNorm, a hand-written LayerNorm2d /
# GroupNorm): a statistic over some axes, a division by its root, a scale and shift.
_STATISTICS = STATISTICS
_ROOTS = frozenset({"rsqrt", "sqrt", "div", "reciprocal", "pow", "true_divide"})
_NOT_IN_A_NORM = frozenset(
    {OpKind.CONV, OpKind.LINEAR, OpKind.BATCH_NORM, OpKind.NORM, OpKind.MAX_POOL, OpKind.AVG_POOL, OpKind.CAT}
)
_CLIPS = frozenset({"maximum", "clamp", "clamp_min", "relu"})  # a trailing threshold (FRN's TLU)


def module_runs(ops: Sequence[OpRecord]) -> list[list[OpRecord]]:
    """Ops of one call of one innermost module: consecutive ids with the same module path."""
    runs: list[list[OpRecord]] = []
    for op in ops:
        if (
            runs
            and op.module_path
            and runs[-1][-1].module_path == op.module_path
            and runs[-1][-1].id == op.id - 1
        ):
            runs[-1].append(op)
        else:
            runs.append([op])
    return runs


def function_of(op: OpRecord) -> str:
    return str(dict(op.attrs).get("function", op.name))


def _is_norm(run: Sequence[OpRecord]) -> bool:
    if len(run) < 4 or any(op.kind in _NOT_IN_A_NORM for op in run):
        return False
    stat = any(op.kind is OpKind.GLOBAL_POOL or function_of(op) in _STATISTICS for op in run)
    root = any(function_of(op) in _ROOTS for op in run)
    inside = {op.id for op in run}
    first = next((op for op in run if any(i not in inside for i in op.inputs)), None)
    shape = first.in_shapes[0] if first is not None and first.in_shapes else None
    return stat and root and shape is not None and run[-1].out_shape == shape


def _statistic_axes(run: Sequence[OpRecord]) -> str | None:
    """The axes the first statistic reduces, of how many (``dims (1,) of 4``: each pixel over its
    channels, LayerNorm2d; ``dims (3,) of 4``: each row over its W pixels): a norm over other axes
    computes something else, with the same ops, shapes and parameters."""
    for op in run:
        dims = dict(op.attrs).get("dims")
        if dims is not None and op.in_shapes:
            return f"dims {tuple(dims)} of {len(op.in_shapes[0])}"
    return None


def join_norm_modules(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """Each module call that normalizes with tensor ops reads as one ``NORM`` op (its last op; a
    trailing threshold stays an activation), its other ops as layout ops alignment skips, so it
    compares as the normalization layer it is. Op ids and dataflow are untouched."""
    out = list(ops)
    for run in module_runs(ops):
        if not _is_norm(run):
            continue
        last = run[-1]
        clip = function_of(last) in _CLIPS and len(run) > 4
        norm = run[-2] if clip else last
        over = _statistic_axes(run)
        inside = {op.id for op in run}
        entry = next(op for op in run if any(i not in inside for i in op.inputs))
        x = next(i for i in entry.inputs if i not in inside)
        where = eps_at(run)
        attrs = module_norm(run, x, entry.in_shapes[entry.inputs.index(x)]) or {
            "norm": "written as ops",
            **({"over": over} if over else {}),
            **({"eps_at": where} if where else {}),
        }
        params = tuple(dict.fromkeys(p for op in run[: run.index(norm) + 1] for p in op.params))
        for op in run:
            if op is norm:
                # named as the module it is, so both spellings read alike in every message
                name = str(attrs["norm"]) if attrs["norm"] != "written as ops" else op.name
                out[op.id] = replace(op, kind=OpKind.NORM, name=name, attrs=make_attrs(attrs), params=params)
            elif op is last and clip:
                out[op.id] = replace(
                    op, kind=OpKind.ACTIVATION, attrs=make_attrs({"function": function_of(op)})
                )
            else:
                a = dict(op.attrs)
                kept = () if op.id < norm.id else op.params  # the norm's own are its op's
                out[op.id] = replace(
                    op, kind=OpKind.RESHAPE, attrs=make_attrs({**a, "part_of": "norm"}), params=kept
                )
    return tuple(out)


def _gate_chain(
    ops: Sequence[OpRecord], consumers: dict[int, list[int]], x: int, gate: int
) -> list[int] | None:
    """The ops of ``g(x)`` when ``gate`` computes sigmoid(x) (swish) or tanh(softplus(x)) (Mish) and
    only the multiply reads them; None otherwise."""
    g = ops[gate] if gate >= 0 else None
    if g is None or len(consumers.get(gate, [])) != 1:
        return None
    if function_of(g) == "sigmoid" and g.inputs == (x,):
        return [gate]
    if function_of(g) == "tanh" and len(g.inputs) == 1 and g.inputs[0] >= 0:
        sp = ops[g.inputs[0]]
        if function_of(sp) == "softplus" and sp.inputs == (x,) and consumers.get(sp.id) == [gate]:
            return [sp.id, gate]
    return None


def join_swish(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """``x * torch.sigmoid(x)`` is SiLU (swish) and ``x * torch.tanh(F.softplus(x))`` is Mish, written
    by hand: the multiply reads as the one activation, the gate's ops that only feed it as layout."""
    consumers = readers(ops)
    out = list(ops)
    for op in ops:
        if op.kind is not OpKind.MUL or len(op.inputs) != 2:
            continue
        a, b = op.inputs
        for x, gate in ((a, b), (b, a)):
            chain = _gate_chain(ops, consumers, x, gate)
            if chain is None:
                continue
            name = "silu" if len(chain) == 1 else "mish"
            out[op.id] = replace(op, kind=OpKind.ACTIVATION, attrs=make_attrs({"function": name}))
            for i in chain:
                out[i] = replace(ops[i], kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": name}))
            break
    return tuple(out)


def _scalar(op: OpRecord, function: str, value: float) -> bool:
    """``x + 3`` / ``x / 6``: one tensor input and the constant (a division may record no scalar)."""
    a = dict(op.attrs)
    names = {function, f"__{function}__", f"{function}_", "truediv"} if function == "div" else {function}
    return function_of(op) in names and len(op.inputs) == 1 and a.get("scalar", value) == value


def join_hard_swish(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """``x * F.relu6(x + 3) / 6`` (either order of the multiply and the division) is hard-swish
    written by hand (MobileNetV3, quantization-friendly nets): the last op reads as one
    ``hardswish`` activation, the others as layout ops."""
    reading = readers(ops)
    out = list(ops)
    for add in ops:
        if not _scalar(add, "add", 3.0) or len(reading.get(add.id, [])) != 1:
            continue
        x, relu6 = add.inputs[0], ops[reading[add.id][0]]
        if function_of(relu6) != "relu6" or len(reading.get(relu6.id, [])) != 1:
            continue
        nxt = ops[reading[relu6.id][0]]
        if _scalar(nxt, "div", 6.0) and len(reading.get(nxt.id, [])) == 1:  # x * (relu6(x + 3) / 6)
            chain, last = [add, relu6, nxt], ops[reading[nxt.id][0]]
            ok = last.kind is OpKind.MUL and set(last.inputs) == {x, nxt.id}
        else:  # (x * relu6(x + 3)) / 6
            mul = nxt
            ok = (
                mul.kind is OpKind.MUL
                and set(mul.inputs) == {x, relu6.id}
                and len(reading.get(mul.id, [])) == 1
            )
            chain, last = [add, relu6, mul], (ops[reading[mul.id][0]] if ok else mul)
            ok = ok and _scalar(last, "div", 6.0)
        if not ok:
            continue
        for op in chain:
            out[op.id] = replace(op, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "hardswish"}))
        out[last.id] = replace(last, kind=OpKind.ACTIVATION, attrs=make_attrs({"function": "hardswish"}))
    return tuple(out)


_MAXIMA = frozenset({"maximum", "max", "fmax"})
_ZEROS = frozenset({"zeros_like", "new_zeros"})


def join_relu(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    """``torch.maximum(x, torch.zeros_like(x))`` is ReLU written by hand: the maximum reads as one
    ReLU, the zeros that only feed it as a layout op."""
    reading = readers(ops)
    out = list(ops)
    for op in ops:
        if op.kind is not OpKind.OTHER or function_of(op) not in _MAXIMA or len(op.inputs) != 2:
            continue
        for zero in op.inputs:
            z = ops[zero] if zero >= 0 else None
            if z is not None and function_of(z) in _ZEROS and reading.get(zero) == [op.id]:
                out[op.id] = replace(op, kind=OpKind.RELU, attrs=make_attrs({}))
                out[zero] = replace(z, kind=OpKind.RESHAPE, attrs=make_attrs({"part_of": "relu"}))
                break
    return tuple(out)


__all__ = ["join_hard_swish", "join_norm_modules", "join_partial_pools", "join_relu", "join_swish"]
