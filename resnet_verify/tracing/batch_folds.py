"""Two inputs run through one network as one batch, then split apart: the network run twice.

ChangeStar's Siamese change detector and RAFT's feature encoder fold their two images into one batch
(``torch.cat([a, b], dim=0)``), run the trunk once and split the result (``torch.split(out, n)``);
the same model written per image calls the trunk twice, and its second call reads as one op,
``second run of <trunk>`` (``parallel_passes``). Read the same way here: the concatenation and the
first piece are layout (the trunk reads the first input), the second piece becomes the trunk's
second run on the second input, its weights shared. Only two pieces of equal size along the batch,
taken from what the trunk computed from the concatenation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from resnet_verify.tracing.dataflow import Graph, computed_at
from resnet_verify.tracing.records import OpKind, OpRecord, make_attrs, readers


def _batch_cat(op: OpRecord) -> bool:
    shapes = op.in_shapes
    return (
        op.kind is OpKind.CAT
        and len(op.inputs) == 2
        and len(shapes) == 2
        and shapes[0] == shapes[1]
        and op.out_shape is not None
        and len(shapes[0]) >= 2
        and op.out_shape[0] == 2 * shapes[0][0]
        and op.out_shape[1:] == shapes[0][1:]
    )


def _halves(ops: Sequence[OpRecord], reading: dict[int, list[int]], n: int) -> dict[int, tuple[int, int]]:
    """Op id -> (first piece, second piece): two slices of it along the batch, ``0:n`` and ``n:``."""
    out: dict[int, tuple[int, int]] = {}
    for op in ops:
        pieces = [ops[r] for r in reading.get(op.id, []) if ops[r].kind is OpKind.SLICE]
        bounds = {str(dict(p.attrs).get("bounds", "")).split(",")[0].strip(): p.id for p in pieces}
        first, second = bounds.get(f"0:{n}"), bounds.get(f"{n}:")
        if first is not None and second is not None:
            out[op.id] = (first, second)
    return out


def _trunk(ops: Sequence[OpRecord], reader: OpRecord, made: OpRecord) -> str:
    stacks = (reader.module_stack, made.module_stack)
    common = [a for a, b in zip(*stacks, strict=False) if a == b]
    return common[-1] if common else "the model"


def unfold_batches(ops: Sequence[OpRecord]) -> tuple[OpRecord, ...]:
    reading = readers(ops)
    graph: Graph | None = None
    out = list(ops)
    for cat in ops:
        if not _batch_cat(cat) or not reading.get(cat.id):
            continue
        graph = graph or Graph(ops)
        for made, (first, second) in _halves(ops, reading, cat.in_shapes[0][0]).items():
            if not graph.descends_from(made, cat.id) or made == cat.id:
                continue
            name = _trunk(ops, ops[reading[cat.id][0]], ops[made])
            layout = make_attrs({"part_of": "batch fold"})
            out[cat.id] = replace(cat, kind=OpKind.RESHAPE, inputs=cat.inputs[:1], in_shapes=cat.in_shapes[:1],
                                  attrs=layout)  # fmt: skip
            out[first] = replace(ops[first], kind=OpKind.RESHAPE, attrs=layout)
            attrs = {"function": "second run", "module": name, "weights": "shared"}
            # (the parameters of the trunk's last computing op, as a second call's output op keeps them)
            last = max(computed_at(ops, made), 0)
            out[second] = replace(ops[second], kind=OpKind.OTHER, inputs=cat.inputs[1:], params=ops[last].params,
                                  in_shapes=cat.in_shapes[1:], attrs=make_attrs(attrs), module_path=name)  # fmt: skip
            break
    return tuple(out)


__all__ = ["unfold_batches"]
