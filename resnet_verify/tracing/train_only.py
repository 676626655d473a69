"""What a forward runs in training mode only, found by running it: ``if self.training:`` branches.

The trace runs in eval mode, so code behind ``if self.training:`` never runs there: a functional
dropout before the classifier, MixStyle's feature-statistics mixing, a hand-written augmentation
layer. Such a model compares clean while the network training sees is another one: the false "no
difference". So where a user class's ``forward`` reads a ``training`` flag, the forward runs once
more in each mode under a light torch-function recorder (names and module paths only), and the calls
only the training forward made are reported: a dropout function as the dropout it is, anything else
as computation in training mode only, one record per stretch of calls in one module.

Randomness is seeded and restored around the two runs, so a branch taken with some probability
(``random.random() < p``) is taken or not the same way every time the model is checked.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import random
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from resnet_verify.specs.usercode import model_output, set_training
from resnet_verify.specs.vocabulary import ADD, DIV, MUL, SUB
from resnet_verify.tracing import opkinds
from resnet_verify.tracing.drawn_masks import BATCH, BINARIZES, DRAWS, MAKERS, draw_name, drop_path_rate
from resnet_verify.tracing.records import OpKind, OpRecord, Part, Regularizer, RegularizerKind, Shape
from resnet_verify.tracing.regularizers import FUNCTIONAL, Places, named_kind, regularizer_of

_OWN = ("torch.", "torchvision.")
# calls that are bookkeeping, not computation: reading a flag, a shape, a device
_SKIP = frozenset({"size", "dim", "numel", "__get__", "__len__", "__bool__", "__index__", "item", "tolist"})
# identities in the forward that change what training computes: kept among the calls
_GRADIENT_STOPS = frozenset({"detach", "detach_"})
_WEIGHTED = frozenset({
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "linear", "bilinear",
    "batch_norm", "layer_norm", "group_norm", "instance_norm", "embedding",
})  # fmt: skip
# a tensor made in the data's shape, dtype or device carries none of its values (``x.new_empty(...)``)
_FRESH = frozenset({"new_zeros", "new_ones", "new_empty", "new_full", "zeros_like", "ones_like", "empty_like",
                    "full_like"})  # fmt: skip


def _no_op(name: str, args: Any, kwargs: dict, tensors: int) -> bool:
    """A call the trace reads as layout or identity (``x / 1``, ``x.view(...)``): no computation."""
    try:
        return opkinds.classify(name, tuple(args), kwargs, tensors)[0] is OpKind.RESHAPE
    except Exception:  # an unusual signature is a call like any other
        return False


@dataclass(frozen=True, slots=True)
class _Call:
    name: str
    path: str
    p: float | None = None  # a dropout call's probability; a bernoulli draw's
    shape: Shape | None = None  # a random draw's


# A branch on the flag (``if self.training:``, ``if not self.training or ...``, ``x if self.training
# else y``); passing it on (``F.dropout(x, p, training=self.training)``) runs the same calls in both
# modes, which the eval trace already sees.
_BRANCH = re.compile(r"\b(?:if|and|or|elif|while)\s+(?:not\s+)?[\w.]*\.training\b|\.training\s+(?:and|or)\b")


# The flag handed to a function of the user's (``drop_path(x, self.drop_prob, self.training)``, timm's
# functional drop path): that function may branch on it where the class does not. torch's own take it
# as dropout's argument and run in both modes.
_PASSED = re.compile(
    r"(?<![\w.])(?!(?:F|torch|nn|functional)\.)[A-Za-z_][\w.]*\((?:[^()]|\([^()]*\))*?\bself\.training\b"
)


_READS: dict[type, bool] = {}  # per class: reading source costs ~0.5 ms a time


def _reads_training(cls: type) -> bool:
    if cls not in _READS:
        try:  # the whole class: ``forward`` may leave the branch to a helper (timm's forward_head)
            source = inspect.getsource(cls)
        except (OSError, TypeError):
            source = ""
        _READS[cls] = _BRANCH.search(source) is not None or _PASSED.search(source) is not None
    return _READS[cls]


def branches_on_training(model: nn.Module) -> bool:
    """Some user class reads a ``training`` flag (torch's own layers handle theirs)."""
    return bool(training_readers(model))


def training_readers(model: nn.Module) -> list[str]:
    """The modules (paths, the root "") of a user class that reads a ``training`` flag, in module order."""
    # a branch may be inherited; a norm layer's own (timm's BatchNormAct2d: batch statistics) is torch's
    return [
        path
        for path, m in model.named_modules()
        if not isinstance(m, nn.modules.batchnorm._NormBase)
        and any(
            c is not object and not (c.__module__ or "").startswith(_OWN) and _reads_training(c)
            for c in type(m).__mro__
        )
    ]


def _drawn_p(name: str, args: Any, kwargs: dict) -> float | None:
    """A bernoulli draw's probability (``mask.bernoulli_(keep_prob)``); other draws say none."""
    if not name.startswith("bernoulli"):
        return None
    p = kwargs.get("p", args[1] if len(args) > 1 else None)
    return float(p) if isinstance(p, (int, float)) and not isinstance(p, bool) else None


def _scaled(name: str, args: Any, path: str) -> _Call | None:
    """A draw scaled or shifted by a number (``sigma * torch.randn_like(x)``, ``rand / keep``): the number is
    what the noise is (sigma 1.0 for 0.1 is another layer), one spelling (``/ 2`` is ``* 0.5``)."""
    numbers = [a for a in args[:2] if isinstance(a, int | float) and not isinstance(a, bool)]
    if len(args) != 2 or len(numbers) != 1:
        return None
    v = float(numbers[0])
    if name in MUL:
        return _Call(f"mul({v:g})", path)
    if name in DIV and args[1] is numbers[0] and v != 0.0:
        return _Call(f"mul({1.0 / v:g})", path)
    if name in ADD or (name in SUB and args[1] is numbers[0]):
        return _Call(f"add({v if name in ADD else -v:g})", path)
    return None


class _Recorder(TorchFunctionMode):
    def __init__(self, paths: dict[int, str]) -> None:
        super().__init__()
        self.paths = paths
        self.stack: list[str] = [""]
        self.calls: list[_Call] = []
        self.data: set[int] = set()  # ids of tensors computed from the input (the data path)
        self.drawn: dict[int, list[_Call]] = {}  # a draw (or what it alone computed) -> its calls, unsaid
        self.used: set[int] = set()  # ids of the draw calls the data met
        self.keep: list[torch.Tensor] = []

    def start(self, x: torch.Tensor) -> torch.Tensor:
        self.data.add(id(x))
        self.keep.append(x)
        return x

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "") or str(func)
        out = func(*args, **kwargs)
        tensors = [a for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)]
        if name in DRAWS and isinstance(out, torch.Tensor):  # a random draw: said where it meets the data
            self._pending(
                out, tensors, _Call(name, self.stack[-1], _drawn_p(name, args, kwargs), tuple(out.shape))
            )
            return out
        if name in _SKIP or name in _FRESH or not any(id(t) in self.data for t in tensors):
            # bookkeeping, or weight-side work (a power iteration's buffer update, a weight's noise); what a
            # draw computes alone goes with it (a mask of zeros and ones: ``(keep + rand).floor_()``)
            if any(id(t) in self.drawn for t in tensors) and isinstance(out, torch.Tensor):
                call = (
                    _Call(name, self.stack[-1]) if name in BINARIZES else _scaled(name, args, self.stack[-1])
                )
                self._pending(out, tensors, call)
            return out
        # a draw that meets the data (a mask, a noise, a Function's argument) is said there; one a layer
        # reads as its weight (a Bayesian conv's noise) is the weight's
        for t in tensors:
            drawn = self.drawn.pop(id(t), [])
            self.used.update(id(c) for c in drawn)
            if name not in _WEIGHTED:
                self.calls.extend(drawn)
        for t in out if isinstance(out, tuple | list) else (out,):
            if isinstance(t, torch.Tensor):
                self.data.add(id(t))
                self.keep.append(t)  # alive until the run ends: an id is never reused meanwhile
        if name in _GRADIENT_STOPS or not _no_op(name, args, kwargs, len(tensors)):
            p = kwargs.get("p", args[1] if name in FUNCTIONAL and len(args) > 1 else None)
            prob = float(p) if isinstance(p, (int, float)) and not isinstance(p, bool) else None
            self.calls.append(_Call(name, self.stack[-1], prob))
        return out

    def _pending(self, out: torch.Tensor, tensors: list[torch.Tensor], call: _Call | None) -> None:
        """``out`` carries the draws (and their binarizing steps) it was computed from, to be said when
        it meets the data."""
        calls = [c for t in tensors for c in self.drawn.get(id(t), [])]
        self.drawn[id(out)] = list(dict.fromkeys([*calls, *([call] if call is not None else [])]))
        self.keep.append(out)  # alive until the run ends: an id is never reused meanwhile

    def unmet(self) -> list[_Call]:
        """Draws the forward's data never met (a Shake-Shake beta kept for the backward): said at the end."""
        calls = {id(c): c for cs in self.drawn.values() for c in cs if id(c) not in self.used}
        return list(calls.values())

    def hooks(self, model: nn.Module) -> list[Any]:
        def pre(module: nn.Module, _: Any) -> None:
            self.stack.append(self.paths.get(id(module), self.stack[-1]))

        def post(module: nn.Module, _: Any, __: Any) -> None:
            if len(self.stack) > 1:
                self.stack.pop()

        return [
            h
            for m in model.modules()
            for h in (m.register_forward_pre_hook(pre), m.register_forward_hook(post))
        ]


