"""Tools for users' own CI: ``assert_matches_reference``; hypothesis strategies and formulas live in
``resnet_verify.testing.strategies`` (needs the ``test`` extra, so it is not imported here).

``check_block``, ``check_case`` and ``block_cases`` (property tests of a user's own residual block,
:mod:`resnet_verify.testing.block_check`) need hypothesis too: they load on first use.
"""

from typing import Any

from resnet_verify.testing.assertions import assert_matches_reference, infer_num_classes

_BLOCK_CHECK = ("BlockCheck", "BlockFailure", "block_cases", "check_block", "check_case")


def __getattr__(name: str) -> Any:
    # Lazy: importing resnet_verify.testing must not need hypothesis.
    if name in _BLOCK_CHECK:
        from resnet_verify.testing import block_check

        return getattr(block_check, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["assert_matches_reference", "infer_num_classes", *_BLOCK_CHECK]
