"""A model torch.fx generated (torchvision's ``create_feature_extractor``: its ``forward`` has no
``__module__``) is traced like any other (#23 heldout43, PatchCore's extractor crashed the regularizer
scan): the same features as the eager cut, no difference."""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models.feature_extraction import create_feature_extractor

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces


class _Fx(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = create_feature_extractor(resnet18(), {"layer3": "feat"})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)["feat"]


class _Eager(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(*list(resnet18().children())[:-3])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


def test_an_fx_extractor_compares_like_its_eager_cut() -> None:
    c = compare_traces(trace(_Eager(), 64), trace(_Fx(), 64), reference_name="a", candidate_name="b",
                       num_classes=10)  # fmt: skip
    assert not c.mismatches, [m.message for m in c.mismatches[:3]]


def _retargeted(recompile: bool) -> nn.Module:
    """resnet18's graph with every ReLU node pointed at SiLU; without ``recompile()`` the module still
    runs the code generated before the edit (what PyTorch's fx guide warns of)."""
    gm = torch.fx.symbolic_trace(resnet18(num_classes=10))
    for node in gm.graph.nodes:
        if node.op == "call_module" and isinstance(gm.get_submodule(node.target), nn.ReLU):
            node.op, node.target = "call_function", torch.nn.functional.silu
    if recompile:
        gm.recompile()
    return gm


def test_a_graph_edited_without_recompile_is_measured_as_it_runs() -> None:
    # the copy a trace runs is made by deepcopy, which recompiles a GraphModule from its graph: it
    # would measure SiLU where the module the user built runs ReLU (a false difference)
    built = _retargeted(recompile=False)
    x = torch.randn(1, 3, 64, 64)
    plain = resnet18(num_classes=10).eval()
    plain.load_state_dict(built.state_dict())
    assert torch.equal(built.eval()(x), plain(x))  # it runs ReLU: the edit never took effect
    c = compare_traces(trace(resnet18(num_classes=10), 64), trace(built, 64), reference_name="a",
                       candidate_name="b", num_classes=10)  # fmt: skip
    assert not c.mismatches, [m.message for m in c.mismatches[:3]]


def test_a_recompiled_graph_edit_is_a_difference() -> None:  # must fire: the edit runs
    c = compare_traces(trace(resnet18(num_classes=10), 64), trace(_retargeted(recompile=True), 64),
                       reference_name="a", candidate_name="b", num_classes=10)  # fmt: skip
    assert any("silu" in str(m.actual).lower() or "silu" in m.message.lower() for m in c.mismatches)
