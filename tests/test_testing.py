"""resnet_verify.testing.assertions: the assertion helper users put in their own CI."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.models.resnet import resnet18, resnet50_v1
from resnet_verify.report.formats import render
from resnet_verify.testing.assertions import assert_matches_reference, infer_num_classes


def test_matching_model_passes_and_returns_the_comparison() -> None:
    with torch.device("meta"):
        model = resnet18(num_classes=7)
    c = assert_matches_reference(model, "resnet18")
    assert c.ok and c.num_classes == 7 and c.input_shape == (1, 3, 64, 64)


def test_mismatch_raises_with_the_text_report() -> None:
    with torch.device("meta"):
        model = resnet50_v1(num_classes=6)
    with pytest.raises(AssertionError) as info:
        assert_matches_reference(model, "resnet50", input_size=(3, 96, 96))
    message = str(info.value)
    assert "layer2.0" in message and "stride" in message
    from resnet_verify.verify.comparison import compare

    assert message == render(compare(model, "resnet50", input_size=(3, 96, 96), num_classes=6), "text")


def test_num_classes_is_inferred_from_the_last_linear() -> None:
    assert infer_num_classes(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))) == 3
    assert infer_num_classes(nn.Conv2d(3, 4, 1)) == 1000
