"""The model's parameters and buffers as the trace names them: each tensor once, by its first qualified
name, with the other names it is reachable by (a shared weight's aliases)."""

from __future__ import annotations

from torch import nn

from resnet_verify.tracing.recorder import shape_of
from resnet_verify.tracing.records import ParamInfo


def param_names(model: nn.Module) -> dict[int, str]:
    """Tensor id -> the first qualified name of every parameter and buffer."""
    param_names: dict[int, str] = {}
    for name, p in model.named_parameters(remove_duplicate=False):
        param_names.setdefault(id(p), name)
    for name, b in model.named_buffers(remove_duplicate=False):
        param_names.setdefault(id(b), name)
    return param_names


def param_infos(model: nn.Module) -> tuple[ParamInfo, ...]:
    infos: dict[int, ParamInfo] = {}
    for is_buffer, items in (
        (False, model.named_parameters(remove_duplicate=False)),
        (True, model.named_buffers(remove_duplicate=False)),
    ):
        for name, t in items:
            if id(t) in infos:
                old = infos[id(t)]
                infos[id(t)] = ParamInfo(
                    old.name, old.shape, old.numel, old.trainable, old.is_buffer, (*old.aliases, name)
                )
            else:
                infos[id(t)] = ParamInfo(
                    name, shape_of(t), t.numel(), bool(t.requires_grad) and not is_buffer, is_buffer
                )
    return tuple(infos.values())


__all__ = ["param_infos", "param_names"]
