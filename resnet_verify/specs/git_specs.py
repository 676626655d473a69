"""``git:REV:path/to/model.py:CALLABLE``: a model as its file was at a git revision.

The file's folder at ``REV`` (its sibling modules included) is written into a temporary folder with
``git archive`` and built from there like any ``FILE.py:CALLABLE`` spec; the work tree, the index
and ``HEAD`` are never touched, so a user can compare what they are editing with any commit.

Reports name such files the way git does, ``REV:path/in/repo.py:LINE``, never the temporary folder.
Bad input (no git, a folder outside any repository, an unknown revision, a path the revision does
not have) is a one-line :class:`~resnet_verify.errors.UsageError`.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.specs.sources import show_folder_as
from resnet_verify.specs.user_specs import DOTTED, build_user

GIT_PREFIX = "git:"
_FORM = "git:REV:path/to/model.py:CALLABLE"


@dataclass(frozen=True, slots=True)
class GitSpec:
    revision: str  # as the user wrote it: HEAD~1, main, v1.2, a sha
    path: str  # the model file, relative to the working folder (or absolute)
    attr: str  # the callable inside it

    def spec(self) -> str:
        return f"{GIT_PREFIX}{self.revision}:{self.path}:{self.attr}"


@dataclass(frozen=True, slots=True)
class GitFile:
    """A model file at a revision, resolved: where git keeps it and where it was written out."""

    repository: Path  # the work tree's top folder
    commit: str  # full sha the revision named
    relative: str  # the file's path inside the repository (posix)
    extracted: Path  # the file as written into the temporary folder


def is_git_spec(spec: str) -> bool:
    return isinstance(spec, str) and spec.strip().startswith(GIT_PREFIX)


def parse_git_spec(spec: str) -> GitSpec:
    """``git:REV:PATH:CALLABLE`` -> :class:`GitSpec`; a malformed one is a one-line UsageError."""
    body = spec.strip()[len(GIT_PREFIX) :]
    rest, _, attr = body.rpartition(":")
    revision, _, path = rest.partition(":")
    revision, path, attr = revision.strip(), path.strip(), attr.strip()
    if not revision or not path or not attr:
        raise UsageError(f"malformed model spec {spec.strip()!r}: expected {_FORM}")
    if revision.startswith("-"):  # would read as an option of git's
        raise UsageError(f"malformed model spec {spec.strip()!r}: {revision!r} is not a revision")
    if not path.endswith(".py"):
        raise UsageError(f"malformed model spec {spec.strip()!r}: {path!r} is not a .py file ({_FORM})")
    if not DOTTED.match(attr):
        raise UsageError(f"malformed model spec {spec.strip()!r}: {attr!r} is not a Python name")
    return GitSpec(revision, path, attr)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise UsageError("git:REV specs need git, and no git executable is on PATH") from None


def _first_line(raw: bytes) -> str:
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else "no message"


def repository_of(path: Path) -> Path:
    """The top folder of the git work tree holding ``path`` (which need not exist any more)."""
    folder = path if path.is_dir() else path.parent
    while not folder.is_dir() and folder != folder.parent:  # the file's folder may be gone from the tree
        folder = folder.parent
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise UsageError(f"{folder} is not in a git repository ({_first_line(done.stderr)})")
    return Path(done.stdout.decode().strip()).resolve()


def resolve_revision(repository: Path, revision: str) -> str:
    """The full sha of the commit ``revision`` names in ``repository``."""
    if revision.startswith("-"):
        raise UsageError(f"{revision!r} is not a revision")
    done = _git(repository, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if done.returncode != 0:
        raise UsageError(f"unknown revision {revision!r} in the git repository {repository}")
    return done.stdout.decode().strip()


def _relative(repository: Path, path: Path) -> str:
    try:
        return path.relative_to(repository).as_posix()
    except ValueError:
        raise UsageError(f"{path} is outside the git repository {repository}") from None


# (repository, commit, folder) -> extracted root: one `git archive` per folder and revision per process
_EXTRACTED: dict[tuple[Path, str, str], Path] = {}


def _remove_all() -> None:
    for root in _EXTRACTED.values():
        shutil.rmtree(root.parent, ignore_errors=True)


atexit.register(_remove_all)


def _extract(repository: Path, commit: str, folder: str, label: str) -> Path:
    key = (repository, commit, folder)
    if key in _EXTRACTED:
        return _EXTRACTED[key]
    # The whole folder, not the file alone: a model imports the modules beside it.
    done = _git(repository, "archive", "--format=tar", commit, *(["--", folder] if folder else []))
    if done.returncode != 0:
        raise UsageError(f"git archive of {label}{folder or '.'} failed: {_first_line(done.stderr)}")
    root = Path(tempfile.mkdtemp(prefix="resnet-verify-git-")) / "tree"
    root.mkdir()
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # refuses links out of the folder, absolute names
            tar.extractall(root, filter="data")
        else:  # pragma: no cover - Python < 3.10.12 has no extraction filters
            tar.extractall(root)  # git wrote it from the user's own commit
    _EXTRACTED[key] = root
    show_folder_as(root, label)
    return root


def locate(spec: GitSpec, cwd: Path | None = None) -> GitFile:
    """Resolve the repository, the commit and the file, and write the file's folder out."""
    path = Path(spec.path).expanduser()
    path = (path if path.is_absolute() else (cwd or Path.cwd()) / path).resolve()
    repository = repository_of(path)
    commit = resolve_revision(repository, spec.revision)
    relative = _relative(repository, path)
    kind = _git(repository, "cat-file", "-t", f"{commit}:{relative}")
    if kind.returncode != 0:
        raise UsageError(f"{relative} does not exist at {spec.revision} ({commit[:12]}) in {repository}")
    if kind.stdout.decode().strip() != "blob":
        raise UsageError(f"{relative} at {spec.revision} is a {kind.stdout.decode().strip()}, not a file")
    folder = relative.rpartition("/")[0]
    root = _extract(repository, commit, folder, f"{spec.revision}:")
    return GitFile(repository, commit, relative, root / relative)


