"""``fuzz-block`` / ``check_block``: users' own residual blocks, property-tested against the reference.

Fixtures (``tests/fixtures/blocks/``, manifest ``catalog.py``): correct blocks in four signature
styles must pass; seeded bugs and the founding article's blocks must fail with a shrunk
counterexample whose cause names the bug and its line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import torch
from fixtures.blocks import builder_style, keras_port, planes_style, torchvision_like
from fixtures.blocks.catalog import BLOG_POST, CORRECT, SEEDED_BUGS, BlockFixture
from hypothesis import given, settings
from torch import nn

from resnet_verify.cli.main import main
from resnet_verify.errors import UsageError
from resnet_verify.testing import block_cases, check_block, check_case
from resnet_verify.testing.block_check import BlockCheck, FailureKind
from resnet_verify.testing.block_loader import load_factory
from resnet_verify.testing.block_signature import Role, Shortcut, map_signature, parse_map

README = Path(__file__).resolve().parents[1] / "README.md"


def _check(f: BlockFixture, examples: int, seed: int = 0) -> BlockCheck:
    factory, _ = load_factory(f.spec)
    return check_block(
        factory, f.kind, stride_in=f.stride_in, mapping=f.mapping, examples=examples, seed=seed
    )


def _assert_named(f: BlockFixture, result: BlockCheck) -> None:
    failure = result.failure
    assert failure is not None, f"{f.name}: no counterexample in {result.runs} configs"
    text = " ".join((failure.cause, *failure.details)).lower()
    missing = [w for w in f.cause if w.lower() not in text]
    assert not missing, f"{f.name}: {missing} not in {failure.cause!r}"
    if f.marker is not None:
        where = f"{f.path.name}:{f.line()}"
        assert where in " ".join((failure.cause, *failure.details)), (
            f"{f.name}: {where} not in {failure.cause!r}"
        )


# ---- correct blocks pass ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", CORRECT, ids=lambda f: f.name)
def test_correct_block_passes(fixture: BlockFixture) -> None:
    result = _check(fixture, examples=25)
    assert result.ok, result.report()
    assert result.runs == 25


@pytest.mark.slow
@pytest.mark.parametrize("fixture", CORRECT, ids=lambda f: f.name)
def test_correct_block_passes_200_examples(fixture: BlockFixture) -> None:
    result = _check(fixture, examples=200, seed=3)
    assert result.ok, result.report()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["bottleneck", "basic"])
def test_torchvisions_own_blocks_pass(kind: str) -> None:
    from torchvision.models import resnet as tv

    block = tv.Bottleneck if kind == "bottleneck" else tv.BasicBlock
    result = check_block(block, kind, examples=60)
    assert result.ok, result.report()


def test_the_projects_own_bottleneck_passes_v1_and_v15() -> None:
    from resnet_verify.models.resnet import Bottleneck

    for stride_in in ("3x3", "1x1"):
        result = check_block(
            Bottleneck, "bottleneck", mapping="width=planes", stride_in=stride_in, examples=20
        )
        assert result.ok, result.report()


# ---- seeded bugs are found, shrunk and named --------------------------------------------------------


@pytest.mark.parametrize("fixture", SEEDED_BUGS, ids=lambda f: f.name)
def test_seeded_bug_is_found_with_its_cause(fixture: BlockFixture) -> None:
    result = _check(fixture, examples=200)
    _assert_named(fixture, result)
    failure = result.failure
    assert failure is not None and failure.comparison is not None
    assert not failure.comparison.ok
    assert failure.case.size <= 4  # shrunk to the smallest input that shows it


def test_counterexample_is_shrunk_to_the_plainest_config() -> None:
    [f] = [b for b in SEEDED_BUGS if b.name == "fixed_padding"]
    failure = _check(f, examples=200).failure
    assert failure is not None
    case = failure.case
    assert case.kernel_size != 3  # padding=1 is right at 3: the bug needs another kernel
    assert case.stride == 1 and case.in_channels == 4 and max(case.filters) == 4
    assert "add of 1x4x4x4 and 1x4x2x2 fails" in failure.cause


def test_the_seed_reproduces_the_counterexample() -> None:
    [f] = [b for b in SEEDED_BUGS if b.name == "groups_on_wrong_conv"]
    first, again = _check(f, examples=50, seed=7), _check(f, examples=50, seed=7)
    assert first.failure is not None and again.failure is not None
    assert first.failure.describe() == again.failure.describe()
    assert first.seed == 7


# ---- the founding article's blocks -------------------------------------------------------------------


@pytest.mark.parametrize("fixture", BLOG_POST, ids=lambda f: f.name)
def test_blog_post_blocks_are_reported(fixture: BlockFixture) -> None:
    result = _check(fixture, examples=200)
    _assert_named(fixture, result)
    failure = result.failure
    assert failure is not None
    if fixture.file == "blog_post":  # as written: the bool crashes at every kernel, f=3 included
        assert failure.kind is FailureKind.CRASH and failure.case.kernel_size == 3
    else:  # with padding=1 it runs at f=3 and still fails elsewhere
        assert failure.case.kernel_size != 3


def test_a_v1_block_checked_as_v15_names_the_stride_placement() -> None:
    failure = check_block(keras_port.ConvBlock, "bottleneck", examples=100).failure
    assert failure is not None and failure.case.stride == 2
    assert "stride placement" in failure.cause and "--stride-in 1x1" in failure.cause


# ---- refusals ---------------------------------------------------------------------------------------


class _GroupedBasic(nn.Module):
    """A basic block that accepts groups the reference (torchvision's BasicBlock) refuses."""

    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1):
        super().__init__()
        self.inner = torchvision_like.BasicBlock(inplanes, planes, stride, downsample)
        self.groups = groups

    def forward(self, x):
        return self.inner(x)


