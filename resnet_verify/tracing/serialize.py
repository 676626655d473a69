"""JSON (de)serialisation of frozen trace records, generic over their dataclass fields.

Encoding walks ``dataclasses.fields``; decoding follows each field's type hint (tuples, enums,
``X | None``, nested records, ``Any`` for hyper-parameter values), so a record that gains a field
needs no change here and ``decode(Trace, encode(t)) == t`` holds exactly. Decoding is strict: a
missing or unknown key, or a value of the wrong type, raises :class:`SchemaError`, because the input
may be a cache file someone else (or a crash) wrote. :func:`schema_fingerprint` digests the record
layout, so a stored trace from another layout is never decoded as this one.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from resnet_verify.tracing.records import Trace

FORMAT_VERSION = 1
"""Bump when the encoding itself changes (the record layout is covered by the fingerprint)."""

T = TypeVar("T")
_Decoder = Callable[[Any], Any]


class SchemaError(ValueError):
    """A JSON value does not fit the record type it should decode to."""


def encode(obj: Any) -> Any:
    """A record (or any value inside one) -> plain JSON types: dicts, lists, str, numbers, None."""
    if isinstance(obj, enum.Enum):  # before str: OpKind is a str too
        return encode(obj.value)
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [encode(v) for v in obj]
    if isinstance(obj, dict) and all(isinstance(k, str) for k in obj):
        return {k: encode(v) for k, v in obj.items()}
    raise TypeError(f"cannot encode {type(obj).__name__} as JSON")


def decode(cls: type[T], data: Any) -> T:
    """The inverse of :func:`encode` for the record type ``cls``; :class:`SchemaError` if it does not fit."""
    try:
        return typing.cast(T, _decoder(typing.cast(Any, cls))(data))
    except SchemaError:
        raise
    except (TypeError, ValueError, KeyError) as exc:  # a record's own checks, an enum's unknown value
        raise SchemaError(f"{cls.__name__}: {exc}") from None


def schema_fingerprint(root: type = Trace) -> str:
    """A short digest of every record and enum reachable from ``root``: names, fields, types, values."""
    parts: list[str] = []
    seen: set[Any] = set()

    def visit(hint: Any) -> None:
        if hint in seen:
            return
        seen.add(hint)
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            parts.append(f"{hint.__qualname__}={sorted(str(m.value) for m in hint)}")
        elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
            hints = typing.get_type_hints(hint)
            parts.append(
                f"{hint.__qualname__}({[(f.name, repr(hints[f.name])) for f in dataclasses.fields(hint)]})"
            )
            for f in dataclasses.fields(hint):
                visit(hints[f.name])
        for arg in typing.get_args(hint):
            visit(arg)

    visit(root)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def schema_version(root: type = Trace) -> str:
    return f"{FORMAT_VERSION}-{schema_fingerprint(root)}"


# ---- decoders, built once per type hint ------------------------------------------------------------


@functools.cache
def _decoder(hint: Any) -> _Decoder:
    if hint is Any:
        return _freeze
    if hint is type(None):
        return _none
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _homogeneous_decoder(_decoder(args[0]))
        return _fixed_tuple_decoder(tuple(_decoder(a) for a in args))
    if origin is dict:
        return _dict_decoder(_decoder(args[1]) if args else _freeze)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum_decoder(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record_decoder(hint)
    if hint in (bool, int, float, str):
        return _scalar_decoder(hint)
    raise TypeError(f"no JSON decoder for type {hint!r}")


def _freeze(value: Any) -> Any:
    """``Any`` fields hold hashable JSON-like values: lists were tuples before encoding."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


def _none(value: Any) -> None:
    if value is not None:
        raise SchemaError(f"expected null, got {type(value).__name__}")


def _scalar_decoder(kind: type) -> _Decoder:
    # bool is an int in Python, and an int is a fine value for a float field (1.0 is stored as 1.0)
    accepted: tuple[type, ...] = (int, float) if kind is float else (kind,)

    def scalar(value: Any) -> Any:
        if not isinstance(value, accepted) or (kind is not bool and isinstance(value, bool)):
            raise SchemaError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return scalar


def _union_decoder(args: tuple[Any, ...]) -> _Decoder:
    if type(None) in args:
        rest = tuple(a for a in args if a is not type(None))
        inner = _decoder(rest[0]) if len(rest) == 1 else _union_decoder(rest)
        return lambda value: None if value is None else inner(value)
    options = tuple(_decoder(a) for a in args)

    def union(value: Any) -> Any:
        for option in options:
            try:
                return option(value)
            except SchemaError:
                continue
        raise SchemaError(f"{value!r} fits none of {args}")

    return union


def _homogeneous_decoder(item: _Decoder) -> _Decoder:
    def homogeneous(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise SchemaError(f"expected a list, got {type(value).__name__}")
        return tuple(item(v) for v in value)

    return homogeneous


def _fixed_tuple_decoder(items: tuple[_Decoder, ...]) -> _Decoder:
    def fixed(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list) or len(value) != len(items):
            raise SchemaError(f"expected a list of {len(items)}, got {value!r:.60}")
        return tuple(d(v) for d, v in zip(items, value))

    return fixed


def _dict_decoder(item: _Decoder) -> _Decoder:
    def mapping(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise SchemaError(f"expected an object, got {type(value).__name__}")
        return {k: item(v) for k, v in value.items()}

    return mapping


def _enum_decoder(kind: type[enum.Enum]) -> _Decoder:
    def member(value: Any) -> enum.Enum:
        try:
            return kind(value)
        except ValueError:
            raise SchemaError(f"{value!r} is not a {kind.__name__}") from None

    return member


def _record_decoder(cls: type) -> _Decoder:
    hints = typing.get_type_hints(cls)
    fields = tuple((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls))
    names = frozenset(name for name, _ in fields)

    def record(value: Any) -> Any:
        if not isinstance(value, dict):
            raise SchemaError(f"{cls.__name__}: expected an object, got {type(value).__name__}")
        if value.keys() != names:
            odd = sorted(names.symmetric_difference(value.keys()))
            raise SchemaError(f"{cls.__name__}: fields differ ({', '.join(map(str, odd))})")
        return cls(**{name: dec(value[name]) for name, dec in fields})

    return record
