"""A frozen BatchNorm written as arithmetic is the batch_norm op it computes (tracing/frozen_bn.py; #23
heldout38, torchvision's and detectron2's FrozenBatchNorm2d): ``x * scale + shift`` from stored tensors
and ``F.batch_norm(..., training=False)`` on the same buffers compare clean, either way round; against
a trainable BatchNorm it is the frozen-BN cause; without its eps it is an eps difference. A per-channel
multiply and add that are no norm (a layer scale, an affine without a root) stay what they are."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.ops.misc import FrozenBatchNorm2d

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Functional(nn.Module):
    """detectron2's other spelling: F.batch_norm on the buffers."""

    def __init__(self, n: int, eps: float = 1e-5) -> None:
        super().__init__()
        for name, value in (("weight", 1.0), ("bias", 0.0), ("running_mean", 0.0), ("running_var", 1.0)):
            self.register_buffer(name, torch.full((n,), value))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b = self.get_buffer
        return nn.functional.batch_norm(x, b("running_mean"), b("running_var"), b("weight"), b("bias"),
                                        training=False, eps=self.eps)  # fmt: skip


class _NoEps(FrozenBatchNorm2d):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.weight * self.running_var.rsqrt()
        shift = self.bias - self.running_mean * scale
        return x * scale.reshape(1, -1, 1, 1) + shift.reshape(1, -1, 1, 1)


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 32, 32)), trace(cand, (3, 32, 32)), reference_name="a",
                          candidate_name="b", num_classes=10)  # fmt: skip


def test_two_spellings_of_a_frozen_bn_are_one() -> None:
    arithmetic, functional = resnet18(norm_layer=FrozenBatchNorm2d), resnet18(norm_layer=_Functional)
    bns = [op for op in trace(arithmetic, (3, 32, 32)).ops if op.kind is OpKind.BATCH_NORM]
    assert len(bns) == 20 and dict(bns[0].attrs)["eps"] == 1e-5 and len(bns[0].params) == 4
    assert not _compare(arithmetic, functional).mismatches
    assert not _compare(functional, arithmetic).mismatches


def test_against_a_trainable_bn_it_is_frozen_bn_and_without_eps_an_eps() -> None:
    c = _compare(resnet18(), resnet18(norm_layer=FrozenBatchNorm2d))
    assert [f.pattern for f in c.findings] == [Pattern.NORMALIZATION] and "Frozen" in c.findings[0].title
    no_eps = _compare(resnet18(norm_layer=FrozenBatchNorm2d), resnet18(norm_layer=_NoEps))
    assert {m.field for m in no_eps.mismatches} == {"eps"} and len(no_eps.mismatches) == 20


def test_a_scale_without_a_root_is_no_norm() -> None:
    class LayerScale(nn.Module):  # x * gamma + beta: a per-channel affine, nothing normalized
        def __init__(self) -> None:
            super().__init__()
            self.gamma, self.beta = nn.Parameter(torch.ones(8, 1, 1)), nn.Parameter(torch.zeros(8, 1, 1))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * (self.gamma * 2) + (self.beta - self.gamma)

    ops = trace(nn.Sequential(nn.Conv2d(3, 8, 3), LayerScale()), (3, 8, 8)).ops
    assert not any(op.kind is OpKind.BATCH_NORM for op in ops)
