"""``compare --fix``: the findings' fixes as a verified diff of the user's source (issue #27).

Every fix is checked the way the issue asks: ``--fix --write`` on a copy, then a plain compare of
the written file exits 0; every refusal leaves the file alone and says why (an inexact line, a value
computed from variables, a patch that compares worse than the file as written)."""

from __future__ import annotations

import difflib
import importlib.util
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from resnet_verify.cli.main import main
from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.fixes import conv_bias
from resnet_verify.verify.fixes.check import Rerun, compare_patched
from resnet_verify.verify.fixes.context import FixContext
from resnet_verify.verify.fixes.plan import Plan, plan
from resnet_verify.verify.fixes.records import Edit, Fix, Status
from resnet_verify.verify.fixes.registry import WRITERS
from resnet_verify.verify.records import Pattern

TESTS = Path(__file__).resolve().parent
FIXES = TESTS / "fixtures" / "fixes"
POST = TESTS / "fixtures" / "quirky" / "blog_post_resnet50.py"
SIZE = (3, 64, 64)


@pytest.fixture(autouse=True)
def _fresh_siblings() -> Iterator[None]:
    """The fixtures' sibling modules imported afresh by each test (the copies live in its own folder):
    Python keeps the first ``split_blocks`` it imports for the whole process."""
    yield
    for name in ("split_blocks", "resnet18_parts"):
        sys.modules.pop(name, None)


def _copy(tmp_path: Path, *names: str) -> Path:
    for name in (*names, "resnet18_parts.py"):
        shutil.copy(FIXES / name, tmp_path / name)
    return tmp_path / names[0]


def _plan(spec: str, reference: str, classes: int = 6, writers: Mapping = WRITERS) -> Plan:
    model, _ = build_model(spec, num_classes=classes, input_size=SIZE)
    before = compare(model, reference, input_size=SIZE, num_classes=classes)
    rerun = Rerun(spec, reference, SIZE, classes)
    return plan(before, lambda files: compare_patched(rerun, files), writers)


def _clean(spec: str, reference: str, classes: int = 6) -> bool:
    sys.modules.pop("split_blocks", None)  # the model as written now, not as first imported
    model, _ = build_model(spec, num_classes=classes, input_size=SIZE)
    return compare(model, reference, input_size=SIZE, num_classes=classes).ok


def _fix(spec: str, reference: str, *more: str) -> list[str]:
    return ["compare", "--model", spec, "--reference", reference, "--num-classes", "6", "--fix", *more]


