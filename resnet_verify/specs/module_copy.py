"""``copy.deepcopy`` of a module tree, the same copy, in a third of the time.

Why: every trace of a model the caller did not hand over works on a copy (the user's instance is
never touched), and ``copy.deepcopy`` of a ResNet-50 -- 161 modules, each with a ~25-entry
``__dict__`` of hook tables -- takes ~11 ms on meta (a fifth of an in-process compare at 64 px),
nearly all of it the generic ``__reduce_ex__`` / ``_reconstruct`` path run for every module and
every empty ``OrderedDict`` of hooks.

How: the objects a module tree is made of (plain ``nn.Module`` subclasses, dicts, lists, tuples,
sets, ``OrderedDict``\\ s, atoms) are copied here by the very steps ``copy.deepcopy`` takes for them
(same memo, same order, same ``__getstate__``/``__setstate__`` calls, same keep-alive list), and
anything else -- a tensor, a parameter not in the memo, a user's helper object, a class with its
own ``__deepcopy__``, ``__reduce__``, ``__getnewargs__`` or slots -- is handed to
``copy.deepcopy`` itself with that memo. tests/test_module_copy.py pins the equivalence.
"""

from __future__ import annotations

import copy
import copyreg
import types
import weakref
from collections import OrderedDict
from typing import Any

from torch import nn

# What ``copy.deepcopy`` returns as is (its ``_deepcopy_atomic`` table, and classes).
_ATOMIC = frozenset(
    {
        type(None), type(Ellipsis), type(NotImplemented), int, float, bool, complex, bytes, str,
        types.CodeType, type, range, types.BuiltinFunctionType, types.FunctionType, weakref.ref,
        property,
    }
)  # fmt: skip
# deepcopy looks these up on the instance: one set there (rare) takes deepcopy's own path
_INSTANCE_HOOKS = frozenset({"__deepcopy__", "__reduce_ex__", "__reduce__", "__getstate__", "__setstate__"})
_plain_module: dict[type, bool] = {}  # class -> whether deepcopy takes the plain-object path for it


def _is_plain_module(cls: type) -> bool:
    """Whether ``copy.deepcopy`` copies instances of ``cls`` by object's own ``__reduce_ex__``:
    ``cls.__new__(cls)``, then ``__setstate__`` (nn.Module has one) of the deep-copied
    ``__getstate__()`` (whichever class defines them: _ConvNd has its own ``__setstate__``)."""
    plain = _plain_module.get(cls)
    if plain is None:
        plain = (
            issubclass(cls, nn.Module)
            and not issubclass(cls, (list, dict, type))
            and cls not in copyreg.dispatch_table
            and getattr(cls, "__deepcopy__", None) is None
            and cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__
            and not hasattr(cls, "__getnewargs_ex__")
            and not hasattr(cls, "__getnewargs__")
            and not copyreg._slotnames(cls)  # type: ignore[attr-defined]
        )
        _plain_module[cls] = plain
    return plain


def _keep_alive(x: Any, memo: dict[int, Any]) -> None:
    # as copy._keep_alive: the originals stay referenced, so no id in the memo is reused
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]


def _container(x: Any, cls: type, memo: dict[int, Any]) -> Any:
    """A dict, OrderedDict, list, tuple or set, as deepcopy copies it; ``NotImplemented`` for
    anything else."""
    if cls is dict:  # copy._deepcopy_dict
        y: Any = {}
        memo[id(x)] = y
        for key, value in x.items():
            y[deepcopy(key, memo)] = deepcopy(value, memo)
        return y
    if cls is list:  # copy._deepcopy_list
        y = []
        memo[id(x)] = y
        for item in x:
            y.append(deepcopy(item, memo))
        return y
    if cls is tuple:  # copy._deepcopy_tuple: the tuple itself when no item changed
        items = [deepcopy(item, memo) for item in x]
        if id(x) in memo:
            return memo[id(x)]
        return x if all(a is b for a, b in zip(items, x)) else tuple(items)
    if cls is OrderedDict and not x and not vars(x):  # an empty hook table: most of a module's state
        y = OrderedDict()
        memo[id(x)] = y
        return y
    if cls is OrderedDict and not vars(x):  # its __reduce__: (OrderedDict, (), None, None, items)
        y = OrderedDict()
        memo[id(x)] = y
        for key, value in x.items():
            y[deepcopy(key, memo)] = deepcopy(value, memo)
        return y
    if cls is set:  # its __reduce__: (set, (list(x),), None), the list deep-copied first
        return set(deepcopy(list(x), memo))
    return NotImplemented


def _module(x: nn.Module, cls: type, memo: dict[int, Any]) -> nn.Module:
    """copy._reconstruct for a plain module: new instance in the memo first, then its state."""
    y = cls.__new__(cls)  # type: ignore[call-overload]
    memo[id(x)] = y
    state = x.__getstate__()
    if state is not None:
        y.__setstate__(deepcopy(state, memo))
    return y


def deepcopy(x: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy(x, memo)``, faster for the objects a module tree is made of."""
    cls = type(x)
    if cls in _ATOMIC:  # never in the memo: deepcopy stores no atom, and the memo's ids are of live objects
        return x
    found = memo.get(id(x), memo)
    if found is not memo:
        return found
    y = _container(x, cls, memo)
    if y is NotImplemented:
        if not _is_plain_module(cls) or not _INSTANCE_HOOKS.isdisjoint(vars(x)):
            return copy.deepcopy(x, memo)
        y = _module(x, cls, memo)
    if y is not x:  # as copy.deepcopy ends: remembered, and the original kept alive
        memo[id(x)] = y
        _keep_alive(x, memo)
    return y


__all__ = ["deepcopy"]
