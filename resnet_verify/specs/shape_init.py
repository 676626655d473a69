"""Build a model whose values nobody reads: ``torch.nn.init``'s random initialisers fill zeros.

``compare`` without ``--equivalence`` and ``summary`` read a candidate's shapes, dtypes, module
tree and op graph, never its values, yet building resnet50 spends ~40% of its time drawing 25.6 M
random numbers (``kaiming_uniform_`` in every conv and Linear). Zeros cost a memset, are never
NaN or denormal (so the traced forward runs at full speed) and leave a trace that depends on shapes
only, as before. Constant initialisers (BatchNorm's ones and zeros) are left alone, and a
user's own ``tensor.normal_()`` still runs: only what goes through ``torch.nn.init`` is skipped.
Numeric work (``--equivalence``, ``port``, ``train``) always builds with the real initialisers.

Only for builders whose structure is known not to depend on values (the family, torchvision, timm;
``builders.structure_ignores_values``): a user's builder that prunes by weight magnitude, exports and
re-imports, or branches on its weights builds another model from zeros (a pruned resnet50 read as the
unpruned one), so user code never runs under this.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch
import torch.nn.init as init

_RANDOM = ("uniform_", "normal_", "trunc_normal_", "xavier_uniform_", "xavier_normal_",
           "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_")  # fmt: skip


def _zeros(tensor: Any, *args: Any, **kwargs: Any) -> Any:
    if not isinstance(tensor, torch.Tensor):
        return tensor
    with torch.no_grad():
        return tensor.zero_()


@contextlib.contextmanager
def zero_random_init() -> Iterator[None]:
    """Inside: ``torch.nn.init``'s random initialisers write zeros (restored on exit, even on error)."""
    saved = {name: getattr(init, name) for name in _RANDOM if hasattr(init, name)}
    try:
        for name in saved:
            setattr(init, name, _zeros)
        yield
    finally:
        for name, fn in saved.items():
            setattr(init, name, fn)
