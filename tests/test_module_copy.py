"""``specs.module_copy.deepcopy`` makes the copy ``copy.deepcopy`` makes: same classes, same state,
same sharing between objects, nothing shared with the original but atoms and memo entries."""

from __future__ import annotations

import copy
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
import torch
import torchvision
from torch import nn

from resnet_verify.specs import module_copy
from resnet_verify.specs.builders import build_model

MODELS = Path(__file__).parent / "fixtures" / "models"
SPECS = sorted(p.name for p in MODELS.glob("*.py") if "keras" not in p.name and p.name != "__init__.py")


def _same(a: Any, b: Any, seen: dict[int, int]) -> None:
    """``a`` and ``b`` (two copies of one original) are alike, object for object: where ``a`` reuses
    an object, ``b`` reuses the corresponding one."""
    if id(a) in seen:
        assert seen[id(a)] == id(b)
        return
    seen[id(a)] = id(b)
    assert type(a) is type(b)
    if isinstance(a, torch.Tensor):
        assert (a.shape, a.dtype, a.device, a.requires_grad) == (b.shape, b.dtype, b.device, b.requires_grad)
        if a.device.type != "meta":
            assert torch.equal(a, b)
    elif isinstance(a, (dict, OrderedDict)):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k], seen)
    elif isinstance(a, (list, tuple, set, frozenset)):
        assert len(a) == len(b)
        items = sorted(a, key=repr) if isinstance(a, (set, frozenset)) else a
        others = sorted(b, key=repr) if isinstance(b, (set, frozenset)) else b
        for x, y in zip(items, others):
            _same(x, y, seen)
    elif isinstance(a, nn.Module) or (hasattr(a, "__dict__") and not isinstance(a, type) and not callable(a)):
        _same(vars(a), vars(b), seen)
    else:
        assert a == b or a is b


def _both(model: nn.Module, meta_memo: bool) -> tuple[nn.Module, nn.Module]:
    def memo() -> dict[int, Any]:
        if not meta_memo:
            return {}
        return {id(t): nn.Parameter(t.detach().to("meta")) for t in model.parameters()}

    return copy.deepcopy(model, memo()), module_copy.deepcopy(model, memo())


@pytest.mark.parametrize("name", SPECS)
def test_fixture_models_copy_as_deepcopy_does(name: str) -> None:
    model, _ = build_model(f"{MODELS / name}:build", num_classes=10, input_size=(3, 64, 64), random_init=True)
    for meta_memo in (False, True):
        want, got = _both(model, meta_memo)
        _same(want, got, {})
        assert not {id(t) for t in got.parameters()} & {id(t) for t in model.parameters()}


def test_shared_submodules_and_odd_state_copy_as_deepcopy_does() -> None:
    relu = nn.ReLU()
    model = nn.Sequential(nn.Conv2d(3, 8, 3), relu, nn.Conv2d(8, 8, 3, padding_mode="reflect"), relu)
    # plain attributes set the way user code sets them (setattr: nn.Module's typing knows only
    # tensors and modules as attributes)
    setattr(model, "table", {"a": [1, 2, (3, 4)], "same": relu})  # refers to a submodule  # noqa: B010
    setattr(model, "names", {"x", "y"})  # noqa: B010
    model.extra = torch.ones(2)  # an unregistered tensor
    setattr(model, "plan", torchvision.models.resnet.Bottleneck)  # a class: copied as is  # noqa: B010
    want, got = _both(model, meta_memo=False)
    _same(want, got, {})
    assert isinstance(got, nn.Sequential)
    assert got[1] is got[3] is getattr(got, "table")["same"] and got[1] is not relu  # noqa: B009
