"""Branches mixed by a softmax attention inside a block: selective kernel (SKNet), split attention
(ResNeSt), and any other "attention over branches", found from the ops and not from module names.

Where the reference has one conv, the block computes several (parallel convs of other dilations, or
one grouped conv split into radix parts), pools their sum, runs a small bottleneck (1x1 conv / Linear,
BN, ReLU, 1x1 conv) and takes a softmax across the branches to weight them before summing. Compared
op by op that is a split, a stack, a softmax, extra convs and a conv that seems to move: over a
hundred mismatches in eight blocks. Structure first: a softmax on a block's main path whose output
weights a multiply marks the unit (the modules around both); every difference inside that unit, and
the main-path layers the alignment displaced around it, is one finding per construction line.
"""

from __future__ import annotations

from resnet_verify.tracing.records import Block, OpKind, OpRecord, SourceLoc, Trace
from resnet_verify.verify.patterns.context import SPLITS, Context, attr, under
from resnet_verify.verify.records import Finding, MismatchKind, Pattern, Region

_SOFTMAX = frozenset({"softmax", "_softmax", "log_softmax"})


def _prefix(a: str, b: str) -> str:
    parts = []
    for x, y in zip(a.split("."), b.split(".")):
        if x != y:
            break
        parts.append(x)
    return ".".join(parts)


def _consumers(trace: Trace, op_id: int, within: set[int]) -> list[int]:
    return [o for o in within if op_id in trace.ops[o].inputs]


def unit_of(trace: Trace, block: Block) -> str | None:
    """The module path of the block's attention-over-branches unit, or None."""
    main = set(block.main)
    for o in block.main:
        op = trace.ops[o]
        if op.kind not in (OpKind.ACTIVATION, OpKind.OTHER) or attr(op, "function") not in _SOFTMAX:
            continue
        todo, seen = [o], {o}
        while todo:  # through layout ops to the multiply the weights feed
            cur = todo.pop()
            for c in _consumers(trace, cur, main):
                kind = trace.ops[c].kind
                if kind is OpKind.MUL or (kind is OpKind.OTHER and trace.ops[c].name in ("mul", "__mul__")):
                    unit = _prefix(op.module_path, trace.ops[c].module_path)
                    return unit if unit and unit.startswith(block.path) else block.path or None
                # (a split too: ResNeSt's official SplAtConv2d splits the attention into its radix parts)
                if c not in seen and kind in (OpKind.RESHAPE, OpKind.FLATTEN, OpKind.SLICE, OpKind.OTHER):
                    seen.add(c)
                    todo.append(c)
    return None


def _ints(value: object) -> tuple[int, ...]:
    return tuple(v for v in value if isinstance(v, int)) if isinstance(value, tuple) else ()


def _spell(c: OpRecord) -> str:
    d, g = _ints(attr(c, "dilation")), attr(c, "groups")
    return (
        "x".join(map(str, _ints(attr(c, "kernel_size"))))
        + (f" dilation {d[0]}" if d and d[0] > 1 else "")
        + (f" groups {g}" if isinstance(g, int) and g > 1 else "")
    )


def _widths(c: OpRecord) -> str:
    return f"{attr(c, 'in_channels') or attr(c, 'in_features')}→{attr(c, 'out_channels') or attr(c, 'out_features')}"


def _anatomy(trace: Trace, unit: str) -> tuple[str, str]:
    """(name, description) of the unit, from its convs and whether it cuts one conv's output."""
    ops = [op for op in trace.ops if op.module_path == unit or op.module_path.startswith(unit + ".")]
    convs = [op for op in ops if op.kind is OpKind.CONV]
    split = any(op.name in SPLITS for op in ops)
    spatial = [c for c in convs if any(k > 1 for k in _ints(attr(c, "kernel_size")))]
    attention = [c for c in convs if c not in spatial] + [op for op in ops if op.kind is OpKind.LINEAR]
    groups = attr(spatial[0], "groups") if len(spatial) == 1 else 1
    if len(spatial) == 1 and (split or (isinstance(groups, int) and groups > 1)):
        name = "split attention (ResNeSt)"  # one (grouped) conv's output cut into the branches
        what = f"one {_spell(spatial[0])} conv whose output is split into branches"
    elif len(spatial) >= 2:
        name = "selective kernel (SKNet)"
        what = f"{len(spatial)} parallel convs ({', '.join(_spell(c) for c in spatial)})"
    else:
        name = "attention over branches"
        what = f"{len(spatial)} conv(s) ({', '.join(_spell(c) for c in spatial)})"
    att = ", ".join(_widths(c) for c in attention)
    return (
        name,
        f"{what}, weighted per channel by a softmax attention across the branches (pooled, {att}) and summed",
    )


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _claims(ctx: Context, cands: set[int], units: list[str]) -> tuple[int, ...]:
    """The unit's differences and the main-path layers aligned around it, in those blocks."""
    return ctx.indices(
        lambda m: (
            m.block is not None
            and m.block.candidate in cands
            and m.kind is not MismatchKind.REGULARIZER
            and (m.region in (Region.MAIN, Region.BLOCK) or any(under(m.candidate_path, u) for u in units))
        )
    )


def detect_branch_attention(ctx: Context) -> list[Finding]:
    groups: dict[tuple[str, SourceLoc | None], list[tuple[str, str, int]]] = {}  # (name, line) -> blocks
    for _, rb, cb in ctx.paired_blocks():
        unit = unit_of(ctx.candidate, cb)
        if unit is None or unit_of(ctx.reference, rb) is not None:
            continue
        name, _ = _anatomy(ctx.candidate, unit)
        site = next((c.source for c in ctx.candidate.modules if c.path == unit), None)
        groups.setdefault((name, site), []).append((rb.path, unit, cb.index))
    findings = []
    for (name, site), blocks in groups.items():
        units = [u for _, u, _ in blocks]
        claimed = _claims(ctx, {b for _, _, b in blocks}, units)
        _, description = _anatomy(ctx.candidate, units[0])
        n = len(blocks)
        findings.append(
            Finding(
                pattern=Pattern.BRANCH_ATTENTION,
                title=f"{name[0].upper() + name[1:]} in {n} block{'s' if n > 1 else ''}",
                message=(
                    f"In {n} block{'s' if n > 1 else ''} ({', '.join(r for r, _, _ in blocks[:4])}"
                    f"{' ...' if n > 4 else ''}) the candidate's main path has {_article(name)} {name} unit "
                    f"({units[0]}{f', built at {site}' if site else ''}): {description}. The reference has "
                    "plain convs there; the unit's ops and the main-path layers aligned around it are this "
                    "one difference."
                ),
                locations=tuple(r for r, _, _ in blocks),
                mismatches=claimed,
                suggestion=f"{site or units[0]}: this is a different block design ({name}); compare with a "
                "reference of that family, or replace the unit with the reference's conv",
                source=site,
            )
        )
    return findings


__all__ = ["detect_branch_attention", "unit_of"]
