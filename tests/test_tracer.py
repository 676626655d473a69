"""The tracer: records, dataflow, structure detection, crash handling, and that it never touches the model."""

from __future__ import annotations

from typing import cast

import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from resnet_verify.models.resnet import resnet50, resnet50_v1
from resnet_verify.tracing.records import INPUT_ID, BlockKind, OpKind
from resnet_verify.tracing.tracer import trace


def _tv(name: str, **kw) -> nn.Module:
    with torch.device("meta"):
        return getattr(torchvision.models, name)(weights=None, **kw)


@pytest.mark.parametrize(
    ("name", "blocks", "params"),
    [
        ("resnet18", [2, 2, 2, 2], 11_689_512),
        ("resnet50", [3, 4, 6, 3], 25_557_032),
        ("resnet101", [3, 4, 23, 3], 44_549_160),
        ("resnext50_32x4d", [3, 4, 6, 3], 25_028_904),
        ("wide_resnet50_2", [3, 4, 6, 3], 68_883_240),
    ],
)
def test_torchvision_structure(name: str, blocks: list[int], params: int) -> None:
    tr = trace(_tv(name), 64)
    s = tr.structure
    assert [len(st.blocks) for st in s.stages] == blocks
    assert [st.path for st in s.stages] == ["layer1", "layer2", "layer3", "layer4"]
    assert tr.total_params == params
    # Column sums equal totals (torchinfo's invariant): every parameter lands in one part.
    assert s.stem_params + sum(st.num_params for st in s.stages) + s.head_params == params
    assert tr.output_shape == (1, 1000)
    assert s.blocks[0].path == "layer1.0"
    proj = s.blocks[s.stages[1].blocks[0]]
    assert proj.path == "layer2.0"
    assert [tr.ops[o].module_path for o in proj.shortcut] == [
        "layer2.0.downsample.0",
        "layer2.0.downsample.1",
    ]
    assert s.blocks[1].shortcut == ()  # identity
    reductions = [64 // st.out_shape[-1] for st in s.stages]
    assert reductions == sorted(reductions)


def test_module_records_and_hparams() -> None:
    tr = trace(_tv("resnet50"), (2, 3, 96, 96))
    calls = {c.path: c for c in tr.modules if c.call_index == 0}
    conv = calls["layer2.0.conv2"]
    hp = dict(conv.hparams)
    assert hp["kernel_size"] == (3, 3) and hp["stride"] == (2, 2) and hp["bias"] is False
    assert conv.in_shapes == ((2, 128, 24, 24),) and conv.out_shapes == ((2, 128, 12, 12),)
    bn = dict(calls["bn1"].hparams)
    assert bn["eps"] == 1e-5 and bn["momentum"] == 0.1 and bn["affine"] is True
    pool = dict(calls["maxpool"].hparams)
    assert pool["kernel_size"] == 3 and pool["ceil_mode"] is False
    assert dict(calls["fc"].hparams) == {"in_features": 2048, "out_features": 1000, "bias": True}
    # torchvision's Bottleneck calls its one ReLU module three times: three records.
    assert [c.call_index for c in tr.modules if c.path == "layer1.0.relu"] == [0, 1, 2]


def test_ops_form_a_dataflow_graph() -> None:
    tr = trace(_tv("resnet18"), 64)
    assert tr.ops[0].kind is OpKind.CONV and tr.ops[0].inputs == (INPUT_ID,)
    for op in tr.ops:
        assert all(i < op.id for i in op.inputs)
    adds = [op for op in tr.ops if op.kind is OpKind.ADD]
    assert len(adds) == 8 and all(len(a.inputs) == 2 for a in adds)
    conv = tr.ops[0]
    assert dict(conv.attrs)["stride"] == (2, 2) and conv.params == ("conv1.weight",)
    bn = tr.ops[1]
    assert bn.kind is OpKind.BATCH_NORM and bn.inputs == (0,)
    assert bn.module_stack == ("bn1",)


def test_caller_model_untouched_and_meta_only() -> None:
    model = resnet50(num_classes=10)
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    trace(model, 64)
    assert model.training
    assert all(p.device.type == "cpu" for p in model.parameters())
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert not model._forward_hooks and not model._forward_pre_hooks
    assert all(not m._forward_hooks for m in model.modules())


def test_memory_flat_in_batch_and_resolution() -> None:
    import tracemalloc

    model = _tv("resnet18")
    tracemalloc.start()
    trace(model, (1, 3, 64, 64))
    small = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    trace(model, (256, 3, 512, 512))  # a real forward would need ~30 GB of activations
    big = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert big < small * 1.5 + 1_000_000


def test_project_v1_and_v15_models() -> None:
    v15 = trace(resnet50(), 64)
    v1 = trace(resnet50_v1(), 64)
    assert v15.total_params == v1.total_params
    for tr, stride_conv in ((v15, 1), (v1, 0)):
        block = tr.structure.blocks[3]  # layer2.0
        convs = [tr.ops[o] for o in block.main if tr.ops[o].kind is OpKind.CONV]
        assert dict(convs[stride_conv].attrs)["stride"] == (2, 2)
        assert [len(st.blocks) for st in tr.structure.stages] == [3, 4, 6, 3]


class _Renamed(nn.Module):
    """resnet18's topology, every name different, one shared ReLU, shortcut computed first."""

    def __init__(self) -> None:
        super().__init__()
        self.act = nn.ReLU()
        self.entry = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64))
        self.units = nn.ModuleList()
        cin = 64
        for i, width in enumerate((64, 128, 256, 512)):
            for j in range(2):
                stride = 2 if i > 0 and j == 0 else 1
                unit = nn.ModuleDict(
                    {
                        "a": nn.Conv2d(cin, width, 3, stride, 1, bias=False),
                        "na": nn.BatchNorm2d(width),
                        "b": nn.Conv2d(width, width, 3, 1, 1, bias=False),
                        "nb": nn.BatchNorm2d(width),
                    }
                )
                if stride != 1 or cin != width:
                    unit["proj"] = nn.Sequential(
                        nn.Conv2d(cin, width, 1, stride, bias=False), nn.BatchNorm2d(width)
                    )
                self.units.append(unit)
                cin = width
        self.out = nn.Linear(512, 1000)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(self.act(self.entry(x)), 3, 2, 1)
        for unit in self.units:
            u = cast(nn.ModuleDict, unit)  # ModuleList is not generic: its items are plain Modules
            skip = u["proj"](x) if "proj" in u else x
            y = self.act(u["na"](u["a"](x)))
            x = self.act(skip + u["nb"](u["b"](y)))
        return self.out(x.mean((2, 3)))


