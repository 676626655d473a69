"""The ``[[tool.resnet-verify.models]]`` tables of a project's ``pyproject.toml``, for ``check``.

Found as ruff and mypy find theirs: ``--config FILE``, else the first ``pyproject.toml`` with a
``[tool.resnet-verify]`` table in the working folder or a folder above it. Keys are the CLI's flag
names (``model``, ``reference``, ``input-size``, ``num-classes``, ``output-key``) plus ``allow``,
the finding patterns a model may show by design. Paths are relative to the config's folder, so
``check`` gives the same answer from any subfolder.

Every problem is found before any model is built, and each is one line naming its key
(``pyproject.toml: tool.resnet-verify.models[1].input-size: ...``).
"""

from __future__ import annotations

import difflib
import glob
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with tomli (a dependency there)
    import tomli as tomllib

from resnet_verify.errors import UsageError

TABLE = "tool.resnet-verify"
FILE_NAME = "pyproject.toml"
MODEL_KEYS = ("model", "reference", "input-size", "num-classes", "output-key", "allow")
TOP_KEYS = ("models",)
_GLOB_CHARS = ("*", "?", "[")


class ConfigError(Exception):
    """Everything wrong with a config, one line per problem (``check`` prints each, exits 2)."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = tuple(" ".join(line.split()) for line in lines)


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One model to check, its specs resolved against the config's folder."""

    key: str  # where it was configured: tool.resnet-verify.models[0]
    model: str  # the spec to build (a relative file made absolute)
    shown: str  # the spec as the config wrote it (a glob: the matched file)
    reference: str | None
    input_size: str
    num_classes: int | None
    output_key: str | None
    allow: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CheckConfig:
    path: Path
    models: tuple[ModelEntry, ...]

    @property
    def folder(self) -> Path:
        return self.path.parent


