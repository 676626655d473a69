"""Where user code built each module and called each op, so reports can point at ``file:line``.

Construction sites are recorded while a spec is built (``record_sources()``): ``nn.Module.__init__``
is wrapped for the duration, and each new module remembers the first frame outside its own
constructor chain that lies in user code. For a model built elsewhere, the class definition of the
nearest user class is what is knowable, and the site says so (``exact=False``).

Recording must be invisible: it runs *inside* the module's constructor (``super().__init__()`` is
usually its first line), where the object is half built. So it never hashes, compares or reads an
attribute of the module: torchmetrics' ``Metric.__hash__`` reads ``_defaults`` before it is set, a
class with ``__eq__`` is unhashable, a custom ``__getattr__`` may raise. The table is keyed by
``id`` and holds a weak reference that guards against a reused id; and whatever goes wrong while
recording is swallowed: the module gets no line, the build goes on as Python would run it.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
import sysconfig
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType

import torch
from torch import nn

from resnet_verify.specs.frame_values import FrameValues, frame_values


@dataclass(frozen=True, slots=True)
class SourceLoc:
    """Where user code built a module or called an op. ``exact`` is False for class-level guesses."""

    file: str
    line: int
    exact: bool = True

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


# id(module) -> (weak reference to it, call chain). Not a WeakKeyDictionary: that hashes the module.
# The chain is every user-code frame that led to the construction, innermost (the layer's own line)
# first: ``nn.Conv2d(...)`` in Bottleneck.__init__, ``block(...)`` in _make_layer,
# ``self._make_layer(..., stride=2)`` in ResNet.__init__, ``ResNet(...)`` in build().
_SITES: dict[int, tuple[weakref.ref[nn.Module], tuple[SourceLoc, ...], tuple[FrameValues, ...]]] = {}


def _forget(key: int) -> Callable[[weakref.ref[nn.Module]], None]:
    def callback(ref: weakref.ref[nn.Module]) -> None:
        entry = _SITES.get(key)
        if entry is not None and entry[0] is ref:
            del _SITES[key]

    return callback


def _remember(module: nn.Module, chain: tuple[SourceLoc, ...], frames: tuple[FrameValues, ...]) -> None:
    key = id(module)
    entry = _SITES.get(key)
    if entry is not None and entry[0]() is module:
        return  # a second nn.Module.__init__ of the same object keeps its first site
    _SITES[key] = (weakref.ref(module, _forget(key)), chain, frames)


def recorded_chain(module: nn.Module) -> tuple[SourceLoc, ...]:
    """The user-code call chain that built ``module`` (innermost first); () when unrecorded."""
    entry = _SITES.get(id(module))
    return entry[1] if entry is not None and entry[0]() is module else ()


def recorded_frames(module: nn.Module) -> tuple[FrameValues, ...]:
    """The plain values of each frame of :func:`recorded_chain` (same order); () when unrecorded."""
    entry = _SITES.get(id(module))
    return entry[2] if entry is not None and entry[0]() is module else ()


def recorded_site(module: nn.Module) -> SourceLoc | None:
    """The construction site recorded for ``module``, if it was built under :func:`record_sources`."""
    chain = recorded_chain(module)
    return chain[0] if chain else None


def module_chains(model: nn.Module) -> dict[str, tuple[tuple[SourceLoc, ...], tuple[FrameValues, ...]]]:
    """``{module path: (call chain, frame values)}`` for the submodules whose construction was recorded."""
    return {
        path: (chain, recorded_frames(m)) for path, m in model.named_modules() if (chain := recorded_chain(m))
    }


_PACKAGE = Path(__file__).resolve().parent.parent
_LIBRARY_ROOTS = (
    str(Path(torch.__file__).resolve().parent),
    str(Path(sysconfig.get_paths()["stdlib"]).resolve()),
)
# The project's own model family (the models/ folder) is user-visible code worth pointing at; the
# verifier is not.
_USER_FOLDER_IN_PACKAGE = str(_PACKAGE / "models") + os.sep


@functools.lru_cache(maxsize=4096)  # asked once per frame walked, for a few hundred distinct files
def is_user_file(filename: str) -> bool:
    if filename.startswith("<"):
        return False
    resolved = str(Path(filename).resolve())
    if resolved.startswith(_USER_FOLDER_IN_PACKAGE):
        return True
    if resolved.startswith(str(_PACKAGE)):
        return False
    parts = resolved.split(os.sep)
    return (
        not any(resolved.startswith(root) for root in _LIBRARY_ROOTS)
        and "torchvision" not in parts
        and "torchinfo" not in parts
    )


# Temporary folders holding a file as it was at a git revision -> how to name their files
# (``HEAD~1:``, so ``HEAD~1:models/net.py:14`` reads as git spells a file at a revision).
_SHOWN_AS: dict[Path, str] = {}


def show_folder_as(folder: Path, label: str) -> None:
    """Name the files under ``folder`` ``label`` + their path inside it in every report."""
    _SHOWN_AS[folder.resolve()] = label


def display_path(filename: str) -> str:
    """Relative to the current directory when inside it, else absolute (a file written out from a
    git revision: ``REV:path``)."""
    # Asked for every op recorded and every module built (~200 times per ResNet-50 trace) about a
    # handful of files; resolving each time (an lstat per path component) was a fifth of a trace.
    # The answer depends on the name, the current directory and the folder labels: all in the key.
    return _display_path(filename, os.getcwd(), tuple(_SHOWN_AS.items()))


@functools.lru_cache(maxsize=4096)
def _display_path(filename: str, cwd: str, shown_as: tuple[tuple[Path, str], ...]) -> str:
    path = Path(filename).resolve()
    for folder, label in shown_as:
        if path.is_relative_to(folder):
            return label + path.relative_to(folder).as_posix()
    try:
        return path.relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def user_frame(
    frame: FrameType | None, skip_self: object = None, stop: FrameType | None = None
) -> SourceLoc | None:
    """Innermost frame in user code below ``stop``, skipping the constructor chain of ``skip_self``."""
    while frame is not None and frame is not stop:
        if skip_self is not None and frame.f_locals.get("self") is skip_self:
            frame = frame.f_back
            continue
        if is_user_file(frame.f_code.co_filename):
            return SourceLoc(display_path(frame.f_code.co_filename), frame.f_lineno)
        frame = frame.f_back
    return None


def user_frames(
    frame: FrameType | None, skip_self: object, stop: FrameType | None
) -> tuple[tuple[SourceLoc, ...], tuple[FrameValues, ...]]:
    """Every user-code frame below ``stop``, innermost first, outside ``skip_self``'s constructors:
    its line, and the plain values it holds (``frame_values``)."""
    chain, values = [], []
    while frame is not None and frame is not stop:
        if frame.f_locals.get("self") is not skip_self and is_user_file(frame.f_code.co_filename):
            chain.append(SourceLoc(display_path(frame.f_code.co_filename), frame.f_lineno))
            found = frame_values(frame)
            lines = tuple((name, display_path(file), line) for name, file, line in found.class_lines)
            values.append(replace(found, class_lines=lines))
        frame = frame.f_back
    return tuple(chain), tuple(values)


@contextlib.contextmanager
def record_sources() -> Iterator[None]:
    """Record where every module built inside the block was constructed."""
    original = nn.Module.__init__
    # Frames above the one that opened this block (a test, the CLI) are never the user's model code.
    stop = sys._getframe(2)

    def init(self: nn.Module, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        try:
            chain, frames = user_frames(sys._getframe(1), skip_self=self, stop=stop)
            if chain:
                _remember(self, chain, frames)
        except Exception:  # never the user's problem: this module just gets no line
            pass

    nn.Module.__init__ = init  # type: ignore[method-assign]
    try:
        yield
    finally:
        nn.Module.__init__ = original  # type: ignore[method-assign]


@functools.lru_cache(maxsize=512)
def _class_definition(cls: type) -> tuple[str, int] | None:
    # getsourcelines parses the whole file: ask only for user classes, and once per class.
    try:
        filename = inspect.getsourcefile(cls)
        if filename is None or not is_user_file(filename):
            return None
        _, line = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return None
    return filename, line


def _class_site(cls: type) -> SourceLoc | None:
    found = _class_definition(cls)
    return SourceLoc(display_path(found[0]), found[1], exact=False) if found else None


def site_of(module: nn.Module) -> SourceLoc | None:
    """Where user code built ``module`` (recorded), else its user class definition (inexact)."""
    return recorded_site(module) or _class_site(type(module))


def module_sites(model: nn.Module) -> dict[str, SourceLoc]:
    """``{module path: site}`` for every submodule; inexact class-level sites where unrecorded."""
    sites: dict[str, SourceLoc] = {}
    for path, module in model.named_modules():
        site = recorded_site(module)
        if site is None:
            site = _class_site(type(module))
        if site is None and path:
            parent = path.rpartition(".")[0]
            inherited = sites.get(parent)
            if inherited is not None:
                site = (
                    SourceLoc(inherited.file, inherited.line, exact=False)
                    if inherited.exact and parent
                    else inherited
                )
        if site is not None:
            sites[path] = site
    return sites
