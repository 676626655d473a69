"""``git:REV:path/to/model.py:CALLABLE`` specs and ``check --against REV`` (#26): a model built from
its file as it was at a revision, sibling modules included, with the work tree left alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from torch import nn

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.specs.builders import build_model
from resnet_verify.specs.git_specs import GitSpec, parse_git_spec

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SIBLING = "rv_git_test_blocks"  # a module name no other test imports: sys.modules is per process

BLOCKS = """from torch import nn

STRIDE_ON_1X1 = False


class Bottleneck(nn.Module):
    def __init__(self, cin, planes, stride=1):
        super().__init__()
        s1, s3 = (stride, 1) if STRIDE_ON_1X1 else (1, stride)
        self.conv1 = nn.Conv2d(cin, planes, 1, stride=s1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=s3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU()
        self.down = None
        if stride != 1 or cin != planes * 4:
            self.down = nn.Sequential(
                nn.Conv2d(cin, planes * 4, 1, stride=stride, bias=False), nn.BatchNorm2d(planes * 4)
            )

    def forward(self, x):
        shortcut = x if self.down is None else self.down(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        return self.relu(self.bn3(self.conv3(out)) + shortcut)
"""
CONV1_LINE = 10  # the line of BLOCKS that builds conv1, where v1 puts the stride

NET = f"""import torch
from torch import nn

from {SIBLING} import Bottleneck


class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = Bottleneck(16, 8, 1)
        self.layer2 = Bottleneck(32, 16, 2)
        self.layer3 = Bottleneck(64, 32, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(128, num_classes)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        return self.fc(torch.flatten(self.pool(x), 1))


def build(num_classes=10):
    return Net(num_classes)
"""

CONFIG = """[project]
name = "demo"

[[tool.resnet-verify.models]]
model = "models/net.py:build"
input-size = 32

[[tool.resnet-verify.models]]
model = "resnet18"
input-size = 32
"""


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture(autouse=True)
def _forget_sibling():
    """Each test's repository has its own copy of the sibling module: none may leak into the next."""
    sys.modules.pop(SIBLING, None)
    yield
    sys.modules.pop(SIBLING, None)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project whose second commit moves the stride of every first block to the 1x1 conv (v1)."""
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "models" / f"{SIBLING}.py").write_text(BLOCKS)
    (root / "models" / "net.py").write_text(NET)
    (root / "pyproject.toml").write_text(CONFIG)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "v1.5")
    blocks = root / "models" / f"{SIBLING}.py"
    blocks.write_text(BLOCKS.replace("STRIDE_ON_1X1 = False", "STRIDE_ON_1X1 = True"))
    _git(root, "commit", "-qam", "v1")
    return root


def _strides(model: nn.Module) -> tuple[object, object]:
    """The strides of the first 1x1 and the 3x3 conv of layer2's block."""
    return model.get_submodule("layer2.conv1").stride, model.get_submodule("layer2.conv2").stride


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_git_spec() -> None:
    assert parse_git_spec("git:HEAD~1:models/net.py:build") == GitSpec("HEAD~1", "models/net.py", "build")
    assert parse_git_spec(" git:v1.2:a/b.py:Net.make ").spec() == "git:v1.2:a/b.py:Net.make"
    for bad, why in (
        ("git:HEAD:net.py", "expected git:REV"),
        ("git::net.py:build", "expected git:REV"),
        ("git:HEAD:models:build", "not a .py file"),
        ("git:HEAD:net.py:9x", "not a Python name"),
        ("git:--all:net.py:build", "not a revision"),
    ):
        with pytest.raises(UsageError, match=why):
            parse_git_spec(bad)


def test_built_as_at_the_revision_with_its_siblings(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    before = (repo / "models" / f"{SIBLING}.py").read_text()
    now, _ = build_model("models/net.py:build", num_classes=None)  # imports the work tree's sibling
    old, name = build_model("git:HEAD~1:models/net.py:build", num_classes=None)
    assert name == "git:HEAD~1:models/net.py:build"
    assert _strides(now) == ((2, 2), (1, 1))  # v1: on the 1x1
    assert _strides(old) == ((1, 1), (2, 2))  # v1.5: on the 3x3, from the sibling as it was
    again, _ = build_model("models/net.py:build", num_classes=None)
    assert _strides(again) == ((2, 2), (1, 1))  # the work tree's sibling again, not the revision's
    assert (repo / "models" / f"{SIBLING}.py").read_text() == before
    assert _git(repo, "status", "--porcelain") == ""  # work tree and index untouched


def test_compare_names_the_revision_file_as_git_does(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    old, now = "git:HEAD~1:models/net.py:build", "models/net.py:build"
    code, out, err = run(capsys, "compare", "--model", old, "--reference", now, "--input-size", "32")
    assert code == 1, err
    assert out.startswith("git:HEAD~1:models/net.py:build vs models/net.py:build")
    assert "[resnet_v1_stride]" in out
    assert f"HEAD~1:models/{SIBLING}.py:12" in out  # the candidate's 3x3 conv, at the revision


def test_check_against_previous_commit_fails_at_the_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, "check", "--against", "HEAD~1")
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].startswith("FAIL  models/net.py:build vs git:HEAD~1:models/net.py:build")
    assert "[resnet_v1_stride]" in lines[0]
    assert lines[1] == "SKIP  resnet18: not a file of the repository"
    assert f"fix: layer2.conv1 (models/{SIBLING}.py:{CONV1_LINE})" in out


def test_check_against_the_same_commit_passes(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo / "models")  # the config is found from a subfolder
    code, out, err = run(capsys, "check", "--against", "HEAD")
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith("PASS  models/net.py:build vs git:HEAD:") and first.endswith(": match")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("check", "--against", "no-such-branch"), "unknown revision 'no-such-branch'"),
        (("compare", "--model", "git:HEAD~9:models/net.py:build"), "unknown revision 'HEAD~9'"),
        (
            ("compare", "--model", "git:HEAD~1:models/gone.py:build"),
            "models/gone.py does not exist at HEAD~1",
        ),
        (("compare", "--model", "git:HEAD:models:build"), "is not a .py file"),
    ],
)
def test_bad_revision_or_path_is_one_line(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err


def test_outside_a_repository_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "net.py").write_text(NET)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never the repository above /tmp
    code, _, err = run(capsys, "compare", "--model", "git:HEAD:net.py:build")
    assert code == 2
    assert len(err.splitlines()) == 1 and "is not in a git repository" in err, err
