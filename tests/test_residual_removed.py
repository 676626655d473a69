"""Every block's residual add removed (one line of a block class): named as that, at the forward line,
in either direction; a network that is not a ResNet keeps its own verdict."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from conftest import fixture_spec
from fixtures.catalog import BY_NAME
from fixtures.edits.catalog import EDITS
from torch import nn

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern


def _write(tmp_path: Path, name: str) -> tuple[str, str, int]:
    edit = next(e for e in EDITS if e.name == name)
    (tmp_path / "original.py").write_text(edit.original())
    (tmp_path / "edited.py").write_text(edit.edited())
    return f"{tmp_path / 'original.py'}:build", f"{tmp_path / 'edited.py'}:build", edit.line()


@pytest.mark.parametrize("name", ["cifar_removed_add", "tv_removed_add"])
def test_adds_removed_from_the_block_class_is_one_named_finding(name: str, tmp_path: Path) -> None:
    original, edited, line = _write(tmp_path, name)
    c = compare(build_model(edited, num_classes=6)[0], original, input_size=(3, 64, 64), num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.RESIDUAL_ADD_MISSING]
    finding = c.findings[0]
    assert finding.source is not None and abs(finding.source.line - line) <= 2
    assert "16 blocks" in finding.message


@pytest.mark.slow
def test_the_mirror_direction_names_the_extra_adds(tmp_path: Path) -> None:
    original, edited, _ = _write(tmp_path, "cifar_removed_add")
    c = compare(build_model(original, num_classes=6)[0], edited, input_size=(3, 64, 64), num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.RESIDUAL_ADD_MISSING]
    assert "(in the reference)" in c.findings[0].title


@pytest.mark.parametrize("name", ["other_vgg_style", "other_mobilenet_style"])
def test_networks_of_another_family_keep_their_verdict(name: str) -> None:
    f = BY_NAME[name]
    c = compare(
        build_model(fixture_spec(f), num_classes=6)[0], f.reference, input_size=f.input_size, num_classes=6
    )
    assert Pattern.RESIDUAL_ADD_MISSING not in {x.pattern for x in c.findings}


def _stage_without_adds(depth: int) -> nn.Module:
    """torchvision's ResNet-18 whose ``layer3`` blocks add nothing: each block's forward is its main
    path alone (the shortcut is never built into the result)."""
    from torchvision.models import resnet18
    from torchvision.models.resnet import BasicBlock

    class NoAdd(BasicBlock):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))))

    model = resnet18(num_classes=6)
    blocks = [NoAdd(128 if i == 0 else 256, 256, stride=2 if i == 0 else 1) for i in range(depth)]
    model.layer3 = nn.Sequential(*blocks)
    return model


def test_a_stage_that_lost_its_adds_aligns_block_by_block() -> None:
    """Two blocks without adds are two plain units, not one long block: no 'block counts', no extra
    module; the two missing adds are one finding."""
    c = compare(_stage_without_adds(2), "torchvision:resnet18", input_size=64, num_classes=6)
    blocks = c.candidate.structure.blocks
    assert [b.path for b in blocks if b.merge_op is None] == ["layer3.0", "layer3.1"]
    patterns = {f.pattern for f in c.findings}
    assert Pattern.BLOCK_COUNTS not in patterns and Pattern.EXTRA_MODULE not in patterns
    assert c.unexplained == () and len(c.findings) == 1


def test_a_run_of_single_convs_stays_one_plain_unit() -> None:
    """A VGG-style run (one conv per module) between two blocks is no row of lost blocks."""
    from torchvision.models import resnet18

    model = resnet18(num_classes=6)
    model.layer3 = nn.Sequential(*(nn.Sequential(nn.Conv2d(128 if i == 0 else 256, 256, 3, 2 if i == 0 else 1, 1),
                                                 nn.ReLU()) for i in range(3)))  # fmt: skip
    c = compare(model, "torchvision:resnet18", input_size=64, num_classes=6)
    assert sum(1 for b in c.candidate.structure.blocks if b.merge_op is None) == 1
