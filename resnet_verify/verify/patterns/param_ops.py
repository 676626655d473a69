"""Parameters computed in ``forward``: weight standardization, and any other transform of a weight.

The tracer folds ops that read parameters alone into the parameter they come from
(``tracing/recorder.py``) and tags the op that uses it with the chain (``param_ops``: ``mean→sub→
std→add→div``). A difference in that chain is one finding: named where the chain is a known one
(weight standardization: centre and scale each filter), described otherwise, with the count of layers
and the line.
"""

from __future__ import annotations

from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, Mismatch, MismatchKind, Pattern

_SPELLED = {"truediv": "div", "true_divide": "div", "rsub": "sub", "radd": "add", "rmul": "mul"}


def _plain(name: str) -> str:
    """``__sub__`` / ``sub_`` / ``__isub__`` -> ``sub``: one name per arithmetic op; ``mean(dim=(1,))`` ->
    ``mean`` (the axes a step reduces over are compared in the chain, not in its kind)."""
    bare = name.split("(", 1)[0].strip("_")
    bare = bare[1:] if bare.startswith("i") and bare[1:] in ("sub", "add", "mul", "truediv", "div") else bare
    return _SPELLED.get(bare, bare)


def _is_standardization(chain: str) -> bool:
    ops = {_plain(n) for n in chain.split("→")} if chain else set()
    if ops & {"batch_norm", "layer_norm", "group_norm", "instance_norm"}:
        return True  # a norm applied to the weight itself (timm's ScaledStdConv2d uses F.batch_norm)
    # the mean subtracted (var_mean / std_mean return it beside the spread: timm's StdConv2d)
    return (
        "sub" in ops
        and bool(ops & {"mean", "var_mean", "std_mean"})
        and bool(ops & {"std", "var", "var_mean", "std_mean", "rsqrt", "norm"})
        and bool(ops & {"div", "mul", "rsqrt"})
    )


# torch.nn.utils.parametrizations (folded by the tracer, named on the layer): what each does
_PARAMETRIZED = {
    "spectral_norm": "divided by their largest singular value at each call (spectral_norm: every layer "
    "held to a Lipschitz constant of 1)",
    "weight_norm": "reparametrized as g * v / ||v|| (weight_norm: the same layers, other parameters, "
    "other training dynamics, and a state dict with two tensors per weight)",
}


def _parametrization(chain: object) -> str | None:
    return next((k for k in _PARAMETRIZED if isinstance(chain, str) and k in chain.split("→")), None)


def _what(chain: object) -> str:
    if not isinstance(chain, str) or not chain:
        return "used as stored"
    known = _parametrization(chain)
    if known is not None:
        return _PARAMETRIZED[known]
    if _is_standardization(chain):
        return f"standardized in forward ({chain}: zero mean, unit variance {_over(chain)})"
    return f"computed in forward ({chain})"


def _over(chain: str) -> str:
    """What the statistics are taken over, from the reduction's axes where the chain records them: a
    kernel's axes (out, in, kh, kw), so (1, 2, 3) is each filter and (0, 2, 3) each input channel."""
    axes = next((step.split("dim=", 1)[1] for step in chain.split("→") if "dim=(" in step), None)
    if axes is None or axes.startswith("(1, 2") or axes.startswith("(1,)"):
        return "per filter"
    if axes.startswith("(0, 2"):
        return "per input channel, across the filters"
    return f"over the kernel's axes {axes.split(')', 1)[0]})"


def _agree(mine: object, theirs: object, *, counted: bool = False) -> str:
    if _parametrization(mine) or _parametrization(theirs):
        return "Layer shapes agree"
    if counted:  # the computation's own tensors (a gain per filter) are the only parameters that differ
        return "Shapes agree; the parameter counts differ by the tensors that computation reads"
    return "Shapes and parameter counts agree; the function does not"


