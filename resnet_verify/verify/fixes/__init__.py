"""``compare --fix``: findings turned into verified edits of the user's source (issue #27).

``registry.WRITERS`` maps a finding's pattern to its fix writer (one module each); ``plan.plan``
applies their fixes and keeps what a second comparison verifies; ``check.compare_patched`` is that
comparison, built from the patched source in this process.
"""

from __future__ import annotations

from resnet_verify.verify.fixes.records import Applicability, CannotFix, Edit, Fix, Outcome, Status

__all__ = ["Applicability", "CannotFix", "Edit", "Fix", "Outcome", "Status"]