def _provided_names(folder: Path) -> set[str]:
    """Top-level module names the folder provides: ``blocks.py`` -> blocks, ``layers/`` -> layers."""
    names = set()
    for entry in folder.iterdir():
        if entry.suffix == ".py":
            names.add(entry.stem)
        elif entry.is_dir() and entry.name.isidentifier():
            names.add(entry.name)
    return names


@contextlib.contextmanager
def own_imports(folder: Path) -> Iterator[None]:
    """While the revision's model is built, its sibling modules are the revision's: a ``blocks``
    module the work tree's copy of the model already imported is set aside, and put back after, so
    each side of a comparison keeps the siblings of its own revision."""
    names = _provided_names(folder)

    def provided(module: str) -> bool:
        return module.partition(".")[0] in names

    set_aside = {name: module for name, module in sys.modules.items() if provided(name)}
    for name in set_aside:
        del sys.modules[name]
    path = list(sys.path)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for name in [name for name in sys.modules if provided(name)]:
            del sys.modules[name]
        sys.modules.update(set_aside)
        sys.path[:] = path  # the temporary folder must not shadow the work tree's for later models


def build_git(spec: str, num_classes: int | None, dev: torch.device | None) -> tuple[nn.Module, str]:
    """Build the model ``git:REV:PATH:CALLABLE`` names; returns ``(model, spec)``."""
    parsed = parse_git_spec(spec)
    found = locate(parsed)
    try:
        with own_imports(found.extracted.parent):
            model, _ = build_user(parsed.spec(), str(found.extracted), parsed.attr, num_classes, dev)
    except UsageError as exc:  # name the file as git does, not by its temporary copy
        root = str(found.extracted)[: -len(found.relative)]
        raise UsageError(str(exc).replace(root, f"{parsed.revision}:")) from exc
    return model, parsed.spec()


__all__ = [
    "GIT_PREFIX",
    "GitFile",
    "GitSpec",
    "build_git",
    "is_git_spec",
    "locate",
    "own_imports",
    "parse_git_spec",
    "repository_of",
    "resolve_revision",
]
