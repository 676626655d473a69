"""Helpers for users' own test suites: ``assert_matches_reference(model, "resnet50")``.

::

    from resnet_verify.testing.assertions import assert_matches_reference

    def test_my_resnet_is_torchvisions():
        assert_matches_reference(MyResNet50(num_classes=6), "resnet50")

On failure the ``AssertionError`` message is the full text report (stage table, findings,
mismatches), so the CI log says what differs and where.
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from resnet_verify.report.formats import render
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison

DEFAULT_NUM_CLASSES = 1000


def infer_num_classes(model: nn.Module, default: int = DEFAULT_NUM_CLASSES) -> int:
    """``out_features`` of the model's last ``nn.Linear`` (registration order), else ``default``."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return int(linears[-1].out_features) if linears else default


def assert_matches_reference(
    model: nn.Module,
    reference: str = "resnet50",
    *,
    input_size: int | Sequence[int] = 64,
    num_classes: int | None = None,
) -> Comparison:
    """Compare ``model`` with torchvision's ``reference``; raise ``AssertionError`` unless it matches.

    ``num_classes`` defaults to the ``out_features`` of the model's last ``nn.Linear`` (1000 when it
    has none). Returns the :class:`~resnet_verify.verify.records.Comparison` when the model matches.
    """
    classes = infer_num_classes(model) if num_classes is None else num_classes
    comparison = compare(model, reference, input_size=input_size, num_classes=classes)
    if not comparison.ok:
        raise AssertionError(render(comparison, "text"))
    return comparison


__all__ = ["assert_matches_reference", "infer_num_classes"]
