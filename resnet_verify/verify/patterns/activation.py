"""Another activation function where the other side has ReLU (SiLU / Swish, GELU, LeakyReLU, Mish,
ReLU6, ELU ...), found from the ops at the places of the reference's ReLUs; or another function where
the other side has another activation (GroupSort for ELU): the function differs, not only a setting.

timm's ``*ts`` ResNets, EfficientNet-style ports and "modernised" hand-written ResNets swap every
ReLU; compared op by op each is "expected ReLU, found silu" in the stem, every block and the tail of
every block. One swap, one finding, with the count and the line; a few swapped ReLUs among many kept
ones are still one finding per function (the count says how many).
"""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind, OpRecord, Trace
from resnet_verify.verify.patterns.context import Context, at, attr
from resnet_verify.verify.records import Finding, MismatchKind, Pattern

_ELEMENTWISE = (OpKind.ACTIVATION, OpKind.RELU, OpKind.MUL, OpKind.ADD, OpKind.OTHER)


def activation_module(trace: Trace, op: OpRecord) -> str | None:
    """The class name of the parameter-free module ``op`` runs in when that module is an activation
    written as several elementwise ops (Mish: softplus, tanh, mul; hard swish by hand), else None:
    one function, named by what the user called it, not by its first op."""
    if not op.module_path:
        return None
    ops = [o for o in trace.ops if o.module_path == op.module_path]
    if any(o.module_path.startswith(op.module_path + ".") for o in trace.ops):
        return None  # a module with sub-modules that run ops (a block's own forward): not an activation
    shape = ops[0].in_shapes[0] if ops and ops[0].in_shapes else None
    ids = {o.id for o in ops}
    if (
        not any(i in ids for o in ops for i in o.inputs)  # one op per call (a reused nn.SiLU), no chain
        or shape is None
        or any(o.params or o.kind not in _ELEMENTWISE or o.out_shape != shape for o in ops)
    ):
        return None
    return next((c.type_name for c in trace.modules if c.path == op.module_path), None)


def _function(trace: Trace, op: OpRecord) -> str:
    return activation_module(trace, op) or str(attr(op, "function"))


def _spelled(trace: Trace, op_id: int | None) -> str:
    path = trace.ops[op_id].module_path if op_id is not None else None
    return ", ".join(str(attr(o, "function") or o.kind.value) for o in trace.ops if o.module_path == path)


def _module_ops(ctx: Context, names: set[str]) -> list[int]:
    """Every other mismatch of an op inside a swapped-in activation module (its tanh, its mul)."""
    return [
        i
        for i, m in enumerate(ctx.mismatches)
        if i not in ctx.claimed
        and m.candidate_op is not None
        and m.reference_op is None
        and activation_module(ctx.candidate, ctx.candidate.ops[m.candidate_op]) in names
    ]


def _extra_activations(ctx: Context, functions: set[str]) -> dict[str, list[int]]:
    """Extra ops of a swapped-in function (the reference has nothing there), by function."""
    out: dict[str, list[int]] = {}
    for i, m in enumerate(ctx.mismatches):
        if i in ctx.claimed or m.expected is not None or m.candidate_op is None or m.field != "op":
            continue
        c = ctx.candidate.ops[m.candidate_op]
        if c.kind is OpKind.ACTIVATION and _function(ctx.candidate, c) in functions:
            out.setdefault(_function(ctx.candidate, c), []).append(i)
    for i in _module_ops(ctx, functions):
        name = activation_module(ctx.candidate, ctx.candidate.ops[ctx.mismatches[i].candidate_op or 0])
        if name is not None and i not in out.get(name, []):
            out.setdefault(name, []).append(i)
    return out


def _function_swaps(ctx: Context) -> dict[tuple[str, str], list[int]]:
    """(reference function, candidate function) -> the mismatches of each swap: an activation where
    the reference has ReLU, or another function where it has another activation (with the settings of
    that op that differ along with it: ELU's alpha, GroupSort's pairing)."""
    ref, cand = ctx.reference, ctx.candidate
    swapped: dict[tuple[str, str], list[int]] = {}
    pairs: dict[tuple[int, int], tuple[str, str]] = {}
    for i, m in enumerate(ctx.mismatches):
        if i in ctx.claimed or m.reference_op is None or m.candidate_op is None:
            continue
        r, c = ref.ops[m.reference_op], cand.ops[m.candidate_op]
        if m.kind is MismatchKind.OP and r.kind is OpKind.RELU:
            if c.kind is OpKind.ACTIVATION or activation_module(cand, c):
                swapped.setdefault(("ReLU", _function(cand, c)), []).append(i)
        elif m.field == "function" and r.kind is c.kind is OpKind.ACTIVATION:
            pairs[(r.id, c.id)] = (_function(ref, r), _function(cand, c))
            swapped.setdefault(pairs[(r.id, c.id)], []).append(i)
    for i, m in enumerate(ctx.mismatches):  # the swapped op's other settings
        key = (
            pairs.get((m.reference_op, m.candidate_op))
            if m.reference_op is not None and m.candidate_op is not None
            else None
        )
        if (
            key is not None
            and m.kind is MismatchKind.ATTRIBUTE
            and m.field != "function"
            and i not in ctx.claimed
        ):
            swapped[key].append(i)
    return swapped


def _bare(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _is(op: OpRecord, function: str) -> bool:
    """One of the reference's ``function`` activations (by its recorded function: counting them must
    not walk every module once per op)."""
    if function == "ReLU":
        return op.kind is OpKind.RELU
    return op.kind is OpKind.ACTIVATION and str(attr(op, "function")) == function


def detect_activation(ctx: Context) -> list[Finding]:
    ref, cand = ctx.reference, ctx.candidate
    swapped = _function_swaps(ctx)
    extra = _extra_activations(ctx, {c for _, c in swapped})
    findings = []
    for (was, function), swaps in swapped.items():
        n = len({ctx.mismatches[i].reference_op for i in swaps})
        total = max(n, sum(1 for op in ref.ops if _is(op, was)))
        more = extra.get(function, [])
        first = ctx.mismatches[swaps[0]]
        lines = sorted({str(ctx.mismatches[i].source) for i in swaps if ctx.mismatches[i].source})
        built = f"; built at {', '.join(lines[:3])}{' ...' if len(lines) > 3 else ''}" if lines else ""
        inner = set(_module_ops(ctx, {function}))
        loose = [i for i in more if i not in inner]
        also = f", and {len(loose)} more {function} sit where the reference has none" if loose else ""
        if inner:
            also += f" (each {function} is written as {_spelled(cand, first.candidate_op)})"
        # a module named as the reference's activation whose ops do not compute it (a hard-swish by hand
        # that lost its / 6): the same name, another function, which no variant's name says
        misnamed = _bare(function) == _bare(was)
        if misnamed:
            also += f": one side's {was} is written as ops that do not compute it (written so, it would read as {was})"
        findings.append(
            Finding(
                pattern=Pattern.DESCRIBED if misnamed else Pattern.ACTIVATION,
                title=f"{function} in place of {was}" if not misnamed else f"a {function} that is not {was}",
                message=(
                    f"{n} of the reference's {total} {was}s are {function} in the candidate "
                    f"({first.candidate_path or 'forward'}{' ...' if n > 1 else ''}{built}){also}. Shapes and parameters "
                    "agree; the function does not."
                ),
                locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in swaps)),
                mismatches=tuple(sorted([*swaps, *more])),
                suggestion=f"{at(first.candidate_path, first.source)}: use {was} as the reference does",
                source=first.source,
            )
        )
    return findings


__all__ = ["detect_activation"]
