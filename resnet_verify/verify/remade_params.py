"""Parameters a forward makes anew on every call, found by calling it twice.

A model that makes a layer on its first call (``if self.fc is None: self.fc = nn.Linear(...)``) is the
model that call leaves, which the trace measures. Without the guard every call makes a fresh, randomly
initialised layer: the trace of one call reads the same network, but the layer never keeps what training
teaches it (an optimizer holds tensors the next call throws away) and two calls answer differently: the
false "no difference" (heldout119's built_head_every_call). So where the candidate's trace holds
parameters the model as built lacks (made by its forward), a copy runs two forwards; each layer whose
parameters the second call replaced is one mismatch there. A model whose forward makes nothing is not run.
"""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.specs.usercode import copy_model, model_output, set_training, unwrap
from resnet_verify.tracing.records import OpRecord
from resnet_verify.verify.records import Comparison, Mismatch, MismatchKind, Region

FIELD = "made_every_call"


def _made_in_forward(model: nn.Module, comparison: Comparison) -> bool:
    built = {n for n, _ in model.named_parameters(remove_duplicate=False)}
    return any(not p.is_buffer and p.name not in built for p in comparison.candidate.params)


def _replaced(model: nn.Module, shape: tuple[int, ...]) -> list[str]:
    """Parameter names whose tensor a second forward of a copy replaced."""
    twin = copy_model(model)
    device = next((t.device for t in twin.parameters()), torch.device("cpu"))
    x = torch.zeros((1, *shape[1:]), device=device)
    set_training(twin, False)
    held = []
    with torch.no_grad(), model_output():
        for _ in range(2):
            twin(x)
            held.append({n: id(p) for n, p in twin.named_parameters(remove_duplicate=False)})
    first, second = held
    return sorted(n for n, i in first.items() if n in second and second[n] != i)


def _mismatch(comparison: Comparison, module: str, names: list[str]) -> Mismatch:
    trace = comparison.candidate
    op: OpRecord | None = next((o for o in trace.ops if names[0] in o.params), None)
    listed = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return Mismatch(
        kind=MismatchKind.OP,
        reference_path=None,
        candidate_path=module,
        field=FIELD,
        expected=False,
        actual=True,
        message=f"{module or 'the model'}: its parameters ({listed}) are made anew by every forward call, each "
        "call drawing fresh random weights: what training teaches them is thrown away at the next call, and two "
        "calls answer differently (make the layer once, in __init__ or behind a check that it exists)",
        source=op.source if op is not None else None,
        region=Region.HEAD if op is not None and op.id in trace.structure.head else Region.MODEL,
        op_kind=op.kind if op is not None else None,
        candidate_op=op.id if op is not None else None,
    )


def params_made_every_call(candidate: nn.Module, comparison: Comparison) -> tuple[Mismatch, ...]:
    """One mismatch per layer whose parameters every forward call makes anew (see the module docstring)."""
    model = unwrap(candidate)
    if comparison.candidate.crash is not None or not _made_in_forward(model, comparison):
        return ()
    try:
        names = _replaced(model, tuple(comparison.input_shape))
    except Exception:  # a model that cannot run twice this way answers nothing here; its trace did
        return ()
    modules: dict[str, list[str]] = {}
    for n in names:
        modules.setdefault(n.rpartition(".")[0], []).append(n)
    return tuple(_mismatch(comparison, module, held) for module, held in modules.items())


__all__ = ["FIELD", "params_made_every_call"]
