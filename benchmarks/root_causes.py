"""Root causes, measured: how many mismatches a correct finding claims, over every fixture that
differs from its reference and over real models users bring (timm, transformers, Keras 3), each
compared with torchvision's resnet50 (or the fixture's reference) at 64 px, 6 classes.

    python benchmarks/root_causes.py [--out reports]

A mismatch counts as *claimed correctly* when a finding of an expected pattern claims it: the
fixture's ``patterns`` in tests/fixtures/catalog.py, or the patterns listed below for a real model.
Equivalent re-implementations must have no mismatch at all. Writes ``root_causes.md`` and
``root_causes.json`` under ``--out``. Random weights only; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import ROOT, log, machine_facts, table

sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("KERAS_BACKEND", "torch")

from fixtures.catalog import BROKEN, EQUIVALENT, path_of

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import DESCRIPTIONS

SIZE, CLASSES = 64, 6
DESCRIBED = {p.value for p in DESCRIPTIONS}  # findings that say what differs without naming a variant


def _timm(name: str, **kwargs: Any) -> Callable[[], Any]:
    def build() -> Any:
        import timm

        return timm.create_model(name, pretrained=False, num_classes=CLASSES, **kwargs)

    return build


def _transformers_resnet50() -> Any:
    import transformers

    config = transformers.ResNetConfig(depths=[3, 4, 6, 3], layer_type="bottleneck")
    config.num_labels = CLASSES
    return transformers.ResNetForImageClassification(config)


def _keras(name: str) -> Callable[[], Any]:
    return lambda: build_model(f"keras:{name}", num_classes=CLASSES, input_size=(3, SIZE, SIZE))[0]


# (label, builder, patterns a correct explanation uses); empty: must compare clean.
REAL: tuple[tuple[str, Callable[[], Any], frozenset[str]], ...] = (
    ("timm:resnet50", _timm("resnet50"), frozenset()),
    ("timm:resnet50d", _timm("resnet50d"), frozenset({"resnet_c_deep_stem", "resnet_d_avg_pool_shortcut"})),
    ("timm:resnet50c", _timm("resnet50c"), frozenset({"resnet_c_deep_stem"})),
    ("timm:seresnet50", _timm("seresnet50"), frozenset({"squeeze_excitation"})),
    ("timm:resnet50 output_stride=16", _timm("resnet50", output_stride=16), frozenset({"dilated_output_stride"})),
    ("timm:resnetv2_50", _timm("resnetv2_50"),
     frozenset({"pre_activation", "pre_activation_stem", "conv_classifier"})),
    ("transformers ResNetForImageClassification (resnet50 config)", _transformers_resnet50, frozenset()),
    ("keras:ResNet50", _keras("ResNet50"), frozenset({"resnet_v1_stride", "conv_bias_before_bn", "keras_batchnorm"})),
    ("keras:ResNet50V2", _keras("ResNet50V2"), frozenset({"pre_activation", "pre_activation_stem",
                                                          "stage_end_downsampling", "keras_batchnorm"})),
)  # fmt: skip


def measure(label: str, model: Any, reference: str, expected: frozenset[str], kind: str) -> dict[str, Any]:
    started = time.perf_counter()
    c = compare(model, reference, input_size=SIZE, num_classes=CLASSES)
    right = {i for f in c.findings if f.pattern.value in expected for i in f.mismatches}
    claimed = {i for f in c.findings for i in f.mismatches}
    found = sorted({f.pattern.value for f in c.findings})
    return {
        "model": label, "kind": kind, "reference": reference, "mismatches": len(c.mismatches), "claimed": len(claimed),
        "claimed_correctly": len(right), "unexplained": len(c.mismatches) - len(claimed),
        "findings": found, "expected": sorted(expected), "wrong_findings": sorted(set(found) - expected - DESCRIBED),
        "seconds": round(time.perf_counter() - started, 2),
    }  # fmt: skip


def run_all() -> list[dict[str, Any]]:
    rows = []
    for f in (*BROKEN, *EQUIVALENT):
        model = build_model(f"{path_of(f)}:build", num_classes=CLASSES, device="meta")[0]
        kind = "clean" if not f.kinds else "named variant" if set(f.patterns) - DESCRIBED else "plain defect"
        rows.append(measure(f.name, model, f.reference, f.patterns, kind))
        log(f"{f.name}: {rows[-1]['claimed_correctly']}/{rows[-1]['mismatches']}")
    for label, build, expected in REAL:
        try:
            model = build()
        except ImportError as exc:  # an optional extra not installed: say so, do not guess
            log(f"{label}: skipped ({exc})")
            continue
        rows.append(measure(label, model, "resnet50", expected, "named variant" if expected else "clean"))
        log(f"{label}: {rows[-1]['claimed_correctly']}/{rows[-1]['mismatches']}")
    return rows


def render(rows: list[dict[str, Any]], facts: dict[str, Any]) -> str:
    named = [r for r in rows if r["kind"] == "named variant"]
    plain = [r for r in rows if r["kind"] == "plain defect"]
    clean = [r for r in rows if r["kind"] == "clean"]
    total = sum(r["mismatches"] for r in named)
    right = sum(r["claimed_correctly"] for r in named)
    lines = [
        "# Root causes, measured (regenerated by `python benchmarks/root_causes.py`)", "",
        f"torch {facts.get('torch')}, {facts.get('cores')} cores. Every model at {SIZE} px, {CLASSES} classes.", "",
        f"- **Named variants** ({len(named)} models: fixtures with a catalogue pattern, real timm / Keras "
        f"models): {total} mismatches, {right} claimed by an expected finding "
        f"(**{100 * right / max(total, 1):.1f}%**), {sum(r['unexplained'] for r in named)} unexplained; "
        f"models with a finding that is not expected: {sum(1 for r in named if r['wrong_findings'])}.",
        f"- **Plain defects** ({len(plain)} fixtures: a missing ReLU, a crash ... no named variant): "
        f"{sum(r['mismatches'] for r in plain)} mismatches, {sum(r['unexplained'] for r in plain)} shown "
        f"unexplained with their location, {sum(r['claimed'] for r in plain)} described (several differences "
        f"of one unit or one line said as one finding); models with a named finding (a wrong one: none "
        f"applies): {sum(1 for r in plain if r['wrong_findings'])}.",
        f"- **Must compare clean** ({len(clean)} models: equivalent re-implementations, timm's and "
        f"transformers' plain ResNet50): with any mismatch: {sum(1 for r in clean if r['mismatches'])}.", "",
        table(["model", "kind", "reference", "mismatches", "claimed correctly", "unexplained", "findings", "unexpected"],
              [[r["model"], r["kind"], r["reference"], r["mismatches"], r["claimed_correctly"], r["unexplained"],
                ", ".join(r["findings"]) or "-", ", ".join(r["wrong_findings"]) or "-"] for r in rows]),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def real_code(folder: Path) -> list[str]:
    """Summary of the two measurements on code nobody here wrote: the timm / transformers sweep
    (reports/timm_sweep.json) and the idiom corpus (reports/idiom_corpus.json), when present."""
    lines = ["", "## Real code (summaries of reports/timm_sweep.md and reports/idiom_corpus.md)", ""]
    sweep, corpus = folder / "timm_sweep.json", folder / "idiom_corpus.json"
    if sweep.is_file():
        rows = json.loads(sweep.read_text())["rows"]
        total = sum(r.get("mismatches", 0) for r in rows)
        unexplained = sum(r.get("unexplained", 0) for r in rows)
        verdicts = [r["model"] for r in rows if r.get("verdict")]
        crashed = [r["model"] for r in rows if r.get("crash")]
        full = sum(
            1 for r in rows if not r.get("crash") and not r.get("unexplained") and not r.get("verdict")
        )
        described = sum(1 for r in rows if set(r.get("findings", ())) & DESCRIBED)
        by_description = sum(r.get("described", 0) for r in rows)
        lines += [
            f"- **timm's residual families and transformers' ResNet / BiT** ({len(rows)} models, each against "
            f"its closest torchvision ResNet at 64 px or the smallest size it runs at): {full} fully explained; "
            f"{total - unexplained} of {total} mismatches claimed by a finding "
            f"(**{100 * (total - unexplained) / max(total, 1):.1f}%**), {unexplained} left unexplained and shown "
            f"at their layer (single differences, each its own message); {described} models use a "
            f"description (what differs, where) for part of it"
            + (
                f", {by_description} mismatches claimed by descriptions, {total - unexplained - by_description} "
                "by named variants"
                if by_description
                else ""
            )
            + "; "
            f"'not a residual network' verdicts: {len(verdicts)} ({', '.join(verdicts) or 'none'}); crashes: "
            f"{len(crashed)}. Wrong names are not judged here (no expectation per model): the corpus below "
            "judges them.",
        ]
    if corpus.is_file():
        data = json.loads(corpus.read_text())
        for part, t in data.get("totals_per_part", {}).items():
            lines.append(
                f"- corpus part **{part}**: {t['right']} of {t['idioms']} idioms as expected, named right "
                f"{t['named_right']}/{t['named']}, described right {t['described_right']}/{t['described']}, "
                f"wrong names {t['wrong_names']}, claim rate {t['claim_rate']:.3f}, swapped sides "
                f"{t['swapped_right']}/{t['swapped']}"
            )
        lines.append(
            "  (first runs of the held-out parts, before any change made for them: see idiom_corpus.md)"
        )
    return lines if len(lines) > 3 else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "reports"), help="folder for root_causes.md/.json")
    args = parser.parse_args(argv)
    rows = run_all()
    facts = machine_facts()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    text = render(rows, facts) + "\n".join(real_code(out)) + "\n"
    (out / "root_causes.md").write_text(text)
    (out / "root_causes.json").write_text(json.dumps({"machine": facts, "rows": rows}, indent=2) + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
