"""A norm's, a slice's and a sort's own arguments, one spelling each (tracing/op_args.py): a
GroupNorm's groups, a slice's bounds and a sort's axis were not compared, so edits to them read as
no difference at all."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18

from resnet_verify.tracing import opkinds
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.align import align_blocks
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.gradient_diff import gradient_mismatches
from resnet_verify.verify.records import Pattern

X = torch.zeros(1, 8, 6, 16)


def test_one_spelling_each() -> None:
    w = torch.ones(8)
    gn = opkinds.classify("group_norm", (X, 4, w, w), {}, 1)[1]
    assert gn == {"norm": "group_norm", "num_groups": 4, "eps": 1e-5, "affine": True}
    assert (
        opkinds.classify("group_norm", (X,), {"num_groups": 4, "weight": w, "bias": w, "eps": 1e-5}, 1)[1]
        == gn
    )
    tail = opkinds.classify("__getitem__", (X, (Ellipsis, slice(-4, None))), {}, 1)[1]
    head = opkinds.classify("__getitem__", (X, (slice(None), slice(None), slice(None), slice(0, 4))), {}, 1)[
        1
    ]
    assert tail["bounds"] == ":, :, :, -4:" and head["bounds"] == ":, :, :, 0:4"
    assert opkinds.classify("__getitem__", (X, (Ellipsis, slice(12, 16))), {}, 1)[1] == tail
    sort_last = opkinds.classify("sort", (X,), {}, 1)[1]
    assert sort_last == opkinds.classify("sort", (X, 3), {}, 1)[1] == {"function": "sort", "dim": 3, "of": 4}


class _Net(nn.Module):
    def __init__(self, groups: int, keep_tail: bool) -> None:
        super().__init__()
        self.body = resnet18(num_classes=6)
        self.norm = nn.GroupNorm(groups, 64)
        self.keep_tail = keep_tail

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b = self.body
        y = self.norm(b.maxpool(b.relu(b.bn1(b.conv1(x)))))
        y = b.layer4(b.layer3(b.layer2(b.layer1(y))))
        y = y[..., -1:] if self.keep_tail else y[..., :1]
        return b.fc(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1))


def test_groups_and_bounds_are_differences() -> None:
    with torch.device("meta"):
        a, b = _Net(32, True), _Net(16, False)
    c = compare_traces(trace(a, 64), trace(b, 64), reference_name="a", candidate_name="b", num_classes=6)
    fields = sorted(str(m.field) for m in c.mismatches)
    assert fields == ["bounds", "num_groups"], fields
    with torch.device("meta"):
        same = _Net(32, True)
    again = compare_traces(
        trace(a, 64), trace(same, 64), reference_name="a", candidate_name="c", num_classes=6
    )
    assert not again.mismatches


def test_a_detached_copy_of_the_input_cuts_nothing() -> None:
    class _Tracked(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = resnet18(num_classes=6)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.net(x.clone().detach().requires_grad_(True))

    with torch.device("meta"):
        tracked, plain = _Tracked(), resnet18(num_classes=6)
    t, p = trace(tracked, 64), trace(plain, 64)
    assert not gradient_mismatches(p, t, align_blocks(p, t))
    c = compare(tracked, "resnet18", input_size=64, num_classes=6)
    assert not c.mismatches and not any(f.pattern is Pattern.DESCRIBED for f in c.findings)


def test_a_transposed_conv_records_its_kernel_stride_and_padding() -> None:
    w = torch.zeros(8, 4, 2, 2, 1)
    x = torch.zeros(1, 8, 4, 4, 4)
    a = opkinds.classify("conv_transpose3d", (x, w, None, (2, 2, 1)), {}, 1)[1]
    assert a["kernel_size"] == (2, 2, 1) and a["stride"] == (2, 2, 1) and a["padding"] == (0, 0, 0)
    b = opkinds.classify("conv_transpose3d", (x, w), {"stride": 2}, 1)[1]
    assert b["stride"] == (2, 2, 2) and b["groups"] == 1


def test_a_variance_divisor_and_shuffle_factor_are_recorded() -> None:
    var = opkinds.classify("var", (X, -1), {"unbiased": False, "keepdim": True}, 1)[1]
    assert var["correction"] == 0
    assert opkinds.classify("var", (X, -1), {"correction": 0}, 1)[1]["correction"] == 0
    assert opkinds.classify("var", (X, -1, True), {}, 1)[1]["correction"] == 1
    assert opkinds.classify("std", (X,), {}, 1)[1]["correction"] == 1  # torch's default
    assert opkinds.classify("__truediv__", (X, 2), {}, 1)[1]["scalar"] == 2.0
    assert "scalar" not in opkinds.classify("__truediv__", (X, X), {}, 2)[1]
    assert opkinds.classify("pixel_shuffle", (X, 2), {}, 1)[1]["upscale_factor"] == 2
    assert opkinds.classify("pixel_unshuffle", (X,), {"downscale_factor": 2}, 1)[1]["downscale_factor"] == 2


class _Upsampler(nn.Module):
    """A residual trunk, then sub-pixel blocks: conv to ``4 * C`` (or ``16 * C``), PixelShuffle."""

    def __init__(self, factor: int) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.body = nn.ModuleList(nn.Conv2d(8, 8, 3, padding=1) for _ in range(2))
        self.up = nn.Sequential(nn.Conv2d(8, 8 * factor**2, 3, padding=1), nn.PixelShuffle(factor))
        self.out = nn.Conv2d(8, 3, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for conv in self.body:
            x = x + conv(torch.relu(x))
        return self.out(self.up(x))


def test_a_shuffles_factor_is_a_difference_not_a_width() -> None:
    with torch.device("meta"):
        a, b = _Upsampler(2), _Upsampler(4)
    c = compare_traces(trace(a, 16), trace(b, 16), reference_name="a", candidate_name="b", num_classes=3)
    assert "upscale_factor" in {m.field for m in c.mismatches}
    assert any("pixel_shuffle upscale_factor 4 where the reference has 2" in f.message for f in c.findings)
    assert Pattern.WIDTHS not in {f.pattern for f in c.findings}, [f.message for f in c.findings]


def test_a_repeat_records_its_counts_and_once_is_a_copy() -> None:
    assert opkinds.classify("repeat", (X, 1, 1, 1, 1), {}, 1)[0] is opkinds.OpKind.RESHAPE
    assert opkinds.classify("tile", (X, (1, 1)), {}, 1)[0] is opkinds.OpKind.RESHAPE
    assert opkinds.classify("repeat", (X, (1, 3, 1, 1)), {}, 1)[1] == {
        "function": "repeat",
        "repeats": (1, 3, 1, 1),
    }
    assert opkinds.classify("repeat", (X, 1, 2, 1, 1), {}, 1)[1]["repeats"] == (1, 2, 1, 1)


class _Shift(nn.Module):
    """TSM's temporal shift written with slice assignments into zeros (``out[:, :-1, :f] = x[:, 1:, :f]``)."""

    def __init__(self, to: slice) -> None:
        super().__init__()
        self.into, self.conv = to, nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.zeros_like(x)
        out[:, self.into] = x[:, 1:5]
        return x + self.conv(out)


