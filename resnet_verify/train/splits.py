"""The validation split every selection is made on (the test split only ever gets evaluated).

When the data has no validation folder of its own (the Coursera HDF5 pair), a fixed fraction of each
class of the training split is held out. The choice depends on the labels and ``seed`` only, never
on the training seed, so every run of a comparison is selected on the same images.
"""

from __future__ import annotations

import torch

VAL_FRACTION = 0.1
VAL_SEED = 0


def stratified_holdout(
    y: torch.Tensor, fraction: float = VAL_FRACTION, seed: int = VAL_SEED
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(train_idx, val_idx)``: sorted int64 indices into ``y`` that together cover it once.

    Each class with ``n`` >= 2 images gives ``round(fraction * n)`` of them to validation, at least
    one and never all; a class with one image stays in training. Which images go is a permutation
    drawn per class from a generator seeded with ``seed`` (and the class), so the split is the same
    on every machine and does not move when another class changes.
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"validation fraction must be in (0, 1), got {fraction}")
    labels = y.to(torch.int64).reshape(-1)
    held: list[torch.Tensor] = []
    for cls in torch.unique(labels).tolist():
        members = torch.nonzero(labels == cls).reshape(-1)
        n = int(members.numel())
        if n < 2:
            continue
        k = min(n - 1, max(1, round(fraction * n)))
        gen = torch.Generator().manual_seed(seed * 1_000_003 + int(cls))
        held.append(members[torch.randperm(n, generator=gen)[:k]])
    val = torch.sort(torch.cat(held)).values if held else torch.zeros(0, dtype=torch.int64)
    keep = torch.ones(labels.numel(), dtype=torch.bool)
    keep[val] = False
    return torch.nonzero(keep).reshape(-1), val
