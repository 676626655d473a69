"""Branches mixed by a softmax attention (SKNet, ResNeSt) are one finding, named from the ops."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

REPO = Path(__file__).resolve().parents[1]
FILE = "tests/fixtures/quirky/branch_attention.py"


@pytest.mark.parametrize(
    ("builder", "reference", "name", "blocks"),
    [
        ("sk_resnet18", "resnet18", "selective kernel (SKNet)", 8),
        ("split_resnet50", "resnet50", "split attention (ResNeSt)", 16),
    ],
)
def test_the_unit_is_one_finding(
    builder: str, reference: str, name: str, blocks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    model, label = build_model(f"{FILE}:{builder}", num_classes=10, device="meta")
    c = compare(model, reference, input_size=64, num_classes=10, candidate_name=label)
    assert [f.pattern for f in c.findings] == [Pattern.BRANCH_ATTENTION]
    f = c.findings[0]
    assert name in f.message and f"In {blocks} blocks" in f.message
    assert set(f.mismatches) == set(range(len(c.mismatches)))
    assert not any(p.pattern is Pattern.NOT_RESIDUAL for p in c.findings)


def test_a_softmax_that_weights_no_branches_is_not_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """A global-context block's softmax pools positions (then a matmul): an extra module, not this."""
    monkeypatch.chdir(REPO)
    model, label = build_model("tests/fixtures/quirky/attention_resnets.py:context_resnet18", num_classes=10,
                               device="meta")  # fmt: skip
    c = compare(model, "resnet18", input_size=64, num_classes=10, candidate_name=label)
    assert Pattern.BRANCH_ATTENTION not in [f.pattern for f in c.findings]


def test_a_res2net_style_block_is_one_unit_not_many_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    model, label = build_model("tests/fixtures/quirky/res2net_style.py:build", num_classes=10, device="meta")
    c = compare(model, "resnet50", input_size=64, num_classes=10, candidate_name=label)
    assert [len(s.blocks) for s in c.candidate.structure.stages] == [3, 4, 6, 3]
    assert [f.pattern for f in c.findings] == [Pattern.MULTI_SCALE]
    assert "Res2Net" in c.findings[0].title and set(c.findings[0].mismatches) == set(range(len(c.mismatches)))


def test_a_long_skip_over_whole_blocks_keeps_its_blocks() -> None:
    """Adds on as many channels as the enclosing add are blocks of their own (nested, not Res2Net)."""
    import torch
    from torch import nn

    from resnet_verify.tracing.tracer import trace

    class Inner(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(8, 8, 3, padding=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.relu(x + self.conv(x))

    class LongSkip(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Conv2d(3, 8, 3, padding=1)
            self.blocks = nn.Sequential(Inner(), Inner(), Inner())

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = self.stem(x)
            return x + self.blocks(x)

    t = trace(LongSkip(), 32)
    assert len(t.structure.blocks) >= 3


def test_branches_summed_before_the_blocks_own_add_are_one_block() -> None:
    """Shake-shake: ``x + alpha * b1(x) + (1 - alpha) * b2(x)``, alpha a constant shaped from x: one
    block with two branches, not two blocks; a long skip with convs between its adds stays apart
    (above)."""
    import torch
    from torch import nn

    from resnet_verify.tracing.tracer import trace

    class Shake(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.b1 = nn.Conv2d(8, 8, 3, padding=1)
            self.b2 = nn.Conv2d(8, 8, 3, padding=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            alpha = x.new_full((x.shape[0], 1, 1, 1), 0.5)
            return torch.relu(x + (alpha * self.b1(x) + (1 - alpha) * self.b2(x)))

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Conv2d(3, 8, 3, padding=1)
            self.blocks = nn.Sequential(Shake(), Shake())

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.blocks(self.stem(x)).mean((2, 3))

    blocks = trace(Net(), 16).structure.blocks
    assert [b.path for b in blocks] == ["blocks.0", "blocks.1"]
