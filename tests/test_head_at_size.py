"""A head whose ops depend on the size of the map it reads (a pooling pyramid with one window per scale
the map allows, R-MAC's region grid) runs other ops when a stride earlier makes the map another size.
Traced at the input size that gives its last map the candidate's size, the reference's head computes
what the candidate's does: those differences follow from the stride, claimed and located with it,
either way round. A change of the head's own is still there at that size and stays its own."""

from __future__ import annotations

from fixtures.spelled.pyramid_head import Pyramid

from resnet_verify.verify.comparison import Comparison, compare
from resnet_verify.verify.records import Region

FIXTURE = "tests/fixtures/spelled/pyramid_head.py"


def _outside(c: Comparison) -> list[int]:
    return [i for i, m in enumerate(c.mismatches) if m.region in (Region.HEAD, Region.MODEL)]


def _stride_finding(c: Comparison) -> set[int]:
    strides = {i for i, m in enumerate(c.mismatches) if m.field == "stride"}
    (found,) = [set(f.mismatches) for f in c.findings if strides & set(f.mismatches)]
    return found


def test_the_heads_ops_follow_the_stride_either_way() -> None:
    for cand, ref in ((Pyramid(last_stride=1), "build"), (Pyramid(last_stride=2), "build_stride1")):
        c = compare(cand, f"{FIXTURE}:{ref}", input_size=32, num_classes=5)
        head = _outside(c)
        assert head, "the pyramid runs another number of pools"
        assert set(head) <= _stride_finding(c)
        assert all(c.mismatches[i].cause is not None for i in head)


def test_a_change_of_the_heads_own_stays_its_own() -> None:
    c = compare(Pyramid(last_stride=1, act=True), f"{FIXTURE}:build", input_size=32, num_classes=5)
    own = [i for i in _outside(c) if "tanh" in c.mismatches[i].message]
    assert own and all(c.mismatches[i].cause is None for i in own)
    assert not set(own) & _stride_finding(c)
