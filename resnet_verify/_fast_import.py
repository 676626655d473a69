"""Import ``torch.utils.flop_counter`` without importing triton, for the CLI's own process.

``torch.utils.flop_counter`` imports ``triton.runtime.jit`` at import time only so that
``register_flop_formula`` accepts triton kernels as targets; with a CUDA build of torch, triton is
installed and that import costs ~0.15-0.2 s of a ~3 s warm ``compare`` on this 2-core machine.
The tracer counts aten ops on CPU or meta tensors and never meets a triton kernel. So the CLI, which
owns its process, imports the module once with triton hidden and then unhides it: a later
``import triton`` (``torch.compile`` in ``train``) works as usual; only ``register_flop_formula``
on a triton kernel would be refused in that process. The Python API never does this: a library
must not change what torch accepts in its user's process.
"""

from __future__ import annotations

import logging
import sys

_HIDDEN = ("triton", "triton.runtime", "triton.runtime.jit")


def import_flop_counter_without_triton() -> None:
    if "torch.utils.flop_counter" in sys.modules or "triton" in sys.modules:
        return  # too late to matter, or triton is in use: import nothing differently
    log = logging.getLogger("torch.utils.flop_counter")
    disabled, log.disabled = log.disabled, True  # its "triton not found" warning is about us
    saved = {name: sys.modules.get(name) for name in _HIDDEN}
    try:
        for name in _HIDDEN:
            sys.modules[name] = None  # type: ignore[assignment]  # None in sys.modules: ImportError
        import torch.utils.flop_counter  # noqa: F401
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        log.disabled = disabled
