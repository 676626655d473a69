"""resnet-verify: verify a hand-written ResNet against torchvision's.

``import resnet_verify`` is cheap (torch is imported on first use). The public API is re-exported
lazily: :func:`trace`, :func:`compare`, :func:`check_equivalence`, :func:`port`, :func:`render`
and :func:`build_model`.

Three of those share their name with the submodule that defines them (``resnet_verify.compare``,
``resnet_verify.port``, ``resnet_verify.render``). Importing a submodule stores it as an attribute
of the package, which would shadow the function; so those submodules are made *callable*
(calling ``resnet_verify.compare`` calls ``resnet_verify.compare.compare``). Both
``resnet_verify.compare(model, ...)`` and ``import resnet_verify.compare as m`` keep working,
whatever was imported first.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, tuple[str, str]] = {
    "trace": ("resnet_verify.tracer", "trace"),
    "compare": ("resnet_verify.compare", "compare"),
    "check_equivalence": ("resnet_verify.equivalence", "check_equivalence"),
    "port": ("resnet_verify.port", "port"),
    "render": ("resnet_verify.render", "render"),
    "build_model": ("resnet_verify.specs", "build_model"),
}
# Submodules named like the function they export.
_CALLABLE_SUBMODULES = frozenset(n for n, (mod, _) in _EXPORTS.items()
                                 if mod == f"{__name__}.{n}")


class _CallableModule(types.ModuleType):
    """A submodule that, called, calls its own function of the same name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(self, self.__name__.rsplit(".", 1)[-1])(*args, **kwargs)


def _make_callable(module: Any) -> Any:
    if isinstance(module, types.ModuleType) and type(module) is types.ModuleType:
        module.__class__ = _CallableModule
    return module


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # The import system binds each imported submodule here with setattr(package, name, mod).
        if name in _CALLABLE_SUBMODULES and isinstance(value, types.ModuleType):
            _make_callable(value)
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    if name in _CALLABLE_SUBMODULES:
        return _make_callable(module)  # the callable submodule itself
    value = getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


sys.modules[__name__].__class__ = _Package
for _name in _CALLABLE_SUBMODULES:  # submodules imported before this package finished importing
    if f"{__name__}.{_name}" in sys.modules:
        _make_callable(sys.modules[f"{__name__}.{_name}"])

__all__ = ["__version__", *_EXPORTS]
