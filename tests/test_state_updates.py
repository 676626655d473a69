"""Layer state a training forward writes (tracing/state_updates.py, verify/patterns/state_update.py).

A spectral norm whose power iteration was left out computes in eval mode exactly what one that runs it
computes: the same ``u`` and ``v`` are read the same way. Only training differs, so without these
records the two compare clean: the false "no difference". The idioms below are written the ways GAN
and uncertainty repositories write them: ``u`` / ``v`` buffers refreshed with ``copy_`` under
``no_grad`` in training only; frozen ``nn.Parameter`` vectors rebound through ``.data`` in every
forward; a running mean rebound as a new tensor. Must not fire: the same update on both sides in
other spellings (torch's two spectral norms, a hand-written one), state written but never read, a
BatchNorm written by hand for torch's, a plain ResNet (which costs no second forward).
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrizations, spectral_norm
from torchvision.models import resnet18

from resnet_verify.tracing import state_updates
from resnet_verify.tracing.records import OpKind, RegularizerKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _CopyPowerConv(nn.Conv2d):
    """SNGAN style: ``u`` and ``v`` buffers, one power-iteration step per training forward."""

    def __init__(self, cin: int, cout: int, k: int, stride: int, *, refresh: bool) -> None:
        super().__init__(cin, cout, k, stride, k // 2, bias=False)
        self.refresh = refresh
        rows, cols = cout, cin * k * k
        self.u: torch.Tensor
        self.v: torch.Tensor
        self.register_buffer("u", F.normalize(torch.randn(rows), dim=0))
        self.register_buffer("v", F.normalize(torch.randn(cols), dim=0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight.flatten(1)
        if self.training and self.refresh:
            with torch.no_grad():
                self.v.copy_(F.normalize(w.t() @ self.u, dim=0))
                self.u.copy_(F.normalize(w @ self.v, dim=0))
        sigma = torch.dot(self.u, w @ self.v)
        return F.conv2d(x, self.weight / sigma, None, self.stride, self.padding)


class _DataPowerConv(nn.Module):
    """A wrapper holding ``u`` / ``v`` as frozen parameters, rebound through ``.data`` in every forward."""

    def __init__(self, cin: int, cout: int, k: int, stride: int, *, refresh: bool) -> None:
        super().__init__()
        self.inner = nn.Conv2d(cin, cout, k, stride, k // 2, bias=False)
        self.refresh = refresh
        self.u = nn.Parameter(F.normalize(torch.randn(cout), dim=0), requires_grad=False)
        self.v = nn.Parameter(F.normalize(torch.randn(cin * k * k), dim=0), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.inner.weight.view(self.inner.weight.shape[0], -1)
        if self.refresh:
            self.v.data = F.normalize(w.data.t().mv(self.u.data), dim=0)
            self.u.data = F.normalize(w.data.mv(self.v.data), dim=0)
        sigma = self.u.dot(w.mv(self.v))
        return F.conv2d(x, self.inner.weight / sigma, None, self.inner.stride, self.inner.padding)


class _SoftPowerConv(_CopyPowerConv):
    """DDU's soft spectral norm: divided only where sigma exceeds a coefficient (another transform)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight.flatten(1)
        sigma = torch.dot(self.u, w @ self.v)
        factor = torch.clamp(sigma / 0.95, min=1.0)
        return F.conv2d(x, self.weight / factor, None, self.stride, self.padding)


