"""What every detector reads: both traces, the block alignment and the typed mismatches."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from resnet_verify.tracing.records import Block, OpKind, OpRecord, SourceLoc, Trace
from resnet_verify.verify.records import BlockPair, Finding, Mismatch, MismatchKind

# what a layer built another way leaves: the layers one side lacks, and every way a paired layer differs
LAYER_KINDS = (
    MismatchKind.EXTRA,
    MismatchKind.MISSING,
    MismatchKind.SHAPE,
    MismatchKind.PARAMS,
    MismatchKind.ATTRIBUTE,
    MismatchKind.OP,
)


@dataclass(frozen=True, slots=True)
class Context:
    reference: Trace
    candidate: Trace
    pairs: tuple[BlockPair, ...]
    mismatches: tuple[Mismatch, ...]
    # Indices earlier detectors claimed (set by the registry before each call): a detector that
    # groups what is left reads it; the others may ignore it (the registry drops re-claims anyway).
    claimed: frozenset[int] = frozenset()

    def indices(self, pred: Callable[[Mismatch], bool]) -> tuple[int, ...]:
        return tuple(i for i, m in enumerate(self.mismatches) if pred(m))

    def paired_blocks(self) -> Iterator[tuple[BlockPair, Block, Block]]:
        rb, cb = self.reference.structure.blocks, self.candidate.structure.blocks
        for p in self.pairs:
            if p.reference is not None and p.candidate is not None:
                yield p, rb[p.reference], cb[p.candidate]

    def site(self, path: str | None) -> SourceLoc | None:
        """The line of the candidate's file that constructed the module at ``path``."""
        return next((c.source for c in self.candidate.modules if c.path == path and c.source), None)


Detector = Callable[[Context], Sequence[Finding]]


def module_type(trace: Trace, path: str | None) -> str | None:
    """The class name of the module at ``path`` (``FrozenBatchNorm2d``), if it is one."""
    return next((c.type_name for c in trace.modules if c.path == path), None) if path else None


def fixed_weights(trace: Trace, op: OpRecord) -> bool:
    """Every tensor the op reads besides its input is a buffer: a fixed filter (a blur kernel, a
    frozen norm), nothing in it trains."""
    buffers = {p.name for p in trace.params if p.is_buffer}
    return bool(op.params) and all(p in buffers for p in op.params)


def at(path: str | None, site: SourceLoc | None) -> str:
    """``stage4.0.conv (models.py:41)``, or just the path when the line is unknown."""
    if site is None:
        return path or "the model"
    return f"{path} ({site})" if path else str(site)


def convs(trace: Trace, ops: Sequence[int]) -> list[OpRecord]:
    return [trace.ops[o] for o in ops if trace.ops[o].kind is OpKind.CONV]


def attr(op: OpRecord, key: str) -> object:
    return dict(op.attrs).get(key)


def stride_of(op: OpRecord) -> tuple[int, ...]:
    """The op's stride per spatial axis; ``()`` for an op that takes none."""
    stride = attr(op, "stride")
    if isinstance(stride, int):
        return (stride,)
    return tuple(stride) if isinstance(stride, tuple) and all(isinstance(s, int) for s in stride) else ()


def strided(op: OpRecord) -> bool:
    return max(stride_of(op), default=1) > 1


def first_op(trace: Trace, ops: Sequence[int], kind: OpKind) -> OpRecord | None:
    return next((trace.ops[o] for o in ops if trace.ops[o].kind is kind), None)


def consumers(trace: Trace, op_id: int, *, through_layout: bool = False) -> list[OpRecord]:
    """Ops that read the output of ``op_id`` (the dataflow graph's successors); ``through_layout``:
    past permutes and views (a conv on a channels-last map feeds its BN through one)."""
    direct = [op for op in trace.ops if op_id in op.inputs]
    if not through_layout:
        return direct
    out: list[OpRecord] = []
    for op in direct:
        out.extend(consumers(trace, op.id, through_layout=True) if op.kind is OpKind.RESHAPE else [op])
    return out


def square(value: object) -> object:
    """``(3, 3)`` -> ``3``; anything else unchanged (for spelling a layer as the user would)."""
    if isinstance(value, tuple) and value and len(set(value)) == 1:
        return value[0]
    return value


def dims(op: OpRecord, key: str) -> str:
    """``kernel_size=(3, 3)`` -> ``3x3``, as the message spells it; empty when the op has no ``key``."""
    value = attr(op, key)
    if isinstance(value, tuple | list):
        return "x".join(str(v) for v in value)
    return "" if value is None else str(value)


# ops that cut a tensor into pieces along channels (Res2Net groups, radix branches)
SPLITS = frozenset({"split", "chunk", "unbind", "tensor_split", "split_with_sizes"})


def under(path: str | None, prefix: str) -> bool:
    return bool(path) and bool(prefix) and (path == prefix or str(path).startswith(prefix + "."))


def conv_call(op: OpRecord, *, bias: bool = False) -> str:
    """The ``nn.Conv2d(...)`` that reproduces a traced convolution."""
    a = dict(op.attrs)
    parts = [str(a.get("in_channels")), str(a.get("out_channels")), str(square(a.get("kernel_size")))]
    for key, default in (("stride", 1), ("padding", 0), ("dilation", 1), ("groups", 1)):
        value = square(a.get(key, default))
        if value != default:
            parts.append(f"{key}={value}")
    parts.append(f"bias={bias}")
    kernel = a.get("kernel_size")
    dims = len(kernel) if isinstance(kernel, tuple) and 1 <= len(kernel) <= 3 else 2
    return f"Conv{dims}d({', '.join(parts)})"


def pool_call(op: OpRecord) -> str:
    a = dict(op.attrs)
    kernel = a.get("kernel_size")
    n = len(kernel) if isinstance(kernel, tuple) and 1 <= len(kernel) <= 3 else 2
    name = f"{'MaxPool' if op.kind is OpKind.MAX_POOL else 'AvgPool'}{n}d"
    args = [str(square(a.get("kernel_size")))]
    for key in ("stride", "padding"):
        if key in a:
            args.append(f"{key}={square(a[key])}")
    return f"{name}({', '.join(args)})"
