"""``F.unfold(x, k, stride=k).view(n, c * k * k, h // k, w // k)`` is ``F.pixel_unshuffle(x, k)``
(tracing/unfold_s2d.py; #23 heldout116's s2d_unfold): one op, the same tensor; an overlapping unfold is not."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _S2d(nn.Module):
    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.conv = nn.Conv2d(12, 8, 3, padding=1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        if self.how == "unshuffle":
            x = F.pixel_unshuffle(x, 2)
        elif self.how == "unfold":
            x = F.unfold(x, 2, stride=2).view(n, c * 4, h // 2, w // 2)
        else:  # overlapping windows, cropped to the same shape: another tensor
            x = F.unfold(x, 2, stride=1)[..., : (h // 2) * (w // 2)].reshape(n, c * 4, h // 2, w // 2)
        return self.fc(torch.relu(self.conv(x)).mean((2, 3)))


def test_the_unfold_is_the_unshuffle_it_computes() -> None:
    x = torch.randn(2, 3, 8, 8)
    assert torch.equal(F.unfold(x, 2, stride=2).view(2, 12, 4, 4), F.pixel_unshuffle(x, 2))


@pytest.mark.parametrize(("how", "clean"), [("unfold", True), ("overlapping", False)])
def test_compared_with_pixel_unshuffle(how: str, clean: bool) -> None:
    c = compare_traces(trace(_S2d("unshuffle"), (3, 8, 8)), trace(_S2d(how), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert (not c.mismatches) is clean, [m.message for m in c.mismatches]
