"""Pre-activation is named only where the other side's blocks are post-activation as far as their order
shows (an activation after the add, or a norm after the last conv), and a projection's BN only where it
normalises the projection conv: a pre-activation block whose conv1 reads the raw input (its BN-ReLU then
feeds the projection alone) is neither order (heldout143 pa_conv1_reads_x was named pre_activation, then
projection_without_bn, either way round)."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

_MODULE = """
import torch
import torch.nn.functional as F
from torch import nn


class PreBlock(nn.Module):
    def __init__(self, cin, cout, stride, raw=False, post=False):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.proj = nn.Conv2d(cin, cout, 1, stride, bias=False) if stride != 1 or cin != cout else None
        self.raw, self.post = raw, post
        self.bn3 = nn.BatchNorm2d(cout) if post else None
        self.bnp = nn.BatchNorm2d(cout) if post and self.proj is not None else None

    def forward(self, x):
        if self.post:
            out = F.relu(self.bn2(self.conv1(x)))
            out = self.bn3(self.conv2(out))
            sc = self.bnp(self.proj(x)) if self.proj is not None else x
            return F.relu(out + sc)
        pre = F.relu(self.bn1(x))
        sc = self.proj(pre) if self.proj is not None else x
        out = self.conv1(x if self.raw else pre)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + sc


def net(**kw):
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, 1, 1, bias=False),
        PreBlock(16, 16, 1, **kw), PreBlock(16, 32, 2, **kw), PreBlock(32, 32, 1, **kw),
        nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),
    )


def preact(num_classes=10):
    return net()


def reads_raw(num_classes=10):
    return net(raw=True)
"""


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "preact_nets.py").write_text(_MODULE)
    monkeypatch.chdir(tmp_path)
    return "preact_nets.py"


def _compare(spec: str, candidate: str, reference: str) -> Comparison:
    model, name = build_model(f"{spec}:{candidate}", num_classes=10)
    return compare(model, f"{spec}:{reference}", input_size=32, num_classes=10, candidate_name=name)


@pytest.mark.parametrize(("candidate", "reference"), [("reads_raw", "preact"), ("preact", "reads_raw")])
def test_a_block_of_neither_order_is_not_named_either_order(
    spec: str, candidate: str, reference: str
) -> None:
    c = _compare(spec, candidate, reference)
    assert c.mismatches
    names = {f.pattern for f in c.findings}
    assert not names & {Pattern.PRE_ACTIVATION, Pattern.PROJECTION_WITHOUT_BN}, names


def test_a_post_activation_network_against_it_is_still_pre_activation(spec: str, tmp_path: Path) -> None:
    (tmp_path / "post_nets.py").write_text(
        _MODULE + "\n\ndef post(num_classes=10):\n    return net(post=True)\n"
    )
    model, name = build_model("post_nets.py:post", num_classes=10)
    c = compare(model, "preact_nets.py:preact", input_size=32, num_classes=10, candidate_name=name)
    assert Pattern.PRE_ACTIVATION in {f.pattern for f in c.findings}
