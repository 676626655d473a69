"""A persistent cache of reference traces: one JSON file per (spec, input shape, classes, versions).

A reference's trace is a pure function of its key, and building it is most of a compare's cost in a
new process (importing torchvision alone takes longer than tracing). Entries are JSON, never pickle:
loading one runs no code. Every entry carries its whole key and is decoded strictly, so a corrupt,
truncated, foreign or other-version file is a miss, rebuilt and replaced; it is never trusted and
never a crash. Writes are atomic (``_io.write_text_atomic``), so two processes writing the same
entry at once each replace the file whole. A folder that cannot be created or written disables the
cache for the rest of the process with one warning line on stderr.

Only references whose trace the key pins down are cached: family names and ``torchvision:NAME``.
A ``FILE.py:fn`` or ``timm:NAME`` reference can change without any version changing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from resnet_verify.tracing.records import Shape, Trace
from resnet_verify.tracing.serialize import decode, encode, schema_version

CACHE_DIR_ENV = "RESNET_VERIFY_CACHE_DIR"
FORMAT = "resnet-verify/reference-trace"
MAX_ENTRY_BYTES = 64 * 2**20  # far above any ResNet's trace; a bigger file is not ours
_CACHEABLE = re.compile(r"(torchvision:)?[A-Za-z_]\w*\Z")
# The code that turns a spec into a trace: a change here changes traces without a version bump.
_TRACE_SOURCES = ("models", "specs", "tracing")

_warned = False
_broken: set[Path] = set()  # folders that failed a write in this process


def cache_dir() -> Path | None:
    """``$RESNET_VERIFY_CACHE_DIR``, else ``$XDG_CACHE_HOME/resnet-verify``, else
    ``~/.cache/resnet-verify``; None when there is no home folder to put it in."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec says to ignore a relative one
        return Path(xdg) / "resnet-verify"
    try:
        return Path.home() / ".cache" / "resnet-verify"
    except RuntimeError:  # no $HOME and no passwd entry (some containers)
        return None


def is_cacheable(spec: str) -> bool:
    """A family name or ``torchvision:NAME``: specs whose trace only the versions can change."""
    return bool(_CACHEABLE.match(spec))


def cache_key(spec: str, shape: Shape, num_classes: int) -> dict[str, Any]:
    return {
        "reference": spec,
        "input_shape": list(shape),
        "num_classes": num_classes,
        "torch": _version("torch"),
        "torchvision": _version("torchvision"),
        "resnet_verify": _version("resnet-verify"),
        "trace_code": _source_digest(),
        "schema_version": schema_version(),
    }


def entry_path(folder: Path, key: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
    return folder / f"trace-{digest}.json"


def cached_trace(
    spec: str, shape: Shape, num_classes: int, build: Callable[[], Trace], *, enabled: bool = True
) -> Trace:
    """The stored trace of ``spec`` at this key, else ``build()`` (stored for the next process)."""
    if not enabled or not is_cacheable(spec):
        return build()
    folder = cache_dir()
    if folder is None:
        _warn("no home folder for the reference cache (set RESNET_VERIFY_CACHE_DIR); continuing without it")
        return build()
    key = cache_key(spec, shape, num_classes)
    path = entry_path(folder, key)
    found = load_entry(path, key)
    if found is not None:
        return found
    result = build()
    if folder not in _broken:
        store_entry(path, key, result)
    return result


def load_entry(path: Path, key: dict[str, Any]) -> Trace | None:
    """The trace stored at ``path`` under exactly ``key``; None for anything else, whatever it holds."""
    try:
        if path.stat().st_size > MAX_ENTRY_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        return decode(Trace, data["trace"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        return None  # missing, unreadable, truncated, corrupt or foreign: a miss (ValueError covers JSON)


def store_entry(path: Path, key: dict[str, Any], trace: Trace) -> bool:
    """Write the entry atomically; on failure warn once and stop using this folder. True if written."""
    from resnet_verify._io import write_text_atomic

    text = json.dumps({"format": FORMAT, "key": key, "trace": encode(trace)}, separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        _broken.add(path.parent)
        _warn(
            f"cannot write the reference cache in {path.parent} ({exc.strerror or exc}); continuing without it"
        )
        return False
    return True


def _warn(message: str) -> None:
    global _warned
    if not _warned:  # one line per process, however many models a command compares
        _warned = True
        print(f"resnet-verify: warning: {message}", file=sys.stderr)


def _version(dist: str) -> str:
    # Distribution metadata, not the module: reading it never imports torchvision.
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


_digest: str | None = None


def _source_digest() -> str:
    """A digest of the code that builds and traces references (an editable install never bumps its
    version, and a stale trace from older tracer code would be a silent wrong answer)."""
    global _digest
    if _digest is None:
        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha256()
        for sub in _TRACE_SOURCES:
            for file in sorted((root / sub).rglob("*.py")):
                h.update(str(file.relative_to(root)).encode())
                h.update(file.read_bytes())
        _digest = h.hexdigest()[:16]
    return _digest
