"""Parameters a forward makes anew on every call are a difference (verify/remade_params.py; #23 heldout119's
built_head_every_call, a false "no difference"): a head made behind a check that it exists, or in __init__,
is none, whether the model is built with values or on meta."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.remade_params import FIELD

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "made_in_forward.py"


def _mismatches(candidate: str, device: str | None = None) -> list[object]:
    model = build_model(f"{FIXTURE}:{candidate}", num_classes=4, device=device)[0]
    c = compare(model, f"{FIXTURE}:made_in_init", input_size=16, num_classes=4, cache=False)
    return list(c.mismatches)


@pytest.mark.parametrize("device", [None, "meta"])
def test_a_head_made_on_every_call_is_one_mismatch_at_the_head(device: str | None) -> None:
    (m,) = [m for m in _mismatches("made_every_call", device) if m.field == FIELD]  # type: ignore[attr-defined]
    assert m.field == FIELD and m.candidate_path == "fc"  # type: ignore[attr-defined]
    assert "made anew by every forward call" in m.message  # type: ignore[attr-defined]


@pytest.mark.parametrize("candidate", ["made_once", "made_in_init"])
def test_a_head_made_once_is_no_difference(candidate: str) -> None:
    assert not _mismatches(candidate)


def test_a_folded_reparametrization_is_no_layer_made_by_the_forward() -> None:
    """spectral_norm's folded ``weight`` is a name the first run gives, not a layer its forward made: the
    trace keeps what it computed (a second run of the folded copy read it as a plain conv, a false clean)."""
    import torch
    from torch import nn

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.comparison import compare_traces

    def net(sn: bool) -> nn.Module:
        conv = nn.Conv2d(8, 8, 3, padding=1)
        return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                             nn.utils.spectral_norm(conv) if sn else conv, nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                             nn.Linear(8, 4))  # fmt: skip

    torch.manual_seed(0)
    c = compare_traces(trace(net(False), (3, 8, 8)), trace(net(True), (3, 8, 8)), reference_name="r",
                       candidate_name="c", num_classes=4)  # fmt: skip
    assert c.mismatches