def test_a_block_that_refuses_where_the_reference_refuses_passes() -> None:
    result = check_block(torchvision_like.BasicBlock, "basic", examples=40)
    assert result.ok and result.runs == 40


def test_building_where_the_reference_refuses_is_a_failure() -> None:
    result = check_block(_GroupedBasic, "basic", examples=100)
    assert result.failure is not None
    assert result.failure.kind is FailureKind.BUILDS_REFUSED
    assert "groups=2" in result.failure.cause and result.failure.case.groups == 2


def test_a_build_error_names_the_users_line() -> None:
    def broken(cin, cout, stride=1):
        raise ValueError("widths must be even")

    failure = check_block(broken, "basic", examples=5).failure
    assert failure is not None and failure.kind is FailureKind.BUILD_ERROR
    assert "ValueError: widths must be even" in failure.cause
    assert failure.source is not None and failure.source.file.endswith("test_fuzz_block.py")


# ---- signature mapping ------------------------------------------------------------------------------


def test_signatures_map_without_being_told() -> None:
    tv = map_signature(torchvision_like.Bottleneck, "bottleneck")
    assert {b.param: b.roles for b in tv.bindings}["downsample"] == (Role.DOWNSAMPLE,)
    assert tv.expansion == 4 and tv.shortcut is Shortcut.AUTO
    keras = map_signature(keras_port.ConvBlock, "bottleneck")
    assert keras.describe() == "in_channel=in, f=kernel_size, filters=(f1, f2, f3), s=stride"
    assert keras.shortcut is Shortcut.PROJECTION  # a Keras conv block always projects
    assert map_signature(keras_port.IdentityBlock, "bottleneck").shortcut is Shortcut.IDENTITY
    assert map_signature(planes_style.BasicBlock, "basic").expansion == 1
    assert map_signature(builder_style.make_basic, "basic").roles >= {Role.IN, Role.OUT, Role.KERNEL}


def test_map_gives_meanings_and_tuples() -> None:
    def block(c_in, k, widths3, step=1):
        return builder_style.make_bottleneck(c_in, widths3[0], widths3[2], step, k)

    sig = map_signature(block, "bottleneck", mapping="k=kernel_size,widths3=(width,width,out),step=stride")
    assert sig.describe() == "c_in=in, k=kernel_size, widths3=(mid, mid, out), step=stride"
    mapping = "k=kernel_size,widths3=(width,width,out),step=stride"
    assert sig.shortcut is Shortcut.PROJECTION  # a filters tuple and a stride: read as a Keras conv block
    assert check_block(block, mapping=mapping, shortcut="auto", examples=15).ok
    assert parse_map({"f": "kernel"}) == {"f": ((Role.KERNEL,), False)}


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        ("f=sideways", "unknown role 'sideways'"),
        ("zz=in", "--map names 'zz'"),
        ("filters=(in,stride)", "a tuple holds widths only"),
        ("f=kernel_size,in_channel=", "malformed --map"),
        ("f=in", "both 'in_channel' and 'f' set in"),
        ("in_channel=default", "has no default"),
    ],
)
def test_bad_map_is_a_usage_error(mapping: str, words: str) -> None:
    with pytest.raises(UsageError, match=words.replace("(", r"\(").replace(")", r"\)")):
        map_signature(keras_port.ConvBlock, "bottleneck", mapping=mapping)


def test_unmappable_signatures_are_usage_errors() -> None:
    def mystery(cin, spice):
        return nn.Identity()

    with pytest.raises(UsageError, match="cannot tell what its argument 'spice' sets"):
        map_signature(mystery, "basic")

    def no_inner_width(cin, cout, stride=1):
        return nn.Identity()

    with pytest.raises(UsageError, match="no argument sets F1"):
        map_signature(no_inner_width, "bottleneck")
    with pytest.raises(UsageError, match="kind must be bottleneck or basic"):
        map_signature(no_inner_width, "wide")


