"""Build the model from patched source, in this process, without touching the user's files, and
compare it again: the verifier ``plan`` calls for every patch it considers.

The spec's own file is written to a temporary folder under its own name and built from there, its
folder still importable for sibling modules; every other patched file is served to the import
system from memory (a meta-path finder) under its real path, and the user's modules are imported
afresh for the build, then put back as they were.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import linecache
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from resnet_verify.errors import UsageError
from resnet_verify.specs.builders import build_model, full_input_shape, image_size
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.fixes.apply import PatchedFile
from resnet_verify.verify.fixes.plan import PatchFailed
from resnet_verify.verify.fixes.source import editable_reason
from resnet_verify.verify.records import Comparison

_LIBRARY_PREFIXES = ("torchvision:", "timm:", "keras:")


@dataclass(frozen=True, slots=True)
class Rerun:
    """How the model was built and compared, so the patched one is built and compared alike."""

    spec: str
    reference: str
    input_size: tuple[int, ...]  # one sample, as parse_input_size gives it: (3, 64, 64)
    num_classes: int | None
    output_key: str | None = None
    cache: bool = True


def check_spec(spec: str) -> None:
    """UsageError unless ``spec`` names source the user owns: ``FILE.py:CALLABLE`` or
    ``MODULE:CALLABLE`` outside installed packages."""
    spec = spec.strip()
    if spec.startswith("git:"):
        raise UsageError(
            "--fix edits files in your working tree; a git: revision is history, not a file to edit"
        )
    if ":" not in spec or spec.startswith(_LIBRARY_PREFIXES):
        raise UsageError(f"--fix edits your source: {spec} is a library model (give FILE.py:CALLABLE or "
                         "MODULE:CALLABLE)")  # fmt: skip
    where = spec.rsplit(":", 1)[0].strip()
    if where.endswith(".ipynb"):
        raise UsageError("--fix does not edit notebooks: copy the model into a .py file")
    path = _module_file(where)
    if path is not None and path.exists():  # a missing file: the build says so, as compare does
        reason = editable_reason(path)
        if reason is not None:
            raise UsageError(f"--fix cannot edit {where}: {reason}")


def _module_file(where: str) -> Path | None:
    if where.endswith(".py") or "/" in where or "\\" in where:
        return Path(where).expanduser().resolve()
    try:
        found = importlib.util.find_spec(where)
    except (ImportError, ValueError):
        return None  # the build reports it
    return Path(found.origin).resolve() if found is not None and found.origin else None


class _Loader(importlib.abc.Loader):
    def __init__(self, origin: str, text: str) -> None:
        self.origin, self.text = origin, text

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        exec(compile(self.text, self.origin, "exec"), module.__dict__)


class _Finder(importlib.abc.MetaPathFinder):
    """Serves the patched text of a file wherever the import system would load that file from."""

    def __init__(self, texts: Mapping[Path, str]) -> None:
        self.texts = texts

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin:
            return None
        text = self.texts.get(Path(spec.origin).resolve())
        if text is None:
            return None
        spec.loader = _Loader(spec.origin, text)
        return spec


@dataclass(frozen=True, slots=True)
class _Scope:
    """The user's modules to import afresh: the patched files and the spec's module, and any module
    of theirs in a patched file's folder or the spec's package (it may import a patched one)."""

    files: frozenset[Path]
    roots: frozenset[Path]

    def __contains__(self, module: ModuleType) -> bool:
        file = getattr(module, "__file__", None)
        if not isinstance(file, str):
            return False
        path = Path(file).resolve()
        if editable_reason(path) is not None:  # never resnet-verify itself or an installed package
            return False
        return path in self.files or any(path.is_relative_to(r) for r in self.roots)


def _scope(texts: Mapping[Path, str], where: str, own: Path | None) -> _Scope:
    files, roots = set(texts), {p.parent for p in texts}
    if own is not None:
        files.add(own)
    if own is not None and not where.endswith(".py") and "." in where:  # MODULE:fn inside a package
        top = importlib.util.find_spec(where.split(".")[0])
        if top is not None and top.submodule_search_locations:
            roots |= {Path(p).resolve() for p in top.submodule_search_locations}
    return _Scope(frozenset(files), frozenset(roots))


@contextlib.contextmanager
def _patched_imports(texts: Mapping[Path, str], scope: _Scope) -> Iterator[None]:
    """The user's modules in ``scope`` imported afresh, patched files from ``texts``; afterwards
    ``sys.modules``, ``sys.meta_path`` and ``linecache`` are as they were."""
    evicted = {name: m for name, m in list(sys.modules.items()) if m is not None and m in scope}
    for name in evicted:
        del sys.modules[name]
    lines = {str(p): linecache.cache.get(str(p)) for p in texts}
    for p, text in texts.items():  # tracebacks and inspect read the patched lines, not the disk's
        linecache.cache[str(p)] = (len(text), None, text.splitlines(keepends=True), str(p))
    finder = _Finder(texts)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for name, m in list(sys.modules.items()):
            if m is not None and m in scope and name not in evicted:
                del sys.modules[name]
        sys.modules.update(evicted)
        for key, entry in lines.items():
            if entry is None:
                linecache.cache.pop(key, None)
            else:
                linecache.cache[key] = entry


@contextlib.contextmanager
def _importable(folder: Path) -> Iterator[None]:
    added = str(folder) not in sys.path
    if added:
        sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        if added:
            with contextlib.suppress(ValueError):
                sys.path.remove(str(folder))


def _parsed(files: Sequence[PatchedFile]) -> dict[Path, str]:
    texts = {}
    for f in files:
        path = Path(f.display).resolve()
        try:
            compile(f.new, str(path), "exec")
        except SyntaxError as exc:
            raise PatchFailed(
                f"the patched {path.name} does not parse (line {exc.lineno}: {exc.msg})"
            ) from None
        texts[path] = f.new
    return texts


def compare_patched(rerun: Rerun, files: Sequence[PatchedFile]) -> Comparison:
    """The comparison of the model ``rerun.spec`` builds from the patched ``files``."""
    texts = _parsed(files)
    where, attr = (part.strip() for part in rerun.spec.strip().rsplit(":", 1))
    own = _module_file(where)
    with tempfile.TemporaryDirectory(prefix="resnet-verify-fix-") as tmp, contextlib.ExitStack() as stack:
        spec = rerun.spec
        if own is not None and own in texts and where.endswith(".py"):
            copy = Path(tmp) / own.name
            copy.write_bytes(texts[own].encode("utf-8"))
            spec = f"{copy}:{attr}"
            stack.enter_context(_importable(own.parent))  # its sibling modules, as from its own folder
        stack.enter_context(_patched_imports(texts, _scope(texts, where, own)))
        try:
            model, name = build_model(
                spec,
                num_classes=rerun.num_classes,
                input_size=image_size(rerun.input_size),
                random_init=False,
            )
            return compare(
                model, rerun.reference, input_size=full_input_shape(rerun.input_size), num_classes=rerun.num_classes,
                candidate_name=name, cache=rerun.cache, output_key=rerun.output_key, owned=True,
            )  # fmt: skip
        except UsageError as exc:
            raise PatchFailed(f"the patched model does not build or trace: {exc}") from None


__all__ = ["Rerun", "check_spec", "compare_patched"]
