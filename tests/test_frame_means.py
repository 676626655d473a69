"""Frames averaged before or after the classifier, and a per-frame 3-D conv, are one spelling each
(tracing/frame_means.py, verify/per_frame.py; #23 heldout32's TSN consensus and C2D inflation): a 2-D
network over folded frames that averages its logits, one that averages pooled features and classifies
once, and a Conv3d network with temporal kernels of 1 pooling over the clip compare equal. Averaging
probabilities, a mean over the features, a temporal kernel of 3 and per-frame logits stay differences.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces

T = 4  # frames per clip


class _Frames2d(nn.Module):
    """A 2-D conv net over (N, C, T, H, W) clips folded into the batch; ``head`` picks where the frames
    are averaged."""

    def __init__(self, head: str) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 5)
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, t, h, w = x.shape
        x = x.transpose(1, 2).reshape(n * t, c, h, w)
        x = torch.flatten(self.pool(torch.relu(self.bn(self.conv(x)))), 1)
        if self.head == "features":  # mmaction2's TSNHead: consensus, then one Linear
            return self.fc(x.reshape(n, t, -1).mean(dim=1))
        logits = self.fc(x).view(n, t, -1)
        if self.head == "logits":  # the original TSN: classify each frame, average the scores
            return logits.mean(dim=1)
        if self.head == "probabilities":  # a softmax first: not the same function
            return logits.softmax(-1).mean(dim=1)
        return logits.reshape(n * t, -1)  # per-frame logits, no consensus


class _C2d(nn.Module):
    def __init__(self, kernel_t: int = 1) -> None:
        super().__init__()
        self.conv = nn.Conv3d(3, 8, (kernel_t, 3, 3), padding=(kernel_t // 2, 1, 1))
        self.bn = nn.BatchNorm3d(8)
        self.pool = nn.AdaptiveAvgPool3d(1)
        self.fc = nn.Linear(8, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.pool(torch.relu(self.bn(self.conv(x)))), 1))


SHAPE = (1, 3, T, 16, 16)


def _compare(ref: nn.Module, cand: nn.Module) -> list[str]:
    c = compare_traces(trace(ref, SHAPE), trace(cand, SHAPE), reference_name="a", candidate_name="b",
                       num_classes=5)  # fmt: skip
    return [m.message for m in c.mismatches]


def test_the_same_function_written_three_ways() -> None:
    cand = _Frames2d("features")
    ref = _Frames2d("logits")
    ref.load_state_dict(cand.state_dict())
    x = torch.randn(SHAPE)
    torch.testing.assert_close(ref.eval()(x), cand.eval()(x))
    assert not _compare(ref, cand)
    assert not _compare(cand, ref)
    assert not _compare(_Frames2d("logits"), _C2d())
    assert not _compare(_C2d(), _Frames2d("features"))


@pytest.mark.parametrize("head", ["probabilities", "per_frame"])
def test_another_consensus_stays_a_difference(head: str) -> None:
    assert _compare(_Frames2d("logits"), _Frames2d(head))


def test_a_temporal_kernel_stays_a_difference() -> None:
    found = _compare(_Frames2d("logits"), _C2d(kernel_t=3))
    assert any("kernel_size" in m and "(3, 3, 3)" in m for m in found), found


def test_a_mean_over_the_features_is_not_moved() -> None:
    class FeatureMean(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(8, 6)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc(x.flatten(1)).mean(dim=1, keepdim=True)

    ops = trace(FeatureMean(), (1, 2, 2, 2)).ops
    assert [o.kind.name for o in ops if o.kind.name in ("LINEAR", "OTHER")] == ["LINEAR", "OTHER"]
