"""Running a user's model without trusting it: its prints, its overrides, its wrappers.

Real model code prints from ``__init__`` and ``forward`` ("Depth: 56"), overrides ``train()``
without ``return self``, replaces ``forward`` on the instance with a wrapper around the bound
method, and arrives wrapped in ``DataParallel`` or ``torch.compile``. The verifier must keep stdout
for its report and must never depend on a value the user can override, so:

- :func:`model_output` sends everything user code writes to stdout to stderr, each line marked
  ``[model]``, and shows the warnings it raises the same way (one line each) instead of letting a
  warnings filter turn them into errors; every command runs user code (building, tracing,
  equivalence, porting, training) inside it.
- :func:`model_folder` puts a model file's folder on ``sys.path`` as ``python model.py`` does;
  inside :func:`keep_model_folders` (one CLI command) it stays there until the command ends.
- :func:`set_training` flips ``training`` flags directly instead of calling ``train()``/``eval()``.
- :func:`unwrap` peels DataParallel / DistributedDataParallel / ``torch.compile`` and refuses
  TorchScript with one line; :func:`copy_model` deep-copies a model so that instance-level
  forwards and hooks that close over the original point at the copy; :func:`strip_reparametrizations`
  folds weight_norm / spectral_norm into plain weights (on copies only).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import io
import sys
import types
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.specs import module_copy
from resnet_verify.specs.reparametrize import has_reparametrization, strip_reparametrizations

MODEL_MARK = "[model] "


class _MarkedStream(io.TextIOBase):
    """A text stream that writes to the *current* ``sys.stderr``, each line marked as the model's.

    Resolved at write time, so a logging handler that kept this object after the block ends still
    writes to stderr, never into the report.
    """

    def __init__(self, mark: str) -> None:
        super().__init__()
        self._mark = mark
        self._line_start = True

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(sys.stderr, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        # Code that writes to the raw descriptor (subprocess, faulthandler) gets stderr's.
        return sys.stderr.fileno()

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        out = []
        for piece in text.splitlines(keepends=True):
            if self._line_start:
                out.append(self._mark)
            out.append(piece)
            self._line_start = piece.endswith(("\n", "\r"))
        sys.stderr.write("".join(out))
        return len(text)

    def flush(self) -> None:
        sys.stderr.flush()


# Warnings attributed to a module of this package keep the filters they had (so the test suite's
# "error" still catches our own); every other warning raised while user code runs is the model's.
_NOT_OURS = r"(?!resnet_verify(\.|$))"
_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])


def _show_model_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    # line="": the one-line form; the source line would be a second, unmarked-looking line.
    text = warnings.formatwarning(message, category, filename, lineno, line="")
    mark = "" if filename.startswith(_PACKAGE_DIR) else MODEL_MARK
    stream = _MarkedStream(mark)
    stream.write(text if text.endswith("\n") else text + "\n")
    stream.flush()


@contextlib.contextmanager
def model_output() -> Iterator[None]:
    """Run user code with its stdout on stderr, marked ``[model]``, and its warnings shown there the
    same way (each once per place, like Python's default), never raised; re-entrant."""
    if isinstance(sys.stdout, _MarkedStream):
        yield
        return
    sys.stdout.flush()
    stream = _MarkedStream(MODEL_MARK)
    try:
        with contextlib.redirect_stdout(stream), warnings.catch_warnings():
            warnings.filterwarnings("default", module=_NOT_OURS)
            warnings.showwarning = _show_model_warning
            yield
    finally:
        if not stream._line_start:  # a print(..., end="") must not glue our next line to it
            sys.stderr.write("\n")
        stream.flush()


# Folders this process put on sys.path for model files; the innermost keep_model_folders() owns them.
_kept: list[list[str]] = []


@contextlib.contextmanager
def model_folder(directory: str) -> Iterator[None]:
    """The model file's folder first on ``sys.path``, as ``python model.py`` has it, while the file is
    imported and its builder called. Inside :func:`keep_model_folders` it stays until the command
    ends: a builder, ``forward`` or ``train()`` may import a sibling module whenever it runs."""
    added = directory not in sys.path
    if added:
        sys.path.insert(0, directory)
    try:
        yield
    finally:
        if added and _kept:
            _kept[-1].append(directory)
        elif added:
            with contextlib.suppress(ValueError):
                sys.path.remove(directory)


@contextlib.contextmanager
def keep_model_folders() -> Iterator[None]:
    """One command's scope: the folders :func:`model_folder` adds stay on ``sys.path`` until it ends,
    then come off (a test process runs many commands)."""
    _kept.append([])
    try:
        yield
    finally:
        for directory in _kept.pop():
            with contextlib.suppress(ValueError):
                sys.path.remove(directory)


def set_training(model: nn.Module, mode: bool) -> None:
    """``model.train(mode)`` without calling a user's ``train`` override (which may return None,
    take no ``mode`` argument, or be a training loop)."""
    for module in model.modules():
        module.training = mode


def callable_train(module: nn.Module) -> bool:
    """Whether the module's class overrides ``train`` with nn.Module's signature (``train(self, mode=True)``);
    anything else may be a training loop and is never called."""
    train = type(module).train
    if train is nn.Module.train:
        return False
    try:
        params = list(inspect.signature(train).parameters.values())[1:]
    except (TypeError, ValueError):
        return False
    return len(params) <= 1 and all(p.default is not inspect.Parameter.empty for p in params)


def train_as_built(model: nn.Module, mode: bool = True) -> None:
    """``model.train(mode)`` as the model's own classes define it: an override with nn.Module's signature
    runs and owns its subtree (a QAT ConvBn's ``freeze_bn`` keeps its BatchNorm in eval, a frozen-BN
    fine-tune's ``super().train(mode)`` then ``m.eval()``, a Monte-Carlo model's dropout kept training by
    ``train(False)``); every other module is set as nn.Module's ``train`` sets it. An override that fails
    is set that way too."""
    if callable_train(model):
        try:
            with model_output():
                model.train(mode)
            return
        except Exception:  # the user's override failing is the trace's to explain, not this
            pass
    model.training = mode
    for child in model.children():
        train_as_built(child, mode)


def to_device(model: nn.Module, device: Any) -> None:
    """Move in place with ``nn.Module.to`` itself: a user's ``to`` override may return None."""
    nn.Module.to(model, device)


def _script_module() -> type | None:
    import torch.jit

    return getattr(torch.jit, "ScriptModule", None)


def holds_script(model: object) -> bool:
    """Whether a model is, or holds, a TorchScript module."""
    script = _script_module()
    return (
        script is not None
        and isinstance(model, nn.Module)
        and any(isinstance(m, script) for m in model.modules())
    )


@contextlib.contextmanager
def jit_disabled() -> Iterator[None]:
    """``torch.jit.script`` and ``torch.jit.trace`` return what they are given while inside."""
    import torch.jit._state as jit_state

    was = bool(jit_state._enabled)
    jit_state.disable()
    try:
        yield
    finally:
        if was:
            jit_state.enable()


def unwrap(model: nn.Module) -> nn.Module:
    """The eager model inside DataParallel / DistributedDataParallel / ``torch.compile`` wrappers.

    TorchScript cannot be traced op by op (no module hooks, no Python ops): one-line UsageError.
    """
    script = _script_module()
    seen: set[int] = set()
    while id(model) not in seen and not (script is not None and isinstance(model, script)):
        seen.add(id(model))
        children = dict(model.named_children())
        if isinstance(model, (nn.DataParallel, nn.parallel.DistributedDataParallel)) and "module" in children:
            model = children["module"]
        elif type(model).__name__ == "OptimizedModule" and "_orig_mod" in children:  # torch.compile
            model = children["_orig_mod"]
    if script is not None and isinstance(model, script):
        raise UsageError(
            f"{type(model).__name__} is TorchScript (torch.jit.script/trace): pass the eager "
            "nn.Module it was made from instead"
        )
    scripted = [name for name, m in model.named_modules() if script is not None and isinstance(m, script)]
    outer = [n for n in scripted if not any(n.startswith(o + ".") for o in scripted)]
    if outer:
        shown = ", ".join(outer[:3]) + (f" and {len(outer) - 3} more" if len(outer) > 3 else "")
        raise UsageError(
            f"{type(model).__name__} holds TorchScript submodules ({shown}): their ops run inside "
            "TorchScript and cannot be traced; build them without torch.jit.script for the check "
            "(script the model after it passes)"
        )
    return model


def _remap(obj: Any, memo: dict[int, Any]) -> Any:
    """``obj`` with references to copied objects redirected, descending into closures."""
    if isinstance(obj, types.FunctionType):
        return _copy_function(obj, memo)
    if isinstance(obj, types.MethodType):
        return types.MethodType(_remap(obj.__func__, memo), _remap(obj.__self__, memo))
    if id(obj) in memo:
        return memo[id(obj)]
    if isinstance(obj, functools.partial):
        args = tuple(_remap(a, memo) for a in obj.args)
        return functools.partial(
            _remap(obj.func, memo), *args, **{k: _remap(v, memo) for k, v in obj.keywords.items()}
        )
    if isinstance(obj, (nn.Module, list, tuple, dict)) or hasattr(obj, "__wrapped__"):
        try:
            return copy.deepcopy(obj, memo)
        except Exception:  # an uncopyable helper object: keep the original
            return obj
    return obj


def _copy_function(func: types.FunctionType, memo: dict[int, Any]) -> types.FunctionType:
    if id(func) in memo:
        return memo[id(func)]
    if not func.__closure__:
        return func  # refers to globals only: nothing of the original model to redirect
    cells = []
    for cell in func.__closure__:
        try:
            cells.append(types.CellType(_remap(cell.cell_contents, memo)))
        except ValueError:  # an empty cell (a name not yet assigned)
            cells.append(types.CellType())
    new = types.FunctionType(func.__code__, func.__globals__, func.__name__, func.__defaults__, tuple(cells))
    new.__kwdefaults__ = func.__kwdefaults__
    new.__qualname__ = func.__qualname__
    memo[id(func)] = new
    new.__dict__.update({k: _remap(v, memo) for k, v in func.__dict__.items()})
    return new


def _detach_computed(model: nn.Module, memo: dict[int, Any]) -> None:
    """A tensor a module holds as a plain attribute and computed from its parameters (the legacy
    ``torch.nn.utils.weight_norm`` keeps ``weight = g * v / |v|`` there, recomputed by a pre-hook
    before every forward) cannot be deep-copied (only graph leaves can): the copy gets it detached,
    which the hook recomputes before the traced forward uses it. The user's model is not touched."""
    for module in model.modules():
        for value in module.__dict__.values():
            if isinstance(value, torch.Tensor) and value.grad_fn is not None and id(value) not in memo:
                memo[id(value)] = value.detach().clone()


def copy_model(model: nn.Module, memo: dict[int, Any] | None = None) -> nn.Module:
    """``copy.deepcopy(model, memo)``, then every instance-level ``forward`` and every hook that
    closes over the original (``m.forward = torch.no_grad()(m.forward)``) is rebuilt to close over
    the copy: ``deepcopy`` treats functions as atoms, so the copy would run the original."""
    memo = {} if memo is None else memo
    _detach_computed(model, memo)
    try:  # copy.deepcopy's copy, its module-tree steps done faster (module_copy.py)
        copied = module_copy.deepcopy(model, memo)
    except Exception as exc:
        text = str(exc).strip().splitlines()
        raise UsageError(
            f"cannot copy {type(model).__name__} to trace it (copy.deepcopy raised "
            f"{type(exc).__name__}{': ' + text[0] if text else ''})"
        ) from None
    for original, mine in zip(model.modules(), copied.modules()):
        _keep_generated_code(original, mine)
        forward = original.__dict__.get("forward")
        if forward is not None:
            object.__setattr__(mine, "forward", _remap(forward, memo))
        for attr in ("_forward_pre_hooks", "_forward_hooks"):
            hooks = getattr(original, attr, None)
            if hooks:
                target = getattr(mine, attr)
                for key, hook in hooks.items():
                    target[key] = _remap(hook, memo)
        for name, value in original.__dict__.items():
            if name not in _MODULE_STATE and _functions(
                value
            ):  # ``self.steps = [lambda t: b(t) for b in ...]``
                object.__setattr__(mine, name, _remap_all(value, memo))
    return copied


def _keep_generated_code(original: nn.Module, mine: nn.Module) -> None:
    """A ``torch.fx.GraphModule`` runs the code its last ``recompile()`` generated, not its graph, and
    its ``__deepcopy__`` recompiles the copy from the graph: a graph edited without ``recompile()``
    (nodes retargeted, the module never told) would run edited in the copy only. The copy runs the
    original's code (each GraphModule has a class of its own, so this touches no other instance)."""
    if not isinstance(original, torch.fx.GraphModule) or not isinstance(mine, torch.fx.GraphModule):
        return
    if type(original).forward is not type(mine).forward and original.code != mine.code:
        type(mine).forward = type(original).forward
        mine._code = original._code


_CALLABLES = (types.FunctionType, functools.partial)
# what nn.Module keeps of its own (its hooks' dicts among them, rebuilt above), and ``forward``
_MODULE_STATE = frozenset(nn.Module().__dict__) | {"forward"}


def _functions(value: object) -> bool:
    """A function kept on a module, or a list, tuple or dict of nothing else: closures over its layers."""
    if isinstance(value, _CALLABLES):
        return True
    items = (
        list(value.values()) if isinstance(value, dict) else value if isinstance(value, list | tuple) else ()
    )
    return bool(items) and all(isinstance(v, _CALLABLES) for v in items)


def _remap_all(value: Any, memo: dict[int, Any]) -> Any:
    if isinstance(value, dict):
        return type(value)((k, _remap(v, memo)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return type(value)(_remap(v, memo) for v in value)
    return _remap(value, memo)


__all__ = [
    "MODEL_MARK",
    "copy_model",
    "keep_model_folders",
    "model_folder",
    "model_output",
    "set_training",
    "has_reparametrization",
    "strip_reparametrizations",
    "to_device",
    "unwrap",
]
