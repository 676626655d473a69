"""``resnet-verify port --from keras:NAME [--weights FILE.weights.h5 | FILE.keras] --to SPEC``.

The Keras branch of ``port``: Keras weights into a PyTorch model, verified against the Keras model
on the same input before anything is written (see :mod:`resnet_verify.verify.keras_port`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from resnet_verify.errors import UsageError


def is_keras_source(args: argparse.Namespace) -> bool:
    weights = args.weights or ""
    return args.source.strip().startswith("keras:") or weights.endswith((".keras", ".weights.h5"))


def run(args: argparse.Namespace, out_path: Path) -> int:
    from resnet_verify._io import save_atomic
    from resnet_verify.specs.builders import build_model, parse_input_size
    from resnet_verify.verify.equivalence import DEFAULT_ATOL, DEFAULT_RTOL
    from resnet_verify.verify.keras_port import load_keras_source, port_from_keras, randomize_keras_batchnorm

    parsed = parse_input_size(args.input_size)
    if len(parsed) != 3:
        raise UsageError(f"--input-size {args.input_size}: a Keras port takes 2-D images (N or CxHxW)")
    size = (parsed[0], parsed[1], parsed[2])
    num_classes = args.num_classes if args.num_classes is not None else 1000
    if num_classes < 1:
        raise UsageError(f"--num-classes must be at least 1, got {num_classes}")
    source = load_keras_source(args.source.strip(), args.weights, num_classes=num_classes, input_size=size)
    if args.weights is None:
        # Fresh Keras BNs are the identity: random statistics make the check see a misplaced BN.
        randomize_keras_batchnorm(source, seed=args.seed)
    model, name = build_model(args.target, num_classes=num_classes)
    result = port_from_keras(
        source,
        model,
        input_size=size,
        num_classes=num_classes,
        seed=args.seed,
        atol=DEFAULT_ATOL if args.atol is None else args.atol,
        rtol=DEFAULT_RTOL if args.rtol is None else args.rtol,
    )
    if not result.ok or result.state_dict is None:
        print(
            f"resnet-verify: port {args.source} -> {name} refused, nothing written: {result.message}",
            file=sys.stderr,
        )
        return 1
    try:
        save_atomic(result.state_dict, out_path)
    except OSError as exc:
        raise UsageError(f"--out {args.out}: cannot write ({exc.strerror or exc})") from None
    print(f"{result.message}; written to {out_path}")
    if args.weights is None:
        print("note: no --weights given: the ported weights are a random initialisation", file=sys.stderr)
    return 0
