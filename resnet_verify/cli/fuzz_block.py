"""``resnet-verify fuzz-block``: property-test a user's residual block against the reference block.

Exit 0 when every drawn config matches, 1 with the smallest counterexample, 2 for bad input (a
spec that does not load, a signature it cannot map, hypothesis missing).
"""

from __future__ import annotations

import argparse
import shlex
import sys

from resnet_verify.errors import UsageError

KINDS = ("bottleneck", "basic")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "fuzz-block",
        help="property-test your own residual block against the reference block",
        description="Draw block configs with hypothesis (widths, kernel 1/3/5/7, stride 1/2, groups, "
        "input sizes), build your block and the project's reference block of each, compare them, "
        "and report the smallest failing config with its cause and your line.",
    )
    parser.add_argument(
        "--block",
        required=True,
        metavar="SPEC",
        help="FILE.py:NAME or MODULE:NAME: a block class or a function that returns a block",
    )
    parser.add_argument("--kind", required=True, choices=KINDS, help="the reference block to hold it to")
    parser.add_argument(
        "--stride-in",
        choices=("3x3", "1x1"),
        default="3x3",
        help="where the reference bottleneck strides: 3x3 (v1.5, torchvision; default) or 1x1 (v1, Keras)",
    )
    parser.add_argument(
        "--identity",
        action="store_true",
        help="identity blocks only: same channels in and out, stride 1 (default when the block "
        "takes neither a stride nor a downsample module)",
    )
    parser.add_argument(
        "--map",
        dest="mapping",
        metavar="PARAM=ROLE,...",
        help="what arguments mean where their names do not say, e.g. "
        "'f=kernel_size,filters=(width,width,out)' (roles: in, planes, mid/width, out, f1-f3, "
        "kernel_size, stride, groups, base_width, downsample, default)",
    )
    parser.add_argument(
        "--shortcut",
        choices=("auto", "projection"),
        default=None,
        help="when the reference projects: auto (channels or stride change) or projection (always; "
        "the default for a Keras-style block taking a filters tuple and a stride)",
    )
    parser.add_argument(
        "--examples", type=int, default=100, metavar="N", help="configs to draw (default 100)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="hypothesis seed (default 0)")
    parser.add_argument(
        "--max-size", type=int, default=16, metavar="PX", help="largest input side drawn (default 16)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def _command(args: argparse.Namespace) -> str:
    """The command line that reproduces this run (same seed, same draws)."""
    words = ["resnet-verify", "fuzz-block", "--block", args.block, "--kind", args.kind]
    if args.stride_in != "3x3":
        words += ["--stride-in", args.stride_in]
    if args.identity:
        words.append("--identity")
    if args.mapping:
        words += ["--map", args.mapping]
    if args.shortcut:
        words += ["--shortcut", args.shortcut]
    words += ["--examples", str(args.examples), "--seed", str(args.seed)]
    if args.max_size != 16:
        words += ["--max-size", str(args.max_size)]
    return shlex.join(words)


def run(args: argparse.Namespace) -> int:
    if args.examples < 1:
        raise UsageError(f"--examples must be at least 1, got {args.examples}")
    if args.max_size < 2:
        raise UsageError(f"--max-size must be at least 2, got {args.max_size}")
    try:
        from resnet_verify.testing.block_check import run_check
    except ImportError as exc:
        if (exc.name or "").split(".")[0] != "hypothesis":
            raise
        raise UsageError("fuzz-block needs hypothesis: pip install 'resnet-verify[test]'") from None
    from resnet_verify.testing.block_loader import load_factory
    from resnet_verify.testing.block_report import render_block_check
    from resnet_verify.testing.block_signature import map_signature

    factory, display = load_factory(args.block)
    signature = map_signature(
        factory,
        args.kind,
        mapping=args.mapping,
        identity=True if args.identity else None,
        shortcut=args.shortcut,
        stride_in=args.stride_in,
        name=display.rpartition(":")[2] or display,
    )
    check = run_check(signature, examples=args.examples, seed=args.seed, max_size=args.max_size)
    sys.stdout.write(render_block_check(check, args.format, command=_command(args)))
    sys.stdout.flush()
    return 0 if check.ok else 1
