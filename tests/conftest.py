"""Shared test helpers: fixture models are loaded from their own files, like a user's spec."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))  # makes `fixtures.catalog` importable without a package install

from fixtures.catalog import Fixture, path_of  # noqa: E402


def fixture_spec(f: Fixture) -> str:
    return f"{path_of(f)}:build"


@pytest.fixture
def build_fixture():
    from resnet_verify.specs.builders import build_model

    def _build(f: Fixture, num_classes: int = 6, device: str | None = "meta"):
        # Tracing runs on meta tensors anyway; building there skips the weight init.
        return build_model(fixture_spec(f), num_classes=num_classes, device=device)[0]

    return _build


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the golden reports under reports/golden/ instead of diffing",
    )


@pytest.fixture(autouse=True, scope="session")
def _private_reference_cache(tmp_path_factory: pytest.TempPathFactory):
    """Tests (and the CLI subprocesses they start) use a reference cache of their own, never the
    user's ~/.cache; tests of the cache itself point RESNET_VERIFY_CACHE_DIR elsewhere."""
    import os

    folder = tmp_path_factory.mktemp("reference-cache")
    old = os.environ.get("RESNET_VERIFY_CACHE_DIR")
    os.environ["RESNET_VERIFY_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("RESNET_VERIFY_CACHE_DIR", None)
    else:
        os.environ["RESNET_VERIFY_CACHE_DIR"] = old
