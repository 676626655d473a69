"""Tools for users' own CI: ``assert_matches_reference``; hypothesis strategies and formulas live in
``resnet_verify.testing.strategies`` (needs the ``test`` extra, so it is not imported here)."""

from resnet_verify.testing.assertions import assert_matches_reference, infer_num_classes

__all__ = ["assert_matches_reference", "infer_num_classes"]
