"""A drop path written by hand, read from what a training forward draws.

timm's functional ``drop_path(x, drop_prob, training)`` and the copies of it in hand-written ResNets
return their input before any torch call in eval mode, and no module says what they are: the eval
trace sees nothing, the class holds no rate. A training forward shows them: a random mask drawn with
one value per sample (``x.new_empty((N, 1, 1, 1)).bernoulli_(keep)``, ``keep + torch.rand((N, 1, 1,
1))`` floored) or one for the whole batch, multiplied into the data. That is stochastic depth, whatever
the function is called; its rate is ``1 - keep`` where the draw states ``keep`` (a bernoulli's
probability), unknown (nan) where it does not. A mask with one value per element is dropout's, not
this, and a per-sample factor that is not zero or one (a brightness jitter, ``x * (1 + 0.2 * rand)``)
an augmentation's; and only inside a residual block does a dropped sample skip a branch: such stretches
stay training-mode branches, described as what they run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from resnet_verify.tracing.records import Shape

_DISTRIBUTION = {
    "rand": "uniform", "rand_like": "uniform", "uniform_": "uniform", "bernoulli": "bernoulli",
    "bernoulli_": "bernoulli", "randint": "integer", "randint_like": "integer", "randn": "normal",
    "randn_like": "normal", "normal_": "normal", "normal": "normal",
}  # fmt: skip
DRAWS = frozenset(_DISTRIBUTION)
BATCH = 2  # the training-mode pass's batch: one value per sample and one for the batch differ in shape
# what makes a tensor only to be filled by a draw (``x.new_zeros(()).repeat(*x.size()).normal_()``)
MAKERS = frozenset({"new_zeros", "new_ones", "new_empty", "new_full", "zeros_like", "ones_like", "empty_like",
                    "full_like", "zeros", "ones", "empty", "full", "repeat", "expand"})  # fmt: skip
BINARIZES = frozenset({"floor", "floor_", "round", "round_", "lt", "gt", "le", "ge", "__lt__", "__gt__", "__le__",
                        "__ge__"})  # fmt: skip
_APPLIES = frozenset(
    {"mul", "mul_", "__mul__", "__rmul__", "where", "__imul__", "masked_fill", "masked_fill_"}
)


class Drawn(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def p(self) -> float | None: ...
    @property
    def shape(self) -> Shape | None: ...


def _whole_samples(shape: Shape | None) -> bool:
    """One value per sample, or one for the batch: every axis after the first of size 1."""
    return shape is not None and all(s == 1 for s in shape[1:])


def draw_name(name: str, shape: Shape | None) -> str:
    """A random draw as what it draws, whatever the spelling: ``normal draw (one per sample)``."""
    if shape is None:
        return f"{_DISTRIBUTION[name]} draw"
    numel = math.prod(shape)
    extent = (
        "one for the batch" if numel == 1
        else "one per sample" if shape[:1] == (BATCH,) and numel == BATCH
        else "one per element"
    )  # fmt: skip
    return f"{_DISTRIBUTION[name]} draw ({extent})"


def drop_path_rate(calls: Sequence[Drawn]) -> float | None:
    """The drop rate of a training-only stretch that draws a per-sample mask and applies it; None
    where the stretch is something else. nan: a drop path whose rate the draw does not state."""
    draws = [c for c in calls if c.name in DRAWS]
    if not draws or not all(_whole_samples(c.shape) for c in draws):
        return None
    # a mask of zeros and ones (a bernoulli draw, a uniform one floored or compared with the keep
    # probability) multiplied in; a per-sample factor drawn and multiplied in unbinarized is a jitter
    binary = any(c.name.startswith("bernoulli") for c in draws) or any(c.name in BINARIZES for c in calls)
    if not binary or not any(c.name in _APPLIES for c in calls):
        return None
    keep = next((c.p for c in draws if c.p is not None), None)
    return 1.0 - keep if keep is not None else math.nan


__all__ = ["BATCH", "BINARIZES", "DRAWS", "MAKERS", "draw_name", "drop_path_rate"]
