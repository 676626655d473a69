"""A dropout kept on in eval mode (Monte Carlo dropout's ``F.dropout(x, p, training=True)``, or
F.dropout's own default where ``training=self.training`` was never passed) draws random masks at test
time: against the same dropout switched off in eval it is a difference, either way round, named as
that (not "identical in eval"); the same mode spelled otherwise (nn.Dropout, the flag passed on, a
dropout subclass that keeps itself on, alpha dropout's default off) is none."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import Comparison, compare_traces
from resnet_verify.verify.records import Pattern


class _AlwaysOn(nn.Dropout):
    """A dropout module that keeps dropping at test time (uncertainty-library style)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(x, self.p, training=True, inplace=self.inplace)


class _Block(nn.Module):
    def __init__(self, c: int, how: str) -> None:
        super().__init__()
        self.how = how
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.drop = {"module": nn.Dropout(0.3), "always_on_module": _AlwaysOn(0.3)}.get(how, nn.Identity())
        self.alpha = nn.AlphaDropout(0.3)

    def _drop(self, y: torch.Tensor) -> torch.Tensor:
        if self.how == "mc":
            return F.dropout(y, 0.3, training=True)
        if self.how == "flag":
            return F.dropout(y, p=0.3, training=self.training)
        if self.how == "default":
            return F.dropout(y, 0.3)  # the flag never passed: on in eval too
        if self.how == "alpha_default":
            return F.alpha_dropout(y, 0.3)  # alpha dropout's own default is off
        if self.how == "alpha_module":
            return self.alpha(y)
        return self.drop(y)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self._drop(torch.relu(self.bn1(self.conv1(x))))
        return torch.relu(x + self.bn2(self.conv2(y)))


def _net(how: str) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), _Block(8, how), _Block(8, how),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10),
    )  # fmt: skip


def _compare(ref: str, cand: str) -> Comparison:
    return compare_traces(trace(_net(ref), (3, 8, 8)), trace(_net(cand), (3, 8, 8)), reference_name="r",
                          candidate_name="c", num_classes=10)  # fmt: skip


@pytest.mark.parametrize(("on", "off"), [("mc", "flag"), ("mc", "module"), ("default", "module"),
                                         ("always_on_module", "flag")])  # fmt: skip
@pytest.mark.parametrize("on_is_reference", [True, False])
def test_a_dropout_kept_on_in_eval_is_a_difference(on: str, off: str, on_is_reference: bool) -> None:
    c = _compare(*((on, off) if on_is_reference else (off, on)))
    assert [m.field for m in c.mismatches] == ["in_eval", "in_eval"]
    (finding,) = c.findings
    assert finding.pattern is Pattern.DROPOUT
    assert "kept on in eval mode in the " + ("reference" if on_is_reference else "candidate") in finding.title
    assert "identical in eval" not in " ".join(m.message for m in c.mismatches)
    assert ("training=True" if on_is_reference else "training=self.training") in (finding.suggestion or "")


@pytest.mark.parametrize(
    ("one", "other"),
    [("flag", "module"), ("mc", "always_on_module"), ("mc", "default"), ("alpha_default", "alpha_module")],
)
def test_the_same_mode_spelled_otherwise_is_no_difference(one: str, other: str) -> None:
    for ref, cand in ((one, other), (other, one)):
        c = _compare(ref, cand)
        assert not c.mismatches and not c.findings
