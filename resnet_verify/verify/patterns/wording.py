"""Plain words for a mismatch no named variant claims: what changed, where, and what to do.

The describing detectors (``repeated``: one line in many blocks; ``described``: several differences
in one unit) say what differs in the same words, and shorten their lists the same way, so a report
reads as one voice and a wording fix lands once.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.buffer_values import UNREAD
from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.verify.dead_ops import FIELD as DEAD_FIELD
from resnet_verify.verify.inplace_skip import FIELD as INPLACE_SKIP
from resnet_verify.verify.module_swap import FIELD as SWAP_FIELD
from resnet_verify.verify.moved_blocks import FIELD as MOVED_BLOCK
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.op_phrases import extra_op_phrase, extra_ops_phrase
from resnet_verify.verify.patterns.position_words import setting_differs, short_bounds, shorten
from resnet_verify.verify.records import Mismatch, MismatchKind, Region
from resnet_verify.verify.regularizer_diff import calls_differ
from resnet_verify.verify.returned_taps import FIELD as RETURNED

_WHERE = {
    Region.MAIN: "main path",
    Region.SHORTCUT: "shortcut",
    Region.TAIL: "after the add",
    Region.BLOCK: "block",
    Region.STEM: "stem",
    Region.HEAD: "head",
    Region.MODEL: "model",
}


# Settings whose value alone reads as jargon: what the layer computes with it, in the user's words.
_SETTINGS: dict[tuple[str, object], str] = {
    ("unbiased", True): "the variance divided by n - 1 (x.var's unbiased default)",
    ("unbiased", None): "the variance divided by n",
    ("eps_at", "outside the root"): "eps added to the standard deviation",
    ("eps_at", "inside the root"): "eps added to the variance under the root",
    ("eps_at", None): "eps added to the variance under the root",
    (
        "statistics",
        "outside the model",
    ): "running statistics the model does not hold (no module of it registers them)",
    ("statistics", None): "their own running statistics",
    (
        "writes_running_stats",
        False,
    ): "running statistics a training forward leaves alone (the mode read otherwise)",
    ("writes_running_stats", None): "running statistics every training forward moves",
}


_PRECISIONS = {"autocast": "under autocast", "dtype": "(its input cast down)"}


def said_in_words(field: str | None, value: object) -> bool:
    return field in _PRECISIONS or (isinstance(value, str | bool | None) and (field, value) in _SETTINGS)


def setting(field: str, value: object, *, named: bool = True) -> str:
    """``field value`` (``value`` alone when ``named`` is False), or what the layer computes with it."""
    if field in _PRECISIONS:
        return f"{value} compute {_PRECISIONS[field]}" if value is not None else "full-precision compute"
    said = _SETTINGS.get((field, value)) if isinstance(value, str | bool | None) else None
    return said or (f"{field} {value}" if named else str(value))


def where(m: Mismatch) -> str:
    return _WHERE[m.region] if m.region is not None else "model"


def _layer(m: Mismatch, ctx: Context | None = None) -> str:
    """The op's kind in words; an op of no kind of its own by its function (``pixel_shuffle``)."""
    if m.op_kind is OpKind.OTHER and ctx is not None:
        side, at = (
            (ctx.candidate, m.candidate_op) if m.candidate_op is not None else (ctx.reference, m.reference_op)
        )
        if at is not None:
            op = side.ops[at]
            return str(dict(op.attrs).get("function", op.name)).strip("_")
    return m.op_kind.value.replace("_", " ") if m.op_kind else "layer"


def _scaled(value: object, trace: Trace | None = None, op: int | None = None) -> str:
    if value is None:
        return "not scaled"
    held = dict(trace.ops[op].attrs).get("constant") if trace is not None and op is not None else None
    if value == UNREAD:  # (tracing/constant_operands.py: a buffer built on meta)
        return (
            f"scaled by a constant 1-value buffer ({held})"
            if held
            else "scaled by a constant of unread value"
        )
    return f"scaled by {value}"


