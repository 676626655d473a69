"""pytest plugin (entry point ``pytest11``, name ``resnet_verify``): loaded whenever resnet-verify is
installed; ``-p no:resnet_verify`` turns it off.

- ``@pytest.mark.resnet_verify(reference="resnet50", input_size=64)`` on a test that returns (or
  yields) a model: the test passes when the model matches the reference.
- the ``resnet_verify`` fixture: ``resnet_verify.check(model, "resnet50", input_size=64)`` asserts,
  ``resnet_verify.compare(...)`` only compares, ``resnet_verify.strategies`` is
  :mod:`resnet_verify.testing.strategies` (hypothesis).
- a failure's message is the text report; ``--resnet-verify-report DIR`` also writes the HTML report
  of every failing comparison into DIR.

It lives beside the package's ``__init__`` rather than in ``testing/`` so that loading it, which
every pytest run in the environment does, imports neither torch nor the testing kit; they load
when a marked test or the fixture first runs.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Collection, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from torch import nn

    from resnet_verify.verify.records import Comparison

MARKER = "resnet_verify"
OPTION = "--resnet-verify-report"
MARK_KEYS = ("reference", "input_size", "num_classes", "output_key", "allow")
_WRITTEN = pytest.StashKey[list[Path]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("resnet-verify")
    group.addoption(
        OPTION,
        metavar="DIR",
        default=None,
        help="write the HTML report of every failing resnet-verify comparison into DIR",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(reference='resnet50', input_size=64, num_classes=None, output_key=None, allow=()): "
        "the test returns (or yields) a model; it passes when the model matches the reference",
    )
    config.stash[_WRITTEN] = []


@dataclass(frozen=True)
class Verifier:
    """What the ``resnet_verify`` fixture gives a test: compare, or compare and assert."""

    name: str  # the test's node id: names its report files
    report_dir: Path | None
    written: list[Path] = field(default_factory=list)  # report files of this run, shared by tests

    def compare(
        self,
        model: nn.Module,
        reference: str = "resnet50",
        *,
        input_size: int | Sequence[int] = 64,
        num_classes: int | None = None,
        output_key: str | None = None,
    ) -> Comparison:
        """The comparison, whatever it finds (``num_classes=None``: read off the model's head)."""
        from resnet_verify.verify.comparison import compare

        return compare(
            model, reference, input_size=input_size, num_classes=num_classes, output_key=output_key
        )

    def check(
        self,
        model: nn.Module,
        reference: str = "resnet50",
        *,
        input_size: int | Sequence[int] = 64,
        num_classes: int | None = None,
        output_key: str | None = None,
        allow: Collection[str] = (),
    ) -> Comparison:
        """Compare and raise ``AssertionError`` (message: the text report) unless the model matches,
        the findings named in ``allow`` set aside; the HTML report goes to the report folder."""
        __tracebackhide__ = True
        from resnet_verify.report.formats import render
        from resnet_verify.verify.allow import passes, unknown_patterns

        unknown = unknown_patterns(allow)
        if unknown:
            pytest.fail(f"resnet_verify: allow names no finding pattern: {', '.join(unknown)}", pytrace=False)
        comparison = self.compare(
            model, reference, input_size=input_size, num_classes=num_classes, output_key=output_key
        )
        if not passes(comparison, allow):
            self._write(render(comparison, "html"))
            raise AssertionError(render(comparison, "text"))
        return comparison

    @property
    def strategies(self) -> ModuleType:
        """:mod:`resnet_verify.testing.strategies`: hypothesis strategies for residual blocks and ResNets."""
        from resnet_verify.testing import strategies

        return strategies

    def _write(self, html: str) -> None:
        if self.report_dir is None:
            return
        from resnet_verify._io import write_text_atomic

        self.report_dir.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", self.name).strip("._") or "comparison"
        path, n = self.report_dir / f"{stem}.html", 1
        while path in self.written:  # a test that checks several models gets one file each
            n += 1
            path = self.report_dir / f"{stem}-{n}.html"
        write_text_atomic(path, html)
        self.written.append(path)


def _verifier(node: pytest.Item) -> Verifier:
    folder = node.config.getoption(OPTION)
    return Verifier(node.nodeid, Path(folder) if folder else None, node.config.stash[_WRITTEN])


@pytest.fixture(name="resnet_verify")
def resnet_verify_fixture(request: pytest.FixtureRequest) -> Verifier:
    """Compare a model with a reference; ``check`` fails the test with the text report."""
    return _verifier(request.node)


def _mark_options(marker: pytest.Mark) -> dict[str, Any]:
    unknown = [key for key in marker.kwargs if key not in MARK_KEYS]
    if unknown or len(marker.args) > 1:
        what = f"unknown keyword {unknown[0]!r}" if unknown else "more than one positional argument"
        pytest.fail(f"@pytest.mark.{MARKER}: {what} (it takes {', '.join(MARK_KEYS)})", pytrace=False)
    options = dict(marker.kwargs)
    if marker.args:
        options.setdefault("reference", marker.args[0])
    return options


def _is_marked(collector: pytest.Module | pytest.Class, obj: object) -> bool:
    marks = getattr(obj, "pytestmark", [])
    return any(m.name == MARKER for m in marks) or collector.get_closest_marker(MARKER) is not None


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Module | pytest.Class, name: str, obj: object) -> object:
    # pytest refuses generator tests; a marked one yields its model, as a fixture yields its value.
    # Asked for every name in every test module of any project: the cheap test first.
    if (
        inspect.isgeneratorfunction(obj)
        and collector.istestfunction(obj, name)
        and _is_marked(collector, obj)
    ):
        return list(collector._genfunctions(name, obj))
    return None


def _finish(generator: Generator[Any, Any, Any], nodeid: str) -> None:
    """Resume a marked test after its check, so the code after its ``yield`` runs (its cleanup)."""
    try:
        next(generator)
    except StopIteration:
        return
    generator.close()
    pytest.fail(f"{nodeid}: a test marked {MARKER} yields one model, this one yields more", pytrace=False)


def _check(item: pytest.Function, model: object, options: dict[str, Any]) -> None:
    __tracebackhide__ = True
    from torch import nn

    if not isinstance(model, nn.Module):
        pytest.fail(
            f"{item.nodeid}: a test marked {MARKER} returns (or yields) the model to check, "
            f"this one gave {type(model).__name__}",
            pytrace=False,
        )
    _verifier(item).check(model, **options)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> object:
    marker = pyfuncitem.get_closest_marker(MARKER)
    if marker is None:
        return None
    __tracebackhide__ = True
    options = _mark_options(marker)
    # the arguments pytest's own pytest_pyfunc_call passes: the test's fixtures, by name
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    result = pyfuncitem.obj(**kwargs)
    if not inspect.isgenerator(result):
        _check(pyfuncitem, result, options)
        return True
    try:
        model = next(result)
    except StopIteration:
        pytest.fail(f"{pyfuncitem.nodeid}: the test yielded no model", pytrace=False)
    try:
        _check(pyfuncitem, model, options)
    finally:
        _finish(result, pyfuncitem.nodeid)
    return True


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    written = config.stash.get(_WRITTEN, [])
    if written:
        folder = config.getoption(OPTION)
        terminalreporter.write_line(
            f"resnet-verify: {len(written)} HTML report(s) of failing comparisons in {folder}"
        )
