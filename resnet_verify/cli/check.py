"""``resnet-verify check``: every model a project lists in ``pyproject.toml``, in one process.

One line per model (``PASS``, ``FAIL``, ``ERROR``), then the full report of each that fails, in
``--format``; ``--report-dir DIR`` also writes each failing model's HTML report there (a CI
artifact). ``--against REV`` compares each model with its own file at a git revision instead of its
reference, so a change to the network fails with the finding and the line that changed it.

Exit codes as ``compare``'s: 0 all pass, 1 a model differs, 2 bad input (the config, a revision, a
model that does not build). Findings a model lists in ``allow`` do not fail it, unless its forward
crashes: a model that does not run never passes.
"""

from __future__ import annotations

import argparse
import enum
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from resnet_verify.cli.check_config import CheckConfig, ConfigError, ModelEntry, is_file_spec, load_config
from resnet_verify.errors import UsageError

if TYPE_CHECKING:  # torch loads only when the command runs
    from resnet_verify.verify.records import Comparison

STREAM_FORMATS = ("text", "markdown", "github")


class Status(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"
    SKIP = "SKIP"  # --against: a model that is not a file of the repository


@dataclass(frozen=True, slots=True)
class Outcome:
    entry: ModelEntry
    status: Status
    line: str  # the model's one line of the summary
    comparison: Comparison | None = None


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check",
        help="check every model listed in pyproject.toml ([[tool.resnet-verify.models]])",
        description="Compare every model of the project's [[tool.resnet-verify.models]] tables with its "
        "reference (or with itself at --against REV) in one process: one line per model, then the "
        "report of each that fails.",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="the pyproject.toml to read (default: the first one with a [tool.resnet-verify] table in "
        "the working folder or a folder above it)",
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="compare each model with its own file at this git revision (HEAD~1, main, a sha) "
        "instead of its reference (allow is not applied; models that are not files are skipped)",
    )
    parser.add_argument(
        "--format", choices=STREAM_FORMATS, default="text", help="format of the failing reports"
    )
    parser.add_argument(
        "--report-dir", metavar="DIR", help="also write the HTML report of every failing model into DIR"
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the reference cache")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--verbose", action="store_true", help="text reports: every raw mismatch")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from resnet_verify.specs.usercode import model_folder

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        for line in exc.lines:
            print(f"resnet-verify: error: {line}", file=sys.stderr)
        return 2
    if args.against:
        _check_revision(config, args.against)  # a bad one: one line before any work
    folder = _report_dir(args.report_dir)
    # MODULE:CALLABLE specs import from the project, wherever check was started
    with model_folder(str(config.folder)):
        outcomes = []
        for entry in config.models:
            if args.against:
                outcome = _check_against(entry, args.against, cache=not args.no_cache)
            else:
                outcome = check_entry(entry, cache=not args.no_cache)
            print(outcome.line, flush=True)
            outcomes.append(outcome)
    _print_tally(outcomes)
    _reports(outcomes, args, folder)
    statuses = {o.status for o in outcomes}
    return 2 if Status.ERROR in statuses else 1 if Status.FAIL in statuses else 0


def _check_revision(config: CheckConfig, revision: str) -> None:
    from resnet_verify.specs.git_specs import repository_of, resolve_revision

    resolve_revision(repository_of(config.folder), revision)


def _check_against(entry: ModelEntry, revision: str, *, cache: bool) -> Outcome:
    """The model against its own file at ``revision``; ``allow`` does not apply (any change fails)."""
    if not is_file_spec(entry.model):  # a family name or a library model is not the repository's
        return Outcome(
            entry, Status.SKIP, f"{Status.SKIP.value}  {entry.shown}: not a file of the repository"
        )
    path, _, attr = entry.model.rpartition(":")
    return check_entry(replace(entry, reference=f"git:{revision}:{path}:{attr}", allow=()), cache=cache)


def _report_dir(output: str | None) -> Path | None:
    if output is None:
        return None
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--report-dir {output} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--report-dir {output}: cannot create the folder ({exc.strerror or exc})") from None
    return folder


def check_entry(entry: ModelEntry, *, cache: bool = True) -> Outcome:
    """Build, compare and judge one configured model; bad input is an ERROR outcome, not a raise."""
    from resnet_verify.specs.builders import build_model, default_reference, image_size, parse_input_size
    from resnet_verify.verify.comparison import compare

    try:
        size = parse_input_size(entry.input_size)
        model, name = build_model(
            entry.model, num_classes=entry.num_classes, input_size=image_size(size), random_init=False
        )
        comparison = compare(
            model,
            entry.reference or default_reference(entry.model),
            input_size=size,
            num_classes=entry.num_classes,
            candidate_name=entry.shown if is_file_spec(entry.shown) else name,
            cache=cache,
            output_key=entry.output_key,
            owned=True,  # built here for this comparison alone
        )
    except UsageError as exc:
        return Outcome(entry, Status.ERROR, f"{Status.ERROR.value} {entry.shown}: {exc}")
    return judge(entry, comparison, entry.allow)


def judge(entry: ModelEntry, comparison: Comparison, allow: Sequence[str]) -> Outcome:
    """PASS or FAIL, and the model's line: the verdict, the findings that fail it, those allowed."""
    from resnet_verify.report._common import fmt_shape, verdict
    from resnet_verify.verify.allow import blocking

    head = f"{entry.shown} vs {comparison.reference_name} @ {fmt_shape(comparison.input_shape)}"
    failing = blocking(comparison, allow)
    named = {f.pattern.value: set(f.mismatches) for f in comparison.findings}
    allowed = [p for p in named if p in allow]
    if not failing:
        what = "match" if comparison.ok else f"{verdict(comparison)}, allowed: {', '.join(allowed)}"
        return Outcome(entry, Status.PASS, f"{Status.PASS.value}  {head}: {what}", comparison)
    found = [p for p, claimed in named.items() if claimed & set(failing)]
    what = verdict(comparison) + (f" [{', '.join(found)}]" if found else "")
    what += f", allowed: {', '.join(allowed)}" if allowed else ""
    return Outcome(entry, Status.FAIL, f"{Status.FAIL.value}  {head}: {what}", comparison)


def _print_tally(outcomes: Sequence[Outcome]) -> None:
    words = {
        Status.PASS: "passed",
        Status.FAIL: "failed",
        Status.ERROR: "could not be checked",
        Status.SKIP: "skipped",
    }
    counts = {s: sum(1 for o in outcomes if o.status is s) for s in Status}
    parts = [f"{counts[s]} {words[s]}" for s in Status if counts[s]]
    print(f"{len(outcomes)} models: {', '.join(parts)}", flush=True)


def _reports(outcomes: Sequence[Outcome], args: argparse.Namespace, folder: Path | None) -> None:
    from resnet_verify._io import write_text_atomic
    from resnet_verify.cli.many_models import report_names
    from resnet_verify.report.formats import render

    failing = [o for o in outcomes if o.status is Status.FAIL and o.comparison is not None]
    color = args.color == "always" or (args.color == "auto" and args.format == "text" and sys.stdout.isatty())
    names = report_names([o.entry.shown for o in failing], "html")
    for outcome, name in zip(failing, names):
        assert outcome.comparison is not None
        text = render(outcome.comparison, args.format, color=color, verbose=args.verbose)
        sys.stdout.write("\n" + (text if text.endswith("\n") else text + "\n"))
        if folder is not None:
            write_text_atomic(folder / name, render(outcome.comparison, "html"))
            print(f"report written to {folder / name}", file=sys.stderr)
    sys.stdout.flush()
