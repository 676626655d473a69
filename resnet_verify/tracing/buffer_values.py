"""The values of a model's small constant buffers, for the ops that compute with them.

A trace runs on meta tensors, which hold shapes and no values, so two models whose every op and shape
agree could still differ in a constant they compute with: an input normalization whose mean and std
buffers were filled the wrong way round (``(x - std) / mean``) is the same two ops. Such constants are
read here, from the model the user built, before the copy that is traced loses them; the recorder
puts them on the arithmetic ops that read them (``values``), and the diff compares them where both
sides have them (a model built on meta has none: nothing is compared, nothing is claimed).

Only small, non-trainable, floating buffers count (at most :data:`MAX_VALUES` elements): constants
a user chose (a mean, a std, a temperature, a fixed scale). Learned weights are random in a compare
and a norm layer's running statistics are the training's, not the design's, so neither is read.
"""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.specs.vocabulary import STATISTICS

MAX_VALUES = 16  # an input normalization's per-channel constants; a norm's statistics are wider
# A one-value constant the build holds no value of (a model built on meta): a multiply by it is still a
# multiply by a number (``constant_operands``), whose value nothing can compare (``verify/diff.py``); and
# the positions an index tensor on meta picks (``op_args.index_bound``)
UNREAD = "?"


def small_buffer_values(model: nn.Module) -> dict[str, str]:
    """Buffer name -> its values to 6 significant digits, for every small constant buffer holding
    real values; :data:`UNREAD` for a one-value floating buffer on the meta device."""
    found: dict[str, str] = {}
    for name, t in model.named_buffers(remove_duplicate=False):
        if name.rsplit(".", 1)[-1] in STATISTICS:
            continue
        if t.device.type == "meta" and t.is_floating_point() and t.numel() == 1:
            found[name] = UNREAD
        if not _readable(t):
            continue
        flat = t.detach().reshape(-1).to("cpu", torch.float64).tolist()
        found[name] = ", ".join(f"{v:.6g}" for v in flat)
    return found


def agrees_but_unread(a: object, b: object) -> bool:
    """Two recorded values that may differ only where one build holds no value: :data:`UNREAD` itself,
    or a slice's bounds (``":, ?, :, :"``, an index tensor on meta) equal on every other axis."""
    if UNREAD in (a, b):
        return True
    if not isinstance(a, str) or not isinstance(b, str) or UNREAD not in (a + b):
        return False
    xs, ys = a.split(", "), b.split(", ")
    return len(xs) == len(ys) and all(x == y or UNREAD in (x, y) for x, y in zip(xs, ys, strict=True))


def holds_flags(model: nn.Module) -> bool:
    """Whether the model holds small integer or boolean buffers other than a norm's counter: flags its
    forward may read (a QAT fake-quantize module's ``fake_quant_enabled``, an ActNorm's ``initialized``).
    A meta copy has no values to read them by, so such a model is traced as built, on a real copy."""
    return any(
        not t.is_floating_point()
        and not t.is_complex()
        and t.device.type != "meta"
        and 0 < t.numel() <= MAX_VALUES
        and name.rsplit(".", 1)[-1] not in STATISTICS
        for name, t in model.named_buffers()
    )


def _readable(t: torch.Tensor) -> bool:
    return t.is_floating_point() and t.device.type != "meta" and 0 < t.numel() <= MAX_VALUES
