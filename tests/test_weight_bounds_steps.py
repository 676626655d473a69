"""A weight clipped or renormed in forward is named with its bounds, one spelling whatever the call:
a max-norm bound typed 2.5 for 0.25 is another layer though the ops are the same (heldout132)."""

from __future__ import annotations

import torch

from resnet_verify.specs.steps import step_name
from resnet_verify.tracing.normalize import join_steps

W = torch.zeros(8, 3, 3, 3)


def test_renorm_reads_the_same_by_position_or_keyword_and_differs_by_its_bound() -> None:
    by_position = step_name("renorm", (W, 2, 0, 0.25), {})
    assert by_position == step_name("renorm", (W,), {"p": 2, "dim": -4, "maxnorm": 0.25})
    assert by_position == "renorm(p=2.0, dim=0, maxnorm=0.25)"
    assert step_name("renorm", (W, 2, 0, 2.5), {}) != by_position


def test_clamp_and_clip_spell_one_clip() -> None:
    assert step_name("clamp", (W, -0.01, 0.01), {}) == step_name("clip_", (W,), {"min": -0.01, "max": 0.01})
    assert step_name("clamp_min", (W, 1e-12), {}) == "clamp(min=1e-12)"
    assert step_name("clamp", (W,), {"max": 0.1}) == "clamp(max=0.1)"


def test_a_clamp_by_tensors_keeps_its_name() -> None:
    assert step_name("clamp", (W, torch.zeros(1)), {}) == "clamp"


def test_a_normalization_with_its_clamp_still_reads_as_one_step() -> None:
    steps = ("norm(p=2.0, dim=1)", step_name("clamp_min", (W, 1e-12), {}), "div")
    assert join_steps(steps) == ("normalize(p=2.0, dim=1)",)
