"""Running real models for the numeric checks: op-counted captures, logits, tensor errors.

``Capture`` counts ops with the tracer's own base (:class:`~resnet_verify.tracing.op_counter.OpCounter`),
so the op ids of a real run equal the trace's and any op's output can be kept by id. Forwards may return what real models
return: a tensor, a ``ModelOutput`` with ``.logits`` (transformers), a dict or a tuple; the
tracer's own rule (:func:`~resnet_verify.tracing.outputs.select_output`) picks the logits, so the
numeric checks compare the tensor the trace describes.
"""

from __future__ import annotations

import math
from types import FrameType
from typing import Any

import torch
from torch import nn

from resnet_verify.specs.usercode import model_output
from resnet_verify.tracing.op_counter import OpCounter
from resnet_verify.tracing.outputs import no_tensor_error, select_output


class Capture(OpCounter):
    """Numbers ops exactly like the tracer (the same base) and keeps copies of the wanted outputs."""

    def __init__(self, wanted: set[int]) -> None:
        super().__init__()
        self.wanted = wanted
        self.names: list[str] = []
        self.captured: dict[int, torch.Tensor] = {}

    def record(
        self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        inputs: list[torch.Tensor], outs: list[torch.Tensor], caller: FrameType,
    ) -> None:  # fmt: skip
        op_id = len(self.names)
        self.names.append(name)
        if op_id in self.wanted:
            self.captured[op_id] = outs[0].detach().clone()


def run_capturing(
    model: nn.Module, x: torch.Tensor, wanted: set[int], *, output_key: str | None = None
) -> tuple[torch.Tensor, Capture]:
    """One no-grad forward: the logits and the captured op outputs; the model's prints go to stderr."""
    capture = Capture(wanted)
    with torch.no_grad(), model_output(), capture:
        out = select_output(model(x), output_key)
    if out is None:
        raise no_tensor_error(type(model).__name__)
    return out.detach(), capture


def tensor_error(
    ref: torch.Tensor, cand: torch.Tensor, atol: float, rtol: float
) -> tuple[float, float, bool, str | None]:
    """max abs error, relative error, within tolerance, why not comparable."""
    if tuple(ref.shape) != tuple(cand.shape):
        return math.inf, math.inf, False, f"output shape {list(cand.shape)} vs {list(ref.shape)}"
    ref = ref.double()
    cand = cand.to(ref.device).double()
    if not bool(torch.isfinite(cand).all()) and bool(torch.isfinite(ref).all()):
        return math.inf, math.inf, False, "non-finite values in the output"
    diff = float((ref - cand).abs().max()) if ref.numel() else 0.0
    scale = float(ref.abs().max()) if ref.numel() else 0.0
    rel = diff / scale if scale > 0 else (0.0 if diff == 0 else math.inf)
    return diff, rel, diff <= atol + rtol * scale, None


__all__ = ["Capture", "run_capturing", "tensor_error"]
