"""A trace is the same whether the forward ran on meta tensors or on a real CPU copy.

``trace(device="auto")`` picks CPU for a small CPU model while ``torch._dynamo`` is not yet
imported (meta's first use imports it: tracer.py says why), so both paths must agree on every record.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
import torch
from conftest import fixture_spec
from fixtures.catalog import FIXTURES, Fixture
from torch import nn

from resnet_verify.models.resnet import resnet18, resnet50_v1
from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.records import Trace
from resnet_verify.tracing.tracer import trace


def _same(cpu: Trace, meta: Trace) -> None:
    assert cpu.device == "cpu" and meta.device == "meta" and not cpu.meta_failed
    for field in dataclasses.fields(Trace):
        if field.name not in ("device", "crash"):
            assert getattr(cpu, field.name) == getattr(meta, field.name), field.name
    # A crash is the same crash (op, shapes, module, line); only torch's wording differs by device.
    assert (cpu.crash is None) == (meta.crash is None)
    if cpu.crash is not None and meta.crash is not None:
        assert dataclasses.replace(cpu.crash, message="") == dataclasses.replace(meta.crash, message="")


def _fixture_traces(f: Fixture) -> tuple[Trace, Trace]:
    model = build_model(fixture_spec(f), num_classes=6)[0]  # real CPU weights
    return trace(model, f.input_size, device="cpu"), trace(model, f.input_size, device="meta")


@pytest.mark.parametrize("f", FIXTURES[:4], ids=lambda f: f.name)
def test_fixture_traces_agree(f: Fixture) -> None:
    _same(*_fixture_traces(f))


@pytest.mark.slow
@pytest.mark.parametrize("f", FIXTURES[4:], ids=lambda f: f.name)
def test_every_other_fixture_agrees(f: Fixture) -> None:
    _same(*_fixture_traces(f))


@pytest.mark.parametrize("build", [resnet18, resnet50_v1], ids=["resnet18", "resnet50_v1"])
def test_project_models_agree_at_odd_sizes(build: type[nn.Module]) -> None:
    model = build(num_classes=5)
    for shape in ((2, 3, 37, 45), (1, 3, 32, 32)):
        _same(trace(model, shape, device="cpu"), trace(model, shape, device="meta"))


def test_cpu_trace_leaves_the_callers_model_alone() -> None:
    model = resnet18(num_classes=4).train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    trace(model, 32, device="cpu")
    assert model.training and all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


def test_an_owned_cpu_model_is_traced_in_place_with_the_same_trace() -> None:
    model = resnet18(num_classes=4).train()
    copied = trace(model, 32, device="cpu")
    in_place = trace(model, 32, device="cpu", owned=True)  # the CLI's compare: no copy
    _same(in_place, trace(model, 32, device="meta"))
    assert in_place == copied
    assert not model.training  # traced in place: left in eval mode, as documented
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


def test_cpu_is_not_used_for_a_model_without_data() -> None:
    with torch.device("meta"):
        model = resnet18(num_classes=4)
    assert trace(model, 32, device="cpu").device == "meta"
    with pytest.raises(ValueError, match="device must be auto, meta or cpu"):
        trace(model, 32, device="cuda")  # type: ignore[arg-type]


def test_auto_picks_cpu_until_meta_is_paid_for() -> None:
    code = (
        "import sys\n"
        "from resnet_verify.models.resnet import resnet18\n"
        "from resnet_verify.tracing.tracer import trace\n"
        "m = resnet18(num_classes=3)\n"
        "small, large = trace(m, 64), trace(m, 256)\n"  # 256 px: above CPU_TRACE_MAX_INPUT
        "print(small.device, large.device, trace(m, 64).device)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # The large input goes to meta, which imports torch._dynamo; from then on meta is the cheaper.
    assert out.stdout.split() == ["cpu", "meta", "meta"]


class _AutocastOff(torch.nn.Module):
    """A head kept in full precision by an autocast region turned off, written for mixed precision
    (``torch.autocast(device_type=x.device.type, enabled=False)``, #23 heldout109): on meta tensors
    autocast raises "unsupported scalarType", on the CPU tensors a user passes it runs."""

    def __init__(self) -> None:
        super().__init__()
        self.conv, self.fc = torch.nn.Conv2d(3, 8, 3), torch.nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x).mean((2, 3))
        with torch.autocast(device_type=x.device.type, enabled=False):
            return self.fc(x.float())


def test_a_forward_meta_cannot_run_for_any_reason_is_retried_on_cpu() -> None:
    t = trace(_AutocastOff(), (3, 8, 8), device="meta")
    assert t.crash is None and t.device == "cpu" and t.meta_failed
