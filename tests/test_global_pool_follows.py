"""A pool whose kernel follows its input is a global pool even where a branch on the input size adds or drops
an op before it (tracing/global_pools.py matches the pool at the second size by its call, not its position;
#23 heldout103's gap_size_check_after_stem: a max pool kept for larger inputs shifted every op, and
``F.avg_pool2d(x, x.size()[2:])`` was named a fixed-size head)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.global_pools import follow_input_size
from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace


class _Net(nn.Module):
    def __init__(self, literal: bool) -> None:
        super().__init__()
        self.literal = literal
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.pool = nn.MaxPool2d(3, 1, 1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        if x.size(-1) > 16:  # an op run for larger inputs only (a 3x3 max pool keeping the size)
            x = self.pool(x)
        x = F.avg_pool2d(x, 16 if self.literal else x.size()[2:])
        return self.fc(torch.flatten(x, 1))


@pytest.mark.parametrize(("literal", "kind"), [(False, OpKind.GLOBAL_POOL), (True, OpKind.AVG_POOL)])
def test_the_pool_at_the_second_size_is_found_by_its_call(literal: bool, kind: OpKind) -> None:
    model = _Net(literal)
    t = follow_input_size(model, trace(model, 32))
    pools = [op.kind for op in t.ops if op.kind in (OpKind.GLOBAL_POOL, OpKind.AVG_POOL)]
    assert pools == [kind]
