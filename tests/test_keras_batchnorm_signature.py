"""keras_batchnorm names Keras' whole BatchNorm signature, not one attribute it shares (#23): momentum 0.99
as written, or 0.01 beside Keras' eps 1e-3; a momentum of 0.01 with PyTorch's eps kept (heldout110's
narrow_bn_momentum) is a plain setting, described."""

from __future__ import annotations

import pytest
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Pattern


def _net(**bn: float) -> nn.Module:
    def block() -> nn.Module:
        return nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1, bias=False),
            nn.BatchNorm2d(8, eps=bn.get("eps", 1e-5), momentum=bn.get("momentum", 0.1)),
            nn.ReLU(),
        )

    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8, eps=bn.get("eps", 1e-5), momentum=bn.get("momentum", 0.1)), nn.ReLU(), block(),
                         block(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))  # fmt: skip


@pytest.mark.parametrize(
    ("bn", "keras"),
    [({"eps": 1e-3, "momentum": 0.01}, True), ({"momentum": 0.99}, True), ({"momentum": 0.01}, False),
     ({"eps": 1e-3}, False)],
    ids=["keras_pair", "momentum_as_written", "momentum_alone", "eps_alone"],
)  # fmt: skip
def test_keras_batchnorm_is_the_whole_signature(bn: dict[str, float], keras: bool) -> None:
    c = compare_traces(trace(_net(), (3, 8, 8)), trace(_net(**bn), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert c.mismatches
    assert (Pattern.KERAS_BATCHNORM in {f.pattern for f in c.findings}) is keras, [
        f.message for f in c.findings
    ]
