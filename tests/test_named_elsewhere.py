"""The model's own layers run at other places (verify/named_elsewhere.py, patterns/run_order.py; #23
heldout108's tower_sorted_keys: twelve identical blocks in an ``nn.ModuleDict`` run by ``sorted(keys)``,
block10 and block11 third and fourth, compared clean, a false "no difference"). Both sides must hold the same
tensors by name, or the same shapes in the same registration order; a module registered in another order
than it runs, under the same names, is no difference."""

from __future__ import annotations

import torch
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare, compare_traces
from resnet_verify.verify.named_elsewhere import FIELD
from resnet_verify.verify.records import Pattern


class _Block(nn.Module):
    def __init__(self, c: int = 8, conv2_first: bool = False) -> None:
        super().__init__()
        if conv2_first:  # registered in another order than it runs
            self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
            self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        else:
            self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
            self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.conv2(torch.relu(self.conv1(x))))


class _Tower(nn.Module):
    def __init__(self, order: str = "list", conv2_first: bool = False) -> None:
        super().__init__()
        self.order = order
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        blocks = [_Block(conv2_first=conv2_first) for _ in range(12)]
        self.tower: nn.ModuleList | nn.ModuleDict = (
            nn.ModuleList(blocks)
            if order in ("list", "reversed")
            else nn.ModuleDict({f"b{i}": b for i, b in enumerate(blocks)})
        )
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.order == "sorted":
            assert isinstance(self.tower, nn.ModuleDict)
            steps = [self.tower[k] for k in sorted(self.tower.keys())]
        elif self.order == "dict":
            assert isinstance(self.tower, nn.ModuleDict)
            steps = list(self.tower.values())
        elif self.order == "reversed":
            steps = list(self.tower.children())[::-1]
        else:
            steps = list(self.tower.children())
        for block in steps:
            x = block(x)
        return self.fc(x.mean((2, 3)))


def list_tower() -> nn.Module:
    return _Tower()


def _traced(a: nn.Module, b: nn.Module) -> Comparison:
    return compare_traces(trace(a, (3, 8, 8)), trace(b, (3, 8, 8)), reference_name="a", candidate_name="b",
                          num_classes=4)  # fmt: skip


def test_blocks_run_by_sorted_string_keys_run_out_of_order() -> None:
    c = compare(_Tower("sorted"), f"{__file__}:list_tower", input_size=8, num_classes=4)
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED], [f.message for f in c.findings]
    assert "another order" in c.findings[0].message and "tower.b10" in c.findings[0].message
    assert {m.field for m in c.mismatches} == {FIELD}


def test_the_same_names_run_in_reverse_are_out_of_order_by_name() -> None:
    c = _traced(_Tower("list"), _Tower("reversed"))
    assert c.mismatches and {m.field for m in c.mismatches} == {FIELD}


def test_the_same_layers_in_their_built_order_compare_clean() -> None:
    assert not _traced(_Tower("list"), _Tower("dict")).mismatches  # other names, the same order
    # the same names registered in another order than they run: a state dict loads by name
    assert not _traced(_Tower("list"), _Tower("list", conv2_first=True)).mismatches


class _Steps(_Tower):
    """Blocks kept as closures (``[lambda t: b(t) for b in blocks]`` binds late: the last block every time;
    heldout108's tower_late_binding). The traced copy's closures must close over the copy's blocks, not the
    original's, or the trace records unhooked layers of another model."""

    def __init__(self, late: bool) -> None:
        super().__init__()
        blocks = list(self.tower.children())
        self.steps = [lambda t: block(t) for block in blocks] if late else [b.forward for b in blocks]  # noqa: B023

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for step in self.steps:
            x = step(x)
        return self.fc(x.mean((2, 3)))


def test_closures_over_the_blocks_run_the_copy_and_late_binding_is_one_cause() -> None:
    t = trace(_Steps(late=False), (3, 8, 8))
    assert all(op.module_path.startswith("tower.") for op in t.ops if op.params and "tower" in op.params[0])
    c = compare(_Steps(late=True), f"{__file__}:list_tower", input_size=8, num_classes=4)
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED], [f.message for f in c.findings]
    assert "tower.11 runs more than once" in c.findings[0].message and not c.unexplained
