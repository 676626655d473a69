"""``compare --model A --model B ...`` and globs: one process, one report per model.

Everything that can be wrong with the command line is checked before the first model is built (a
glob that matches nothing, a missing file, an ``--output`` that cannot be a folder, a format that
cannot share stdout), so bad input exits 2 without any work. One model failing to build is reported
on stderr and the others still run; the exit code is then 2, else 1 if any report has mismatches.
The reference's trace is computed once for all of them (and comes from the persistent cache).
"""

from __future__ import annotations

import argparse
import copy
import glob
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from resnet_verify.errors import UsageError

EXTENSIONS = {"text": "txt", "markdown": "md", "json": "json", "html": "html", "github": "txt"}
# One document per stream: several of these on stdout would not parse as one file.
_SINGLE_DOCUMENT = ("json", "html")
_GLOB = re.compile(r"[*?\[]")


def expand_specs(specs: Sequence[str]) -> list[str]:
    """Each ``--model`` value, with a glob in its file part expanded (sorted); duplicates dropped."""
    out: list[str] = []
    for spec in specs:
        where, sep, attr = spec.partition(":") if spec.count(":") == 1 else (spec, "", "")
        if not _GLOB.search(where):
            out.append(spec)
            continue
        matches = sorted(glob.glob(str(Path(where).expanduser())))
        if not matches:
            raise UsageError(f"--model {spec}: the pattern {where!r} matches no file")
        out.extend(f"{m}{sep}{attr}" for m in matches)
    return list(dict.fromkeys(out))


def report_names(specs: Sequence[str], fmt: str) -> list[str]:
    """A file name per spec, unique within the folder: ``net.build.md``, ``resnet50.md`` ..."""
    names: list[str] = []
    taken: set[str] = set()
    for spec in specs:
        where, _, attr = spec.rpartition(":") if ":" in spec else ("", "", spec)
        stem = Path(where).stem if where.endswith(".py") else where
        base = re.sub(r"[^\w.-]+", "_", ".".join(p for p in (stem, attr) if p)).strip("._") or "model"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        names.append(f"{name}.{EXTENSIONS.get(fmt, 'txt')}")
    return names


def check_many(specs: Sequence[str], args: argparse.Namespace) -> Path | None:
    """Usage checks for several models (before any work); the output folder, created if needed."""
    for spec in specs:
        where = spec.rpartition(":")[0]
        git = spec.startswith("git:")  # a file at a revision: the work tree need not have it
        if where.endswith(".py") and not git and not Path(where).expanduser().is_file():
            raise UsageError(f"--model {spec}: model file not found: {where}")
    if args.output is None:
        if args.format in _SINGLE_DOCUMENT:
            raise UsageError(f"{len(specs)} models with --format {args.format}: give --output FOLDER")
        return None
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"--output {args.output}: with several models --output is a folder, and this is a file"
        )
    if not folder.parent.is_dir():
        raise UsageError(f"--output {args.output}: folder {folder.parent} does not exist")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"--output {args.output}: cannot create the folder ({exc.strerror or exc})"
        ) from None
    return folder


def run_many(
    args: argparse.Namespace, specs: Sequence[str], run_one: Callable[[argparse.Namespace], int]
) -> int:
    """``run_one`` (the single-model command) once per spec; the worst exit code, 2 over 1 over 0."""
    folder = check_many(specs, args)
    codes: list[int] = []
    for spec, name in zip(specs, report_names(specs, args.format)):
        one = copy.copy(args)
        one.model = spec
        one.output = str(folder / name) if folder is not None else None
        try:
            codes.append(run_one(one))
        except UsageError as exc:  # this model's own problem (it does not import, build, trace)
            print(f"resnet-verify: error: --model {spec}: {exc}", file=sys.stderr)
            codes.append(2)
    return 2 if 2 in codes else max(codes, default=0)
