"""``torch.lerp(identity, branch, w)`` is a residual merge, ``(1 - w) * identity + w * branch`` (#23
heldout130 blend_lerp_weight_flipped: a network whose every block merges by lerp was called "not a
residual network"). With the weights exchanged it is a difference in each block, described there; the
same interpolation written as the sum compares clean."""

from __future__ import annotations

from pathlib import Path

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison, Pattern

FIXTURE = Path(__file__).parent / "fixtures" / "quirky" / "lerp_skips.py"


def _compare(candidate: str, reference: str) -> Comparison:
    model = build_model(f"{FIXTURE}:{candidate}", num_classes=6)[0]
    return compare(model, f"{FIXTURE}:{reference}", input_size=32, num_classes=6, cache=False)


def test_a_lerp_merge_is_a_residual_block() -> None:
    c = _compare("flipped", "summed")
    assert c.mismatches and Pattern.NOT_RESIDUAL not in {f.pattern for f in c.findings}
    assert {m.candidate_path for m in c.mismatches} <= {"layer1.0", "layer1.1", None}, c.mismatches[:3]


def test_the_same_interpolation_compares_clean() -> None:  # must not fire
    for candidate, reference in (("lerped", "summed"), ("summed", "lerped")):
        c = _compare(candidate, reference)
        assert not c.findings, [f.message for f in c.findings]
