"""Train-mode regularizers (dropout, channel dropout, drop path / stochastic depth, DropBlock) are part
of the architecture: the eval-mode trace records them, the diff reports them in both directions, and
one finding per cause names the kind, p and place, with a fix taken from the reference."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from types import ModuleType

import pytest
import torch
import torch.nn.functional as F
from fixtures.catalog import BY_NAME, defect_line, path_of
from torch import nn
from torchvision.models import resnet18, resnet50
from torchvision.models.resnet import BasicBlock, ResNet
from torchvision.ops import StochasticDepth

from resnet_verify.cli.main import main
from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import Part, RegularizerKind, Trace
from resnet_verify.tracing.regularizers import regularizer_of
from resnet_verify.tracing.serialize import decode, encode
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare, compare_traces
from resnet_verify.verify.records import MismatchKind, Pattern

REGULARIZER_PATTERNS = {Pattern.DROPOUT, Pattern.STOCHASTIC_DEPTH, Pattern.DROP_BLOCK}


def _fixture_module(name: str) -> ModuleType:
    # By name: a static import would make mypy check the fixture, which stands for users' code.
    return importlib.import_module(f"fixtures.models.{name}")


def _on_meta(build: Callable[..., nn.Module], **kwargs: object) -> nn.Module:
    with torch.device("meta"):
        return build(**kwargs)


def _vs(candidate: nn.Module, reference: nn.Module, size: int = 64) -> Comparison:
    return compare_traces(
        trace(reference, size),
        trace(candidate, size),
        reference_name="ref",
        candidate_name="cand",
        num_classes=6,
    )


def _regularizer_findings(c: Comparison) -> list:
    return [f for f in c.findings if f.pattern in REGULARIZER_PATTERNS]


def _with_head(model: ResNet, *layers: nn.Module) -> nn.Module:
    model.fc = nn.Sequential(*layers, model.fc)  # a Sequential in place of the Linear, as users do
    return model


# --- the two catalogued fixtures --------------------------------------------------------------------


def test_dropout_head_is_one_finding_at_its_line() -> None:
    f = BY_NAME["broken_dropout_head"]
    model, _ = build_model(f"{path_of(f)}:build", num_classes=6, device="meta")
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    assert [m.kind for m in c.mismatches] == [MismatchKind.REGULARIZER]
    (finding,) = c.findings
    assert finding.pattern is Pattern.DROPOUT and finding.mismatches == (0,)
    assert "Dropout(p=0.5) before the classifier in the candidate" in finding.message
    assert "the reference has none" in finding.message
    assert finding.source is not None and finding.source.line == defect_line(f)
    assert finding.suggestion is not None and "remove the Dropout" in finding.suggestion


def test_dropout_head_exits_1_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    spec = f"{path_of(BY_NAME['broken_dropout_head'])}:build"
    assert main(["compare", "--model", spec, "--input-size", "64", "--num-classes", "6"]) == 1
    assert "[dropout]" in capsys.readouterr().out


def test_stochastic_depth_in_every_block_is_one_finding_with_count_and_range() -> None:
    f = BY_NAME["broken_stochastic_depth"]
    model, _ = build_model(f"{path_of(f)}:build", num_classes=6, device="meta")
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    (finding,) = c.findings
    assert finding.pattern is Pattern.STOCHASTIC_DEPTH
    assert len(finding.mismatches) == len(c.mismatches) == 15  # block 0 has DropPath(0.0): a no-op
    assert "15 of 16 blocks (layer1.1 … layer4.2)" in finding.message
    assert "p rising linearly 0.003333→0.05" in finding.message and "drop_path_rate=0.05" in finding.message
    assert finding.source is not None and finding.source.line == defect_line(f)
    assert {m.region for m in c.mismatches} == {c.mismatches[0].region} and c.mismatches[0].block is not None


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("broken_stochastic_depth", {"drop_path_rate": 0.0}),  # DropPath(0.0) in every block
        ("broken_stochastic_depth", {"drop_path_rate": 0.0, "skip_zero": True}),  # nn.Identity instead
        ("broken_dropout_head", {"dropout": 0.0}),
    ],
    ids=["droppath-zero", "identity", "dropout-zero"],
)
def test_a_zero_rate_is_no_regularizer(name: str, kwargs: dict[str, object]) -> None:
    model = _on_meta(_fixture_module(name).build, num_classes=6, **kwargs)
    assert trace(model, 64).regularizers == ()
    c = compare(model, "resnet50", input_size=64, num_classes=6)
    assert c.ok and c.findings == ()


@pytest.mark.parametrize("name", ["broken_dropout_head", "broken_stochastic_depth"])
def test_the_reference_holding_it_reads_the_other_way(name: str) -> None:
    plain = _on_meta(resnet50, num_classes=6)
    c = compare(plain, f"{path_of(BY_NAME[name])}:build", input_size=64, num_classes=6)
    (finding,) = c.findings
    assert "missing in the candidate" in finding.title and "the candidate has none" in finding.message
    fix = finding.suggestion or ""
    if name == "broken_dropout_head":
        assert fix.startswith("fc") and "add nn.Dropout(p=0.5) before the classifier" in fix
    else:
        assert "add DropPath with p rising linearly 0.003333→0.05" in fix and "drop_path_rate=0.05" in fix


def test_torchvision_resnet50_against_itself_is_clean() -> None:
    c = compare(_on_meta(resnet50, num_classes=6), "resnet50", input_size=64, num_classes=6)
    assert c.ok and c.findings == () and c.reference.regularizers == c.candidate.regularizers == ()


# --- spellings: modules, functional calls, third-party classes ------------------------------------


class _FunctionalDropoutResNet(ResNet):
    """torchvision's resnet18 with dropout called in forward, as timm's ResNet does (drop_rate)."""

    def __init__(self) -> None:
        super().__init__(BasicBlock, [2, 2, 2, 2], num_classes=6)

    def _forward_impl(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(F.dropout(x, p=0.2, training=self.training))


def test_functional_dropout_in_forward_is_found_at_its_call() -> None:
    c = _vs(_FunctionalDropoutResNet(), resnet18(num_classes=6))
    (finding,) = c.findings
    assert "F.dropout(p=0.2) before the classifier" in finding.message
    line = next(n for n, text in enumerate(inspect.getsource(_FunctionalDropoutResNet).splitlines())
                if "F.dropout" in text) + inspect.getsourcelines(_FunctionalDropoutResNet)[1]  # fmt: skip
    assert finding.source is not None and finding.source.line == line


def test_another_rate_and_another_kind_at_the_same_place() -> None:
    ref = _with_head(resnet18(num_classes=6), nn.Dropout(0.5))
    rate = _vs(_with_head(resnet18(num_classes=6), nn.Dropout(0.2)), ref)
    assert [(m.field, m.expected, m.actual) for m in rate.mismatches] == [("p", 0.5, 0.2)]
    assert "at another rate" in rate.findings[0].title and "set p=0.5" in (rate.findings[0].suggestion or "")
    kind = _vs(_with_head(resnet18(num_classes=6), nn.AlphaDropout(0.5)), ref)
    assert [m.field for m in kind.mismatches] == ["kind"]
    assert "replace the AlphaDropout with nn.Dropout(p=0.5)" in (kind.findings[0].suggestion or "")


def _stochastic_depth_resnet18(p: float) -> nn.Module:
    model = resnet18(num_classes=6)
    for stage in (model.layer1, model.layer2, model.layer3, model.layer4):
        for block in stage:
            block.bn2 = nn.Sequential(block.bn2, StochasticDepth(p, "row"))
    return model


def test_torchvision_stochastic_depth_and_channel_dropout_are_recognised() -> None:
    t = trace(_stochastic_depth_resnet18(0.1), 32)
    assert [(r.kind, r.part, r.block) for r in t.regularizers] == [
        (RegularizerKind.DROP_PATH, Part.BLOCK, i) for i in range(8)
    ]
    model = resnet18(num_classes=6)
    model.layer3 = nn.Sequential(model.layer3, nn.Dropout2d(0.1))
    (reg,) = trace(model, 32).regularizers
    assert (reg.kind, reg.part, reg.p, reg.path) == (
        RegularizerKind.CHANNEL_DROPOUT,
        Part.BLOCK,
        0.1,
        "layer3.1",
    )
    c = _vs(_stochastic_depth_resnet18(0.1), resnet18(num_classes=6), size=32)
    assert [f.pattern for f in c.findings] == [Pattern.STOCHASTIC_DEPTH] and len(c.mismatches) == 8


class DropBlock2d(nn.Module):  # a third-party class, known only by its name and its probability
    def __init__(self, drop_prob: float = 0.1, block_size: int = 7) -> None:
        super().__init__()
        self.drop_prob, self.block_size = drop_prob, block_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x  # eval mode: the identity, as every DropBlock is


class DropPath(nn.Module):  # named like one, but keeps no probability
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class DropPathBottleneck(nn.Module):  # a block that carries a drop path: it owns parameters
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 1)
        self.drop_prob = 0.1


def test_third_party_classes_are_recognised_by_name_and_probability() -> None:
    assert regularizer_of(DropBlock2d(0.1)) == (RegularizerKind.DROP_BLOCK, 0.1)
    assert regularizer_of(DropBlock2d(0.0)) == (RegularizerKind.DROP_BLOCK, 0.0)  # found, then skipped
    assert regularizer_of(DropPath()) is None
    assert regularizer_of(DropPathBottleneck()) is None
    assert regularizer_of(nn.AlphaDropout(0.1)) == (RegularizerKind.ALPHA_DROPOUT, 0.1)
    assert regularizer_of(nn.Identity()) is None


class SkipBranch(nn.Module):  # no telling name: a per-sample mask drawn while training
    def __init__(self, survival: float) -> None:
        super().__init__()
        self.survival = survival

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return x
        mask = torch.rand(x.shape[0], 1, 1, 1, device=x.device) < self.survival
        return x * mask / self.survival


class Noise(nn.Module):  # elementwise, no per-sample mask: plain dropout written by hand
    def __init__(self, keep: float) -> None:
        super().__init__()
        self.keep = keep

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rand_like(x).lt(self.keep) / self.keep if self.training else x


class Scale(nn.Module):  # a number in [0, 1] and no randomness: not a regularizer
    def __init__(self) -> None:
        super().__init__()
        self.factor = 0.5

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.factor


def test_hand_written_regularizers_are_recognised_by_what_their_forward_does() -> None:
    assert regularizer_of(SkipBranch(0.9)) == (RegularizerKind.DROP_PATH, pytest.approx(0.1))
    assert regularizer_of(Noise(0.8)) == (RegularizerKind.DROPOUT, pytest.approx(0.2))
    assert regularizer_of(Scale()) is None


def test_drop_block_in_some_blocks_is_one_finding() -> None:
    model = resnet18(num_classes=6)
    for block in (*model.layer3, *model.layer4):
        block.bn1 = nn.Sequential(block.bn1, DropBlock2d(0.1, 3))
    c = _vs(model, resnet18(num_classes=6), size=32)
    (finding,) = c.findings
    assert finding.pattern is Pattern.DROP_BLOCK and len(finding.mismatches) == 4
    assert "DropBlock2d with p=0.1 in 4 of 8 blocks (layer3.0 … layer4.1)" in finding.message


# --- records ----------------------------------------------------------------------------------------


def test_regularizers_survive_serialisation_and_agree_across_devices() -> None:
    build = _fixture_module("broken_stochastic_depth").build
    model = build(num_classes=6)
    cpu, meta = trace(model, 32, device="cpu"), trace(model, 32, device="meta")
    assert len(cpu.regularizers) == 15 and cpu.regularizers == meta.regularizers
    assert decode(Trace, encode(cpu)) == cpu


# --- timm -------------------------------------------------------------------------------------------


def test_timm_resnet50_has_no_regularizer_but_drop_path_rate_fires() -> None:
    timm = pytest.importorskip("timm")
    plain = trace(timm.create_model("resnet50", pretrained=False, num_classes=6), 64)
    assert plain.regularizers == ()
    c = compare(
        timm.create_model("resnet50", pretrained=False, num_classes=6),
        "resnet50",
        input_size=64,
        num_classes=6,
    )
    assert not any(m.kind is MismatchKind.REGULARIZER for m in c.mismatches)
    deep = trace(timm.create_model("resnet50", pretrained=False, num_classes=6, drop_path_rate=0.1), 64)
    c = compare_traces(
        plain, deep, reference_name="timm:resnet50", candidate_name="drop_path_rate=0.1", num_classes=6
    )
    assert [f.pattern for f in c.findings] == [Pattern.STOCHASTIC_DEPTH]
    assert "drop_path_rate=0.1" in c.findings[0].message and len(c.mismatches) == 15


class _SkipWhole(BasicBlock):
    """A block that draws once whether to run (kept in a name, tested later: Composer's stochastic
    depth); in eval the branch is scaled by its survival rate."""

    drop_rate = 0.1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        keep = True
        if self.training:
            keep = bool(torch.bernoulli(torch.full((), 1 - self.drop_rate)))
        skip = self.downsample(x) if self.downsample is not None else x
        if not keep:
            return skip
        return torch.relu(skip + self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))


class _MaskElements(BasicBlock):
    """A drawn mask on elements, kept in a name and multiplied in: dropout, not a skipped block."""

    drop_rate = 0.1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        if self.training:
            mask = torch.bernoulli(torch.full_like(out, 1 - self.drop_rate))
            out = out * mask
        return torch.relu((self.downsample(x) if self.downsample is not None else x) + out)


@pytest.mark.parametrize(
    ("block", "pattern"), [(_SkipWhole, Pattern.STOCHASTIC_DEPTH), (_MaskElements, Pattern.DROPOUT)]
)
def test_a_draw_kept_in_a_name_then_tested_skips_the_block_whole(
    block: type[nn.Module], pattern: Pattern
) -> None:
    with torch.device("meta"):
        model = resnet18(num_classes=10)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for b in layer:
            b.__class__ = block
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert [f.pattern for f in c.findings] == [pattern], [f.title for f in c.findings]


def test_two_dropouts_in_a_block_count_the_block_once() -> None:
    """Ribeiro's ECG units carry two dropouts each: the place counts blocks, not dropouts."""
    from torch import nn
    from torchvision.models import resnet18
    from torchvision.models.resnet import BasicBlock

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import compare_traces

    class Dropped(BasicBlock):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = nn.functional.dropout(self.relu(self.bn1(self.conv1(x))), 0.2, self.training)
            out = nn.functional.dropout(self.bn2(self.conv2(out)), 0.2, self.training)
            return self.relu(out + (self.downsample(x) if self.downsample is not None else x))

    cand = resnet18(num_classes=10)
    for i in (0, 1):
        cand.layer1[i].__class__ = Dropped
    c = compare_traces(trace(resnet18(num_classes=10), 64), trace(cand, 64), reference_name="a",
                       candidate_name="b", num_classes=10)  # fmt: skip
    assert any("4 in 2 of 8 blocks" in f.message for f in c.findings), [f.message for f in c.findings]
