"""Ops that commute are read in one order (tracing/commute.py), and a normalizer-free pre-activation
network's transition blocks are pre-activation too (patterns/blocks.py: NF-ResNet's scaled activation
before the fork, its first block's activation before the stem's pool)."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern


class _Stem(nn.Module):
    def __init__(self, pool: nn.Module, act: nn.Module) -> None:
        super().__init__()
        self.conv, self.bn, self.pool, self.act = (
            nn.Conv2d(3, 64, 7, 2, 3, bias=False),
            nn.BatchNorm2d(64),
            pool,
            act,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.pool(self.bn(self.conv(x))))


def _resnet18_stem(pool: nn.Module, act: nn.Module) -> nn.Module:
    model = resnet18(num_classes=10)
    model.conv1, model.bn1, model.relu, model.maxpool = (
        _Stem(pool, act),
        nn.Identity(),
        nn.Identity(),
        nn.Identity(),
    )
    return model


def test_relu_after_the_max_pool_is_the_same_stem() -> None:
    with torch.device("meta"):
        model = _resnet18_stem(nn.MaxPool2d(3, 2, 1), nn.ReLU())
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert c.ok, [m.message for m in c.mismatches]


def test_what_does_not_commute_still_differs() -> None:
    # ReLU after an average pool is another function; a LeakyReLU after a max pool commutes in
    # arithmetic but is not ReLU, and the activation difference must stay the reported one.
    for pool, act in ((nn.AvgPool2d(3, 2, 1), nn.ReLU()), (nn.MaxPool2d(3, 2, 1), nn.LeakyReLU(0.1))):
        with torch.device("meta"):
            model = _resnet18_stem(pool, act)
        assert not compare(model, "resnet18", input_size=64, num_classes=10).ok, (pool, act)


def test_the_swap_keeps_ids_and_readers() -> None:
    class TwoReaders(nn.Module):  # the pool is also read by something else: left as written
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            p = torch.max_pool2d(self.conv(x), 2)
            return torch.relu(p) + p

    ops = trace(_Stem(nn.MaxPool2d(3, 2, 1), nn.ReLU()), 32).ops
    kinds = [o.kind for o in ops]
    relu, pool = kinds.index(OpKind.RELU), kinds.index(OpKind.MAX_POOL)
    assert relu < pool and ops[pool].inputs == (relu,) and ops[relu].out_shape == (1, 64, 16, 16)
    assert all(o.id == i for i, o in enumerate(ops))
    kept = [o.kind for o in trace(TwoReaders(), 16).ops]
    assert kept.index(OpKind.MAX_POOL) < kept.index(OpKind.RELU)


class _NormFree(nn.Module):
    """A normalizer-free pre-activation block, as NF-ResNets write it: ``act(x) * beta`` feeds both
    paths of a transition block (so it runs before the fork), the residual branch scaled by alpha."""

    def __init__(self, cin: int, cout: int, stride: int, beta: float) -> None:
        super().__init__()
        self.beta, self.alpha = beta, 0.2
        self.act = nn.ReLU()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.proj = nn.Conv2d(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pre = self.act(x) * self.beta
        skip = self.proj(pre) if self.proj is not None else x
        return self.conv2(self.act(self.conv1(pre))) * self.alpha + skip


class _NFNet(nn.Module):
    def __init__(self, preact: bool = True) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3), nn.MaxPool2d(3, 2, 1))
        blocks, cin, beta = [], 64, 1.0
        for width, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            blocks += [_NormFree(cin, width, stride, beta), _NormFree(width, width, 1, 1.0 / (1 + beta))]
            cin, beta = width, beta * 0.9
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Sequential(nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.blocks(self.stem(x)))


def test_a_normalizer_free_network_is_pre_activation_in_every_block() -> None:
    with torch.device("meta"):
        model = _NFNet()
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    pre = [f for f in c.findings if f.pattern is Pattern.PRE_ACTIVATION]
    assert len(pre) == 1 and pre[0].message.startswith("8 blocks"), [f.title for f in c.findings]
    # the tail ReLUs the transition blocks lack are the pre-activation, not a difference of their own
    relu_left = [c.mismatches[i] for i in c.unexplained if c.mismatches[i].op_kind is OpKind.RELU]
    assert not relu_left, [m.message for m in relu_left]


def test_a_post_activation_network_without_norms_is_not_pre_activation() -> None:
    with torch.device("meta"):
        model = resnet18(num_classes=10, norm_layer=lambda c: nn.Identity())
    c = compare(model, "resnet18", input_size=64, num_classes=10)
    assert Pattern.PRE_ACTIVATION not in {f.pattern for f in c.findings}
