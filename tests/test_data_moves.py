"""Two spellings of one data move compare clean, either way round; a move that sends any element
elsewhere is still a difference (verify/data_moves.py, tracing/moves.py; #23 heldout32 / 43 / 44: TSM's
shift by zeros and slice writes or by slices and cat, PSMNet's cost volume by a loop or by F.pad and
torch.stack, PaDiM's unfold / fold concatenation or a nearest upsampling)."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison

Move = Callable[[torch.Tensor], torch.Tensor]


def shift_writes(x: torch.Tensor) -> torch.Tensor:
    t = x.view(2, 4, 6, 8, 8)
    out = torch.zeros_like(t)
    out[:, :-1, :2] = t[:, 1:, :2]
    out[:, 1:, 2:4] = t[:, :-1, 2:4]
    out[:, :, 4:] = t[:, :, 4:]
    return out.view(8, 6, 8, 8)


def shift_cat(x: torch.Tensor) -> torch.Tensor:
    t = x.view(2, 4, 6, 64)
    left, mid, rest = t[:, :, :2], t[:, :, 2:4], t[:, :, 4:]
    left = torch.cat((left[:, 1:], (left - left)[:, :1]), 1)
    mid = torch.cat((mid.mul(0)[:, :1], mid[:, :-1]), 1)
    return torch.cat((left, mid, rest), 2).view(8, 6, 8, 8)


def shift_roll(x: torch.Tensor) -> torch.Tensor:  # the end frames wrap around: not the zero fill
    t = x.view(2, 4, 6, 8, 8)
    out = t.clone()
    out[:, :, :2] = torch.roll(t[:, :, :2], shifts=-1, dims=1)
    out[:, :, 2:4] = torch.roll(t[:, :, 2:4], shifts=1, dims=1)
    return out.view(8, 6, 8, 8)


def shift_one_way(x: torch.Tensor) -> torch.Tensor:  # both folds shifted the same way
    t = x.view(2, 4, 6, 8, 8)
    out = torch.zeros_like(t)
    out[:, 1:, :2] = t[:, :-1, :2]
    out[:, 1:, 2:4] = t[:, :-1, 2:4]
    out[:, :, 4:] = t[:, :, 4:]
    return out.view(8, 6, 8, 8)


def volume_loop(x: torch.Tensor) -> torch.Tensor:
    a, b = x[:, :3], x[:, 3:]
    v = a.new_zeros(8, 6, 3, 8, 8)
    for d in range(3):
        v[:, :3, d, :, d:] = a[:, :, :, d:]
        v[:, 3:, d, :, d:] = b[:, :, :, : 8 - d]
    return v.flatten(1, 2)


def volume_pad_stack(x: torch.Tensor) -> torch.Tensor:
    a, b = x[:, :3], x[:, 3:]
    planes = [torch.cat((F.pad(a[..., d:], (d, 0)), F.pad(b[..., : 8 - d], (d, 0))), 1) for d in range(3)]
    return torch.stack(planes, dim=2).flatten(1, 2)


def volume_pad_stack_off_by_one(x: torch.Tensor) -> torch.Tensor:
    a, b = x[:, :3], x[:, 3:]
    planes = [
        torch.cat((F.pad(a[..., : 8 - d], (d, 0)), F.pad(b[..., : 8 - d], (d, 0))), 1) for d in range(3)
    ]
    return torch.stack(planes, dim=2).flatten(1, 2)


def upsample_nearest(x: torch.Tensor) -> torch.Tensor:
    small = x[:, :, ::2, ::2]
    return torch.cat((x, F.interpolate(small, size=(8, 8), mode="nearest")), 1)


def upsample_fold(x: torch.Tensor) -> torch.Tensor:
    small = x[:, :, ::2, ::2]
    cells = F.unfold(x, kernel_size=2, stride=2).view(8, 6, 4, 4, 4)
    z = torch.zeros(8, 12, 4, 4, 4)
    for i in range(4):
        z[:, :, i] = torch.cat((cells[:, :, i], small), 1)
    return F.fold(z.view(8, 48, 16), output_size=(8, 8), kernel_size=2, stride=2)


def there_and_back(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1).flip(3).contiguous().flip(3).permute(0, 3, 1, 2)


def unmoved(x: torch.Tensor) -> torch.Tensor:
    return x


def quarter_turn(x: torch.Tensor) -> torch.Tensor:
    return torch.rot90(x, 1, (2, 3))


def quarter_turn_by_transpose(x: torch.Tensor) -> torch.Tensor:  # heldout50's Galaxy Zoo views
    return x.transpose(2, 3).flip(2)


def quarter_turn_the_other_way(x: torch.Tensor) -> torch.Tensor:
    return x.transpose(2, 3).flip(3)


class _Net(nn.Module):
    """A stem, the move, a residual unit reading what it moved and a head."""

    def __init__(self, move: Move, width: int = 6) -> None:
        super().__init__()
        self.move = move
        self.stem = nn.Conv2d(3, 6, 3, padding=1)
        self.conv1 = nn.Conv2d(width, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 6, 3, padding=1)
        self.fc = nn.Linear(6, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        y = torch.relu(x + self.conv2(torch.relu(self.conv1(self.move(x)))))
        return self.fc(y.mean((2, 3)))


def _compare(ref: Move, cand: Move, width: int = 6) -> Comparison:
    return compare_traces(trace(_Net(ref, width), (8, 3, 8, 8)), trace(_Net(cand, width), (8, 3, 8, 8)),
                          reference_name="a", candidate_name="b", num_classes=4)  # fmt: skip


def test_two_spellings_of_one_move_compare_clean_either_way() -> None:
    for one, other, width in (
        (shift_writes, shift_cat, 6),
        (volume_loop, volume_pad_stack, 18),
        (upsample_nearest, upsample_fold, 12),
        (there_and_back, unmoved, 6),
        (quarter_turn, quarter_turn_by_transpose, 6),
    ):
        for ref, cand in ((one, other), (other, one)):
            c = _compare(ref, cand, width)
            assert not c.mismatches, (ref.__name__, cand.__name__, [m.message for m in c.mismatches[:4]])
            assert not c.findings, (ref.__name__, cand.__name__)


def test_a_move_sending_elements_elsewhere_is_still_a_difference() -> None:
    for one, other, width in (
        (shift_writes, shift_roll, 6),
        (shift_writes, shift_one_way, 6),
        (shift_cat, shift_one_way, 6),
        (volume_loop, volume_pad_stack_off_by_one, 18),
        (quarter_turn, quarter_turn_the_other_way, 6),
    ):
        for ref, cand in ((one, other), (other, one)):
            c = _compare(ref, cand, width)
            assert c.mismatches, (ref.__name__, cand.__name__)
            assert c.findings, (ref.__name__, cand.__name__)


def test_moves_are_numerically_what_the_comparison_says() -> None:
    """The fixtures' own claim: the spellings called equal are equal, the others not."""
    x = torch.randn(8, 6, 8, 8)
    assert torch.equal(shift_writes(x), shift_cat(x))
    assert torch.equal(volume_loop(x), volume_pad_stack(x))
    assert torch.equal(upsample_nearest(x), upsample_fold(x))
    assert not torch.equal(shift_writes(x), shift_roll(x))
    assert not torch.equal(volume_loop(x), volume_pad_stack_off_by_one(x))
    assert torch.equal(quarter_turn(x), quarter_turn_by_transpose(x))
    assert not torch.equal(quarter_turn(x), quarter_turn_the_other_way(x))


