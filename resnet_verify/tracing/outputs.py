"""Which tensor of a forward's output is the model's prediction.

Real classifiers return more than a tensor: transformers a ``ModelOutput`` (``.logits``),
torchvision's GoogLeNet/Inception a namedtuple (logits, aux...), segmentation-style code a dict
(``out``, ``aux``), others a tuple ``(logits, features)``. One rule, used by the tracer, the numeric
checks, porting and training, so that all of them look at the same tensor:

1. a tensor is itself;
2. with ``key``: the attribute or mapping entry ``key`` (``logits``, ``out``), or the element at
   index ``key`` of a tuple / list (``0``, ``1``);
3. without: ``.logits`` of an object (ModelOutput), else a mapping's ``logits`` then ``out`` entry,
   else the first tensor of a tuple / list / namedtuple (in order, the shallowest first: a tensor
   beside a list of feature maps is the prediction).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

from resnet_verify.errors import UsageError
from resnet_verify.tracing.records import OpRecord

DEFAULT_KEYS = ("logits", "out")


def _first_tensor(output: Any) -> torch.Tensor | None:
    """The first tensor at the shallowest level: ``([f0, f1, f2], logits)`` (RepDistiller's
    ``is_feat``) is the features list and the prediction, ``(logits, [features])`` the same."""
    level = [output]
    while level:
        for item in level:
            if isinstance(item, torch.Tensor):
                return item
        nested: list[Any] = []
        for item in level:
            if isinstance(item, Mapping):
                nested.extend(item.values())
            elif isinstance(item, (tuple, list)):
                nested.extend(item)
        level = nested
    return None


def other_tensors(output: Any, chosen: torch.Tensor | None) -> list[torch.Tensor]:
    """Every tensor of ``output`` but the prediction (an auxiliary head's logits, features)."""
    if isinstance(output, torch.Tensor):
        return [] if output is chosen else [output]
    if isinstance(output, Mapping):
        output = list(output.values())
    elif not isinstance(output, (tuple, list)) and hasattr(output, "__dict__"):
        output = list(vars(output).values())  # a ModelOutput-like object
    if isinstance(output, (tuple, list)):
        return [t for item in output for t in other_tensors(item, chosen)]
    return []


def side_outputs(
    producer: dict[int, int], ops: Sequence[OpRecord], output: Any, chosen: torch.Tensor | None
) -> tuple[int, ...]:
    """The ops that made the other tensors the forward returns (an auxiliary head's logits). A tensor
    the prediction is computed from (the pooled features returned beside the logits) is no extra
    output: it only shows a step of the same network."""
    made = {producer.get(id(t), -1) for t in other_tensors(output, chosen)} - {-1}
    seen: set[int] = set()
    todo = [producer.get(id(chosen), -1)] if chosen is not None else []
    while todo:
        i = todo.pop()
        if i >= 0 and i not in seen:
            seen.add(i)
            todo.extend(ops[i].inputs)
    return tuple(sorted(p for p in made if p >= 0 and p not in seen))


def taps(producer: dict[int, int], output: Any, chosen: torch.Tensor | None) -> tuple[int, ...]:
    """The op that made each other tensor the forward returns, in order (-1 where none did)."""
    return tuple(producer.get(id(t), -1) for t in other_tensors(output, chosen))


def _describe(output: Any) -> str:
    if isinstance(output, Mapping):
        return f"{type(output).__name__} with keys {', '.join(map(str, output))}"
    if isinstance(output, (tuple, list)):
        return f"{type(output).__name__} of {len(output)}"
    return type(output).__name__


def _by_key(output: Any, key: str) -> torch.Tensor | None:
    if isinstance(output, Mapping) and key in output:
        value = output[key]
    elif isinstance(output, (tuple, list)) and key.lstrip("-").isdigit():
        index = int(key)
        value = output[index] if -len(output) <= index < len(output) else None
    else:
        value = getattr(output, key, None)
    return value if isinstance(value, torch.Tensor) else None


def select_output(output: Any, key: str | None = None) -> torch.Tensor | None:
    """The prediction tensor of ``output`` (see the module docstring); None when there is none.

    A ``key`` that names nothing in the output is a usage error: one line naming what is there.
    """
    if key is not None and not isinstance(output, torch.Tensor):
        found = _by_key(output, key)
        if found is None:
            raise UsageError(
                f"--output-key {key}: the forward returned a {_describe(output)}, with no tensor {key!r}"
            )
        return found
    if isinstance(output, torch.Tensor) or output is None:
        return output
    named = getattr(output, "logits", None)
    if isinstance(named, torch.Tensor):
        return named
    if isinstance(output, Mapping):
        for name in DEFAULT_KEYS:
            if isinstance(output.get(name), torch.Tensor):
                return output[name]
    return _first_tensor(output)


__all__ = ["DEFAULT_KEYS", "other_tensors", "select_output", "side_outputs", "taps"]


def no_tensor_error(model_name: str) -> UsageError:
    """The one message for a forward whose output holds no prediction (compare, equivalence, port, train)."""
    return UsageError(
        f"the forward of {model_name} returns no tensor (none as .logits, under 'logits'/'out', "
        "or in a tuple, list or dict)"
    )
