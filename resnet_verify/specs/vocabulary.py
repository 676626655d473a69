"""One spelling list per arithmetic concept and per BatchNorm buffer role, read by every rule.

``x * s``, ``s * x``, ``x.mul(s)``, ``x.mul_(s)`` and ``x *= s`` are one multiply; a rule that knew
only some of them fell silent on the others (a conv bias added in place, a hand-written BN written
with ``sub_``/``div_``). Reflected subtraction and division (``1 - x``, ``1 / x``) are left out on
purpose: their operands come in the other order, and a rule reading ``args[1]`` as the subtrahend or
divisor would read them backwards.
"""

from __future__ import annotations

MUL = frozenset({"mul", "mul_", "__mul__", "__rmul__", "__imul__"})
ADD = frozenset({"add", "add_", "__add__", "__radd__", "__iadd__"})
SUB = frozenset({"sub", "sub_", "__sub__", "__isub__"})
DIV = frozenset({"div", "div_", "__truediv__", "__itruediv__", "true_divide", "truediv"})

RUNNING = ("running_mean", "running_var")
# a BatchNorm's buffers: suffixes for ``str.endswith`` and leaf names for ``in``
STATISTICS = (*RUNNING, "num_batches_tracked")
