"""``Linear(1024, n)`` reached by 2048 features -> ``Linear(2048, n)``."""

from __future__ import annotations

from resnet_verify.verify.fixes.context import FixContext
from resnet_verify.verify.fixes.records import Fix
from resnet_verify.verify.fixes.widths import resize
from resnet_verify.verify.records import Pattern


def write(ctx: FixContext) -> Fix:
    return resize(ctx, Pattern.LINEAR_WIDTH, "in_features")


__all__ = ["write"]
