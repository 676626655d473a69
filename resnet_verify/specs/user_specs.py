"""``FILE.py:CALLABLE`` and ``MODULE:CALLABLE`` specs: the user's file imported as Python imports
it (its folder importable, a fresh module name per load) and the callable called as its author
would call it, with the class count when it takes one; plus helpers every spec form shares.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import importlib.util
import inspect
import itertools
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.specs import keras_specs
from resnet_verify.specs.sources import display_path, is_user_file
from resnet_verify.specs.usercode import model_folder

DEFAULT_CLASSES = 1000  # torchvision's (ImageNet): what a builder given no class count builds
DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\Z")
_user_module_ids = itertools.count()


def suggest(name: str, choices: Any) -> str:
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def device_ctx(dev: torch.device | None) -> contextlib.AbstractContextManager[Any]:
    return dev if dev is not None else contextlib.nullcontext()


def exc_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def classes_kwarg(num_classes: int | None) -> dict[str, int]:
    """``num_classes=K`` for a library builder; nothing when none was asked for (its default)."""
    return {} if num_classes is None else {"num_classes": num_classes}


def build_user(
    spec: str, where: str, attr: str, num_classes: int | None, dev: torch.device | None
) -> tuple[nn.Module, str]:
    """``FILE.py:CALLABLE`` or ``MODULE:CALLABLE``, the callable called as its author would call it."""
    if _looks_like_path(where):
        path = Path(where).expanduser()
        # The folder stays importable through the builder's call too (sibling imports inside it).
        with model_folder(str(path.resolve().parent)):
            module = _import_file(path)
            display = f"{path.name}:{attr}"
            return _call(_resolve(module, attr, display), display, num_classes, dev), display
    if not DOTTED.match(where):
        raise UsageError(
            f"malformed model spec {spec!r}: {where!r} is neither a .py file nor a dotted module name"
        )
    return _call(_resolve(_import_module(where), attr, spec), spec, num_classes, dev), spec


def _looks_like_path(where: str) -> bool:
    # A bare dotted name is a module even when a same-named folder sits in the working directory.
    if where.endswith(".py") or "/" in where or "\\" in where or where.startswith("~"):
        return True
    return not DOTTED.match(where) and Path(where).exists()


def _import_file(path: Path) -> ModuleType:
    if not path.exists():
        raise UsageError(f"model file not found: {path}")
    if path.is_dir():
        raise UsageError(f"model file {path} is a directory, not a Python file")
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read model file {path}: {exc_text(exc)}") from exc
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as exc:
        raise UsageError(f"syntax error in {path}:{exc.lineno}: {exc.msg}") from exc
    # A fresh, unique module name per load: two files called model.py never collide, and nothing
    # shadows a real package. The module STAYS in sys.modules: dataclasses need it while executing,
    # and inspect.getsourcefile / getsourcelines(cls) look classes up there later (source locations).
    stem = re.sub(r"\W", "_", path.stem)
    name = f"_resnet_verify_user_{stem}_{next(_user_module_ids)}"
    module_spec = importlib.util.spec_from_file_location(name, path)
    assert module_spec is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException as exc:
        sys.modules.pop(name, None)
        if isinstance(exc, KeyboardInterrupt):
            raise
        if isinstance(exc, SyntaxError):  # raised by something the file imports
            raise UsageError(
                f"importing {path} raised SyntaxError at {exc.filename}:{exc.lineno}: {exc.msg}"
            ) from exc
        raise UsageError(f"importing {path} raised {exc_text(exc)}{_user_frame(exc, path)}") from exc
    return module


def _user_frame(exc: BaseException, path: Path) -> str:
    """`` (at FILE:LINE)`` for the innermost frame of the user's file, if any."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    return f" (at {path}:{frames[-1].lineno})" if frames else ""


def _innermost_user_line(exc: BaseException) -> str:
    """`` (at FILE:LINE)``: the user's line that raised, innermost first (a builder's ``__init__``
    deep in their own classes), library frames skipped; "" when none is the user's."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if is_user_file(f.filename)]
    return f" (at {display_path(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""


def _import_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise UsageError(f"no module named {exc.name!r} (from model spec module {name!r})") from exc
        raise UsageError(f"importing {name} raised {exc_text(exc)}") from exc
    except SyntaxError as exc:
        raise UsageError(f"syntax error in {exc.filename}:{exc.lineno}: {exc.msg}") from exc
    except Exception as exc:
        raise UsageError(f"importing {name} raised {exc_text(exc)}") from exc


def _resolve(module: ModuleType, attr: str, display: str) -> Callable[..., Any]:
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            public = [n for n in dir(obj) if not n.startswith("_")]
            owner = getattr(obj, "__name__", type(obj).__name__)
            if isinstance(obj, ModuleType) and owner.startswith("_resnet_verify_user_") and obj.__file__:
                owner = Path(obj.__file__).name  # the user's file, never our internal module name
            raise UsageError(f"{display}: {owner} has no attribute {part!r}{suggest(part, public)}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise UsageError(f"{display} is not callable (it is a {type(obj).__name__})")
    return obj


def _classes_argument(target: Callable[..., Any], num_classes: int | None) -> dict[str, int]:
    """The ``num_classes`` keyword to call ``target`` with: the count asked for when it takes one;
    with none asked for, nothing (its own default) unless it requires one."""
    if isinstance(target, type) and getattr(target, "__init__", None) is nn.Module.__init__:
        return {}  # nn.Module.__init__ takes **kwargs only to reject them
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):  # builtins without a signature: call with no arguments
        return {}
    for p in sig.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            return classes_kwarg(num_classes)
        if p.name == "num_classes" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            if num_classes is not None:
                return {"num_classes": num_classes}
            return {"num_classes": DEFAULT_CLASSES} if p.default is p.empty else {}
    return {}


def _missing_arguments(target: Callable[..., Any], given: set[str]) -> list[str]:
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in sig.parameters.values()
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in given
    ]


def _call(
    target: Callable[..., Any], display: str, num_classes: int | None, dev: torch.device | None
) -> nn.Module:
    kwargs = _classes_argument(target, num_classes)
    missing = _missing_arguments(target, set(kwargs))
    if missing:
        names = ", ".join(missing)
        raise UsageError(
            f"{display} needs arguments that cannot be given: {names} (only num_classes is passed)"
        )
    verb = "constructing" if isinstance(target, type) else "calling"
    try:
        with device_ctx(dev):
            result = target(**kwargs)
    except (Exception, SystemExit) as exc:
        if dev is None or dev.type != "meta":
            raise UsageError(f"{verb} {display} raised {exc_text(exc)}{_innermost_user_line(exc)}") from exc
        # A builder that reads values while it builds (``torch.linspace(0, p, n).tolist()`` for
        # per-block drop-path rates) cannot run on meta: built as Python builds it, on the CPU; the
        # caller moves it to meta.
        try:
            result = target(**kwargs)
        except (Exception, SystemExit) as again:
            raise UsageError(
                f"{verb} {display} raised {exc_text(again)}{_innermost_user_line(again)}"
            ) from again
    if keras_specs.is_keras_model(result):
        return keras_specs.checked_keras_model(result, display)
    if not isinstance(result, nn.Module):
        raise UsageError(f"{display} returned {type(result).__name__}, not a torch.nn.Module")
    return result