@contextmanager
def seeded() -> Iterator[None]:
    py, cpu = random.getstate(), torch.get_rng_state()
    random.seed(0)
    torch.manual_seed(0)
    try:
        yield
    finally:
        random.setstate(py)
        torch.set_rng_state(cpu)


def _calls(model: nn.Module, shape: Shape, device: str, training: bool) -> list[_Call] | None:
    paths = {id(m): name for name, m in model.named_modules()}
    recorder = _Recorder(paths)
    handles = recorder.hooks(model)
    set_training(model, training)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._NormBase):
            # norm layers stay in eval mode: their training is torch's batch statistics, no branch of
            # the user's (and meta's batch-statistics kernel costs more than the whole forward)
            m.training = False
    shape = (BATCH, *shape[1:])  # two samples: a draw per sample and one for the batch differ in shape
    x = torch.zeros(shape, device=device) if device != "meta" else torch.empty(shape, device="meta")
    try:
        with seeded(), torch.no_grad(), recorder, model_output():  # its prints to stderr, as the trace's
            model(recorder.start(x))
    except Exception:  # a forward that fails in one mode: nothing to compare (the trace says why)
        return None
    finally:
        for h in handles:
            h.remove()
        set_training(model, False)
    return [*recorder.calls, *recorder.unmet()]


