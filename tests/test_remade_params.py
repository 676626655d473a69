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
