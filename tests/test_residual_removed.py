"""Every block's residual add removed (one line of a block class): named as that, at the forward line,
in either direction; a network that is not a ResNet keeps its own verdict."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import fixture_spec
from fixtures.catalog import BY_NAME
from fixtures.edits.catalog import EDITS

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
    assert [f.pattern for f in c.findings] == [Pattern.RESIDUAL_ADD_EXTRA]


@pytest.mark.parametrize("name", ["other_vgg_style", "other_mobilenet_style"])
def test_networks_of_another_family_keep_their_verdict(name: str) -> None:
    f = BY_NAME[name]
    c = compare(
        build_model(fixture_spec(f), num_classes=6)[0], f.reference, input_size=f.input_size, num_classes=6
    )
    assert Pattern.RESIDUAL_ADD_MISSING not in {x.pattern for x in c.findings}
    assert Pattern.RESIDUAL_ADD_EXTRA not in {x.pattern for x in c.findings}
