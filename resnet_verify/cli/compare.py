"""``resnet-verify compare``: the main command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resnet_verify.cli.compare_fix import add_fix_args, wants_fix
from resnet_verify.errors import UsageError
from resnet_verify.formats import FORMATS

if TYPE_CHECKING:  # torch loads only when a command runs, after OpenMP settings are made
    import torch

# One default for every command that traces (compare, summary, port): the SIGNS images' side, the
# size this project's models are trained and checked at. torchvision's ImageNet models use 224.
DEFAULT_INPUT_SIZE = "64"
INPUT_SIZE_HELP = (
    f"input size, N or CxHxW, e.g. 64 or 3x64x64 (default {DEFAULT_INPUT_SIZE}: the SIGNS images' "
    "size; ImageNet models are usually checked at 224)"
)


def add_input_size_arg(parser: argparse.ArgumentParser, what: str = "") -> None:
    parser.add_argument(
        "--input-size", default=DEFAULT_INPUT_SIZE, metavar="N|CxHxW", help=what + INPUT_SIZE_HELP
    )


def add_common_model_args(
    parser: argparse.ArgumentParser, *, reference: bool = True, many: bool = False
) -> None:
    parser.add_argument(
        "--model",
        required=True,
        action="append" if many else "store",
        metavar="SPEC",
        help="resnet50 | resnet50_v1 | torchvision:NAME | FILE.py:CALLABLE | MODULE:CALLABLE | git:REV:FILE.py:CALLABLE"
        + (" (repeat it, or glob the file: 'models/*.py:build', for one report per model)" if many else ""),
    )
    if reference:
        parser.add_argument(
            "--reference",
            default=None,
            metavar="SPEC",
            help="model to compare with: anything --model takes (a bare ResNet name such as resnet50 "
            "is torchvision's; default: the family model's own reference, else resnet50)",
        )
    add_input_size_arg(parser)
    parser.add_argument(
        "--num-classes",
        type=int,
        default=None,
        metavar="K",
        help="number of classes passed to the model"
        + (" and the reference" if reference else "")
        + " (default: the model builder's own, read off the model's head"
        + (", and the reference built to match)" if reference else ")"),
    )
    add_output_key_arg(parser)


def add_output_key_arg(parser: argparse.ArgumentParser) -> None:
    # Not --output: compare already takes --output FILE for the report.
    parser.add_argument(
        "--output-key",
        default=None,
        metavar="KEY",
        help="which part of a non-tensor forward output is the prediction: an attribute or key "
        "(logits, out) or a tuple index (0); default: .logits, then 'logits'/'out', then the first tensor",
    )


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "compare",
        help="compare a model with torchvision's ResNet",
        description="Trace a candidate and a torchvision ResNet, align them "
        "by structure and report every mismatch.",
    )
    add_common_model_args(parser, many=True)
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="text format: list every raw mismatch, not only the unexplained",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write the report here (atomically) instead of stdout; with several models, a folder",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the reference-trace cache ($RESNET_VERIFY_CACHE_DIR, "
        "else $XDG_CACHE_HOME/resnet-verify)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="ANSI colour in the text report (auto: only on a terminal)",
    )
    add_equivalence_args(parser)
    add_fix_args(parser)
    parser.set_defaults(handler=run)


def add_equivalence_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("numeric equivalence")
    group.add_argument(
        "--equivalence",
        action="store_true",
        help="also copy the reference's weights into the model through the "
        "alignment and compare every block's output on a random input",
    )
    group.add_argument(
        "--reference-weights",
        metavar="FILE",
        help="reference state_dict (torch.save) for --equivalence, loaded with "
        "weights_only=True (default: seeded random weights)",
    )
    group.add_argument("--atol", type=float, default=None, help="absolute tolerance (default 1e-4)")
    group.add_argument(
        "--rtol",
        type=float,
        default=None,
        help="tolerance relative to the reference's max |value| (default 1e-3)",
    )
    group.add_argument("--seed", type=int, default=0, help="seed of the random weights and input (default 0)")


def equivalence_state(args: argparse.Namespace) -> dict[str, torch.Tensor] | None:
    """Validate the equivalence flags; load --reference-weights (before any slow work)."""
    if not args.equivalence:
        used = [
            f
            for f, v in (
                ("--reference-weights", args.reference_weights),
                ("--atol", args.atol),
                ("--rtol", args.rtol),
            )
            if v is not None
        ]
        if used:
            raise UsageError(f"{used[0]} needs --equivalence")
        return None
    for flag, value in (("--atol", args.atol), ("--rtol", args.rtol)):
        if value is not None and not (value >= 0 and value != float("inf")):
            raise UsageError(f"{flag} must be a finite number >= 0, got {value}")
    if args.reference_weights is None:
        return None
    from resnet_verify.verify.weights import load_state_file

    return load_state_file(args.reference_weights, what="--reference-weights")


def write_report(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    from resnet_verify._io import write_text_atomic

    path = Path(output)
    if path.is_dir():
        raise UsageError(f"--output {output} is a directory")
    if not path.parent.exists():
        raise UsageError(f"--output {output}: folder {path.parent} does not exist")
    try:
        write_text_atomic(path, text)  # the old file stays whole if this fails
    except OSError as exc:
        raise UsageError(f"--output {output}: cannot write ({exc.strerror or exc})") from None
    print(f"report written to {output}", file=sys.stderr)


def _with_equivalence(
    args: argparse.Namespace, model: Any, reference: str, shape: Any, reference_state: Any, comparison: Any
) -> Any:
    """The comparison with the numeric check of ``--equivalence`` added."""
    from resnet_verify.verify.equivalence import (
        DEFAULT_ATOL,
        DEFAULT_RTOL,
        check_equivalence,
        with_equivalence,
    )

    report = check_equivalence(
        model,
        reference,
        input_size=shape,
        num_classes=comparison.num_classes,  # given, or the one read off the model's head
        reference_state=reference_state,
        seed=args.seed,
        comparison=comparison,
        atol=DEFAULT_ATOL if args.atol is None else args.atol,
        rtol=DEFAULT_RTOL if args.rtol is None else args.rtol,
        output_key=args.output_key,
    )
    return with_equivalence(comparison, report)


def run(args: argparse.Namespace) -> int:
    from resnet_verify.report.formats import render
    from resnet_verify.specs.builders import (
        build_model,
        default_reference,
        full_input_shape,
        image_size,
        parse_input_size,
    )
    from resnet_verify.verify.comparison import compare

    if args.num_classes is not None and args.num_classes < 1:
        raise UsageError(f"--num-classes must be at least 1, got {args.num_classes}")
    if wants_fix(args):  # a verified patch of the user's source instead of a report (compare_fix.py)
        from resnet_verify.cli.compare_fix import run_fix

        return run_fix(args)
    size = parse_input_size(args.input_size)
    reference_state = equivalence_state(args)
    if isinstance(args.model, list):  # --model given once or more (argparse "append")
        from resnet_verify.cli.many_models import expand_specs, run_many

        specs = expand_specs(args.model)
        if len(specs) > 1:
            return run_many(args, specs, run)
        args.model = specs[0]
    reference = args.reference or default_reference(args.model)
    # Without --equivalence nothing reads the candidate's values, so a library builder skips drawing
    # its random weights; user code is always built with them (builders.structure_ignores_values).
    model, name = build_model(
        args.model, num_classes=args.num_classes, input_size=image_size(size), random_init=args.equivalence
    )
    shape = full_input_shape(size)  # one sample of 1-D, 2-D or 3-D input, batch 1
    comparison = compare(
        model,
        reference,
        input_size=shape,
        num_classes=args.num_classes,
        candidate_name=name,
        cache=not getattr(args, "no_cache", False),
        output_key=args.output_key,
        owned=not args.equivalence,  # built here for this compare alone unless equivalence reuses it
    )
    if args.equivalence:
        comparison = _with_equivalence(args, model, reference, shape, reference_state, comparison)
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and args.format == "text" and sys.stdout.isatty()
    )
    write_report(render(comparison, args.format, color=color, verbose=args.verbose), args.output)
    return 0 if comparison.ok else 1
