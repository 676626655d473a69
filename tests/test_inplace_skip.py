"""A block whose own first op runs in place on its input adds that op's output back, not x
(verify/inplace_skip.py; #23, VQ-VAE-2's ResBlock and IMPALA's block with ``inplace=True``): the
mismatches it leaves are read as that one difference, at the op, either side holding it. A ReLU
written before the fork on purpose (not in place), and torchvision's in-place ReLU after the add,
are not it."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.inplace_skip import FIELD


class _Block(nn.Module):
    """``x + net(x)``, ``net`` starting with a ReLU (pre-activation, no norm)."""

    def __init__(self, inplace: bool, before_fork: bool = False) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.ReLU(inplace=inplace), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 1)
        )
        self.before_fork = before_fork

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.before_fork:  # activated on purpose, the skip reading the activated input
            x = torch.relu(x)
            return x + self.net[1:](x)
        return x + self.net(x)


def _net(inplace: bool, before_fork: bool = False) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3), *(_Block(inplace, before_fork) for _ in range(3)),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5))  # fmt: skip


def _compare(ref: nn.Module, cand: nn.Module) -> Comparison:
    return compare_traces(trace(ref, (3, 16, 16)), trace(cand, (3, 16, 16)), reference_name="a",
                          candidate_name="b", num_classes=5)  # fmt: skip


def test_an_in_place_first_relu_is_one_difference_either_way() -> None:
    for ref, cand, side in ((_net(False), _net(True), "candidate"), (_net(True), _net(False), "reference")):
        c = _compare(ref, cand)
        mine = [m for m in c.mismatches if m.field == FIELD]
        assert mine and len(mine) == len(c.mismatches), [m.message for m in c.mismatches]
        roots = [m for m in mine if m.cause is None]
        assert len(roots) == 3 and all(f"the {side}'s in-place ReLU" in m.message for m in roots)
        assert [f.pattern.value for f in c.findings] == ["repeated_in_blocks"], [f.title for f in c.findings]
        assert "in-place ReLU first in the block overwrites its input" in c.findings[0].message


def test_a_relu_before_the_fork_on_purpose_is_not_it() -> None:
    c = _compare(_net(False), _net(False, before_fork=True))
    assert c.mismatches and not any(m.field == FIELD for m in c.mismatches)


def test_an_in_place_relu_after_the_add_is_not_it() -> None:
    class Post(nn.Module):
        def __init__(self, inplace: bool) -> None:
            super().__init__()
            self.conv, self.relu = nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(inplace=inplace)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = self.conv(x)
            out += x
            return self.relu(out)

    def net(inplace: bool) -> nn.Module:
        return nn.Sequential(
            nn.Conv2d(3, 8, 3), Post(inplace), Post(inplace), nn.Flatten(), nn.Linear(8 * 14 * 14, 5)
        )

    assert not _compare(net(False), net(True)).mismatches


def test_a_projection_reading_the_activated_input_is_a_design_not_it() -> None:
    """timm's pre-activation resnetv2 activates each transition block's input in place and projects the
    activated tensor on purpose: pre-activation, not an overwritten skip (4 of its mismatches were read
    as that before the rule kept to identity skips)."""
    timm = pytest.importorskip("timm")
    from resnet_verify.verify.comparison import compare

    c = compare(timm.create_model("resnetv2_50d", num_classes=10), "resnet50", input_size=64, num_classes=10)
    assert not any(m.field == FIELD for m in c.mismatches) and not c.unexplained


class _SharedAct(nn.Module):
    """Blocks that call the network's one activation module on their input first (BigGAN's residual
    discriminator passes its ``self.activation`` to every block)."""

    def __init__(self, inplace: bool) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3)
        self.act = nn.ReLU(inplace=inplace)
        self.blocks = nn.ModuleList(_Calls(self.act) for _ in range(3))
        self.fc = nn.Linear(8, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.fc(x.mean((2, 3)))


class _Calls(nn.Module):
    def __init__(self, act: nn.Module) -> None:
        super().__init__()
        self.act = [act]  # a plain list: the module is the network's, not the block's
        self.conv1, self.conv2 = nn.Conv2d(8, 8, 3, padding=1), nn.Conv2d(8, 8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv2(torch.relu(self.conv1(self.act[0](x))))


def test_an_in_place_activation_module_of_the_network_called_by_the_block_is_the_same_mistake() -> None:
    c = _compare(_SharedAct(inplace=False), _SharedAct(inplace=True))
    assert any(m.field == FIELD for m in c.mismatches), [m.message for m in c.mismatches]


class _Projected(nn.Module):
    """A transition block that activates what entered it in place and then projects ``x`` (BigGAN's
    preactivated DBlock: ``h = self.activation(x)`` with the shared in-place ReLU, ``conv_sc(x)``): the
    projection reads the overwritten input, where the builder's reads it raw."""

    def __init__(self, cin: int, inplace: bool) -> None:
        super().__init__()
        self.act = nn.ReLU(inplace=inplace)
        self.conv1, self.conv2 = nn.Conv2d(cin, 16, 3, padding=1), nn.Conv2d(16, 16, 3, padding=1)
        self.conv_sc = nn.Conv2d(cin, 16, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv2(torch.relu(self.conv1(self.act(x))))
        return h + self.conv_sc(x)


def test_an_in_place_activation_of_a_projected_blocks_input_is_the_same_mistake() -> None:
    def net(inplace: bool) -> nn.Module:
        return nn.Sequential(nn.Conv2d(3, 8, 3), _Projected(8, inplace), _Projected(16, inplace),
                             nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 5))  # fmt: skip

    c = _compare(net(False), net(True))
    assert [f.pattern.value for f in c.findings] == ["repeated_in_blocks"], [f.title for f in c.findings]
    assert all(m.field == FIELD for m in c.mismatches), [m.message for m in c.mismatches]