# ---- the hypothesis strategy inside a user's own test -----------------------------------------------


@settings(max_examples=8, deadline=None, database=None)
@given(block_cases(planes_style.Bottleneck, "bottleneck"))
def test_block_cases_inside_a_users_given(case) -> None:
    assert case.in_channels >= 4 and case.size >= 2
    failure = check_case(case)
    assert failure is None, failure.describe()


def test_readme_example_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Property-test your blocks", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    fake = ModuleType("my_project.blocks")
    fake.Bottleneck = torchvision_like.Bottleneck  # type: ignore[attr-defined]
    fake.ConvBlock = keras_port.ConvBlock  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "my_project", ModuleType("my_project"))
    monkeypatch.setitem(sys.modules, "my_project.blocks", fake)
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(code, "README.md", "exec"), namespace)
    tests = [v for k, v in namespace.items() if k.startswith("test_") and callable(v)]
    assert len(tests) >= 2
    for test in tests:
        test()


# ---- command line -----------------------------------------------------------------------------------


def test_cli_passes_fails_and_reports_json(capsys: pytest.CaptureFixture[str]) -> None:
    [good] = [f for f in CORRECT if f.name == "keras_conv_block"]
    assert main(["fuzz-block", "--block", good.spec, "--kind", "bottleneck", "--stride-in", "1x1",
                 "--examples", "10"]) == 0  # fmt: skip
    assert "PASS: 10 configs" in capsys.readouterr().out
    [bad] = [f for f in BLOG_POST if f.name == "post_conv_block_padding1"]
    argv = ["fuzz-block", "--block", bad.spec, "--kind", "bottleneck", "--stride-in", "1x1", "--seed", "4"]
    assert main([*argv, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["seed"] == 4
    assert report["failure"]["line"].endswith(f"blog_post_padding1.py:{bad.line()}")
    assert "--seed 4" in report["reproduce"]
    assert report["failure"]["comparison"]["mismatches"]
    assert main(argv) == 1
    text = capsys.readouterr().out
    assert (
        text.startswith("fuzz-block: ConvBlock as a bottleneck block") and "FAIL: ConvBlock fails for" in text
    )
    assert "reproduce: resnet-verify fuzz-block" in text and "Comparison with the reference block" in text


def test_cli_takes_a_module_spec_and_a_map(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["fuzz-block", "--block", "resnet_verify.models.resnet:Bottleneck", "--kind", "bottleneck"]
    assert main([*argv, "--map", "width=planes", "--examples", "10", "--stride-in", "1x1"]) == 0
    out = capsys.readouterr().out
    assert "in_channels=in, width=planes" in out and "stride on the 1x1 (v1)" in out
    assert main(["fuzz-block", "--help"]) == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--block", "no/such/file.py:Block", "--kind", "basic"], "block file not found"),
        (["--block", "{keras}:ConvBlok", "--kind", "bottleneck"], "did you mean ConvBlock"),
        (["--block", "{keras}", "--kind", "bottleneck"], "use FILE.py:NAME or MODULE:NAME"),
        (["--block", "{keras}:F", "--kind", "bottleneck"], "no attribute 'F'"),
        (["--block", "torch:float32", "--kind", "basic"], "not callable"),
        (["--block", "no_such_module_xyz:Block", "--kind", "basic"], "no module named"),
        (["--block", "{keras}:ConvBlock", "--kind", "wide"], "invalid choice"),
        (["--block", "{keras}:ConvBlock", "--kind", "bottleneck", "--examples", "0"], "--examples"),
        (["--block", "{keras}:ConvBlock", "--kind", "bottleneck", "--map", "f=nope"], "unknown role"),
        (["--block", "{syntax}:Block", "--kind", "basic"], "syntax error"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    args: list[str], words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken_block.py"
    broken.write_text("class Block(:\n    pass\n", encoding="utf-8")
    keras = str(keras_port.__file__)
    args = [a.replace("{keras}", keras).replace("{syntax}", str(broken)) for a in args]
    assert main(["fuzz-block", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in captured.err


def test_cli_without_hypothesis_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # as if the test extra were not installed
    for name in ("resnet_verify.testing.block_check", "resnet_verify.testing.block_draws"):
        monkeypatch.delitem(sys.modules, name)
    assert main(["fuzz-block", "--block", f"{keras_port.__file__}:ConvBlock", "--kind", "bottleneck"]) == 2
    assert "pip install 'resnet-verify[test]'" in capsys.readouterr().err


def test_checking_does_not_touch_torch_defaults() -> None:
    before = torch.get_default_dtype(), torch.is_grad_enabled()
    check_block(planes_style.BasicBlock, "basic", examples=3)
    assert (torch.get_default_dtype(), torch.is_grad_enabled()) == before