def _fix(mine: object, theirs: object) -> str:
    if _parametrization(mine) and not theirs:
        return (
            f"drop the {_parametrization(mine)} parametrization, as the reference has plain weights (or fold it "
            "after loading: torch.nn.utils.parametrize.remove_parametrizations(layer, 'weight'))"
        )
    if _parametrization(theirs) and not mine:
        return f"wrap each layer as the reference does: torch.nn.utils.parametrizations.{_parametrization(theirs)}(layer)"
    if mine and not theirs:
        return "use the stored weights (no transform in forward), as the reference does"
    if theirs and _is_standardization(str(theirs)):
        return "standardize the weights in forward as the reference does"
    return f"compute the weights as the reference does ({theirs or 'as stored'})"


def _one_layer(ctx: Context, m: Mismatch) -> bool:
    """Both sides' ops are one layer whose weight is computed otherwise: the same kind and, for a
    function, the same function. A matmul with a position table aligned with a softmax where the
    candidate left the table out is another op, not a weight computed otherwise (BoTNet without rel_h
    + rel_w)."""
    if m.reference_op is None or m.candidate_op is None:
        return False
    r, c = ctx.reference.ops[m.reference_op], ctx.candidate.ops[m.candidate_op]
    return r.kind is c.kind and dict(r.attrs).get("function") == dict(c.attrs).get("function")


def _own_parameters(ctx: Context, idx: list[int]) -> list[int]:
    """The parameter counts of the same layers, where the computation's own tensors make the difference (an
    NF-ResNet's per-filter gain, weight_norm's g): not a bias, which its own mismatch says."""
    pairs = {(ctx.mismatches[i].reference_op, ctx.mismatches[i].candidate_op) for i in idx}
    biased = {(m.reference_op, m.candidate_op) for m in ctx.mismatches if m.field == "bias"}
    return [
        i
        for i, m in enumerate(ctx.mismatches)
        if m.kind is MismatchKind.PARAMS
        and i not in ctx.claimed
        and (m.reference_op, m.candidate_op) in pairs - biased
    ]


def detect_param_ops(ctx: Context) -> list[Finding]:
    groups: dict[tuple[object, object], list[int]] = {}
    for i, m in enumerate(ctx.mismatches):
        if (
            m.kind is MismatchKind.ATTRIBUTE
            and m.field == "param_ops"
            and i not in ctx.claimed
            and _one_layer(ctx, m)
        ):
            groups.setdefault((m.expected, m.actual), []).append(i)
    findings = []
    for (theirs, mine), found in groups.items():
        own = _own_parameters(ctx, found)
        idx = [*found, *own]
        first = ctx.mismatches[idx[0]]
        lines = sorted({str(ctx.mismatches[i].source) for i in idx if ctx.mismatches[i].source})
        # named where one side standardizes and the other does not; both standardizing otherwise (another
        # eps, another spelling) is one computation written otherwise, described below
        named = _is_standardization(str(mine)) != _is_standardization(str(theirs))
        # both sides compute the weight, neither by a torch parametrization: no variant (used as
        # stored against computed) but one computation written otherwise, described
        otherwise = bool(mine) and bool(theirs) and not (_parametrization(mine) or _parametrization(theirs))
        n = len(found)
        findings.append(
            Finding(
                pattern=Pattern.WEIGHT_STANDARDIZATION
                if named
                else (Pattern.DESCRIBED if otherwise else Pattern.PARAM_OPS),
                title="weight standardization"
                if named
                else (
                    "weights computed otherwise in forward" if otherwise else "parameters computed in forward"
                ),
                message=(
                    f"In {n} layer{'s' if n > 1 else ''} ({first.candidate_path}{' ...' if n > 1 else ''}) the "
                    f"candidate's weights are {_what(mine)}; the reference's are {_what(theirs)}. "
                    + _agree(mine, theirs, counted=bool(own))
                    + (f" (built at {', '.join(lines[:3])})." if lines else ".")
                ),
                locations=tuple(dict.fromkeys(ctx.mismatches[i].reference_path or "" for i in idx)),
                mismatches=tuple(sorted(idx)),
                suggestion=f"{at(first.candidate_path, first.source)}: {_fix(mine, theirs)}",
                source=first.source,
            )
        )
    return findings


__all__ = ["detect_param_ops"]
