"""What only a training-mode forward runs (tracing/train_only.py): ``if self.training:`` branches the
eval trace never sees are reported, a dropout as the dropout it is, anything else described where it
runs; passing the flag on, or branching without computing anything, is no difference."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18
from torchvision.models.resnet import ResNet

from resnet_verify.tracing.records import RegularizerKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _HeadDrop(ResNet):
    """A classifier input dropped only while training, the branch written in forward."""

    def __init__(self, branch: bool) -> None:
        super().__init__(resnet18().layer1[0].__class__, [2, 2, 2, 2], num_classes=10)
        self.branch = branch

    def _forward_impl(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = torch.flatten(self.avgpool(self.layer4(self.layer3(self.layer2(self.layer1(x))))), 1)
        if self.branch:
            if self.training:
                x = F.dropout(x, p=0.3)
        else:
            x = F.dropout(x, p=0.3, training=self.training)  # the flag passed on: seen in eval too
        return self.fc(x)


class _Jitter(nn.Module):
    """Feature noise scaled by the channel statistics, in training only (MixStyle's shape)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return x
        std = x.std(dim=(2, 3), keepdim=True)
        return x + torch.randn_like(x) * std * 0.1


class _Counting(nn.Module):
    """Branches on the flag but computes nothing there (a step counter)."""

    def __init__(self) -> None:
        super().__init__()
        self.steps = 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.steps += 1
        return x


def _with_after_layer2(module: nn.Module) -> nn.Module:
    model = resnet18(num_classes=10)
    model.layer2 = nn.Sequential(*model.layer2, module)
    return model


def test_a_dropout_behind_if_training_is_the_dropout_it_is() -> None:
    with torch.device("meta"):
        model = _HeadDrop(branch=True)
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.DROPOUT], [f.title for f in c.findings]
    assert "p=0.3" in c.findings[0].message
    reference = f"{Path(__file__).parent}/fixtures/quirky/train_only.py:head_drop"
    swapped = compare(resnet18(num_classes=10), reference, input_size=64, num_classes=10)
    assert Pattern.DROPOUT in {f.pattern for f in swapped.findings}


def test_the_flag_passed_on_is_one_dropout_not_two() -> None:
    with torch.device("meta"):
        regs = trace(_HeadDrop(branch=False), 64).regularizers
    assert [r.kind for r in regs] == [RegularizerKind.DROPOUT]


def test_other_training_only_computation_is_described_where_it_runs() -> None:
    with torch.device("meta"):
        model = _with_after_layer2(_Jitter())
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED], [f.title for f in c.findings]
    assert "_Jitter (training mode only)" in c.findings[0].message and "layer2" in c.findings[0].message


def test_a_branch_that_computes_nothing_is_no_difference_and_randomness_is_restored() -> None:
    random.seed(7)
    expected = [random.random() for _ in range(3)]
    random.seed(7)
    with torch.device("meta"):
        model = _with_after_layer2(_Counting())
    assert compare(model, "resnet18", input_size=64, num_classes=10).ok
    with torch.device("meta"):
        trace(_with_after_layer2(_Jitter()), 64)
    assert [random.random() for _ in range(3)] == expected


def test_a_branch_the_candidate_runs_in_eval_too_is_not_missing_there() -> None:
    from fixtures.quirky.train_only import noisy

    reference = f"{Path(__file__).parent}/fixtures/quirky/train_only.py:noisy"
    with torch.device("meta"):
        model = noisy(10, always=True)
    c = compare(model, reference, input_size=64, num_classes=10)
    assert c.mismatches, "the noise runs in the candidate's eval forward: extra ops"
    assert not any("missing in the candidate" in f.title for f in c.findings), [f.title for f in c.findings]


class _Chatty(_Jitter):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        print("jitter ran")
        return super().forward(x)


def test_the_extra_forwards_print_where_the_trace_does(capsys: pytest.CaptureFixture[str]) -> None:
    with torch.device("meta"):
        model = _with_after_layer2(_Chatty())
    compare(model, "resnet18", input_size=64, num_classes=10)
    out = capsys.readouterr()
    assert "jitter ran" not in out.out and "jitter ran" in out.err


class _TrackedScale(nn.Module):
    """Training-only work off the data path (a power iteration updating a buffer, SNGP / DDU's soft
    spectral norm) and a division by one (a width scaler at rate 1): neither changes what the data
    sees. A division by 2 in training does."""

    def __init__(self, rate: float) -> None:
        super().__init__()
        self.rate = rate
        self.u: torch.Tensor
        self.register_buffer("u", torch.ones(64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.u.copy_(F.normalize(self.u * 2, dim=0))
            return x / self.rate
        return x


@pytest.mark.parametrize(("rate", "differs"), [(1.0, False), (2.0, True)])
def test_weight_side_work_and_identities_in_training_are_no_difference(rate: float, differs: bool) -> None:
    with torch.device("meta"):
        model = _with_after_layer2(_TrackedScale(rate))
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert bool(c.mismatches) is differs, [m.message for m in c.mismatches[:3]]
    if differs:
        assert [r.spelling for r in c.candidate.regularizers] == ["_TrackedScale"], c.candidate.regularizers


class _Mix(nn.Module):
    """MixStyle's shape: per-sample channel statistics, mixed with a shuffled batch's, in training only;
    the statistics detached (as the paper's code) or not."""

    def __init__(self, *, detach: bool) -> None:
        super().__init__()
        self.detach = detach

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return x
        mu, sig = x.mean(dim=(2, 3), keepdim=True), (x.var(dim=(2, 3), keepdim=True) + 1e-6).sqrt()
        if self.detach:
            mu, sig = mu.detach(), sig.detach()
        normed = (x - mu) / sig
        order = torch.arange(x.size(0) - 1, -1, -1)
        return normed * (sig + sig[order]) / 2 + (mu + mu[order]) / 2


def test_a_training_mode_branch_that_computes_otherwise_is_a_difference_either_way() -> None:
    def compared(ref: bool, cand: bool) -> Comparison:
        with torch.device("meta"):
            a, b = _with_after_layer2(_Mix(detach=ref)), _with_after_layer2(_Mix(detach=cand))
        return compare_traces(
            trace(a, 64), trace(b, 64), reference_name="a", candidate_name="b", num_classes=10
        )

    c = compared(True, False)
    assert [m.field for m in c.mismatches] == ["calls"], c.mismatches
    assert "does not run the reference's detach (x2)" in c.mismatches[0].message, c.mismatches[0].message
    assert not c.findings  # one place: shown where it is, no name
    assert "runs detach (x2) that the reference's does not" in compared(False, True).mismatches[0].message
    assert not compared(True, True).mismatches  # must not fire
