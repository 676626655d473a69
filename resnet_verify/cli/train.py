"""``resnet-verify train``: train a model on SIGNS, behind the verification gate.

Before the first step the model is compared with its torchvision reference at the data's input size
and number of classes; on any mismatch the report goes to stderr and the command exits 1 without
training, unless ``--allow-mismatch``. The same command runs under ``torchrun --nproc-per-node N``.

Every epoch is scored on the validation split and ``best.pt`` is chosen on it; when the last epoch
is done, the test split is evaluated once, for the final and the selected weights (result.json).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Any

from resnet_verify.cli.compare import add_output_key_arg
from resnet_verify.errors import UsageError

HELP = "train a model on the SIGNS data behind the verification gate"
# flag -> TrainConfig field, for the hyper-parameters a recipe sets
_HYPER_FLAGS = {
    "epochs": "--epochs", "batch_size": "--batch-size", "optimizer": "--optimizer", "lr": "--lr",
    "momentum": "--momentum", "nesterov": "--nesterov", "weight_decay": "--weight-decay",
    "label_smoothing": "--label-smoothing", "schedule": "--schedule", "warmup_epochs": "--warmup-epochs",
    "augment": "--augment", "ema_decay": "--ema-decay", "tta_flip": "--tta-flip",
    "mixup_alpha": "--mixup", "cutmix_alpha": "--cutmix", "image_size": "--image-size",
}  # fmt: skip


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from resnet_verify.train.recipes import OPTIMIZERS, RECIPES, SCHEDULES

    p = subparsers.add_parser("train", help=HELP, description=HELP + ".")
    p.add_argument("--data", metavar="DIR", help="SIGNS folder: the HDF5 pair or 64x64_SIGNS (or its parent)")
    p.add_argument("--model", metavar="SPEC", default=None,
                   help="family name (resnet50, resnet18, ...), torchvision:NAME or FILE.py:CALLABLE (default resnet50)")  # fmt: skip
    p.add_argument("--reference", metavar="NAME", default=None,
                   help="torchvision model the gate compares a FILE.py/MODULE spec with (default resnet50)")  # fmt: skip
    p.add_argument("--recipe", choices=sorted(RECIPES), default=None,
                   help="seed: the article's (SGD lr 0.009, batch 24, 100 epochs); default: ours (AdamW, cosine, 30 epochs)")  # fmt: skip
    g = p.add_argument_group("recipe overrides")
    g.add_argument("--epochs", type=int, default=None)
    g.add_argument("--batch-size", type=int, default=None)
    g.add_argument("--optimizer", choices=OPTIMIZERS, default=None)
    g.add_argument("--lr", type=float, default=None, help="peak learning rate")
    g.add_argument("--momentum", type=float, default=None, help="SGD momentum")
    g.add_argument("--nesterov", action=argparse.BooleanOptionalAction, default=None)
    g.add_argument("--weight-decay", type=float, default=None, help="on weights only, not biases/norms")
    g.add_argument("--label-smoothing", type=float, default=None)
    g.add_argument("--schedule", choices=SCHEDULES, default=None, help="learning rate after the warm-up")
    g.add_argument(
        "--warmup-epochs", type=float, default=None, help="linear warm-up length (fractions allowed)"
    )
    g.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None,
                   help="random resized crop, small rotation, mirror, brightness/contrast (on tensors)")  # fmt: skip
    g.add_argument("--ema-decay", type=float, default=None, metavar="D",
                   help="evaluate, select and save an exponential moving average of the weights (0: off)")  # fmt: skip
    g.add_argument("--tta-flip", action=argparse.BooleanOptionalAction, default=None,
                   help="evaluate each image and its mirror image, averaging the softmax")  # fmt: skip
    g.add_argument("--mixup", dest="mixup_alpha", type=float, default=None, metavar="ALPHA",
                   help="mixup with a Beta(ALPHA, ALPHA) weight (0: off)")  # fmt: skip
    g.add_argument("--cutmix", dest="cutmix_alpha", type=float, default=None, metavar="ALPHA",
                   help="CutMix with a Beta(ALPHA, ALPHA) box area (0: off); with --mixup, one of the two per batch")  # fmt: skip
    g.add_argument("--image-size", type=int, default=None, metavar="PX",
                   help="train and evaluate at PX x PX: the images are resized once, bilinear (0: the data's own size)")  # fmt: skip
    g.add_argument("--seed", type=int, default=None, help="random seed (default 0)")
    p.add_argument("--device", default=None, help="auto (cuda, then mps, then cpu), cpu, cuda, cuda:N or mps")
    p.add_argument(
        "--out", metavar="RUN_DIR", default=None, help="run folder (default runs/MODEL-RECIPE-TIME)"
    )
    p.add_argument("--resume", nargs="?", const=True, default=None, metavar="CHECKPOINT",
                   help="continue the run in --out (its last.pt), or from CHECKPOINT")  # fmt: skip
    p.add_argument("--stop-after", type=int, default=None, metavar="EPOCH",
                   help="end this session after that epoch; the run stays resumable")  # fmt: skip
    p.add_argument("--init-from", metavar="FILE", default=None,
                   help="start from a torchvision-layout checkpoint (any wrapper prefix: module., model. ...), "
                   "ported by the partial port (the head keeps its initialisation); the gate runs first")  # fmt: skip
    p.add_argument("--allow-mismatch", action="store_true", help="train even if the gate finds mismatches")
    add_output_key_arg(p)
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no per-step progress bar")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from resnet_verify.train.evaluation import final_evaluation
    from resnet_verify.train.loop import TrainingDiverged, setup_runtime, teardown_runtime, train
    from resnet_verify.train.run_summary import final_table, short_run

    runtime = setup_runtime(args.device)
    failed = True
    try:
        config, signs, out, resume = _prepare(args)
        resume_from = args.resume if isinstance(args.resume, str) else None
        allow = bool(args.allow_mismatch or config.allow_mismatch)
        init_file = _init_file(args, resume)
        if not _gate(config, signs, allow=allow, main=runtime.is_main):
            return 1
        init_state = _ported_init(config, init_file, main=runtime.is_main) if init_file is not None else None
        if init_file is not None and init_state is None:
            return 1
        config.world_size = runtime.world_size
        short = short_run(config, len(signs.train))
        if short is not None and runtime.is_main:
            print(short.notice(), file=sys.stderr)
        from resnet_verify.specs.usercode import model_output

        try:
            with model_output():  # the model's prints (forward, train()) go to stderr, not the report
                result = train(
                    config,
                    signs,
                    out,
                    runtime,
                    resume=resume,
                    resume_from=resume_from,
                    stop_after=args.stop_after,
                    progress=args.progress,
                    init_state=init_state,
                )
        except TrainingDiverged as exc:
            if runtime.is_main:
                print(f"resnet-verify: error: {exc}", file=sys.stderr)
            return 1
        if runtime.is_main:
            final = None if result.stopped_early else final_evaluation(out, signs.test, runtime.device)
            print(final_table(out, result.history, result.best, final))
            if short is not None:  # the last line: why the figures above are low
                print(short.notice())
        failed = False
        return 0
    finally:
        teardown_runtime(runtime, synchronize=not failed)


def _prepare(args: argparse.Namespace) -> tuple[Any, Any, Path, dict[str, Any] | None]:
    """(config, data, run folder, the checkpoint to resume or None) from the flags."""
    if args.stop_after is not None and args.stop_after < 1:
        raise UsageError(f"--stop-after must be at least 1, got {args.stop_after}")
    if args.resume is not None:
        return _prepare_resume(args)
    return _prepare_new(args)


def _prepare_resume(args: argparse.Namespace) -> tuple[Any, Any, Path, dict[str, Any]]:
    """The run's own config from its checkpoint; flags may only extend --epochs."""
    from resnet_verify.train.checkpoint import load_checkpoint
    from resnet_verify.train.data import load_signs
    from resnet_verify.train.loop import TrainConfig

    ckpt_path = Path(args.out) / "last.pt" if args.resume is True and args.out else None
    if args.resume is not True:
        ckpt_path = Path(args.resume)
    if ckpt_path is None:
        raise UsageError("--resume needs --out RUN_DIR (the run to continue) or a checkpoint path")
    ckpt = load_checkpoint(ckpt_path)
    if "optimizer" not in ckpt or "rng" not in ckpt:
        raise UsageError(f"{ckpt_path}: holds weights only (a best.pt?); resume from the run's last.pt")
    try:
        config = TrainConfig.from_dict(ckpt["config"])
    except (TypeError, ValueError) as exc:
        raise UsageError(
            f"{ckpt_path}: its config is not a training run's ({str(exc).splitlines()[0]})"
        ) from None
    _check_resume_flags(args, config, ckpt_path)
    if args.epochs is not None:
        config.epochs = args.epochs
    signs = load_signs(args.data or config.data)
    if config.image_size:
        signs = signs.resized(config.image_size)
    if list(signs.classes) != list(config.classes) or list(signs.input_size) != list(config.input_size):
        raise UsageError(
            f"{ckpt_path}: the run was trained on classes {config.classes} at {config.input_size}, "
            f"but {signs.source} has {list(signs.classes)} at {list(signs.input_size)}"
        )
    out = Path(args.out) if args.out else ckpt_path.parent
    _check_out_dir(out)
    return config, signs, out, ckpt


