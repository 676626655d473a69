"""``resnet-verify summary``: stem, stage and block tables (shapes, params, MACs, receptive field,
stride) as text, Markdown, JSON or HTML; the text format adds torchinfo's layer table."""

from __future__ import annotations

import argparse

from resnet_verify.cli.compare import add_common_model_args
from resnet_verify.formats import SUMMARY_FORMATS


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("summary", help="per-stage / per-block shape report and torchinfo layer table")
    add_common_model_args(parser, reference=False)
    parser.add_argument("--depth", type=int, default=3, help="torchinfo depth (default 3)")
    parser.add_argument("--format", choices=SUMMARY_FORMATS, default="text")
    parser.add_argument(
        "--output", metavar="FILE", help="write the report here (atomically) instead of stdout"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from resnet_verify.cli.compare import write_report
    from resnet_verify.errors import UsageError
    from resnet_verify.report.summary_table import render_summary
    from resnet_verify.specs.builders import build_model, image_size, parse_input_size

    if args.depth < 0:
        raise UsageError(f"--depth must be >= 0, got {args.depth}")
    size = parse_input_size(args.input_size)
    # A shape report reads no values: a library builder's random weights are not drawn; user code is
    # built as Python builds it (builders.structure_ignores_values).
    model, name = build_model(
        args.model, num_classes=args.num_classes, input_size=image_size(size), random_init=False
    )
    text, ran = render_summary(
        model,
        name,
        size,
        depth=args.depth,
        fmt=args.format,
        output_key=args.output_key,
        num_classes=args.num_classes,
    )
    write_report(text, args.output)
    return 0 if ran else 1
