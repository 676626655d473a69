"""Errors raised while building the user's model name the user's line; no internal module name
reaches a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.cli.main import main

BUILDER = """import torch.nn as nn


class Net(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.fc = nn.Linear(10, n)
        raise ValueError("widths must be a list")


def build(num_classes=1000):
    return Net(num_classes)
"""


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "net.py"
    path.write_text(BUILDER)
    return path


def test_an_exception_in_init_names_the_users_line(
    model_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["compare", "--model", f"{model_file}:build", "--reference", "resnet18"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert err.endswith(f"raised ValueError: widths must be a list (at {model_file.as_posix()}:8)")


def test_a_misspelt_callable_names_the_file_not_an_internal_module(
    model_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["compare", "--model", f"{model_file}:biuld", "--reference", "resnet18"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "_resnet_verify_user_" not in err
    assert "net.py has no attribute 'biuld' (did you mean build?)" in err