class _Cropped(nn.Module):
    """A map cropped and returned (pysot's neck): the output itself, in a tuple beside the logits."""

    def __init__(self, both_axes: bool) -> None:
        super().__init__()
        self.conv, self.fc, self.both_axes = nn.Conv2d(3, 6, 3, padding=1), nn.Linear(6, 4), both_axes

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        f = torch.relu(self.conv(x))
        crop = f[:, :, 2:6, 2:6] if self.both_axes else f[:, :, 2:6]
        return self.fc(f.mean((2, 3))), crop


def test_a_returned_move_is_never_dropped() -> None:
    for ref, cand in ((_Cropped(True), _Cropped(False)), (_Cropped(False), _Cropped(True))):
        c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a",
                           candidate_name="b", num_classes=4)  # fmt: skip
        assert c.mismatches


def zeros_after(x: torch.Tensor) -> torch.Tensor:  # ANODE's augmentation: zero channels appended
    return torch.cat([x, torch.zeros(8, 2, 8, 8)], 1)


def zeros_before(x: torch.Tensor) -> torch.Tensor:
    return torch.cat([torch.zeros(8, 2, 8, 8), x], 1)


def zeros_by_pad(x: torch.Tensor) -> torch.Tensor:
    return F.pad(x, (0, 0, 0, 0, 0, 2))


def test_a_concatenation_in_another_order_is_one_mismatch_at_its_reader_either_way() -> None:
    """(#23 heldout56's anode_augment_first compared clean: op by op both are zeros and cat.)"""
    from resnet_verify.verify.arrangement import FIELD

    for ref, cand in ((zeros_after, zeros_before), (zeros_before, zeros_after)):
        found = [m for m in _compare(ref, cand, 8).mismatches if m.field == FIELD]
        assert len(found) == 1 and "cat(zeros, relu)" in f"{found[0].expected} {found[0].actual}"
    for ref, cand in ((zeros_after, zeros_by_pad), (zeros_by_pad, zeros_after)):
        assert not _compare(ref, cand, 8).mismatches
