"""``compare`` over many models in one process, ``--no-cache``, and what a warm compare imports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.catalog import BY_NAME, path_of

from resnet_verify.cli.main import main
from resnet_verify.cli.many_models import expand_specs, report_names
from resnet_verify.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
SIZE = ("--input-size", "32", "--num-classes", "6")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_files(tmp_path: Path) -> Path:
    """A folder with one equivalent and one broken ResNet18 file, as a user's models/ folder."""
    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy(path_of(BY_NAME["equiv_resnet18_renamed"]), folder / "a_good.py")
    shutil.copy(path_of(BY_NAME["broken_resnet18_missing_block"]), folder / "b_bad.py")
    return folder


def test_expand_specs_globs_the_file_part(two_files: Path) -> None:
    specs = expand_specs([f"{two_files}/*.py:build", "resnet18", "resnet18"])
    assert specs == [f"{two_files}/a_good.py:build", f"{two_files}/b_bad.py:build", "resnet18"]
    with pytest.raises(UsageError, match="matches no file"):
        expand_specs([f"{two_files}/*.txt:build"])


def test_report_names_are_unique() -> None:
    names = report_names(["a/net.py:build", "b/net.py:build", "resnet50", "torchvision:resnet50"], "markdown")
    assert names == ["net.build.md", "net.build-2.md", "resnet50.md", "torchvision.resnet50.md"]


def test_many_models_one_report_each_exit_1(capsys: pytest.CaptureFixture[str], two_files: Path) -> None:
    out_dir = two_files.parent / "reports"
    code, out, err = run(
        capsys,
        "compare",
        "--model",
        f"{two_files}/*.py:build",
        "--model",
        "resnet18",
        "--reference",
        "resnet18",
        *SIZE,
        "--format",
        "json",
        "--output",
        str(out_dir),
    )
    assert code == 1, err
    assert out == ""
    reports = {p.name: json.loads(p.read_text()) for p in out_dir.iterdir()}
    assert sorted(reports) == ["a_good.build.json", "b_bad.build.json", "resnet18.json"]
    assert reports["a_good.build.json"]["ok"] and reports["resnet18.json"]["ok"]
    assert not reports["b_bad.build.json"]["ok"]


def test_many_clean_models_exit_0_on_stdout(capsys: pytest.CaptureFixture[str], two_files: Path) -> None:
    code, out, err = run(
        capsys,
        "compare",
        "--model",
        f"{two_files}/a_*.py:build",
        "--model",
        "resnet18",
        "--reference",
        "resnet18",
        *SIZE,
    )
    assert code == 0, err
    assert out.count("a_good.py:build") >= 1 and "resnet18" in out


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--model", "nowhere/*.py:build"], "matches no file"),
        (["--model", "missing_file.py:build"], "not found"),
        (["--format", "json"], "give --output FOLDER"),
        (["--output", "__FILE__"], "is a file"),
        (["--output", "/no/such/parent/reports"], "does not exist"),
    ],
)
def test_bad_input_exits_2_before_any_work(
    capsys: pytest.CaptureFixture[str],
    two_files: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    needle: str,
) -> None:
    import resnet_verify.specs.builders as builders

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("a model was built before the command line was checked")

    monkeypatch.setattr(builders, "build_model", no_work)
    a_file = two_files / "a_good.py"
    extra = [str(a_file) if e == "__FILE__" else e for e in extra]
    code, out, err = run(capsys, "compare", "--model", f"{two_files}/*.py:build", *SIZE, *extra)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err, err


def test_a_model_that_fails_to_build_exits_2_and_the_others_still_run(
    capsys: pytest.CaptureFixture[str], two_files: Path
) -> None:
    (two_files / "c_broken.py").write_text("raise RuntimeError('oops')\n")
    out_dir = two_files.parent / "reports"
    code, _, err = run(
        capsys,
        "compare",
        "--model",
        f"{two_files}/*.py:build",
        "--reference",
        "resnet18",
        *SIZE,
        "--output",
        str(out_dir),
    )
    assert code == 2
    assert "c_broken.py" in err and "oops" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["a_good.build.txt", "b_bad.build.txt"]


def test_no_cache_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resnet_verify.verify import comparison

    folder = tmp_path / "cache"
    monkeypatch.setenv("RESNET_VERIFY_CACHE_DIR", str(folder))
    comparison.reference_trace.cache_clear()
    code, _, err = run(
        capsys, "compare", "--model", "resnet18", "--reference", "resnet18", *SIZE, "--no-cache"
    )
    assert code == 0, err
    assert not folder.exists()
    code, _, err = run(capsys, "compare", "--model", "resnet18", "--reference", "resnet18", *SIZE)
    assert code == 0, err
    assert len(list(folder.glob("trace-*.json"))) == 1
    comparison.reference_trace.cache_clear()


HEAVY = ("torchvision", "matplotlib", "h5py", "PIL", "torchinfo", "hypothesis", "tqdm")


def _imported(argv: list[str], env: dict[str, str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.slow
def test_warm_compare_imports_nothing_heavy(tmp_path: Path) -> None:
    env = {**os.environ, "RESNET_VERIFY_CACHE_DIR": str(tmp_path / "cache")}
    command = ["-m", "resnet_verify", "compare", "--model", "resnet50", "--input-size", "64"]
    cold = _imported(command, env)
    assert "torchvision" in cold  # the first compare builds the reference (else this test proves nothing)
    warm = _imported(command, env)
    torch_alone = _imported(["-c", "import torch"], env)  # torch itself imports tqdm (torch.hub)
    heavy = {n for n in warm if n.split(".")[0] in HEAVY and n not in torch_alone}
    assert not heavy, sorted(heavy)
    # torch._dynamo (~0.8 s) comes with torch's meta kernels: a small CPU model traces on CPU instead.
    assert "torch._dynamo" not in warm and "torch._dynamo" not in torch_alone
    # torch.utils.flop_counter imports triton (a CUDA torch build ships it) unless the CLI hides it.
    assert "triton" not in warm and "triton.language" not in warm


def test_flop_counter_imported_without_triton_still_counts_and_triton_stays_importable() -> None:
    code = (
        "import sys, importlib.util\n"
        "from resnet_verify._fast_import import import_flop_counter_without_triton as f\n"
        "f()\n"
        "import torch\n"
        "from resnet_verify.tracing.flop_mode import FlopCount\n"
        "with FlopCount() as c: torch.nn.functional.linear(torch.ones(2, 3), torch.ones(4, 3))\n"
        "print(c.total, 'triton' in sys.modules, importlib.util.find_spec('triton') is not None)\n"
        "if importlib.util.find_spec('triton') is not None:\n"
        "    import triton.runtime.jit\n"
        "    print('imported')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]
    total, loaded, installed = done.stdout.split("\n")[0].split()
    assert (total, loaded) == ("48", "False")  # 2x3 @ 3x4: 2*2*3*4 FLOPs; triton not loaded by the hide
    assert done.stdout.count("imported") == (installed == "True")
