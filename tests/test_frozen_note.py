"""Parameters one side freezes and the other trains are said in a note (verify/frozen_note.py; #23
heldout120's fold_torch_fuse and frozen_affine_eval: the forward the same, the training not, and nothing
said): no mismatch, since freezing is often chosen, and no note where both sides freeze alike."""

from __future__ import annotations

from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison


def _net(frozen_bn: bool = False) -> nn.Module:
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                        nn.Flatten(), nn.Linear(8, 4))  # fmt: skip
    if frozen_bn:
        net[1].requires_grad_(False)
    return net


def _compare(reference: nn.Module, candidate: nn.Module) -> Comparison:
    r, c = trace(reference, (3, 8, 8)), trace(candidate, (3, 8, 8))
    return compare_traces(r, c, reference_name="r", candidate_name="c", num_classes=4)


def test_a_freeze_one_side_has_is_a_note_either_way_and_no_mismatch() -> None:
    for side, (ref, cand) in (("candidate", (_net(), _net(True))), ("reference", (_net(True), _net()))):
        c = _compare(ref, cand)
        assert not c.mismatches and not c.findings
        (note,) = [n for n in c.notes if "freezes" in n]
        assert (
            note.startswith(f"the {side} freezes 2 parameter tensors (16 values")
            and "1.weight, 1.bias" in note
        )


def test_the_same_freeze_on_both_sides_is_said_nowhere() -> None:
    for frozen in (False, True):
        assert not [n for n in _compare(_net(frozen), _net(frozen)).notes if "freezes" in n]
