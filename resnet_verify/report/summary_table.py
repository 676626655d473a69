"""Structure summary: stem / stages / blocks found by the tracer, then torchinfo's layer table."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from resnet_verify.tracing.records import OpKind, Trace
from resnet_verify.tracing.tracer import trace


def _shape(shape: Sequence[int] | None) -> str:
    return "x".join(str(s) for s in shape) if shape else "-"


def structure_table(tr: Trace) -> str:
    s = tr.structure
    rows = [("stem", s.stem_path, _shape(s.stem_out_shape), f"{s.stem_params:,}", "")]
    for stage in s.stages:
        rows.append(
            (
                f"stage {stage.index + 1}",
                stage.path,
                _shape(stage.out_shape),
                f"{stage.num_params:,}",
                f"{len(stage.blocks)} blocks",
            )
        )
        for i in stage.blocks:
            b = s.blocks[i]
            chans = [dict(tr.ops[o].attrs)["out_channels"] for o in b.main if tr.ops[o].kind is OpKind.CONV]
            flow = "->".join(str(c) for c in [b.in_shape[1], *chans])
            proj = " +proj" if any(tr.ops[o].kind is OpKind.CONV for o in b.shortcut) else ""
            rows.append(
                (
                    f"  block {i}",
                    b.path,
                    _shape(b.out_shape),
                    f"{b.num_params:,}",
                    f"{b.kind.value} {flow}{proj}",
                )
            )
    rows.append(("head", s.head_path, _shape(tr.output_shape), f"{s.head_params:,}", ""))
    header = ("part", "path", "output", "params", "detail")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"total params: {tr.total_params:,} (trainable {tr.trainable_params:,})")
    if tr.crash:
        where = tr.crash.module_path or "the top-level forward"
        at = f" ({tr.crash.source})" if tr.crash.source else ""
        lines.append(f"forward failed at {where}{at}: {tr.crash.error_type}: {tr.crash.message}")
    return "\n".join(lines) + "\n"


def render_summary(
    model: nn.Module, name: str, size: tuple[int, int, int], *, depth: int = 3
) -> tuple[str, bool]:
    """The summary text, and whether the forward ran (False: the summary ends at the crash)."""
    import torchinfo

    tr = trace(model, size)
    out = [f"{name} @ {_shape(size)}", "", structure_table(tr), ""]
    if tr.crash is None:
        # torchinfo runs a real forward: keep it on the CPU at batch 1 and leave the model as it was.
        info = torchinfo.summary(
            model,
            input_size=(1, *size),
            depth=depth,
            verbose=0,
            device=torch.device("cpu"),
            col_names=("output_size", "num_params"),
            mode="eval",
        )
        out.append(str(info))
    return "\n".join(out) + "\n", tr.crash is None
