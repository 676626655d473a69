"""The verification gate: the one entry point the trainer (and ``train``'s CLI) use into verify.

``gate(model, reference, input_shape, num_classes)`` compares ``model`` with torchvision's
``reference`` at that input shape and number of classes and says whether training may start. The
full :class:`~resnet_verify.verify.records.Comparison` rides along, so a refusal can show the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from torch import nn

from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison


@dataclass(frozen=True, slots=True)
class GateResult:
    """What the gate decided: ``ok`` when the model matches its reference exactly."""

    comparison: Comparison
    ok: bool

    @property
    def mismatch_count(self) -> int:
        return len(self.comparison.mismatches)

    @property
    def crashed(self) -> bool:
        """The candidate's forward failed: such a model cannot be trained, mismatch allowed or not."""
        return self.comparison.candidate.crash is not None


def gate(
    model: nn.Module,
    reference: str,
    input_shape: int | Sequence[int],
    num_classes: int,
    output_key: str | None = None,
) -> GateResult:
    """Compare ``model`` with ``reference`` at ``input_shape`` (N or (C, H, W)) and ``num_classes``."""
    comparison = compare(
        model, reference, input_size=input_shape, num_classes=num_classes, output_key=output_key
    )
    return GateResult(comparison=comparison, ok=comparison.ok)
