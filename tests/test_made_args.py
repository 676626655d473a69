"""A tensor made inside forward carries the arguments it was made with (tracing/made_args.py; #23
heldout116's coord_unit_range and coord_xy_swapped, CoordConv grids in another range or order, compared
clean). The same grid spelled otherwise is cleared by the numbers."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.verify.comparison import compare


class _Coord(nn.Module):
    def __init__(self, how: str = "") -> None:
        super().__init__()
        self.how = how
        self.conv1 = nn.Conv2d(5, 8, 3, padding=1)
        self.block = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(8, 4)

    def _grid(self, h: int, w: int) -> torch.Tensor:
        if self.how == "arange":
            ys, xs = torch.arange(h) / (h - 1) * 2 - 1, torch.arange(w) / (w - 1) * 2 - 1
        elif self.how == "unit":
            ys, xs = torch.linspace(0, 1, h), torch.linspace(0, 1, w)
        else:
            ys, xs = torch.linspace(-1, 1, h), torch.linspace(-1, 1, w)
        yy, xx = torch.meshgrid(ys, xs, indexing="xy" if self.how == "xy" else "ij")
        return torch.stack([yy, xx])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        x = torch.cat([x, self._grid(h, w).to(x).unsqueeze(0).expand(n, -1, -1, -1)], 1)
        x = torch.relu(self.conv1(x))
        x = torch.relu(x + self.block(x))
        return self.fc(x.mean((2, 3)))


def plain() -> nn.Module:
    return _Coord()


@pytest.mark.parametrize(("how", "field"), [("unit", "range"), ("xy", "indexing")])
def test_a_grid_made_otherwise_is_a_difference(how: str, field: str) -> None:
    c = compare(_Coord(how), f"{__file__}:plain", input_size=8, num_classes=4)
    assert field in {m.field for m in c.mismatches}, [m.message for m in c.mismatches]


def test_the_same_grid_spelled_with_arange_compares_clean() -> None:
    assert not compare(_Coord("arange"), f"{__file__}:plain", input_size=8, num_classes=4).mismatches
