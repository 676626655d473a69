"""Keras models as specs: ``keras:ResNet50`` (``keras.applications``) and Keras callables in files.

Keras 3 runs on the torch backend, where a Keras model *is* an ``nn.Module`` taking NHWC input, so
no TensorFlow is needed. The backend is chosen when keras is first imported: the tool sets
``KERAS_BACKEND=torch`` when it is unset and refuses another backend rather than silently running
a model that is not a torch module. Builds never download anything (``weights=None``).
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Any

from torch import nn

from resnet_verify.errors import UsageError

KERAS_PREFIX = "keras:"
KERAS_APPLICATIONS: tuple[str, ...] = (
    "ResNet50",
    "ResNet101",
    "ResNet152",
    "ResNet50V2",
    "ResNet101V2",
    "ResNet152V2",
)
_INSTALL = "pip install 'resnet-verify[keras]'"


def is_keras_model(obj: object) -> bool:
    """True for a Keras layer or model, without importing keras."""
    return any((cls.__module__ or "").split(".", 1)[0] == "keras" for cls in type(obj).__mro__)


def ensure_torch_backend() -> None:
    """Select Keras' torch backend before keras is imported; refuse any other backend."""
    chosen = os.environ.get("KERAS_BACKEND")
    if not chosen:
        os.environ["KERAS_BACKEND"] = "torch"
    elif chosen.strip().lower() != "torch":
        raise UsageError(
            f"KERAS_BACKEND={chosen}: resnet-verify runs Keras models on the torch backend; "
            "unset KERAS_BACKEND or set it to torch"
        )
    keras = sys.modules.get("keras")
    if keras is not None:
        # keras fixes its backend at import time: an earlier import with another one cannot change.
        backend = keras.backend.backend()
        if backend != "torch":
            raise UsageError(
                f"keras was already imported with the {backend} backend; resnet-verify needs "
                "KERAS_BACKEND=torch set before keras is imported"
            )


def prefer_torch_backend() -> None:
    """Before importing a user's file: a file that imports keras gets the torch backend unless
    the user chose one (a torch-only file must not be refused for an unrelated setting)."""
    if not os.environ.get("KERAS_BACKEND"):
        os.environ["KERAS_BACKEND"] = "torch"


def import_keras() -> ModuleType:
    """keras on the torch backend, or a one-line :class:`UsageError` saying how to get it."""
    ensure_torch_backend()
    try:
        import keras
    except ImportError as exc:
        raise UsageError(f"keras is not installed ({exc}): {_INSTALL}") from None
    ensure_torch_backend()  # a keras.json or an earlier import may still pick another backend
    return keras


def keras_input_shape(input_size: tuple[int, int, int] | None) -> tuple[int, int, int]:
    """``(C, H, W)`` -> Keras' channels-last ``(H, W, C)``; 224x224x3 when no size is given."""
    c, h, w = input_size if input_size is not None else (3, 224, 224)
    return (h, w, c)


def build_keras_application(
    name: str, *, num_classes: int, input_size: tuple[int, int, int] | None
) -> nn.Module:
    """``keras.applications.NAME`` with random weights and logits out (no softmax)."""
    if not name:
        raise UsageError(
            f"malformed model spec 'keras:': give a model name, e.g. keras:{KERAS_APPLICATIONS[0]}"
        )
    if name not in KERAS_APPLICATIONS:
        import difflib

        close = difflib.get_close_matches(name, KERAS_APPLICATIONS, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"unknown Keras model {name!r}{hint}; valid: {', '.join(KERAS_APPLICATIONS)}")
    keras = import_keras()
    builder: Any = getattr(keras.applications, name)
    try:
        model = builder(
            weights=None,
            input_shape=keras_input_shape(input_size),
            classes=num_classes,
            classifier_activation=None,
        )
    except ValueError as exc:  # keras' own argument checks (e.g. an input below 32 px)
        raise UsageError(f"building keras:{name} raised ValueError: {exc}") from exc
    return checked_keras_model(model, f"keras:{name}")


def checked_keras_model(model: object, display: str) -> nn.Module:
    """A Keras model that is usable as an ``nn.Module`` (torch backend), else a UsageError."""
    if not isinstance(model, nn.Module):
        raise UsageError(
            f"{display} returned a {type(model).__name__} that is not a torch module: Keras must "
            "run on the torch backend (KERAS_BACKEND=torch)"
        )
    return model


__all__ = [
    "KERAS_APPLICATIONS",
    "KERAS_PREFIX",
    "build_keras_application",
    "checked_keras_model",
    "ensure_torch_backend",
    "import_keras",
    "is_keras_model",
    "keras_input_shape",
    "prefer_torch_backend",
]
