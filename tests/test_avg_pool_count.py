"""``count_include_pad`` only matters where a window reads padding (tracing/opkinds.py; #23 heldout103's
avgdown_pool_default_count: a ResNet-D shortcut's AvgPool2d(2, 2, ceil_mode=True) at the default True
against False, the same function at every size, named repeated_in_blocks)."""

from __future__ import annotations

import pytest
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace


def _pool_attrs(padding: int, count: bool) -> dict[str, object]:
    model = nn.Sequential(
        nn.Conv2d(3, 4, 1), nn.AvgPool2d(3, 2, padding, ceil_mode=True, count_include_pad=count)
    )
    (pool,) = [op for op in trace(model, (3, 9, 9)).ops if op.kind is OpKind.AVG_POOL]
    return dict(pool.attrs)


@pytest.mark.parametrize("padding", [0, 1])
def test_count_include_pad_counts_only_with_padding(padding: int) -> None:
    same = _pool_attrs(padding, True) == _pool_attrs(padding, False)
    assert same is (padding == 0)