def _wiring(m: Mismatch, ctx: Context, place: str) -> str | None:
    """The differences in what runs where, not in a layer's settings: a module or block placed or
    picked otherwise, a result dropped, an input overwritten, a gradient rewritten."""
    if m.field == "weights" and m.candidate_op is not None:  # tracing/parallel_passes.py
        module = dict(ctx.candidate.ops[m.candidate_op].attrs).get("module")
        own = "its own weights" if m.actual == "its own" else "the same weights"
        other = "its own" if m.expected == "its own" else "the same weights"
        return f"the run beside {module} has {own} in the candidate, {other} in the reference ({place})"
    if m.field == SWAP_FIELD:
        return (f"the {_layer(m, ctx)} runs {m.actual} where the reference's runs {m.expected}, with the other "
                f"built but never run ({place})")  # fmt: skip
    if m.field == "custom_backward":
        side, name = ("candidate", m.actual) if m.actual is not None else ("reference", m.expected)
        return (f"the {side}'s {_layer(m, ctx)} runs in a custom autograd Function ({name}): its gradient is "
                f"that Function's own backward, not autograd's ({place})")  # fmt: skip
    if m.field == RETURNED:
        return f"a returned feature is {m.actual} where the reference returns {m.expected} ({place})"
    if m.field == DEAD_FIELD:
        side = "candidate" if m.actual is False else "reference"
        return f"the {side}'s {_layer(m, ctx)} computed but its result never used ({place})"
    if m.field == MOVED_BLOCK:
        return f"block {m.actual} in the candidate, {m.expected} in the reference"
    if m.field == "block" and m.kind is MismatchKind.MISSING:
        return f"a block ({m.expected}) missing in the candidate ({m.reference_path})"
    if m.field == "block" and m.kind is MismatchKind.EXTRA:
        return f"an extra block ({m.actual}) in the candidate ({m.candidate_path})"
    if m.field == INPLACE_SKIP:
        side, done = (
            ("candidate", m.actual) if str(m.actual).startswith("in-place") else ("reference", m.expected)
        )
        return f"the {side}'s {str(done).removesuffix(' before the skip')} first in the block overwrites its input: the skip adds its output, not x"
    return None


def what(m: Mismatch, ctx: Context, alike: Sequence[Mismatch] = ()) -> str:
    """``ReLU missing in the candidate (main path)``, ``conv stride (1, 1) where the reference has
    (2, 2) (main path)``: the difference, without the block it sits in. ``alike``: the same
    difference in other blocks (an extra op's constant may differ per block)."""
    place = where(m)
    if m.field == "op":
        if m.actual is None:  # the reference's op, in the words an extra one gets the other way round
            missing = extra_op_phrase(ctx.reference, m.reference_op, str(m.expected))
            return f"{missing} missing in the candidate ({place})"
        if m.expected is None:
            ops = [m.candidate_op, *(a.candidate_op for a in alike if a is not m)]
            extra = extra_ops_phrase(ctx.candidate, ops, f"an extra {m.actual}")
            return f"{extra} in the candidate ({place})"
        return f"{m.actual} where the reference has {m.expected} ({place})"
    if m.field == "op_order":
        return str(m.actual)
    if m.field == "calls":  # a training-mode branch computing otherwise (verify/regularizer_diff.py)
        what = calls_differ(str(m.expected).split("; "), str(m.actual).split("; "))
        return f"in training mode only, {m.candidate_path or 'the branch'} {what} ({place})"
    if m.field == "unit":  # a drop path drawn per batch on one side (verify/regularizer_diff.py)
        path = m.candidate_path or "the drop path"
        return f"in training mode only, {path} keeps or drops {m.actual} where the reference's drops {m.expected} ({place})"
    wiring = _wiring(m, ctx, place)
    if wiring is not None:
        return wiring
    if m.field == "shared_params" and m.actual == 0:  # the reference shares (verify/sharing.py)
        return (f"the reference runs {m.expected} parameter tensors a second time (weights shared with an earlier "
                f"layer) where the candidate's layers have their own")  # fmt: skip
    if m.field == "shared_params":
        return (f"{m.actual} parameter tensors run a second time (weights shared with an earlier layer) "
                f"where the reference's layers have their own")  # fmt: skip
    if m.field == "params" and 0 in (m.actual, m.expected):  # a learned value against a constant (GeM's p)
        side, values = ("reference", m.expected) if m.actual == 0 else ("candidate", m.actual)
        count = "a learned value" if values == 1 else f"{values} learned values"
        return f"{_layer(m, ctx)} reads {count} in the {side} only ({place})"
    if m.field == "params":
        return f"{_layer(m, ctx)} with {m.actual} parameters where the reference's has {m.expected} ({place})"
    if m.field == "gradient":
        side = "candidate" if m.expected == "flows" else "reference"
        cut = m.actual if side == "candidate" else m.expected
        return f"the gradient {cut} in the {side} ({place}): the same values, nothing before it learns through it"
    if m.field == "scaled_by":
        was, now = (
            _scaled(m.expected, ctx.reference, m.reference_op),
            _scaled(m.actual, ctx.candidate, m.candidate_op),
        )
        return f"the residual add is {now} where the reference's is {was} ({place})"
    if m.field == "backward":
        side, fails = ("candidate", m.actual) if m.expected == "runs" else ("reference", m.expected)
        return f"the {side}'s backward {fails}: an in-place write into a tensor kept for it ({place})"
    if m.field == "values" and m.candidate_op is not None:
        op = ctx.candidate.ops[m.candidate_op]
        return (f"the {op.name} computes with {', '.join(op.params)} = ({m.actual}) where the reference's "
                f"computes with ({m.expected}) ({place})")  # fmt: skip
    if m.field is not None and said_in_words(m.field, m.actual):
        return f"{_layer(m, ctx)} with {setting(m.field, m.actual)} where the reference's has " + (
            f"{setting(m.field, m.expected)} ({place})"
        )
    return f"{_layer(m, ctx)} {setting_differs(m.field, m.expected, m.actual)} ({place})"