def _prepare_new(args: argparse.Namespace) -> tuple[Any, Any, Path, None]:
    """A fresh run's config: the recipe, overridden by the flags, and the data's shape and statistics."""
    from resnet_verify.specs.builders import default_reference
    from resnet_verify.train.config import check_image_size
    from resnet_verify.train.data import channel_stats, load_signs
    from resnet_verify.train.loop import TrainConfig
    from resnet_verify.train.recipes import RECIPES

    if not args.data:
        raise UsageError("train needs --data DIR (the SIGNS folder)")
    recipe = args.recipe or "default"
    hyper = RECIPES[recipe].to_dict()
    for key in _HYPER_FLAGS:
        if getattr(args, key) is not None:
            hyper[key] = getattr(args, key)
    spec = _canonical_spec(args.model or "resnet50")
    out = (
        Path(args.out)
        if args.out
        else Path("runs") / f"{_slug(spec)}-{recipe}-{time.strftime('%Y%m%d-%H%M%S')}"
    )
    _check_out_dir(out)
    if (out / "last.pt").exists():
        raise UsageError(
            f"{out} already holds a run (last.pt): add --resume to continue it, or pick another --out"
        )
    check_image_size(int(hyper["image_size"]))  # before the data is read
    signs = load_signs(args.data)
    if hyper["image_size"]:
        signs = signs.resized(int(hyper["image_size"]))
    mean, std = channel_stats(signs.train.x)
    config = TrainConfig(
        model=spec,
        num_classes=signs.num_classes,
        input_size=list(signs.input_size),
        classes=list(signs.classes),
        mean=mean,
        std=std,
        recipe=recipe,
        reference=args.reference or default_reference(spec),
        seed=0 if args.seed is None else args.seed,
        data=str(Path(args.data).resolve()),
        validation=signs.validation,
        allow_mismatch=bool(args.allow_mismatch),
        output_key=args.output_key,
        **hyper,
    )
    config.check()
    return config, signs, out, None


