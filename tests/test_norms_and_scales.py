"""Normalization layers, weights computed in forward, and scaled residual branches: one finding per
cause, named from structure (module kinds, parameter-side ops, operands), either direction."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

REPO = Path(__file__).resolve().parents[1]
FILE = "tests/fixtures/quirky/norms_and_scales.py"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _compare(builder: str, *, swap: bool = False) -> Comparison:
    model, name = build_model(f"{FILE}:{builder}", num_classes=10, device="meta")
    if swap:
        return compare(build_model("resnet18", num_classes=10, device="meta")[0], f"{FILE}:{builder}",
                       input_size=64, num_classes=10)  # fmt: skip
    return compare(model, "resnet18", input_size=64, num_classes=10, candidate_name=name)


CASES = [
    ("group_norm", [Pattern.NORMALIZATION], "GroupNorm (32 groups"),
    ("frozen_bn", [Pattern.NORMALIZATION], "Frozen BatchNorm (ScaleShift) in place of BatchNorm"),
    ("std_conv", [Pattern.WEIGHT_STANDARDIZATION], "standardized in forward"),
    ("bit_style", [Pattern.NORMALIZATION, Pattern.WEIGHT_STANDARDIZATION], "GroupNorm"),
    ("layer_norm", [Pattern.NORMALIZATION], "ChannelsLastLayerNorm in place of BatchNorm"),
    ("no_norm", [Pattern.NORMALIZATION], "20 BatchNorm layers have nothing in their place"),
    ("silu", [Pattern.ACTIVATION], "17 ReLUs are silu"),
    ("leaky_stem", [Pattern.ACTIVATION], "17 ReLUs are leaky_relu"),
]


@pytest.mark.parametrize(("builder", "patterns", "text"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("swap", [False, True], ids=["candidate", "reference"])
def test_one_finding_per_cause(builder: str, patterns: list[Pattern], text: str, swap: bool) -> None:
    c = _compare(builder, swap=swap)
    assert sorted(f.pattern.value for f in c.findings) == sorted(p.value for p in patterns)
    claimed = {i for f in c.findings for i in f.mismatches}
    assert claimed == set(range(len(c.mismatches)))  # nothing left over, nothing split
    assert any(text in f.title + f.message for f in c.findings)


@pytest.mark.parametrize(
    ("builder", "phrase"),
    [
        ("scaled_branch", "a multiply by the constant 0.2, before the residual add"),
        ("rezero", "a multiply by a learned 1-value parameter (layer1.0.gate), before the residual add"),
    ],
)
def test_a_scaled_branch_is_described_by_what_multiplies_it(builder: str, phrase: str) -> None:
    c = _compare(builder)
    (finding,) = c.findings
    assert phrase in finding.message and "8 blocks" in finding.message


def test_parameter_side_ops_are_not_data_path_ops() -> None:
    model = build_model(f"{FILE}:std_conv", num_classes=10)[0]
    t = trace(model, 64)
    assert not [op for op in t.ops if op.name in ("mean", "var", "sqrt")]
    conv = next(op for op in t.ops if op.module_path == "conv1")
    # (the eps it adds is part of the step: two standardizations with other eps compute otherwise)
    assert dict(conv.attrs)[
        "param_ops"
    ] == "mean(dim=(1, 2, 3))→sub→var(dim=(1, 2, 3), correction=0)→add(1e-06)→sqrt→div" and conv.params == (
        "conv1.weight",
    )
    assert t.total_params == sum(p.numel() for p in model.parameters())


def test_a_plain_resnet_has_no_parameter_side_ops() -> None:
    from torchvision.models import resnet18

    t = trace(resnet18(), 64)
    assert all("param_ops" not in dict(op.attrs) for op in t.ops)


def test_a_learned_per_channel_scale_is_still_a_data_path_op() -> None:
    class LayerScale(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)
            self.gamma = nn.Parameter(torch.ones(1, 8, 1, 1))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv(x) * self.gamma

    t = trace(LayerScale(), 32)
    assert [op.name for op in t.ops] == ["conv2d", "mul"] and t.ops[1].params == ("gamma",)


def test_a_deep_stem_that_downsamples_with_a_strided_conv_is_one_finding() -> None:
    """Three 3x3 convs, then a stride-2 3x3 where torchvision has its max pool (timm's tiered stems)."""
    from torchvision.models import resnet18

    model = resnet18(num_classes=10)

    def conv_bn(cin: int, cout: int, stride: int) -> list[nn.Module]:
        return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]

    model.conv1 = nn.Sequential(*conv_bn(3, 32, 2), *conv_bn(32, 32, 1), *conv_bn(32, 64, 1))
    model.bn1, model.relu = nn.Identity(), nn.Identity()
    model.maxpool = nn.Sequential(*conv_bn(64, 64, 2))
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.DEEP_STEM]
    assert "stride-2 3x3 conv where the other has its max pool" in c.findings[0].message
    assert set(c.findings[0].mismatches) == set(range(len(c.mismatches)))


