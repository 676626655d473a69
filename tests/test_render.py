"""Renderers: text, markdown, json, html and GitHub workflow commands over real traces.

Comparisons are assembled by hand from real traces (so every field is under the test's control),
plus a few built by :func:`resnet_verify.compare.compare` from fixture models as a smoke test.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
from collections.abc import Collection
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch
import torchvision
from torch import nn
from torchvision.models.resnet import BasicBlock, ResNet

from resnet_verify.report.formats import FORMATS, load_report, render, to_dict
from resnet_verify.report.github import escape_data, escape_property
from resnet_verify.report.json_report import SCHEMA_VERSION
from resnet_verify.report.markdown import MISMATCH_HEADER, STAGE_HEADER
from resnet_verify.tracing.records import SourceLoc, Trace
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify.records import (
    BlockPair,
    Comparison,
    Finding,
    Mismatch,
    MismatchKind,
    Pattern,
    StageRow,
)

SIZE = (3, 64, 64)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
GITHUB_LINE = re.compile(r"^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::.*$")
FIXTURES = Path(__file__).parent / "fixtures" / "models"


# ----------------------------------------------------------------------------- building comparisons


def _meta(build, **kwargs) -> nn.Module:
    with torch.device("meta"):
        return build(num_classes=6, **kwargs)


def _rows(ref: Trace, cand: Trace, bad: Collection[str] = frozenset()) -> tuple[StageRow, ...]:
    rs, cs = ref.structure, cand.structure
    rows = [
        StageRow(
            "stem",
            rs.stem_path,
            cs.stem_path,
            rs.stem_out_shape,
            cs.stem_out_shape,
            rs.stem_params,
            cs.stem_params,
            0,
            0,
            "stem" not in bad,
        )
    ]
    for i, st in enumerate(rs.stages):
        cst = cs.stages[i] if i < len(cs.stages) else None
        rows.append(
            StageRow(
                st.path,
                st.path,
                cst.path if cst else None,
                st.out_shape,
                cst.out_shape if cst else None,
                st.num_params,
                cst.num_params if cst else None,
                len(st.blocks),
                len(cst.blocks) if cst else 0,
                st.path not in bad,
            )
        )
    rows.append(
        StageRow(
            "head",
            rs.head_path,
            cs.head_path,
            ref.output_shape,
            cand.output_shape,
            rs.head_params,
            cs.head_params,
            0,
            0,
            "head" not in bad,
        )
    )
    return tuple(rows)


def _identity_pairs(t: Trace) -> tuple[BlockPair, ...]:
    return tuple(BlockPair(b, b, s.index) for s in t.structure.stages for b in s.blocks)


@pytest.fixture(scope="module")
def ref_trace() -> Trace:
    return trace(_meta(torchvision.models.resnet18), SIZE)


@pytest.fixture(scope="module")
def clean(ref_trace: Trace) -> Comparison:
    return Comparison(
        "resnet18",
        "MyResNet18",
        ref_trace.input_shape,
        6,
        ref_trace,
        ref_trace,
        _identity_pairs(ref_trace),
        _rows(ref_trace, ref_trace),
        (),
        (),
    )


SOURCE = SourceLoc("models/my_resnet.py", 42)
ODD_SOURCE = SourceLoc("src/odd,name:file.py", 7)


@pytest.fixture(scope="module")
def dirty(ref_trace: Trace) -> Comparison:
    """Candidate with block counts [2, 3, 1, 2]: an extra block in layer2, one missing in layer3."""
    cand = trace(_meta(lambda num_classes: ResNet(BasicBlock, [2, 3, 1, 2], num_classes=num_classes)), SIZE)
    pairs = (
        BlockPair(0, 0, 0),
        BlockPair(1, 1, 0),
        BlockPair(2, 2, 1),
        BlockPair(3, 3, 1),
        BlockPair(None, 4, 1),
        BlockPair(4, 5, 2),
        BlockPair(5, None, 2),
        BlockPair(6, 6, 3),
        BlockPair(7, 7, 3),
    )
    mismatches = (
        Mismatch(
            MismatchKind.EXTRA, None, "layer2.2", "block", None, "128->128", "extra block layer2.2", SOURCE
        ),
        Mismatch(
            MismatchKind.MISSING,
            "layer3.1",
            None,
            "block",
            "256->256",
            None,
            "layer3.1: block missing in the candidate",
        ),
        Mismatch(
            MismatchKind.ATTRIBUTE,
            "layer1.0.conv1",
            "layer1.0.conv1",
            "stride",
            (1, 1),
            (2, 2),
            "stride 100% wrong: see a,b\nsecond line | piped",
            ODD_SOURCE,
        ),
    )
    findings = (
        Finding(
            Pattern.BLOCK_COUNTS,
            "Block counts differ",
            "Blocks per stage are [2, 3, 1, 2] in the candidate, [2, 2, 2, 2] in the reference.",
            ("layer2", "layer3"),
            (0, 1),
            "use [2, 2, 2, 2] blocks per stage",
        ),
        Finding(
            Pattern.V1_STRIDE,
            "ResNet v1 stride placement",
            "stride on the 1x1",
            ("layer1.0",),
            (),
            None,
            SOURCE,
        ),
    )
    return Comparison(
        "resnet18",
        "MyResNet18",
        ref_trace.input_shape,
        6,
        ref_trace,
        cand,
        pairs,
        _rows(ref_trace, cand, {"layer1", "layer2", "layer3"}),
        mismatches,
        findings,
        ("the candidate was traced on meta tensors",),
    )


@pytest.fixture(scope="module")
def crashed(ref_trace: Trace) -> Comparison:
    model = _meta(torchvision.models.resnet18)
    with torch.device("meta"):
        block = model.get_submodule("layer3.1")
        # wrong in_channels, and grouped: the tracer re-sizes no grouped conv, so the trace stops here
        block.conv1 = nn.Conv2d(64, 256, 3, padding=1, groups=2, bias=False)
    cand = trace(model, SIZE)
    assert cand.crash is not None
    done = len(cand.structure.blocks)
    assert done == 5  # layer1 (2), layer2 (2), layer3.0
    mismatch = Mismatch(
        MismatchKind.CRASH,
        "layer3.1.conv1",
        "layer3.1.conv1",
        None,
        None,
        None,
        f"forward failed: {cand.crash.error_type}: {cand.crash.message}",
    )
    return Comparison(
        "resnet18",
        "Crashy",
        ref_trace.input_shape,
        6,
        ref_trace,
        cand,
        tuple(
            BlockPair(
                p.reference, p.candidate if p.candidate is not None and p.candidate < done else None, p.stage
            )
            for p in _identity_pairs(ref_trace)
        ),
        _rows(ref_trace, cand, {"layer3", "layer4", "head"}),
        (mismatch,),
        (),
    )


@pytest.fixture(scope="module")
def hostile(dirty: Comparison) -> Comparison:
    """Names from a user's model that would inject markup if not escaped."""
    evil = "<script>alert('x')</script>"
    cs = dirty.candidate.structure
    blocks = tuple(dataclasses.replace(b, path=f"{evil}.{b.index}") for b in cs.blocks)
    cand = dataclasses.replace(
        dirty.candidate, structure=dataclasses.replace(cs, blocks=blocks, stem_path=evil)
    )
    mismatches = tuple(
        dataclasses.replace(m, candidate_path=f"{evil}.2.conv1", message=f"{m.message} {evil}")
        for m in dirty.mismatches
    )
    stages = tuple(dataclasses.replace(r, candidate_path=evil) for r in dirty.stages)
    return dataclasses.replace(
        dirty, candidate_name=evil, candidate=cand, mismatches=mismatches, stages=stages
    )


