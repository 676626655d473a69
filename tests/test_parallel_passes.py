"""A network run again beside its first run (test-time augmentation, multi-view averages written in
``forward``) is one op, a second run, not a second copy of every block (tracing/parallel_passes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn
from torchvision.models import resnet18

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "parallel_passes.py"


def _spec(name: str) -> str:
    return f"{FIXTURE}:{name}"


@pytest.mark.parametrize(("name", "module"), [("flip_averaged", "net"), ("shifted_views", "backbone")])
def test_a_second_run_is_one_op_and_one_described_difference(name: str, module: str) -> None:
    model = build_model(_spec(name), num_classes=6, device="meta")[0]
    t = trace(model, 64)
    runs = [op for op in t.ops if dict(op.attrs).get("module") == module]
    assert len(runs) == 1 and runs[0].kind is OpKind.OTHER
    assert len(t.structure.blocks) == 8 and runs[0].id in t.structure.head  # the first run's blocks only
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED], [f.title for f in c.findings]
    assert f"a second run of {module}" in c.findings[0].message
    assert all(m.region is not None and m.region.value == "head" for m in c.mismatches)
    # the view's own op (a roll before the first run) is no block's and no stem's: the head reads it
    assert name != "shifted_views" or "an extra roll" in c.findings[0].message


def test_either_direction() -> None:
    plain = build_model("resnet18", num_classes=6, device="meta")[0]
    c = compare(plain, _spec("flip_averaged"), input_size=64, num_classes=6)
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED], [f.title for f in c.findings]
    assert "a second run of net (the same weights, on another input than its first run's) missing" in (
        c.findings[0].message
    )


def test_a_block_applied_twice_in_a_row_is_a_deeper_network() -> None:
    model = build_model(_spec("block_twice"), num_classes=6, device="meta")[0]
    t = trace(model, 64)
    assert len(t.structure.blocks) == 9  # its second call reads its first call's output: not parallel
    assert not any("second run" in str(dict(op.attrs).get("function", "")) for op in t.ops)
    c = compare(model, "resnet18", input_size=64, num_classes=6)
    assert any(m.field == "shared_params" for m in c.mismatches)


def test_one_conv_on_two_inputs_is_a_layer_not_a_network() -> None:
    model = build_model(_spec("shared_stem_conv"), num_classes=6, device="meta")[0]
    t = trace(model, 64)
    assert not any("second run" in str(dict(op.attrs).get("function", "")) for op in t.ops)
    assert sum(op.kind is OpKind.CONV for op in t.ops) == 22


class _Siamese(nn.Module):
    """One trunk run on two images (shared), or a copy of it for the second (unshared)."""

    def __init__(self, shared: bool) -> None:
        super().__init__()
        self.trunk = resnet18(num_classes=8)
        self.trunk2 = self.trunk if shared else resnet18(num_classes=8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = x[:, :3], x[:, 3:]
        return (self.trunk(a) - self.trunk2(b)).abs()


def test_a_copy_run_beside_a_network_is_one_op_its_own_weights_said() -> None:
    shared, unshared = trace(_Siamese(True), (6, 32, 32)), trace(_Siamese(False), (6, 32, 32))
    assert len(unshared.structure.blocks) == len(shared.structure.blocks) == 8
    c = compare_traces(shared, unshared, reference_name="a", candidate_name="b", num_classes=8)
    assert [(m.field, m.expected, m.actual) for m in c.mismatches] == [("weights", "shared", "its own")]
    assert not compare_traces(unshared, trace(_Siamese(False), (6, 32, 32)), reference_name="a",
                              candidate_name="b", num_classes=8).mismatches  # fmt: skip


def test_parallel_paths_of_one_design_inside_a_block_are_not_copies() -> None:
    class Paths(nn.Module):  # ResNeXt written as paths: no residual network of their own
        def __init__(self) -> None:
            super().__init__()
            self.paths = nn.ModuleList(
                nn.Sequential(nn.Conv2d(8, 2, 1), nn.ReLU(), nn.Conv2d(2, 8, 3, padding=1)) for _ in range(4)
            )

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.relu(x + sum(p(x) for p in self.paths))

    t = trace(nn.Sequential(nn.Conv2d(3, 8, 3), Paths(), Paths()), (3, 16, 16))
    assert sum(op.kind.name == "CONV" for op in t.ops) == 1 + 2 * 8


class _Folded(nn.Module):
    """A Siamese trunk run on both images as one batch, then split (ChangeStar, RAFT's encoder)."""

    def __init__(self) -> None:
        super().__init__()
        self.trunk = resnet18(num_classes=8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = torch.split(self.trunk(torch.cat([x[:, :3], x[:, 3:]], dim=0)), x.shape[0], dim=0)
        return (a - b).abs()


def test_a_batch_folded_trunk_is_the_trunk_run_twice() -> None:
    folded, shared = trace(_Folded(), (6, 32, 32)), trace(_Siamese(True), (6, 32, 32))
    assert len(folded.structure.blocks) == 8
    for ref, cand in ((shared, folded), (folded, shared)):
        c = compare_traces(ref, cand, reference_name="a", candidate_name="b", num_classes=8)
        assert not c.mismatches, [m.message for m in c.mismatches]
    unshared = compare_traces(trace(_Siamese(False), (6, 32, 32)), folded, reference_name="a", candidate_name="b",
                              num_classes=8)  # fmt: skip
    assert [(m.field, m.expected, m.actual) for m in unshared.mismatches] == [
        ("weights", "its own", "shared")
    ]


def test_one_copy_on_the_same_input_is_a_network_of_its_own() -> None:
    """A distillation student beside its teacher (STFPM): one copy on the same input plays another role
    and may be built otherwise, so it is compared as a network, its blocks counted."""

    class TeacherStudent(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.teacher, self.student = resnet18(num_classes=8), resnet18(num_classes=8)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.teacher(x) - self.student(x)

    assert len(trace(TeacherStudent(), 32).structure.blocks) == 16