def _check_out_dir(out: Path) -> None:
    """Before any slow work: --out must be (or become) a folder."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a run folder")
    parent = next((p for p in out.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UsageError(f"--out {out}: {parent} is a file, not a folder")


def _check_resume_flags(args: argparse.Namespace, config: Any, ckpt_path: Path) -> None:
    """On --resume the run's own config rules; a flag that contradicts it is an error, not a silent change."""
    given = {
        field: flag
        for field, flag in _HYPER_FLAGS.items()
        if field != "epochs" and getattr(args, field) is not None
    }
    given.update({k: f"--{k}" for k in ("seed", "recipe", "reference") if getattr(args, k) is not None})
    for field, flag in given.items():
        if getattr(args, field) != getattr(config, field):
            raise UsageError(
                f"--resume: {flag} {getattr(args, field)} differs from the run's {getattr(config, field)} "
                f"({ckpt_path}); drop it or start a new run"
            )
    if args.model is not None and _canonical_spec(args.model) != config.model:
        raise UsageError(
            f"--resume: --model {args.model} differs from the run's {config.model} ({ckpt_path})"
        )


def _canonical_spec(spec: str) -> str:
    """A FILE.py:CALLABLE spec with its path made absolute, so checkpoints rebuild from anywhere."""
    spec = spec.strip()
    if spec.startswith("torchvision:") or ":" not in spec:
        return spec
    where, _, attr = spec.rpartition(":")
    if where.endswith(".py") or "/" in where or "\\" in where or where.startswith("~"):
        return f"{Path(where).expanduser().resolve()}:{attr}"
    return spec