@pytest.fixture(params=["clean", "dirty", "crashed", "hostile"])
def any_comparison(request: pytest.FixtureRequest) -> Comparison:
    return request.getfixturevalue(request.param)


# ----------------------------------------------------------------------------- every format


def test_formats_and_dispatch(clean: Comparison) -> None:
    assert FORMATS == ("text", "markdown", "json", "html", "github")
    with pytest.raises(ValueError, match="unknown report format 'yaml'"):
        render(clean, "yaml")
    assert render(clean) == render(clean, "text")


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_is_pure_and_reproducible(any_comparison: Comparison, fmt: str) -> None:
    first = render(any_comparison, fmt)
    assert first == render(any_comparison, fmt)
    assert first.endswith("\n")
    assert os.getcwd() not in first and str(Path.home()) + "/" not in first


# ----------------------------------------------------------------------------- text


def test_text_clean(clean: Comparison) -> None:
    out = render(clean, "text")
    first = out.splitlines()[0]
    assert "MyResNet18 vs resnet18" in first and "1x3x64x64" in first and first.endswith("MATCH")
    assert "\x1b" not in out
    for name in ("stem", "layer1", "layer2", "layer3", "layer4", "head"):
        assert re.search(rf"^✓ {name}\b", out, re.M), name
    assert "Mismatches" not in out and "Findings" not in out


