"""Command line: ``resnet-verify COMMAND ...``; ``main(argv) -> int`` is callable from tests.

Each sub-command lives in ``resnet_verify.cli.<name>`` and exposes ``add_parser(subparsers)``
and ``run(args) -> int``. Exit codes: 0 ok, 1 verification failed (mismatch, refused port, gate),
2 usage or input error, reported as one line on stderr without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Must precede the first `import torch`: OpenMP's default spin-waiting made a ResNet50 training
# step 4-5x slower on a 2-core machine whenever another process competed for the cores.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from resnet_verify.errors import UsageError

PROG = "resnet-verify"
COMMANDS = ("compare", "summary", "port", "train", "evaluate", "predict", "fuzz-block", "check")


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors share the one-line exit-2 path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def main_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``command`` (one of :data:`COMMANDS`), only that sub-command's
    parser, which parses its arguments and words its errors and help exactly as the whole one does
    (a sub-parser's prog and options do not depend on its siblings). Each command's module is
    imported to add its parser: the other seven cost a new process ~15 ms (tomllib, difflib, the
    training recipes), so ``main`` builds only the one it runs."""
    parser = _Parser(prog=PROG, description="Verify a hand-written ResNet against torchvision's.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS if command is None else (command,):
        importlib.import_module(f"resnet_verify.cli.{name.replace('-', '_')}").add_parser(sub)
    return parser


def _error(message: str, code: int = 2) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # A known command first: only its parser. Anything else (--help, a typo) gets the whole one,
        # which lists every command.
        parser = main_parser(argv[0] if argv and argv[0] in COMMANDS else None)
        if not argv:
            parser.print_help(sys.stderr)
            return 2
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help exits 0 through argparse
            return int(exc.code or 0)
        from resnet_verify.specs.usercode import keep_model_folders

        with keep_model_folders():  # a model file's folder stays importable until the command ends
            return int(args.handler(args))
    except UsageError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        return _error("interrupted", 130)
    except BrokenPipeError:
        return 0


def entry() -> None:
    # they trace: count FLOPs without importing triton
    if sys.argv[1:2] in (["compare"], ["summary"], ["fuzz-block"], ["check"]):
        from resnet_verify._fast_import import import_flop_counter_without_triton, torch_imported_once

        with torch_imported_once():  # imports torch; its ~270k lasting objects out of the GC's way
            import_flop_counter_without_triton()
    sys.exit(main())