@pytest.mark.slow
def test_the_blog_post_model_is_fixed_by_one_write(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.chdir(tmp_path)
    original = POST.read_text()
    (tmp_path / POST.name).write_text(original)
    spec = f"{POST.name}:build"
    assert main(_fix(spec, "resnet50")) == 1  # the diff alone: the file is still as written
    out = capsys.readouterr().out
    assert (tmp_path / POST.name).read_text() == original
    diff, summary = out.split("fixes (", 1)
    golden = FIXES / "blog_post_resnet50.diff"
    if request.config.getoption("--update-goldens"):
        golden.write_text(diff)
    assert diff == golden.read_text(), "the diff drifted: rerun with --update-goldens and review it"
    assert "after this patch: no mismatch" in summary
    for pattern in ("bool_argument", "resnet_v1_stride", "fixed_size_head", "conv_bias_before_bn"):
        assert f"  {pattern} [" in summary
    assert main(_fix(spec, "resnet50", "--write")) == 0
    assert (tmp_path / f"{POST.name}.orig").read_text() == original
    assert main(["compare", "--model", spec, "--num-classes", "6"]) == 0


@pytest.mark.slow
def test_formatting_comments_and_quotes_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _copy(tmp_path, "formatted_resnet18.py")
    before = path.read_text()
    assert main(_fix(f"{path.name}:build", "resnet18", "--write", "--no-backup")) == 0
    assert not (tmp_path / f"{path.name}.orig").exists()
    lines = difflib.ndiff(before.splitlines(), path.read_text().splitlines())
    changed = [line[0] + line[2:] for line in lines if line[:1] in "+-"]
    assert changed == [
        "-        padding=True,  # PyTorch 1.x read this as 1",
        "+        padding=1,  # PyTorch 1.x read this as 1",
        "+        bias=False,",
        "-        eps=1e-3,  # Keras' epsilon",
        "-        momentum=0.99,  # Keras' momentum (PyTorch's would be 0.01)",
        "-            self.project = nn.Sequential(nn.Conv2d(cin, cout, 1, stride), norm(cout))",
        "+            self.project = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), norm(cout))",
        "-            nn.Conv2d(3, 64, 7, 2, 3),  # the stem conv",
        "+            nn.Conv2d(3, 64, 7, 2, 3, bias=False),  # the stem conv",
    ]
    assert "STYLE = 'long-hand'  # the quotes stay single" in path.read_text()
    assert "3 findings" not in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "builder", "reference", "pattern"),
    [
        ("heads.py", "build", "resnet18", "linear_in_features"),
        ("heads.py", "build_typed_classes", "resnet18", "hard_coded_class_count"),
        ("heads.py", "build_fixed", "resnet18", "fixed_size_head"),
        ("projection_typo.py", "build", "resnet18", "conv_in_channels"),
        ("v1_bottleneck.py", "build", "resnet50", "resnet_v1_stride"),
        ("split_model.py", "build", "resnet18", "bool_argument"),
    ],
)
def test_each_fix_writes_a_file_that_compares_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, builder: str, reference: str, pattern: str
) -> None:
    path = _copy(tmp_path, name, "split_blocks.py")
    spec = f"{path}:{builder}"
    assert main(_fix(spec, reference, "--write")) == 0
    out = capsys.readouterr().out
    assert f"  {pattern} [" in out and "after this patch: no mismatch" in out
    assert _clean(spec, reference)


@pytest.mark.slow
def test_a_fix_in_a_sibling_module_edits_that_file_only(tmp_path: Path) -> None:
    path = _copy(tmp_path, "split_model.py", "split_blocks.py")
    result = _plan(f"{path}:build", "resnet18")
    assert [Path(f.display).name for f in result.files] == ["split_blocks.py"]
    assert [o.status for o in result.outcomes] == [Status.FIXED, Status.FIXED]
    assert "split_blocks" in sys.modules  # the user's module is put back as it was imported
    assert "padding=True" in Path(sys.modules["split_blocks"].__file__ or "").read_text()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("spec", "reference", "pattern", "why"),
    [
        ("heads.py:build_computed", "resnet18", "linear_in_features", "is computed (`WIDTH // 2`)"),
        ("heads.py:build_unreachable_classes", "resnet18", "hard_coded_class_count", "no one variable"),
        ("heads.py:build_functional_pool", "resnet18", "fixed_size_head", "a function call in forward"),
        ("projection_typo.py:build_computed", "resnet18", "conv_in_channels", "is computed (`STEM - 18`)"),
        ("v1_bottleneck.py:build_helper", "resnet50", "resnet_v1_stride", "(a helper)"),
        ("helper_classifier.py:build", "helper_classifier.py:build_reference", "conv_bias_before_bn",
         "checked and is not offered: with it, 1 unexplained mismatch"),
        ("../models/broken_v1_stride_layer3.py:build", "resnet50", "resnet_v1_stride", "not a literal 1"),
    ],
)  # fmt: skip
def test_refusals_leave_the_file_alone_and_say_why(spec: str, reference: str, pattern: str, why: str) -> None:
    reference = str(FIXES / reference) if reference.endswith(":build_reference") else reference
    result = _plan(str(FIXES / spec), reference)
    assert result.files == () and result.after is None
    (outcome,) = [o for o in result.outcomes if o.pattern.value == pattern]
    assert outcome.status is Status.REFUSED and why in outcome.reason, outcome.reason


@pytest.mark.slow
def test_an_inexact_line_gets_no_patch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(tmp_path, "formatted_resnet18.py")
    spec = importlib.util.spec_from_file_location("formatted_unrecorded", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "formatted_unrecorded", module)  # imported as a user would
    spec.loader.exec_module(module)
    before = compare(module.build(6), "resnet18", input_size=SIZE, num_classes=6)  # built unrecorded

    def never(files: object) -> object:
        raise AssertionError("nothing is patched, so nothing is compared again")

    result = plan(before, never)  # type: ignore[arg-type]
    assert result.files == () and len(result.outcomes) == 3
    assert all(o.status is Status.REFUSED and "inexact" in o.reason for o in result.outcomes)


