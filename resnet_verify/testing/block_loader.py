"""``--block FILE.py:NAME`` / ``MODULE:NAME``: the user's block class or builder, not called.

Model specs (``specs/``) call what they name with ``num_classes``; a block factory takes widths the
check draws, so it is only looked up here. The file is imported the way a model spec's is: under a
fresh module name (two ``blocks.py`` never collide), kept in ``sys.modules`` (``inspect`` finds
its classes' source lines there), with its folder importable for sibling imports, which stays on
``sys.path`` while the factory is called.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import itertools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from resnet_verify.errors import UsageError

_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\Z")
_ids = itertools.count()


def _exc_text(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _is_path(where: str) -> bool:
    if where.endswith(".py") or "/" in where or "\\" in where or where.startswith("~"):
        return True
    return not _DOTTED.match(where) and Path(where).exists()


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise UsageError(f"block file not found: {path}")
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    stem = re.sub(r"\W", "_", path.stem)
    name = f"_resnet_verify_block_{stem}_{next(_ids)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot import {path} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        raise UsageError(f"syntax error in {exc.filename}:{exc.lineno}: {exc.msg}") from None
    except Exception as exc:
        sys.modules.pop(name, None)
        raise UsageError(f"importing {path} raised {_exc_text(exc)}") from None
    return module


def _import_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise UsageError(f"no module named {exc.name!r} (from --block {name}:...)") from None
        raise UsageError(f"importing {name} raised {_exc_text(exc)}") from None
    except Exception as exc:
        raise UsageError(f"importing {name} raised {_exc_text(exc)}") from None


def _attribute(module: ModuleType, attr: str, display: str) -> Any:
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            public = [n for n in dir(obj) if not n.startswith("_")]
            close = difflib.get_close_matches(part, public, n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UsageError(f"{display}: no attribute {part!r}{hint}")
        obj = getattr(obj, part)
    return obj


def load_factory(spec: str) -> tuple[Callable[..., Any], str]:
    """The callable ``spec`` names and how to show it (``blocks.py:Bottleneck``)."""
    text = spec.strip() if isinstance(spec, str) else ""
    if text.count(":") != 1:
        raise UsageError(f"--block {spec!r}: use FILE.py:NAME or MODULE:NAME (a block class or builder)")
    where, attr = (part.strip() for part in text.split(":"))
    if not where or not _DOTTED.match(attr):
        raise UsageError(f"--block {spec!r}: {attr!r} is not a Python name (use FILE.py:NAME or MODULE:NAME)")
    if _is_path(where):
        path = Path(where).expanduser()
        module, display = _import_file(path), f"{path.name}:{attr}"
    elif _DOTTED.match(where):
        module, display = _import_module(where), text
    else:
        raise UsageError(f"--block {spec!r}: {where!r} is neither a .py file nor a dotted module name")
    factory = _attribute(module, attr, display)
    if not callable(factory):
        raise UsageError(f"{display} is not callable (it is a {type(factory).__name__})")
    return factory, display


__all__ = ["load_factory"]
