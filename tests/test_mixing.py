"""Mixup / CutMix on a batch: the pairing, the weight, determinism, the loss, the flags' checks."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.train.config import TrainConfig
from resnet_verify.train.mixing import Mix, mix_batch
from resnet_verify.train.recipes import Optimizer, Schedule


def _batch() -> torch.Tensor:
    return torch.randn(6, 3, 16, 16, generator=torch.Generator().manual_seed(1))


def test_off_draws_nothing_and_returns_the_batch() -> None:
    x, g = _batch(), torch.Generator().manual_seed(0)
    state = g.get_state()
    out, mix = mix_batch(x, g, mixup_alpha=0.0, cutmix_alpha=0.0)
    assert out is x and mix is None
    assert torch.equal(g.get_state(), state)  # the run's random stream is unchanged when off


def test_mixup_blends_each_image_with_its_partner_in_the_reversed_batch() -> None:
    x = _batch()
    out, mix = mix_batch(x, torch.Generator().manual_seed(0), mixup_alpha=0.4, cutmix_alpha=0.0)
    assert mix is not None and 0.0 < mix.lam < 1.0
    torch.testing.assert_close(out, mix.lam * x + (1 - mix.lam) * x.flip(0))


def test_cutmix_pastes_one_box_and_weighs_by_its_area() -> None:
    x = _batch()
    for seed in range(20):
        out, mix = mix_batch(x, torch.Generator().manual_seed(seed), mixup_alpha=0.0, cutmix_alpha=1.0)
        assert mix is not None
        changed = (out != x).any(dim=1)  # N x H x W: where the partner's pixels went in
        from_partner = (out == x.flip(0)).all(dim=1)
        assert bool((from_partner | ~changed).all())
        area = changed[0].float().mean().item()
        assert mix.lam == pytest.approx(1 - area, abs=1e-6)


def test_both_on_uses_each_sometimes_and_replays_exactly() -> None:
    x = _batch()
    kinds = set()
    for seed in range(30):
        a, ma = mix_batch(x, torch.Generator().manual_seed(seed), mixup_alpha=0.2, cutmix_alpha=1.0)
        b, mb = mix_batch(x, torch.Generator().manual_seed(seed), mixup_alpha=0.2, cutmix_alpha=1.0)
        assert torch.equal(a, b) and ma == mb
        kinds.add("cutmix" if bool(((a == x) | (a == x.flip(0))).all()) else "mixup")
    assert kinds == {"cutmix", "mixup"}


def test_loss_weighs_both_labels() -> None:
    logits = torch.randn(4, 6, generator=torch.Generator().manual_seed(2))
    y = torch.tensor([0, 1, 2, 3])
    ce = nn.CrossEntropyLoss(label_smoothing=0.1)
    torch.testing.assert_close(Mix(1.0).loss(ce, logits, y), ce(logits, y))
    torch.testing.assert_close(
        Mix(0.25).loss(ce, logits, y), 0.25 * ce(logits, y) + 0.75 * ce(logits, y.flip(0))
    )


@pytest.mark.parametrize(("mixup", "cutmix"), [(-0.1, 0.0), (0.0, -1.0), (float("nan"), 0.0)])
def test_negative_or_nan_alphas_are_refused(mixup: float, cutmix: float) -> None:
    config = TrainConfig(
        model="resnet18", num_classes=6, input_size=[3, 64, 64], classes=[str(i) for i in range(6)],
        mean=[0.0] * 3, std=[1.0] * 3, epochs=1, batch_size=4, optimizer=Optimizer.ADAMW, lr=1e-3, momentum=0.9,
        nesterov=False, weight_decay=0.0, label_smoothing=0.0, schedule=Schedule.COSINE, warmup_epochs=0.0,
        augment=False, mixup_alpha=mixup, cutmix_alpha=cutmix,
    )  # fmt: skip
    with pytest.raises(UsageError, match="--mixup and --cutmix must be >= 0"):
        config.check()
