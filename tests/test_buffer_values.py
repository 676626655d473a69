"""Small constant buffers compared by value (tracing/buffer_values.py): the same ops computing with
other constants (an input normalization's mean and std filled the wrong way round) are a difference,
which a trace of shapes alone cannot see; weights, statistics and models without values are not."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from resnet_verify.specs.builders import build_model
from resnet_verify.tracing.buffer_values import small_buffer_values
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "buffer_values.py"
NORMALIZED, TEMPERED = f"{FIXTURE}:normalized", f"{FIXTURE}:tempered"


def _built(name: str, device: str | None = None) -> nn.Module:
    return build_model(f"{FIXTURE}:{name}", num_classes=6, device=device)[0]


def _values(c: object) -> list[object]:
    return [m for m in c.mismatches if m.field == "values"]  # type: ignore[attr-defined]


def test_swapped_mean_and_std_are_one_described_difference_at_the_stem() -> None:
    c = compare(_built("swapped"), NORMALIZED, input_size=64, num_classes=6)
    assert len(_values(c)) == 2 and len(c.mismatches) == 2
    assert [f.pattern for f in c.findings] == [Pattern.DESCRIBED]
    message = c.findings[0].message
    assert "mean = (0.229, 0.224, 0.225)" in message and "(0.485, 0.456, 0.406)" in message


def test_a_scalar_constant_is_compared_too() -> None:
    c = compare(_built("hot"), TEMPERED, input_size=64, num_classes=6)
    (m,) = c.mismatches  # one difference, shown at its own line
    assert (m.field, m.actual, m.expected) == ("values", "2", "1.5") and m.source is not None
    assert not c.findings


def test_the_same_constants_compare_clean() -> None:
    c = compare(_built("normalized"), NORMALIZED, input_size=64, num_classes=6)
    assert not c.mismatches and not c.findings


def test_a_model_without_values_compares_nothing_by_value() -> None:
    meta = _built("swapped", "meta")  # meta: no values to read, so no claim either way
    assert small_buffer_values(meta) == {"temperature": "?"}  # a one-value constant of unknown value
    c = compare(meta, NORMALIZED, input_size=64, num_classes=6)
    assert not _values(c) and not c.findings


def test_statistics_and_weights_are_not_constants() -> None:
    trained = _built("normalized")
    with torch.no_grad():  # what training changes: running statistics, weights
        for m in trained.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_()  # type: ignore[union-attr]
                m.running_var.uniform_(0.5, 2.0)  # type: ignore[union-attr]
                m.weight.normal_()
    assert set(small_buffer_values(trained)) == {"mean", "std", "temperature"}
    c = compare(trained, NORMALIZED, input_size=64, num_classes=6)
    assert not c.mismatches


def test_a_buffer_wider_than_a_constant_is_not_read() -> None:
    model = nn.Sequential(nn.Conv2d(3, 8, 3))
    model.register_buffer("filt", torch.ones(8, 1, 3, 3))  # a blur filter per channel: 72 values
    model.register_buffer("gain", torch.ones(2))
    assert set(small_buffer_values(model)) == {"gain"}


def test_constants_made_in_forward_are_constants_like_buffers() -> None:
    """torchvision's ``transforms.Normalize`` in a model makes its mean and std with ``torch.as_tensor``
    and normalizes in place (``sub_`` / ``div_``): the same computation as buffers and ``(x - m) / s``;
    its mean and std swapped is still a difference."""
    import torch
    from torch import nn
    from torchvision import transforms

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import compare_traces

    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]

    class Buffers(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("mean", torch.tensor(mean).view(3, 1, 1))
            self.register_buffer("std", torch.tensor(std).view(3, 1, 1))
            self.conv = nn.Conv2d(3, 4, 3)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv((x - self.get_buffer("mean")) / self.get_buffer("std"))

    def tv(m: list[float], s: list[float]) -> nn.Module:
        return nn.Sequential(transforms.Normalize(m, s), nn.Conv2d(3, 4, 3))

    ref = Buffers()
    same = compare_traces(trace(ref, (3, 8, 8), device="cpu"), trace(tv(mean, std), (3, 8, 8)), reference_name="a",
                          candidate_name="b", num_classes=4)  # fmt: skip
    assert not same.mismatches, [m.message for m in same.mismatches]
    swapped = compare_traces(trace(ref, (3, 8, 8), device="cpu"), trace(tv(std, mean), (3, 8, 8)),
                             reference_name="a", candidate_name="b", num_classes=4)  # fmt: skip
    assert [m.field for m in swapped.mismatches] == ["values", "values"]
