"""A fused fake-quantize op with fake quantization switched off returns its input as it is.

PyTorch's default QAT qconfig observes and fake-quantizes every weight and activation through
``torch.fused_moving_avg_obs_fake_quant(x, observer_on, fake_quant_on, ...)``, called whether the flags are
on or off: ``disable_fake_quant`` (a QAT model's float warm-up, a calibration pass) only sets
``fake_quant_on`` to 0, and the op then returns ``x`` (the observer may still update its own min / max
buffers, no value of the data path). So the op is read as the identity it is in the model as built; on meta
the flag's value is unknown and the op stays what it was called. Likewise its buffers (running min / max,
scale, zero point), which torch's schema marks as written by every call, are written only with
``observer_on`` set: with the observer off, a training forward leaves them as they are.
"""

from __future__ import annotations

from typing import Any

import torch

_FUSED = frozenset({"fused_moving_avg_obs_fake_quant", "_fused_moving_avg_obs_fq_helper"})
# (self, observer_on, fake_quant_on, running_min, running_max, scale, zero_point, ...)
_OBSERVER, _FAKE_QUANT = 1, 2


def _off(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], position: int, keyword: str) -> bool:
    if name not in _FUSED:
        return False
    flag = args[position] if len(args) > position else kwargs.get(keyword)
    if not isinstance(flag, torch.Tensor) or flag.is_meta or flag.numel() != 1:
        return False
    return not bool(flag.item())


def fake_quant_off(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """The call returns its input as it is (``fake_quant_on`` is 0)."""
    return _off(name, args, kwargs, _FAKE_QUANT, "fake_quant_on")


def observer_off(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """The call writes none of the buffers its schema marks as written (``observer_on`` is 0)."""
    return _off(name, args, kwargs, _OBSERVER, "observer_on")


__all__ = ["fake_quant_off", "observer_off"]
