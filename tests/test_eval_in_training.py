"""BatchNorms a model's own ``train()`` keeps in eval mode are a difference training sees
(tracing/train_mode.py; #23 heldout52's bitfit_bn_eval compared clean); an override that freezes
nothing is none, and a ``train`` that is no nn.Module signature (a training loop) is never called."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.records import RegularizerKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


class _Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv, self.bn = nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.conv2, self.bn2 = nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn(self.conv(x)))
        x = torch.relu(x + self.bn2(self.conv2(x)))
        return self.fc(x.mean((2, 3)))


class _BitFit(_Net):
    def train(self, mode: bool = True) -> _BitFit:
        super().train(mode)
        for m in self.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.eval()
        return self


class _Logged(_Net):
    def train(self, mode: bool = True) -> _Logged:
        self.calls = getattr(self, "calls", 0) + 1
        return super().train(mode)


class _Loop(_Net):
    def train(self, loader: object, epochs: int = 1) -> None:  # type: ignore[override]
        raise AssertionError("a training loop must never be called")


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=4)  # fmt: skip


def test_batchnorms_kept_in_eval_by_train_are_a_difference_either_way() -> None:
    t = trace(_BitFit(), (3, 8, 8))
    assert [r.path for r in t.regularizers if r.kind is RegularizerKind.EVAL_IN_TRAINING] == ["bn", "bn2"]
    for ref, cand in ((_Net(), _BitFit()), (_BitFit(), _Net())):
        c = _compare(ref, cand)
        assert len(c.mismatches) == 2 and c.findings
        assert all("eval mode" in f.message for f in c.findings)


def test_an_override_that_freezes_nothing_and_a_training_loop_are_no_difference() -> None:
    assert not _compare(_Net(), _Logged()).mismatches
    assert not _compare(_Net(), _Loop()).mismatches
    assert not _compare(_BitFit(), _BitFit()).mismatches


class _StemTrains(_Net):
    """A norm_eval override that leaves the first BatchNorm training (a stem kept apart from the stages)."""

    def train(self, mode: bool = True) -> _StemTrains:
        super().train(mode)
        self.bn2.eval()
        return self


class _Frozen(_Net):
    """The BatchNorms' scale and shift buffers, as torchvision's FrozenBatchNorm2d holds them."""

    def __init__(self) -> None:
        super().__init__()
        from torchvision.ops import FrozenBatchNorm2d

        self.bn, self.bn2 = FrozenBatchNorm2d(8), FrozenBatchNorm2d(8)


def test_every_batchnorm_held_in_eval_is_one_frozen_norm_finding_and_some_are_described() -> None:
    from resnet_verify.verify.records import Pattern

    for ref, cand in ((_Net(), _BitFit()), (_BitFit(), _Net())):
        assert [f.pattern for f in _compare(ref, cand).findings] == [Pattern.NORMALIZATION]
    assert [f.pattern for f in _compare(_Net(), _StemTrains()).findings] == [Pattern.DESCRIBED]


def test_a_frozen_batchnorm_against_one_held_in_eval_differs_only_in_its_affine() -> None:
    from resnet_verify.verify.records import Pattern

    for ref, cand in ((_BitFit(), _Frozen()), (_Frozen(), _BitFit())):
        c = _compare(ref, cand)
        assert [f.pattern for f in c.findings] == [Pattern.NORMALIZATION]
        assert not any(m.field == "regularizer" for m in c.mismatches)


class _MonteCarlo(_Net):
    """A dropout head its own train(False) keeps training: Monte-Carlo dropout at inference."""

    def __init__(self, module: bool) -> None:
        super().__init__()
        self.module = module
        self.drop = nn.Dropout(0.25)

    def train(self, mode: bool = True) -> _MonteCarlo:
        super().train(mode)
        self.drop.train()
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn(self.conv(x)))
        x = torch.relu(x + self.bn2(self.conv2(x))).mean((2, 3))
        return self.fc(self.drop(x) if self.module else torch.nn.functional.dropout(x, 0.25, training=True))


def test_the_eval_mode_traced_is_the_model_s_own_train_false() -> None:
    c = _compare(_MonteCarlo(module=False), _MonteCarlo(module=True))
    assert not c.mismatches and not c.findings
