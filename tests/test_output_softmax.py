"""A softmax / log-softmax ending the forward is named (and only there): probabilities, not logits."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from fixtures.catalog import BY_NAME
from torch import nn
from torchvision.models import resnet50

from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare, compare_traces
from resnet_verify.verify.records import Comparison, Pattern


class _Ending(nn.Module):
    """torchvision's resnet50 with something applied to its logits."""

    def __init__(self, end: str) -> None:
        super().__init__()
        self.net, self.end = resnet50(num_classes=6), end

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits = self.net(x)
        if self.end == "log_softmax":
            return F.log_softmax(logits, dim=1)
        if self.end == "sigmoid":  # multi-label heads end this way on purpose
            return torch.sigmoid(logits)
        return logits.softmax(dim=1)


class _SoftmaxInside(nn.Module):
    """A softmax over the channels of layer4's output (an attention-like gate), logits returned."""

    def __init__(self) -> None:
        super().__init__()
        self.net = resnet50(num_classes=6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = self.net
        x = n.layer4(n.layer3(n.layer2(n.layer1(n.maxpool(n.relu(n.bn1(n.conv1(x))))))))
        x = x * torch.softmax(x, dim=1)
        return n.fc(torch.flatten(n.avgpool(x), 1))


def _compare(model: nn.Module) -> Comparison:
    with torch.device("meta"):
        return compare(model, "resnet50", input_size=64, num_classes=6)


def _findings(c: Comparison) -> set[Pattern]:
    return {f.pattern for f in c.findings}


def test_the_fixture_gets_the_finding_for_every_mismatch(build_fixture) -> None:
    c = compare(build_fixture(BY_NAME["broken_softmax_output"]), "resnet50", input_size=64, num_classes=6)
    (finding,) = c.findings
    assert finding.pattern is Pattern.OUTPUT_SOFTMAX and finding.mismatches == tuple(range(len(c.mismatches)))
    assert finding.source is not None and Path(finding.source.file).name == "broken_softmax_output.py"
    assert "return the logits" in (finding.suggestion or "") and "CrossEntropyLoss" in finding.message


def test_module_softmax_and_log_softmax_are_named() -> None:
    with torch.device("meta"):
        soft, log = _Ending("softmax"), _Ending("log_softmax")
    assert _findings(_compare(soft)) == {Pattern.OUTPUT_SOFTMAX}
    c = _compare(log)
    assert _findings(c) == {Pattern.OUTPUT_SOFTMAX} and "NLLLoss" in c.findings[0].message


def test_it_does_not_fire_on_a_sigmoid_head_a_softmax_inside_or_a_reference_that_has_one_too() -> None:
    with torch.device("meta"):
        sigmoid, inside = _Ending("sigmoid"), _SoftmaxInside()
        both = _Ending("softmax")
    assert Pattern.OUTPUT_SOFTMAX not in _findings(_compare(sigmoid))
    c = _compare(inside)
    assert not c.ok and Pattern.OUTPUT_SOFTMAX not in _findings(c)
    same = trace(both, 64)
    assert compare_traces(same, same, reference_name="a", candidate_name="b", num_classes=6).ok


def test_a_softmax_in_place_of_a_multi_label_sigmoid_is_named_either_way() -> None:
    from resnet_verify.specs.builders import build_model

    fixture = Path(__file__).parent / "fixtures" / "quirky" / "multilabel.py"
    for cand, ref in (("softmax_head", "sigmoid_head"), ("sigmoid_head", "softmax_head")):
        model = build_model(f"{fixture}:{cand}", num_classes=14, device="meta")[0]
        c = compare(model, f"{fixture}:{ref}", input_size=(1, 64, 64), num_classes=14)
        assert [f.pattern for f in c.findings] == [Pattern.OUTPUT_SOFTMAX], [f.title for f in c.findings]
        assert "sigmoid" in c.findings[0].message
    same = build_model(f"{fixture}:sigmoid_head", num_classes=14, device="meta")[0]
    assert not compare(same, f"{fixture}:sigmoid_head", input_size=(1, 64, 64), num_classes=14).mismatches
