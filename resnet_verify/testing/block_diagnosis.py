"""The one-line cause of a failing block config, at the user's line.

Where the block runs, the compare engine's findings and mismatches say what differs, and the
cause is theirs. Where it does not (the add of two paths of different sizes raises, or broadcasts
a 1x1 map over the shortcut so no residual block is found), the engine has only the crash: so the
convolutions that ran are held against the config they were built for. Each main-path conv is
found by its depth along the dataflow from the block input, the rest are the shortcut's, and the
first hyper-parameter that differs from the reference's conv at the same depth is the cause, with
the crash as its consequence ("conv_b keeps padding=1 at kernel 5 ..., so the add fails").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from resnet_verify.models.configs import BlockConfig
from resnet_verify.models.configurable import ConvSpec
from resnet_verify.testing.block_draws import BlockCase
from resnet_verify.testing.block_signature import Role
from resnet_verify.tracing.records import INPUT_ID, ModuleCall, OpKind, SourceLoc, Trace, format_shape
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind

# Findings about a whole network: at block level their mismatches say more than their title.
_NETWORK_PATTERNS = frozenset(
    {
        "not_a_residual_network",
        "cifar_resnet_family",
        "first_stage_downsampling",
        "block_counts",
        "widths",
        "stage_end_downsampling",
        "dilated_output_stride",
        "hard_coded_class_count",
        "fixed_size_head",
        "repeated_in_blocks",
    }
)
_CONV_FIELDS = ("out_channels", "kernel_size", "padding", "stride", "groups", "dilation")


@dataclass(frozen=True, slots=True)
class Cause:
    text: str
    source: SourceLoc | None = None
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Conv:
    call: ModuleCall

    @property
    def path(self) -> str:
        return self.call.path

    def get(self, name: str) -> Any:
        value = dict(self.call.hparams).get(name)
        return value[0] if isinstance(value, tuple) and len(set(value)) == 1 else value


def _conv_ancestor(trace: Trace, op_id: int, depth: dict[int, int]) -> int | None:
    """The nearest conv op upstream of ``op_id`` along first inputs (None: the block input)."""
    op = trace.ops[op_id]
    seen = op.inputs[0] if op.inputs else INPUT_ID
    while seen >= 0:
        if seen in depth:
            return seen
        prev = trace.ops[seen]
        seen = prev.inputs[0] if prev.inputs else INPUT_ID
    return None


def _split_convs(trace: Trace) -> tuple[list[_Conv], list[_Conv]]:
    """(main-path convs in order, other convs): the main path is the deepest chain of convs."""
    # A module's first call; only conv modules: a functional conv inside another module has no
    # hyper-parameters of its own to hold against the reference.
    calls = {c.path: c for c in reversed(trace.modules) if "out_channels" in dict(c.hparams)}
    depth: dict[int, int] = {}
    parent: dict[int, int | None] = {}
    for op in trace.ops:
        if op.kind is OpKind.CONV:
            up = parent[op.id] = _conv_ancestor(trace, op.id, depth)
            depth[op.id] = 1 if up is None else depth[up] + 1
    chain: list[int] = []
    node = max(depth, key=lambda i: (depth[i], -i), default=None)
    while node is not None:
        chain.insert(0, node)
        node = parent[node]
    main = [_Conv(calls[trace.ops[i].module_path]) for i in chain if trace.ops[i].module_path in calls]
    others = [
        _Conv(calls[trace.ops[i].module_path])
        for i in depth
        if i not in chain and trace.ops[i].module_path in calls
    ]
    crash = trace.crash
    failed = calls.get(crash.module_path) if crash is not None else None
    if failed is not None and all(c.path != failed.path for c in main):
        feeds = main[-1].get("out_channels") if main else trace.input_shape[1]
        (main if _Conv(failed).get("in_channels") == feeds else others).append(_Conv(failed))
    return main, others


def _conv_phrase(conv: _Conv, spec: ConvSpec, case: BlockCase) -> str | None:
    expected = {
        "out_channels": spec.out_channels,
        "kernel_size": spec.kernel_size,
        "padding": spec.pad,
        "stride": spec.stride,
        "groups": spec.groups,
        "dilation": 1,
    }
    for name in _CONV_FIELDS:
        got, want = conv.get(name), expected[name]
        if got == want:
            continue
        if name == "out_channels":
            hint = ""
            e = case.signature.expansion
            if Role.PLANES in case.signature.roles and e > 1 and isinstance(got, int) and got * e == want:
                hint = f" (planes x expansion {e}: the expansion is missing)"
            return f"{conv.path} gives {got} channels where the reference's gives {want}{hint}"
        if name == "padding" and conv.get("kernel_size") == spec.kernel_size:
            return f"{conv.path} keeps padding={got} at kernel {spec.kernel_size} where the reference pads {want}"
        return f"{conv.path} has {name}={got} where the reference has {want}"
    return None


def _shortcut_phrases(cfg: BlockConfig, others: Sequence[_Conv]) -> list[tuple[str, SourceLoc | None]]:
    if cfg.has_projection and not others:
        what = []
        if cfg.in_channels != cfg.out_channels:
            what.append(f"channels {cfg.in_channels} -> {cfg.out_channels}")
        if cfg.stride != 1:
            what.append(f"stride {cfg.stride}")
        change = " and ".join(what) or "a projection shortcut"
        return [(f"the shortcut is the identity where the reference projects it ({change})", None)]
    if not cfg.has_projection and others:
        conv = others[0]
        return [
            (f"{conv.path} projects the shortcut where the reference keeps the identity", conv.call.source)
        ]
    phrases = []
    for conv in others[:1]:
        if conv.get("stride") != cfg.stride or conv.get("out_channels") != cfg.out_channels:
            phrases.append(
                (
                    f"the shortcut's {conv.path} has stride={conv.get('stride')} and "
                    f"{conv.get('out_channels')} channels where the reference's has stride={cfg.stride} "
                    f"and {cfg.out_channels}",
                    conv.call.source,
                )
            )
    return phrases


def conv_phrases(case: BlockCase, trace: Trace) -> list[tuple[str, SourceLoc | None]]:
    """Every construction difference of the convs that ran, main path first, with its line."""
    cfg = case.config()
    main, others = _split_convs(trace)
    phrases = []
    for conv, spec in zip(main, cfg.conv_specs()):
        text = _conv_phrase(conv, spec, case)
        if text is not None:
            phrases.append((text, conv.call.source))
    return phrases + _shortcut_phrases(cfg, others)


def _consequence(trace: Trace, reference: Trace) -> tuple[str, SourceLoc | None]:
    crash = trace.crash
    if crash is None:
        for op in trace.ops:
            if op.kind is OpKind.ADD and len(op.in_shapes) == 2 and op.in_shapes[0] != op.in_shapes[1]:
                a, b = (format_shape(s) for s in op.in_shapes)
                return f"so the add broadcasts {a} against {b} ({op.source})", op.source
        got, want = format_shape(trace.output_shape), format_shape(reference.output_shape)
        return f"so the block outputs {got} where the reference outputs {want}", None
    where = f" ({crash.source})" if crash.source is not None else ""
    if crash.op_name in ("add", "__add__", "__iadd__", "add_", "__radd__") and len(crash.in_shapes) == 2:
        a, b = (format_shape(s) for s in crash.in_shapes)
        return f"so the add of {a} and {b} fails{where}", crash.source
    return (
        f"so {crash.module_path or 'the forward'} raises {crash.error_type}: {crash.message}{where}",
        crash.source,
    )


def _with_line(text: str, source: SourceLoc | None) -> str:
    return f"{text} ({source})" if source is not None else text


def crash_cause(case: BlockCase, trace: Trace, reference: Trace) -> Cause:
    """Why a forward failed (or lost its residual structure): the first conv difference and what
    it led to; the bare error when no conv differs."""
    phrases = conv_phrases(case, trace)
    consequence, crash_line = _consequence(trace, reference)
    if not phrases:
        crash = trace.crash
        if crash is None:
            return Cause(f"the block outputs {format_shape(trace.output_shape)}", None)
        return Cause(
            _with_line(f"forward raises {crash.error_type}: {crash.message}", crash.source), crash.source
        )
    first, line = phrases[0]
    details = tuple(_with_line(t, s) for t, s in phrases)
    return Cause(f"{_with_line(first, line)}, {consequence}", line or crash_line, details)


def _clean(message: str) -> str:
    """Engine messages speak of ``block 0``: at block level that prefix says nothing."""
    for prefix in ("block 0: ", "block 0 "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


# Mismatch kinds whose message names the layer by its kind ("5x5 conv"), not by the user's path.
_UNNAMED = frozenset({MismatchKind.ATTRIBUTE, MismatchKind.PARAMS, MismatchKind.SHAPE})


def _mismatch_text(m: Mismatch) -> str:
    where = f" [{m.candidate_path}]" if m.candidate_path and m.kind in _UNNAMED else ""
    return _with_line(_clean(m.message) + where, m.source)


def _repair_cause(comparison: Comparison) -> Cause | None:
    finding = next((f for f in comparison.findings if f.pattern.value == "bool_argument"), None)
    if finding is None:
        return None
    text = f"{finding.title}: the block crashes under torch 2.x"
    if finding.suggestion:
        text += f"; {finding.suggestion}"
    return Cause(text, finding.source)


def engine_cause(case: BlockCase, comparison: Comparison) -> Cause:
    """The cause of a config whose comparison is not clean."""
    cand = comparison.candidate
    repaired = _repair_cause(comparison)
    if cand.crash is not None or any(f.verdict for f in comparison.findings):
        found = crash_cause(case, cand, comparison.reference)
        if repaired is None:
            return found
        still = f"; read that way, it still fails: {found.text}" if cand.crash is not None else ""
        return Cause(repaired.text + still, repaired.source, found.details)
    if repaired is not None:
        return repaired
    roots = [m for m in comparison.mismatches if m.cause is None] or list(comparison.mismatches)
    details = tuple(_mismatch_text(m) for m in roots[:6])
    for f in comparison.findings:
        if f.pattern.value not in _NETWORK_PATTERNS:
            text = f"{f.title}: {f.suggestion}" if f.suggestion else _with_line(f.title, f.source)
            if f.pattern.value == "resnet_v1_stride":  # may be the variant the user meant
                other = "3x3" if case.signature.stride_in == "1x1" else "1x1"
                text += f" (if that placement is meant, check with --stride-in {other})"
            return Cause(text, f.source, details)
    if not roots:
        return Cause("the comparison differs", None)
    return Cause(details[0], roots[0].source, details)


__all__ = ["Cause", "conv_phrases", "crash_cause", "engine_cause"]