def test_text_dirty(dirty: Comparison) -> None:
    out = render(dirty, "text")
    assert out.splitlines()[0].endswith("3 mismatches")
    assert "\x1b" not in out
    # findings first, then what they leave unexplained, then the stage table
    assert out.index("Findings (2)") < out.index("Unexplained (1 mismatch)") < out.index("Stages")
    assert out.index("Stages") < out.index("Notes")
    assert "All mismatches" not in out and "— ↔ layer2.2" not in out  # explained: --verbose lists it
    assert "stride: (1, 1) → (2, 2)" in out and "at src/odd,name:file.py:7" in out
    # an unexplained difference says what to change, as the describing findings do
    assert re.search(r"^ {19}fix: make stride \(1, 1\) as in the reference", out, re.M)
    assert "fix: use [2, 2, 2, 2] blocks per stage" in out and "explains 2 mismatches" in out
    assert re.search(r"^✗ layer2 ", out, re.M) and re.search(r"^✓ layer4 ", out, re.M)
    assert out.rstrip().endswith("the candidate was traced on meta tensors")
    assert re.search(r"^  layer1\.0\n    #3 ", out, re.M)


def test_text_verbose_lists_every_mismatch(dirty: Comparison) -> None:
    out = render(dirty, "text", verbose=True)
    assert out.index("Unexplained") < out.index("All mismatches (3)") < out.index("Notes")
    assert "layer3.1 ↔ —" in out and "— ↔ layer2.2" in out and "at models/my_resnet.py:42" in out
    assert "explains 2 mismatches: #1, #2" in out
    # grouped: the layer3.1 group header precedes its mismatch
    assert re.search(r"^  layer3\.1\n    #2 ", out, re.M)


def test_text_headline_counts_root_causes(dirty: Comparison) -> None:
    from dataclasses import replace

    from resnet_verify.report._common import verdict

    # a params delta that follows from the stride hangs under it: 3 differences, 4 raw mismatches
    extra = replace(dirty.mismatches[2], kind=MismatchKind.PARAMS, field="params", cause=2)
    c = replace(dirty, mismatches=(*dirty.mismatches, extra))
    assert c.root_causes == 3 and verdict(c) == "3 differences (4 mismatches)"
    out = render(c, "text")
    assert re.search(r"^    #3 .*\n(.*\n)*?        #4 ", out, re.M)  # the consequence is indented under #3


@pytest.mark.parametrize("color", [False, True])
def test_text_width_and_color(any_comparison: Comparison, color: bool) -> None:
    out = render(any_comparison, "text", color=color)
    assert ("\x1b[" in out) is color
    for line in ANSI.sub("", out).splitlines():
        assert len(line) <= 100, line


def test_text_crash(crashed: Comparison) -> None:
    out = render(crashed, "text")
    assert "CRASH: the candidate's forward failed in layer3.1.conv1 (conv2d)" in out
    assert crashed.candidate.crash is not None
    assert crashed.candidate.crash.error_type in out


