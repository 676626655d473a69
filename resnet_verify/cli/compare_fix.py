"""``compare --fix [--write [--no-backup]]``: the findings' fixes as a verified unified diff of the
user's source, and with ``--write`` that diff applied (each file replaced atomically, the original
kept as ``FILE.orig``).

Exit codes: 0 when the model (patched, with ``--write``) matches the reference, 1 when differences
remain, 2 for bad input (a library model, a notebook, a git revision, a file changed meanwhile).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from resnet_verify.errors import UsageError

if TYPE_CHECKING:  # torch loads only when the command runs
    from resnet_verify.verify.fixes.apply import PatchedFile
    from resnet_verify.verify.fixes.plan import Plan
    from resnet_verify.verify.records import Comparison


def add_fix_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("automatic fixes")
    group.add_argument(
        "--fix",
        action="store_true",
        help="print a unified diff of your source that applies the findings' fixes, verified by comparing "
        "the patched model again (a fix that makes anything worse is left out, with why)",
    )
    group.add_argument("--write", action="store_true", help="with --fix: apply the diff to the files")
    group.add_argument(
        "--no-backup", action="store_true", help="with --write: do not keep the original as FILE.orig"
    )


def wants_fix(args: argparse.Namespace) -> bool:
    return bool(
        getattr(args, "fix", False) or getattr(args, "write", False) or getattr(args, "no_backup", False)
    )


def _check_flags(args: argparse.Namespace) -> str:
    """The one model spec to fix; UsageError for flags that do not go with --fix."""
    if args.write and not args.fix:
        raise UsageError("--write needs --fix")
    if args.no_backup and not args.write:
        raise UsageError("--no-backup needs --write")
    if args.equivalence:
        raise UsageError("--fix does not combine with --equivalence (compare the fixed model afterwards)")
    if args.format != "text":
        raise UsageError(f"--fix prints a diff, not a {args.format} report")
    from resnet_verify.cli.many_models import expand_specs

    specs = expand_specs(args.model if isinstance(args.model, list) else [args.model])
    if len(specs) != 1:
        raise UsageError(f"--fix takes one model, got {len(specs)}")
    return specs[0]


def run_fix(args: argparse.Namespace) -> int:
    from resnet_verify.cli.compare import write_report
    from resnet_verify.specs.builders import (
        build_model,
        default_reference,
        full_input_shape,
        image_size,
        parse_input_size,
    )
    from resnet_verify.verify.comparison import compare
    from resnet_verify.verify.fixes.check import Rerun, check_spec, compare_patched
    from resnet_verify.verify.fixes.plan import plan

    spec = _check_flags(args)
    check_spec(spec)
    size = parse_input_size(args.input_size)
    cache = not args.no_cache
    rerun = Rerun(
        spec, args.reference or default_reference(spec), size, args.num_classes, args.output_key, cache
    )
    model, name = build_model(
        spec, num_classes=args.num_classes, input_size=image_size(size), random_init=False
    )
    before = compare(
        model, rerun.reference, input_size=full_input_shape(size), num_classes=args.num_classes, candidate_name=name,
        cache=cache, output_key=args.output_key, owned=True,
    )  # fmt: skip
    result = plan(before, lambda files: compare_patched(rerun, files))
    if args.write and result.files:
        write_patch(result.files, backup=not args.no_backup)
    write_report(render_plan(result, written=args.write), args.output)
    final = result.after if args.write and result.after is not None else before
    return 0 if final.ok else 1


def _remaining(c: Comparison) -> str:
    loose = sum(1 for i in c.unexplained if c.mismatches[i].cause is None)
    if c.ok:
        return "no mismatch"
    parts = [f"{f.title} ({f.pattern.value})" for f in c.findings]
    if loose:
        parts.append(f"{loose} unexplained mismatch{'es' if loose > 1 else ''}")
    n = len(parts)
    return f"{n} difference{'s' if n > 1 else ''}: " + "; ".join(parts)


def render_plan(result: Plan, *, written: bool = False) -> str:
    """The diff, then what each finding got, then what the patched model compares as."""
    from resnet_verify.verify.fixes.records import Status

    before = result.before
    if before.ok:
        return f"nothing to fix: {before.candidate_name} matches {before.reference_name}\n"
    lines = [result.diff.rstrip("\n")] if result.files else []
    fixed = [o for o in result.outcomes if o.status is Status.FIXED and o.fix is not None]
    others = [o for o in result.outcomes if o.status is not Status.FIXED]
    if fixed:
        lines.append(
            f"{'applied' if written else 'fixes'} ({len(fixed)}, each checked by comparing the patched model again):"
        )
        lines += [f"  {o.pattern.value} [{o.fix.applicability.value}]: {o.fix.title}" for o in fixed if o.fix]
    if others:
        lines.append(f"no patch for {len(others)} finding{'s' if len(others) > 1 else ''}:")
        lines += [f"  {o.pattern.value}: {o.reason}" for o in others]
    if result.after is not None:
        lines.append(f"after this patch: {_remaining(result.after)}")
    else:
        lines.append(f"no patch; the model as written: {_remaining(before)}")
    return "\n".join(lines) + "\n"


def write_patch(files: tuple[PatchedFile, ...], *, backup: bool) -> None:
    """Each file replaced atomically by its patched text, after checking them all: unchanged since
    they were read, and no ``FILE.orig`` in the way."""
    from resnet_verify._io import write_bytes_atomic

    paths = [Path(f.display).resolve() for f in files]
    for f, path in zip(files, paths):
        try:
            current = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {f.display} again: {exc}") from None
        if current != f.old:
            raise UsageError(f"{f.display} changed while it was being checked: nothing written")
        if backup and _orig(path).exists():
            raise UsageError(
                f"{_orig(path)} exists (an earlier --fix --write?): move it away or pass --no-backup"
            )
    for f, path in zip(files, paths):
        try:
            mode = path.stat().st_mode
            if backup:
                write_bytes_atomic(_orig(path), f.old.encode("utf-8"))
            write_bytes_atomic(path, f.new.encode("utf-8"))
            os.chmod(path, mode)  # an executable script stays one
        except OSError as exc:
            raise UsageError(f"cannot write {f.display}: {exc.strerror or exc}") from None
        kept = f" (original kept as {_orig(path).name})" if backup else ""
        print(f"fixed {f.display}{kept}", file=sys.stderr)


def _orig(path: Path) -> Path:
    return path.with_name(path.name + ".orig")


__all__ = ["add_fix_args", "render_plan", "run_fix", "wants_fix", "write_patch"]