def _extra_in_training(evaluated: list[_Call], trained: list[_Call]) -> list[tuple[int, list[_Call]]]:
    """(index in the eval calls it runs before, the train-only calls) per stretch."""
    key = [(c.name, c.path) for c in evaluated], [(c.name, c.path) for c in trained]
    matcher = difflib.SequenceMatcher(None, *key, autojunk=False)
    return [
        (i1, trained[j1:j2]) for tag, i1, _, j1, j2 in matcher.get_opcodes() if tag in ("insert", "replace")
    ]


def _skipped(modules: dict[str, nn.Module], path: str) -> bool:
    """Calls inside a norm layer (its running-statistics bookkeeping) or a known regularizer."""
    parts = path.split(".") if path else []
    for n in range(len(parts), 0, -1):
        m = modules.get(".".join(parts[:n]))
        if isinstance(m, nn.modules.batchnorm._NormBase) or (m is not None and regularizer_of(m) is not None):
            return True
    return False


def train_only_regularizers(
    model: nn.Module, shape: Shape, device: str, ops: Sequence[OpRecord], places: Places,
    called: frozenset[str] = frozenset(),
) -> tuple[Regularizer, ...]:  # fmt: skip
    """The calls only a training-mode forward of ``model`` (the traced copy) makes, as regularizers;
    ``called``: the module paths the eval forward called (their regularizers are read from the call)."""
    if not branches_on_training(model):
        return ()
    evaluated = _calls(model, shape, device, False)
    trained = _calls(model, shape, device, True) if evaluated is not None else None
    if evaluated is None or trained is None:
        return ()
    out: list[Regularizer] = []
    modules = dict(model.named_modules())
    ran = {op.module_path for op in ops} | called
    for before, stretch in _extra_in_training(evaluated, trained):
        kept = [c for c in stretch if not _skipped(modules, c.path)]
        position = _position(evaluated, before, ops)
        out += _unseen_modules(stretch, ran, modules, position, places)
        for path, calls in _by_module(kept):
            out.append(_record(path, calls, position, places, modules))
    return tuple(out)


