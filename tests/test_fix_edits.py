"""The editing layer of ``compare --fix`` on its own (no model is traced): which call a line names,
how an argument is set, added or removed, how edits splice into a file, and when it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_verify.tracing.records import SourceLoc
from resnet_verify.verify.fixes.apply import apply_edits, conflict
from resnet_verify.verify.fixes.calls import CallSite, call_at
from resnet_verify.verify.fixes.records import CannotFix, Edit
from resnet_verify.verify.fixes.source import NOT_LITERAL, editable_reason, literal, read_source


def _site(tmp_path: Path, source: str, line: int = 1, name: str = "Conv2d") -> CallSite:
    path = tmp_path / "model.py"
    path.write_bytes(source.encode("utf-8"))
    return call_at(SourceLoc(str(path), line), name, "the layer")


def _after(site: CallSite, *edits: Edit) -> str:
    return apply_edits(site.source.text, edits)


def test_a_keyword_is_added_after_the_last_argument(tmp_path: Path) -> None:
    site = _site(tmp_path, "c = nn.Conv2d(3, 8, 3, padding=1)  # note\n")
    assert (
        _after(site, site.add("bias", "False")) == "c = nn.Conv2d(3, 8, 3, padding=1, bias=False)  # note\n"
    )


def test_one_argument_per_line_gets_its_own_line(tmp_path: Path) -> None:
    text = "c = nn.Conv2d(\n    3,\n    8,  # out\n    3,\n)\n"
    site = _site(tmp_path, text)
    assert (
        _after(site, site.add("bias", "False"))
        == "c = nn.Conv2d(\n    3,\n    8,  # out\n    3,\n    bias=False,\n)\n"
    )


def test_an_empty_call_gets_the_keyword_inside(tmp_path: Path) -> None:
    site = _site(tmp_path, "r = nn.ReLU()\n", name="ReLU")
    assert _after(site, site.add("inplace", "True")) == "r = nn.ReLU(inplace=True)\n"


def test_a_positional_argument_is_found_by_the_layers_signature(tmp_path: Path) -> None:
    site = _site(tmp_path, "c = nn.Conv2d(3, 8, 3, 2, 1)\n")
    assert _after(site, site.set("stride", "1")) == "c = nn.Conv2d(3, 8, 3, 1, 1)\n"
    assert _after(site, site.set("groups", "2")) == "c = nn.Conv2d(3, 8, 3, 2, 1, groups=2)\n"


def test_removing_keeps_the_neighbours_and_their_comments(tmp_path: Path) -> None:
    site = _site(tmp_path, "b = nn.BatchNorm2d(c, eps=1e-3, momentum=0.99)\n", name="BatchNorm2d")
    assert _after(site, site.remove("eps"), site.remove("momentum")) == "b = nn.BatchNorm2d(c)\n"
    text = "b = nn.BatchNorm2d(\n    c,  # width\n    eps=1e-3,  # Keras\n    affine=True,\n)\n"
    site = _site(tmp_path, text, name="BatchNorm2d")
    assert _after(site, site.remove("eps")) == "b = nn.BatchNorm2d(\n    c,  # width\n    affine=True,\n)\n"


def test_a_positional_argument_with_positionals_after_it_is_not_removed(tmp_path: Path) -> None:
    site = _site(tmp_path, "c = nn.Conv2d(3, 8, 3, 2, 1)\n")
    with pytest.raises(CannotFix, match="followed by positional"):
        site.remove("stride")
    site = _site(tmp_path, "c = nn.Conv2d(3, 8, 1, 2, bias=False)\n")
    assert _after(site, site.remove("stride")) == "c = nn.Conv2d(3, 8, 1, bias=False)\n"


def test_star_arguments_hide_where_a_value_comes_from(tmp_path: Path) -> None:
    site = _site(tmp_path, "c = nn.Conv2d(3, 8, 3, **kw)\n")
    with pytest.raises(CannotFix, match=r"\*args / \*\*kwargs"):
        site.argument("bias")


def test_the_call_is_the_one_named_on_the_line(tmp_path: Path) -> None:
    text = "s = nn.Sequential(nn.Conv2d(3, 8, 1), nn.BatchNorm2d(8))\n"
    assert _site(tmp_path, text).code() == "nn.Conv2d(3, 8, 1)"
    # a method call continued on the next line runs on the line of its name
    assert _site(tmp_path, "x = (m\n     .view(1, 2))\n", 2, "view").code() == "(m\n     .view(1, 2))"


@pytest.mark.parametrize(
    ("source", "loc", "match"),
    [
        ("c = nn.Conv2d(3, 8, 1)\n", SourceLoc("model.py", 1, exact=False), "inexact"),
        ("c = make(3, 8, 1)\n", SourceLoc("model.py", 1), "helper or an alias"),
        ("c = (nn.Conv2d(3, 8, 1), nn.Conv2d(8, 8, 1))\n", SourceLoc("model.py", 1), "ambiguous"),
        ("c = 1\n", None, "not known"),
    ],
)
def test_call_at_refuses_what_it_cannot_pin_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, loc: SourceLoc | None, match: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.py").write_text(source)
    with pytest.raises(CannotFix, match=match):
        call_at(loc, "Conv2d", "conv")


def test_files_that_are_not_the_users_source_are_not_edited(tmp_path: Path) -> None:
    assert "notebook" in str(editable_reason(tmp_path / "model.ipynb"))
    assert "installed package" in str(editable_reason(tmp_path / "site-packages" / "lib" / "m.py"))
    assert "resnet-verify itself" in str(
        editable_reason(Path(__file__).parents[1] / "resnet_verify" / "cli" / "main.py")
    )
    assert "no longer exists" in str(editable_reason(tmp_path / "gone.py"))


def test_literals_are_constants_and_names_are_not(tmp_path: Path) -> None:
    site = _site(tmp_path, "c = f(8192, 2048 * 2 * 2, -1, True, (1, 1), 1e-3, width, n // 2)\n", name="f")
    values = [literal(a.value) for a in site.call.args]
    assert values[:6] == [8192, 8192, -1, True, (1, 1), 1e-3]
    assert values[6] is NOT_LITERAL and values[7] is NOT_LITERAL


def test_edits_keep_line_endings_and_count_columns_in_characters(tmp_path: Path) -> None:
    site = _site(tmp_path, 'n = "é"; c = nn.Conv2d(3, 8, 3, padding=True)\r\nx = 1\r\n')
    arg = site.argument("padding")
    assert arg is not None
    assert (
        _after(site, site.replace(arg.value, "1"))
        == 'n = "é"; c = nn.Conv2d(3, 8, 3, padding=1)\r\nx = 1\r\n'
    )


def test_insertions_at_one_point_keep_their_order_and_overlaps_conflict() -> None:
    a, b = Edit("m.py", 1, 5, 1, 5, ", x"), Edit("m.py", 1, 5, 1, 5, ", y")
    replace_before = Edit("m.py", 1, 2, 1, 5, "Z")
    assert apply_edits("0123456\n", [replace_before, a, b]) == "01Z, x, y56\n"
    assert conflict([a], [b]) is None and conflict([replace_before], [a]) is None
    assert conflict([Edit("m.py", 1, 1, 1, 4, "")], [Edit("m.py", 1, 3, 1, 6, "")]) is not None
    assert conflict([Edit("m.py", 1, 1, 1, 4, "")], [Edit("m.py", 1, 2, 1, 2, "x")]) is not None


def test_imports_that_bind_torch(tmp_path: Path) -> None:
    for text, binds in (
        ("import torch.nn as nn\n", False),
        ("import torch.nn\n", True),
        ("import torch\n", True),
    ):
        path = tmp_path / f"m{len(text)}{binds}.py"
        path.write_text(text + "x = 1\n")
        assert read_source(str(path)).binds("torch") is binds
