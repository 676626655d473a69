"""A model with the legacy hook ``torch.nn.utils.weight_norm`` is traced, not refused (#23 heldout54's
rnvp_hook_weight_norm: 'cannot copy RealNVP to trace it': its computed ``weight`` is no graph leaf
and cannot be deep-copied); it reads as the parametrization spelling, and the user's model is not
touched."""

from __future__ import annotations

import warnings

import torch
from torch import nn
from torch.nn.utils import parametrizations

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


def _net(legacy: bool) -> nn.Sequential:
    conv = nn.Conv2d(3, 8, 3, padding=1)
    if legacy:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # torch deprecates the hook API
            conv = nn.utils.weight_norm(conv)
    else:
        conv = parametrizations.weight_norm(conv)
    return nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))


def test_the_hook_spelling_traces_and_reads_as_the_parametrization() -> None:
    legacy = _net(True)
    weight = legacy[0].weight
    assert weight.grad_fn is not None  # the case deepcopy refuses
    c = compare_traces(trace(legacy, (3, 8, 8)), trace(_net(False), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert not c.mismatches
    assert legacy[0].weight is weight and isinstance(legacy[0].weight_g, nn.Parameter)  # untouched
    x = torch.randn(1, 3, 8, 8)
    assert legacy(x).shape == (1, 4)
