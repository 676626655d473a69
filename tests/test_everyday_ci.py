"""Tests anywhere: the README's test command is CI's, and the SIGNS tests find the data through
``$RESNET_VERIFY_SIGNS`` as well as beside the checkout, saying where they looked when they skip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures import real_signs

REPO = Path(__file__).resolve().parents[1]


def _readme_test_command() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    assert block is not None
    lines = block.group(1).splitlines()
    command = next(lines[i + 1] for i, line in enumerate(lines) if line.startswith("# 2."))
    return [part.strip() for part in command.split("&&")]


def _ci_commands() -> list[str]:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [
        line.strip()
        for line in lines
        if line.strip().startswith(("python3 -m pip install", "python3 -m pytest"))
    ]


def test_the_readme_runs_the_tests_exactly_as_ci_does() -> None:
    readme = _readme_test_command()
    assert readme == _ci_commands()
    assert "'.[test,dev]'" in readme[1]  # the dev extra too: mypy runs a README test


def test_signs_found_through_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(real_signs.ENV, str(tmp_path))
    assert real_signs.candidates()[0] == tmp_path
    assert real_signs.find_signs() == tmp_path


def test_the_skip_reason_names_every_place_tried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nowhere"
    monkeypatch.setenv(real_signs.ENV, str(missing))
    reason = real_signs.skip_reason()
    assert f"$RESNET_VERIFY_SIGNS={missing}" in reason and str(real_signs.BESIDE_CHECKOUT) in reason
    monkeypatch.delenv(real_signs.ENV)
    assert "$RESNET_VERIFY_SIGNS (not set)" in real_signs.skip_reason()
    assert real_signs.candidates() == [real_signs.BESIDE_CHECKOUT]