def test_every_parameter_a_computed_weight_comes_from_is_used() -> None:
    """A scaled standardized conv (weight and a per-filter gain, combined in forward): the gain is
    used, so it is never reported as a parameter the forward leaves unused."""

    class GainConv(nn.Conv2d):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.gain = nn.Parameter(torch.ones(self.out_channels, 1, 1, 1))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            w = self.weight - self.weight.mean(dim=(1, 2, 3), keepdim=True)
            return nn.functional.conv2d(x, w * self.gain, self.bias, self.stride, self.padding)

    model = nn.Sequential(GainConv(3, 8, 3, padding=1), nn.ReLU())
    t = trace(model, 32)
    assert set(t.ops[0].params) == {"0.weight", "0.gain", "0.bias"}
    c = compare(model, "tests/fixtures/quirky/norms_and_scales.py:std_conv", input_size=32, num_classes=10)
    assert not [m for m in c.mismatches if "never used" in m.message]


class _AbsConv(nn.Conv2d):
    """A weight transform nobody named (non-negative filters): described, not called standardization."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.conv2d(x, self.weight.abs(), self.bias, self.stride, self.padding)


def _abs_convs(model: nn.Module) -> nn.Module:
    for child in model.modules():
        if type(child) is nn.Conv2d:
            child.__class__ = _AbsConv  # same weights and settings, the forward transforms them
    return model


def test_an_unknown_weight_transform_is_described_as_computed_in_forward() -> None:
    model = _abs_convs(build_model("resnet18", num_classes=10)[0])
    c = compare(model, "resnet18", input_size=32, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.PARAM_OPS]
    assert "abs" in c.findings[0].message and not c.unexplained


def test_weights_used_as_stored_are_not_computed_in_forward() -> None:
    c = compare(build_model("resnet18", num_classes=10)[0], "resnet18", input_size=32, num_classes=10)
    assert Pattern.PARAM_OPS not in {f.pattern for f in c.findings} and not c.mismatches


class _OpsLayerNorm2d(nn.Module):
    """A LayerNorm over channels written as tensor ops, as ConvNeXt ports write it."""

    def __init__(self, channels: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


def test_a_norm_written_as_tensor_ops_is_one_normalization_layer() -> None:
    from torchvision.models.resnet import BasicBlock, ResNet

    from resnet_verify.tracing.records import OpKind

    model = ResNet(BasicBlock, [2, 2, 2, 2], num_classes=10, norm_layer=_OpsLayerNorm2d)
    t = trace(model, 32)
    assert sum(op.kind is OpKind.NORM for op in t.ops) == 20  # one per BatchNorm it replaces
    c = compare(model, "resnet18", input_size=32, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.NORMALIZATION] and not c.unexplained
    assert "_OpsLayerNorm2d in place of BatchNorm" in c.findings[0].title


def test_a_scale_and_shift_alone_is_not_a_norm_written_as_ops() -> None:
    from resnet_verify.tracing.records import OpKind

    model = build_model("tests/fixtures/quirky/norms_and_scales.py:scaled_branch", num_classes=10)[0]
    assert not any(op.kind is OpKind.NORM for op in trace(model, 32).ops)


class _FrozenBN(nn.Module):
    """detectron2's FrozenBatchNorm2d: F.batch_norm on buffers only."""

    def __init__(self, n: int) -> None:
        super().__init__()
        for name, value in (("weight", 1.0), ("bias", 0.0), ("running_mean", 0.0), ("running_var", 1.0)):
            self.register_buffer(name, torch.full((n,), value))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean, var, weight, bias = (
            self.get_buffer(n) for n in ("running_mean", "running_var", "weight", "bias")
        )
        return nn.functional.batch_norm(x, mean, var, weight, bias, False)


def _frozen_stem(affine_free: bool) -> nn.Module:
    import torchvision

    model = torchvision.models.resnet18(num_classes=10)
    model.bn1 = nn.BatchNorm2d(64, affine=False) if affine_free else _FrozenBN(64)
    return model


