"""Import ``torch.utils.flop_counter`` without importing triton, for the CLI's own process.

``torch.utils.flop_counter`` imports ``triton.runtime.jit`` at import time only so that
``register_flop_formula`` accepts triton kernels as targets; with a CUDA build of torch, triton is
installed and that import costs ~0.15-0.2 s of a ~3 s warm ``compare`` on this 2-core machine.
The tracer counts aten ops on CPU or meta tensors and never meets a triton kernel. So the CLI, which
owns its process, imports the module once with triton hidden and then unhides it: a later
``import triton`` (``torch.compile`` in ``train``) works as usual; only ``register_flop_formula``
on a triton kernel would be refused in that process. The Python API never does this: a library
must not change what torch accepts in its user's process.

The CLI also imports torch with the cyclic garbage collector paused (:func:`torch_imported_once`):
see there.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import Iterator

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


@contextlib.contextmanager
def torch_imported_once() -> Iterator[None]:
    """For the CLI's own process: the imports inside run with the cyclic garbage collector paused,
    and what they leave alive is frozen (``gc.freeze``) before it resumes.

    Importing torch creates ~270k objects that live until the process ends (modules, their
    functions and tables); on the way, the collector's full passes scan all of them again and again,
    and the process's exit scans them once more: ~0.5 s of a ~2 s ``python -c "import torch"`` on
    this 2-core machine. Frozen objects are left out of every later pass. Nothing the user's code creates is
    frozen (it runs after this), so its garbage is collected as usual; what is frozen is kept until
    the process ends, as it would be anyway. Like the triton hiding above, only for a process the CLI
    owns: a library must not change its user's collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
