"""The pytest plugin (#26), run inside pytest's own ``pytester``: the marker on a test that returns
or yields its model, the ``resnet_verify`` fixture, the report folder, and ``-p no:resnet_verify``."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# The inner runs are as strict as this project's: a warning or an unknown marker is an error.
INI = """
[pytest]
addopts = --strict-markers
filterwarnings = error
"""

TESTS = """
import pytest
from resnet_verify.models import resnet18, resnet34


@pytest.mark.resnet_verify(reference="resnet18", input_size=32)
def test_returns_a_matching_model():
    return resnet18(num_classes=6)


@pytest.mark.resnet_verify(reference="resnet18", input_size=32)
def test_returns_a_deeper_model():
    return resnet34(num_classes=6)


@pytest.mark.resnet_verify("resnet18", input_size=32)
def test_yields_and_cleans_up(tmp_path):
    (tmp_path / "before").touch()
    yield resnet18(num_classes=6)
    (tmp_path / "after").touch()
    print("cleaned up")


def test_fixture(resnet_verify):
    comparison = resnet_verify.check(resnet18(num_classes=6), "resnet18", input_size=32)
    assert comparison.ok
    assert not resnet_verify.compare(resnet34(num_classes=6), "resnet18", input_size=32).ok
    assert hasattr(resnet_verify.strategies, "resnet_configs")
"""


MISUSED = """
import pytest
from resnet_verify.models import resnet18


@pytest.mark.resnet_verify(referense="resnet18")
def test_typo():
    return resnet18()


@pytest.mark.resnet_verify(input_size=32)
def test_returns_nothing():
    pass
"""


@pytest.fixture(autouse=True)
def _a_plain_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner runs are plain pytest sessions: an outer xdist worker's settings must not leak into
    them (pytest-benchmark reads them and warns, an error under ``filterwarnings = error``)."""
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INI)
    pytester.makepyfile(test_models=TESTS, test_misused=MISUSED)
    return pytester


# Inner runs that build models run in a subprocess: an in-process run drops the modules it imported
# when it ends (torch's lazily imported parts included), and importing those twice crashes torch.
@pytest.mark.slow
def test_marked_tests_pass_and_fail_with_the_report(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess("-s", "--resnet-verify-report", "html")
    result.assert_outcomes(passed=3, failed=3)
    out = result.stdout.str()
    # the failure's message is the text report: header, finding, stage table
    result.stdout.fnmatch_lines(
        ["*test_returns_a_deeper_model*", "E  *AssertionError: ResNet vs resnet18 @ 1x3x32x32, 6 classes*"]
    )
    assert "    Findings (1)\n      * Block counts differ [block_counts]\n" in out
    assert "@pytest.mark.resnet_verify: unknown keyword 'referense'" in out
    assert "returns (or yields) the model to check, this one gave NoneType" in out
    assert "cleaned up" in out  # the code after the yield ran
    assert "resnet-verify: 1 HTML report(s) of failing comparisons in html" in out
    reports = sorted((suite.path / "html").iterdir())
    assert [p.name for p in reports] == ["test_models.py_test_returns_a_deeper_model.html"]
    assert "<!DOCTYPE html>" in reports[0].read_text()


@pytest.mark.slow
def test_loaded_from_the_entry_point_and_switched_off(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.resnet_verify
        def test_marked():
            pass
        """
    )
    shown = pytester.runpytest_subprocess("--help")
    shown.stdout.fnmatch_lines(["*--resnet-verify-report=DIR*"])
    off = pytester.runpytest_subprocess("-p", "no:resnet_verify")
    assert off.ret == pytest.ExitCode.INTERRUPTED  # a collection error: the marker is unknown
    assert "Unknown pytest.mark.resnet_verify" in off.stdout.str()
    hidden = pytester.runpytest_subprocess("-p", "no:resnet_verify", "--help")
    assert "--resnet-verify-report" not in hidden.stdout.str()


def test_the_plugin_module_does_not_import_torch(pytester: pytest.Pytester) -> None:
    # every pytest run in the environment loads it: it must stay cheap
    pytester.makepyfile(
        """
        import sys

        def test_torch_not_loaded_by_the_plugin(request):
            assert request.config.pluginmanager.has_plugin("resnet_verify")
            assert "torch" not in sys.modules
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_report_names_stay_unique(tmp_path: Path) -> None:
    from resnet_verify.pytest_plugin import Verifier

    written: list[Path] = []
    verifier = Verifier("tests/test_a.py::test_x[case 1]", tmp_path, written)
    verifier._write("<p>one</p>")
    verifier._write("<p>two</p>")
    assert [p.name for p in written] == [
        "tests_test_a.py_test_x_case_1.html",
        "tests_test_a.py_test_x_case_1-2.html",
    ]
