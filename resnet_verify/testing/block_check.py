"""Property-test a user's residual block against the project's reference block of the same config.

For each config hypothesis draws (``block_cases``), :func:`check_case` builds the user's block
with the arguments the config maps to and the reference block (``BlockConfig.build()``), traces
both at the same input and compares them with the compare engine at block level. The user's
block must build where the reference builds and refuse where it refuses, run, and match it:
output shape, parameter count, structure, hyper-parameters. :func:`check_block` runs it for
``examples`` configs under a fixed seed and returns the smallest failing one hypothesis shrinks
to, with its cause at the user's line (:mod:`~resnet_verify.testing.block_diagnosis`).

Use :func:`check_block` in a plain test, or :func:`block_cases` + :func:`check_case` inside your
own ``@given`` test.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import hypothesis
import torch
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.models.configs import BlockConfig
from resnet_verify.specs.sources import display_path, is_user_file, record_sources, site_of
from resnet_verify.specs.usercode import model_output
from resnet_verify.testing import block_draws as cases_module
from resnet_verify.testing.block_diagnosis import Cause, engine_cause
from resnet_verify.testing.block_draws import DEFAULT_MAX_SIZE, BlockCase
from resnet_verify.testing.block_signature import BlockSignature, map_signature
from resnet_verify.testing.formulas import expected_block_params, expected_output_shape
from resnet_verify.tracing.records import Shape, SourceLoc, Trace
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.comparison import compare_traces
from resnet_verify.verify.records import Comparison

_QUIET_CHECKS = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]


# No explain phase: it re-runs variants of the counterexample only to annotate a report we write ourselves.
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)


class FailureKind(str, enum.Enum):
    BUILD_ERROR = "build_error"  # the user's block raised (or returned no module) where the reference builds
    BUILDS_REFUSED = "builds_where_reference_refuses"
    CRASH = "crash"  # its forward failed
    MISMATCH = "mismatch"  # it ran and differs from the reference


@dataclass(frozen=True, slots=True)
class BlockFailure:
    """One failing config: what failed, the cause at the user's line, the block-level comparison."""

    case: BlockCase
    kind: FailureKind
    cause: str
    source: SourceLoc | None = None
    details: tuple[str, ...] = ()
    comparison: Comparison | None = None

    def describe(self) -> str:
        """``fails for in=4, filters=(4, 4, 16), f=5, s=1 at 1x4x5x5: <cause>``."""
        shape = "x".join(str(s) for s in self.case.input_shape)
        return f"fails for {self.case.summary()} at {shape}: {self.cause}"


@dataclass(frozen=True, slots=True)
class BlockCheck:
    """The outcome of :func:`check_block`: ``failure`` is the smallest failing config, or None."""

    signature: BlockSignature
    seed: int
    examples: int  # asked for
    runs: int  # configs checked, shrinking included
    failure: BlockFailure | None

    @property
    def ok(self) -> bool:
        return self.failure is None

    def report(self, fmt: str = "text") -> str:
        from resnet_verify.testing.block_report import render_block_check

        return render_block_check(self, fmt)