def test_renamed_shared_relu_model() -> None:
    tr = trace(_Renamed(), 64)
    s = tr.structure
    assert [len(st.blocks) for st in s.stages] == [2, 2, 2, 2]
    assert tr.total_params == 11_689_512
    assert s.blocks[2].path == "units.2"
    assert [tr.ops[o].module_path for o in s.blocks[2].shortcut] == ["units.2.proj.0", "units.2.proj.1"]
    assert len([c for c in tr.modules if c.path == "act"]) == 17
    assert tr.ops[s.head[0]].kind is OpKind.GLOBAL_POOL


def test_shared_parameters_counted_once() -> None:
    class Tied(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = nn.Conv2d(3, 3, 3, padding=1)
            self.b = self.a  # the same module under two names
            self.head = nn.Linear(3, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.head(self.b(self.a(x)).mean((2, 3)))

    tr = trace(Tied(), 32)
    assert tr.total_params == 3 * 3 * 9 + 3 + 3 * 2 + 2
    shared = next(p for p in tr.params if p.name == "a.weight")
    assert shared.aliases == ("b.weight",)


def test_forward_that_raises_is_recorded() -> None:
    class Broken(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Conv2d(3, 8, 3)
            self.body = nn.Sequential(nn.ReLU(), nn.Conv2d(16, 8, 3))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.body(self.stem(x))

    model = Broken()
    tr = trace(model, 32)  # a conv built for 16 channels that gets 8: re-sized on the copy, traced past
    assert tr.crash is None and [(r.module_path, r.given, r.used) for r in tr.repairs] == [
        ("body.1", (16,), (8,))
    ]
    model.body.append(nn.AvgPool2d(64))  # a window larger than the map: no repair, the trace stops
    tr = trace(model, 32)
    assert tr.crash is not None
    assert tr.crash.module_path == "body.2"
    assert tr.crash.op_name == "avg_pool2d"
    assert tr.crash.in_shapes == ((1, 8, 28, 28),)
    assert tr.crash.error_type == "RuntimeError" and "Output size is too small" in tr.crash.message
    assert tr.crash.ops_before == 3 and len(tr.ops) == 3
    assert tr.output_shape is None


def test_data_dependent_forward_falls_back_to_real_tensors() -> None:
    class ItemUser(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.conv(x)
            if y.abs().sum().item() >= 0:  # .item() cannot run on meta tensors
                y = F.relu(y)
            return y

    tr = trace(ItemUser(), 32)
    assert tr.crash is None and tr.device == "cpu" and tr.meta_failed
    assert tr.output_shape == (1, 4, 30, 30)


def test_plain_network_has_no_blocks() -> None:
    net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(2))
    net(torch.zeros(1, 3, 32, 32))
    tr = trace(net, 32)
    assert tr.structure.blocks == () and tr.structure.stages == ()
    assert len(tr.structure.stem) == len(tr.ops)


def test_missing_add_becomes_plain_block() -> None:
    class NoSkip(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.c = nn.ModuleList(nn.Conv2d(8, 8, 3, padding=1) for _ in range(6))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = F.relu(x + self.c[1](F.relu(self.c[0](x))))
            x = F.relu(self.c[3](F.relu(self.c[2](x))))  # lost its shortcut
            return F.relu(x + self.c[5](F.relu(self.c[4](x))))

    tr = trace(NoSkip(), (1, 8, 32, 32))
    kinds = [b.kind for b in tr.structure.blocks]
    assert kinds == [BlockKind.RESIDUAL, BlockKind.PLAIN, BlockKind.RESIDUAL]


def test_flat_layer_names_give_block_and_stage_names() -> None:
    from resnet_verify.tracing.parts import flat_prefix

    assert flat_prefix(["res2a_branch2a", "bn2a_branch2a", "res2a_branch1"]) == "res2a"
    assert flat_prefix(["conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_add"]) == "conv2_block1"
    assert flat_prefix(["conv2_block1", "conv2_block2"]) == "conv2"
    assert flat_prefix(["dense", "dense_1"]) == ""  # nothing shared past the layer type
    assert flat_prefix(["layer1.0.conv1"]) == ""  # dotted paths are named by the module tree
