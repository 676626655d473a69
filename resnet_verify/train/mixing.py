"""Mixup and CutMix (Zhang et al. 2018; Yun et al. 2019) on a training batch, as recipe flags.

Each image is mixed with its partner in the *reversed* batch: the batch order is already a random
permutation, so this is a random pairing that needs no random numbers per image. Under data
parallelism each rank mixes within its own shard and every rank draws the same few scalars (which
of the two, the mixing weight, the box), so all ranks' generators stay in step and runs replay
exactly. When both are on, each batch uses one of them with probability 1/2 (timm's convention).

The loss is ``lam * CE(logits, y) + (1 - lam) * CE(logits, y_partner)``, label smoothing included;
with CutMix ``lam`` is the share of the image the box left unchanged, after clipping to the image.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import torch


@dataclass(frozen=True, slots=True)
class Mix:
    """How a batch was mixed: ``lam`` is the weight of each image's own label."""

    lam: float

    def loss(
        self,
        criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
        logits: torch.Tensor,
        y: torch.Tensor,
    ) -> torch.Tensor:
        return self.lam * criterion(logits, y) + (1.0 - self.lam) * criterion(logits, y.flip(0))


def mix_batch(
    x: torch.Tensor, generator: torch.Generator, *, mixup_alpha: float, cutmix_alpha: float
) -> tuple[torch.Tensor, Mix | None]:
    """The mixed batch and its weight; ``(x, None)`` when both alphas are 0 (nothing drawn)."""
    if mixup_alpha <= 0 and cutmix_alpha <= 0:
        return x, None
    # One 62-bit draw from the run's generator seeds the scalars: Python's betavariate is exact and
    # deterministic, and torch has no Beta sampler that takes a generator.
    rng = random.Random(int(torch.randint(2**62, (1,), generator=generator)))
    use_cutmix = cutmix_alpha > 0 and (mixup_alpha <= 0 or rng.random() < 0.5)
    alpha = cutmix_alpha if use_cutmix else mixup_alpha
    lam = rng.betavariate(alpha, alpha)
    partner = x.flip(0)
    if not use_cutmix:
        return lam * x + (1.0 - lam) * partner, Mix(lam)
    h, w = x.shape[-2:]
    cut_h, cut_w = round(h * (1.0 - lam) ** 0.5), round(w * (1.0 - lam) ** 0.5)
    cy, cx = rng.randrange(h), rng.randrange(w)
    top, bottom = max(cy - cut_h // 2, 0), min(cy + (cut_h - cut_h // 2), h)
    left, right = max(cx - cut_w // 2, 0), min(cx + (cut_w - cut_w // 2), w)
    out = x.clone()
    out[..., top:bottom, left:right] = partner[..., top:bottom, left:right]
    return out, Mix(1.0 - (bottom - top) * (right - left) / (h * w))
