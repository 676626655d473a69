"""Index positions in reports: long lists shortened, and how two lists differ said in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.cli import main
from resnet_verify.verify.patterns.position_words import (
    bounds_delta,
    short_bounds,
    short_lists,
    short_positions,
)

_MODEL = """
import torch.nn as nn


class Pick(nn.Module):
    def __init__(self, kept):
        super().__init__()
        self.conv = nn.Conv2d(3, 64, 3, padding=1)
        self.kept = kept
        self.conv2 = nn.Conv2d(len(kept), 10, 1)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return self.pool(self.conv2(self.conv(x)[:, self.kept])).flatten(1)


def ref(num_classes=10):
    return Pick([i for i in range(64) if i % 3])


def one_based(num_classes=10):
    return Pick([i + 1 for i in range(64) if i % 3])
"""


def test_a_short_list_reads_whole_and_a_long_one_by_its_ends() -> None:
    assert short_positions([3, 1, 2]) == "[3 1 2]"
    assert short_positions(list(range(0, 40, 3))) == "14 positions [0 3 6 9 ... 39]"
    assert short_bounds(":, [0 2 3 5 6 8 9 11], :, :") == ":, 8 positions [0 2 3 5 ... 11], :, :"
    assert short_lists("bounds is ':, [1 2 4 5 7 8 10]'") == "bounds is ':, 7 positions [1 2 4 5 ... 10]'"


def test_a_shift_is_one_difference_and_other_lists_say_what_each_side_picks() -> None:
    ref = ":, [1 2 4 5 7 8], :, :"
    assert (
        bounds_delta(ref, ":, [2 3 5 6 8 9], :, :")
        == "along the channels the candidate picks every position shifted by +1"
    )
    said = bounds_delta(ref, ":, [0 2 3 5 6 8], :, :")
    assert (
        said
        == "along the channels the candidate picks [0 3 6] the reference does not and leaves out [1 4 7] it picks"
    )


@pytest.mark.parametrize(("ref", "cand"), [(":, 0:3, :, :", ":, 1:4, :, :"), (":, [1 2], :", ":, 0:2, :")])
def test_ranges_are_left_to_the_bounds_themselves(ref: str, cand: str) -> None:
    assert bounds_delta(ref, cand) is None


def test_the_report_prints_a_kept_channel_list_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pick.py").write_text(_MODEL)
    spec = str(tmp_path / "pick.py")
    assert (
        main(["compare", "--model", f"{spec}:one_based", "--reference", f"{spec}:ref", "--input-size", "32"])
        == 1
    )
    out = capsys.readouterr().out
    assert "42 positions [1 2 4 5 ... 62]" in out and "42 positions [2 3 5 6 ... 63]" in out
    assert "[1 2 4 5 7 8" not in out  # never the whole list
