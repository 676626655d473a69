"""What a new process pays before it compares: only the modules the command runs are imported, and
the speed-ups behind that change no answer (issue #25, ``benchmarks/speed_targets.py``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from resnet_verify.cli.main import COMMANDS, main_parser
from resnet_verify.specs import sources
from resnet_verify.specs.builders import build_model, build_reference, build_reference_model
from resnet_verify.tracing.serialize import encode
from resnet_verify.tracing.tracer import trace

ROOT = Path(__file__).resolve().parents[1]

# Numeric checks, porting, the other renderers, the other commands: none is on a compare's path.
NOT_ON_THE_COMPARE_PATH = (
    "resnet_verify.verify.equivalence",
    "resnet_verify.verify.porting",
    "resnet_verify.report.html",
    "resnet_verify.report.json_report",
    "resnet_verify.report.github",
    "resnet_verify.report.markdown",
    "resnet_verify.cli.check_config",
    "resnet_verify.cli.train",
    "resnet_verify.train",
)


def test_the_compare_path_imports_only_what_it_runs() -> None:
    code = (
        "import sys\n"
        "from resnet_verify.cli.main import main_parser\n"
        "main_parser('compare')\n"
        "from resnet_verify.report.formats import render\n"
        "from resnet_verify.specs.builders import build_model\n"
        "from resnet_verify.verify.comparison import compare\n"
        f"print([m for m in {NOT_ON_THE_COMPARE_PATH!r} if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_torch_is_imported_with_the_collector_paused_then_resumed() -> None:
    code = (
        "import gc\n"
        "from resnet_verify._fast_import import torch_imported_once\n"
        "with torch_imported_once():\n"
        "    import torch\n"
        "    paused = not gc.isenabled()\n"
        "class Cycle:\n"
        "    pass\n"
        "a, b = Cycle(), Cycle()\n"
        "a.other, b.other = b, a\n"
        "del a, b\n"  # garbage made after the import is still collected
        "print(paused, gc.isenabled(), gc.get_freeze_count() > 10_000, gc.collect() >= 2)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True", "True", "True"]


def test_lazy_names_are_the_modules_own() -> None:
    from resnet_verify import report, verify
    from resnet_verify.report import formats, html, json_report

    assert verify.check_equivalence.__module__ == "resnet_verify.verify.equivalence"
    assert verify.port.__module__ == "resnet_verify.verify.porting"
    assert formats.render_html is html.render_html
    assert report.load_report is json_report.load_report and report.to_dict is json_report.to_dict
    with pytest.raises(AttributeError):
        _ = formats.render_pdf  # not a renderer: the lazy lookup still says so


@pytest.mark.parametrize("command", COMMANDS)
def test_one_command_parser_reads_as_the_whole_one(command: str) -> None:
    def sub(parser: object) -> str:
        action = next(a for a in parser._subparsers._group_actions)  # type: ignore[attr-defined]
        return str(action.choices[command].format_help())

    assert sub(main_parser(command)) == sub(main_parser())


def test_display_path_follows_the_folder_and_its_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "_SHOWN_AS", {})  # this test's labels only
    file = tmp_path / "pkg" / "net.py"
    file.parent.mkdir()
    file.write_text("")
    monkeypatch.chdir(tmp_path)
    assert sources.display_path(str(file)) == "pkg/net.py"
    monkeypatch.chdir(file.parent)
    assert sources.display_path(str(file)) == "net.py"  # asked again from elsewhere: not the first answer
    monkeypatch.chdir(ROOT)
    assert sources.display_path(str(file)) == file.resolve().as_posix()
    sources.show_folder_as(tmp_path, "HEAD~1:")
    assert sources.display_path(str(file)) == "HEAD~1:pkg/net.py"


@pytest.mark.parametrize(("spec", "drawn"), [("resnet18", "torchvision"), ("resnet50_v1", "family")])
def test_a_reference_built_without_drawing_traces_as_one_drawn(spec: str, drawn: str) -> None:
    if drawn == "torchvision":
        import torchvision

        with torch.device("meta"):
            model = torchvision.models.resnet18(weights=None, num_classes=10)
        skipped = build_reference(spec, num_classes=10)
    else:
        model = build_model(spec, num_classes=10, device="meta")[0]  # random_init: drawn on meta
        skipped = build_reference_model(spec, num_classes=10)
    assert encode(trace(skipped, 64, owned=True)) == encode(trace(model, 64, owned=True))
