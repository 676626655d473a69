"""The one exception type that means "the user gave us bad input" (CLI exit code 2)."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input from the user: a spec, a file, a size, a flag. The message is one line, shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))
