"""Property tests: block channel wiring, shape/parameter formulas, compare on generated ResNets.

Profiles (see :func:`resnet_verify.testing.strategies.register_profiles`): ``ci`` (default; derandomized,
few examples), ``dev`` (random, 50) and ``fuzz`` (random, 500) via ``HYPOTHESIS_PROFILE=fuzz``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TypedDict

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from resnet_verify.models.configs import BlockConfig, ResNetConfig
from resnet_verify.models.configurable import (
    ConfigurableBasic,
    ConfigurableBottleneck,
    ConvSpec,
    ShortcutSpec,
)
from resnet_verify.models.resnet import Bottleneck, resnet50, stage_plans
from resnet_verify.report.formats import load_report, render, to_dict
from resnet_verify.testing import strategies as rs
from resnet_verify.tracing.records import BlockKind, OpKind, Trace
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison, MismatchKind

PROFILE = rs.load_profile("ci")
K = rs.MutationKind


def _meta_trace(cfg: BlockConfig | ResNetConfig, shape: tuple[int, ...]) -> tuple[Trace, int]:
    with torch.device("meta"):  # tracing runs on meta anyway; this skips the weight init
        model = cfg.build()
    return trace(model, shape), sum(p.numel() for p in model.parameters())


def _chains(t: Trace) -> list[tuple[int, ...]]:
    """Per traced block: input channels, then out_channels of each conv on the main path."""
    return [
        (
            b.in_shape[1],
            *(dict(t.ops[o].attrs)["out_channels"] for o in b.main if t.ops[o].kind is OpKind.CONV),
        )
        for b in t.structure.blocks
    ]


def _compare(ref: Trace, cand: Trace, classes: int) -> Comparison:
    return compare_traces(
        ref, cand, reference_name="generated", candidate_name="mutated", num_classes=classes
    )


def _under(path: str | None, prefix: str) -> bool:
    return path is not None and (path == prefix or path.startswith(prefix + "."))


# ---- formulas vs the tracer ------------------------------------------------------------------------


@given(st.data())
def test_block_shape_params_and_chain_match_formulas(data: st.DataObject) -> None:
    cfg = data.draw(rs.block_configs(), label="block")
    shape = rs.input_shape_of(cfg, data.draw(rs.input_sizes(cfg), label="size"))
    t, numel = _meta_trace(cfg, shape)
    expected = rs.expected_output_shape(cfg, shape)
    assert t.crash is None
    assert t.output_shape == expected
    [block] = t.structure.blocks
    assert block.kind is BlockKind.RESIDUAL and block.out_shape == expected
    assert rs.expected_param_count(cfg) == t.total_params == numel == block.num_params
    assert _chains(t) == list(rs.expected_channel_chain(cfg))
    shortcut_convs = [o for o in block.shortcut if t.ops[o].kind is OpKind.CONV]
    assert len(shortcut_convs) == int(cfg.has_projection)


@given(st.data())
def test_network_shapes_params_and_stages_match_formulas(data: st.DataObject) -> None:
    cfg = data.draw(rs.resnet_configs(), label="net")
    shape = rs.input_shape_of(cfg, data.draw(rs.input_sizes(cfg), label="size"))
    t, numel = _meta_trace(cfg, shape)
    assert t.output_shape == rs.expected_output_shape(cfg, shape) == (1, cfg.num_classes)
    assert rs.expected_param_count(cfg) == t.total_params == numel
    s = t.structure
    assert [b.path for b in s.blocks] == list(cfg.block_paths())
    assert [(b.in_shape, b.out_shape) for b in s.blocks] == list(rs.expected_block_shapes(cfg, shape))
    assert [st_.path for st_ in s.stages] == [cfg.stage_path(i) for i in range(len(cfg.stages))]
    assert [len(st_.blocks) for st_ in s.stages] == [len(stage) for stage in cfg.stages]
    assert _chains(t) == list(rs.expected_channel_chain(cfg))
    # Channels flow: each block takes what the previous block (or the stem) gives.
    outs = [cfg.stem.channels] + [chain[-1] for chain in _chains(t)]
    assert [chain[0] for chain in _chains(t)] == outs[:-1]


def test_resnet50_layer1_channel_flow() -> None:
    with torch.device("meta"):
        model = resnet50(num_classes=10)
    t = trace(model, 64)
    layer1 = [b for b in t.structure.blocks if b.path.startswith("layer1.")]
    flow = [c for chain in _chains(t)[: len(layer1)] for c in chain[1:]]
    assert flow == [64, 64, 256] * 3  # 64->64->256->64->64->256->64->64->256
    assert [chain[0] for chain in _chains(t)[:3]] == [64, 256, 256]
    # Every stage follows its plan: mid, mid, out per block; the first block takes the previous out.
    plans = stage_plans(Bottleneck, (3, 4, 6, 3))
    expected = [
        (p.in_channels if j == 0 else p.out_channels, p.mid_channels, p.mid_channels, p.out_channels)
        for p in plans
        for j in range(p.blocks)
    ]
    assert _chains(t) == expected


def test_configurable_matches_project_resnet50_parameter_count() -> None:
    cfg = ResNetConfig.from_plans("bottleneck", stage_plans(Bottleneck, (3, 4, 6, 3)), num_classes=1000)
    with torch.device("meta"):
        reference = resnet50()
    assert rs.expected_param_count(cfg) == sum(p.numel() for p in reference.parameters())
    c = _compare(trace(reference, 64), _meta_trace(cfg, (1, 3, 64, 64))[0], 1000)
    assert c.ok, [m.message for m in c.mismatches]


# ---- construction-time wiring checks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: ConfigurableBottleneck(16, [ConvSpec(16, 8), ConvSpec(4, 8, 3), ConvSpec(8, 16)]),
            "ConfigurableBottleneck: conv2 takes 4 channels but conv1 gives 8 "
            "(F1 must equal the 3x3 conv's input)",
        ),
        (
            lambda: ConfigurableBottleneck(16, [ConvSpec(16, 8), ConvSpec(8, 8, 3), ConvSpec(8, 32)]),
            "ConfigurableBottleneck: conv3 gives 32 channels but the identity shortcut carries 16 "
            "(F3 must equal the shortcut's width)",
        ),
        (
            lambda: ConfigurableBottleneck(
                16, [ConvSpec(16, 8), ConvSpec(8, 8, 3), ConvSpec(8, 32)], shortcut=ShortcutSpec(16, 64)
            ),
            "ConfigurableBottleneck: conv3 gives 32 channels but the projection shortcut gives 64 "
            "(F3 must equal the shortcut's width)",
        ),
        (
            lambda: ConfigurableBasic(8, [ConvSpec(16, 8, 3), ConvSpec(8, 8, 3)]),
            "ConfigurableBasic: conv1 takes 16 channels but the block input has 8",
        ),
        (
            lambda: ConfigurableBasic(8, [ConvSpec(8, 8, 3, stride=2), ConvSpec(8, 8, 3)]),
            "ConfigurableBasic: the main path has stride 2 but the identity shortcut has stride 1",
        ),
        (
            lambda: ConfigurableBottleneck(8, [ConvSpec(8, 6), ConvSpec(6, 8, 3, groups=4), ConvSpec(8, 8)]),
            "ConfigurableBottleneck: conv2 groups=4 must divide its in_channels 6 and out_channels 8",
        ),
    ],
)
def test_unchained_block_is_rejected_with_one_line_message(build, message: str) -> None:
    with pytest.raises(ValueError) as info:
        build()
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


@given(st.data())
def test_any_broken_link_in_the_chain_is_rejected(data: st.DataObject) -> None:
    cfg = data.draw(rs.block_configs(), label="block")
    specs = list(cfg.conv_specs())
    k = data.draw(st.integers(0, len(specs) - 1), label="conv")
    wrong = data.draw(st.integers(1, 256).filter(lambda c: c != specs[k].in_channels), label="in")
    specs[k] = dataclasses.replace(specs[k], in_channels=wrong, groups=1)
    cls = ConfigurableBottleneck if cfg.kind == "bottleneck" else ConfigurableBasic
    shortcut = ShortcutSpec(cfg.in_channels, cfg.out_channels, cfg.stride) if cfg.has_projection else None
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: conv{k + 1} takes {wrong} channels but "):
        cls(cfg.in_channels, specs, shortcut=shortcut)
    # The identity shortcut must carry exactly the last filter count.
    if cfg.stride == 1 and cfg.in_channels != cfg.out_channels:
        with pytest.raises(ValueError, match=rf"F{len(specs)} must equal the shortcut's width"):
            cls(cfg.in_channels, cfg.conv_specs())
    else:
        cfg.build()  # the config itself is always valid


# ---- compare on generated configurations ------------------------------------------------------------


@given(st.data())
def test_same_config_traced_twice_compares_clean(data: st.DataObject) -> None:
    cfg = data.draw(rs.resnet_configs(), label="net")
    shape = rs.input_shape_of(cfg, data.draw(rs.input_sizes(cfg), label="size"))
    c = _compare(_meta_trace(cfg, shape)[0], _meta_trace(cfg, shape)[0], cfg.num_classes)
    assert c.ok, [m.message for m in c.mismatches]
    assert c.findings == () and all(row.ok for row in c.stages)
    assert len(c.stages) == len(cfg.stages) + 2  # stem, one row per stage, head


class _Bounds(TypedDict, total=False):
    """Keyword arguments of ``rs.resnet_configs`` that the table below narrows."""

    kind: rs.BlockKindName
    min_stages: int
    min_blocks: int


# Configs in which each mutation kind usually applies (the strategy rejects the rest).
_FOR_KIND: dict[rs.MutationKind, _Bounds] = {
    K.STRIDE_PLACEMENT: _Bounds(min_stages=2),
    K.DROP_BLOCK: _Bounds(min_blocks=2),
    K.GROUPS_1X1: _Bounds(kind="bottleneck"),
}


@pytest.mark.parametrize("kind", list(K), ids=lambda k: k.value)
@given(data=st.data())
def test_every_mutation_is_found_and_located(kind: rs.MutationKind, data: st.DataObject) -> None:
    cfg = data.draw(rs.resnet_configs(**_FOR_KIND.get(kind, {})), label="net")
    mutated, mutation = data.draw(rs.mutations(cfg, [kind]), label="mutation")
    assert mutation.kind is kind and mutated != cfg
    lo = max(rs.min_input_size(cfg), rs.min_input_size(mutated))
    shape = rs.input_shape_of(cfg, data.draw(st.integers(lo, max(lo, 64)), label="size"))
    c = _compare(_meta_trace(cfg, shape)[0], _meta_trace(mutated, shape)[0], cfg.num_classes)
    assert not c.ok, mutation
    messages = [m.message for m in c.mismatches]
    loc = mutation.location
    at = [m for m in c.mismatches if _under(m.reference_path, loc.path) or _under(m.candidate_path, loc.path)]
    assert at, (mutation, messages)
    assert mutation.kinds <= {m.kind for m in at}, (mutation, messages)
    if kind in (K.DROP_BLOCK, K.ADD_BLOCK):
        block_kind = MismatchKind.MISSING if kind is K.DROP_BLOCK else MismatchKind.EXTRA
        assert any(m.kind is block_kind and m.field == "block" for m in at), messages
    elif loc.layer is not None:
        assert any(loc.layer_path in (m.reference_path, m.candidate_path) for m in at), messages
    # The row of the mutated stage is flagged; the other stages' rows stay ok unless shapes moved.
    assert not c.stages[loc.stage + 1].ok, [(r.name, r.ok) for r in c.stages]


def test_expected_kinds_cover_every_mutation() -> None:
    assert set(rs.EXPECTED_KINDS) == set(K)


# ---- reports -------------------------------------------------------------------------------------------


def _markdown_stage_rows(markdown: str) -> list[str]:
    lines = markdown.splitlines()
    start = lines.index("## Stages") + 2
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append(line)
    return table[2:]  # header and separator


@given(st.data())
def test_reports_round_trip_and_markdown_has_one_row_per_stage(data: st.DataObject) -> None:
    cfg = data.draw(rs.resnet_configs(max_stages=3), label="net")
    other, _ = data.draw(st.one_of(st.just((cfg, None)), rs.mutations(cfg)), label="candidate")
    lo = max(rs.min_input_size(cfg), rs.min_input_size(other))
    shape = rs.input_shape_of(cfg, data.draw(st.integers(lo, max(lo, 64)), label="size"))
    c = _compare(_meta_trace(cfg, shape)[0], _meta_trace(other, shape)[0], cfg.num_classes)
    text = render(c, "json")
    assert json.loads(text) == to_dict(c)
    assert load_report(text) == to_dict(c)
    assert to_dict(c)["ok"] is c.ok
    rows = _markdown_stage_rows(render(c, "markdown"))
    assert len(rows) == len(c.stages)
    assert [r.split("|")[1].strip() for r in rows] == [s.name for s in c.stages]