class _Counterexample(Exception):
    def __init__(self, failure: BlockFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


def _raise_site(exc: BaseException) -> SourceLoc | None:
    """The innermost line of user code in the traceback."""
    site, tb = None, exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if is_user_file(name):
            site = SourceLoc(display_path(name), tb.tb_lineno)
        tb = tb.tb_next
    return site


def _exc_text(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _build(case: BlockCase) -> nn.Module | BlockFailure | None:
    """The user's block; a failure when building disagrees with the reference; None when both refuse."""
    refusal = case.refusal
    factory = case.signature.factory
    try:
        with record_sources(), model_output():  # construction lines for the report; prints to stderr
            args, kwargs = case.arguments()
            block = factory(*args, **kwargs)
    except Exception as exc:
        if refusal is not None:
            return None
        site = _raise_site(exc)
        where = f" ({site})" if site is not None else ""
        return BlockFailure(
            case, FailureKind.BUILD_ERROR, f"raises {_exc_text(exc)} while building{where}", site
        )
    if not isinstance(block, nn.Module):
        text = f"returns {type(block).__name__}, not a torch.nn.Module"
        return BlockFailure(case, FailureKind.BUILD_ERROR, text)
    if refusal is not None:
        site = site_of(block)
        return BlockFailure(
            case, FailureKind.BUILDS_REFUSED, f"builds where the reference refuses: {refusal}", site
        )
    return block


@functools.lru_cache(maxsize=512)
def _reference_trace(cfg: BlockConfig, shape: Shape) -> Trace:
    with torch.device("meta"):  # our own block: its structure cannot depend on its weights
        block = cfg.build()
    return trace(block, shape, owned=True, device="meta")


def _plain_mismatch(case: BlockCase, cand: Trace) -> str | None:
    """What the formulas say differs when the engine found nothing (it should not happen)."""
    cfg = case.config()
    shape = expected_output_shape(cfg, case.input_shape)
    if cand.output_shape != shape:
        got = "x".join(map(str, cand.output_shape or ()))
        return f"outputs {got} where the reference outputs {'x'.join(map(str, shape))}"
    if cand.total_params != expected_block_params(cfg):
        return f"has {cand.total_params:,} parameters where the reference has {expected_block_params(cfg):,}"
    return None


def check_case(case: BlockCase) -> BlockFailure | None:
    """Check one config; None when the user's block behaves as the reference block does."""
    built = _build(case)
    if not isinstance(built, nn.Module):
        return built
    ref = _reference_trace(case.config(), case.input_shape)
    cand = trace(built, case.input_shape, owned=True, device="meta")
    comparison = compare_traces(
        ref,
        cand,
        reference_name=f"reference {case.signature.kind.value}",
        candidate_name=case.signature.name,
        num_classes=case.config().out_channels,  # a block has no classes: only headers show it (dropped)
    )
    if comparison.ok and cand.crash is None:
        plain = _plain_mismatch(case, cand)
        if plain is None:
            return None
        return BlockFailure(case, FailureKind.MISMATCH, plain, None, (), comparison)
    cause: Cause = engine_cause(case, comparison)
    kind = FailureKind.CRASH if cand.crash is not None or cand.repairs else FailureKind.MISMATCH
    return BlockFailure(case, kind, cause.text, cause.source, cause.details, comparison)


def run_check(
    signature: BlockSignature, *, examples: int = 100, seed: int = 0, max_size: int = DEFAULT_MAX_SIZE
) -> BlockCheck:
    """Check ``examples`` configs of ``signature`` with hypothesis under ``seed``."""
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise UsageError(f"examples must be a positive integer, got {examples!r}")
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
        raise UsageError(f"max_size must be a positive integer, got {max_size!r}")
    runs = 0

    # No database: a counterexample must come from the seed alone, so CI reproduces it anywhere.
    @hypothesis.seed(seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,
        suppress_health_check=_QUIET_CHECKS,
        print_blob=False,
        phases=_PHASES,
    )
    @given(cases_module.block_cases(signature, max_size=max_size))
    def probe(case: BlockCase) -> None:
        nonlocal runs
        runs += 1
        failure = check_case(case)
        if failure is not None:
            raise _Counterexample(failure)

    try:
        probe()
    except _Counterexample as found:
        return BlockCheck(signature, seed, examples, runs, found.failure)
    return BlockCheck(signature, seed, examples, runs, None)


def check_block(
    factory: Callable[..., Any],
    kind: str = "bottleneck",
    *,
    stride_in: str = "3x3",
    identity: bool | None = None,
    mapping: str | Mapping[str, str] | None = None,
    shortcut: str | None = None,
    examples: int = 100,
    seed: int = 0,
    max_size: int = DEFAULT_MAX_SIZE,
) -> BlockCheck:
    """Property-test ``factory`` (a block class or a function returning one) against the reference
    ``kind`` block (``"bottleneck"`` or ``"basic"``) of the same config.

    ``stride_in``: where the reference bottleneck strides, ``"3x3"`` (v1.5) or ``"1x1"`` (v1).
    ``identity``: draw identity blocks only (same channels, stride 1); by default when the factory
    takes neither a stride nor a shortcut module. ``mapping``: what arguments mean where their names
    do not say (``"f=kernel_size,filters=(width,width,out)"``). ``shortcut``: ``"auto"`` (project
    when channels or stride change) or ``"projection"`` (always); by default ``auto``, ``projection``
    for a Keras-style block taking a ``filters`` tuple and a stride.
    Bad arguments raise :class:`~resnet_verify.errors.UsageError`.
    """
    signature = map_signature(
        factory, kind, mapping=mapping, identity=identity, shortcut=shortcut, stride_in=stride_in
    )
    return run_check(signature, examples=examples, seed=seed, max_size=max_size)


def block_cases(
    factory: Callable[..., Any] | BlockSignature, kind: str = "bottleneck", **options: Any
) -> st.SearchStrategy[BlockCase]:
    """Hypothesis strategy of configs for ``factory`` (options as :func:`check_block`'s, plus
    ``max_size``); check each with :func:`check_case`."""
    max_size = options.pop("max_size", DEFAULT_MAX_SIZE)
    signature = factory if isinstance(factory, BlockSignature) else map_signature(factory, kind, **options)
    return cases_module.block_cases(signature, max_size=max_size)


__all__ = [
    "BlockCheck",
    "BlockFailure",
    "FailureKind",
    "block_cases",
    "check_block",
    "check_case",
    "run_check",
]
