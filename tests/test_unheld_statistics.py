"""A BatchNorm that runs on statistics the model does not hold (``functional_call(base, params)`` given the
weights alone, the base a copy kept out of the module tree; #23 heldout117's fcall_params_only compared
clean): its statistics are outside the model, said as one setting. Given them too, it compares clean."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn
from torch.func import functional_call

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


def _net() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


class _Functional(nn.Module):
    def __init__(self, buffers: bool) -> None:
        super().__init__()
        net = _net()
        self._base = [copy.deepcopy(net)]  # a plain list: not a module of this model
        self.weights = nn.ParameterDict({k.replace(".", "_"): p for k, p in net.named_parameters()})
        self.stats = {k: b for k, b in net.named_buffers()} if buffers else None
        for k, b in net.named_buffers():
            self.register_buffer(k.replace(".", "_"), b)
        self.buffers_given = buffers

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weights = {k.replace("_", "."): p for k, p in self.weights.items()}
        if self.buffers_given:
            weights |= {k.replace("_", ".", 1): b for k, b in self.named_buffers()}
        return functional_call(self._base[0], weights, (x,))


@pytest.mark.parametrize(("buffers", "differs"), [(False, True), (True, False)])
def test_statistics_the_model_does_not_hold(buffers: bool, differs: bool) -> None:
    c = compare_traces(trace(_net(), (3, 8, 8)), trace(_Functional(buffers), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert ("statistics" in {m.field for m in c.mismatches}) is differs, [m.message for m in c.mismatches]
