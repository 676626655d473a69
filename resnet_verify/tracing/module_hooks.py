"""Module calls of one traced forward: a pre-hook opens each call's record, a post-hook closes it
(a module called twice gives two records; a crash leaves calls open, ending at the last op)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import nn
from torch.utils.hooks import RemovableHandle

from resnet_verify.specs.frame_values import FrameValues
from resnet_verify.tracing.hparams import module_hparams
from resnet_verify.tracing.op_counter import tensors_in
from resnet_verify.tracing.recorder import Recorder, shape_of
from resnet_verify.tracing.records import ModuleCall, SourceLoc, make_attrs

Chains = dict[str, tuple[tuple[SourceLoc, ...], tuple[FrameValues, ...]]]
Sites = tuple[dict[str, SourceLoc], Chains]  # (site, (call chain, frame values)) per path


class ModuleHooks:
    """Records every module call of one forward: a pre-hook opens its record, a post-hook closes it."""

    def __init__(self, recorder: Recorder, sites: dict[str, SourceLoc], chains: Chains) -> None:
        self.recorder = recorder
        self.sites = sites
        self.chains = chains
        self.pending: dict[int, dict[str, Any]] = {}
        self.open_calls: list[int] = []
        self.call_counts: dict[str, int] = {}

    def pre_hook(self, path: str) -> Callable[[nn.Module, tuple, dict], None]:
        def hook(mod: nn.Module, args: tuple, kwargs: dict) -> None:
            order = len(self.pending)
            flat = tensors_in((args, kwargs))
            own = list(mod.parameters(recurse=False))
            self.pending[order] = {
                "order": order,
                "path": path,
                "type_name": type(mod).__name__,
                "call_index": self.call_counts.get(path, 0),
                "in_shapes": tuple(shape_of(t) for t in flat),
                "out_shapes": (),
                "num_params": sum(p.numel() for p in own),
                "num_trainable": sum(p.numel() for p in own if p.requires_grad),
                "hparams": make_attrs(module_hparams(mod)),
                "first_op": len(self.recorder.ops),
                "end_op": len(self.recorder.ops),
                "source": self.sites.get(path),
                "chain": self.chains.get(path, ((), ()))[0],
                "frames": self.chains.get(path, ((), ()))[1],
            }
            self.call_counts[path] = self.call_counts.get(path, 0) + 1
            self.open_calls.append(order)
            self.recorder.stack.append(path)

        return hook

    def post_hook(self, mod: nn.Module, args: tuple, kwargs: dict, output: Any) -> None:
        order = self.open_calls.pop()
        self.recorder.stack.pop()
        flat = tensors_in(output)
        self.pending[order]["out_shapes"] = tuple(shape_of(t) for t in flat)
        self.pending[order]["end_op"] = len(self.recorder.ops)

    def attach(self, model: nn.Module) -> list[RemovableHandle]:
        handles = []
        for path, module in model.named_modules():
            if path:
                handles.append(module.register_forward_pre_hook(self.pre_hook(path), with_kwargs=True))
                handles.append(module.register_forward_hook(self.post_hook, with_kwargs=True))
        return handles

    def calls(self) -> tuple[ModuleCall, ...]:
        """Every call in the order it began; calls a crash left open end at the last op."""
        for order in self.open_calls:
            self.pending[order]["end_op"] = len(self.recorder.ops)
        return tuple(ModuleCall(**self.pending[k]) for k in sorted(self.pending))


__all__ = ["Chains", "ModuleHooks", "Sites"]
