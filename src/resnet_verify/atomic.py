"""Atomic file writes: a temporary file beside the target, fsync, then ``os.replace``.

Reports, checkpoints and ported weights all go through here, so a crash or a kill leaves either the
old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import torch


def save_atomic(obj: dict[str, Any], path: str | Path) -> None:
    """``torch.save`` to a temporary file in the same folder, fsync it, then ``os.replace``.

    A reader (or a crash) sees the old file or the new one, never half of one.
    """
    path = Path(path)
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            torch.save(obj, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _test_slow_save()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


SLOW_SAVE_ENV = "RESNET_VERIFY_TEST_SLOW_SAVE"


def _test_slow_save() -> None:
    """Test hook, not a feature: with ``RESNET_VERIFY_TEST_SLOW_SAVE=SECONDS`` in the environment,
    :func:`save_atomic` sleeps that long between writing its temporary file and renaming it, so a
    test can SIGKILL the process mid-checkpoint-write (tests/test_crash_safety.py)."""
    delay = os.environ.get(SLOW_SAVE_ENV)
    if delay:
        import time

        time.sleep(float(delay))


def write_text_atomic(path: str | Path, text: str) -> None:
    path = Path(path)
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _temp_beside(path: Path) -> tuple[int, str]:
    """A temporary file next to ``path``, with the permissions a plain ``open`` would give (umask)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)
    except (AttributeError, OSError):  # pragma: no cover - platforms without fchmod
        pass
    return fd, tmp


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
