"""``F.scaled_dot_product_attention`` recorded as the steps it computes, so that it compares with the
same attention written by hand (``softmax(q @ k.T * scale) @ v``, ``bmm`` / ``matmul`` / ``einsum``).

One spelling per concept: the fused call is one op, the hand-written attention four or five, and
alignment would read the two as different layers (BigGAN's self-attention written either way in
public repositories). Only the plain call is split — no mask, not causal, no grouped heads — where the
steps are exactly torch's documented reference; any other call stays one op, compared as such.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

_NAMES = ("query", "key", "value", "attn_mask", "dropout_p", "is_causal")


def attention_steps(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Callable[[], torch.Tensor] | None:
    """The call as steps to run under the recording mode, or None where it is not the plain form."""
    given = dict(zip(_NAMES, args, strict=False)) | kwargs
    q, k, v = given.get("query"), given.get("key"), given.get("value")
    if not all(isinstance(t, torch.Tensor) for t in (q, k, v)):
        return None
    if given.get("attn_mask") is not None or given.get("is_causal") or given.get("enable_gqa"):
        return None
    scale = given.get("scale")
    p = float(given.get("dropout_p") or 0.0)
    assert isinstance(q, torch.Tensor) and isinstance(k, torch.Tensor) and isinstance(v, torch.Tensor)
    factor = float(scale) if scale is not None else 1.0 / math.sqrt(q.size(-1))

    def steps() -> torch.Tensor:
        scores = torch.matmul(q, k.transpose(-2, -1))
        if factor != 1.0:
            scores = scores * factor
        weights = torch.softmax(scores, dim=-1)
        if p > 0.0:
            weights = F.dropout(weights, p=p, training=True)  # the fused call always drops at p
        return torch.matmul(weights, v)

    return steps


def fused_arguments(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """What a fused call not split into steps computes beyond its inputs: a mask, causality, its scale."""
    if name != "scaled_dot_product_attention":
        return {}
    given = dict(zip(_NAMES, args, strict=False)) | kwargs
    scale = given.get("scale")
    return {
        **({"masked": True} if given.get("attn_mask") is not None else {}),
        **({"causal": True} if given.get("is_causal") else {}),
        **({"scale": float(scale)} if scale is not None else {}),
        **({"grouped_heads": True} if given.get("enable_gqa") else {}),
    }