def _worse(bad: Edit | None) -> Mapping:
    def write(ctx: FixContext) -> Fix:
        fix = conv_bias.write(ctx)
        edits = fix.edits if bad is None else (*fix.edits, bad)
        return Fix(fix.pattern, fix.title, edits, fix.applicability)

    return {**WRITERS, Pattern.BIAS_BEFORE_BN: write}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("line", "column", "end", "text", "why"),
    [(50, 29, 30, "5", "with it, 1 unexplained mismatch"), (50, 12, 12, "(", "does not parse")],
)
def test_a_patch_that_makes_things_worse_is_never_shown(
    tmp_path: Path, line: int, column: int, end: int, text: str, why: str
) -> None:
    path = _copy(tmp_path, "formatted_resnet18.py")
    assert path.read_text().splitlines()[line - 1][column:end] in ("7", "")
    result = _plan(
        f"{path}:build", "resnet18", writers=_worse(Edit(str(path), line, column, line, end, text))
    )
    status = {o.pattern: o for o in result.outcomes}
    assert status[Pattern.BOOL_ARGUMENT].status is Status.FIXED
    assert status[Pattern.KERAS_BATCHNORM].status is Status.FIXED
    refused = status[Pattern.BIAS_BEFORE_BN]
    assert refused.status is Status.REFUSED and why in refused.reason, refused.reason
    assert result.after is not None and [f.pattern for f in result.after.findings] == [Pattern.BIAS_BEFORE_BN]
    assert "7, 2, 3)" in "".join(f.new for f in result.files)  # the bad edit is in no patch shown


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "resnet50", "--fix"], "library model"),
        (["--model", "m.py:build", "--write"], "--write needs --fix"),
        (["--model", "m.py:build", "--fix", "--no-backup"], "--no-backup needs --write"),
        (["--model", "git:HEAD:m.py:build", "--fix"], "git: revision"),
        (["--model", "nb.ipynb:build", "--fix"], "notebooks"),
        (["--model", "a.py:build", "--model", "b.py:build", "--fix"], "one model"),
        (["--model", "m.py:build", "--fix", "--format", "json"], "prints a diff"),
        (["--model", "torchvision.models:resnet18", "--fix"], "installed package"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["compare", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.slow
def test_an_existing_backup_is_not_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _copy(tmp_path, "heads.py")
    (tmp_path / "heads.py.orig").write_text("mine\n")
    before = path.read_text()
    assert main(_fix(f"{path}:build", "resnet18", "--write")) == 2
    assert "heads.py.orig exists" in capsys.readouterr().err
    assert path.read_text() == before and (tmp_path / "heads.py.orig").read_text() == "mine\n"


@pytest.mark.slow
def test_a_model_that_matches_has_nothing_to_fix(capsys: pytest.CaptureFixture[str]) -> None:
    spec = f"{TESTS / 'fixtures' / 'models' / 'equiv_resnet18_renamed.py'}:build"
    assert main(_fix(spec, "resnet18")) == 0
    assert capsys.readouterr().out.startswith("nothing to fix:")


@pytest.mark.slow
def test_a_module_spec_in_the_users_package_is_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "userpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(FIXES / "formatted_resnet18.py", package / "net.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert main(_fix("userpkg.net:build", "resnet18", "--write")) == 0
        assert "after this patch: no mismatch" in capsys.readouterr().out
        assert "padding=1,  # PyTorch 1.x read this as 1" in (package / "net.py").read_text()
        assert (package / "net.py.orig").read_text() == (FIXES / "formatted_resnet18.py").read_text()
        for name in ("userpkg.net", "userpkg"):  # imported as written before the fix: import it anew
            sys.modules.pop(name, None)
        assert _clean("userpkg.net:build", "resnet18")
    finally:
        for name in ("userpkg.net", "userpkg"):
            sys.modules.pop(name, None)
