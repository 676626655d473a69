"""The Keras stem's padding is Keras' own: symmetric, or TensorFlow's 'same' with one pixel more at the
bottom / right (patterns/padding.py ``_keras_like``; #23 heldout103's autopad_full_stride_pad: an input padded
by 32 - H % 32 on the bottom and right, folded into the stem conv, was named the Keras stem)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


class _Net(nn.Module):
    def __init__(self, pad: tuple[int, int, int, int] | None) -> None:
        super().__init__()
        self.pad = pad
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=0 if pad else 1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.block = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pad:
            x = F.pad(x, self.pad)
        x = torch.relu(self.bn(self.stem(x)))
        return self.fc(torch.relu(x + self.block(x)).mean((2, 3)))


def test_an_explicit_pad_of_the_conv_s_own_padding_is_no_difference() -> None:
    c = compare_traces(trace(_Net(None), (3, 32, 32)), trace(_Net((1, 1, 1, 1)), (3, 32, 32)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert not c.mismatches


def test_a_pad_far_larger_on_one_side_is_no_keras_stem() -> None:
    c = compare_traces(trace(_Net(None), (3, 32, 32)), trace(_Net((1, 17, 1, 17)), (3, 32, 32)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert c.mismatches
    assert Pattern.KERAS_STEM not in {f.pattern for f in c.findings}


def test_the_held_out_pad_to_a_multiple_of_32_is_no_keras_stem() -> None:
    from pathlib import Path

    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.comparison import compare

    fixture = Path(__file__).parent / "fixtures" / "heldout" / "batch103_autopad.py"
    model, _ = build_model(f"{fixture}:autopad_full_stride_pad", num_classes=10, random_init=False)
    c = compare(model, f"{fixture}:autopad_fcn103", input_size=64, num_classes=10)
    assert c.mismatches
    assert Pattern.KERAS_STEM not in {f.pattern for f in c.findings}