# ----------------------------------------------------------------------------- markdown


def _table(md: str, header: tuple[str, ...]) -> list[str]:
    lines = md.splitlines()
    start = lines.index("| " + " | ".join(header) + " |")
    assert set(lines[start + 1]) <= set("|-:")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row)) - 1


@pytest.mark.parametrize("name", ["clean", "dirty", "crashed", "hostile"])
def test_markdown_stage_table_one_row_per_stage(name: str, request: pytest.FixtureRequest) -> None:
    c = request.getfixturevalue(name)
    rows = _table(render(c, "markdown"), STAGE_HEADER)
    assert len(rows) == len(c.stages)
    assert all(_cells(r) == len(STAGE_HEADER) for r in rows)
    for row, stage in zip(rows, c.stages):
        assert row.startswith(f"| {stage.name} |")
        assert ("✅" in row) is stage.ok


def test_markdown_dirty(dirty: Comparison) -> None:
    md = render(dirty, "markdown")
    assert md.startswith("# resnet-verify: `MyResNet18` vs `resnet18`\n")
    assert "❌ **3 mismatches**" in md
    rows = _table(md, MISMATCH_HEADER)
    assert len(rows) == 3 and all(_cells(r) == len(MISMATCH_HEADER) for r in rows)
    assert "second line \\| piped" in rows[2]  # pipe escaped, newline folded
    assert "`models/my_resnet.py:42`" in rows[0]
    assert "## Findings" in md and "Block counts differ" in md and "## Notes" in md


def test_markdown_clean_has_no_mismatch_table(clean: Comparison) -> None:
    md = render(clean, "markdown")
    assert "✅ **MATCH**" in md and "## Mismatches" not in md


def test_markdown_escapes_html(hostile: Comparison) -> None:
    md = render(hostile, "markdown")
    outside_code = re.sub(r"`[^`]*`", "", md)
    assert "<script>" not in outside_code


# ----------------------------------------------------------------------------- json

DESIGN_KEYS = (
    "schema_version",
    "ok",
    "reference",
    "candidate",
    "input_shape",
    "stages",
    "mismatches",
    "findings",
)


def test_json_round_trip(any_comparison: Comparison) -> None:
    text = render(any_comparison, "json")
    assert json.loads(text) == to_dict(any_comparison)
    assert text.endswith("}\n") and text.startswith(f'{{\n  "schema_version": {SCHEMA_VERSION},')
    data = load_report(text)
    assert all(k in data for k in DESIGN_KEYS)
    assert data["ok"] is any_comparison.ok
    assert len(data["stages"]) == len(any_comparison.stages)
    assert len(data["blocks"]) == len(any_comparison.blocks)


def test_json_dirty_content(dirty: Comparison) -> None:
    d = to_dict(dirty)
    assert d["schema_version"] == SCHEMA_VERSION and d["ok"] is False
    assert d["reference"] == "resnet18" and d["candidate"] == "MyResNet18"
    assert d["input_shape"] == [1, 3, 64, 64] and d["num_classes"] == 6
    assert d["totals"] == {
        "reference_params": dirty.reference.total_params,
        "candidate_params": dirty.candidate.total_params,
        "reference_macs": sum(op.macs for op in dirty.reference.ops),
        "candidate_macs": sum(op.macs for op in dirty.candidate.ops),
        "candidate_macs_partial": False,
    }
    m0, m1, m2 = d["mismatches"]
    assert m0 == {
        "kind": "extra",
        "reference_path": None,
        "candidate_path": "layer2.2",
        "field": "block",
        "expected": None,
        "actual": "128->128",
        "message": "extra block layer2.2",
        "source": {"file": "models/my_resnet.py", "line": 42},
        "layer_source": None,
        "region": None,
        "op_kind": None,
        "block": None,
        "cause": None,
        "explained_by": 0,
    }
    assert m2["explained_by"] is None and d["unexplained"] == [2] and d["root_causes"] == 3
    assert [f["verdict"] for f in d["findings"]] == [False, False]
    assert m1["source"] is None and m2["expected"] == [1, 1] and m2["actual"] == [2, 2]
    assert d["findings"][0]["pattern"] == "block_counts"
    assert d["findings"][0]["mismatches"] == [0, 1]
    assert d["findings"][1]["source"] == {"file": "models/my_resnet.py", "line": 42}
    assert d["blocks"][4] == {
        "reference_path": None,
        "candidate_path": "layer2.2",
        "stage": 1,
        "reference_out_shape": None,
        "candidate_out_shape": [1, 128, 8, 8],
    }
    assert d["blocks"][6]["candidate_path"] is None
    assert d["stages"][0]["name"] == "stem" and d["stages"][-1]["name"] == "head"
    assert d["crash"] is None and d["notes"] == ["the candidate was traced on meta tensors"]


