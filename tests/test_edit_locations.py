"""Single edits of hand-written ResNets (tests/fixtures/edits) point at the edited line, +-2: edits in
``forward`` at the forward line, a value passed one or more calls up at that call (issue #29).

Each edited model is compared with its own unedited original, as a pull request would be. What the
report points at: every finding's line, or, when nothing names the difference, its first mismatch.
The edits the locator cannot reach yet are listed in KNOWN_GAPS with why; they are strict xfails, so
fixing one fails the test until it is moved out of the list.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.edits.catalog import EDITS, TOLERANCE, Edit

from resnet_verify.specs.builders import build_model
from resnet_verify.specs.sources import SourceLoc
from resnet_verify.verify.comparison import compare

KNOWN_GAPS = {
    # A value read from a class constant or a default argument: no frame holds it.
    "cifar_expansion": "class constant: reported at the conv that reads it",
    "tv_expansion": "class constant: reported at the conv that reads it",
    "tv_widths_tuple": "default argument: reported at the helper call",
    # The block-count finding names no line yet.
    "cifar_block_count_list": "block counts: no line",
    "tv_block_count_list": "block counts: no line",
}


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
    marks = [] if e.name in FAST else [pytest.mark.slow]
    if e.name in KNOWN_GAPS:
        marks.append(pytest.mark.xfail(reason=KNOWN_GAPS[e.name], strict=True))
    return marks


@pytest.mark.parametrize("edit", [pytest.param(e, marks=_marks(e)) for e in EDITS], ids=lambda e: e.name)
def test_single_edit_points_at_the_edited_line(edit: Edit, tmp_path: Path) -> None:
    where = _pointed_at(edit, tmp_path)
    assert all(
        s is not None and s.file.endswith("edited.py") and abs(s.line - edit.line()) <= TOLERANCE
        for s in where
    ), (edit.line(), [str(s) for s in where])
