"""Name known porting patterns on top of the raw mismatches, in sentences a user understands."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import Block, BlockKind, OpKind, OpRecord, SourceLoc, Trace
from resnet_verify.verify.records import BlockPair, Finding, Mismatch, MismatchKind, Pattern


def _site(trace: Trace, path: str | None) -> SourceLoc | None:
    return next((c.source for c in trace.modules if c.path == path and c.source), None)


def _at(path: str | None, site: SourceLoc | None) -> str:
    """``stage4.0.conv (models.py:41)``, or just the path when the line is unknown."""
    if site is None:
        return path or "the model"
    return f"{path} ({site})" if path else str(site)


def _convs(trace: Trace, ops: Sequence[int]) -> list[OpRecord]:
    return [trace.ops[o] for o in ops if trace.ops[o].kind is OpKind.CONV]


def _attr(op: OpRecord, key: str) -> object:
    return dict(op.attrs).get(key)


def _under(path: str | None, prefix: str) -> bool:
    return bool(path) and bool(prefix) and (path == prefix or path.startswith(prefix + "."))


def _indices(mismatches: Sequence[Mismatch], pred) -> tuple[int, ...]:  # noqa: ANN001
    return tuple(i for i, m in enumerate(mismatches) if pred(m))


def _v1_stride(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], mismatches: Sequence[Mismatch]
) -> list[Finding]:
    hits: list[tuple[Block, OpRecord, OpRecord]] = []
    for p in pairs:
        if p.reference is None or p.candidate is None:
            continue
        a, b = ref.structure.blocks[p.reference], cand.structure.blocks[p.candidate]
        rc, cc = _convs(ref, a.main), _convs(cand, b.main)
        if len(rc) < 2 or len(cc) < 2:
            continue
        if (
            _attr(rc[0], "stride") == (1, 1)
            and _attr(rc[1], "stride") == (2, 2)
            and _attr(cc[0], "stride") == (2, 2)
            and _attr(cc[1], "stride") == (1, 1)
            and _attr(cc[0], "kernel_size") == (1, 1)
        ):
            hits.append((a, cc[0], cc[1]))
    if not hits:
        return []
    where = ", ".join(a.path for a, _, _ in hits)
    idx = _indices(
        mismatches,
        lambda m: (
            any(_under(m.reference_path, a.path) for a, _, _ in hits)
            and (m.field == "stride" or m.kind is MismatchKind.SHAPE)
        ),
    )
    first = hits[0]
    site1, site2 = _site(cand, first[1].module_path), _site(cand, first[2].module_path)
    return [
        Finding(
            Pattern.V1_STRIDE,
            "ResNet v1 stride placement",
            f"At {where} the stride-2 sits on the first 1x1 conv instead of the 3x3 conv: this is "
            f"ResNet v1 (paper / Keras / Caffe), torchvision implements v1.5. Output shapes and "
            f"parameter counts are identical; outputs are not (the strided 1x1 discards 3/4 of the "
            f"activations before any 3x3 sees them; v1.5 is about 0.5% more accurate top-1).",
            tuple(a.path for a, _, _ in hits),
            idx,
            f"{_at(first[1].module_path, site1)}: move stride=2 from this 1x1 conv to the 3x3 conv "
            f"{'at ' + str(site2) if site2 else first[2].module_path} (torchvision v1.5), in each "
            f"stage's first block",
            site1,
        )
    ]


def _cifar_stem(ref: Trace, cand: Trace, mismatches: Sequence[Mismatch]) -> list[Finding]:
    rc, cc = _convs(ref, ref.structure.stem), _convs(cand, cand.structure.stem)
    if not rc or not cc or not cand.structure.blocks:
        return []
    if (
        _attr(rc[0], "kernel_size") == (7, 7)
        and _attr(cc[0], "kernel_size") == (3, 3)
        and _attr(cc[0], "stride") == (1, 1)
    ):
        stem_paths = {ref.ops[o].module_path for o in ref.structure.stem}
        has_pool = any(cand.ops[o].kind is OpKind.MAX_POOL for o in cand.structure.stem)
        idx = _indices(mismatches, lambda m: m.reference_path in stem_paths)
        return [
            Finding(
                Pattern.CIFAR_STEM,
                "CIFAR stem",
                "The stem is the CIFAR variant (3x3 conv, stride 1"
                + ("" if has_pool else ", no max pool")
                + ") instead of ImageNet's 7x7/2 conv + 3x3/2 max pool: every later "
                "feature map is 4x larger in each spatial dimension.",
                ("conv1",),
                idx,
                f"{_at(cc[0].module_path, _site(cand, cc[0].module_path))}: use Conv2d(3, 64, 7, "
                f"stride=2, padding=3, bias=False) followed by MaxPool2d(3, 2, 1)",
                _site(cand, cc[0].module_path),
            )
        ]
    return []


def _keras_bn(mismatches: Sequence[Mismatch], cand: Trace) -> list[Finding]:
    idx = _indices(mismatches, lambda m: m.kind is MismatchKind.ATTRIBUTE and m.field in ("eps", "momentum"))
    keras = [
        i
        for i in idx
        if (mismatches[i].field == "eps" and mismatches[i].actual == 1e-3)
        or (mismatches[i].field == "momentum" and mismatches[i].actual == 0.99)
    ]
    if not keras:
        return []
    fields = sorted({mismatches[i].field for i in keras})
    first = mismatches[keras[0]]
    values = {m.field: m.actual for m in (mismatches[i] for i in keras)}
    call = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
    return [
        Finding(
            Pattern.KERAS_BATCHNORM,
            "Keras BatchNorm defaults",
            f"{len(idx)} BatchNorm layers use Keras defaults ({', '.join(fields)}): Keras eps is 1e-3 "
            f"(PyTorch 1e-5), and Keras momentum 0.99 means PyTorch momentum 0.01 (PyTorch's momentum "
            f"weighs the new batch, Keras' the running average).",
            tuple(sorted({mismatches[i].reference_path or "" for i in idx}))[:8],
            idx,
            f"{_at(first.candidate_path, first.source)}: BatchNorm2d({call}) - the PyTorch "
            f"equivalent of Keras' momentum 0.99 is momentum=0.01; torchvision uses eps=1e-5, "
            f"momentum=0.1",
            first.source,
        )
    ]


def valid_input_sizes(trace: Trace, sizes: Sequence[int] = tuple(range(32, 1025))) -> list[int]:
    """Square input sizes for which the traced trunk would reach its Linear with the right width."""
    s = trace.structure
    chain = list(s.stem)
    for b in s.blocks:
        chain += list(b.main) + list(b.tail)
    chain += list(s.head)
    linear = next((trace.ops[o] for o in s.head if trace.ops[o].kind is OpKind.LINEAR), None)
    before = [
        trace.ops[o]
        for o in s.head
        if linear and o < linear.id and trace.ops[o].out_shape and len(trace.ops[o].out_shape) == 4
    ]
    if linear is None:
        return list(sizes)
    channels = before[-1].out_shape[1] if before else (s.blocks[-1].out_shape[1] if s.blocks else 0)
    steps = [
        (trace.ops[o].kind, dict(trace.ops[o].attrs))
        for o in chain
        if trace.ops[o].kind
        in (OpKind.GLOBAL_POOL, OpKind.ADAPTIVE_POOL, OpKind.CONV, OpKind.MAX_POOL, OpKind.AVG_POOL)
    ]
    ok = []
    for size in sizes:
        h = size
        for kind, attrs in steps:
            if kind is OpKind.GLOBAL_POOL:
                h = 1
            elif kind is OpKind.ADAPTIVE_POOL:
                h = int(attrs["output_size"][0])
            else:
                h = _out_size(h, attrs)
            if h < 1:
                break
        if h >= 1 and channels * h * h == _attr(linear, "in_features"):
            ok.append(size)
    return ok


def _out_size(h: int, a: dict) -> int:
    k = a.get("kernel_size", (1,))[0]
    st = a.get("stride", (1,))[0]
    pad = a.get("padding", (0,))
    pad = 0 if isinstance(pad, str) else pad[0]
    dil = a.get("dilation", (1,))[0]
    span = h + 2 * pad - dil * (k - 1) - 1
    if span < 0:
        return 0
    return (-(-span // st) if a.get("ceil_mode") else span // st) + 1


def _ranges(values: Sequence[int]) -> str:
    if not values:
        return "no size from 32 to 1024"
    parts, start, prev = [], values[0], values[0]
    for v in [*values[1:], None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if v is not None:
            start = prev = v
    return ", ".join(parts[:6]) + (" ..." if len(parts) > 6 else "")


def _square(op: OpRecord, key: str) -> object:
    value = _attr(op, key)
    if isinstance(value, tuple) and len(set(value)) == 1:
        return value[0]
    return value


def _fixed_head(ref: Trace, cand: Trace, mismatches: Sequence[Mismatch]) -> list[Finding]:
    head = [cand.ops[o] for o in cand.structure.head]
    fixed_pool = [op for op in head if op.kind in (OpKind.AVG_POOL, OpKind.MAX_POOL)]
    linear = next((op for op in head if op.kind is OpKind.LINEAR), None)
    ref_linear = next((ref.ops[o] for o in ref.structure.head if ref.ops[o].kind is OpKind.LINEAR), None)
    wrong_linear = (
        linear is not None
        and ref_linear is not None
        and _attr(linear, "in_features") != _attr(ref_linear, "in_features")
    )
    if not fixed_pool and not wrong_linear:
        return []
    head_paths = {ref.ops[o].module_path for o in ref.structure.head} - {""}
    idx = _indices(mismatches, lambda m: m.reference_path in head_paths)
    sizes = valid_input_sizes(cand) if cand.crash is None else []
    what = " + ".join(
        f"{'AvgPool2d' if op.kind is OpKind.AVG_POOL else 'MaxPool2d'}({_square(op, 'kernel_size')}"
        f", stride={_square(op, 'stride')}, padding={_square(op, 'padding')})"
        for op in fixed_pool
    )
    if linear is not None:
        what = (
            what + " + " if what else ""
        ) + f"Linear({_attr(linear, 'in_features')}, {_attr(linear, 'out_features')})"
    culprit = fixed_pool[0] if fixed_pool else linear
    site = _site(cand, culprit.module_path) if culprit is not None else None
    n = _attr(linear, "out_features") if linear is not None else "n"
    return [
        Finding(
            Pattern.FIXED_HEAD,
            "Fixed-size head",
            f"The head ({what}) is sized for one input resolution instead of pooling globally: it "
            f"only fits square inputs of {_ranges(sizes)} px.",
            tuple(sorted(head_paths)),
            idx,
            f"{_at(culprit.module_path if culprit else None, site)}: {what} only fits "
            f"{_ranges(sizes)} px input; use AdaptiveAvgPool2d(1) + Linear(2048, {n})",
            site,
        )
    ]


def _per_mismatch(
    mismatches: Sequence[Mismatch], ref: Trace, cand: Trace, pairs: Sequence[BlockPair]
) -> list[Finding]:
    out: list[Finding] = []
    bias = _indices(
        mismatches,
        lambda m: m.field == "bias" and m.actual is True and m.expected is False and "conv" in m.message,
    )
    if bias:
        paths = {mismatches[i].reference_path for i in bias}
        idx = tuple(
            sorted(
                set(bias)
                | set(
                    _indices(
                        mismatches, lambda m: m.kind is MismatchKind.PARAMS and m.reference_path in paths
                    )
                )
            )
        )
        out.append(
            Finding(
                Pattern.BIAS_BEFORE_BN,
                "Conv bias before BatchNorm",
                f"{len(bias)} convolutions followed by BatchNorm have bias=True: the BN "
                f"mean subtraction cancels the bias, so it is dead weight (and the "
                f"state_dict no longer matches torchvision's).",
                tuple(sorted(p or "" for p in paths))[:8],
                idx,
                f"{_at(mismatches[bias[0]].candidate_path, mismatches[bias[0]].source)}"
                f": pass bias=False to every Conv2d that feeds a BatchNorm2d",
                mismatches[bias[0]].source,
            )
        )
    proj = _indices(
        mismatches, lambda m: m.expected == "BatchNorm" and m.actual is None and "shortcut" in m.message
    )
    if proj:
        out.append(
            Finding(
                Pattern.PROJECTION_WITHOUT_BN,
                "Projection shortcut without BatchNorm",
                "The 1x1 projection shortcut has no BatchNorm after its conv; "
                "torchvision's downsample is conv1x1 + BatchNorm2d.",
                tuple(sorted({mismatches[i].reference_path or "" for i in proj})),
                proj,
                f"{_at(None, mismatches[proj[0]].source)}: use nn.Sequential("
                f"Conv2d(in, out, 1, stride, bias=False), BatchNorm2d(out)) as the "
                f"projection",
                mismatches[proj[0]].source,
            )
        )
    grouped = _indices(mismatches, lambda m: m.field == "groups")
    grouped = tuple(i for i in grouped if "1x1 conv" in mismatches[i].message)
    if grouped:
        out.append(
            Finding(
                Pattern.GROUPED_1X1,
                "Grouped 1x1 convolution",
                "A 1x1 conv uses groups > 1: channels no longer mix across groups and "
                "the parameter count drops.",
                tuple(sorted({mismatches[i].reference_path or "" for i in grouped})),
                grouped,
                "remove groups= from the 1x1 conv (groups belong on the 3x3 in ResNeXt)",
            )
        )
    pre = []
    for p in pairs:
        if p.reference is None or p.candidate is None:
            continue
        a, b = ref.structure.blocks[p.reference], cand.structure.blocks[p.candidate]
        first = [cand.ops[o].kind for o in b.main if cand.ops[o].kind is not OpKind.RESHAPE][:1]
        if b.kind is BlockKind.RESIDUAL and first and first[0] in (OpKind.BATCH_NORM, OpKind.RELU):
            pre.append(a.path)
    if pre:
        idx = _indices(mismatches, lambda m: any(_under(m.reference_path, p) for p in pre))
        out.append(
            Finding(
                Pattern.PRE_ACTIVATION,
                "Pre-activation blocks",
                f"{len(pre)} blocks are pre-activation (BN-ReLU-conv, ResNet v2) while "
                "torchvision's are post-activation (conv-BN-ReLU, add, ReLU).",
                tuple(pre[:8]),
                idx,
                "order each block conv-BN-ReLU and apply the final ReLU after the addition",
            )
        )
    blocks = _indices(mismatches, lambda m: m.field == "block")
    if blocks:
        rc = [len(s.blocks) for s in ref.structure.stages]
        cc = [
            sum(1 for p in pairs if p.stage == s.index and p.candidate is not None)
            for s in ref.structure.stages
        ]
        out.append(
            Finding(
                Pattern.BLOCK_COUNTS,
                "Block counts differ",
                f"Blocks per stage are {cc} in the candidate, {rc} in the reference.",
                tuple(mismatches[i].reference_path or "" for i in blocks),
                blocks,
                f"use {rc} blocks per stage",
            )
        )
    return out


def explain(
    ref: Trace, cand: Trace, pairs: Sequence[BlockPair], mismatches: Sequence[Mismatch]
) -> list[Finding]:
    findings = _v1_stride(ref, cand, pairs, mismatches)
    findings += _cifar_stem(ref, cand, mismatches)
    findings += _keras_bn(mismatches, cand)
    findings += _fixed_head(ref, cand, mismatches)
    findings += _per_mismatch(mismatches, ref, cand, pairs)
    if any(f.pattern is Pattern.PRE_ACTIVATION for f in findings):
        # Pre-activation projections carry no BN by design; the pre-activation finding says it all.
        findings = [f for f in findings if f.pattern is not Pattern.PROJECTION_WITHOUT_BN]
    return findings
