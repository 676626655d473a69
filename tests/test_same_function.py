"""Differences that compute the same function are spellings, checked numerically
(verify/same_function.py; #23: an outer product written as einsum, a blend as torch.lerp, a loop for
one einsum were described as differences on held-out code written by others)."""

from __future__ import annotations

from typing import Any

import pytest
import torch
import torch.nn.functional as F
from fixtures.spelled.bilinear import Net
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Comparison
from resnet_verify.verify.same_function import spelled_otherwise

SIZE = (3, 8, 8)


def _structural(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, SIZE), trace(cand, SIZE), reference_name="ref", candidate_name="cand",
                          num_classes=10)  # fmt: skip


def _checked(ref_kw: dict[str, Any], cand_kw: dict[str, Any]) -> tuple[Comparison, Comparison]:
    torch.manual_seed(0)
    ref, cand = Net(**ref_kw), Net(**cand_kw)
    before = _structural(ref, cand)
    return before, spelled_otherwise(cand, ref, before)


SPELLINGS = [
    {"einsum": True},
    {"lerp": True},
    {"einsum": True, "lerp": True},
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_same_function_spelled_otherwise_is_no_difference_either_way(spelling: dict[str, Any]) -> None:
    for ref_kw, cand_kw in (({}, spelling), (spelling, {})):
        before, after = _checked(ref_kw, cand_kw)
        assert before.mismatches  # the trace sees the spelling
        assert not after.mismatches and not after.findings
        assert any("computes the same function" in note for note in after.notes), after.notes


EDITS: dict[str, dict[str, Any]] = {
    "eps": {"eps": 2e-5},  # a tenth of a percent in one BatchNorm's denominator
    "momentum": {"momentum": 0.2},  # the same outputs; the running statistics differ
    "detach": {"detach": True},  # the same outputs; no gradient reaches the body
    "relu_inside": {"relu_inside": False, "zero_gamma": True},  # behind a zero-initialized gamma
    "fixed_pool": {"fixed_pool": True},  # one window at 8 px, another function at 16
    "swap_stats": {"swap_stats": True},  # the constants, not the ops
    "dilation": {"dilation": 32},  # the context conv reads only its centre at 8 and 16 px either way
    "stem_relu": {"stem_relu": False},  # the stem's ReLU before its max pool left out
    "relu6": {"relu6": True},
    "conv_head": {
        "conv_head": True
    },  # the same numbers as a 1x1 conv's (10, 64, 1, 1): another state dict  # ReLU6 for ReLU: no activation reaches 6, the numbers agree; a bound decides
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_another_model_written_otherwise_keeps_its_differences(edit: str) -> None:
    ref_kw = {"zero_gamma": True} if edit == "relu_inside" else {}
    for a, b in ((ref_kw, {"einsum": True, **EDITS[edit]}), ({"einsum": True, **EDITS[edit]}, ref_kw)):
        before, after = _checked(a, b)
        assert after is before, edit  # not cleared: the comparison is returned as it stands


def test_a_candidate_built_on_meta_with_constants_is_not_decided() -> None:
    with torch.device("meta"):
        cand = Net(einsum=True)
    before = _structural(Net(), cand)
    assert before.mismatches and spelled_otherwise(cand, Net(), before) is before


def test_compare_checks_a_spec_reference_and_leaves_the_user_model_alone() -> None:
    cand = Net(einsum=True)
    state = {k: v.clone() for k, v in cand.state_dict().items()}
    cand.train()
    c = compare(cand, "tests/fixtures/spelled/bilinear.py:build", input_size=SIZE, num_classes=10)
    assert not c.mismatches and any("same function" in note for note in c.notes)
    assert cand.training and all(torch.equal(v, state[k]) for k, v in cand.state_dict().items())
    assert all(p.grad is None for p in cand.parameters())


class _Blurred(nn.Module):
    """A learned conv, then a fixed binomial blur that downsamples (antialiased-cnns' BlurPool): one 3x3
    depthwise conv at stride 2, or (``separable``) its 3x1 and 1x3 passes at strides (2, 1) and (1, 2);
    ``pool``: a 2x2 max pool instead of the blur (another function, one window size)."""

    column: torch.Tensor
    row: torch.Tensor
    square: torch.Tensor

    def __init__(self, *, separable: bool = False, pool: bool = False) -> None:
        super().__init__()
        self.separable, self.pool = separable, pool
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        taps = torch.tensor([1.0, 2.0, 1.0]) / 4
        self.register_buffer("column", taps.view(1, 1, 3, 1).repeat(4, 1, 1, 1))
        self.register_buffer("row", taps.view(1, 1, 1, 3).repeat(4, 1, 1, 1))
        self.register_buffer("square", (taps[:, None] * taps[None, :]).view(1, 1, 3, 3).repeat(4, 1, 1, 1))
        self.fc = nn.Linear(4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.conv(x))
        if self.pool:
            x = nn.functional.max_pool2d(x, 2)
        elif self.separable:
            x = nn.functional.conv2d(x, self.column, stride=(2, 1), padding=(1, 0), groups=4)
            x = nn.functional.conv2d(x, self.row, stride=(1, 2), padding=(0, 1), groups=4)
        else:
            x = nn.functional.conv2d(x, self.square, stride=2, padding=1, groups=4)
        return self.fc(x.mean((2, 3)))


def test_a_fixed_filter_written_in_passes_is_decided_by_numbers_and_another_window_is_not() -> None:
    for ref, cand in ((_Blurred(), _Blurred(separable=True)), (_Blurred(separable=True), _Blurred())):
        before = _structural(ref, cand)
        assert before.mismatches
        assert not spelled_otherwise(cand, ref, before).mismatches
    for ref, cand in ((_Blurred(), _Blurred(pool=True)), (_Blurred(pool=True), _Blurred())):
        before = _structural(ref, cand)
        assert spelled_otherwise(cand, ref, before) is before  # must not fire: another function


class _HandInstanceNorm(nn.Module):
    """An instance norm written as tensor ops the way early style-transfer ports did (an unbiased
    variance rescaled to the biased one, a per-channel weight and bias)."""

    def __init__(self, channels: int, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.weight, self.bias = nn.Parameter(torch.ones(channels)), nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = x.size(2) * x.size(3)
        flat = x.view(x.size(0), x.size(1), n)
        mean = flat.mean(2)[:, :, None, None]
        var = flat.var(2)[:, :, None, None] * ((n - 1) / n)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight[:, None, None] + self.bias[:, None, None]


class _Normed(nn.Module):
    """A conv, then ``nn.InstanceNorm2d(affine=True)`` or (``eps`` given) the one written as ops."""

    def __init__(self, eps: float | None = None) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.norm = nn.InstanceNorm2d(4, affine=True) if eps is None else _HandInstanceNorm(4, eps)
        self.fc = nn.Linear(4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.relu(self.norm(self.conv(x))).mean((2, 3)))


def test_a_norm_written_as_ops_is_decided_by_numbers_and_its_eps_still_counts() -> None:
    for ref, cand in ((_Normed(), _Normed(1e-5)), (_Normed(1e-5), _Normed())):
        before = _structural(ref, cand)
        assert {m.field for m in before.mismatches} >= {"eps"}, before.mismatches
        assert not spelled_otherwise(cand, ref, before).mismatches
    before = _structural(_Normed(), _Normed(1e-3))
    assert spelled_otherwise(_Normed(1e-3), _Normed(), before) is before  # must not fire: another eps


def test_a_backward_that_draws_is_compared_on_one_stream_and_another_range_still_differs() -> None:
    # ShakeDrop's eval branch moved into the module (held-out heldout98): the eval trace sees the Function on
    # one side only; the numbers decide, the backward's draws (its beta) taken from one stream on both sides
    from fixtures.spelled.backward_draws import Net as Drawn

    torch.manual_seed(0)
    ref, moved, other = Drawn(), Drawn(eval_in_module=True), Drawn(eval_in_module=True, high=2.0)
    for cand in (moved, other):
        cand.load_state_dict(ref.state_dict())
    before = _structural(ref, moved)
    assert before.mismatches  # the reference's mul runs in a custom Function in eval, the candidate's not
    assert not spelled_otherwise(moved, ref, before).mismatches
    assert spelled_otherwise(other, ref, _structural(ref, other)).mismatches


class _Head(nn.Module):
    """A pooled feature, Linear, BatchNorm1d (``guard``: only for batches of more than one, as code that
    dodges BatchNorm1d's batch-of-one error writes it), Linear."""

    def __init__(self, guard: bool, via_flip: bool = False) -> None:
        super().__init__()
        self.guard, self.via_flip = guard, via_flip
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc1, self.bn, self.fc2 = nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Linear(8, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv(x).mean((2, 3))
        # the same Linear on both operands flipped along the features: another spelling of fc1
        h = F.linear(h.flip(1), self.fc1.weight.flip(1), self.fc1.bias) if self.via_flip else self.fc1(h)
        if not self.guard or h.size(0) > 1:
            h = self.bn(h)
        return self.fc2(torch.relu(h))


def test_the_numbers_are_taken_at_the_traced_batch_too() -> None:
    # heldout103's batch1_skip_bn_at_one: the trace (a batch of one) sees no BatchNorm, two samples do;
    # the numbers at two samples alone cleared the difference the trace had found
    torch.manual_seed(0)
    ref, guarded, spelled = _Head(False), _Head(True), _Head(False, via_flip=True)
    for cand in (guarded, spelled):
        cand.load_state_dict(ref.state_dict())
    kept = _structural(ref, guarded)
    assert kept.mismatches
    assert spelled_otherwise(guarded, ref, kept).mismatches
    before = _structural(ref, spelled)
    assert before.mismatches and not spelled_otherwise(spelled, ref, before).mismatches