def test_a_write_into_a_region_is_an_op_where_it_writes_is_compared() -> None:
    t = trace(_Shift(slice(0, 4)), torch.Size([1, 8, 8, 8]))
    written = [op for op in t.ops if op.name == "__setitem__"]
    assert len(written) == 1 and written[0].attrs and dict(written[0].attrs)["bounds"] == ":, 0:4, :, :"
    conv = next(op for op in t.ops if op.kind is opkinds.OpKind.CONV)
    assert conv.inputs == (written[0].id,)  # the conv reads what was written, not the zeros alone
    other = trace(_Shift(slice(4, 8)), torch.Size([1, 8, 8, 8]))
    c = compare_traces(t, other, reference_name="a", candidate_name="b", num_classes=8)
    assert [m.field for m in c.mismatches] == ["bounds"]


def test_indexing_away_unit_axes_is_a_squeeze_but_not_one_sample() -> None:
    """fast-reid's ``neck_feat[..., 0, 0]`` on N x C x 1 x 1 keeps every element: layout; ``x[0]``
    takes one sample of the batch, which a trace's batch of one would hide, and ``x[..., 0]`` on a
    wider axis drops elements: both stay slices."""
    pooled = torch.zeros(1, 8, 1, 1)
    assert opkinds.classify("__getitem__", (pooled, (Ellipsis, 0, 0)), {}, 1)[0] is opkinds.OpKind.RESHAPE
    assert opkinds.classify("__getitem__", (pooled, (slice(None), slice(None), 0, -1)), {}, 1)[0] is (
        opkinds.OpKind.RESHAPE
    )
    assert opkinds.classify("__getitem__", (pooled, 0), {}, 1)[0] is opkinds.OpKind.SLICE
    assert opkinds.classify("__getitem__", (X, (Ellipsis, 0)), {}, 1)[0] is opkinds.OpKind.SLICE


