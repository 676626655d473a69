"""Channels-last activations (a JAX / Keras port's NHWC) read as the channels-first tensors they are
(tracing/layout.py): shapes, blocks, stages and the mean-over-(H, W) head line up with the reference;
an edit inside such a model is still found and placed; permutations are recorded as such."""

from __future__ import annotations

import torch
from fixtures.quirky.channels_last import nhwc_no_relu_layer3, nhwc_resnet18

from resnet_verify.tracing.records import OpKind
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

R18 = "torchvision:resnet18"


def test_a_channels_last_port_of_resnet18_compares_clean() -> None:
    c = compare(nhwc_resnet18(), R18, input_size=64, num_classes=10)
    assert c.ok, [m.message for m in c.mismatches][:5]
    assert [len(s.blocks) for s in c.candidate.structure.stages] == [2, 2, 2, 2]


def test_its_shapes_read_channels_first_and_its_mean_is_a_global_pool() -> None:
    t = trace(nhwc_resnet18(), (1, 3, 64, 64))
    assert t.structure.blocks[-1].out_shape == (1, 512, 2, 2)
    assert any(op.kind is OpKind.GLOBAL_POOL for op in t.ops[t.structure.head[0] :])


def test_an_edit_inside_it_is_found_and_placed() -> None:
    c = compare(nhwc_no_relu_layer3(), R18, input_size=64, num_classes=10)
    assert c.mismatches and {m.reference_path for m in c.mismatches} == {"layer3.0.relu", "layer3.1.relu"}
    assert [f.pattern for f in c.findings] == [Pattern.REPEATED]


def test_permutations_are_recorded_and_plain_models_keep_their_shapes() -> None:
    class Permuting(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x.permute(0, 2, 3, 1).transpose(1, 2).movedim(3, 1)

    t = trace(Permuting(), (1, 3, 8, 6))
    perms = [dict(op.attrs).get("perm") for op in t.ops]
    assert perms == [(0, 2, 3, 1), (0, 2, 1, 3), (0, 3, 1, 2)]
    assert t.ops[-1].out_shape == (1, 3, 6, 8)  # x.mT of the input, as recorded: no permutation hides it
