"""Median time of ``trace()`` of ResNet-50 on meta tensors, for one checkout; run it for two checkouts
one after the other to compare them (a change must not slow the trace):

    python benchmarks/trace_side_by_side.py /path/to/old-checkout
    python benchmarks/trace_side_by_side.py .
"""

from __future__ import annotations

import copy
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = args[0] if args else "."
    sys.path.insert(0, root)
    from resnet_verify.models.resnet import resnet50
    from resnet_verify.tracing.tracer import trace

    model = resnet50(num_classes=1000)
    trace(copy.deepcopy(model).to("meta"), 64)  # warm: imports, caches
    times = []
    for _ in range(15):
        copied = copy.deepcopy(model).to("meta")
        started = time.perf_counter()
        trace(copied, 64)
        times.append(time.perf_counter() - started)
    print(f"{root}: trace(resnet50) on meta @64, median of 15: {statistics.median(times) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
