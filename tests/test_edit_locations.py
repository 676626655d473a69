"""Single edits of hand-written ResNets (tests/fixtures/edits) point at the edited line, +-2: edits in
``forward`` at the forward line, a value passed one or more calls up at that call (issue #29).

Each edited model is compared with its own unedited original, as a pull request would be. What the
report points at: every finding's line, or, when nothing names the difference, its first mismatch.
With a user-code reference the two sides' construction frames are compared value by value
(``verify/locate.py``): a list literal in ``build()``, a changed default, a class constant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.edits.catalog import EDITS, TOLERANCE, Edit

from resnet_verify.specs.builders import build_model
from resnet_verify.specs.sources import SourceLoc
from resnet_verify.verify.comparison import compare


def _pointed_at(edit: Edit, tmp_path: Path) -> list[SourceLoc | None]:
    (tmp_path / "original.py").write_text(edit.original())
    (tmp_path / "edited.py").write_text(edit.edited())
    model, _ = build_model(f"{tmp_path / 'edited.py'}:build", num_classes=6)
    c = compare(model, f"{tmp_path / 'original.py'}:build", input_size=(3, 64, 64), num_classes=6)
    assert c.mismatches, f"{edit.name}: the edit was not detected"
    if c.findings:
        return [f.source for f in c.findings]
    return [c.mismatches[0].source]


FAST = {"cifar_stride_at_call", "tv_swapped_bn_relu"}  # one of each side in the fast loop


def _marks(e: Edit) -> list[pytest.MarkDecorator]:
    return [] if e.name in FAST else [pytest.mark.slow]


@pytest.mark.parametrize("edit", [pytest.param(e, marks=_marks(e)) for e in EDITS], ids=lambda e: e.name)
def test_single_edit_points_at_the_edited_line(edit: Edit, tmp_path: Path) -> None:
    where = _pointed_at(edit, tmp_path)
    assert all(
        s is not None and s.file.endswith("edited.py") and abs(s.line - edit.line()) <= TOLERANCE
        for s in where
    ), (edit.line(), [str(s) for s in where])


def test_the_layer_line_stays_as_context(tmp_path: Path) -> None:
    edit = next(e for e in EDITS if e.name == "cifar_stride_at_call")
    (tmp_path / "original.py").write_text(edit.original())
    (tmp_path / "edited.py").write_text(edit.edited())
    model, _ = build_model(f"{tmp_path / 'edited.py'}:build", num_classes=6)
    c = compare(model, f"{tmp_path / 'original.py'}:build", input_size=(3, 64, 64), num_classes=6)
    conv2 = next(m for m in c.mismatches if m.candidate_path == "layer3.0.conv2" and m.field == "stride")
    assert conv2.source is not None and conv2.source.line == edit.line()
    conv_line = (
        edit.original()
        .splitlines()
        .index(
            "        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)"
        )
    )
    assert conv2.layer_source is not None and conv2.layer_source.line == conv_line + 1
