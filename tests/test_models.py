"""The hand-written ResNet family: torchvision parity, v1 stride placement, plans, wiring checks."""

from __future__ import annotations

import dataclasses
import itertools
from typing import TypeVar

import pytest
import torch
import torchvision
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from resnet_verify import models
from resnet_verify.models.resnet import (
    MODEL_BUILDERS,
    BasicBlock,
    Bottleneck,
    ResNet,
    StagePlan,
    feature_info,
    reference_name_for,
    stage_plans,
)

B = TypeVar("B", BasicBlock, Bottleneck)


def _block(model: nn.Module, stage: str, index: int, kind: type[B]) -> B:
    """``model.<stage>[index]``, checked to be a ``kind``: stages are registered by name, so untyped."""
    block = model.get_submodule(f"{stage}.{index}")
    assert isinstance(block, kind), type(block)
    return block


def _on_meta(name: str) -> tuple[ResNet, nn.Module]:
    with torch.device("meta"):
        ours = MODEL_BUILDERS[name]()
        ref = getattr(torchvision.models, reference_name_for(name))()
    return ours, ref


def _randomize_bn(model: nn.Module, seed: int) -> None:
    """Non-trivial BN statistics and affine parameters, so parity tests see every BN."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                assert m.running_mean is not None and m.running_var is not None  # tracked by default
                m.weight.copy_(torch.rand(n, generator=gen) * 0.5 + 0.75)
                m.bias.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=gen) * 0.5 + 0.75)


@pytest.mark.parametrize("name", sorted(MODEL_BUILDERS))
def test_state_dict_matches_torchvision_keys_and_shapes(name: str) -> None:
    ours, ref = _on_meta(name)
    ours_sd, ref_sd = ours.state_dict(), ref.state_dict()
    extra = [k for k in ours_sd if k not in ref_sd]
    if name.endswith("_keras"):  # keras.applications' twins: torchvision's keys plus a bias per conv
        convs = {f"{path}.bias" for path, m in ours.named_modules() if isinstance(m, nn.Conv2d)}
        assert extra and set(extra) == convs
        ours_sd = {k: v for k, v in ours_sd.items() if k not in convs}
    assert list(ours_sd) == list(ref_sd)  # same keys, same order
    assert {k: v.shape for k, v in ours_sd.items()} == {k: v.shape for k, v in ref_sd.items()}
    result = ours.load_state_dict(ref_sd, strict=not extra)
    assert sorted(result.missing_keys) == sorted(extra) and not result.unexpected_keys


def test_resnet50_parameter_count() -> None:
    with torch.device("meta"):
        model = models.resnet50()
    assert sum(p.numel() for p in model.parameters()) == 25_557_032


def test_module_names_follow_torchvision() -> None:
    ours, _ = _on_meta("resnet50")
    top = [name for name, _ in ours.named_children()]
    assert top == ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"]
    assert isinstance(ours.avgpool, nn.AdaptiveAvgPool2d) and ours.avgpool.output_size == (1, 1)
    assert isinstance(ours.layer1, nn.Sequential) and isinstance(ours.layer1[0], Bottleneck)
    downsample = _block(ours, "layer2", 0, Bottleneck).downsample
    assert isinstance(downsample, nn.Sequential)
    assert isinstance(downsample[0], nn.Conv2d)
    assert isinstance(downsample[1], nn.BatchNorm2d)


@pytest.fixture(scope="module")
def resnet50_pair() -> tuple[ResNet, nn.Module]:
    torch.manual_seed(0)
    ref = torchvision.models.resnet50(num_classes=10).eval()
    _randomize_bn(ref, seed=1)
    ours = models.resnet50(num_classes=10).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref


def test_resnet18_outputs_match_torchvision_at_64() -> None:
    torch.manual_seed(0)
    ref = torchvision.models.resnet18(num_classes=7).eval()
    _randomize_bn(ref, seed=2)
    ours = models.resnet18(num_classes=7).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("size", [64, 224])
def test_resnet50_outputs_match_torchvision(resnet50_pair: tuple[ResNet, nn.Module], size: int) -> None:
    ours, ref = resnet50_pair
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(size))
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=1e-5)


def test_v1_puts_the_stride_on_the_first_1x1(resnet50_pair: tuple[ResNet, nn.Module]) -> None:
    v15, ref = resnet50_pair
    v1 = models.resnet50_v1(num_classes=10).eval()
    v1.load_state_dict(ref.state_dict(), strict=True)  # same weights, different computation
    for stage in ("layer2", "layer3", "layer4"):
        first = getattr(v1, stage)[0]
        assert first.conv1.stride == (2, 2) and first.conv2.stride == (1, 1)
        assert getattr(v15, stage)[0].conv2.stride == (2, 2)
        assert getattr(v15, stage)[0].conv1.stride == (1, 1)
        assert first.downsample[0].stride == (2, 2)  # the projection strides in both variants
    assert _block(v1, "layer1", 0, Bottleneck).conv1.stride == (1, 1)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        assert v1(x).shape == v15(x).shape
        assert not torch.allclose(v1(x), v15(x), atol=1e-4)
    with torch.device("meta"):
        assert _block(models.resnet50(stride_in="1x1"), "layer3", 0, Bottleneck).conv1.stride == (2, 2)


def test_basic_block_ignores_stride_in() -> None:
    with torch.device("meta"):
        model = models.resnet18(stride_in="1x1")
    block = _block(model, "layer2", 0, BasicBlock)
    assert block.conv1.stride == (2, 2) and block.conv2.stride == (1, 1)


@pytest.mark.parametrize("size", [32, 33, 100])
def test_any_input_size_from_32_works(size: int) -> None:
    model = models.resnet18(num_classes=5).eval()
    with torch.no_grad():
        assert model(torch.randn(1, 3, size, size + 7)).shape == (1, 5)


def test_in_channels_option() -> None:
    model = models.resnet18(num_classes=4, in_channels=1).eval()
    assert model.conv1.in_channels == 1
    with torch.no_grad():
        assert model(torch.randn(2, 1, 32, 32)).shape == (2, 4)


def test_zero_init_residual_makes_blocks_start_as_identity() -> None:
    torch.manual_seed(0)
    model = models.resnet18(num_classes=3, zero_init_residual=True).eval()
    for block in model.modules():
        if isinstance(block, (BasicBlock, Bottleneck)):
            assert torch.count_nonzero(block.last_bn.weight) == 0
    assert torch.all(_block(model, "layer1", 0, BasicBlock).bn1.weight == 1)
    x = torch.randn(1, 64, 8, 8)
    with torch.no_grad():
        torch.testing.assert_close(_block(model, "layer1", 1, BasicBlock)(x.clone()), torch.relu(x))
    with torch.device("meta"):
        assert _block(models.resnet50(zero_init_residual=True), "layer3", 2, Bottleneck).bn3 is not None


def test_init_matches_torchvision_scheme() -> None:
    torch.manual_seed(0)
    model = models.resnet18()
    # kaiming normal, fan_out: std = sqrt(2 / (out * k * k))
    conv = _block(model, "layer3", 0, BasicBlock).conv1
    expected_std = (2.0 / (conv.out_channels * 9)) ** 0.5
    assert abs(conv.weight.std().item() / expected_std - 1) < 0.05
    assert torch.all(model.bn1.weight == 1) and torch.all(model.bn1.bias == 0)


def test_a_few_training_steps_reduce_the_loss() -> None:
    torch.manual_seed(0)
    model = models.resnet18(num_classes=3)
    x, y = torch.randn(8, 3, 32, 32), torch.randint(0, 3, (8,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(4):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]


def test_stage_plan_is_data() -> None:
    plans = stage_plans(Bottleneck, [3, 4, 6, 3])
    assert [p.out_channels for p in plans] == [256, 512, 1024, 2048]
    assert [p.in_channels for p in plans] == [64, 256, 512, 1024]
    assert [p.stride for p in plans] == [1, 2, 2, 2]
    assert [p.reduction for p in plans] == [4, 8, 16, 32]
    assert all(p.needs_projection for p in plans)  # layer1 widens 64 -> 256
    assert not stage_plans(BasicBlock, [2, 2, 2, 2])[0].needs_projection
    assert stage_plans(Bottleneck, [3, 4, 6, 3], width_per_group=4, groups=32)[0].mid_channels == 128
    with pytest.raises(dataclasses.FrozenInstanceError):
        plans[0].blocks = 9  # type: ignore[misc]
    with torch.device("meta"):
        assert models.resnet50().stage_plan == plans


def test_feature_info() -> None:
    with torch.device("meta"):
        info = feature_info(models.resnext50_32x4d())
    assert [(i.module, i.num_chs, i.reduction) for i in info] == [
        ("relu", 64, 2), ("layer1", 256, 4), ("layer2", 512, 8), ("layer3", 1024, 16), ("layer4", 2048, 32),
    ]  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(
    bottleneck=st.booleans(),
    layers=st.lists(st.integers(1, 40), min_size=4, max_size=4),
    groups=st.sampled_from([1, 32, 64]),
    width_per_group=st.sampled_from([4, 8, 64, 128]),
)
def test_stage_plans_chain(bottleneck: bool, layers: list[int], groups: int, width_per_group: int) -> None:
    block = Bottleneck if bottleneck else BasicBlock
    if not bottleneck:
        groups, width_per_group = 1, 64
    plans = stage_plans(block, layers, width_per_group, groups)
    assert [p.blocks for p in plans] == layers
    assert plans[0].in_channels == 64
    for prev, cur in itertools.pairwise(plans):
        assert cur.in_channels == prev.out_channels and cur.reduction >= prev.reduction
    assert all(p.out_channels > 0 and p.mid_channels > 0 for p in plans)


def test_reference_name_for() -> None:
    assert reference_name_for("resnet50_v1") == "resnet50"
    assert reference_name_for("resnet18") == "resnet18"
    assert reference_name_for("wide_resnet50_2") == "wide_resnet50_2"
    assert all(hasattr(torchvision.models, reference_name_for(n)) for n in MODEL_BUILDERS)
    with pytest.raises(KeyError, match="resnet7"):
        reference_name_for("resnet7")


def _one_line_value_error(fn, *args, **kwargs) -> str:
    with torch.device("meta"), pytest.raises(ValueError) as info:
        fn(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_bottleneck_without_projection_is_rejected() -> None:
    msg = _one_line_value_error(Bottleneck, 128, 64)
    assert msg == "Bottleneck: in_channels 128 != out_channels 256 and no downsample projection"


def test_stride_without_projection_is_rejected() -> None:
    assert "stride 2" in _one_line_value_error(Bottleneck, 256, 64, 2)
    assert "stride 2" in _one_line_value_error(BasicBlock, 64, 64, 2)


def test_basic_block_channel_mismatch_is_rejected() -> None:
    assert "in_channels 64 != out_channels 128" in _one_line_value_error(BasicBlock, 64, 128)


def test_projection_with_wrong_channels_is_rejected() -> None:
    bad = nn.Sequential(nn.Conv2d(64, 128, 1, stride=2, bias=False), nn.BatchNorm2d(128))
    assert "downsample gives 128 channels but the main path gives 512" in _one_line_value_error(
        Bottleneck, 64, 128, 2, downsample=bad
    )
    wrong_in = nn.Sequential(nn.Conv2d(32, 512, 1, stride=2, bias=False), nn.BatchNorm2d(512))
    assert "takes 32 channels" in _one_line_value_error(Bottleneck, 64, 128, 2, downsample=wrong_in)
    good = nn.Sequential(nn.Conv2d(64, 512, 1, stride=2, bias=False), nn.BatchNorm2d(512))
    with torch.device("meta"):
        Bottleneck(64, 128, 2, downsample=good)


def test_bad_options_are_rejected() -> None:
    assert "stride_in" in _one_line_value_error(Bottleneck, 256, 64, stride_in="2x2")
    assert "stride_in" in _one_line_value_error(models.resnet50, stride_in="3X3")
    assert "groups=1" in _one_line_value_error(BasicBlock, 64, 64, groups=32)
    assert "4 block counts" in _one_line_value_error(ResNet, Bottleneck, [3, 4, 6])
    assert "at least one block" in _one_line_value_error(ResNet, BasicBlock, [2, 0, 2, 2])
    assert "num_classes" in _one_line_value_error(models.resnet18, num_classes=0)


def test_stage_plan_fields() -> None:
    assert [f.name for f in dataclasses.fields(StagePlan)] == [
        "name", "blocks", "in_channels", "width", "mid_channels", "out_channels", "stride", "reduction",
    ]  # fmt: skip