def _slug(spec: str) -> str:
    if ":" in spec:
        where, _, attr = spec.rpartition(":")
        spec = f"{Path(where).stem}-{attr}" if where != "torchvision" else attr
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", spec)[:60]


def _reference_for(config: Any) -> str:
    """The torchvision model the gate (and --init-from) compares the run's model with."""
    from resnet_verify.specs.builders import default_reference

    return default_reference(str(config.model), fallback=str(config.reference))


def _init_file(args: argparse.Namespace, resume: dict[str, Any] | None) -> Any:
    """--init-from's state_dict, read before the gate so a bad file fails fast (exit 2)."""
    from resnet_verify.verify.weights import load_state_file

    if args.init_from is None:
        return None
    if resume is not None:
        raise UsageError("--init-from starts a new run; --resume continues one: pass only one of them")
    return (args.init_from, load_state_file(args.init_from, what="--init-from"))


def _ported_init(config: Any, init: tuple[str, Any], *, main: bool) -> dict[str, Any] | None:
    """The run's model with --init-from's tensors ported in (partial: the head keeps its init).

    Built under the run's seed, so the tensors left at their initialisation are the ones a run
    without --init-from would start from. None (after printing every blocker) when refused.
    """
    import torch

    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.porting import port

    path, state = init
    torch.manual_seed(config.seed)
    model, display = build_model(config.model, num_classes=config.num_classes)
    reference = _reference_for(config)
    result = port(reference, model, input_size=tuple(config.input_size), reference_state=state, partial=True)
    if result.ok and result.state_dict is not None:
        if main:
            print(f"init: {path}: {result.message}", file=sys.stderr)
        return result.state_dict
    if main:
        print(f"resnet-verify: --init-from {path}: cannot start {display} from it (torchvision {reference} layout); "
              "not training:", file=sys.stderr)  # fmt: skip
        for blocker in result.blockers:
            print(f"  * {blocker.line()}", file=sys.stderr)
    return None


def _gate(config: Any, signs: Any, *, allow: bool, main: bool) -> bool:
    """Compare the model with its torchvision reference; True when training may start."""
    from resnet_verify.report.formats import render
    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.gate import gate

    model, display = build_model(config.model, num_classes=config.num_classes)
    reference = _reference_for(config)
    decision = gate(model, reference, tuple(config.input_size), config.num_classes, config.output_key)
    comparison = decision.comparison
    del model
    if decision.ok:
        if main:
            print(f"gate: {display} matches torchvision {reference} at {'x'.join(map(str, config.input_size))}, "
                  f"{config.num_classes} classes", file=sys.stderr)  # fmt: skip
        return True
    count, crashed = decision.mismatch_count, decision.crashed
    if allow and not crashed:  # a forward that fails cannot be trained, allowed or not
        if main:
            print(f"gate: {display} differs from torchvision {reference} ({count} mismatch{'es' if count != 1 else ''}); "
                  "training anyway (--allow-mismatch)", file=sys.stderr)  # fmt: skip
        return True
    if main:
        print(render(comparison, "text"), file=sys.stderr)
        advice = "its forward fails" if crashed else "Fix the model or pass --allow-mismatch"
        print(f"resnet-verify: gate: {display} does not match torchvision {reference} ({count} mismatch"
              f"{'es' if count != 1 else ''}); not training. {advice}", file=sys.stderr)  # fmt: skip
    return False