def _unseen_modules(
    stretch: list[_Call], ran: set[str], modules: dict[str, nn.Module], position: int, places: Places
) -> list[Regularizer]:
    """Regularizer modules only the training forward calls (``if self.training:`` five Dropout samples
    averaged, a plain Linear in eval): the eval trace never met them, so they are read here, each once."""
    out: list[Regularizer] = []
    for path in dict.fromkeys(c.path for c in stretch):
        module = modules.get(path)
        found = regularizer_of(module) if module is not None and path not in ran else None
        if found is not None and found[1] > 0:
            part, block = places.of_path(path) or places.between(position - 1, position)
            out.append(
                Regularizer(found[0], found[1], path, type(module).__name__, False, part, block, position)
            )
    return out


def _position(evaluated: list[_Call], before: int, ops: Sequence[OpRecord]) -> int:
    """The traced op the eval call ``before`` made: the k-th op of its name in its module for its k-th
    call there (a block's one ReLU module runs before the add and after it), else its module's first."""
    if before >= len(evaluated):
        return len(ops)
    follows = evaluated[before]
    k = sum(c.name == follows.name and c.path == follows.path for c in evaluated[:before])
    same = [o.id for o in ops if o.module_path == follows.path and o.name == follows.name]
    if k < len(same):
        return same[k]
    return next((o.id for o in ops if o.module_path == follows.path), len(ops))


def _by_module(calls: list[_Call]) -> list[tuple[str, list[_Call]]]:
    groups: list[tuple[str, list[_Call]]] = []
    for c in calls:
        if groups and groups[-1][0] == c.path and not _dropout(c):
            groups[-1][1].append(c)
        else:
            groups.append((c.path, [c]))
    return groups


def _dropout(c: _Call) -> bool:
    return c.name in FUNCTIONAL and c.p is not None


# ``if self.training and torch.rand(()) < rate: continue`` (or ``return x``): a draw deciding to skip what follows
_SKIP_DRAW = re.compile(
    r"\bif\b[^\n]*\b(?:bernoulli_?|rand|rand_like)\([^\n]*:\s*(?:#[^\n]*)?\n?\s*(?:continue|return)\b"
)


def _skips_at_random(module: nn.Module | None) -> bool:
    """Whether the module's class skips a unit when a draw says so (LayerDrop's loop)."""
    return module is not None and _class_skips(type(module))  # type: ignore[arg-type]


@functools.lru_cache(maxsize=256)
def _class_skips(cls: type) -> bool:
    try:
        return bool(_SKIP_DRAW.search(inspect.getsource(cls)))
    except (OSError, TypeError):
        return False


def _record(
    path: str, calls: list[_Call], position: int, places: Places, modules: dict[str, nn.Module]
) -> Regularizer:
    part, block = places.of_path(path) or places.between(position - 1, position)
    first = calls[0]
    if len(calls) == 1 and _dropout(first):
        assert first.p is not None
        kind, p, spelling, functional = FUNCTIONAL[first.name], first.p, first.name, True
    elif part is Part.BLOCK and (dropped := drop_path_rate(calls)) is not None:
        kind, p, functional = RegularizerKind.DROP_PATH, dropped, False
        module = modules.get(path)
        spelling = (
            f"drop path in {type(module).__name__ if module is not None and path else 'the model'}.forward"
        )
    elif all(c.name in DRAWS | BINARIZES | MAKERS for c in calls) and _skips_at_random(modules.get(path)):
        # draws that only decide (``if self.training and torch.rand(()) < rate: continue``), computing
        # nothing training alone runs: what they decide is skipped at random, layer drop over the blocks
        module = modules.get(path)
        owner = type(module).__name__ if module is not None and path else "the model"
        kind, p, functional = RegularizerKind.DROP_PATH, math.nan, False
        spelling = (
            f"units skipped at random by {owner}'s forward ({sum(c.name in DRAWS for c in calls)} draws)"
        )
    else:
        module = modules.get(path)
        owner = type(module).__name__ if module is not None and path else "forward"
        named = named_kind(module) if module is not None and path else None
        # a module named for a regularizer (DropBlock given its rate in forward): that regularizer, its
        # rate unknown (nan); anything else a training-mode branch
        kind, p, spelling, functional = (
            named or RegularizerKind.TRAINING_ONLY,
            math.nan if named else 1.0,
            owner,
            False,
        )
    names = tuple(
        draw_name(c.name, c.shape) if c.name in DRAWS
        else c.name[:-1] if c.name.endswith("_") and not c.name.endswith("__")
        else c.name
        for c in calls
        if c.name not in MAKERS
    )  # fmt: skip
    names = names if kind is RegularizerKind.TRAINING_ONLY else ()
    return Regularizer(kind, p, path, spelling, functional, part, block, position, calls=names)


__all__ = ["branches_on_training", "seeded", "train_only_regularizers"]
