"""``resnet-verify check`` and its ``[[tool.resnet-verify.models]]`` tables (#26): discovery, one
line per config error naming the key, one line per model, allowed findings, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.catalog import BY_NAME, path_of

from resnet_verify.cli.check_config import ConfigError, discover, load_config
from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def project(root: Path, tables: str, header: str = '[project]\nname = "demo"\n') -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(header + "\n" + tables)
    return root


# Fast models: family ResNets traced on meta at 32 px; the v1 one differs from resnet50 by design.
THREE = """
[[tool.resnet-verify.models]]
model = "resnet18"
input-size = 32
num-classes = 6

[[tool.resnet-verify.models]]
model = "resnet50_v1"
reference = "resnet50"
input-size = "3x32x32"
num-classes = 6
allow = ["resnet_v1_stride"]

[[tool.resnet-verify.models]]
model = "resnet34"
reference = "resnet18"
input-size = 32
num-classes = 6
"""


def test_every_key_is_read(tmp_path: Path) -> None:
    root = project(
        tmp_path / "p",
        """
[[tool.resnet-verify.models]]
model = "models/net.py:build"
reference = "old/net.py:build"
input-size = "3x48x48"
num-classes = 6
output-key = "logits"
allow = ["resnet_v1_stride", "fixed_size_head"]
""",
    )
    (entry,) = load_config(None, cwd=root).models
    assert entry.key == "tool.resnet-verify.models[0]"
    assert entry.shown == "models/net.py:build"
    assert Path(entry.model.rpartition(":")[0]) == root / "models" / "net.py"  # the config's folder
    assert Path(entry.reference.rpartition(":")[0]) == root / "old" / "net.py"  # type: ignore[union-attr]
    assert (entry.input_size, entry.num_classes, entry.output_key) == ("3x48x48", 6, "logits")
    assert entry.allow == ("resnet_v1_stride", "fixed_size_head")


def test_discovered_upward_past_a_pyproject_without_the_table(tmp_path: Path) -> None:
    root = project(tmp_path / "repo", THREE)
    inner = project(root / "sub" / "pkg", "", header='[project]\nname = "inner"\n')
    assert discover(inner.resolve()) == (root / "pyproject.toml").resolve()
    with pytest.raises(UsageError, match=r"no pyproject.toml with a \[tool.resnet-verify\] table"):
        discover((tmp_path / "elsewhere").resolve())


def test_config_errors_one_line_each_naming_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path / "p",
        """
[tool.resnet-verify]
modles = 1

[[tool.resnet-verify.models]]
model = "resnet18"
input_size = 32

[[tool.resnet-verify.models]]
model = "resnet18"
input-size = "big"
num-classes = 0
allow = ["resnet_v1_strid"]

[[tool.resnet-verify.models]]
reference = "resnet50"
""",
    )
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "check")
    assert code == 2 and out == ""
    lines = err.splitlines()
    expected = [
        "tool.resnet-verify.modles: unknown key (did you mean 'models'?)",
        "tool.resnet-verify.models[0].input_size: unknown key (did you mean 'input-size'?)",
        "tool.resnet-verify.models[1].input-size: malformed input size 'big'",
        "tool.resnet-verify.models[1].num-classes: expected a positive integer, got int 0",
        "tool.resnet-verify.models[1].allow: unknown finding pattern 'resnet_v1_strid' "
        "(did you mean 'resnet_v1_stride'?)",
        "tool.resnet-verify.models[2].model: missing",
    ]
    assert len(lines) == len(expected), err
    for line, part in zip(lines, expected):
        assert line.startswith("resnet-verify: error: ") and "pyproject.toml: " in line
        assert part in line, (part, line)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.resnet-verify]\nmodels = 3\n", "tool.resnet-verify.models: expected one or more"),
        ("[tool.resnet-verify\n", "invalid TOML"),
        ('[[tool.resnet-verify.models]]\nmodel = "nets/*.py:build"\n', "models[0].model: the pattern"),
    ],
)
def test_broken_configs_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(text)
    code, out, err = run(capsys, "check", "--config", str(config))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err


def test_config_file_given_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--config", str(tmp_path / "nope.toml"))
    assert code == 2 and "no such file" in err
    (tmp_path / "other.toml").write_text("[tool.ruff]\n")
    code, _, err = run(capsys, "check", "--config", str(tmp_path / "other.toml"))
    assert code == 2 and "has no [tool.resnet-verify] table" in err
    with pytest.raises(ConfigError) as caught:
        load_config(None, cwd=project(tmp_path / "q", "[[tool.resnet-verify.models]]\nmodel = 3\n"))
    assert caught.value.lines[0].endswith("models[0].model: expected a non-empty string, got int 3")


@pytest.mark.slow
def test_check_one_line_per_model_and_the_failing_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "p", THREE)
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "check", "--report-dir", "html")
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0] == "PASS  resnet18 vs resnet18 @ 1x3x32x32: match"
    assert lines[1].startswith("PASS  resnet50_v1 vs resnet50 @ 1x3x32x32: ")
    assert lines[1].endswith("allowed: resnet_v1_stride")
    assert lines[2].startswith("FAIL  resnet34 vs resnet18 @ 1x3x32x32: ") and "[block_counts]" in lines[2]
    assert lines[3] == "3 models: 2 passed, 1 failed"
    assert lines[5].startswith("resnet34 vs resnet18 @ 1x3x32x32")  # the failing model's full report
    assert "resnet50_v1 vs resnet50 @" not in "\n".join(lines[4:])  # a passing one's is not printed
    assert [p.name for p in (root / "html").iterdir()] == ["resnet34.html"]
    assert "<!DOCTYPE html>" in (root / "html" / "resnet34.html").read_text()


@pytest.mark.slow
def test_files_relative_to_the_config_and_github_annotations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    (root / "models").mkdir(parents=True)
    shutil.copy(path_of(BY_NAME["equiv_resnet18_renamed"]), root / "models" / "a_good.py")
    shutil.copy(path_of(BY_NAME["broken_resnet18_missing_block"]), root / "models" / "b_bad.py")
    project(
        root,
        """
[[tool.resnet-verify.models]]
model = "models/*.py:build"
reference = "resnet18"
input-size = 32
num-classes = 6
""",
    )
    monkeypatch.chdir(root / "models")  # run from a subfolder: paths still mean the config's
    code, out, err = run(capsys, "check", "--format", "github")
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].startswith("PASS  models/a_good.py:build vs resnet18")
    assert lines[1].startswith("FAIL  models/b_bad.py:build vs resnet18")
    assert any(line.startswith("::error file=") for line in lines[3:])


def test_a_model_that_does_not_build_is_an_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path / "p",
        """
[[tool.resnet-verify.models]]
model = "resnet18"
input-size = 32

[[tool.resnet-verify.models]]
model = "models/missing.py:build"
""",
    )
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "check")
    assert code == 2, err
    lines = out.splitlines()
    assert lines[0] == "PASS  resnet18 vs resnet18 @ 1x3x32x32: match"
    assert lines[1].startswith("ERROR models/missing.py:build: model file not found")
    assert lines[2] == "2 models: 1 passed, 1 could not be checked"


def test_the_readme_config_and_the_pre_commit_hook(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = (
        readme.split("### In CI: `resnet-verify check`", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    )
    models = load_config(None, cwd=project(tmp_path / "p", example)).models
    assert [m.shown for m in models] == ["models/resnet50.py:build", "models/keras_port.py:build"]
    assert models[1].allow == ("resnet_v1_stride",)
    hook = (root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "entry: resnet-verify check" in hook and "language: python" in hook
