"""File I/O shared by every stage: atomic writes (a temporary file beside the target, fsync, then
``os.replace``), ``weights_only`` loading and strict state-dict loading with one-line errors.

Reports, checkpoints and ported weights all go through here, so a crash or a kill leaves either the
old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import torch
from torch import nn

from resnet_verify.errors import UsageError


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
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Readers see the old file or the new one, never a half-written one (a temp file, then rename)."""
    path = Path(path)
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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
    with contextlib.suppress(AttributeError, OSError):  # platforms without fchmod
        os.fchmod(fd, 0o666 & ~umask)
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


_GLOBAL = re.compile(
    r"GLOBAL ([\w.]+)"
)  # torch 2.4-2.5 "Unsupported global: GLOBAL x", later "unsupported GLOBAL x"
_OPCODE = re.compile(r"Unsupported operand (\d+)")  # not a torch.save pickle at all (text, raw pickle, junk)


def load_weights_only(path: str | Path, label: str) -> Any:
    """``torch.load(path, weights_only=True)`` where every failure is one :class:`UsageError`
    starting with ``label``: missing file, folder, code-running pickle, not torch.save, corrupt."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{label}: no such file")
    if path.is_dir():
        raise UsageError(f"{label}: is a folder, not a file")
    try:
        with warnings.catch_warnings():  # e.g. "pickle protocol 4": the one-line refusal says enough
            warnings.simplefilter("ignore")
            return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        text = str(exc)
        if "weights_only" in text or "Weights only" in text:
            found, opcode = _GLOBAL.search(text), _OPCODE.search(text)
            if opcode and not found:
                raise UsageError(
                    f"{label}: not a torch.save file, or corrupt (weights_only loading "
                    f"stops at pickle opcode {opcode.group(1)})"
                ) from None
            what = f" ({found.group(1)})" if found else ""
            raise UsageError(
                f"{label}: refused by torch.load(weights_only=True): its pickle asks "
                f"to run code{what}, and weights_only loading forbids arbitrary code"
            ) from None
        raise UsageError(f"{label}: truncated or corrupt ({first_line(exc)})") from None
    except (
        RuntimeError,
        EOFError,
        zipfile.BadZipFile,
        ValueError,
        OSError,
        KeyError,
        IndexError,
        TypeError,
        AttributeError,
    ) as exc:
        raise UsageError(f"{label}: truncated or corrupt ({first_line(exc)})") from None


def first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


# ----------------------------------------------------------------------------------- random state


def load_weights(model: nn.Module, state: dict[str, torch.Tensor], *, source: str, spec: str) -> None:
    """``load_state_dict(strict=True)``, with a one-line message when the architecture differs."""
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    shapes = [
        (k, tuple(state[k].shape), tuple(own[k].shape))
        for k in own
        if k in state and isinstance(state[k], torch.Tensor) and state[k].shape != own[k].shape
    ]
    if missing or unexpected or shapes:
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing (e.g. {missing[0]})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected (e.g. {unexpected[0]})")
        if shapes:
            k, got, want = shapes[0]
            parts.append(f"{len(shapes)} of another shape (e.g. {k}: {list(got)} vs {list(want)})")
        raise UsageError(
            f"{source}: weights do not fit model {spec} (wrong architecture): {'; '.join(parts)}"
        )
    try:
        model.load_state_dict(state, strict=True)
    except (RuntimeError, TypeError) as exc:
        raise UsageError(f"{source}: weights do not fit model {spec}: {first_line(exc)}") from None