def test_frozen_first_stages_are_frozen_bn_and_an_affine_free_bn_is_not() -> None:
    """FREEZE_AT: only the stem's BN frozen is still the cause; BatchNorm2d(affine=False) holds
    running statistics only, a BN without scale and shift, not a frozen one."""
    c = compare(_frozen_stem(False), "resnet18", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [Pattern.NORMALIZATION] and not c.unexplained
    assert "Only part of the network is frozen" in c.findings[0].message
    free = compare(_frozen_stem(True), "resnet18", input_size=64, num_classes=10)
    assert not any("Frozen" in f.title for f in free.findings)


class _Standardize(nn.Module):
    """A user's ``parametrize`` module: (W - mean) / (std + eps) per filter (DP-SGD recipes)."""

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        m = w.mean(dim=(1, 2, 3), keepdim=True)
        return (w - m) / (w.std(dim=(1, 2, 3), keepdim=True) + 1e-5)


class _StandardizeByVarMean(nn.Module):
    """timm's StdConv2d spelling: the variance and mean in one call, eps added to the variance."""

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        var, mean = torch.var_mean(w, dim=(1, 2, 3), keepdim=True, unbiased=False)
        return (w - mean) / torch.sqrt(var + 1e-5)


class _Doubled(nn.Module):
    def forward(self, w: torch.Tensor) -> torch.Tensor:
        return w * 2


def _parametrized(transform: type[nn.Module]) -> nn.Module:
    from torch.nn.utils import parametrize

    model = build_model("resnet18", num_classes=10)[0]
    for child in model.modules():
        if isinstance(child, nn.Conv2d):
            parametrize.register_parametrization(child, "weight", transform())
    return model


def test_a_parametrize_module_is_read_by_the_ops_it_runs() -> None:
    ws = compare(_parametrized(_Standardize), "resnet18", input_size=32, num_classes=10)
    assert [f.pattern for f in ws.findings] == [Pattern.WEIGHT_STANDARDIZATION], [
        f.title for f in ws.findings
    ]
    by_var_mean = compare(_parametrized(_StandardizeByVarMean), "resnet18", input_size=32, num_classes=10)
    assert [f.pattern for f in by_var_mean.findings] == [Pattern.WEIGHT_STANDARDIZATION]
    doubled = compare(_parametrized(_Doubled), "resnet18", input_size=32, num_classes=10).findings
    assert [f.pattern for f in doubled] == [Pattern.PARAM_OPS] and "mul" in doubled[0].message


class _CountedStandardize(_Standardize):
    """A parametrization with state of its own (as a power iteration keeps vectors): reading its steps
    must not advance it, on the user's model or on the traced copy's folded weight."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: torch.Tensor
        self.register_buffer("calls", torch.zeros(()))

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        return super().forward(w)


def test_reading_a_parametrization_runs_it_on_a_copy() -> None:
    from torch.nn.utils import parametrize

    from resnet_verify.specs.usercode import strip_reparametrizations

    conv, state = nn.Conv2d(3, 4, 3), _CountedStandardize()
    parametrize.register_parametrization(conv, "weight", state)
    before = state.calls.item()
    steps = strip_reparametrizations(conv)
    assert steps == {
        "weight": "mean(dim=(1, 2, 3))→sub→std(dim=(1, 2, 3))→add(1e-05)→div"
    }  # the weight's steps, not the counter's add_
    assert state.calls.item() == before + 1  # only the fold itself ran it (remove_parametrizations)


class _ScaledSignConv(nn.Conv2d):
    """XNOR-Net's binary conv: sign(W) times mean |W|, per filter or (``per_layer``) one for the layer."""

    per_layer = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight
        scale = w.abs().mean() if self.per_layer else w.abs().mean(dim=(1, 2, 3), keepdim=True)
        return self._conv_forward(x, torch.sign(w) * scale, self.bias)


def _xnor(per_layer: bool) -> nn.Module:
    conv = _ScaledSignConv(3, 8, 3)
    conv.per_layer = per_layer
    return nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))


def test_the_axes_a_weight_is_reduced_over_are_compared() -> None:
    def chains(ref: nn.Module, cand: nn.Module) -> list[tuple[object, object]]:
        from resnet_verify.verify.comparison import compare_traces

        c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                           num_classes=4)  # fmt: skip
        return [(m.expected, m.actual) for m in c.mismatches if m.field == "param_ops"]

    assert not chains(_xnor(False), _xnor(False))
    # one scale for the layer where each filter has its own: compared clean before
    assert chains(_xnor(False), _xnor(True)) == [("sign→abs→mean(dim=(1, 2, 3))→mul", "sign→abs→mean→mul")]
