"""``resnet-verify port``: torchvision weights into a hand-written ResNet, verified before writing.

Exit 0: the ported weights reproduce the reference and were written to ``--out`` (atomically), in
the candidate's own key names. With ``--partial`` (fine-tuning) the tensors that cannot be paired
keep their initialisation and are listed; the check stops at the first of them.
Exit 1: refused; nothing is written and every blocker is printed with its fix (tensors that
cannot be paired, the first divergent block, BatchNorm settings). Exit 2: bad flags or files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resnet_verify.cli.compare import add_input_size_arg, add_output_key_arg
from resnet_verify.errors import UsageError

if TYPE_CHECKING:  # torch loads only when a command runs, after OpenMP settings are made
    from torch import nn


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "port",
        help="port torchvision weights into a model, verified numerically",
        description="Map a torchvision ResNet's weights onto a hand-written model through the "
        "structural alignment (names do not matter), check that the result "
        "reproduces the reference block by block, and only then write it.",
    )
    _add_model_args(parser)
    _add_check_args(parser)
    add_output_key_arg(parser)
    parser.set_defaults(handler=run)


def _add_model_args(parser: argparse.ArgumentParser) -> None:
    """Where the weights come from, where they go, and the file they are written to."""
    parser.add_argument(
        "--from",
        dest="source",
        default="torchvision:resnet50",
        metavar="torchvision:NAME|keras:NAME",
        help="reference architecture (default torchvision:resnet50; a bare name such as resnet50 works "
        "too; keras:ResNet50 ports Keras weights)",
    )
    parser.add_argument(
        "--weights",
        metavar="FILE",
        help="reference state_dict (torch.save), loaded with weights_only=True; for a keras: source a "
        ".weights.h5 file or a whole .keras model. Without it the seeded random initialisation is ported",
    )
    parser.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="SPEC",
        help="the model to port into: resnet50 | FILE.py:CALLABLE | MODULE:CALLABLE | torchvision:NAME",
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="where to write the ported state_dict (written atomically)",
    )


def _add_check_args(parser: argparse.ArgumentParser) -> None:
    """The verification forward: its input, the classes, what is ported and the tolerances."""
    add_input_size_arg(parser, "the verification forward's ")
    parser.add_argument(
        "--num-classes",
        type=int,
        default=None,
        metavar="K",
        help="the candidate's classes (default: rows of fc.weight in --weights, else the model "
        "builder's own, read off the model's head); with --partial they may differ from the checkpoint's",
    )
    parser.add_argument(
        "--partial",
        action="store_true",
        help="fine-tuning port: copy every tensor that pairs, leave the rest (a new head) at their "
        "initialisation and list them; verified up to the first unported layer",
    )
    parser.add_argument("--atol", type=float, default=None, help="absolute tolerance (default 1e-4)")
    parser.add_argument(
        "--rtol",
        type=float,
        default=None,
        help="tolerance relative to the reference's max |value| (default 1e-3)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the random input (default 0)")


def _check_out(out: str) -> Path:
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"--out {out} is a directory")
    if not path.parent.exists():
        raise UsageError(f"--out {out}: folder {path.parent} does not exist")
    return path


def _head_classes(model: nn.Module, size: tuple[int, ...], output_key: str | None) -> int:
    import torch

    from resnet_verify.tracing.tracer import trace
    from resnet_verify.verify.classes import classes_from_head

    return classes_from_head(trace(model, torch.Size((1, *size)), output_key=output_key))[0]


def run(args: argparse.Namespace) -> int:
    from resnet_verify._io import save_atomic
    from resnet_verify.cli import keras_port
    from resnet_verify.specs.builders import build_model, parse_input_size, reference_names
    from resnet_verify.specs.usercode import model_output
    from resnet_verify.verify.equivalence import DEFAULT_ATOL, DEFAULT_RTOL
    from resnet_verify.verify.porting import classes_in_state, port
    from resnet_verify.verify.weights import load_state_file

    if keras_port.is_keras_source(args):
        return keras_port.run(args, _check_out(args.out))
    source = args.source.strip().removeprefix("torchvision:").strip()
    if source not in reference_names():
        raise UsageError(f"--from {args.source}: unknown reference; valid: {', '.join(reference_names())}")
    out = _check_out(args.out)
    import torch

    size = parse_input_size(args.input_size)
    state = load_state_file(args.weights, what="--weights") if args.weights else None
    num_classes = args.num_classes if args.num_classes is not None else classes_in_state(state, source)
    if num_classes is not None and num_classes < 1:
        raise UsageError(f"--num-classes must be at least 1, got {num_classes}")
    model, name = build_model(args.target, num_classes=num_classes)
    if num_classes is None:  # random weights into the model as its author builds it: its own head
        num_classes = _head_classes(model, size, args.output_key)
    with model_output():  # whatever the model prints while it is copied and run goes to stderr
        result = port(
            source,
            model,
            input_size=torch.Size((1, *size)),  # one sample of 1-D, 2-D or 3-D input, batch 1
            num_classes=num_classes,
            reference_state=state,
            partial=args.partial,
            atol=DEFAULT_ATOL if args.atol is None else args.atol,
            rtol=DEFAULT_RTOL if args.rtol is None else args.rtol,
            seed=args.seed,
            output_key=args.output_key,
        )
    if not result.ok or result.state_dict is None:
        n = len(result.blockers)
        print(f"resnet-verify: port {source} -> {name} refused, nothing written ({n} blocker"
              f"{'s' if n != 1 else ''}):", file=sys.stderr)  # fmt: skip
        for blocker in result.blockers:
            print(f"  * {blocker.line()}", file=sys.stderr)
        return 1
    try:
        save_atomic(result.state_dict, out)  # the old file stays whole if this fails
    except OSError as exc:
        raise UsageError(f"--out {args.out}: cannot write ({exc.strerror or exc})") from None
    print(f"{result.message}; written to {out}")
    _print_details(result, random_weights=state is None)
    return 0


def _print_details(result: Any, *, random_weights: bool) -> None:
    if result.left_at_init:
        print(f"left at their initialisation: {', '.join(result.left_at_init)}")
    if result.source_prefix:
        print(f"the checkpoint's tensors sit under {result.source_prefix!r}: read from there")
    if result.report is not None:
        print(result.report.summary())
        for note in result.report.notes:
            print(note)
    if random_weights:
        print("note: no --weights given: the ported weights are a random initialisation", file=sys.stderr)