def test_json_crash(crashed: Comparison) -> None:
    crash = to_dict(crashed)["crash"]
    assert crash["module_path"] == "layer3.1.conv1" and crash["op_name"] == "conv2d"
    assert crash["in_shapes"] == [[1, 256, 4, 4]]
    assert set(crash) == {
        "module_path",
        "module_type",
        "op_name",
        "in_shapes",
        "error_type",
        "message",
        "source",
    }


def test_crash_source_is_reported(crashed: Comparison) -> None:
    assert crashed.candidate.crash is not None
    crash = dataclasses.replace(crashed.candidate.crash, source=SOURCE)
    c = dataclasses.replace(
        crashed, candidate=dataclasses.replace(crashed.candidate, crash=crash), mismatches=()
    )
    assert "       at models/my_resnet.py:42" in render(c, "text")
    assert to_dict(c)["crash"]["source"] == {"file": "models/my_resnet.py", "line": 42}
    assert "`models/my_resnet.py:42`" in render(c, "markdown")
    assert "models/my_resnet.py:42" in render(c, "html")
    first = render(c, "github").splitlines()[0]
    assert first.startswith(
        "::error file=models/my_resnet.py,line=42,title=resnet-verify%3A "
        "candidate crashed in layer3.1.conv1::RuntimeError"
    )


def test_json_values_are_json_native(dirty: Comparison) -> None:
    odd = (
        Mismatch(MismatchKind.NUMERIC, "fc", "fc", "max_abs_diff", float("nan"), {"a": (1, 2)}, "values"),
        Mismatch(MismatchKind.ATTRIBUTE, "fc", "fc", "thing", object, Pattern.GROUPED_1X1, "x"),
    )
    c = dataclasses.replace(dirty, mismatches=odd, findings=())
    text = render(c, "json")
    assert "NaN" not in text
    m = json.loads(text)["mismatches"]
    assert m[0]["expected"] == "nan" and m[0]["actual"] == {"a": [1, 2]}
    assert m[1]["expected"] == str(object) and m[1]["actual"] == "grouped_1x1"


def test_load_report_rejects_bad_reports(clean: Comparison) -> None:
    good = to_dict(clean)
    with pytest.raises(ValueError, match="schema_version"):
        load_report(json.dumps({**good, "schema_version": SCHEMA_VERSION + 1}))
    with pytest.raises(ValueError, match="stages"):
        load_report(json.dumps({k: v for k, v in good.items() if k != "stages"}))
    with pytest.raises(ValueError, match="not a JSON report"):
        load_report("[1, 2]")
    with pytest.raises(ValueError, match="not a JSON report"):
        load_report("{")


# ----------------------------------------------------------------------------- html

STRUCTURAL = (
    "html",
    "head",
    "body",
    "main",
    "section",
    "table",
    "tr",
    "td",
    "th",
    "div",
    "span",
    "code",
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "li",
    "style",
    "title",
    "footer",
    "strong",
)


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in STRUCTURAL:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in STRUCTURAL:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def _parse(html: str) -> _Balance:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert not parser.stack, parser.stack
    return parser


def test_html_structure(any_comparison: Comparison) -> None:
    html = render(any_comparison, "html")
    assert html.startswith("<!DOCTYPE html>")
    parsed = _parse(html)
    assert {"html", "head", "body", "style", "table"} <= parsed.tags
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert "http://" not in html and "https://" not in html and "url(" not in html


