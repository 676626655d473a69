"""Zero padding written as its own op reads as the padding of the conv / pool that reads it
(tracing/padfold.py): folded where it is the same function, kept as a pad op where it is not."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare


class _Padded(nn.Module):
    def __init__(self, pad: tuple[int, ...], *, mode: str = "constant", value: float = 0.0,
                 pool: bool = False, relu: bool = True, twice: bool = False) -> None:  # fmt: skip
        super().__init__()
        self.pad, self.mode, self.value, self.pool, self.relu, self.twice = (
            pad,
            mode,
            value,
            pool,
            relu,
            twice,
        )
        self.conv = nn.Conv2d(3, 8, 3, stride=2, bias=False)
        self.mp = nn.MaxPool2d(3, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pool:
            x = torch.relu(x) if self.relu else x
            return self.mp(F.pad(x, self.pad, mode=self.mode, value=self.value))
        padded = F.pad(x, self.pad, mode=self.mode) if self.mode != "constant" else F.pad(x, self.pad)
        out = self.conv(padded)
        return out + padded.mean() if self.twice else out


def _ops(model: nn.Module) -> dict[OpKind, dict[str, object]]:
    return {op.kind: dict(op.attrs) for op in trace(model, 32).ops}


def test_tf_same_pad_folds_into_the_conv_as_four_numbers() -> None:
    ops = _ops(_Padded((0, 1, 0, 1)))
    assert OpKind.PAD not in ops and ops[OpKind.CONV]["padding"] == (0, 1, 0, 1)  # top, bottom, left, right
    assert ops[OpKind.RESHAPE]["part_of"] == "padding"
    assert _ops(_Padded((1, 1, 1, 1)))[OpKind.CONV]["padding"] == (1, 1)


def test_pool_padding_folds_only_where_zeros_and_minus_inf_agree() -> None:
    assert _ops(_Padded((1, 1, 1, 1), pool=True))[OpKind.MAX_POOL]["padding"] == (1, 1)  # after a ReLU
    assert _ops(_Padded((1, 1, 1, 1), pool=True, relu=False, value=float("-inf")))[OpKind.MAX_POOL][
        "padding"
    ] == (1, 1)
    kept = _ops(_Padded((1, 1, 1, 1), pool=True, relu=False))  # zeros can win a max over negatives
    assert OpKind.PAD in kept and kept[OpKind.MAX_POOL]["padding"] == (0, 0)


def test_other_pads_stay_the_op_they_are() -> None:
    reflect = _ops(_Padded((1, 1, 1, 1), mode="reflect"))
    assert reflect[OpKind.PAD]["mode"] == "reflect" and reflect[OpKind.CONV]["padding"] == (0, 0)
    twice = _ops(_Padded((1, 1, 1, 1), twice=True))  # read by the conv and by a mean: not the conv's own
    assert OpKind.PAD in twice and twice[OpKind.CONV]["padding"] == (0, 0)
    crop = _ops(_Padded((-1, -1, -1, -1)))  # a negative pad crops: the slice it takes (tracing/crops.py)
    assert OpKind.PAD not in crop and crop[OpKind.SLICE]["bounds"] == ":, :, 1:-1, 1:-1"


class _ZeroPadStem(nn.Module):
    """torchvision's ResNet-18 with its stem conv written the Keras way: ZeroPad2d(3) + a 'valid' conv."""

    def __init__(self) -> None:
        super().__init__()
        import torchvision

        self.net = torchvision.models.resnet18(num_classes=10)
        self.net.conv1 = nn.Sequential(nn.ZeroPad2d(3), nn.Conv2d(3, 64, 7, 2, 0, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def test_explicit_padding_that_is_the_layers_own_compares_clean() -> None:
    c = compare(_ZeroPadStem(), "resnet18", input_size=64, num_classes=10)
    assert not c.mismatches and not c.findings


def test_a_right_pad_no_pool_window_reads_is_no_op() -> None:
    """Hannun's ResNet1D pads its identity by one before MaxPool1d(2): at an even length the pool never
    reads the padded element; at an odd length it does (a zero where there was none), a difference."""
    import torch
    from torch import nn

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import compare_traces

    class Skip(nn.Module):
        def __init__(self, padded: bool) -> None:
            super().__init__()
            self.conv, self.padded = nn.Conv1d(4, 4, 3, padding=1), padded

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            pool = nn.functional.max_pool1d
            skip = pool(nn.functional.pad(x, (0, 1)), 2) if self.padded else pool(x, 2)
            return torch.relu(pool(self.conv(x), 2) + skip)

    def net(padded: bool) -> nn.Module:
        return nn.Sequential(
            nn.Conv1d(2, 4, 3, padding=1), Skip(padded), nn.AdaptiveAvgPool1d(1), nn.Flatten()
        )

    def mismatches(length: int) -> int:
        c = compare_traces(trace(net(False), (2, length)), trace(net(True), (2, length)), reference_name="a",
                           candidate_name="b", num_classes=4)  # fmt: skip
        return len(c.mismatches)

    assert mismatches(16) == 0
    assert mismatches(15) > 0