def action(m: Mismatch) -> str:
    """What to change so the candidate matches: ``add the ReLU the reference has (layer1.0.relu)``."""
    ref = m.reference_path or "the reference's layer"
    if m.field == "op" and m.actual is None:
        return f"add the {m.expected} the reference has ({ref})"
    if m.field == "op" and m.expected is None:
        return f"remove the extra {m.actual}" + (f" ({m.candidate_path})" if m.candidate_path else "")
    if m.field == "op":
        return f"use a {m.expected} as the reference does ({ref})"
    if m.field == "op_order":
        return f"order the ops as the reference's {ref.rsplit('.', 1)[0]}"
    if m.field == "unit":
        mode = "'batch'" if "batch" in str(m.expected) else "'row' (timm's DropPath)"
        return f"draw the drop as the reference does ({m.expected}: StochasticDepth(p, mode={mode}))"
    if m.field == "weights":
        return "build the run beside it as the reference does (one module called again shares its weights)"
    if m.field == SWAP_FIELD:
        return "run the module the reference runs (the flag or branch that picks between them)"
    if m.field == "custom_backward":
        return "call the layer itself as the reference does (the Function changes only what training sees)"
    if m.field == RETURNED:
        return (
            "return the tensor the reference returns: keep a copy before an in-place op (preact = out.clone()) or "
            "take the feature where the reference takes it"
        )
    if m.field == DEAD_FIELD:
        return "use the op's result as the reference does (assign it: x = layer(x), and read x after it)"
    if m.field == MOVED_BLOCK:
        return "place the block where the reference's is (the index list or order that builds the stage)"
    if m.field == INPLACE_SKIP:
        return "make that op not in place (inplace=False), so the skip keeps the block's input"
    if m.field == "shared_params" and m.actual == 0:
        return "build one module and call it at each place, as the reference does, if its weights are meant to be shared"
    if m.field == "shared_params":
        return "build a new module for each use (not [block] * n, not one layer called twice)"
    if m.field == "params":
        return f"give it the reference's shape ({ref})"
    if m.field == "gradient":
        return "use the tensor itself (no .detach() / .data), as the other side does"
    if m.field == "backward":
        return (
            "write the sum into a new tensor (out = out + x, not x += out): autograd kept the one overwritten"
        )
    if m.field == "scaled_by":
        return f"scale the residual sum as the reference does ({_scaled(m.expected)})"
    if m.field == "values":
        return f"give the constant the reference's values ({m.expected})"
    if m.field == "bounds":
        return f"index as the reference does: bounds {short_bounds(m.expected)} ({ref})"
    return f"make {m.field} {m.expected} as in the reference ({ref})"


__all__ = ["action", "shorten", "what", "where"]
