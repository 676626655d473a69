"""Caffe's BatchNorm + Scale read as the affine BatchNorm they compute (tracing/bn_scale.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "bn_scale.py"


def _built(name: str) -> object:
    return build_model(f"{FIXTURE}:{name}", num_classes=6, device="meta")[0]


def test_batch_norm_and_scale_are_one_affine_batch_norm_either_way() -> None:
    model = _built("caffe_split")
    t = trace(model, 64)  # type: ignore[arg-type]
    norms = [op for op in t.ops if op.kind is OpKind.BATCH_NORM]
    assert len(norms) == 20 and all(dict(op.attrs)["affine"] is True and len(op.params) == 4 for op in norms)
    c = compare(model, "resnet18", input_size=64, num_classes=6)  # type: ignore[arg-type]
    assert not c.mismatches and not c.findings
    plain = build_model("resnet18", num_classes=6, device="meta")[0]
    swapped = compare(plain, f"{FIXTURE}:caffe_split", input_size=64, num_classes=6)
    assert not swapped.mismatches and not swapped.findings


def test_a_gain_without_its_shift_is_no_batch_norm_affine() -> None:
    c = compare(_built("gain_only"), "resnet18", input_size=64, num_classes=6)  # type: ignore[arg-type]
    assert c.mismatches and c.findings
    assert any(m.field == "affine" for m in c.mismatches)


class _Scale(nn.Module):
    def __init__(self, c: int, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.weight, self.bias = nn.Parameter(torch.ones(shape)), nn.Parameter(torch.zeros(shape))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.weight + self.bias


def _norm_net(norm: Callable[[int], nn.Module]) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), norm(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(8, 4))  # fmt: skip


def test_an_affine_free_group_norm_and_a_scale_are_the_affine_group_norm() -> None:
    """heldout115's stagenorm_affine_free_scale: GroupNorm(8, c, affine=False) + a per-channel Scale."""
    ref = _norm_net(lambda c: nn.GroupNorm(4, c))
    split = _norm_net(lambda c: nn.Sequential(nn.GroupNorm(4, c, affine=False), _Scale(c, (1, c, 1, 1))))
    c = compare_traces(trace(ref, (3, 8, 8)), trace(split, (3, 8, 8)), reference_name="a", candidate_name="b",
                       num_classes=4)  # fmt: skip
    assert not c.mismatches, [m.message for m in c.mismatches]


def test_a_layer_norm_with_a_per_channel_scale_is_no_layer_norm_affine() -> None:
    ref = _norm_net(lambda c: nn.LayerNorm([c, 8, 8]))
    split = _norm_net(
        lambda c: nn.Sequential(nn.LayerNorm([c, 8, 8], elementwise_affine=False), _Scale(c, (1, c, 1, 1)))
    )
    c = compare_traces(trace(ref, (3, 8, 8)), trace(split, (3, 8, 8)), reference_name="a", candidate_name="b",
                       num_classes=4)  # fmt: skip
    assert c.mismatches