def test_html_content(dirty: Comparison) -> None:
    html = render(dirty, "html")
    assert "3 mismatches" in html and "Block counts differ" in html
    assert html.count('class="box ghost"') == 2 + 1  # missing, extra, and the legend sample
    assert "64→64" in html and "+proj" in html and "↓2" in html
    assert 'class="box bad"' in html
    assert "models/my_resnet.py:42" in html
    assert html.count('class="box bad"') >= 3  # layer1.0 pair (both sides) + the extra block


def test_html_clean_has_no_highlight(clean: Comparison) -> None:
    html = render(clean, "html")
    assert "✓ MATCH" in html
    assert html.count('class="box bad"') == 1 and html.count('class="box ghost"') == 1  # legend


def test_html_crash(crashed: Comparison) -> None:
    html = render(crashed, "html")
    assert "The candidate crashed" in html
    assert html.count('class="box ghost crashed"') == 1  # layer3.1, where it failed
    assert html.count(">not reached<") == 2 + 1  # layer4.0, layer4.1 and the head


def test_html_escapes_user_names(hostile: Comparison) -> None:
    html = render(hostile, "html")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    _parse(html)


# ----------------------------------------------------------------------------- github


def test_github_syntax(any_comparison: Comparison) -> None:
    out = render(any_comparison, "github")
    lines = out.splitlines()
    assert lines and all(GITHUB_LINE.match(line) for line in lines), lines
    assert lines[-1].startswith("::notice title=resnet-verify::")


def test_github_dirty(dirty: Comparison) -> None:
    lines = render(dirty, "github").splitlines()
    errors = [line for line in lines if line.startswith("::error")]
    # one error per root cause: two findings, one unexplained mismatch; explained ones fold in
    assert len(errors) == 3
    assert errors[0].startswith("::error title=resnet-verify%3A Block counts differ::")
    assert "Explains 2 mismatches #1, #2" in errors[0]
    assert errors[1].startswith("::error file=models/my_resnet.py,line=42,title=resnet-verify%3A ResNet v1")
    # property escaping: ',' and ':' in the file name; data escaping: '%' and the newline
    assert errors[2].startswith("::error file=src/odd%2Cname%3Afile.py,line=7,title=")
    assert "stride 100%25 wrong: see a,b%0Asecond line | piped" in errors[2]
    notices = [line for line in lines if line.startswith("::notice")]
    assert notices[0].startswith("::notice title=resnet-verify note::")
    assert "3 mismatches between MyResNet18 and resnet18" in lines[-1]


def test_github_clean(clean: Comparison) -> None:
    assert render(clean, "github") == (
        "::notice title=resnet-verify::match: MyResNet18 equals resnet18 (input 1x3x64x64, 6 classes)\n"
    )


def test_github_escaping_helpers() -> None:
    assert escape_data("100%\r\n:,") == "100%25%0D%0A:,"
    assert escape_property("a%b\nc:d,e") == "a%25b%0Ac%3Ad%2Ce"


# ----------------------------------------------------------------------------- with compare()


def _fixture(name: str) -> nn.Module:
    path = FIXTURES / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_render_fixture_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return _meta(module.build)


@pytest.mark.parametrize("name", ["broken_block_counts_layer3", "broken_v1_stride_layer3"])
def test_real_comparisons_render(name: str) -> None:
    compare = pytest.importorskip("resnet_verify.verify.comparison").compare
    c = compare(_fixture(name), "resnet50", input_size=SIZE, num_classes=6)
    assert not c.ok
    for fmt in FORMATS:
        out = render(c, fmt)
        assert out == render(c, fmt)
    assert json.loads(render(c, "json")) == to_dict(c)
    _parse(render(c, "html"))
    assert all(GITHUB_LINE.match(line) for line in render(c, "github").splitlines())
    assert len(_table(render(c, "markdown"), STAGE_HEADER)) == len(c.stages)