def test_an_interpolation_mode_is_compared_once() -> None:
    """Nearest and bilinear upsampling give one shape and other values (PSENet's FPN neck); the
    align_corners only a linear mode has follows from the mode, not a second difference."""

    class Up(nn.Module):
        def __init__(self, mode: str) -> None:
            super().__init__()
            self.conv, self.mode = nn.Conv2d(3, 4, 3), mode

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.interpolate(self.conv(x), scale_factor=2, mode=self.mode)

    c = compare_traces(trace(Up("bilinear"), (3, 8, 8)), trace(Up("nearest"), (3, 8, 8)), reference_name="a",
                       candidate_name="b", num_classes=4)  # fmt: skip
    assert [(m.field, m.expected, m.actual) for m in c.mismatches] == [("mode", "bilinear", "nearest")]
    same = compare_traces(trace(Up("bilinear"), (3, 8, 8)), trace(Up("bilinear"), (3, 8, 8)), reference_name="a",
                          candidate_name="b", num_classes=4)  # fmt: skip
    assert not same.mismatches


def test_an_adaptive_pool_to_the_size_it_has_is_the_identity() -> None:
    """ASTER's ``AdaptiveAvgPool2d((1, None))`` on a map already one row high averages one element per
    window: no op; the same pool on a taller map, and a global pool of a 1 x 1 map, stay pools."""
    row, tall, unit = torch.zeros(1, 8, 1, 16), torch.zeros(1, 8, 4, 16), torch.zeros(1, 8, 1, 1)
    assert opkinds.classify("adaptive_avg_pool2d", (row, (1, None)), {}, 1)[0] is opkinds.OpKind.RESHAPE
    assert (
        opkinds.classify("adaptive_avg_pool2d", (tall, (1, None)), {}, 1)[0] is opkinds.OpKind.ADAPTIVE_POOL
    )
    assert opkinds.classify("adaptive_avg_pool2d", (unit, 1), {}, 1)[0] is opkinds.OpKind.GLOBAL_POOL


def test_a_mean_over_an_unfolded_window_is_the_average_pool() -> None:
    """PatchCore's neighbourhood average written with F.unfold is AvgPool2d(3, 1, 1) (zero padding
    counted); a max over the window (zeros, not -inf, in its padding) is not a pool."""

    class Pool(nn.Module):
        def __init__(self, how: str) -> None:
            super().__init__()
            self.conv, self.how = nn.Conv2d(3, 4, 3, padding=1), how

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.conv(x)
            if self.how == "pool":
                return F.avg_pool2d(y, 3, 1, 1)
            n, c, h, w = y.shape
            windows = F.unfold(y, 3, padding=1).reshape(n, c, 9, h, w)
            return windows.mean(2) if self.how == "mean" else windows.amax(2)

    a, b = Pool("pool"), Pool("mean")
    b.load_state_dict(a.state_dict())
    x = torch.randn(1, 3, 8, 8)
    torch.testing.assert_close(a(x), b(x))
    for ref, cand in ((a, b), (b, a)):
        assert not compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a",
                                  candidate_name="b", num_classes=4).mismatches  # fmt: skip
    assert compare_traces(trace(a, (3, 8, 8)), trace(Pool("max"), (3, 8, 8)), reference_name="a",
                          candidate_name="b", num_classes=4).mismatches  # fmt: skip


