"""The README's Python examples type-check (mypy) and the API one runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_readme_has_python_examples() -> None:
    assert any("resnet_verify.compare(" in b for b in _blocks())


@pytest.mark.slow
def test_readme_examples_type_check(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    files = []
    for i, block in enumerate(_blocks()):
        path = tmp_path / f"readme_example_{i}.py"
        path.write_text(block, encoding="utf-8")
        files.append(str(path))
    out, err, _status = api.run(
        ["--ignore-missing-imports", "--no-error-summary", "--cache-dir", str(tmp_path / ".mypy"), *files]
    )
    # Names a user supplies (their model class) are the only thing allowed to be undefined.
    errors = [line for line in out.splitlines() if "error:" in line and "is not defined" not in line]
    assert not errors, "\n".join(errors) + err


def test_readme_api_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    block = next(b for b in _blocks() if "resnet_verify.compare(" in b)
    exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "resnet_v1_stride" in out and "MATCH" not in out.splitlines()[0]