def _conv(kind: str, cin: int, cout: int, k: int, stride: int = 1) -> nn.Module:
    if kind in ("copy", "copy_stale"):
        return _CopyPowerConv(cin, cout, k, stride, refresh=kind == "copy")
    if kind in ("data", "data_stale"):
        return _DataPowerConv(cin, cout, k, stride, refresh=kind == "data")
    if kind == "soft":
        return _SoftPowerConv(cin, cout, k, stride, refresh=True)
    conv = nn.Conv2d(cin, cout, k, stride, k // 2, bias=False)
    if kind == "param":
        return parametrizations.spectral_norm(conv)
    return spectral_norm(conv) if kind == "hook" else conv


class _PadSkip(nn.Module):
    """The CIFAR paper's option A: subsample, zero-pad the new channels; no layer, no state."""

    def __init__(self, extra: int) -> None:
        super().__init__()
        self.extra = extra

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.extra // 2, self.extra - self.extra // 2))


class _Block(nn.Module):
    def __init__(self, kind: str, cin: int, cout: int, stride: int, skip: str | None = None) -> None:
        super().__init__()
        self.conv1, self.conv2 = _conv(kind, cin, cout, 3, stride), _conv(kind, cout, cout, 3)
        self.skip: nn.Module = nn.Identity()
        if skip == "pad":
            self.skip = _PadSkip(cout - cin)
        elif stride != 1 or cin != cout:
            self.skip = _conv(skip or kind, cin, cout, 1, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.skip(x) + self.conv2(F.relu(self.conv1(x))))


class _Net(nn.Module):
    """A small CIFAR-style ResNet whose every conv is built by ``kind``: 8 convs, 3 blocks."""

    def __init__(self, kind: str, mid: nn.Module | None = None, skip: str | None = None) -> None:
        super().__init__()
        self.stem = _conv(kind, 3, 16, 3)
        self.mid = mid or nn.Identity()
        self.blocks = nn.Sequential(
            _Block(kind, 16, 16, 1), _Block(kind, 16, 32, 2, skip), _Block(kind, 32, 32, 1)
        )
        self.fc = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.blocks(self.mid(F.relu(self.stem(x))))
        return self.fc(x.mean((2, 3)))


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    torch.manual_seed(0)
    return compare_traces(trace(ref, (3, 32, 32)), trace(cand, (3, 32, 32)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


def _state_findings(c: Comparison) -> list[str]:
    return [f.title + " | " + f.message for f in c.findings if "state" in f.title]


@pytest.mark.parametrize(
    ("ref", "cand", "candidate_holds", "writer"),
    [
        ("copy", "copy_stale", False, "_CopyPowerConv"),
        ("copy_stale", "copy", True, "_CopyPowerConv"),
        ("param", "copy_stale", False, "spectral_norm"),
        ("data_stale", "data", True, "_DataPowerConv"),
    ],
)
def test_a_power_iteration_on_one_side_only_is_one_described_finding(
    ref: str, cand: str, candidate_holds: bool, writer: str
) -> None:
    c = _compare(_Net(ref), _Net(cand))
    found = [f for f in c.findings if "state" in f.title]
    assert len(found) == 1, [f.title for f in c.findings]
    f = found[0]
    assert f.pattern is Pattern.DESCRIBED
    assert ("only in the candidate" in f.title) is candidate_holds, f.title
    assert f"{writer} writes u, v in every training forward" in f.message and "8 layers" in f.message, (
        f.message
    )
    state = [i for i, m in enumerate(c.mismatches) if m.kind.value == "regularizer"]
    assert len(state) == 8 and set(state) <= set(f.mismatches)


@pytest.mark.parametrize(
    ("ref", "cand"),
    [("copy", "copy"), ("hook", "param"), ("data", "data"), ("param", "copy")],
)
def test_the_same_update_spelled_otherwise_is_no_difference(ref: str, cand: str) -> None:
    c = _compare(_Net(ref), _Net(cand))
    assert not c.mismatches, [m.message for m in c.mismatches[:3]]


def test_a_spectral_norm_on_one_side_only_is_one_cause_with_its_update() -> None:
    c = _compare(_Net("plain"), _Net("param"))
    assert [f.pattern for f in c.findings] == [Pattern.PARAM_OPS], [f.title for f in c.findings]
    assert set(c.findings[0].mismatches) == set(range(len(c.mismatches)))
    assert any(m.kind.value == "regularizer" for m in c.mismatches)


def test_a_softened_spectral_norm_is_not_read_as_torch_s() -> None:
    c = _compare(_Net("param"), _Net("soft"))
    assert Pattern.PARAM_OPS in {f.pattern for f in c.findings}, [f.title for f in c.findings]


def test_the_one_layer_left_without_its_update_is_the_one_named() -> None:
    c = _compare(_Net("copy"), _Net("copy", skip="copy_stale"))
    found = _state_findings(c)
    assert len(found) == 1 and "In blocks.1.skip, the reference's _CopyPowerConv writes u, v" in found[0], (
        found
    )


def test_a_layer_gone_takes_its_state_with_it() -> None:
    c = _compare(_Net("copy"), _Net("copy", skip="pad"))
    assert not _state_findings(c), [f.title for f in c.findings]
    state = [m for m in c.mismatches if m.kind.value == "regularizer"]
    assert len(state) == 1 and state[0].cause is not None


def test_torch_spectral_norm_folded_by_the_trace_keeps_its_update() -> None:
    t = trace(_Net("param"), (3, 32, 32))
    updates = [r for r in t.regularizers if r.kind is RegularizerKind.STATE_UPDATE]
    assert [r.path for r in updates][:2] == ["stem", "blocks.0.conv1"] and len(updates) == 8
    assert {r.spelling for r in updates} == {"spectral_norm"}


class _Center(nn.Module):
    """Subtracts a running mean of the channels, rebound as a new tensor in training."""

    def __init__(self, channels: int, *, refresh: bool) -> None:
        super().__init__()
        self.refresh = refresh
        self.mean: torch.Tensor
        self.register_buffer("mean", torch.zeros(1, channels, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training and self.refresh:
            self.mean = 0.9 * self.mean + 0.1 * x.detach().mean((0, 2, 3), keepdim=True)
        return x - self.mean


def test_a_running_average_rebound_in_training_is_seen() -> None:
    c = _compare(_Net("plain", _Center(16, refresh=False)), _Net("plain", _Center(16, refresh=True)))
    found = _state_findings(c)
    assert len(found) == 1 and "_Center" in found[0] and "writes mean" in found[0], found


class _HandBN(nn.Module):
    """BatchNorm written out: batch statistics and running ones updated in place in training."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.weight, self.bias = nn.Parameter(torch.ones(c)), nn.Parameter(torch.zeros(c))
        self.running_mean: torch.Tensor
        self.running_var: torch.Tensor
        self.register_buffer("running_mean", torch.zeros(c))
        self.register_buffer("running_var", torch.ones(c))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3), unbiased=False)
            with torch.no_grad():
                self.running_mean.mul_(0.9).add_(0.1 * mean)
                self.running_var.mul_(0.9).add_(0.1 * var)
        else:
            mean, var = self.running_mean, self.running_var
        x = (x - mean[None, :, None, None]) / torch.sqrt(var[None, :, None, None] + 1e-5)
        return x * self.weight[None, :, None, None] + self.bias[None, :, None, None]


def test_a_batchnorm_written_by_hand_is_no_state_difference() -> None:
    model = resnet18(num_classes=10)
    model.bn1 = _HandBN(64)
    c = compare_traces(trace(resnet18(num_classes=10), (3, 64, 64)), trace(model, (3, 64, 64)),
                       reference_name="r", candidate_name="c", num_classes=10)  # fmt: skip
    # read as the BatchNorm it is (tracing/written_bn.py): its writes are that BatchNorm's training mode
    assert not any(r.kind is RegularizerKind.STATE_UPDATE for r in c.candidate.regularizers)
    assert any(op.kind is OpKind.BATCH_NORM and op.module_path == "bn1" for op in c.candidate.ops)
    assert not _state_findings(c)
    assert not [m for m in c.mismatches if m.kind.value == "regularizer" and "writing" in m.message]


def test_a_plain_resnet_runs_no_training_forward() -> None:
    model = resnet18(num_classes=10)
    assert not state_updates._may_write(model)


def test_the_buffers_are_put_back_after_the_training_forward() -> None:
    model = _Net("copy")
    before = {n: (b, b.clone()) for n, b in model.named_buffers()}
    written = state_updates.written_in_training(model, (1, 3, 32, 32), "cpu")
    assert written["stem"] == ("u", "v")
    for name, b in model.named_buffers():
        assert b is before[name][0] and torch.equal(b, before[name][1]), name
    assert not model.training
