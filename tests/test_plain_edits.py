"""A plain edit is described, never given the name of a variant it shares one attribute with
(issue #23): a named variant must match its whole signature.

- a 3x3 conv turned 5x5 with padding 2 is not TensorFlow's 'same' padding (the kernel changed; the
  padding follows it), and it is one difference at one line, not one finding per attribute;
- a stem conv's padding changed from 3 to 2 is not "the stem written the Keras way" (no explicit
  ZeroPadding, no unpadded pool).
- a zero pad before an unpadded stem max pool (timm's 'fixed' root for TF weights) against an unpadded pool is
  a pool edit, not a Keras stem: Keras' signature is the ZeroPadding2D before the stem conv;
- a BatchNorm eps of 1e-3 alone (PyTorch momentum kept) is not "Keras BatchNorm defaults".
All against the model's own original and against torchvision's resnet50.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.edits.catalog import EDITS
from torch import nn
from torchvision.models import resnet18

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Comparison, Pattern


def _compare(name: str, reference: str, tmp_path: Path) -> tuple[Comparison, int]:
    edit = next(e for e in EDITS if e.name == name)
    (tmp_path / "original.py").write_text(edit.original())
    (tmp_path / "edited.py").write_text(edit.edited())
    ref = f"{tmp_path / 'original.py'}:build" if reference == "original" else reference
    model, _ = build_model(f"{tmp_path / 'edited.py'}:build", num_classes=6)
    return compare(model, ref, input_size=(3, 64, 64), num_classes=6), edit.line()


@pytest.mark.parametrize("reference", ["original", "resnet50"])
def test_a_bigger_kernel_is_one_described_difference_not_same_padding(reference: str, tmp_path: Path) -> None:
    c, line = _compare("cifar_kernel_literal", reference, tmp_path)
    assert Pattern.SAME_PADDING not in {f.pattern for f in c.findings}
    assert len(c.findings) == 1 and c.findings[0].pattern is Pattern.REPEATED
    f = c.findings[0]
    assert f.source is not None and f.source.line == line
    assert "kernel_size" in f.message and "padding" in f.message
    assert set(f.mismatches) == set(range(len(c.mismatches)))  # nothing left unexplained


@pytest.mark.parametrize("reference", ["original", "resnet50"])
def test_a_stem_padding_edit_is_not_a_keras_stem(reference: str, tmp_path: Path) -> None:
    c, line = _compare("tv_stem_padding", reference, tmp_path)
    assert Pattern.KERAS_STEM not in {f.pattern for f in c.findings}
    assert c.mismatches and all(m.source is not None and m.source.line == line for m in c.mismatches[:1])


@pytest.mark.parametrize("reference", ["original", "resnet50"])
def test_an_eps_alone_is_not_keras_batchnorm(reference: str, tmp_path: Path) -> None:
    c, line = _compare("tv_bn_eps", reference, tmp_path)  # eps=1e-3 on bn2, PyTorch's momentum kept
    assert Pattern.KERAS_BATCHNORM not in {f.pattern for f in c.findings}
    assert [f.pattern for f in c.findings] == [Pattern.REPEATED]
    assert c.findings[0].source is not None and c.findings[0].source.line == line


@pytest.mark.parametrize("swap", [False, True])
def test_a_padded_stem_pool_alone_is_not_a_keras_stem(swap: bool) -> None:
    fixed, unpadded = resnet18(num_classes=10), resnet18(num_classes=10)
    fixed.maxpool = nn.Sequential(nn.ConstantPad2d(1, 0.0), nn.MaxPool2d(3, 2))
    unpadded.maxpool = nn.MaxPool2d(3, 2)
    ref, cand = (fixed, unpadded) if swap else (unpadded, fixed)
    c = compare_traces(trace(ref, (3, 64, 64)), trace(cand, (3, 64, 64)), reference_name="a",
                       candidate_name="b", num_classes=10)  # fmt: skip
    assert c.mismatches and all(
        m.candidate_path.startswith("maxpool") for m in c.mismatches if m.candidate_path
    )
    assert not {f.pattern for f in c.findings} & {
        Pattern.KERAS_STEM,
        Pattern.KERAS_POOL_PADDING,
        Pattern.SAME_PADDING,
    }
