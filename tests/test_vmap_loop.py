"""``torch.vmap`` traced as the loop it computes (tracing/vmap_loop.py): a vmapped ensemble of residual
networks (members' weights stacked by ``stack_module_state``, one ``functional_call`` under vmap) is the
ensemble of those members, not "a network without residual additions"; what differs in it is found
and named either way round; a vmap that changes nothing compares clean."""

from __future__ import annotations

import pytest
import torch
from fixtures.spelled.vmap_ensemble import MEMBERS, Small, StackedEnsemble

from resnet_verify.tracing.module_hooks import ModuleHooks
from resnet_verify.tracing.recorder import Recorder
from resnet_verify.tracing.tracer import trace
from resnet_verify.tracing.vmap_loop import VmapLoop
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = "tests/fixtures/spelled/vmap_ensemble.py"


def _compare(candidate: str, reference: str) -> tuple[list[Pattern], list[str]]:
    from resnet_verify.specs.builders import build_model

    model, _ = build_model(f"{FIXTURE}:{candidate}", num_classes=10, random_init=False)
    c = compare(model, f"{FIXTURE}:{reference}", input_size=32, num_classes=10)
    return [f.pattern for f in c.findings], [m.message for m in c.mismatches]


@pytest.mark.parametrize("candidate", ["stacked", "models"])
def test_a_vmapped_or_renamed_ensemble_is_the_ensemble(candidate: str) -> None:
    assert _compare(candidate, "nets") == ([], [])


def test_stacked_parameters_are_each_members_own() -> None:
    t = trace(StackedEnsemble(10), 32)
    stem = {p.name: p.numel for p in t.params if p.name.startswith("params.stem_0_weight")}
    assert stem == {f"params.stem_0_weight.{i}": 8 * 3 * 3 * 3 for i in range(MEMBERS)}
    assert sum(p.numel for p in t.params if not p.is_buffer) == MEMBERS * sum(
        p.numel() for p in Small(10).parameters()
    )
    assert len(t.structure.blocks) == 2  # the first member's blocks; the others are its copies


@pytest.mark.parametrize(
    ("candidate", "reference"), [("stacked_probabilities", "nets"), ("nets", "stacked_probabilities")]
)
def test_averaged_probabilities_are_named_either_way(candidate: str, reference: str) -> None:
    patterns, mismatches = _compare(candidate, reference)
    assert patterns == [Pattern.OUTPUT_SOFTMAX] and len(mismatches) == 1, (patterns, mismatches)


def test_a_vmap_over_the_batch_changes_nothing() -> None:
    """Must not fire: images mirrored and features classified one by one under vmap are the batch's."""
    assert _compare("flip_mapped", "flip_batched") == ([], [])


def test_the_loop_computes_what_vmap_computes() -> None:
    recorder = Recorder({})
    loop = VmapLoop(recorder, ModuleHooks(recorder, {}, {}))
    w, x = torch.randn(4, 5, 3), torch.randn(2, 5)

    def f(w: torch.Tensor, x: torch.Tensor, scale: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
        return x @ w * scale, w.sum()

    want = torch.vmap(f, in_dims=(0, None), out_dims=(1, 0))(w, x, scale=2.0)
    with loop.patched():
        got = torch.vmap(f, in_dims=(0, None), out_dims=(1, 0))(w, x, scale=2.0)
    assert [a.shape for a in got] == [a.shape for a in want]  # (2, 4, 3), (4,)
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(want, got, strict=True))
    with loop.patched(), pytest.raises(ValueError, match="same size"):
        torch.vmap(lambda a, b: a + b)(torch.zeros(2, 3), torch.zeros(3, 3))