class _PoolOverTime(nn.Module):
    """MS-ResNet's head: an adaptive pool that keeps the time axis (None) and averages space."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.conv, self.fc = nn.Conv3d(2, width, 3, padding=1), nn.Linear(width, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.adaptive_avg_pool3d(torch.relu(self.conv(x)), (None, 1, 1))
        return self.fc(y.flatten(2).mean(2))


def test_an_adaptive_pools_kept_axis_is_recorded_as_its_size() -> None:
    sizes = [dict(op.attrs).get("output_size") for op in trace(_PoolOverTime(8), (1, 2, 4, 8, 8)).ops]
    assert (4, 1, 1) in sizes, sizes
    c = compare_traces(trace(_PoolOverTime(8), (1, 2, 4, 8, 8)), trace(_PoolOverTime(16), (1, 2, 4, 8, 8)),
                       reference_name="a", candidate_name="b", num_classes=4)  # fmt: skip
    assert Pattern.WIDTHS in {f.pattern for f in c.findings}  # the widths, no crash in the head's checks


class _Clipped(nn.Module):
    def __init__(self, high: float) -> None:
        super().__init__()
        self.conv, self.fc, self.high = nn.Conv2d(3, 8, 3), nn.Linear(8, 4), high

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.conv(x).clamp(max=self.high).clamp_min(-1.0).mean((2, 3)))


def test_a_clamps_bounds_are_compared() -> None:
    def messages(a: float, b: float) -> list[str]:
        c = compare_traces(trace(_Clipped(a), (3, 8, 8)), trace(_Clipped(b), (3, 8, 8)), reference_name="a",
                           candidate_name="b", num_classes=4)  # fmt: skip
        return [m.message for m in c.mismatches]

    assert not messages(3.0, 3.0)
    found = messages(3.0, 6.0)
    assert found and all("clamp_max" in m for m in found), found  # was no difference at all


class _Lambda(nn.Module):
    """Keys softmaxed along one axis of a (b, heads, depth, positions) view (a lambda layer's), by
    ``Tensor.softmax``, ``F.softmax`` or ``nn.Softmax``."""

    def __init__(self, dim: int, spelling: str = "method") -> None:
        super().__init__()
        self.dim, self.spelling = dim, spelling
        self.stem, self.keys = nn.Conv2d(3, 8, 3, padding=1), nn.Conv2d(8, 8, 1)
        self.softmax = nn.Softmax(dim)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        b, c, h, w = x.shape
        k = self.keys(x).view(b, 2, 4, h * w)
        if self.spelling == "method":
            k = k.softmax(dim=self.dim)
        else:
            k = F.softmax(k, self.dim) if self.spelling == "functional" else self.softmax(k)
        return self.fc((x + k.view(b, c, h, w)).mean((2, 3)))


def test_a_softmax_axis_is_compared_whatever_the_spelling() -> None:
    def compared(ref: nn.Module, cand: nn.Module) -> list[str]:
        c = compare_traces(trace(ref, (3, 8, 8)), trace(cand, (3, 8, 8)), reference_name="a", candidate_name="b",
                           num_classes=4)  # fmt: skip
        return [m.message for m in c.mismatches]

    for spelling in ("method", "functional", "module"):
        found = compared(_Lambda(-1), _Lambda(2, spelling))
        assert len(found) == 1 and "softmax dim is 2, expected 3" in found[0], found
        assert not compared(_Lambda(-1), _Lambda(3, spelling))  # the same axis counted from the end
