"""A grouped conv written as branch convs (verify/patterns/grouped_branches.py): ResNeXt's cardinality as a
list of C convs on the channel groups, concatenated, against ``groups=C``. Joined in another order it was
named multi_scale_block (heldout140 rx_branch_concat_reversed; with that rule quiet, cardinality said "groups=1
where the reference has 4"): now one description says the branches are that conv and in which order they are
joined. A hierarchy (adds between the groups) stays multi-scale; branches against a dense conv are no grouped
conv written out."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Block(nn.Module):
    def __init__(self, spelling: str) -> None:
        super().__init__()
        self.spelling = spelling
        self.conv1, self.bn1 = nn.Conv2d(16, 8, 1, bias=False), nn.BatchNorm2d(8)
        if spelling in ("grouped", "dense"):
            self.conv2: nn.Module = nn.Conv2d(
                8, 8, 3, padding=1, groups=4 if spelling == "grouped" else 1, bias=False
            )
        else:
            self.conv2 = nn.ModuleList(nn.Conv2d(2, 2, 3, padding=1, bias=False) for _ in range(4))
        self.bn2, self.conv3, self.bn3 = (
            nn.BatchNorm2d(8),
            nn.Conv2d(8, 16, 1, bias=False),
            nn.BatchNorm2d(16),
        )

    def _middle(self, x: torch.Tensor) -> torch.Tensor:
        if isinstance(self.conv2, nn.Conv2d):
            return self.conv2(x)
        parts, outs = torch.chunk(x, 4, dim=1), list[torch.Tensor]()
        branches: nn.ModuleList = self.conv2  # type: ignore[assignment]
        for i, (conv, part) in enumerate(zip(branches, parts, strict=True)):
            outs.append(conv(part + outs[-1] if self.spelling == "hierarchy" and i > 0 else part))
        return torch.cat(outs[::-1] if self.spelling == "reversed" else outs, dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = torch.relu(self.bn2(self._middle(out)))
        return torch.relu(x + self.bn3(self.conv3(out)))


def _net(spelling: str) -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         _Block(spelling), _Block(spelling), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(16, 4))  # fmt: skip


def _compare(reference: str, candidate: str) -> Comparison:
    r, c = trace(_net(reference), (3, 8, 8)), trace(_net(candidate), (3, 8, 8))
    return compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)


def test_branches_joined_in_another_order_are_described_either_way() -> None:
    for ref, cand in (("grouped", "reversed"), ("reversed", "grouped")):
        c = _compare(ref, cand)
        (finding,) = c.findings
        assert finding.pattern is Pattern.DESCRIBED and finding.title.startswith(
            "Grouped conv written as branch convs"
        )
        assert "groups=4" in finding.message and "group order (3, 2, 1, 0)" in finding.message
        assert set(finding.mismatches) == set(range(len(c.mismatches)))


def test_branches_in_order_are_said_to_be_the_layer_written_out() -> None:
    (finding,) = _compare("grouped", "branches").findings
    assert "concatenated in order: the same layer written out" in finding.message


def test_a_hierarchy_or_a_dense_reference_is_no_grouped_conv_written_out() -> None:
    """Must not fire: adds between the groups (Res2Net) stay multi-scale; branches against a dense conv are
    not the reference's grouped conv."""
    assert {f.pattern for f in _compare("grouped", "hierarchy").findings} == {Pattern.MULTI_SCALE}
    assert all(
        f.title != "Grouped conv written as branch convs" for f in _compare("dense", "branches").findings
    )
