"""A model with lazy layers is traced as its first call makes it (tracing/lazy.py; #23 heldout101: d2l's
lazy ResNet as the reference crashed every compare with 'Attempted to use an uninitialized parameter')."""

from __future__ import annotations

from pathlib import Path

from fixtures.spelled.lazy_net import Net
from torch.nn.parameter import is_lazy

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare

FILE = Path(__file__).parent / "fixtures" / "spelled" / "lazy_net.py"


def test_a_lazy_network_is_the_network_its_first_call_makes() -> None:
    lazy = Net()
    for reference in (f"{FILE}:eager", f"{FILE}:Net"):
        c = compare(lazy, reference, input_size=16, num_classes=10)
        assert not c.mismatches and not c.findings
    c = compare(Net(lazy=False), f"{FILE}:Net", input_size=16, num_classes=10)
    assert not c.mismatches and not c.findings
    assert any(is_lazy(p) for p in lazy.parameters())  # the user's model was never called


def test_its_shapes_follow_the_traced_input() -> None:
    t = trace(Net(), (3, 16, 16))
    assert t.crash is None and t.total_params == sum(p.numel() for p in Net(lazy=False).parameters())
