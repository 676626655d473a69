"""Notebooks (#26): a Comparison, a Trace and a Summary display as their reports (HTML, Markdown),
small and scoped, with a one-line text repr; one notebook is executed end to end in a real kernel."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

import resnet_verify
from resnet_verify.models import resnet18, resnet34
from resnet_verify.report.notebook import SCOPE, scope_css
from resnet_verify.verify.records import Comparison

MAX_HTML = 100_000  # the report is ~20 KB; a notebook must never carry a megabyte of inline script


@pytest.fixture(scope="module")
def deeper() -> Comparison:
    """A ResNet-34 against torchvision's ResNet-18: one finding (block counts)."""
    return resnet_verify.compare(resnet34(num_classes=6), "resnet18", input_size=32, num_classes=6)


def test_comparison_displays_as_the_report(deeper) -> None:
    html = deeper._repr_html_()
    assert html.startswith(f'<div class="{SCOPE}"><style>') and html.endswith("</div>")
    assert "block_counts" in html and "Stages" in html
    assert "<script" not in html.lower() and len(html) < MAX_HTML
    assert "<html" not in html and "<body" not in html  # a fragment, not a page inside the notebook
    markdown = deeper._repr_markdown_()
    assert markdown.startswith("# resnet-verify: `ResNet` vs `resnet18`") and "block_counts" in markdown
    assert repr(deeper) == "<Comparison ResNet vs resnet18 @ 1x3x32x32: 1 difference (8 mismatches)>"


def test_trace_and_summary_display_as_the_shape_report(deeper) -> None:
    tr = deeper.candidate
    assert repr(tr).startswith("<Trace ResNet @ 1x3x32x32: 16 blocks in 4 stages, 21,287,750 params")
    html = tr._repr_html_()
    assert "layer4" in html and "<script" not in html.lower() and len(html) < MAX_HTML
    assert "| part | path |" in tr._repr_markdown_()
    summary = resnet_verify.summarize(resnet18(num_classes=6), 32)
    assert repr(summary).startswith("<Summary ResNet @ 1x3x32x32: 8 blocks in 4 stages")
    assert "stage 4" in summary._repr_html_() and "total params: 11,179,590" in summary.text()
    assert "\n" not in repr(summary)


def test_the_stylesheet_stays_inside_the_report() -> None:
    css = scope_css(
        "*{box-sizing:border-box}\nbody{margin:0}\nh1,h2{font-size:2px}\ntd.num{text-align:right}"
    )
    selectors = [rule.partition("{")[0] for rule in css.splitlines()]
    assert selectors == [
        f".{SCOPE}, .{SCOPE} *",
        f".{SCOPE}",
        f".{SCOPE} h1, .{SCOPE} h2",
        f".{SCOPE} td.num",
    ]


NOTEBOOK_CELLS = (
    "import resnet_verify\nfrom resnet_verify.models import resnet34",
    "comparison = resnet_verify.compare(resnet34(num_classes=6), 'resnet18', input_size=32, num_classes=6)\n"
    "comparison",
)


@pytest.mark.slow
def test_a_notebook_shows_the_html_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core warns when its old paths are used
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS])
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(client.setup_kernel())
        except Exception as exc:  # no kernel can start here (no kernelspec, no local sockets): say so
            pytest.skip(f"a Jupyter kernel could not start here: {type(exc).__name__}: {exc}")
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
    (output,) = notebook.cells[1].outputs
    assert output["output_type"] == "execute_result"
    html = output["data"]["text/html"]
    assert html.startswith(f'<div class="{SCOPE}">') and "block_counts" in html and len(html) < MAX_HTML
    assert "text/markdown" in output["data"]
    assert re.fullmatch(r"<Comparison ResNet vs resnet18 @ 1x3x32x32: .*>", output["data"]["text/plain"])
