"""An adaptive pool whose output size keeps an axis (``None``: ``F.adaptive_avg_pool3d(x, (None, 1, 1))`` over
a spiking net's [T, B, C, H, W] frames) no longer crashes the fixed-head rule (heldout57 ms_widths_doubled:
compare() raised TypeError, int() of None, and no comparison came back; verify/patterns/head.py)."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.head import _final_side


def test_an_adaptive_pool_keeping_an_axis_reads_its_height() -> None:
    pool3d = (OpKind.ADAPTIVE_POOL, {"output_size": (None, 1, 1)})
    assert _final_side([pool3d], 32) == 1
    assert _final_side([(OpKind.ADAPTIVE_POOL, {"output_size": (None, 4)})], 32) == 32  # the height kept
    assert _final_side([(OpKind.ADAPTIVE_POOL, {"output_size": (2, 2)})], 32) == 2
    assert _final_side([(OpKind.ADAPTIVE_POOL, {"output_size": (7,)})], 32) == 7