def discover(start: Path) -> Path:
    """The first ``pyproject.toml`` holding a ``[tool.resnet-verify]`` table, from ``start`` up."""
    for folder in (start, *start.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file() and _has_table(candidate):
            return candidate
    raise UsageError(
        f"no {FILE_NAME} with a [{TABLE}] table in {start} or any folder above it (or give --config FILE)"
    )


def _has_table(path: Path) -> bool:
    # A pyproject.toml that does not parse is still the project's: reading it reports why.
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True
    return isinstance(data.get("tool"), dict) and "resnet-verify" in data["tool"]


def load_config(config: str | None, cwd: Path | None = None) -> CheckConfig:
    """Read and validate the config (``--config FILE``, else discovered from ``cwd``)."""
    where = Path.cwd() if cwd is None else cwd
    path = discover(where.resolve()) if config is None else (where / Path(config).expanduser())
    if path.is_dir():
        raise UsageError(f"--config {config} is a folder, not a file")
    if not path.is_file():
        raise UsageError(f"--config {config}: no such file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("resnet-verify") if isinstance(data.get("tool"), dict) else None
    if table is None:
        raise UsageError(f"{path} has no [{TABLE}] table")
    errors: list[str] = []
    models = tuple(_entries(table, path.parent.resolve(), errors))
    if errors:
        raise ConfigError([f"{path}: {e}" for e in errors])
    return CheckConfig(path.resolve(), models)


def _entries(table: Any, folder: Path, errors: list[str]) -> Iterator[ModelEntry]:
    if not isinstance(table, dict):
        errors.append(f"{TABLE}: expected a table, got {_kind(table)}")
        return
    for key in table:
        if key not in TOP_KEYS:
            errors.append(
                f"{TABLE}.{key}: unknown key{_suggest(key, TOP_KEYS)} (known: {', '.join(TOP_KEYS)})"
            )
    models = table.get("models")
    if not isinstance(models, list) or not models or not all(isinstance(m, dict) for m in models):
        errors.append(f"{TABLE}.models: expected one or more [[{TABLE}.models]] tables, got {_kind(models)}")
        return
    for index, raw in enumerate(models):
        yield from _entry(f"{TABLE}.models[{index}]", raw, folder, errors)


def _entry(key: str, raw: dict[str, Any], folder: Path, errors: list[str]) -> Iterator[ModelEntry]:
    before = len(errors)
    for name in raw:
        if name not in MODEL_KEYS:
            errors.append(
                f"{key}.{name}: unknown key{_suggest(name, MODEL_KEYS)} (known: {', '.join(MODEL_KEYS)})"
            )
    model = _text(key, raw, "model", errors, required=True)
    reference = _text(key, raw, "reference", errors)
    output_key = _text(key, raw, "output-key", errors)
    size = _input_size(key, raw.get("input-size", 64), errors)
    classes = _classes(key, raw.get("num-classes"), errors)
    allow = _allow(key, raw.get("allow", []), errors)
    if len(errors) > before or model is None:
        return
    try:
        specs = _expand(model, folder)
    except UsageError as exc:
        errors.append(f"{key}.model: {exc}")
        return
    ref = _resolve(reference, folder) if reference is not None else None
    for spec, shown in specs:
        yield ModelEntry(key, spec, shown, ref, size, classes, output_key, allow)


def _text(
    key: str, raw: dict[str, Any], name: str, errors: list[str], *, required: bool = False
) -> str | None:
    value = raw.get(name)
    if value is None:
        if required:
            errors.append(f'{key}.{name}: missing (the model spec, e.g. "models/net.py:build")')
        return None
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{key}.{name}: expected a non-empty string, got {_kind(value)}")
        return None
    return value.strip()


def _input_size(key: str, value: Any, errors: list[str]) -> str:
    from resnet_verify.specs.builders import parse_input_size

    if isinstance(value, bool) or not isinstance(value, (int, str)):
        errors.append(f'{key}.input-size: expected N or "CxHxW", got {_kind(value)}')
        return "64"
    try:
        parse_input_size(value)
    except UsageError as exc:
        errors.append(f"{key}.input-size: {exc}")
    return str(value)


def _classes(key: str, value: Any, errors: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        errors.append(f"{key}.num-classes: expected a positive integer, got {_kind(value)}")
        return None
    return value


def _allow(key: str, value: Any, errors: list[str]) -> tuple[str, ...]:
    from resnet_verify.verify.allow import PATTERN_NAMES

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(
            f'{key}.allow: expected a list of finding patterns, e.g. ["resnet_v1_stride"], got {_kind(value)}'
        )
        return ()
    for name in value:
        if name not in PATTERN_NAMES:
            errors.append(f"{key}.allow: unknown finding pattern {name!r}{_suggest(name, PATTERN_NAMES)}")
    return tuple(value)


def is_file_spec(spec: str) -> bool:
    """``FILE.py:CALLABLE`` (a path), as opposed to a name, a module or a prefixed form."""
    where = spec.rpartition(":")[0] if spec.count(":") == 1 else ""
    return where.endswith(".py") or "/" in where or "\\" in where or where.startswith("~")


def _resolve(spec: str, folder: Path) -> str:
    """A relative file in a spec made absolute against the config's folder (``git:`` ones too)."""
    if spec.startswith("git:") and spec.count(":") >= 3:
        head, _, rest = spec.partition(":")[2].partition(":")
        path, _, attr = rest.rpartition(":")
        return f"git:{head}:{_absolute(path, folder)}:{attr}"
    if not is_file_spec(spec):
        return spec
    path, _, attr = spec.rpartition(":")
    return f"{_absolute(path, folder)}:{attr}"


def _absolute(path: str, folder: Path) -> str:
    p = Path(path).expanduser()
    return _spelled(p if p.is_absolute() else folder / p)


def _spelled(path: Path) -> str:
    """Relative to the working folder when inside it: reports then name files as the config does
    when check runs at the project's root."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _expand(spec: str, folder: Path) -> list[tuple[str, str]]:
    """``(spec to build, spec to show)``; a glob in the file part is one entry per file (sorted)."""
    if not is_file_spec(spec) or not any(c in spec.rpartition(":")[0] for c in _GLOB_CHARS):
        return [(_resolve(spec, folder), spec)]
    pattern, _, attr = spec.rpartition(":")
    matches = sorted(Path(m) for m in glob.glob(str(folder / Path(pattern).expanduser())))
    if not matches:
        raise UsageError(f"the pattern {pattern!r} matches no file under {folder}")
    return [(f"{_spelled(m)}:{attr}", f"{m.relative_to(folder).as_posix()}:{attr}") for m in matches]


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (bool, int, float)):
        return f"{type(value).__name__} {value!r}"
    if isinstance(value, dict):
        return "a table"
    return "an array" if isinstance(value, list) else type(value).__name__


def _suggest(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name.replace("_", "-"), list(choices), n=1, cutoff=0.6)
    close = close or difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


__all__ = ["CheckConfig", "ConfigError", "ModelEntry", "discover", "is_file_spec", "load_config"]
