"""A BatchNorm whose own forward normalises with running statistics in training mode too (PuzzleCAM's
FixedBatchNorm: ``F.batch_norm(..., training=False)``) is the BatchNorm a model's ``train()`` holds in eval
(mmdet's norm_eval): the same layer in training, compared clean (heldout142 mmn_fixed_bn_forward was
"every BatchNorm frozen while training ... missing in the candidate"), and a difference against a
BatchNorm that trains. A subclass whose forward trains as torch's does is not frozen."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison

_MODULE = """
import torch.nn.functional as F
from torch import nn


class FixedBN(nn.BatchNorm2d):
    def forward(self, x):
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, training=False,
                            eps=self.eps)


class LoggedBN(nn.BatchNorm2d):
    def forward(self, x):
        self.last_shape = tuple(x.shape)
        return super().forward(x)


class Net(nn.Module):
    def __init__(self, bn=nn.BatchNorm2d, norm_eval=False):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 8, 3, padding=1, bias=False), bn(8)
        self.conv2, self.bn2 = nn.Conv2d(8, 8, 3, padding=1, bias=False), bn(8)
        self.fc = nn.Linear(8, 10)
        self.norm_eval = norm_eval

    def train(self, mode=True):
        super().train(mode)
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.eval()
        return self

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)) + x)
        return self.fc(x.mean((2, 3)))


def plain(num_classes=10):
    return Net()


def held(num_classes=10):
    return Net(norm_eval=True)


def fixed(num_classes=10):
    return Net(FixedBN)


def logged(num_classes=10):
    return Net(LoggedBN)
"""


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "bn_nets.py").write_text(_MODULE)
    monkeypatch.chdir(tmp_path)
    return "bn_nets.py"


def _compare(spec: str, candidate: str, reference: str, device: str = "cpu") -> Comparison:
    model, name = build_model(f"{spec}:{candidate}", num_classes=10, device=device)
    return compare(model, f"{spec}:{reference}", input_size=16, num_classes=10, candidate_name=name)


@pytest.mark.parametrize("device", ["cpu", "meta"])
def test_frozen_by_its_forward_is_held_in_eval_by_train(spec: str, device: str) -> None:
    c = _compare(spec, "fixed", "held", device)
    assert not c.mismatches and not c.findings, [m.message for m in c.mismatches[:4]]


def test_frozen_by_its_forward_differs_from_a_training_batchnorm(spec: str) -> None:
    c = _compare(spec, "fixed", "plain")
    assert c.mismatches
    assert all(any(i in f.mismatches for f in c.findings) for i in range(len(c.mismatches)))


def test_a_forward_of_its_own_that_trains_is_not_frozen(spec: str) -> None:
    c = _compare(spec, "logged", "plain")
    assert not c.mismatches and not c.findings
    assert _compare(spec, "logged", "held").mismatches
