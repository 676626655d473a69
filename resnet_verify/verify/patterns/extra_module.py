"""A module the blocks carry that the other side's blocks have none of: described, not named.

Global-context blocks, CBAM, selective-kernel attention, blur pools, gates written a hundred ways:
each adds a sub-module to every block whose ops (1x1 convs, a softmax, a matmul, an add ...) all come
out of the diff as *extra*, one finding per line of its ``forward`` or ``__init__``. Grouped by the
block's child module that holds them (every significant op under it extra), they are one difference:
"an extra ContextBlock (`context`: 1x1 conv, softmax, matmul, ...) in 8 blocks, built at line 58".
Named variants (squeeze-excitation) claim theirs first; the registry's swap covers the mirror (the
reference's blocks hold the module).
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.tracing.records import LAYOUT_KINDS, OpKind, SourceLoc
from resnet_verify.verify.diff import label
from resnet_verify.verify.patterns.context import Context
from resnet_verify.verify.patterns.width_follows import width_projections
from resnet_verify.verify.records import Finding, Pattern

_Key = tuple[str, str, SourceLoc | None]  # child path inside the block, module type, construction line


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def _child(block: str, path: str) -> str | None:
    """``block.x`` for an op in ``block.x.y``; None for an op of the block itself."""
    if not block or not path.startswith(block + "."):
        return None
    return f"{block}.{path[len(block) + 1 :].split('.', 1)[0]}"


def _extra_ops(ctx: Context) -> dict[int, int]:
    """Candidate op id -> index of the unclaimed mismatch that calls it extra (not a projection the
    widths make necessary: widths.py claims those)."""
    widths = set(width_projections(ctx))
    return {
        m.candidate_op: i
        for i, m in enumerate(ctx.mismatches)
        if i not in ctx.claimed
        and i not in widths
        and m.expected is None
        and m.reference_op is None  # (a setting the reference's paired op lacks is no extra op)
        and m.candidate_op is not None
        and m.block is not None
    }


def _groups(ctx: Context) -> dict[_Key, list[tuple[str, list[int]]]]:
    cand, extra = ctx.candidate, _extra_ops(ctx)
    blocks = cand.structure.blocks
    per_child: dict[tuple[str, str], list[int]] = {}
    for op_id, i in extra.items():
        pair = ctx.mismatches[i].block
        if pair is None or pair.candidate is None:
            continue
        bpath = blocks[pair.candidate].path
        child = _child(bpath, cand.ops[op_id].module_path)
        if child is not None:
            per_child.setdefault((bpath, child), []).append(i)
    calls = {c.path: c for c in cand.modules}
    unclaimed: dict[int, list[int]] = {}  # candidate op -> every unclaimed mismatch about it
    for i, m in enumerate(ctx.mismatches):
        if i not in ctx.claimed and m.candidate_op is not None:
            unclaimed.setdefault(m.candidate_op, []).append(i)
    out: dict[_Key, list[tuple[str, list[int]]]] = {}
    for (bpath, child), idx in per_child.items():
        ops = [o.id for o in cand.ops if _under(o.module_path, child) and o.kind not in LAYOUT_KINDS]
        # All of the module's ops extra, or at least two thirds of three or more: a module the other
        # side lacks, one of whose ops the alignment happened to pair (a gate's ReLU with the block's).
        n_extra = sum(o in extra for o in ops)
        if (
            child not in calls
            or not ops
            or (n_extra < len(ops) and (len(ops) < 3 or 3 * n_extra < 2 * len(ops)))
        ):
            continue  # much of it pairs with the reference's ops: not a module the other side lacks
        idx = sorted({*idx, *(i for o in ops for i in unclaimed.get(o, ()))})
        key = (child[len(bpath) + 1 :], calls[child].type_name, calls[child].source)
        out.setdefault(key, []).append((bpath, sorted(idx)))
    return out


def _anatomy(ctx: Context, idx: Sequence[int]) -> str:
    ops = sorted(o for o in (ctx.mismatches[i].candidate_op for i in idx) if o is not None)
    labels: list[str] = []
    for o in ops:
        text = label(ctx.candidate.ops[o])
        if not labels or labels[-1] != text:
            labels.append(text)
    return ", ".join(labels[:8]) + (" ..." if len(labels) > 8 else "")


def _replaces(ctx: Context, idx: Sequence[int]) -> str:
    """`` in place of the reference's 3x3 conv (conv2)`` when one of the module's ops is paired with a
    spatial conv of the reference (attention where the 3x3 was: BoTNet, HaloNet), else ``""``."""
    for i in idx:
        m = ctx.mismatches[i]
        if m.reference_op is None or m.candidate_op is None:
            continue
        r = ctx.reference.ops[m.reference_op]
        kernel = dict(r.attrs).get("kernel_size")
        if r.kind is OpKind.CONV and isinstance(kernel, tuple) and max(kernel, default=1) > 1:
            k = "x".join(map(str, kernel))
            return f" in place of the reference's {k} conv ({r.module_path.rsplit('.', 1)[-1]})"
    return ""


def _outside_blocks(ctx: Context) -> dict[tuple[str, str], list[int]]:
    """(region, module) -> mismatches, for modules in the stem or head all of whose ops the other
    side lacks (a final 1x1 conv-BN-act before the global pool): one addition each."""
    cand, calls = ctx.candidate, {c.path: c for c in ctx.candidate.modules}
    out: dict[tuple[str, str], list[int]] = {}
    for i, m in enumerate(ctx.mismatches):
        if i in ctx.claimed or m.block is not None or m.expected is not None or m.candidate_op is None:
            continue
        parent = cand.ops[m.candidate_op].module_path.rpartition(".")[0]
        if parent in calls and m.region is not None:
            out.setdefault((m.region.value, parent), []).append(i)
    kept = {}
    for (region, parent), idx in out.items():
        ops = {o.id for o in cand.ops if _under(o.module_path, parent) and o.kind not in LAYOUT_KINDS}
        extra = {ctx.mismatches[i].candidate_op for i in idx}
        others = {m.candidate_op for j, m in enumerate(ctx.mismatches) if j in ctx.claimed}
        if len(ops) >= 2 and ops <= extra | others:
            kept[(region, parent)] = idx
    return kept


def _outside_findings(ctx: Context) -> list[Finding]:
    calls = {c.path: c for c in ctx.candidate.modules}
    grouped: dict[tuple[str, str], list[tuple[str, list[int]]]] = {}  # (region, type) -> modules
    for (region, parent), idx in _outside_blocks(ctx).items():
        grouped.setdefault((region, calls[parent].type_name), []).append((parent, idx))
    findings = []
    for (region, type_name), items in grouped.items():
        place = {"head": "in the head", "stem": "in the stem"}.get(region, f"in the {region}")
        first, idx = items[0]
        names = ", ".join(f"`{p}`" for p, _ in items)
        site = calls[first].source
        findings.append(
            Finding(
                pattern=Pattern.EXTRA_MODULE,
                title=f"{'An extra' if len(items) == 1 else len(items)} {type_name}{'' if len(items) == 1 else 's'} {place}",
                message=(
                    f"The candidate has {len(items)} {type_name} ({names}: {_anatomy(ctx, idx)}) {place} that "
                    "the reference lacks. One addition, not a difference per op."
                ),
                locations=tuple(p for p, _ in items),
                mismatches=tuple(i for _, ids in items for i in ids),
                suggestion=f"{site or first}: remove it to match the reference, or keep it on purpose",
                source=site,
            )
        )
    return findings


def _group_finding(ctx: Context, entries: list[tuple[_Key, list[tuple[str, list[int]]]]]) -> Finding:
    """One finding for the modules extra in the same blocks (ConvNeXt's step removing two norms and two
    activations from every block is one change): each named with its anatomy."""
    (name, type_name, site), items = entries[0]
    blocks = [b for b, _ in items]
    idx = tuple(sorted({i for _, group in entries for _, ids in group for i in ids}))
    where = ctx.mismatches[idx[0]].region
    part = {"main": "main path", "shortcut": "shortcut", "tail": "end"}.get(where.value if where else "", "")
    shown = ", ".join(blocks[:4]) + (f" ... {blocks[-1]}" if len(blocks) > 4 else "")
    built = f", built at {site}" if site is not None else ""
    instead = _replaces(ctx, items[0][1]) if len(entries) == 1 else ""
    tail = (
        "; the reference's blocks have no such module. It is one addition, not a difference per op."
        if not instead
        else ": one replacement, not a difference per op."
    )
    what = ", ".join(f"a {t} (`{n}`: {_anatomy(ctx, group[0][1])})" for (n, t, _), group in entries)
    types = ", ".join(dict.fromkeys(t for (_, t, _), _ in entries))
    s_ = "s" if len(blocks) != 1 else ""
    return Finding(
        pattern=Pattern.EXTRA_MODULE,
        title=(f"{type_name}{instead.split(' (')[0]}" if instead else f"An extra {types}")
        + f" in {len(blocks)} block{s_}",
        message=(
            f"The candidate's blocks carry {what} {'on the ' + part if part else ''}{instead} in {len(blocks)} "
            f"block{s_} ({shown}){built}{tail}"
        ),
        locations=tuple(blocks[:8]),
        mismatches=idx,
        suggestion=(
            f"{site or name}: remove the {types} to match the reference, or, if the addition is deliberate, "
            "allow this pattern"
        ),
        source=site,
    )


def detect_extra_module(ctx: Context) -> list[Finding]:
    findings = _outside_findings(ctx)
    buckets: dict[tuple[tuple[str, ...], object], list[tuple[_Key, list[tuple[str, list[int]]]]]] = {}
    for key, items in _groups(ctx).items():
        blocks = tuple(b for b, _ in items)
        region = ctx.mismatches[items[0][1][0]].region
        # a replacement (a module in a reference layer's place) stays its own; additions in the same
        # blocks on the same path are one
        own = key if _replaces(ctx, items[0][1]) else None
        buckets.setdefault((blocks, (region, own)), []).append((key, items))
    findings.extend(_group_finding(ctx, entries) for entries in buckets.values())
    return findings


__all__ = ["detect_extra_module"]
