"""A conv built for other input channels than reach it: ``Conv2d(46, 128, 1)`` after a 64-channel
layer -> ``Conv2d(64, 128, 1)``. Only where the channels are a literal: a wrong variable
(``in_planes`` for ``planes``) is a choice the user makes."""

from __future__ import annotations

from resnet_verify.verify.fixes.context import FixContext
from resnet_verify.verify.fixes.records import Fix
from resnet_verify.verify.fixes.widths import resize
from resnet_verify.verify.records import Pattern


def write(ctx: FixContext) -> Fix:
    return resize(ctx, Pattern.CONV_IN_CHANNELS, "in_channels")


__all__ = ["write"]
