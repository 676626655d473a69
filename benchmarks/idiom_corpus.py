"""The idiom corpus, measured (#23): every idiom of tests/fixtures/heldout/manifest.py compared with
its reference at its input size, 10 classes, and judged against the expectation written before the
tool was run (tests/fixtures/heldout/judge.py: the same judge the tests use).

    python benchmarks/idiom_corpus.py [--part all|heldout|heldout2|...|heldout12|development] [--out reports]

Per idiom: the expectation, the findings reported, the mismatches, how many a correct finding
claims, how many no finding claims, wrong names (patterns neither expected nor allowed), and whether
the twin (the same code without the idiom) compares clean, and, for an idiom with named patterns,
whether the same names (and no wrong one) come back with the sides swapped (the idiom model as the
reference, its torchvision reference as the candidate). Totals: named right, described right (no
wrong name, everything unclaimed located where the idiom is), wrong names, claim rate. Writes
``idiom_corpus.md`` and ``idiom_corpus.json`` under ``--out`` for ``--part all`` (the default: one
totals row and one table per part, then all parts together), ``idiom_corpus_PART.*`` for one part.
Parts (tests/fixtures/heldout/manifest.py): ``heldout`` to ``heldout12`` were written after the
detectors, each measured once as is (some since used to improve the tool; ``heldout13``: ResNets as
tutorials, blog posts, notebooks and course assignments write them; ``heldout14``: ResNets
after deployment, compression and training-recipe tooling; ``heldout15``: the same ResNets
written with unusual low-level spellings; ``heldout16``: ResNet variants from papers as their
repositories write them; ``heldout17``: surgery on torchvision ResNets when fine-tuning;
``heldout18``: ResNets as config-driven model zoos and feature-extraction wrappers build them;
``heldout19``: ResNets built for other domains as those repositories write them;
``heldout20``: ResNets whose model as built differs from the model as written;
``heldout21``: ResNets modernized step by step as papers and their repositories write them;
``heldout22``: tiny and embedded ResNets as TinyML / on-device code writes them, and preprocessing,
augmentation and test-time tricks written inside ``forward``;
``heldout23``: ResNets as semi-supervised, self-supervised, few-shot and reinforcement-learning
repositories write them; ``heldout24``: ResNets that arrive
converted from another framework or format, as converter output and porting scripts write them;
``heldout25``: ResNets as adversarial-robustness and certification repositories write them;
``heldout26``: residual networks outside image classification compared with the user's own unedited
builder; ``heldout27``: ResNets as medical-imaging code writes them;
``heldout28``: residual networks without convolutions or with few compared with the user's own
unedited builder; ``heldout29``: ResNets as knowledge-distillation and continual-learning repositories
write them; ``heldout30``: ResNets as uncertainty-estimation and ensemble repositories write them;
``heldout31``: memory-saving and reversible ResNets and ResNets as differential-privacy and
federated-learning repositories write them; ``heldout32``: ResNets as video-understanding repositories
write them, a 2-D ResNet over frames; ``heldout33``: ResNets as visual-tracking and Siamese-network
repositories write them; ``heldout34``: ResNets as training frameworks and their model-surgery tools
produce them; ``heldout35``: ResNets as Q&A answers, issue threads and code-assistant tutorials write
them from scratch, and the slips asked about in those threads; ``heldout36``: ResNet backbones as
semantic-segmentation repositories write them; ``heldout37``: ResNets whose architecture comes from a
search or a config; ``heldout38``: ResNet backbones as object-detection and instance-segmentation
repositories write them; ``heldout39``: ResNets as person re-identification, face-recognition and
metric-learning repositories write them; ``heldout40``: ResNets as performance-oriented and
hardware-benchmark repositories write them; ``heldout41``: ResNets as remote-sensing and
multispectral-imagery repositories write them; ``heldout42``: ResNet backbones as OCR,
scene-text-recognition and text-detection repositories write them; ``heldout43``: ResNets as
depth-estimation and anomaly-detection repositories write them; ``heldout44``: ResNet feature
extractors as stereo-matching and optical-flow repositories write them; ``heldout45``: 1-D residual
networks over text and physiological signals as their repositories write them; ``heldout46``: ResNets
as explainability and interpretability code wraps and edits them; ``heldout47``: ResNet backbones as
human-pose-estimation and keypoint-detection repositories write them; ``heldout48``: residual networks as
super-resolution and image-restoration repositories write them; ``heldout49``: ResNet image encoders as
image-captioning, VQA / multimodal and fine-grained-classification repositories write them; ``heldout50``:
ResNets as scientific-computing repositories write them; ``heldout51``: dynamic-width, dynamic-depth and
early-exit ResNets as their research code writes them; ``heldout52``: ResNets with parameter-efficient
fine-tuning and conditioning as public repositories write them; ``heldout53``: ResNet visual encoders as
robot-learning and imitation-learning repositories write them; ``heldout54``: residual networks inside
normalizing flows and invertible models as public repositories write them; ``heldout55``: residual networks for
time-series forecasting as their repositories write them; ``heldout56``: continuous-depth and ODE-inspired
residual networks as public repositories write them; ``heldout57``: spiking residual networks with the
neurons written by hand; ``heldout58``: binary and low-bit ResNets as their research repositories write them;
``heldout59``: residual networks over point clouds and graphs as public repositories write them; ``heldout60``:
residual networks inside learned image compression as CompressAI-style repositories write them; ``heldout61``:
neural operators and PDE surrogates with residual structure as public repositories write them; ``heldout62``:
ResNets with dynamic convolutions and hypernetworks as public repositories write them; ``heldout63``:
weight-tied, recurrent and equilibrium-style residual networks as public repositories write them; ``heldout64``:
rotation- and reflection-equivariant residual networks written by hand; ``heldout65``: ResNets whose 3x3 conv or
downsampling is another operator as public repositories write them; ``heldout66``: ResNets as domain-adaptation and
domain-generalization repositories write them; ``heldout67``: residual networks in style transfer and image-to-image
translation as public repositories write them; ``heldout68``: hybrid CNN-transformer networks built on ResNet stages
as public repositories write them; ``heldout69``: mixture-of-experts and sparsely gated residual networks as public
repositories write them; ``heldout70``: 1-Lipschitz and orthogonal residual networks as public repositories write
them; ``heldout71``: audio and speech ResNets as public repositories write them; ``heldout72``: residual blocks of
diffusion U-Nets and score models as public repositories write them; ``heldout73``: residual networks of
reinforcement-learning agents as public repositories write them; ``heldout74``: residual blocks of GAN
discriminators as public repositories write them; ``heldout75``: video and volumetric (3-D) ResNets as public
repositories write them; ``heldout76``: ResNet backbones as self-supervised and contrastive-learning repositories
write them; ``heldout77``: high-resolution multi-branch residual networks (HRNet, Lite-HRNet, DLA) as
public repositories write them; ``heldout78``: ResNets from model-compression and pruning repositories as they
write them; ``heldout79``: ResNets from few-shot, meta-learning and continual-learning repositories as they write
them; ``heldout80``: ResNets from neural-ODE and uncertainty-estimation repositories as they write them;
``heldout81``: ResNet feature encoders from optical-flow, stereo-matching and visual-tracking repositories as they
write them; ``heldout82``: speaker-verification residual networks as speaker and speech repositories write them;
``heldout83``: residual networks for time series and tabular data as public repositories write them;
``heldout84``: Bayesian and probabilistic ResNets as public repositories write them;
``heldout85``: gait-recognition and LiDAR bird's-eye-view residual backbones as public repositories write them;
``heldout86``: 2-D residual networks in scientific code as public repositories write them;
``heldout87``: face anti-spoofing and image-forensics ResNets as public repositories write them;
``heldout88``: ResNet backbones as crowd-counting and density-estimation repositories write them;
``heldout89``: ResNets as fine-grained recognition repositories write their heads and backbones;
``heldout90``: ResNets as image-retrieval and landmark-recognition repositories write them;
``heldout91``: ResNets as computational-pathology and whole-slide-image repositories write them;
``heldout92``: ResNets as long-tailed-recognition and test-time-adaptation repositories write them;
``heldout93``: ResNet backbones as anchor-free detection repositories write them;
``heldout94``: two-stream and multimodal ResNets as public repositories write them;
``heldout95``: ResNets written with PyTorch's functional and parametrization tooling;
``heldout96``: ResNets prepared for quantization, mixed precision and deployment;
``heldout97``: ResNets as Kaggle competition solutions write them;
``heldout98``: stochastic regularization and training tricks written inside residual networks;
``heldout99``: residual networks whose gradients are shaped by the model's own code;
``heldout100``: in-place operations and aliasing inside residual networks;
``heldout101``: stateful forwards and first-call initialisation in residual networks;
``heldout102``: eval-mode and inference-time behaviour written inside residual networks;
``heldout103``: residual networks whose forward depends on the input's size or batch;
``heldout104``: weights tied, shared or re-used inside residual networks;
``heldout105``: what a residual network's forward returns;
``heldout106``: numerical details written inside residual networks;
``heldout107``: behaviour attached to residual networks outside their forward;
``heldout108``: control flow written inside a residual network's forward;
``heldout109``: dtypes, casts and input conventions written inside residual networks;
``heldout110``: ResNets built by subclassing or configuring torchvision's ResNet class;
``heldout111``: padding, borders and pooling modes written inside residual networks;
``heldout112``: variable-name slips and copy-paste mistakes inside residual blocks' forwards;
``heldout113``: residual networks composed from generic wrappers;
``heldout114``: widths and depths computed from multipliers and rounding rules in residual networks;
``heldout115``: mixed and composite normalisation inside residual networks;
``heldout116``: what residual networks add to their input or stem inside forward;
``heldout117``: wrappers that decide which weights a residual network runs with;
``heldout118``: identity shortcuts that do something in residual networks;
``heldout119``: modules whose shape or existence is decided at the first call or by probing;
``heldout120``: builders that set, load or transform their own weights;
``heldout121``: ops written from primitives and custom autograd Functions inside residual networks;
``heldout122``: ResNets ported to PyTorch from Flax, Gluon, TensorFlow and Caffe with their layer defaults;
``heldout123``: model surgery done after construction;
``heldout124``: ResNets assembled from library building blocks (torchvision.ops, timm.layers);
``heldout125``: channel-pruned and slimmed ResNets whose widths come from a pruning result;
``heldout126``: ResNet backbones as self-supervised and contrastive-learning repositories write them;
``heldout127``: indexing, gathering and scattering inside residual networks;
``heldout128``: ResNets rewritten to be friendly to torch.compile, torch.export, TorchScript and torch.func;
``heldout129``: modified ResNets from multimodal and foundation-model repositories;
``heldout130``: fused and compound torch ops inside residual networks;
``heldout131``: training-time noise and mixing written inside forward()); an idiom's
``heldout130``: fused and compound torch ops inside residual networks); an idiom's
``heldout132``: weight parametrizations and constraints inside residual networks); an idiom's
input size is N (N x N RGB) or its full shape (C x L, C x H x W, C x D x H x W),
``development`` holds the fixtures the detectors were written against; a ``clean`` idiom
(an initialisation, another spelling) is right when it compares clean.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import ROOT, log, machine_facts, table

sys.path.insert(0, str(ROOT / "tests"))

from fixtures.heldout.judge import DESCRIPTIONS, judge
from fixtures.heldout.manifest import PARTS, Idiom

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare

CLASSES = 10


def _compare(spec: str, idiom: Idiom) -> Any:
    # Built as `resnet-verify compare` builds a candidate (user code exactly, with its values; a
    # library builder's shape-only shortcut), not on meta: the corpus measures what users get.
    model, name = build_model(spec, num_classes=CLASSES, random_init=False)
    return compare(
        model, idiom.reference, input_size=idiom.compare_size, num_classes=CLASSES, candidate_name=name
    )


def expectation(idiom: Idiom) -> str:
    if idiom.clean:
        return "clean (nothing structural differs)"
    parts = [", ".join(sorted(p.value for p in idiom.named))] if idiom.named else []
    if idiom.described:
        at = [w or "(root)" for w in idiom.where]
        lacking = [w for w in idiom.where_reference if w not in idiom.where]
        text = "described at " + (", ".join(at) if at else "—")
        if lacking:
            text += "; lacking " + ", ".join(lacking)
        if idiom.model_level:
            text += "; output"
        parts.append(text)
    text = " + ".join(parts)
    if idiom.allowed:
        text += " (allowed: " + ", ".join(sorted(p.value for p in idiom.allowed)) + ")"
    return text


def swapped(idiom: Idiom) -> dict[str, Any]:
    """The sides swapped: the idiom model as the reference. The same names, none wrong."""
    reference, name = build_model(idiom.reference, num_classes=CLASSES, random_init=False)
    try:
        c = compare(reference, idiom.builder, input_size=idiom.compare_size, num_classes=CLASSES,
                    candidate_name=name)  # fmt: skip
    except Exception as exc:
        return {
            "ok": False,
            "reported": [],
            "missing": [],
            "wrong": [],
            "error": f"{type(exc).__name__}: {exc}",
        }
    reported = {f.pattern for f in c.findings}
    fine = idiom.named | idiom.allowed | (DESCRIPTIONS if idiom.described else frozenset())
    missing = sorted(p.value for p in idiom.named - reported)
    wrong = sorted(p.value for p in reported - fine)
    return {
        "ok": bool(c.mismatches) and not missing and not wrong,
        "reported": [f.pattern.value for f in c.findings],
        "missing": missing,
        "wrong": wrong,
    }


def measure(idiom: Idiom) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        twin = _compare(idiom.twin, idiom)
        twin_clean, twin_error = not twin.mismatches and not twin.findings, None
    except Exception as exc:  # a twin that cannot be built or compared is a result too (heldout10)
        twin_clean, twin_error = False, f"{type(exc).__name__}: {exc}"
    row: dict[str, Any] = {
        "idiom": idiom.name,
        "part": idiom.part,
        "seen_in": idiom.seen_in,
        "reference": idiom.reference,
        "input_size": idiom.input_size,
        "kind": "clean" if idiom.clean else "named" if idiom.named else "described",
        "expected": expectation(idiom),
        "twin_clean": twin_clean,
    }
    if twin_error is not None:
        row["twin_error"] = twin_error
    try:
        v = judge(idiom, _compare(idiom.builder, idiom))
    except Exception as exc:  # a crash is a result too
        row.update(error=f"{type(exc).__name__}: {exc}", ok=False, reported=[], mismatches=0,
                   claimed_correctly=0, unexplained=0, wrong_names=[], missing_names=[],
                   loose=[], unlocated=[])  # fmt: skip
    else:
        row.update(
            ok=v.ok,
            reported=list(v.reported),
            mismatches=v.mismatches,
            claimed_correctly=v.claimed_correctly,
            unexplained=v.unexplained,
            wrong_names=list(v.wrong_names),
            missing_names=list(v.missing_names),
            loose=sorted(set(v.loose)),
            unlocated=sorted(set(v.unlocated)),
        )
    row["swapped"] = swapped(idiom) if idiom.named else None
    row["seconds"] = round(time.perf_counter() - started, 2)
    log(f"{idiom.name}: {'right' if row['ok'] else 'not right'} ({row['seconds']} s)")
    return row


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    named = [r for r in rows if r["kind"] == "named"]
    described = [r for r in rows if r["kind"] == "described"]
    clean = [r for r in rows if r["kind"] == "clean"]
    mismatches = sum(r["mismatches"] for r in rows)
    claimed = sum(r["claimed_correctly"] for r in rows)
    return {
        "idioms": len(rows),
        "right": sum(r["ok"] for r in rows),
        "named_right": sum(r["ok"] for r in named),
        "named": len(named),
        "described_right": sum(r["ok"] for r in described),
        "described": len(described),
        "clean_right": sum(r["ok"] for r in clean),
        "clean": len(clean),
        "with_wrong_names": sum(bool(r["wrong_names"]) for r in rows),
        "wrong_names": sum(len(r["wrong_names"]) for r in rows),
        "twins_clean": sum(r["twin_clean"] for r in rows),
        "swapped_right": sum(r["swapped"]["ok"] for r in named if r.get("swapped")),
        "swapped": sum(1 for r in named if r.get("swapped")),
        "mismatches": mismatches,
        "claimed_correctly": claimed,
        "claim_rate": round(claimed / mismatches, 3) if mismatches else None,
        "unexplained": sum(r["unexplained"] for r in rows),
    }


def code_version() -> str:
    """The commit measured, and whether the package had uncommitted edits (a shared working tree)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "resnet_verify"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    edits = " + uncommitted edits under resnet_verify/" if dirty.stdout.strip() else ""
    return f"{head.stdout.strip() or 'unknown'}{edits}"


def _short(items: list[str], n: int = 3) -> str:
    if not items:
        return "—"
    return ", ".join(items[:n]) + (f" (+{len(items) - n})" if len(items) > n else "")


def totals_rows(t: dict[str, Any]) -> list[list[Any]]:
    return [
        ["idioms right", f"{t['right']} of {t['idioms']}"],
        ["named right", f"{t['named_right']} of {t['named']}"],
        ["described right (no wrong name, located)", f"{t['described_right']} of {t['described']}"],
        ["clean right (nothing reported)", f"{t['clean_right']} of {t['clean']}"],
        ["idioms with a wrong name", f"{t['with_wrong_names']} ({t['wrong_names']} wrong names)"],
        ["twins clean", f"{t['twins_clean']} of {t['idioms']}"],
        ["named idioms right with the sides swapped", f"{t['swapped_right']} of {t['swapped']}"],
        [
            "claim rate (mismatches claimed by a correct finding)",
            f"{t['claimed_correctly']} of {t['mismatches']} ({t['claim_rate']})",
        ],
        ["mismatches no finding claims", t["unexplained"]],
    ]


def per_part_table(by_part: dict[str, dict[str, Any]]) -> str:
    return table(
        ["part", "idioms", "right", "named right", "described right", "clean right", "wrong names",
         "twins clean", "swapped right", "claim rate"],
        [
            [
                part,
                t["idioms"],
                t["right"],
                f"{t['named_right']} of {t['named']}",
                f"{t['described_right']} of {t['described']}",
                f"{t['clean_right']} of {t['clean']}",
                f"{t['wrong_names']} in {t['with_wrong_names']} idioms",
                f"{t['twins_clean']} of {t['idioms']}",
                f"{t['swapped_right']} of {t['swapped']}",
                f"{t['claimed_correctly']} of {t['mismatches']} ({t['claim_rate']})",
            ]
            for part, t in by_part.items()
        ],
    )  # fmt: skip


def _swapped_cell(sw: dict[str, Any] | None) -> str:
    if sw is None:
        return "—"
    if sw["ok"]:
        return "yes"
    said = sw.get("error") or _short(sw["reported"], 3)
    return f"no ({said})"


def idiom_table(rows: list[dict[str, Any]]) -> str:
    return table(
        [
            "idiom",
            "reference",
            "expected",
            "reported",
            "mismatches",
            "claimed right",
            "unexplained",
            "wrong names",
            "left where",
            "twin clean",
            "right",
            "swapped",
        ],
        [
            [
                r["idiom"],
                r["reference"].split(":")[-1],
                r["expected"],
                _short(r["reported"], 4),
                r["mismatches"],
                r["claimed_correctly"],
                r["unexplained"],
                _short(r["wrong_names"]),
                _short(r["missing_names"] + r["loose"] + r["unlocated"]) if not r["ok"] else "—",
                "yes" if r["twin_clean"] else "no",
                "yes" if r["ok"] else "no",
                _swapped_cell(r.get("swapped")),
            ]
            for r in rows
        ],
    )


PART_NOTES = {
    "heldout": "written after the detectors changed (tests/fixtures/heldout/{attention,blocks,norms,"
    "stems_heads}.py). These numbers are AFTER the tool was improved on this part, so it is no longer "
    "held out; its first measurement, before any change made for it, was 7 of 16 right.",
    "heldout2": "written later in our own words (tests/fixtures/heldout/batch2_*.py), expectations fixed "
    "before the tool was first run on them. These numbers are AFTER the tool was improved on this part; "
    "its first measurement was 17 of 19 right (eca_mean and no_relu_after_add missed).",
    "heldout3": "combinations and odd spellings (tests/fixtures/heldout/batch3_*.py), written in our own "
    "words with expectations fixed before the tool was first run on them. These numbers are AFTER the "
    "tool was improved on this part; its first measurement was 12 of 19 right.",
    "heldout4": "idioms taken from public code (tests/fixtures/heldout/batch4_*.py: the manifest says where "
    "each was seen), written in our own words without reading the detectors, their tests or the crash "
    "causes, expectations fixed before the tool was first run on them. These numbers are AFTER the tool "
    "was improved on this part; its first measurement was 15 of 18 right (with the sides swapped, 9 of "
    "10 named idioms right).",
    "heldout5": "idioms taken from public code and the issue's list (tests/fixtures/heldout/batch5_*.py: "
    "the manifest says where each was seen), written in our own words without reading the detectors, "
    "their tests or the crash causes, expectations fixed before the tool was first run on them. These "
    "numbers are AFTER the tool was improved on this part; its first measurement was 11 of 15 right "
    "(with the sides swapped, 5 of 5 named idioms right). The two still missed are disagreements kept "
    "as measured: a 7x7 pool head at 224 reported as fixed-size, a 32-wide stem named widths.",
    "heldout6": "whole networks written the way public repositories write them (kuangliu/pytorch-cifar, "
    "detectron2, jwyang/faster-rcnn.pytorch, Cadene/pretrained-models.pytorch, a Keras port, fastai "
    "xresnet, d2l, a Kaggle head, mmpretrain) and plain single edits of them "
    "(tests/fixtures/heldout/batch6_*.py), written in our own words without reading the detectors, "
    "their tests or the crash causes, expectations fixed before the tool was first run on them. First "
    "measurement: 12 of 16 right, twins 16 of 16 clean (with the sides swapped, 6 of 9 named idioms "
    "right); missed: kuangliu_preact50, keras_resnet50, d2l_resnet18, kuangliu_plain_layer3.",
    "heldout7": "ResNets as they arrive from other ecosystems (gluoncv's ResNetV1b, PaddlePaddle's "
    "ResNet-vd, Flax's ImageNet ResNet, pycls) and odd spellings of whole networks (an fx GraphModule, "
    "SyncBatchNorm, functional blocks on a ParameterDict, a split body and classifier, a flattened "
    "unpooled head, activation checkpointing), and plain single edits of them "
    "(tests/fixtures/heldout/batch7_*.py), written in our own words without reading the detectors, "
    "their tests or the crash causes, expectations fixed before the tool was first run on them. First "
    "measurement (at 8c95422): 14 of 15 right, twins 14 of 15 clean (with the sides swapped, 4 of 5 "
    "named idioms right); missed: flax_resnet50 (its NHWC blocks, twin included, read as 16 channels).",
    "heldout8": "ResNets for other inputs as public code writes them: a 1-D ECG ResNet (PTB-XL benchmark), "
    "3-D ResNets (kenshohara's 3D-ResNets with shortcut A, MedicalNet, R(2+1)D by hand, a 1-channel MC3), "
    "2-D ResNets for grayscale and multispectral images (conv1 replaced, RGB weights summed, a stride-1 "
    "'same' stem, an 11-band encoder), each at its input's full shape, and plain single edits of them "
    "(tests/fixtures/heldout/batch8_*.py), written in our own words without reading the detectors, their "
    "tests or the crash causes, expectations fixed before the tool was first run on them. First "
    "measurement (at 536d0b3): 10 of 14 right, twins 14 of 14 clean (with the sides swapped, 6 of 10 "
    "named idioms right); missed: ptbxl_resnet1d (fixed_size_head for a globally pooled 1-D head), "
    "kenshohara_resnet18_a (compare() raised: a meta-built model moved with Module.to()), "
    "medicalnet_resnet18 (dilation left to repeated_in_blocks), irhum_r2plus1d18 (widths for the "
    "(2+1)-D intermediate channels).",
    "heldout9": "bugs people reported in hand-written ResNets (issue threads, Q&A, public files: a ReLU "
    "before the add, the add after the last ReLU, a branch added to itself, a helper's ReLU never called, "
    "one BN used twice, a BN never called, every add missing, the stride on the 1x1, one block object "
    "repeated in a stage, an extra block per stage, the stride on the second 3x3, a 7x7 average pool at "
    "64 px), each on a torchvision-named ResNet-18/50 with its twin the same code fixed "
    "(tests/fixtures/heldout/batch9_*.py), written in our own words without reading the detectors, their "
    "tests or the crash causes, expectations fixed before the tool was first run on them. First "
    "measurement (at 27e778b, with and without others' uncommitted edits under resnet_verify/: the "
    "same): 10 of 12 right, twins 12 of 12 clean (with the sides swapped, 3 of 5 named idioms right); "
    "missed: add_to_itself (block_counts for blocks whose add reads the branch twice), "
    "shared_block_list (nothing reported for blocks sharing one module: a false 'no difference').",
    "heldout10": "ResNet cousins and networks that are not ResNets, each compared with a torchvision "
    "ResNet (a VGG-16-BN, a DenseNet-121, MobileNetV2, EfficientNet-B0, ConvNeXt-T; PyramidNet-110, "
    "WRN-28-10, PreResNet-164 at 32 px; a hand-written ResNeXt-50, RegNetY-400MF, a stochastic-depth "
    "ResNet-50), the twin the reference written in the same file's style where the family is the idiom, "
    "and plain single edits of three of them (tests/fixtures/heldout/batch10_*.py), written in our own "
    "words without reading the detectors, their tests or the crash causes, expectations fixed before the "
    "tool was first run on them. First measurement (at f8b198d, no uncommitted edits under "
    "resnet_verify/): 8 of 14 right, twins 13 of 14 clean (with the sides swapped, 7 of 11 named idioms "
    "right); missed: convnext_tiny and convnext_tiny_k5 (build_model on meta raises for a builder that "
    "reads torch.linspace(...).tolist()), pyramidnet110 and preresnet164 (cifar_stem, pre_activation, "
    "block_counts, fixed_size_head instead of the cifar_resnet_family verdict), regnety_400mf (the "
    "not_a_residual_network verdict for a ResNeXt-kind network), stodepth_resnet50 (dropout, not "
    "stochastic_depth, for blocks skipped at random).",
    "heldout11": "ResNets built for a task, as task repositories write them (a re-identification ResNet-50 "
    "with last stride 1 and a BNNeck, insightface's IR-ResNet-18 at 112 px, a SimCLR projection MLP, an "
    "L2-normalised embedding, Dropout2d in blocks, a CoordConv stem, a DeepLab multi-grid backbone, a "
    "segmentation_models_pytorch encoder and a RetinaNet C3-C5 backbone returning several maps, the "
    "pytorch-cifar100 ResNet-18), and plain single edits of four of them (tests/fixtures/heldout/"
    "batch11_*.py), written in our own words without reading the detectors, their tests or the crash "
    "causes, expectations fixed before the tool was first run on them. First measurement (at 1d3bc60, no "
    "uncommitted edits under resnet_verify/): 13 of 14 right, twins 14 of 14 clean (with the sides "
    "swapped, 3 of 4 named idioms right); missed: face_iresnet18 (pre_activation for the IR blocks "
    "BN-conv-BN-PReLU-conv-BN; downsampling_moved and first_stage_downsampling not reported).",
    "heldout12": "the founding workflow: a user's own Keras functional ResNet as the reference and their "
    "PyTorch port as the candidate, each twin the port written as the Keras model computes, and plain "
    "single edits of the ports (tests/fixtures/heldout/batch12_*.py). First measurement (at f072542): 8 of "
    "12 right, twins 8 of 12 clean; r18_relu_bn and r50v2_stage_end are fixture mistakes kept as written "
    "(their ports pad the stem pool with zeros after a BN: keras_pool_padding is right).",
    "heldout13": "ResNets as tutorials, blog posts, notebooks and course assignments write them (Paperspace-"
    "style blocks, a course 'ResNet-34' without shortcuts, ModuleList / OrderedDict spellings, Aladdin "
    "Persson's ResNet-50 with Softmax, the Coursera ResNet50 port) and plain edits "
    "(tests/fixtures/heldout/batch13_*.py). First measurement (at 788dc30): 14 of 14 right, twins 14 of 14 "
    "clean, swapped 6 of 6.",
    "heldout14": "ResNets after deployment, compression and training-recipe tooling (quantization-ready and "
    "fused, BN folded, Torch-Pruning output, spectral / weight norm, Tucker, channels_last, bf16, EMA + "
    "DataParallel, zero gamma, hand-written ResNet-D) and plain edits (tests/fixtures/heldout/batch14_*.py)."
    " First measurement (at 788dc30): 13 of 16 right, twins 16 of 16 clean, swapped 5 of 7; missed: "
    "sn_resnet18 and wn_resnet18 (the parametrized weights not seen at all: a false 'no difference'), "
    "folded_resnet50_stale_bn (one stray BN named 'no normalization').",
    "heldout15": "the same ResNets written with low-level spellings (F.conv2d on hand-made Parameters, x @ W.T "
    "heads, 1x1s as einsum and as nn.Linear on a channels-last permute, im2col 3x3s, torch.maximum ReLUs, "
    "sum([...]) skips, add_module / ModuleDict / functools.reduce / checkpoint_sequential / "
    "functional_call) and plain edits (tests/fixtures/heldout/batch15_*.py). First measurement (at "
    "d733499): 6 of 15 right, twins 13 of 15 clean, swapped 0 of 2: the tool did not read a weight product "
    "as the layer it computes.",
    "heldout16": "ResNet variants from papers written by hand as their repositories do (CLIP's ModifiedResNet, "
    "NF-ResNet, iResNet, GhostNet modules, deformable convs, BoTNet, EDSR residual scaling, shake-shake, "
    "ShakeDrop, SRM, SimAM, ResNet-RS) and plain edits (tests/fixtures/heldout/batch16_*.py). First "
    "measurement (at 2061c22): 11 of 15 right, twins 15 of 15 clean, swapped 5 of 6; missed: iresnet50, "
    "ghost_resnet50, deform_resnet50, shake_shake_resnet18.",
    "heldout17": "surgery on torchvision ResNets when fine-tuning, as notebooks, Kaggle kernels and forum answers "
    "write it (fastai concat-pool and MLP / LogSoftmax heads, task heads, stage features concatenated, a 1x1-conv "
    "class map, the CIFAR recipe by assignment, a 4-channel conv1, last stride 1, the network cut after layer3, "
    "freezing, an input-normalizing wrapper) and plain mistakes in it (tests/fixtures/heldout/batch17_*.py). "
    "First measurement (at db77c43): 13 of 15 right, twins 15 of 15 clean, swapped 7 of 8; missed: "
    "conv_head_resnet50 (described, conv_classifier not named), layer4_dropped_resnet50 (widths for the stem).",
    "heldout18": "ResNets as config-driven model zoos and feature-extraction wrappers build them (an OpenMMLab-style "
    "classifier from config dicts through registries with ConvModule order / norm_cfg / act_cfg, style='caffe', "
    "deep_stem, avg_down, frozen_stages; torchvision's IntermediateLayerGetter on a dilated ResNet-50; a timm-style "
    "features_only list; a Lightning-style module built by a Hydra-style instantiate; a detectron2-style cfg with "
    "FREEZE_AT; nn.Sequential(OrderedDict) from a per-stage list) and plain mistakes in such configs "
    "(tests/fixtures/heldout/batch18_*.py). First measurement (at 5e70705): 14 of 15 right, twins 15 of 15 clean, "
    "swapped 8 of 9; missed: d2_cfg_freeze_at2_r50 (FrozenBatchNorm2d in the stem and res2 said as parameterless "
    "batch norms, repeated_in_blocks, normalization_layer not named).",
    "heldout19": "ResNets built for other domains as those repositories write them, each at its natural input shape "
    "(a 1-channel spectrogram ResNet-18 with a softmax, a ResNet-34 with a speech-style 3x3 stem, PANNs' ResNet38, "
    "wespeaker's half-width ResNet34 with statistics pooling, voxceleb_trainer's quarter-width ResNetSE34L with "
    "attentive pooling, a CTC text recognizer with stride (2, 1) stages, an AlphaZero residual tower, an AlbuNet "
    "U-Net encoder returning five maps, a 13-band ResNet-18 behind a 1x1 band adapter) and plain mistakes in such "
    "code (tests/fixtures/heldout/batch19_*.py). First measurement (at 4f84a2c): 10 of 15 right, twins 13 of 15 "
    "clean, swapped 4 of 9; missed: panns_resnet38 (block_counts for equal counts, fixed_size_head for a globally "
    "pooled head), wespeaker_resnet34 and voxceleb_resnetse34l (thin stages matched by width: block_counts, not "
    "widths), alphazero_tower (widths not named), band_adapter_resnet18 (input_channels not named); two edits' "
    "twins (the unedited network against itself) not clean: an unused fc kept on both sides reported.",
    "heldout20": "ResNets whose model as built differs from the model as written (blocks cloned with copy.copy, "
    "ShaResNet's tied 3x3 weights, one BatchNorm per width in a flat ResNet-18, a default-argument ReLU instance, "
    "stages in a plain list, MixStyle and a dropout in training mode only, a softmax in eval mode only, a max pool "
    "skipped below 128 px, detached shortcuts, a no_grad linear probe, Tent's BatchNorms without running "
    "statistics, a BN -> GN swap by setattr with dotted names, shortcuts added in place into a slice, a builder "
    "round-tripping its own state_dict) and their harmless spellings (tests/fixtures/heldout/batch20_*.py). "
    "First measurement (at 31fc0b3): 11 of 16 right, twins 16 of 16 clean, swapped 2 of 4; missed: mixstyle_r18, "
    "train_only_dropout_r18 and detach_skip_r50 (nothing reported: false 'no difference'), view_add_r18 and "
    "view_add_option_a_r18 (the in-place add into a slice read as an extra __getitem__, the head lost).",
    "heldout21": "ResNets modernized step by step as papers and their repositories write them: the ConvNeXt path "
    "applied to torchvision's ResNet-50 one change at a time (stage ratio 3:3:9:3, a 4x4 stride-4 patchify stem, "
    "depthwise 3x3s with wider stages, the inverted bottleneck, the depthwise conv moved up at 7x7, GELU, fewer "
    "activations and norms, a channels-first LayerNorm, separate downsampling layers), RepVGG / ACNet / Diverse "
    "Branch blocks in training form in every 3x3 of a ResNet-18, and plain mistakes in such code (LayerNorm over "
    "the last axis, a depthwise helper dropping groups=, layer3 left with ReLU, the patchify conv at stride 2) "
    "(tests/fixtures/heldout/batch21_*.py). First measurement (at 0e3d498): 7 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 9; missed: cnx_resnextify_r50, cnx_inverted_r50, cnx_dw_up_k7_r50 (the not-a-ResNet verdict "
    "for any depthwise block), cnx_fewer_acts_norms_r50 (normalization_layer not named), cnx_separate_down_r50 "
    "(the downsampling layer paired as a block: block_counts), repvgg_r18, acnet_r18, dbb_r18 (branch sums read "
    "as residual units: block_counts [6, 1, 6, 6]), cnx_ln_last_axis_r50 (nothing reported: a false 'no "
    "difference').",
    "heldout22": "tiny and embedded ResNets as TinyML / on-device repositories write them, each against the closest "
    "torchvision ResNet at its natural small input (MLPerf Tiny's ResNet-8 in its PyTorch ports' flat style, a CIFAR "
    "ResNet-20 ready for int8 with QuantStub and FloatFunctional adds, honk's keyword-spotting res15 at 1 x 101 x 40 "
    "MFCCs, a 0.25x width-multiplier and a hand-written hard-swish ResNet-18; the ResNet-8 with ReLUs clamped at 6 and "
    "with its pool left at 4), and preprocessing, augmentation and test-time tricks inside forward on torchvision's "
    "ResNet-18 / 50 at 64 px (mean / std buffers, BGR -> RGB with / 255, a resize to 224 before the stem, eval-only "
    "flip test-time augmentation, a train-only batched augmentation module, temperature scaling; the buffers swapped, "
    "a resize to 256, the augmentation left on in eval) (tests/fixtures/heldout/batch22_*.py). First measurement (at "
    "71299be): 11 of 16 right, twins 16 of 16 clean, swapped 6 of 7; missed: hardswish_r18 (the last block's "
    "activation read as head ops), resnet8_relu6 (clamp(0, 6) not read as an activation: repeated_in_blocks, "
    "fixed_size_head), flip_tta_r18 (the mirror's pass read as extra blocks: block_counts), mean_std_swapped_r18 "
    "(nothing reported: a false 'no difference'), aug_in_eval_r50 (the augmentation said to be missing in the "
    "candidate).",
    "heldout23": "ResNets as semi-supervised, self-supervised, few-shot and reinforcement-learning repositories write "
    "them (FixMatch / TorchSSL / USB's WideResNet-28-2 at 32 px, the few-shot ResNet-12 of rfs / mmfewshot at 84 px, "
    "SimSiam's projector and predictor and DINO's MultiCropWrapper and head on a ResNet-50, cleanrl's IMPALA CNN at "
    "64 px, IBN-Net-b's ResNet-50, fyu/drn's DRN-C-26 at 224 px) and plain mistakes in such code (TF's BN momentum "
    "0.999, LeakyReLU's default slope, DropBlock in every stage, a projection without its BN, an in-place first ReLU, "
    "the first residual block run twice, an affine-free IBN InstanceNorm, dilated convs padded by 1, DINO's head "
    "without its L2 norm) (tests/fixtures/heldout/batch23_*.py). First measurement (at 0968f9f): 9 of 16 right, "
    "twins 15 of 16 clean, swapped 3 of 7; missed: fewshot_resnet12 (the not-a-ResNet verdict), dino_resnet50 (the "
    "wrapper's cat of one tensor reported, its twin too), impala_cnn (batchnorm_folded for a norm-free network, "
    "normalization_layer not named), drn_c_26 (stages paired by resolution: block_counts and widths, no "
    "dilated_output_stride or conv_classifier), wrn_leaky_default_slope (nothing reported: a false 'no "
    "difference'), resnet12_dropblock_all (DropBlock described, drop_block not named), impala_inplace_relu "
    "(pre_activation named: right, the expectation wanted it unnamed).",
    "heldout24": "ResNets that arrive converted from another framework or format, as converter output and porting "
    "scripts write them (onnx2pytorch / onnx2torch-style node graphs: an eval-mode export with BN folded into the "
    "convs, a Shape -> Gather -> Unsqueeze -> Concat -> Reshape head, BN constants read back through float32; MMdnn's "
    "Caffe ResNet-50 at 224 px; a pytorch-caffe prototxt interpreter with BatchNorm(affine=False) + Scale; TF-slim's "
    "resnet_v1_50 with the stride in each block's last unit; Haiku's ResNet-18 in hand-built modules keeping HWIO "
    "kernels and 'SAME' pads; a ResNet-18 written back from Keras with ZeroPadding2D layers; torch.fx's conv-BN fuse) "
    "and plain mistakes made in such conversions (ONNX pads handed to F.pad in ONNX order, Caffe pools without "
    "ceil_mode, every Scale layer skipped, slim.batch_norm's eps 1e-3, the 'SAME' pad's extra row at the top / left, "
    "a (in, out) Dense kernel given to F.linear untransposed) (tests/fixtures/heldout/batch24_*.py). First "
    "measurement (at 1664b31): 9 of 15 right, twins 13 of 15 clean, swapped 3 of 5; missed: onnx_f32_consts_r18 "
    "(float32-rounded eps / momentum reported as differences), onnx_pads_onnx_order_r18 (keras_stem for the "
    "misordered pads; located at the convs, not the expectation's Pad nodes), caffe_bn_scale_r50 (BatchNorm without "
    "affine + Scale not read as BatchNorm), caffe_r50_no_ceil (fixed_size_head for pool5's ceil_mode), "
    "slim_resnet_v1_50 (tf_same_padding not named for a 'SAME' pool alone), haiku_resnet18 (momentum 1 - 0.9 "
    "reported); twins mmdnn_caffe_r50 and haiku_resnet18 not clean (eps 9.99999974738e-06, momentum "
    "0.09999999999999998 compared exactly).",
    "heldout25": "ResNets as adversarial-robustness and certification repositories write them (RobustBench's zoo "
    "WideResNet-34-10 at 32 px against the plain one it builds by default: TRADES' never-run sub_block1, Pang2020's "
    "normalisation buffers and L2-normalised features and Linear rows, Bag-of-Tricks' Softplus; DeepMind's "
    "WideResNet-28-10 with SiLU, TF-'same' pads and mean / std in forward against the plain WideResNet it ports; "
    "MadryLab robustness's AttackerModel on its ResNet-50 with fake_relu / no_relu flags; Cohen et al.'s "
    "NormalizeLayer + DataParallel ResNet-50; a Monte-Carlo smoothing wrapper and an input-gradient regularisation "
    "wrapper on ResNet-18; AdvProp's MixBatchNorm2d in ResNet-50; feature denoising blocks after each ResNet-50 "
    "stage; a 1-Lipschitz ResNet-18 of Björck convs and GroupSort without BN) and plain mistakes in such code "
    "(no_relu and fake_relu left on the logits' path, the auxiliary BNs left on at evaluation, denoising blocks "
    "built for ResNet-18's widths, GroupSort at its default last axis) (tests/fixtures/heldout/batch25_*.py). First "
    "measurement (at 4815550): 11 of 16 right, twins 16 of 16 clean, swapped 2 of 4; missed: "
    "madry_fake_relu_default (nothing reported: FakeReLU's straight-through backward not compared), "
    "gradreg_input_r18 (a detach of an input that requires no grad reported as a gradient cut), advprop_adv_bn_eval "
    "(nothing reported: the auxiliary BNs' parameters run, unused ones matched by shape), lnets_r18 (GroupSort "
    "paired with BatchNorm, activation_function not named, projection_without_bn), lnets_groupsort_last_axis "
    "(nothing reported: a sort over the width read as the same ops).",
    "heldout26": "residual networks outside image classification, each compared with the user's own unedited "
    "builder in the same file (FILE.py:CALLABLE as the reference, not torchvision): junyanz's CycleGAN "
    "ResnetGenerator at 64 px, sgrvinod's SRResNet at 24 px, SNGAN's ResNet discriminator (spectral norm, ReLU "
    "first, average-pool downsampling) at 32 px, rosinality's StyleGAN2 discriminator ((out + skip) / sqrt(2)) at "
    "64 px, pesser's DDPM UNet (GroupNorm(32), swish, the time embedding between the convs) at 64 px, r9y9's "
    "WaveNet at 1 x 256, locuslab's TCN at 2 x 200; refactors that compute the same function (a functional "
    "CycleGAN generator, the SNGAN shortcut pooling first, StyleGAN2's 1 / sqrt(2) split over both branches, "
    "improved-diffusion's ResBlock, left-padded causal convs) and single edits made by mistake (zero padding, "
    "affine InstanceNorm, tanh left out, one block's add lost, the scaling factor in each sub-pixel block, the "
    "long skip lost, a shortcut without spectral norm, the 1 / sqrt(2) dropped, GroupNorm(16), the time "
    "embedding after conv2, WaveNet's causal cut from the end) (tests/fixtures/heldout/batch26_*.py). First "
    "measurement (at 5f45d5f): 7 of 16 right, twins 16 of 16 clean, swapped 1 of 1; missed: "
    "cyclegan_last_block_no_add (block_counts for one block without its add), srresnet_factor_each_block (widths "
    "for the pixel shuffle's wider convs), srresnet_no_long_skip (block_counts: the long skip read as a 17th "
    "block), sngan_pool_first_shortcut (a false 'outputs do not match' for a conv and a pool that commute), "
    "stylegan2_split_gain (the distributed scale reported), stylegan2_no_skip_gain (the last block's missing div "
    "misaligns the stddev ops: 'the head is built differently'), ddpm_groupnorm16 and wavenet_cut_from_end "
    "(nothing reported: false 'no difference's for GroupNorm's groups and a slice's bounds), tcn_left_pad (a "
    "left pad + unpadded conv against padding + Chomp1d reported as 48 mismatches).",
    "heldout27": "ResNets as medical-imaging code writes them (MONAI's ResNet: its 3-D resnet18 defaults for a "
    "1-channel CT against r3d_18 and its 2-D one for chest X-rays against resnet18 (conv1_t_size / conv1_t_stride on "
    "every axis, the max pool, the projection's bias), shortcut 'A' with out.data, widen_factor 2, feed_forward=False, "
    "each twin the MONAI configuration that is the torchvision network; torchxrayvision's 1-channel, 18-target, "
    "sigmoid ResNet-50; a 2.5-D five-slice ResNet-18; grayscale repeated to 3 channels in forward; a Cox survival "
    "head; and against the user's own builder: a CheXNet-style sigmoid head turned softmax, ResUNet refactored (clean) "
    "and written post-activation, nnU-Net's residual-encoder U-Net with InstanceNorm's affine off and its strides in "
    "(x, y, z) order) (tests/fixtures/heldout/batch27_*.py). First measurement (at 7188d0a): 12 of 14 right, twins "
    "14 of 14 clean, swapped 9 of 10; missed: chexnet_r50_softmax (the sigmoid -> softmax mismatch found at fc.1 but "
    "softmax_output not named, either way), nnunet_resenc_xyz_strides (axis_stride named, the skip pool's kernel left "
    "unclaimed and the decoder's transposed conv not reported).",
    "heldout28": "residual networks without convolutions or with few, each compared with the user's own unedited "
    "builder in the same file (FILE.py:CALLABLE as the reference): rtdl's tabular ResNet (BatchNorm1d, Linear to 2x, "
    "ReLU, dropout, Linear back, dropout, add) on 32 features, a pre-LayerNorm residual MLP ending in F.normalize, "
    "ResMLP (Affine, cross-patch Linear, LayerScale) and MLP-Mixer on 16 tokens x 64 features, tsai's InceptionTime "
    "at 3 x 128, PointMLP's residual point MLP at 3 x 100; refactors that compute the same function (a Sequential "
    "block with torch.add, Linears as 1x1 Conv1d, the cross-patch Linear as Conv1d(tokens, tokens, 1), LayerNorm "
    "written out, InceptionTime as Sequential residual units, point-wise Linears on N x P x C) and an initialisation "
    "(LayerScale 1e-5), all expected clean, and single edits made by mistake (the hidden width halved, the residual "
    "dropout on the sum, token mixing on the feature axis, one block's token add lost, nf halved, BatchNorm1d over "
    "the points, the L2 normalisation left out) (tests/fixtures/heldout/batch28_*.py). First measurement (at "
    "e65dd42): 8 of 14 right, twins 10 of 14 clean, swapped 1 of 2; missed: the four rtdl idioms and their twins "
    "(a 32-feature vector read as 1 x 32: BatchNorm1d(64) cannot run, compare() raises), mixer_layernorm_by_hand "
    "(LayerNorm written out reported as another norm with half the parameters), point_bn_wrong_axis "
    "(not_a_residual_network: point-wise Linears around a BatchNorm over the points read as ViT-style blocks).",
    "heldout29": "ResNets as knowledge-distillation and continual-learning repositories write them, against the "
    "user's own unedited builder in the same file or torchvision's ResNet-18: RepDistiller's resnet8x4 (is_last "
    "blocks returning (out, preact), forward(x, is_feat, preact)) called for (features, logits), AFD's copy with each "
    "ReLU moved to the head of the next block, torchdistill-style hooks that store layer outputs (all clean), the "
    "teacher's resnet32x4 and the narrow resnet8 built for the student (block_counts, widths), the is_last tuple "
    "returned swapped; GEM's reduced ResNet-18 against torchvision's (cifar_stem, widths), mammoth's nf = 64 "
    "(widths), GEM's x.view(bsz, 3, 32, 32) in a 64 px network (hard_coded_view_size); the CIFAR ResNet-32 of "
    "class-incremental code: iCaRL's / PyCIL's DownsampleA (option A), LUCIR's last block without ReLU and "
    "CosineLinear (described), LUCIR's last flag on every block and its cosine classifier without sigma, PyCIL's "
    "IncrementalNet dict output and MEMO's split extractors (clean), DER's two concatenated backbones (described) "
    "(tests/fixtures/heldout/batch29_*.py). First measurement (at bbe7a26): 11 of 16 right, twins 16 of 16 clean, "
    "swapped 3 of 6; missed: rd_resnet8x4_feats_logits (the first tensor of the ([feats], logits) tuple, f0, "
    "compared as the prediction), rd_resnet8_for_8x4 (extra_module_in_blocks besides widths for the reference's "
    "layer1 projection), rd_preact_swapped (layer3.0's missing ReLU reported as the head's pool and Linear "
    "missing), icarl_resnet32_option_a (normalization_layer for DownsampleA's x.mul(0) besides option A), "
    "der_two_backbones (cifar_resnet_family: two parallel backbones read as one six-stage network).",
    "heldout30": "ResNets as uncertainty-estimation and ensemble repositories write them: DDU's CIFAR ResNet-18 at 32 "
    "px against the user's own unedited builder (mod=True: LeakyReLU + AvgPoolShortCut; a soft spectral norm with "
    "coefficient 3 computed in forward; the builder cleaned up without its no-op / temp (clean); the mod shortcut at a "
    "1 x 1 window), heads on torchvision's resnet18 (SNGP / DUE's random-Fourier-feature head, DUQ's RBF centroid head "
    "on a CIFAR stem, MC dropout kept on before fc, an evidential softplus + 1 head and, against it, ReLU evidence), "
    "and ensembles in one ResNet-18 (torch-uncertainty's Packed-Ensembles at M=1 (clean) and M=4 alpha=2, MIMO at M=3 "
    "and its unstack left out, BatchEnsemble written as per-member rank-1 weights (clean), a deep ensemble averaged "
    "as sum / len (clean) and built from one network three times) (tests/fixtures/heldout/batch30_*.py). First "
    "measurement (at 45031c3): 7 of 16 right, twins 14 of 16 clean, swapped 3 of 6; missed: ddu_mod_r18 (option A's "
    "zero channels an extra module), ddu_soft_sn_r18 (the power iteration's training-mode buffer update described "
    "as a train-only branch), ddu_cleaned_r18 (fixed_size_head for the reference's F.avg_pool2d(out, 4), equal at 32 "
    "px), duq_r18 and mimo_r18_m3 (hard_coded_class_count for a 512-feature fc and a classes * M head), "
    "packed_r18_m1 (PackedLinear's Conv1d(k=1) not read as the Linear; the M=4 twin too), be_r18_weight_scaled "
    "(106 mismatches for the rank-1 weight form), ensemble_sum_div (sum / len against stack / mean described), "
    "ensemble_shared_members (block_counts for one member run three times); MIMO's M=1 twin (x.repeat(1, 1, 1, 1) an "
    "extra op).",
    "heldout31": "memory-saving and reversible ResNets and ResNets as differential-privacy and federated-learning "
    "repositories write them: against torchvision's resnet18 at 64 px, a ResNet-18 with torchvision's names as DP / FL "
    "code copies it (Opacus' ModuleValidator.fix to GroupNorm(min(32, C), C), no in-place ops, a converter over "
    "named_children() only, weight-standardised convs by parametrize with GroupNorm, the ReLU put before the add, "
    "checkpoint_sequential over the stages, FedML resnet_gn's nn.AvgPool2d(1) head) and momentumnet's "
    "transform_to_momentumnet(resnet18(), gamma=0.9); against the user's own unedited builder: the FL CIFAR ResNet-20 "
    "(akamaster's option A) at 32 px with GroupNorm(2, C), the option-A shortcut as AvgPool2d(1, 2) + F.pad, HeteroFL's "
    "static BN, Scaler at rate 1 and half-width client, and a RevNet (channel halves, y1 = x1 + F(x2), y2 = x2 + "
    "G(y1)) computed in a memory-saving autograd.Function, as memcnn's AdditiveCoupling with torch.chunk, and with G "
    "fed x1 (tests/fixtures/heldout/batch31_*.py). First measurement (at 11707ff): 9 of 16 right, twins 16 of 16 "
    "clean, swapped 4 of 6; missed: dp_ws_gn_r18 (parameters_computed_in_forward for parametrized weight "
    "standardisation, either way), fl_r20_pool_shortcut (AvgPool2d(1, 2) not read as the ::2 slice), "
    "fl_r20_scaler_rate1 (a division by 1 in training reported as a training-only branch), fl_r20_rate_half (widths, "
    "plus the option-A pads reported as described differences, either way), rev_autograd_fn and rev_coupling_chunk "
    "(torch.chunk not read as the two slices: block_counts, widths, option_a_shortcut ... for equal networks), "
    "rev_g_on_x1 (pre_activation and cross_stage_partial named for G fed x1).",
    "heldout32": "ResNets as video-understanding repositories write them, a 2-D ResNet over frames: TSM's TSN wrapper "
    "around torchvision's resnet18 (8 frames of 64 px as 24 x 64 x 64, folded into the batch, a zero-fill temporal shift "
    "of 1/8 of the channels each way before every block's conv1, per-frame logits averaged over the segments) against "
    "the user's own unedited builder: the shift as mmaction2's 4-D view with x - x zeros and torch.cat (clean), with "
    "torch.roll, at fold_div 3, one way only, after the add; the consensus over the clips; mmaction2 TSNHead's "
    "consensus before the Linear (clean); TSN's dropout head; and the TSM backbone on single images against "
    "torchvision's resnet18; mmaction2's Recognizer2D (8 x 3 x 64 x 64) over resnet50 layers with non-local blocks, "
    "TSM's temporal pool, TANet's TAM and TEA's learnable Conv1d shift; a C2D ResNet-18 (Conv3d, temporal kernel 1) "
    "on 3 x 8 x 64 x 64 as the 2-D network over frames inflated (clean), with pool1_stride_t=2 and SlowOnly's temporal "
    "kernel 3 (tests/fixtures/heldout/batch32_*.py). First measurement (at 69d66af): 9 of 16 right, twins 16 of 16 "
    "clean, swapped 2 of 2; missed: tsm_shift_cat, tsm_shift_roll, tsm_shift_after_add, tsm_r18_single_frame and "
    "tsm_r50_non_local (not_a_residual_network: the zeros_like / slice-assignment shift before conv1 hides the "
    "blocks of the side that has it), tsn_consensus_before_fc (the mean moved across the Linear described as the "
    "stem built differently), c2d_r18_inflated (not_a_residual_network for the TSN over C x T x H x W frames, and "
    "the (1, k, k) Conv3d kernels reported against the 2-D ones).",
    "heldout34": "ResNets as training frameworks and their model-surgery tools produce them: against torchvision's "
    "resnet18 / resnet50 at 64 px, MosaicML Composer's algorithms applied by module surgery (apply_blurpool with its "
    "defaults: BlurMaxPool2d and BlurConv2d(blur_first=True) before each strided conv; blur_first=False without the "
    "pool; apply_squeeze_excite(64, 128): an SE gate after every conv with min(in, out) >= 128, shortcuts included; "
    "block stochastic depth on the Bottlenecks, scaled by 1 - rate at inference), FFCV's BlurPoolConv2d recipe and a "
    "copy of its rule typed == 1, Lightning modules (forward(x, y=None) in channels_last (clean), a softmax forward, "
    "an hparams width of 32, children()[:-1] without the flatten), Hydra-instantiated torchvision ResNets (clean; and "
    "a DeepLab replace_stride_with_dilation in a classifier's config) and Catalyst's ResnetEncoder with a Linear head "
    "(clean); against the user's own unedited builder: FFCV's blur as a Sequential(blur, conv) over a torch.outer "
    "kernel (clean), Composer's BlurPool applied twice, its SE with latent_channels 0.125 typed as 8 "
    "(tests/fixtures/heldout/batch34_*.py). First measurement (at 59db904): 10 of 16 right, twins 16 of 16 clean, "
    "swapped 3 of 8; missed: composer_blurpool_r50 and ffcv_blurpool_r18 (a fixed blur before a strided conv, the "
    "stride kept on the conv, described as 'a BlurConv2d in place of conv2' / 'an extra 3x3 conv', not blur_pool), "
    "composer_blur_late_r18 (blur_pool right, the same change described a second time), composer_se_r50 "
    "(squeeze_excitation, plus the same gates described again and the shortcut gates an extra module), "
    "composer_stodepth_r50 (dropout for a branch skipped whole), composer_se_latent8 (widths for the SE gates' "
    "hidden Linears); the five named misses the same with the sides swapped.",
    "heldout33": "ResNets as visual-tracking and Siamese-network repositories write them, at the 127 px template size "
    "against the user's own unedited builder: pysot's SiamRPN++ features (the atrous ResNet-50 with used_layers [2, 3, "
    "4]: 7x7 stem at padding 0, padding = 2 - stride, layer3 / layer4 dilated 2 / 4 at stride 1, and the AdjustAllLayer "
    "neck's 1x1 conv + BN and center 7 x 7 crop) written as SiamMask does (the halved dilation passed by _make_layer), "
    "with ResDownS' fixed 4:-4 crop and with a ModuleList neck (all clean), and with the first block at full "
    "dilation, the stem at padding 3, the neck's BN left out and the crop on one axis (described); SiamDW's "
    "CIResNet-22 (in-residual crops, center_crop7, stride2pool) with its crops as negative F.pad and the crop before "
    "the last ReLU (clean), ResNet22W (widths), last_relu not passed on and the stem crop left out (described); "
    "against torchvision's resnet50: the SiamRPN++ backbone alone (dilated_output_stride plus its padding, shortcut "
    "and headless differences), STARK's FrozenBatchNorm2d backbone cut at layer3 (normalization_layer plus the "
    "missing stage and head) and LTMU's verifier heads returning (d, x) (described) "
    "(tests/fixtures/heldout/batch33_*.py). First measurement (at cecb17b): 11 of 15 right, twins 15 of 15 clean, "
    "swapped 2 of 3; missed: stark_frozen_bn_l3 (block_counts '[3, 4, 6, 0]' for the backbone cut at layer3, either "
    "way), cir_crop_negative_pad (F.pad with negative pads not read as the slice), cir_relu_after_crop (the crop "
    "before the last ReLU described as moved), cir_stem_crop_left_out (the missing stem crop unexplained and each "
    "block's x[:, :, 1:-1, 1:-1] compared by its resolved bounds: 7 uncaused differences in the stages).",
    "heldout35": "ResNets as Q&A answers, issue threads and code-assistant tutorials write them from scratch, and the "
    "slips asked about in those threads: against torchvision's resnet18 / resnet50 at 64 px, the copied answer with an "
    "empty nn.Sequential() shortcut and a projection BN given planes (clean), one nn.ReLU(inplace=True) module shared "
    "by the stem and every block (clean), a code-assistant ResidualBlock(body, shortcut) in one nn.Sequential (clean), "
    "a flat conv2_1 ... conv5_3 ResNet-50 (clean), the conv3x3 helper's default bias, the Linear resized to the "
    "flattened 2 x 2 map instead of calling the pool, the posted Linear(2048, 1000) head, _make_layer's loop one short "
    "([2, 3, 5, 2]), a 512-wide head after the bottlenecks (named), and single slips: the bottleneck's ReLU before the "
    "add, torch.flatten(x) without start_dim, layer3 built and not called, identity += out on the block input (forward "
    "unchanged, backward raises), a 3x3 projection, BasicBlock.expansion = 2; against the user's own builder VQ-VAE-2's "
    "residual stack with its leading ReLU made inplace (described) (tests/fixtures/heldout/batch35_*.py). First "
    "measurement (at 6d2d5e9): 14 of 16 right, twins 16 of 16 clean, swapped 5 of 5; missed: identity_mutated_r18 "
    "(compares clean: the in-place add on tensors saved for backward not seen), vq_inplace_relu_skip (pre_activation "
    "named for the inplace ReLU's skip, read as the ReLU moved across the add).",
    "heldout36": "ResNet backbones as semantic-segmentation repositories write them, at 64 px: DeepLabV3 on torchvision's "
    "resnet50(replace_stride_with_dilation=[False, True, True]) through IntermediateLayerGetter ('out' / 'aux'), an ASPP "
    "head and an auxiliary FCNHead in an OrderedDict, against the user's own unedited builder: CSAIL's ResnetDilated "
    "(_nostride_dilate, clean), the PSPNet named_modules loop (first blocks at the full dilation), output stride 16 "
    "(dilated_output_stride), [True, False, True] (layer2 dilated in place of layer3, described); torchvision's "
    "fcn_resnet50 against resnet50 (dilated_output_stride and the heads); an mmseg-style ResNetV1c-50 d8 (deep stem, "
    "contract_dilation, four maps to an FCN decode head): torchvision's dilation rule and a named-attribute stem "
    "(clean), ResNetV1d's avg_down (resnet_d_avg_pool_shortcut), V1b's 7x7 stem (resnet_c_deep_stem), dilations typed "
    "(1, 1, 4, 2) and strides (1, 2, 2, 1) with the dilation kept (described); pytorch-deeplab-xception's DeepLabV3+ "
    "ResNet-50 at output stride 16 with multi-grid [1, 2, 4]: the maps in a dict (clean), mmseg's multi-grid reading "
    "(described), layer3 built by the multi-grid line (block_counts and described), padding 1 at every dilation (a "
    "crash at layer4.0's add, described) (tests/fixtures/heldout/batch36_*.py). First measurement (at d3f6c27): 12 of "
    "15 right, twins 15 of 15 clean, swapped 3 of 5; missed: deeplab_os16_backbone (the ASPP pooling branch's "
    "interpolate shape left unclaimed beside dilated_output_stride), tv_fcn_r50 (dropout named for the FCN heads' "
    "Dropout(0.1), which the expectation did not allow), mmseg_v1d_avg_down (ResLayer's kernel-1 identity pools in "
    "the unstrided stages' shortcuts described as repeated_in_blocks beside resnet_d_avg_pool_shortcut); the two "
    "named misses the same with the sides swapped.",
    "heldout37": "ResNets whose architecture comes from a search or a config, at 64 px: a once-for-all elastic "
    "ResNet-50 written as mit-han-lab/once-for-all writes OFAResNets (DynamicConv2d slicing weight[:out, :in] in forward, "
    "DynamicBatchNorm2d slicing its statistics, elastic depth running block_idx[:len - runtime_depth], expand [0.2, "
    "0.25], width [0.8, 1.0]) against torchvision's resnet50: at set_max_net() and extracted by get_active_subnet "
    "(both clean), at d = 0 (block_counts), at e = 0.2 (widths), extracted without its downsample_mode (the static "
    "block's 'avgpool_conv': ResNet-D's average-pool shortcut) and with bn_param swapped (eps 0.1 everywhere: "
    "described); JiahuiYu/slimmable_networks' slimmable ResNet-50 (switchable per-width BatchNorms) at width 1.0 "
    "(the other widths' BNs unused: described) and at 0.5 against itself at 1.0 (widths), a universally slimmable "
    "ResNet-18 with one sliced BN at width 1.0 and with conv_averaged (both clean), an AutoSlim channel list "
    "(widths); rethinking-network-pruning's cfg ResNet-50 with its bias=True projections (conv_bias_before_bn), a "
    "ResNet-18 from a pasted per-conv channel list with one typo (described), pycls' AnyNet from a ResNet-50 stage "
    "config (clean) and read with GW_PARAM (grouped_conv), searched kernel sizes per block (described) "
    "(tests/fixtures/heldout/batch37_*.py). First measurement (at 5944e64): 9 of 16 right, twins 11 of 16 clean, "
    "swapped 6 of 7; missed: ofa_r50_max, us_r18_full and us_r18_conv_averaged (parameters_computed_in_forward for "
    "slices that take the whole weight, numerically torchvision's network; the same makes five twins unclean), "
    "ofa_r50_depth_min and ofa_r50_bn_param_swapped (the right finding, plus the same parameters_computed_in_forward; "
    "the skipped blocks' unused weights left to no finding; depth_min the same swapped), slim_r50_full (the same "
    "wrong name beside the unused per-width BatchNorms), ofa_r50_extract_avgdown (resnet_d_avg_pool_shortcut right, "
    "layer1's AvgPool2d(1, 1) in the same projection left unexplained).",
    "heldout38": "ResNet backbones as object-detection and instance-segmentation repositories write them, at 64 px: an "
    "mmdetection-style ResNet written by hand (norms via add_module, style placing the bottleneck's stride, strides / "
    "dilations per stage, out_indices, a dcn dict making layer2-4's 3x3s mmcv-style DeformConv2dPacks): a ResNet-18 of "
    "BasicBlocks given style='caffe' as an mmcls classifier (clean), the caffe DC5 backbone (resnet_v1_stride and "
    "dilated_output_stride), and against the user's own DCN builder a plain conv standing in for every DCN and "
    "fallback_on_stride (described); a detectron2-style ResNet (Conv2d owning its norm, BasicStem with F.max_pool2d, "
    "stride_in_1x1, make_stage, RES5_DILATION, a dict of out_features): its ResNet-18 classifier against resnet18 "
    "(clean) and against the user's MSRA-config builder FrozenBN through F.batch_norm (clean), STRIDE_IN_1X1 off "
    "(resnet_v1_stride), RES5_DILATION 2 (dilated_output_stride), maskrcnn-benchmark's FrozenBN without eps "
    "(described); torchvision's resnet_fpn_backbone assembled by hand (clean) and with norm_layer=nn.BatchNorm2d "
    "(normalization_layer); yhenon's RetinaNet-18 with P6 from P5 and P5 smoothed before its upsampling (described); "
    "CenterNet's PoseResNet-18 with its heads in a ModuleDict (clean) and deconv_with_bias (conv_bias_before_bn); a "
    "YOLOv1 grid head on resnet18's children()[:-2] (described) (tests/fixtures/heldout/batch38_*.py). First "
    "measurement (at 1b3c7a5): 13 of 16 right, twins 16 of 16 clean, swapped 4 of 5; missed: d2_frozen_bn_functional "
    "(normalization_layer: FrozenBN through F.batch_norm(training=False) read as a trainable BatchNorm), "
    "mrcnn_frozen_bn_no_eps (the missing eps said as parameters_computed_in_forward twice, located at the norms, a "
    "name the expectation did not allow), centernet_deconv_bias (the ConvTranspose2d's bias described as an op of no "
    "kind with more parameters, conv_bias_before_bn not named; the same swapped).",
    "heldout39": "ResNets as person re-identification, face-recognition and metric-learning repositories write them, "
    "each against the user's own unedited builder in the same file: reid-strong-baseline's Baseline (a ResNet-50 at "
    "last stride 1, gap, the BNNeck BatchNorm1d with its shift frozen, a bias-free classifier) and fast-reid's AGW "
    "(non-local blocks after the last blocks of layer2 / layer3 placed by NL_k_idx lists, a learnable-p GeM) at 3 x 128 "
    "x 64: the last stride patched after construction, the non-local blocks inside the stages (both clean), fast-reid's "
    "EmbeddingHead (a BatchNorm2d neck on the 1 x 1 map, [..., 0, 0], F.linear on a bare weight: clean), the classifier "
    "fed the feature before the BNNeck, the index lists counted from the front, GeM without its root (described); "
    "insightface's IR-ResNet-18 at 112 px: its autocast(fp16=False) forward (clean), the stride on the block's first conv "
    "(downsampling_moved), the head's dropout at 0.4 (dropout), the IR-SE unit (squeeze_excitation), PReLU() with one "
    "slope and MXNet's BN eps 2e-5 / momentum 0.9 (described); IBN-Net's ResNet-50-IBN-a: the IBN written BN-first "
    "(described), IBN in layer4 too (normalization_layer and described); an ArcFace ArcMarginProduct head on a "
    "ResNet-18 embedder at 64 px: the normalisations written out (clean), the weight normalised over dim 0 (described) "
    "(tests/fixtures/heldout/batch39_*.py). First measurement (at 5caba78): 10 of 16 right, twins 16 of 16 clean, "
    "swapped 3 of 4; missed: reid_fastreid_head (neck_feat[..., 0, 0] left as an extra __getitem__ where the reference "
    "flattens), arcface_norm_by_hand (parameters_computed_in_forward and described_difference for F.normalize written "
    "out), reid_cls_before_bnneck and arcface_weight_norm_dim0 (no mismatch at all: which tensor the classifier reads, "
    "and normalize's dim, are not compared), agw_nl_first_blocks (non-local blocks at other positions aligned as "
    "residual blocks against bottlenecks: conv_bias_before_bn and widths named), iresnet_stride_on_conv1 "
    "(first_stage_downsampling for layer1.0 beside downsampling_moved, where both sides downsample in layer1; the same "
    "swapped).",
    "heldout40": "ResNets as performance-oriented and hardware-benchmark repositories write them, at 64 px: NVIDIA "
    "DeepLearningExamples' ConvNets family (LayerBuilder, last_bn_0_init, stages in one Sequential, stem() / classifier(), "
    "SEBottleneck's gate joined by torch.addcmul(residual, out, se(out))): its resnet50 (clean) and an SE-ResNet-50 "
    "(squeeze_excitation) against torchvision's resnet50, and against the user's own SE-ResNeXt-50 the unfused join and "
    "the TensorRT gate of 1x1 convs (clean) and the addcmul operands exchanged (described); a port of the Flax MLPerf "
    "ResNet-50: its TPU space-to-depth conv0 with the 7x7 kernel rearranged in forward (clean), a 4x4 x 12 kernel of its "
    "own (described), its log_softmax (softmax_output) and 'SAME' max pool (tf_same_padding); NVIDIA's MLPerf ResNet-50 "
    "on apex groupbn-style BN(+add)+ReLU modules in channels_last (clean) and with the shortcut's BN left fusing a ReLU "
    "(described); Graphcore's 4-channel padded first conv and BeginBlock / recomputation-checkpoint annotations (clean); "
    "a Conv+BN fuse pass that only looks inside nn.Sequential (batchnorm_folded); a torch.compile-friendly functional "
    "ResNet-18 (clean) and its projection's BN never called (projection_without_bn) (tests/fixtures/heldout/"
    "batch40_*.py). First measurement (at 28c8bb0): 8 of 16 right, twins 16 of 16 clean, swapped 3 of 5; missed: "
    "nv_se_r50 and nv_se_unfused (not_a_residual_network: torch.addcmul(residual, out, gate) not read as the residual "
    "add; nv_se_r50 the same swapped), nv_se_trt (the 1x1-conv gate described against the Linear gate, both networks "
    "read as one stem), nv_se_addcmul_swapped (compares clean: addcmul's operand order not compared), mlperf_s2d_stem "
    "(parameters_computed_in_forward and described_difference for the space-to-depth conv0, the 7x7 / 2 conv exactly), "
    "gc_padded_conv_r18 (the zero channel, cat and dead fourth-channel weights described), fuse_sequential_only_r50 "
    "(projection_without_bn for the folded projections, batchnorm_folded not reported; the same swapped), "
    "functional_proj_no_bn_r18 (projection_without_bn right, the never-called BNs' parameters left to no finding).",
    "heldout41": "ResNets as remote-sensing and multispectral-imagery repositories write them, at 64 px tiles: torchgeo's "
    "timm ResNets (timm.create_model('resnet18', in_chans=13) for SSL4EO-S12's Sentinel-2 weights) against torchvision's "
    "resnet18 (input_channels) and, as a ResNet-50, against the user's own 13-band torchvision builder (clean); the 13-band "
    "conv1 initialised by timm's adapt_input_conv (clean) or written with its default bias (conv_bias_before_bn); "
    "SSL4EO's 3x3 / 1 stem with an Identity max pool for EuroSAT tiles (input_channels, cifar_stem) and the max pool "
    "alone removed (input_channels, described); SSL4EO-S12's MoCo projection MLP (input_channels, described), its "
    "BigEarthNet Linear(2048, 19) (input_channels, hard_coded_class_count) and --linear probe (clean); SeCo's "
    "Sequential(children()[:-1], Flatten()) backbone (clean) and SSLFineTuner's Dropout(0.2) head (dropout); a 12-band "
    "BigEarthNet ResNet-50 with a Sigmoid in fc (input_channels, described); and against the user's own Siamese change "
    "classifier (two 4-band dates stacked as 8 channels, one shared ResNet-18 trunk, |f1 - f2|, a Linear): ChangeStar's "
    "folding of the dates into the batch (clean), a deep-copied second trunk, the abs left out and concatenation fusion "
    "(described) (tests/fixtures/heldout/batch41_*.py). First measurement (at 135c6cc): 14 of 16 right, twins 16 of 16 "
    "clean, swapped 8 of 8; missed: siam_batch_fold (two described_difference, stem and head, for the folded call: the "
    "reference's second call of its shared trunk read as head ops), siam_unshared (block_counts and a head "
    "described_difference at the root: the reference's second trunk call not aligned as blocks, the deep-copied "
    "trunk's blocks extras).",
    "heldout42": "ResNet backbones as OCR, scene-text-recognition and text-detection repositories write them, each "
    "against the user's own unedited builder in the same file: ASTER's recognition ResNet at 1 x 32 x 128 (the stride on "
    "each unit's leading 1x1, strides (2, 1) from layer3 on, a two-layer BiLSTM on the (time, batch) sequence, "
    "log_softmax): the LSTM batch-first and an adaptive average over the one-row map (clean), ResNet45's stride on the "
    "3x3 (resnet_v1_stride), layer5 typed [2, 2] (axis_stride); the deep-text-recognition-benchmark FAN ResNet with two "
    "BidirectionalLSTMs at 1 x 32 x 100: output_channel 256 (widths), maxpool3 without its (0, 1) padding (described); "
    "MASTER's ResNet with multi-aspect GC attention at 3 x 32 x 64: the GCA in every block, channel_mul fusion "
    "(described); DBNet's SegDetector and PSENet's FPN on a ResNet-18 body at 64 px: F.interpolate for nn.Upsample, "
    "IntermediateLayerGetter, interpolation to a size (clean), DB's Sigmoid left out, PSENet's neck in nearest mode "
    "(described); a PyTorch port of PaddleOCR's ResNet34_vd CRNN at 3 x 32 x 128: vd shortcuts off "
    "(resnet_d_avg_pool_shortcut), CTCHead's softmax at inference (softmax_output), the 'om' neck's one-way LSTMs with "
    "flips (clean) (tests/fixtures/heldout/batch42_*.py). First measurement (at b8f855e): 11 of 16 right, twins 16 of "
    "16 clean, swapped 5 of 5; missed: aster_batch_first_rnn (the Linear on the batch-first N x T x 2H output read as a "
    "1x1 conv against the reference's Linear), aster_height_pool (an adaptive pool over a one-row map reported as an "
    "extra op), clova_output_channel_256 (widths right, the first LSTM's parameters left to no finding), "
    "pse_nearest_neck (no mismatch: F.interpolate's mode not compared), ppocr_stack_lstm (described_difference for the "
    "four one-way LSTMs with flips, numerically the bidirectional nn.LSTM).",
    "heldout43": "ResNets as depth-estimation and anomaly-detection repositories write them, at 64 px (the pose "
    "network at 6 x 64 x 64), each against the user's own unedited builder in the same file: monodepth2's depth network "
    "(a ResnetEncoder around resnet18 returning five maps, the DepthDecoder of reflection-padded ELU ConvBlocks with "
    "nearest upsampling and skips) and pose network (a 6-channel two-frame encoder, the PoseDecoder): its "
    "ResNetMultiImageInput subclass with the conv1 kernel concatenated and halved and the decoder's tuple-keyed "
    "OrderedDict behind a ModuleList (clean), the pose encoder built for one image and fed two (conv_in_channels), ReLU "
    "for the decoder's ELU (activation_function), the decoder zero-padded and the input normalisation left out "
    "(described); anomalib's PaDiM on resnet18: PaDiM's unfold / loop / fold embedding_concat (clean), the index_select "
    "left out (described); anomalib's PatchCore on wide_resnet50_2 (layer2 / layer3, AvgPool2d(3, 1, 1)): "
    "create_feature_extractor and PatchMaker's unfold-and-average (clean), resnet50 for wide_resnet50_2 (widths), the "
    "pool unpadded (described); SPADE's extractor with forward hooks and fc an Identity (clean); STFPM's resnet18 "
    "teacher and student with anomalib's anomaly map: ResNet18_MS3 running layer4 for nothing and the maps normalised "
    "over the width (described), a resnet34 student (block_counts) (tests/fixtures/heldout/batch43_*.py). First "
    "measurement (at 06b9eaf): 12 of 16 right, twins 16 of 16 clean, swapped 4 of 4; missed: padim_unfold_fold_concat "
    "and patchcore_unfold_mean (the unfold spellings of nearest upsampling + concatenation and of a 3 x 3 average "
    "pool described as head differences), patchcore_fx_extractor (compare() raises AttributeError on the fx "
    "GraphModule's forward, whose __module__ is None), stfpm_ms3_runs_layer4 (block_counts, widths and a head "
    "described_difference: the extra layer4 realigns the teacher's and student's stages and the anomaly map's ops "
    "are read as missing).",
    "heldout44": "ResNet feature extractors as stereo-matching and optical-flow repositories write them, at 6 x 64 x 64 "
    "(two views or frames stacked on the channels) or 64 px, each against the user's own unedited builder in the same "
    "file: PSMNet-basic (feature_extraction's three-conv stem, BasicBlocks without a ReLU after the add in stages of 3, "
    "16, 3, 3, layer4 dilated 2, four SPP branches bilinearly upsampled, lastconv; the concatenation cost volume, a 3-D "
    "head and disparity regression): its block with torchvision's attribute names (clean), the volume by F.pad and "
    "torch.stack (clean), a ReLU after every add, layer4 undilated, the SPP upsampling nearest (described), convbn's "
    "default conv bias (conv_bias_before_bn); GwcNet-G (layer2-4 concatenated, the group-wise correlation volume): the "
    "correlation by einsum (clean), CFNet's Mish (activation_function), GwcNet-GC's concatenation features and volume "
    "and the group correlation summed (described); RAFT's BasicEncoder with instance norm and its all-pairs "
    "correlation: the encoder called per frame (clean), norm_fn='batch' (normalization_layer), --dropout (dropout), "
    "the correlation unscaled (described); RAFT's batch-norm context encoder: torch.chunk for torch.split (clean), the "
    "split halves exchanged (described) (tests/fixtures/heldout/batch44_*.py). First measurement (at aa79b68): 10 of 16 "
    "right, twins 16 of 16 clean, swapped 3 of 4; missed: psm_cost_volume_pad_stack and gwc_groupwise_einsum (the "
    "F.pad / stack volume and the einsum correlation, each the builder's function exactly, described as differences "
    "placed in the feature_extraction / dres0 blocks), gwc_mish (activation_function right, Mish's tanh and mul left to "
    "repeated_in_blocks and a stem described_difference; the same swapped), gwc_concat_volume (described in kind, but "
    "a head finding claims the second view's feature_extraction run, outside the expected places), raft_fnet_per_image "
    "(the per-frame calls not aligned with the batched call: stem and head described_difference), "
    "raft_context_split_swapped (no mismatch: which output of a split each op reads is not compared).",
    "heldout45": "1-D residual networks over text and physiological signals as their repositories write them, each "
    "against the user's own unedited builder in the same file: tsai's ResNet baseline of Wang et al. (kernels 7 / 5 / 3, "
    "BN or 1x1 conv + BN shortcuts, an Add module, global average pooling over time) at 3 x 128: a 'same' pad computed "
    "from x.shape[0] and the older torchtimeseries forward (clean), dl-4-tsc's kernel 8 and a projection in every "
    "shortcut (described); Ribeiro et al.'s 12-lead ECG ResNet (x, y = blk(x, y), MaxPool1d + 1x1 skips, the stride on "
    "conv2, dropout 0.8 in every unit, a flatten into the Linear) at 12 x 256: the ModuleList port (clean), the dropouts "
    "left out (dropout), a pooled head (fixed_size_head), the stride on conv1 (downsampling_moved), the skip pool "
    "averaged (described); hsd1503's Hannun-style pre-activation ResNet1D (F.pad 'same' pads, max-pooled and "
    "channel-zero-padded identities) at 1 x 256: plain paddings (clean), a projection for the zero-padded identity "
    "(option_a_shortcut), is_first_block not passed (described); VDCNN-9 with k-max pooling on 16 x 256 embedded "
    "characters: one Sequential (clean), shortcut=False (residual_add_missing), VDCNN9MaxPool (downsampling_moved), "
    "topk values out of time order (described) (tests/fixtures/heldout/batch45_*.py). First measurement (at 0f33569): "
    "13 of 16 right, twins 16 of 16 clean, swapped 5 of 6; missed: ecg_modulelist_port (dropout twice: the same "
    "dropouts under res_blocks.N and resblock1d_N not paired), hannun_plain_padding (the identity pool's dead zero pad "
    "reported missing, repeated_in_blocks), vdcnn_maxpool_blocks (repeated_in_blocks twice for the pool before the "
    "block and the strides it takes over; downsampling_moved not named, swapped too).",
    "heldout46": "ResNets as explainability and interpretability code wraps and edits them, at 64 px, against "
    "torchvision's resnet18 / resnet50 or the user's own unedited builder in the same file: Grad-CAM wrappers keeping "
    "activations and gradients (the blog-post split model with a tensor hook on layer4's map, pytorch-grad-cam's "
    "ActivationsAndGradients forward and full backward hooks on layer4[-1]: clean) and a CAM head (a 1x1 conv to the "
    "classes before the pool: conv_classifier); ReLU swaps (pytorch-grad-cam's guided-backprop autograd Function left in "
    "every ReLU's place: described; beta-smoothing Softplus(beta=10): activation_function; one ReLU per use for Captum's "
    "DeepLift: clean); wrappers (RISE's Sequential(resnet50, Softmax(dim=1)) with frozen parameters: softmax_output; a "
    "Captum forward returning one class's logit: described; a dict output read at ['logits']: clean); zennit's LRP "
    "canonizers (the residual add as stack + Sum module: clean; SequentialMergeBatchNorm left applied: "
    "conv_bias_before_bn, the BNs' eps 0 described); feature-visualisation truncation (children()[:-3]: clean; a "
    "layer-by-layer loop breaking before layer3: described); netdissect's edit_layer ablating eight units of layer4 "
    "(described); a saliency wrapper normalising inside forward (torchvision's transforms.Normalize in a Sequential: "
    "clean; the wrapper applied twice: described) (tests/fixtures/heldout/batch46_*.py). First measurement (at "
    "eef88c3): 13 of 16 right, twins 15 of 16 clean, swapped 4 of 4; missed: gradcam_module_hooks_r50 and the "
    "dissect_unit_ablation_r18 twin (a hook's stored output.detach(), which feeds no op, reported as a gradient cut), "
    "saliency_tv_normalize_r18 (transforms.Normalize's as_tensor constants and in-place sub_ / div_ described as stem "
    "differences), zennit_stack_sum_r50 (not_a_residual_network: the stack-and-sum add not read as the residual add).",
    "heldout47": "ResNet backbones as human-pose-estimation and keypoint-detection repositories write them, at 64 px, "
    "each against the user's own unedited builder in the same file: SimpleBaselines' PoseResNet-18 / 50 as "
    "microsoft/human-pose-estimation.pytorch writes it (BN_MOMENTUM, three 4x4 ConvTranspose2d + BN + ReLU to 256, a 1x1 "
    "conv to 17 heatmaps): mmpose's ResNet backbone / HeatmapHead split (clean), Bottleneck_CAFFE (resnet_v1_stride), "
    "3x3 deconvolutions, a 3x3 final conv, the last deconvolution's ReLU dropped by a layers[:-1] helper (described); "
    "princeton-vl's two-stack hourglass (biased Conv modules, pre-activation Residual units with an always-built "
    "skip_layer, Hourglass of order 4 with max pool, nearest upsampling and add, merged intermediate heatmaps): "
    "nn.Upsample(scale_factor=2) and bearpaw's ModuleList hourglass (clean), bearpaw's GroupNorm(32) "
    "(normalization_layer), post-activation units (pre_activation), the skip conv on every identity and the feature "
    "merge left out (described); DeepLabCut's PoseModel (a timm-style ResNet-50 with fc = Identity, heatmap and locref "
    "DeconvModules): output_stride 16 (dilated_output_stride), layer4's strides and dilations edited after "
    "construction (clean); OpenPifPaf's Resnet base network (the max pool popped) with CIF / CAF CompositeField3 heads: "
    "static int(shape) crop bounds (clean), --cf3-dropout 0.5 (dropout), block5_dilation's loop dilating the first "
    "block too against torchvision's rule (described) (tests/fixtures/heldout/batch47_*.py). First measurement (at "
    "f544d3d): 15 of 16 right, twins 16 of 16 clean, swapped 4 of 5; missed: hg_post_activation_units "
    "(pre_activation right but claiming 12 of 82 mismatches, the hourglasses' units left to three repeated_in_blocks: "
    "the BN and ReLU moved across the add, a max pool reading a ReLU; the same swapped, with a described_difference).",
    "heldout48": "residual networks as super-resolution and image-restoration repositories write them, at 3 x 32 x 32 "
    "low-resolution crops or 1 x 64 x 64 grayscale patches, each against the user's own unedited builder in the same "
    "file: EDSR as sanghyun-son/EDSR-PyTorch writes it (MeanShift convs, BN-free ResBlocks sharing one ReLU, res_scale "
    "0.1, a conv + PixelShuffle Upsampler): LIIF's x.add(body, alpha=res_scale) (clean), LIIF's LeakyReLU "
    "(activation_function), res_scale not passed on (described); RCAN (three residual groups of four RCABs with "
    "channel attention): KAIR's RCABlock with BasicSR's ChannelAttention (clean), the channel attention left out "
    "(squeeze_excitation), the groups' own skips lost (described); DnCNN as cszn/DnCNN's PyTorch code writes it (17 "
    "convs, BatchNorm(eps 1e-4, momentum 0.95), y - out): ModuleLists and F.relu (clean), KAIR's biased convs "
    "(conv_bias_before_bn), the noise returned (described); PyTorch-GAN's SRGAN generator with BatchNorm2d(64, 0.8) "
    "written BatchNorm2d(64) (described); BasicSR's RRDBNet: xinntao/ESRGAN's older names and a looped dense block "
    "(clean), the RRDB's outer 0.2 left out (described); BasicSR's MSRResNet with SRResNet's BatchNorm "
    "(normalization_layer); CARN-M (one efficient residual block run three times per cascading block): F.relu(out + x) "
    "(clean), --group 4 (grouped_conv), the block unshared (described) (tests/fixtures/heldout/batch48_*.py). First "
    "measurement (at c65ea23): 12 of 16 right, twins 16 of 16 clean, swapped 4 of 5; missed: edsr_add_alpha (add's "
    "alpha not read as the multiply: repeated_in_blocks 'a multiply by the constant 0.1 ... missing'), "
    "rcan_group_no_skip (the groups' lost skips misalign the units: squeeze_excitation and block_counts named wrongly, "
    "two mismatches unclaimed), msrresnet_bn_blocks (a described_difference of 32 extra BatchNorms; "
    "normalization_layer not named, swapped too), carn_m_unshared (no mismatch: weights shared between calls not "
    "compared).",
    "heldout49": "ResNet image encoders as image-captioning, VQA / multimodal and fine-grained-classification "
    "repositories write them, at 64 px, each against the user's own unedited builder in the same file: the "
    "show-attend-tell Encoder (a ResNet-50's children()[:-2], AdaptiveAvgPool2d((14, 14)), permute(0, 2, 3, 1), "
    "fine_tune() freezing the stem and layer1): its stem and stages held as attributes and called in turn (clean), "
    "layer4 dilated (dilated_output_stride), the ResNet's own pool kept by children()[:-1], the permute's H and W "
    "exchanged and the ResNet run under torch.no_grad() (described); a bottom-up C4 region encoder (RoIAlign 14 x 14 at "
    "1 / 16 on five fixed proposals, layer4 as the box head, regions averaged): the proposals as one K x 5 tensor "
    "(clean), the Caffe stride on the 1x1 (resnet_v1_stride), spatial_scale 1 / 32 (described); a bilinear CNN on "
    "ResNet-18 (bmm outer product, signed square root, F.normalize, Linear(512 ** 2, classes)): the outer product by "
    "einsum (clean), Dropout(0.8) before the classifier (dropout), the flattening moved below the normalisation "
    "(described); WS-DAN (BasicConv2d attention maps, bilinear attention pooling by einsum, fc(x * 100.)): the pooling "
    "as the earlier revision's loop (clean), the attention conv with its bias (conv_bias_before_bn); a CLIP-like "
    "classifier fusing a ResNet-18 image tower with a bag-of-words text tower over the class prompts: the similarity "
    "by F.linear (clean), FrozenBatchNorm2d in the image tower (normalization_layer), the text features left "
    "unnormalised (described) (tests/fixtures/heldout/batch49_*.py). First measurement (at 9a4054b): 8 of 16 right, "
    "twins 16 of 16 clean, swapped 5 of 5; missed: sat_permute_hw_swapped, sat_no_grad_encoder, region_spatial_scale_32 "
    "and label_text_unnormalized_text (no mismatch: a permutation's order, a torch.no_grad() block, roi_align's "
    "spatial_scale and a missing norm / div of the text features not seen), region_rois_tensor (the rois tensor "
    "read as pooler weights computed in forward, plus a head described_difference), bcnn_einsum and wsdan_bap_loop "
    "(einsum for bmm, and the per-map loop of pooled products for the einsum, described as head differences), "
    "label_text_f_linear (F.linear's text-feature weight read as parameters_computed_in_forward).",
    "heldout50": "ResNets as scientific-computing repositories write them, each against the user's own unedited "
    "builder in the same file: a Galaxy Zoo morphology ResNet-18 (half width) with the Galaxy Challenge head (dropout, "
    "Linear, ReLU, dropout, Linear to 37 answers, Dieleman's divisive output constraints by a block-diagonal mask "
    "product and the decision tree's rescaling) averaging its predictions over four torch.rot90 views in forward at "
    "3 x 64 x 64: the views by transpose + flip and the per-question normalisation by slices (clean), the port's "
    "resnet18() dropout rate 0 (dropout), a rescaling index off by one (described); the CMS / ML4SCI end-to-end "
    "jet-image ResNet-15 (log1p of the deposits inside forward, BatchNorm-free blocks reading their stride off the "
    "widths, a global max pool) at 1 x 64 x 64: the shortcut chosen by a shape test (clean), LeakyReLU blocks "
    "(activation_function), the log1p left out (described), and against its ResBlock_BN variant the BatchNorms "
    "applied to the block input (described); a seismic-event classifier on SeisBench's EQTransformer encoder and "
    "pre-activation ResCNN stack at 3 x 500 samples: nn.Dropout1d for SpatialDropout1d (clean), post-activation "
    "blocks (pre_activation), PyTorch's BN eps for Keras' (described); AtomNet's residual STEM-image segmentation "
    "network at 1 x 64 x 64: use_batchnorm on (normalization_layer), ResBlock's slope 0 taken for ResModule's 0.01 "
    "(described); Harder et al.'s constrained climate-downscaling ResNet from 1 x 16 x 16 to 64 x 64: the kron spread "
    "as nearest upsampling (clean), the multiplicative constraint for the softmax one and ResNet2's upsample-first "
    "order (described) (tests/fixtures/heldout/batch50_*.py). First measurement (at 02437f6): 13 of 16 right, twins "
    "16 of 16 clean, swapped 4 of 4; missed: gz_rot90_by_transpose_flip (the views by chained transpose + flip "
    "described as head and model differences against rot90), gz_normalise_per_question (the per-question "
    "denominators by slices described as 240 head differences against the mask product), downscale_kron_as_nearest "
    "(nearest F.interpolate described as a head difference against torch.kron with ones): each the builder's "
    "function exactly, the spelling not recognised.",
    "heldout51": "dynamic-width, dynamic-depth and early-exit ResNets as their research code writes them, the active "
    "configuration fixed when the model is built, each against the user's own unedited builder in the same file, at "
    "3 x 64 x 64: an SDN ResNet-20 (a flat ModuleList of BasicBlockWOutput, forward = only_forward for blocks without "
    "a classifier, InternalClassifiers mixing a max and an average pool by a learned alpha, fed the sum before the "
    "block's ReLU, a list of logits returned): the mix by torch.lerp (clean), the classifiers fed the block output "
    "after the ReLU (described); Distiller's CIFAR ResNet-20 (BasicBlock(block_gates, ...)) with an exit attached by a "
    "BranchPoint replacing 'layer1.2.relu2': the older inline exit (clean), layer2.1 'removed' by both conv gates, "
    "relu2(x + x) (described); a BranchyNet-style ResNet-18 returning per sample by torch.where the first exit under "
    "its entropy threshold: Dropout(0.5) before each exit's Linear (dropout), the last confident exit winning "
    "(described); SkipNet's ResNetFeedForwardSP with FFGate-II gates: the run probability as a sigmoid of the logit "
    "difference (clean); BlockDrop's FlatResNet32 under a fixed policy: forward_single (clean), the policy read with "
    "the block's index in its stage (described), FlatResNet224's conv projections for DownsampleB "
    "(option_a_shortcut), one more block dropped (block_counts); a slimmable bottleneck ResNet-26 (SlimmableConv2d, "
    "SwitchableBatchNorm2d) at width 0.5: SlimmableConv2d's default bias (conv_bias_before_bn), width 0.75 (widths), "
    "one sliced BatchNorm for the switchable ones (described); an elastic-kernel ResNet-18 run at kernel 3 from 5x5 "
    "weights through once-for-all's 5to3 transform matrix: the transform by matmul (clean), the transform mode off "
    "(described) (tests/fixtures/heldout/batch51_*.py). First measurement (at 38feb2d): 8 of 16 right, twins 16 of 16 "
    "clean, swapped 2 of 5; missed: sdn_lerp_mix (the lerp mix not recognised, the classifiers read as extra units: "
    "block_counts, repeated_in_blocks), skipnet_sigmoid_gate (the sigmoid of the logit difference described as head "
    "differences), blockdrop_forward_single (the builder's multiplies by the all-ones mask read as extra units: "
    "block_counts, repeated_in_blocks), elastic_matmul_transform (matmul for F.linear: "
    "parameters_computed_in_forward), ee_block_gates_off (block_counts and a described difference in layer2.0 besides "
    "the right one), blockdrop_conv_shortcut (block_counts and repeated_in_blocks, option_a_shortcut not named), "
    "blockdrop_drop_more (the shared in-place ReLU reported besides block_counts), slim_width_075 (which private "
    "BatchNorm runs left to repeated_in_blocks besides widths).",
    "heldout52": "ResNets with parameter-efficient fine-tuning and conditioning as public repositories write them, "
    "at 64 px, each against the user's own unedited builder in the same file: srebuffi/residual_adapters' ResNet-26 "
    "in its parallel-adapter mode for one task (a task-specific 1x1 conv beside every 3x3 conv, the task's BatchNorm "
    "after the sum, ModuleLists indexed by a task constant, the pooled and zero-padded shortcut): the one task's "
    "modules as plain attributes (clean), a projection shortcut (option_a_shortcut), isdropout1's F.dropout2d on the "
    "adapters' input (dropout), the second conv's adapter left out (described); a torchvision ResNet-18 with LoRA on "
    "its blocks' 3x3 convs (the frozen conv plus a k x k down conv to rank 4 and a 1x1 up conv, scaled by alpha / r): "
    "the update merged into the weight in forward (clean), scaling alpha for alpha / r and a 1x1 down conv "
    "(described); a BitFit ResNet-18 (all frozen but the biases and fc): zero conv biases added for bias-only tuning "
    "(conv_bias_before_bn), BatchNorms kept in eval mode while training by a norm_eval train() (described); a "
    "ResNet-18 with FiLM after each block's affine-free second BatchNorm, its gammas and betas from a generator MLP on "
    "a one-hot task code held as a buffer: torch.addcmul and the generator's last layer as two heads (clean), FiLM "
    "after the residual add (described); a residual classifier with BigGAN's ccbn on a shared embedding read at a "
    "domain index held as a buffer: an affine-free BatchNorm2d module for F.batch_norm on stored buffers (clean), "
    "norm_style 'gn' (normalization_layer); a PadPrompter's learned border added to the image before a frozen "
    "ResNet-18: FrozenBatchNorm2d (normalization_layer), the prompt returned without the image (described) "
    "(tests/fixtures/heldout/batch52_*.py). First measurement (at 482cadf): 11 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5; missed: adapters_dropout2d (dropout right, but the dropout between the two convs reading x "
    "misaligns the shared 3x3 conv: a repeated_in_blocks 'conv missing' and one mismatch unclaimed, swapped too), "
    "lora_merged_weight (the merged update read as parameters_computed_in_forward, and the reference's low-rank conv "
    "branches as blocks and shortcuts: block_counts, widths, projection_without_bn ...), bitfit_bn_eval (no mismatch: "
    "BatchNorms kept in eval mode by train() not compared), film_addcmul (addcmul described as a block difference "
    "against mul + add), film_split_generator (two generator heads read as block weights computed in forward and "
    "compared by size): each clean idiom the builder's function exactly, the spelling not recognised.",
    "heldout53": "ResNet visual encoders as robot-learning and imitation-learning repositories write them, each "
    "against the user's own unedited builder in the same file: a Diffusion Policy RGB encoder as diffusion_policy and "
    "LeRobot write it (a torchvision ResNet-18 cut by children()[:-2] with every BatchNorm replaced by GroupNorm(C // "
    "16), a centre crop from 96 to 84 px, a 32-keypoint spatial softmax with attention @ pos_grid, Linear + ReLU) at "
    "3 x 96 x 96: robomimic's two weighted sums for the keypoints (clean), the BatchNorms kept (normalization_layer), "
    "features_per_group 8 and a torch.meshgrid port exchanging the keypoints' x and y (described); robomimic's "
    "VisualCore (ResNet18Conv + SpatialSoftmax + Linear) under a BC MLP at 3 x 84 x 84: torchvision's CenterCrop for "
    "the slicing crop (clean), a CoordConv2d first conv (described); a two-camera policy (6 channels split in forward, "
    "one GroupNorm ResNet-18 trunk with fc = Identity shared over the views, the features concatenated) at 6 x 64 x "
    "64: the views folded into one batch as MultiImageObsEncoder does (clean), a Dropout on the features (dropout), a "
    "trunk per camera (described); an R3M-style encoder (obs.float() / 255.0 and ImageNet Normalize in forward, fc = "
    "Identity) at 3 x 72 x 72: Normalize in pixel units (clean), size=34 (block_counts), the Normalize left out "
    "(described); a DrQ-v2-style residual pixel encoder with the actor's Linear-LayerNorm-Tanh trunk at 9 x 64 x 64: "
    "CURL's ModuleList loop (clean), ELU in the encoder (activation_function), BatchNorm in the residual blocks "
    "(normalization_layer), the trunk's LayerNorm left out (described) (tests/fixtures/heldout/batch53_*.py). First "
    "measurement (at f6b2f9a): 12 of 16 right, twins 16 of 16 clean, swapped 5 of 5; missed: dp_keypoints_two_sums "
    "(robomimic's two weighted sums for attention @ pos_grid: the keypoint head's Linear named fixed_size_head), "
    "dp_meshgrid_ij (no mismatch: the keypoint grid's exchanged x and y, a buffer's values, not compared), "
    "mv_views_in_one_batch (the views folded into one batch described as stem and head differences), "
    "r3m_normalize_in_pixel_units (the / 255 folded into Normalize's constants described as a stem difference): "
    "three of them the builder's function exactly, the spelling not recognised.",
    "heldout55": "residual networks for time-series forecasting as their repositories write them, each against the "
    "user's own unedited builder in the same file: ElementAI's generic N-BEATS (six doubly residual blocks of four "
    "ReLU Linears and a theta Linear sliced by GenericBasis into a 96-step backcast and a 24-step forecast; the series "
    "flipped, each backcast subtracted from the running residual, the forecasts summed from the last observed value) "
    "at 1 x 96: nazuna's nn.Sequential stack and the theta Linear as two heads (clean), Darts' dropout (dropout), "
    "Darts' LeakyReLU (activation_function), Darts' batch_norm in the first block only, one block shared six times, "
    "the backcast added and the forecast's level read off the flipped series (described); Darts' forecasting TCN "
    "(four causal dilated residual blocks, F.pad on the left before unpadded convs, a 1x1 conv3 where the widths "
    "differ, one shared MonteCarloDropout) at 7 x 96: a dropout per block as locuslab builds them (clean), "
    "weight_norm=True (parameters_computed_in_forward), locuslab's ReLU after the add and pytorch-tcn's non-causal "
    "split pad (described); GluonTS' PyTorch WaveNet (gated conv + Sigmoid times conv + Tanh layers, 1x1 skip and "
    "residual convs, the residual added to the input's last steps, the trimmed skips stacked and summed, an ELU head) "
    "at 1 x 96: r9y9's fused gate conv split in half (clean), a ReLU head (activation_function), the residual adds "
    "left out (residual_add_missing), the residual taken from the input's first steps (described) "
    "(tests/fixtures/heldout/batch55_*.py). First measurement (at 7322e13): 13 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 5; missed: nbeats_two_heads (the theta Linear split into a backcast and a forecast head described as "
    "stem and whole-model differences), nbeats_shared_block (no mismatch: one block run six times, its sharing not "
    "compared where every block is read as the stem), wavenet_fused_gate (the two gate convs as one conv split in half "
    "named widths and described in the layers): the two clean ones the builder's function exactly, the spelling not "
    "recognised.",
    "heldout56": "continuous-depth and ODE-inspired residual networks as public repositories write them, every ODE "
    "solved by a fixed-step loop written by hand (a fixed forward, no ODE library), each against the user's own "
    "unedited builder in the same file: torchdiffeq's ODE-Net for MNIST (the 'conv' downsampling, ODEfunc(64) of "
    "GroupNorm, ReLU and time-concatenating ConcatConv2d, four Euler steps, the GroupNorm-pool-Linear head) at 1 x 28 "
    "x 28: the Euler steps as four shared-weight residual modules (clean), BatchNorm for GroupNorm "
    "(normalization_layer), the time channel left out (described); a CIFAR ODE-ResNet of hand-written RK4 blocks (two "
    "steps over conv-BN-ReLU-conv-BN, strided transitions) at 3 x 32 x 32: RK4's weights spelled out (clean), the ODE "
    "function's convs with their default bias (conv_bias_before_bn), k4 taken at the half step (described); ANODE's "
    "ConvODENet (five zero channels concatenated after the image, a 1x1-3x3-1x1 function, four midpoint steps, a "
    "Linear on the flattened state) at 1 x 28 x 28: the zeros by F.pad (clean), Softplus (activation_function), the "
    "zeros in front of the image as torchdyn's Augmenter puts them (described); a Hamiltonian network (Chang et al.'s "
    "two-layer leapfrog block on a split state, K^T by F.conv_transpose2d, stacks closed by a pool and zero "
    "channels) at 3 x 32 x 32: K^T as a flipped, channel-exchanged conv (clean), every width halved (widths), K^T as "
    "the kernel's spatial transpose and the z update on the old y (described); a stable ResNet of spectral-normalised "
    "Euler steps x + h f(x), h = 1 / N, at 3 x 32 x 32: torch.add with alpha (clean), four steps per stage "
    "(block_counts, the new h described), the step size left out (described) (tests/fixtures/heldout/batch56_*.py). "
    "First measurement (at 35a7cc7): 10 of 16 right, twins 16 of 16 clean, swapped 4 of 5; missed: "
    "rk4_weights_expanded (the RK4 weights spelled out: the shared function's stage evaluations read as residual "
    "blocks, eleven repeated_in_blocks), anode_augment_first (no mismatch: the zero channels concatenated in front "
    "of the image, the cat's operands exchanged, not compared), ham_conv_flip (K^T as a flipped, channel-exchanged "
    "conv described against conv_transpose2d, with block_counts and the last block read as the head), "
    "ham_layer_sizes_halved (widths right, the halved split and zero padding described beside it, swapped too), "
    "ham_spatial_transpose (block_counts beside the right descriptions), ham_simultaneous_update "
    "(cross_stage_partial and block_counts for the z update on the old y): two of them the builder's function "
    "exactly, the spelling not recognised.",
    "heldout54": "residual networks inside normalizing flows and invertible models as public repositories write "
    "them, forward direction only and made deterministic, each against the user's own unedited builder in the same "
    "file: a two-scale RealNVP as chrischute/real-nvp writes it (checkerboard and channel-wise couplings whose st_net "
    "is a ResNet of weight-normed convs with a 1x1 skip sum, double_after_norm and [x, -x], a weight-normed rescale of "
    "tanh(s), a view / permute squeeze) returning the log-likelihood at 3 x 32 x 32: the hook API's weight_norm "
    "and the squeeze by pixel_unshuffle (clean), a biased conv before the residual blocks' second BatchNorm "
    "(conv_bias_before_bn), double_after_norm and the tanh left out (described); a two-level Glow (ActNorm, "
    "rosinality's LU 1x1 conv, affine couplings scaled by sigmoid(h + 2) on nflows' ConvResidualNet, ZeroConv2d priors "
    "padded with ones) at 3 x 32 x 32: the 1x1 conv as nflows' channels-last F.linear and the prior by Normal.log_prob "
    "(clean), ActNorm in the coupling net (normalization_layer), Dropout(0.2) in it (dropout), ELU in it "
    "(activation_function), the + 2 left out and the prior's conv padded with zeros (described); an i-RevNet classifier "
    "(psi space-to-depth, additive couplings y1 = F(x2) + x1 returning (x2, y1)) at 3 x 64 x 64: psi by one view / "
    "permute (clean), nBlocks [2, 3, 2] (block_counts), psi ported as pixel_unshuffle and the pair returned swapped "
    "(described) (tests/fixtures/heldout/batch54_*.py). First measurement (at 5b95848): 8 of 16 right, twins 16 of 16 "
    "clean, swapped 4 of 5; missed: rnvp_hook_weight_norm (compare() cannot deepcopy the model: the hook API keeps its "
    "computed weight as a non-leaf attribute), rnvp_pixel_unshuffle (pixel_unshuffle / pixel_shuffle described as "
    "head and flows differences), rnvp_no_tanh (no mismatch: the tanh left out not seen), glow_invconv_linear (the "
    "channels-last F.linear named a Linear in place of the 1x1 conv), glow_normal_log_prob (Normal.log_prob described "
    "as a head difference), irev_psi_view_permute (psi by view / permute described in the blocks), irev_nblocks_232 "
    "(the extra block described as an extra BatchNorm and ReLU and a skip, block_counts not named, swapped too), "
    "irev_pair_swapped (the swapped pair named block_counts and option_a_shortcut): five of them the builder's "
    "function exactly, the spelling not recognised.",
    "heldout57": "spiking residual networks as public repositories write them with the neurons by hand (no "
    "spikingjelly: a membrane potential integrated over T = 2 steps in a loop inside forward, a Heaviside spike "
    "through an autograd Function with a surrogate gradient, the input repeated over T and the output averaged over "
    "T), each against the user's own unedited builder in the same file: a SEW-ResNet-18 (multi-step IF neurons with "
    "the ATan surrogate and a hard reset, SeqToANNContainer conv + BatchNorm on the time-flattened batch, ADD blocks "
    "with spiking downsamples, fc on the mean over T) at 3 x 32 x 32: the connect function as a ResADD module and fc "
    "per step averaged (clean), sew_resnet.py's ImageNet stem (cifar_stem), [3, 4, 6, 3] (block_counts), IAND, "
    "detach_reset and the downsample's neuron left out (described); a tdBN / TET spiking ResNet-19 (LIFSpike with the "
    "ZIF triangle surrogate and the hard reset (1 - spike) * mem, tdLayer + tdBatchNorm over B * T, the neuron after "
    "the add, logits per step averaged) at 3 x 32 x 32: the spikes written into a preallocated tensor (clean), biased "
    "convs (conv_bias_before_bn), Dropout(0.5) before the classifier (dropout), the soft reset and the neuron moved "
    "before the add (described); an MS-ResNet (membrane shortcut: residual functions starting with the neuron, "
    "mem_update LIF, per-step Snn_Conv2d, tdBN as a BatchNorm3d over the transpose, sum(0) / T) on 2 x 34 x 34 event "
    "frames: the tdBN as a BatchNorm2d over the flattened batch and the convs batched (clean), widths doubled "
    "(widths), the leading neuron applied before the fork (described) (tests/fixtures/heldout/batch57_*.py). First "
    "measurement (at c2c1db5): 9 of 16 right, twins 16 of 16 clean (15 of 16 under pytest -n 2: tet_dropout's twin "
    "loses the ZIF Function's name on one op when the cyclic garbage collector runs during the trace), swapped 2 of "
    "5; missed: sew_imagenet_stem (the IF neurons' membrane additions read as residual units: extra modules and a "
    "stem description, no cifar_stem, swapped too), sew_resnet34 (block_counts right, the extra neuron loops described "
    "beside it, swapped too), sew_iand (block_counts and a collapsed block structure once the add is gone), "
    "tet_preallocated_spikes (the setitem writes described against torch.stack, 151 mismatches), "
    "tet_spike_before_add (block_counts beside the right descriptions), ms_conv_batched (the per-step convs read as "
    "a Res2Net split), ms_widths_doubled (a crash in the fixed-head check on adaptive_avg_pool3d's None output size, "
    "swapped too): two of them the builder's function exactly, the spelling not recognised.",
    "heldout58": "binary and low-bit ResNets as their research repositories write them, the first and last layers "
    "real-valued, each against the user's own unedited builder in the same file: a Bi-Real Net-18 as "
    "liuzechun/Bi-Real-net writes it (a real 7x7 stem without ReLU; sixteen blocks of ApproxSign (sign forward, the "
    "polynomial's gradient by hard.detach() - soft.detach() + soft), a binary 3x3 conv written as an nn.Conv2d subclass "
    "binarizing its weight with a detached per-output-channel mean |W|, BatchNorm and a shortcut; AvgPool2d + 1x1 conv "
    "+ BatchNorm downsampling) at 3 x 64 x 64: ApproxSign as a torch.autograd.Function and the original's flat (n, 1) "
    "weights (clean), the subclass's default bias=True (conv_bias_before_bn), a strided 1x1 projection "
    "(resnet_d_avg_pool_shortcut), the scaling factor left out and a bare torch.sign without estimator (described); a "
    "ReActNet-A as liuzechun/ReActNet writes it (RSign's and RPReLU's learned shifts around a binary 3x3 and a binary "
    "1x1 conv, each with its shortcut, two 1x1 convs concatenated where the width doubles) at 3 x 32 x 32: RSign / "
    "RPReLU modules and the reduction's two 1x1 convs fused into one (clean), ReLU for PReLU (activation_function), "
    "RSign's shifts left out and the first RPReLU before the add (described); an XNOR-Net CIFAR ResNet-20 (an "
    "nn.Conv2d subclass signing input and weight through a BinActive torch.autograd.Function, XNOR's per-channel alpha, "
    "hardtanh, option-A shortcuts, a BatchNorm1d head) at 3 x 32 x 32: alpha applied to the conv's output (clean), "
    "BinConv2d's dropout (dropout), a real 1x1 projection (option_a_shortcut), one scale per layer and the classifier "
    "binarized (described) (tests/fixtures/heldout/batch58_*.py). First measurement (at 4cd0868): 10 of 16 right, "
    "twins 16 of 16 clean, swapped 5 of 5; missed: bireal_sign_function (ApproxSign as an autograd.Function traced as "
    "a bare sign, the reference's polynomial adds read as residual blocks: block_counts and eight repeated_in_blocks), "
    "bireal_plain_sign (the same block_counts beside the right descriptions), react_fused_down_pw (the fused reduction "
    "1x1 conv named block_counts and described as an extra conv and cat-for-add), react_shift_dropped (block_counts "
    "beside the right descriptions), xnor_alpha_on_output (alpha on the conv's output named "
    "parameters_computed_in_forward and described as an extra multiply), xnor_layer_scale (no mismatch: the scale's "
    "reduction dimensions not compared): three of them the builder's function exactly, the spelling not recognised.",
    "heldout59": "residual networks over point clouds and graphs as public repositories write them, every k-NN "
    "graph computed inside forward by hand (pairwise distances, topk, a gather, a max over the neighbours; no "
    "torch_geometric / torch_cluster), each against the user's own unedited builder in the same file: a small "
    "PointNeXt as openpoints builds it (a biased 1x1 Conv1d head SetAbstraction, downsampling SetAbstractions on a kNN "
    "grouper with dp_fj features, InvResMLP blocks of a LocalAggregation and a C -> 4C -> C pwconv with their add, "
    "ClsHead) at 3 x 128 points: the neighbours by torch.cdist (clean), GELU (activation_function), conv_args bias "
    "(conv_bias_before_bn), the local aggregation's mean reduction (described); a residual DGCNN in WangYueFt/dgcnn's "
    "spelling (knn on every layer's features, get_graph_feature's flattened-index gather, EdgeConvs of Conv2d 1x1 + "
    "BN2d + LeakyReLU with a max over k = 8, the last three adding their input, the dropout head) at 3 x 128 points: "
    "channels-first gather / expand edge features (clean), --dropout 0.3 (dropout), a static graph and the edge "
    "feature without the centre subtracted (described); deep_gcns_torch's dense ResGCN (DenseDilatedKnnGraph, "
    "EdgeConv2d through BasicConv's conv-ReLU-BN, ResDynBlock2d's body(x) + x * res_scale at dilations 1, 2, 3) at "
    "3 x 128 x 1: the res_scale multiply left out (clean), --norm instance (normalization_layer), --block plain "
    "(residual_add_missing), no dilation (described); GraphCMR's GraphCNN (GraphLinear 1x1 convs by matmul, "
    "pre-activation GroupNorm GraphResBlocks on a row-normalised dense adjacency buffer of an 8 x 8 grid mesh, a "
    "per-sample loop) from a 16-wide feature: GraphLinear as Conv1d and the batched adjacency product (clean), "
    "post-activation blocks (pre_activation), the adjacency unnormalised (described) "
    "(tests/fixtures/heldout/batch59_*.py). First measurement (at a9f7586): 9 of 16 right, twins 16 of 16 clean, "
    "swapped 6 of 6; missed: pnx_knn_cdist (the cdist neighbours described as stem and head differences, topk's "
    "arguments as settings changed everywhere), dgcnn_gather_expand (the channels-first gather / expand described in "
    "the blocks, stem and head), dgcnn_static_graph and dgcnn_no_featdiff (the right ops, located at the BatchNorm "
    "attributes bn2 to bn4 that name the blocks rather than the root's forward), gcmr_graphlinear_conv1d (the "
    "matmul-and-bias GraphLinear not read as a 1x1 conv), gcmr_batched_adjacency (the per-sample adjacency loop read as "
    "a layer of another design), gcmr_adjacency_unnormalized (no mismatch: the adjacency buffer's values not "
    "compared): four of them the builder's function exactly, the spelling not recognised.",
    "heldout60": "residual networks inside learned image compression as CompressAI-style repositories write them, "
    "every module by hand (no compressai import), deterministic (straight-through rounding), each against the user's "
    "own unedited builder in the same file, at 3 x 64 x 64: a Cheng2020-attn codec (ResidualBlockWithStride, "
    "ResidualBlock and ResidualBlockUpsample with sub-pixel convs, GDN / inverse GDN with CompressAI's lower-bounded "
    "reparametrisation and a 1x1 F.conv2d norm pool, the attention block trunk * sigmoid(mask) + x) on a mean-scale "
    "hyperprior (y_hat = ste(y - means) + means, a Gaussian conditional and the EntropyBottleneck's cumulative by "
    "hand) returning CompressAI's dict: GDN's norm pool by einsum, x / sqrt(norm) for x * rsqrt(norm), the port's "
    "named attention branches and the rounding as an autograd Function (clean), MLIC++'s GELU in the residual blocks "
    "(activation_function), N = 48 (widths), the rounding without .detach(), the attention units without their ReLU "
    "after the add and the upsampling blocks' GDN not inverse (described); a scale hyperprior (z = h_a(abs(y)), ReLU "
    "hyper-transforms, the port's BitEstimator, pytorch-gdn's GDN) on Cheng's anchor transforms returning (x_hat, "
    "y_likelihoods, z_likelihoods): the analysis transform as flat attributes (clean), an SE block after each "
    "upsampling block's inverse GDN (squeeze_excitation), two ResidualBlocks per analysis stage (block_counts), DCVC's "
    "start_from_relu ResBlock (pre_activation), DCVC's LeakyReLU(0.1) where the GDN was, the abs left out and GDN1 "
    "(described) (tests/fixtures/heldout/batch60_*.py). First measurement (at f618c80): 6 of 16 right, twins 11 of 16 "
    "clean, swapped 2 of 5; four misses (cheng_attn_named_branches, cheng_ste_no_detach, cheng_attn_unit_no_relu, "
    "cheng_igdn_not_inverse) and the five unclean twins were one mismatch that came and went with the RNG state, the "
    "z likelihood bound's LowerBoundFunction read as a custom backward on one side only (the builder compared with "
    "itself); with the fixture's entropy bottleneck built with likelihood_bound=0 afterwards, 10 of 16 and twins 16 of "
    "16; missed: cheng_gdn_einsum (the norm pool by einsum read as weights used as stored, parameters_computed_in_"
    "forward), cheng_gdn_div_sqrt (x / sqrt for x * rsqrt described), cheng_round_function (the straight-through "
    "Function read as block_counts and described differences), cheng_gelu_blocks (the GELU read as an extra module, "
    "activation_function not named, swapped too), cheng_n48 (widths with the sub-pixel convs, the chunk and the "
    "entropy bottleneck described beside it, swapped too), hyper_dcvc_resblock (the LeakyReLU 'moved across the add' "
    "described, pre_activation not named, swapped too): three of them the builder's function exactly, the spelling "
    "not recognised.",
    "heldout61": "neural operators and PDE surrogates with residual structure as public repositories write them, "
    "every module by hand (no neuralop or pdearena import), each against the user's own unedited builder in the same "
    "file: a 2-D Fourier Neural Operator at 3 x 32 x 32 (three time steps stacked as channels, an (x, y) grid "
    "concatenated in forward, an nn.Linear lifting, four Fourier layers in two ModuleLists, each gelu(SpectralConv2d(x) "
    "+ 1x1 conv(x)) with torch.fft.rfft2, torch.cfloat weights on the kept modes by einsum 'bixy,ioxy->boxy' and "
    "irfft2, F.pad for a non-periodic domain, a Linear projection head): the spectral weights as real pairs through "
    "torch.view_as_complex, the lifting and projection as 1x1 convs, each 1x1 skip as a Conv1d over the flattened map "
    "(clean), the 2020 fourier_2d's BatchNorm on each sum (normalization_layer), width 32 for 20 (widths), 12 x 12 "
    "modes for 8 x 8 and the negative-frequency rows left unweighted (described); a 1-D FNO at 2 x 64 spelled out as "
    "fourier_1d and PDEBench's FNO1d write it: rfft / irfft with norm='ortho' (clean), the 2020 ReLU "
    "(activation_function), the 2020 last layer's stale x1 and neuraloperator's soft-gating skips (described); "
    "PDEArena's dilated ResNet at 3 x 32 x 32 (GroupNorm -> dilated 3x3 conv -> GELU at dilations 1, 2, 4, 8, 4, 2, 1, "
    "the input added, 1x1 lifting and output convs, a pad by 9): each unit an nn.Sequential (clean), the adds left out "
    "(residual_add_missing), num_blocks [2, 2, 2, 2] (block_counts), no dilation and diffmode (described) "
    "(tests/fixtures/heldout/batch61_*.py). First measurement (at fd06c35): 11 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5; missed: fno_view_as_complex (the real pairs through view_as_complex read as weights computed in "
    "forward and twice the parameters), fno_lift_conv1x1 (the lifting as a 1x1 conv left unclaimed, 'expected "
    "Linear, found 1x1 conv'), fno_skip_flat_conv1d (the Conv1d over the flattened map described as other conv "
    "settings), fno_width32 (widths with the zero spectrum buffers and the lifting Linear described beside it, swapped "
    "too), fno1d_soft_gating (the soft-gating skip paired with the spectral conv across the add, placed at conv0 to "
    "conv3): three of them the builder's function exactly, the spelling not recognised.",
    "heldout62": "ResNets with dynamic convolutions and hypernetworks as public repositories write them, every "
    "input-dependent or generated kernel reshaped and passed to F.conv2d in forward, each against the user's own "
    "unedited builder in the same file: a CIFAR ResNet of CondConv layers as timm writes them (four experts in one flat "
    "parameter, one sigmoid routing per block on the pooled block input shared by both convs, the kernel mixed per "
    "sample by torch.matmul, the batch folded into the channels for a conv with groups=B) at 3 x 32 x 32: the "
    "combine-features form (the input repeated per expert, the outputs weighted and summed) and timm's per-sample "
    "forward_legacy loop (clean), the routing's dropout (dropout), expert biases before the BatchNorms "
    "(conv_bias_before_bn), a routing of its own in every CondConv (described); a quarter-width ResNet-18 of "
    "kaijieshi7's Dynamic_conv2d (attention2d's softmax over four kernels at temperature 34, torch.mm aggregation, the "
    "projection's 1x1 dynamic too) at 3 x 64 x 64: the attention's 1x1 convs as Linear layers (clean), DyReLU-B for the "
    "blocks' ReLUs (activation_function), the temperature 30 and a plain projection (described); a quarter-width "
    "OD-ResNet-18 as OSVAI/ODConv writes it (four kernels per ODConv, channel, filter, spatial and kernel attentions) "
    "at 3 x 64 x 64: the channel and filter attentions multiplied into the kernel (clean), OD_ResNet's default head "
    "dropout 0.1 (dropout), one kernel per ODConv (described); g1910/HyperNetworks' primary network in three stages of "
    "two blocks (per-conv z embeddings, one shared HyperNetwork making 16 x 16 x 3 x 3 tiles, blocks convolving with "
    "the kernels passed in, bare 1x1 reslayer projections) at 3 x 32 x 32: the tiles made in one batched call "
    "(clean), a BatchNorm on the projection (projection_without_bn), the second conv's kernel from the first's "
    "embedding and the hypernetwork's b2 left out (described) (tests/fixtures/heldout/batch62_*.py). First "
    "measurement (at 6876e74): 9 of 16 right, twins 16 of 16 clean, swapped 3 of 5; missed: condconv_combine_features "
    "(the routing's multiply read as a channel gate, the mixed-kernel CondConv described as another layer design, "
    "extra sums), condconv_expert_bias (conv_bias_before_bn right beside a described_difference for the biases' "
    "matmul, swapped too), dy_attention_linear (the attention's Linear layers on the pooled vector not read as its "
    "1x1 convs), dy_dyrelu (DyReLU-B read as extra modules and head ops, activation_function not named, swapped too), "
    "od_single_kernel (the reference's four-kernel ODConv named branch_attention), hyper_shared_embedding (no "
    "mismatch: the second conv's kernel from the first's embedding not seen), hyper_no_b2 (the missing add placed at "
    "the blocks reading the kernels as conv parameter counts, hope.b2 unused unclaimed): two of them the builder's "
    "function exactly, the spelling not recognised.",
    "heldout63": "weight-tied, recurrent and equilibrium-style residual networks as public repositories write them, "
    "every iteration count small and fixed, each against the user's own unedited builder in the same file: the "
    "implicit-layers tutorial's DEQ on CIFAR (a biased conv and BatchNorm, one weight-tied GroupNorm ResNetLayer f(z, x) "
    "iterated three times from zeros under torch.no_grad() and applied once more with autograd on, BatchNorm, "
    "AvgPool2d(8, 8), Linear) at 3 x 32 x 32: the loop with autograd on and the iterate detached after it (clean), "
    "BatchNorm in the layer (normalization_layer), the iteration started from x (described); R2U-Net as the copied "
    "segmentation zoos write it, three levels (RRCNN blocks of a 1x1 conv, two Recurrent_blocks applying one "
    "conv-BN-ReLU three times, x1 = conv(x + x1), and x + x1) at 3 x 64 x 64: the two units as one flat loop (clean), "
    "RU-Net without x + x1 (residual_add_missing), the copied conv(x + x) unit that never feeds its state back "
    "(described); Liao & Poggio's shared-weight RecNet (per stage a first block, a parent block and blocks reusing its "
    "convs with their own BatchNorms) at 3 x 32 x 32: a stage as one module looping its shared convs over BatchNorm "
    "pairs (clean), four blocks per stage (block_counts), the BatchNorms shared too (described); a ReZero CIFAR ResNet "
    "(BN kept, shortcut(x) + resweight * out) at 3 x 32 x 32: the scaled add as a ReZero module (clean), Dropout(0.1) on "
    "the branch (dropout), the scalar on the shortcut (described); a PyTorch port of DeepMind's SkipInit ResNet "
    "(norm-free pre-activation bottlenecks, out * skip_gain + shortcut) at 3 x 64 x 64: NFNets' StochDepth "
    "(stochastic_depth), the projection on the raw input (described); DeepThinking's DTNet with recall (a recall conv "
    "over cat([thought, x]) and two norm-free BasicBlocks applied three times, a per-pixel head) at 3 x 32 x 32: the "
    "recall conv split into two summed convs (clean), recall=False (described) (tests/fixtures/heldout/batch63_*.py). "
    "First measurement (at a224af9): 9 of 16 right, twins 16 of 16 clean, swapped 3 of 5; missed: deq_detach_loop (the "
    "detached iterate reported as cutting the gradient, the no_grad loop not read as cutting it too), r2u_ru_net (the "
    "missing outer add described in repeated_in_blocks beside misaligned blocks, residual_add_missing not named, "
    "swapped too), r2u_x_plus_x (block_counts: the recurrent x + x1 adds read as residual blocks), "
    "recnet_four_per_stage (block_counts with the extra block's shared weights described beside it, swapped too), "
    "recnet_shared_bn (no mismatch: BatchNorms shared over the unrolled steps not seen), dt_split_recall (the recall "
    "conv split into two summed convs read as a residual add: block_counts and descriptions), dt_no_recall "
    "(block_counts beside the right descriptions): two of them the builder's function exactly, the spelling not "
    "recognised.",
    "heldout64": "rotation- and reflection-equivariant residual networks written by hand as the repositories that "
    "implement group convolutions directly write them (no e2cnn), each against the user's own unedited builder in the "
    "same file: a P4 CIFAR ResNet of groupcnn-style ConvZ2P4 / ConvP4 layers (one filter bank's torch.rot90 copies, "
    "the P4 kernel rolled along its input rotations) on (N, C, 4, H, W) maps, BatchNorm3d shared over the rotations, "
    "the max over them before the head, at 3 x 32 x 32: each group conv as four F.conv2d calls and BatchNorm3d as "
    "BatchNorm2d over (N, C, 4H, W) (clean), groupcnn's default bias (conv_bias_before_bn), keras_gcnn's GBatchNorm "
    "port, a GroupNorm (normalization_layer), the fields halved for the parameter count (widths), the P4 kernel not "
    "rolled, BatchNorm statistics per rotation and the mean over the rotations (described); a P4M ResNet with the eight "
    "elements folded into the channels group-major (flip / rot90 / index_select kernels, GroupBatchNorm2d, "
    "GroupPooling2d) at 1 x 28 x 28: GrouPy's index-table kernels (clean), pre-activation blocks (pre_activation), the "
    "mirror left out (described); a ResNet of steerable filters (coefficients times a fixed buffer of circular "
    "harmonics on Gaussian rings, lifted to four orientations) at 3 x 64 x 64: SESN's weight @ basis (clean), the "
    "basis a Parameter and the basis cut at frequency 1 (described); a P4 WRN-10-2 on hand-written RotConv2D / "
    "RotBatchNorm2d with e2wrn's group-pooled head at 3 x 32 x 32: the ReLU before the group pool (clean), dropout 0.3 "
    "(dropout) (tests/fixtures/heldout/batch64_*.py). First measurement (at 37e2223): 15 of 16 right, twins 16 of 16 "
    "clean, swapped 4 of 5; missed: p4_conv_bias (the bias added after the conv's 5-D view described in "
    "repeated_in_blocks as an add of a learned parameter and the stem's left unclaimed, conv_bias_before_bn not named, "
    "swapped too). The test of it, which builds the candidate on meta, also misses p4m_index_gather and "
    "steer_matmul_basis (kernels computed in forward another way, parameters_computed_in_forward where no values can "
    "be compared).",
    "heldout65": "ResNets whose 3x3 conv or downsampling is another operator as public repositories write them, each "
    "against the user's own unedited builder in the same file: d-li14's Octave ResNet-26 (OctaveConv's four convs "
    "between a high map and a half-resolution low one, h2l through AvgPool2d(2, 2), l2h upsampled by nearest "
    "nn.Upsample, Conv_BN per branch, layer1 splitting and layer4 merging) at 3 x 64 x 64: the four convs as slices of "
    "one weight (clean), GroupNorm as norm_layer (normalization_layer), alpha 0.25 (described); d-li14's RedNet-26 "
    "(involution 7x7 in the bottlenecks and 3x3 in the stem: kernels generated per pixel by a 1x1 conv-BN-ReLU and a "
    "biased 1x1, the input unfolded, multiplied and summed over the window) at 3 x 64 x 64: the unfold-multiply-sum as "
    "one einsum (clean), mmcls' avg_down (resnet_d_avg_pool_shortcut), 3x3 involutions in the bottlenecks (described); "
    "a LambdaResNet (lucidrains' LambdaLayer: BatchNorm on queries and values, keys softmaxed over positions, content "
    "and Conv3d position lambdas applied by einsum; leaderj1001's bottleneck with an AvgPool2d(3, stride, 1) after the "
    "lambda layer) at 3 x 64 x 64: the einsums as matmuls (clean), the projection conv's default bias "
    "(conv_bias_before_bn), the keys softmaxed over the key depth (described); a WaveCNet ResNet-18 (a Haar DWT's low "
    "band as a depthwise conv with a fixed buffer at stride 2 in place of the max pool and the blocks' strides) at 3 x "
    "64 x 64: DWT_2D_tiny's banded matrices built in forward (clean), the blocks' strides put back on the convs "
    "(blur_pool); antialiased-cnns' ResNet-18 with filter_size=3 (reflection pad and a fixed binomial depthwise "
    "filter) at 3 x 64 x 64: the filter in two 1-D passes (clean), the repository's default filter_size=1 (blur_pool), "
    "a 5-tap filter (described); a CIFAR FcaNet (cfzd/FcaNet's MultiSpectralAttentionLayer, the squeeze a sum against "
    "fixed 'top16' DCT bases sized to each stage's map) at 3 x 32 x 32: the ImageNet DCT sizes (described), the "
    "'low16' bases (described) (tests/fixtures/heldout/batch65_*.py). First measurement (at 271a6e5): 10 of 16 right, "
    "twins 16 of 16 clean, swapped 4 of 5; missed: oct_sliced_weights (the slices of one weight read as weights computed "
    "in forward, shared between convs of other parameter counts: descriptions and widths), oct_alpha_quarter (alpha "
    "0.25 named widths), rednet_kernel3 (widths for the kernel generator's K * K * G channels beside the right "
    "description), lambda_softmax_depth (no mismatch: the softmax's axis not compared), wave_strided_blocks "
    "(downsampling_moved from a '2x2 conv' without blur_pool, swapped too), aa_separable_blur (the two 1-D blur passes "
    "named factorised_conv and axis_stride): two of them the builder's function exactly, the spelling not recognised; "
    "fca_low16 is right as the CLI builds it, with its DCT buffers' values, and sees nothing under the test's meta "
    "build.",
    "heldout66": "ResNets as domain-adaptation and domain-generalization repositories write them, at quarter width, "
    "each against the user's own unedited builder in the same file: wgchang/DSBN's ResNet-18 with a BatchNorm per "
    "domain chosen by the index passed down forward through two-input containers (the target's by default), the "
    "fc1 / fc2 bottleneck head, at 3 x 64 x 64: the domain as an attribute of every norm (clean), Keras' BatchNorm "
    "defaults (keras_batchnorm), the two-input projection conv left at its bias=True default (conv_bias_before_bn), "
    "pytorch-adapt's affine_domain sharing the source's weight and bias (described); AugMax's CIFAR ResNet-18 with "
    "DualBatchNorm2d (main / auxiliary BatchNorms by a route attribute) at 3 x 32 x 32: ATMC's DDP-safe zero branch "
    "(clean), DuBIN in layer1-3 (normalization_layer), a plain BatchNorm in the projections (described); TLlib's "
    "ImageClassifier (pool layer, Linear + BatchNorm1d + ReLU bottleneck, Linear head) with a DANN or CDAN domain "
    "discriminator behind a gradient-reversal autograd Function, returning the logits and the domain probability, at 3 "
    "x 64 x 64: DANN's view_as ReverseLayerF, CDAN's register_hook reversal and the outer product by einsum (clean), "
    "CDAN's discriminator dropouts (dropout), SHOT's weight-normalised head (parameters_computed_in_forward), CDAN "
    "without the detach and SHOT's feat_bottleneck with its ReLU never applied (described); TLlib's MixStyle ResNet-18 "
    "at 3 x 64 x 64: the statistics not detached and every BatchNorm without running statistics (described) "
    "(tests/fixtures/heldout/batch66_*.py). First measurement (at 01e1658): 12 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5; missed: dubn_ddp_zero_branch (the idle BatchNorm run on zeros times 0 read as extra BatchNorms "
    "and adds), dubn_dubin (DuBIN read as an extra module, normalization_layer not named, swapped too), shot_wn_head "
    "(the weight-normalised head found to compute the same function by the numeric check and dropped, "
    "parameters_computed_in_forward not named; named when built on meta, as the test does), mixstyle_no_detach (no "
    "mismatch: MixStyle's statistics left undetached not seen): one of them the builder's function exactly, the "
    "spelling not recognised.",
    "heldout67": "residual networks in style transfer and image-to-image translation as public repositories write "
    "them, at small widths, each against the user's own unedited builder in the same file: pytorch/examples' "
    "fast-neural-style TransformerNet (ReflectionPad2d + Conv2d layers, affine InstanceNorm2d, five residual blocks "
    "without a ReLU after the add, nearest upsample then conv, a last 9x9 conv; 8 / 16 / 32 channels) at 3 x 64 x 64: "
    "every pad + conv as Conv2d(padding_mode='reflect') in three Sequentials and the early ports' hand-written "
    "InstanceNormalization (clean), BatchNorm2d for every instance norm (normalization_layer), the paper's transposed "
    "convs for the upsampling and a ReLU after each add (described); the same network with Dumoulin et al.'s "
    "conditional instance norm (a (4 styles, C) gamma / beta Parameter table per norm, the style index passed down "
    "forward) at 3 x 64 x 64: the table as one nn.Embedding chunked (clean), conditional batch norm "
    "(normalization_layer), the residual blocks' norms left unconditional (described); naoto0804/pytorch-AdaIN's "
    "vgg_normalised encoder to relu3_1, AdaIN against a fixed style-image buffer and the mirrored decoder at 3 x 64 x "
    "64: calc_mean_std by torch.var_mean (clean), test.py's alpha 0.6 content blend (described); NVlabs/MUNIT's "
    "AdaINGen reconstructing its input (the MLP's output sliced into every AdaptiveInstanceNorm2d, AdaIN as "
    "F.batch_norm on the (1, B * C, H, W) view, a hand-written LayerNorm in the upsampling) at 3 x 64 x 64: AdaIN as "
    "F.instance_norm times the assigned weight plus bias (clean), instance norm for the LayerNorm "
    "(normalization_layer), torch.exp on the std slice (described); yunjey/stargan's Generator with its target label "
    "a buffer at 3 x 64 x 64: repeat_num 4 (block_counts), instance norms without running statistics (described); "
    "christiancosgrove's residual critic without spectral norm at 3 x 32 x 32: LeakyReLU(0.2) (activation_function) "
    "(tests/fixtures/heldout/batch67_*.py). First measurement (at 06c3988): 11 of 16 right, twins 16 of 16 clean, "
    "swapped 3 of 5; missed: johnson_instance_normalization (the early ports' hand-written instance norm read as "
    "norms missing and settings changed), cin_embedding_table (the per-style tables as an nn.Embedding read as weights "
    "computed in forward, extra embeddings and chunks), cin_conditional_batch_norm (normalization_layer beside the "
    "tables' multiplies and adds described as missing, swapped too), adain_alpha_blend (the alpha blend with the "
    "content features named residual_add_missing), munit_in_upsampling (MUNIT's hand-written LayerNorm not read as a "
    "norm: a described head, normalization_layer not named, swapped too): two of them the builder's function exactly, "
    "the spelling not recognised; the test of it, which builds the candidate on meta, also misses adain_var_mean "
    "(torch.var_mean against view().var(), parameters_computed_in_forward where no values can be compared).",
    "heldout69": "mixture-of-experts and sparsely gated residual networks as public repositories write them, every "
    "expert count 2 to 4 and every routing deterministic for a given input (noise only in training), each against the "
    "user's own unedited builder in the same file: a CIFAR ResNet whose first conv in every block is four expert 3x3 "
    "convs under Shazeer's noisy top-2 gate as davidmrau/mixture-of-experts writes it (every expert run and summed with "
    "the scattered gates, cv_squared(importance) + cv_squared(load) returned beside the logits) at 3 x 32 x 32: tutel's "
    "einsum dispatch and combine at capacity B and fastmoe's sorted index_select scatter and index_add gather (clean), "
    "the second conv's default bias (conv_bias_before_bn), top-1 and the kept gates not renormalised (described); a "
    "CIFAR ResNet with Switch-style top-1 routing per sample (a Linear router with jitter in training, four expert "
    "kernels per conv picked by gather, the branch times the router probability, the Switch loss) at 3 x 32 x 32: the "
    "kernels looked up by F.embedding into a grouped conv over the folded batch (clean), GroupNorm for every BatchNorm "
    "(normalization_layer), expert dropout 0.4 (dropout), the branch times p / p.detach() (described); a DeepMoE "
    "ResNet as RyanKim17920/DeepMoE writes it (a shallow embedding network, bias-free Linear + ReLU heads gating every "
    "conv's output channels, forward returning logits, gates and the embedding's logits) at 3 x 64 x 64: one "
    "Conv2d(in, 1) per channel expert (clean), GELU in the embedding network (activation_function), the gates after the "
    "BatchNorms and only conv2 gated (described); a small ResNet whose classifier is three expert MLP heads mixed by a "
    "top-2 softmax router, returning a dict with the balance loss, at 3 x 64 x 64: the heads as batched einsums "
    "(clean), a Softmax ending every head (softmax_output), the router's softmax over the batch (described) "
    "(tests/fixtures/heldout/batch69_*.py). First measurement (at 1dc018d): 10 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5; missed: sg_tutel_einsum (the experts run on the dispatched chunks read as a split middle conv, "
    "multi_scale_block, the dispatch as extra ops), sg_fastmoe_index (the reference's dense top-k mixture named "
    "branch_attention, the blocks misaligned around the index dispatch), sw_embedding_conv (the experts stacked and "
    "gathered described as a layer of another design against the embedding-looked-up grouped conv), "
    "dm_channel_experts (the per-channel expert convs described as a layer of another design), heads_batched_einsum "
    "(the einsum heads described against the Linear heads), heads_prob_mixture (the softmax ending every expert head "
    "described as extra softmaxes, softmax_output not named, swapped too): five of them the builder's function "
    "exactly, the spelling not recognised.",
    "heldout68": "hybrid CNN-transformer networks built on ResNet stages as public repositories write them, tiny "
    "transformers of one layer and two heads, each against the user's own unedited builder in the same file: the "
    "R50+ViT hybrid as jeonsworld/ViT-pytorch writes it (a ResNetV2 root and three blocks of post-activation units of "
    "weight-standardised StdConv2d convs and GroupNorm, gn_proj = GroupNorm(cout, cout), a 1x1 patch embedding of the "
    "4 x 4 map, a class token, learned position embeddings, one pre-norm block with query / key / value Linears, the "
    "head on the class token) at 3 x 64 x 64: timm's HybridEmbed Linear on the flattened tokens and timm's fused qkv "
    "Linear (clean), plain Conv2d for every StdConv2d (weight_standardization), the unit's stride on its 1x1 as "
    "Google's original code has it (resnet_v1_stride), timm's 'fixed' root (a zero pad before the unpadded pool) and the "
    "head on the mean of the patch tokens (described); leaderj1001's BoTNet in its CIFAR setting (a 3x3 stem, two "
    "bottlenecks per stage, layer4's 3x3 convs replaced by MHSA with 1x1 q / k / v convs and rel_h + rel_w position "
    "parameters, AvgPool2d(2, 2) after it in the strided block) at 3 x 32 x 32: the attention by einsum (clean), the "
    "head's Dropout(0.3) (dropout), a copy's attention over the channels of each head and the position term left out "
    "(described); chinhsuanwu's CoAtNet (a conv stem, MBConv stages with a pre-norm BatchNorm, a strided 1x1 expansion "
    "and SE, transformer stages with a relative position bias gathered by an index buffer) at 3 x 64 x 64: SE by 1x1 "
    "convs (clean), no SE (squeeze_excitation), no relative bias (described); a DETR on a quarter-width FrozenBatchNorm2d "
    "ResNet-18 (input_proj, the normalised sine position encoding from an all-valid mask, one post-norm encoder and one "
    "decoder layer on nn.MultiheadAttention, five object queries, class and box heads, DETR's dict) at 3 x 64 x 64: the "
    "demo's query Parameter (clean), trainable BatchNorm2d (normalization_layer), the positions added once at the "
    "encoder's input (described) (tests/fixtures/heldout/batch68_*.py). First measurement (at 90a038d): 9 of 16 right, "
    "twins 16 of 16 clean, swapped 4 of 5; missed: hybrid_linear_embed (the Linear on the flattened tokens read as a "
    "1-D conv against the 1x1 Conv2d: a described_difference), hybrid_fused_qkv (the fused qkv Linear, unbind and "
    "scale multiply described as a different head), hybrid_plain_conv (StdConv2d's var_mean standardisation named "
    "parameters_computed_in_forward, weight_standardization not named, swapped too), hybrid_timm_fixed_pad (the "
    "zero-padded pool found at the root but named keras_stem), bot_no_position and coat_no_rel_bias (the position "
    "parameters and the gathered bias table read as a softmax weight computed in forward beside the right "
    "descriptions), detr_pos_at_input (no structural mismatch: the position encoding's add moved from inside the "
    "encoder layer to its input keeps every op and shape; with values one unclaimed numeric mismatch at the root): two "
    "of them the builder's function exactly, the spelling not recognised.",
    "heldout71": "audio and speech ResNets as public repositories write them, fed features or the raw waveform, each "
    "against the user's own unedited builder in the same file: a thin ResNet-34 for speaker verification as "
    "clovaai/voxceleb_trainer's ResNetSE34V2 writes it (a 1-channel 3x3 stem with ReLU before BN, SEBasicBlocks at 8 to "
    "64 channels, an attention of 1x1 Conv1d layers with a softmax over frames and attentive statistics pooling into the "
    "embedding Linear) at 1 x 40 x 100 log-mel: the attention as Linear layers on the frames-last map (clean), SE in the "
    "first two stages only (squeeze_excitation), the attention's softmax over channels and SAP for ASP (described); "
    "wespeaker's ResNet with TSTP (the mean and sqrt(unbiased var + 1e-8) over time flattened over channels x frequency, "
    "seg_1) at 1 x 40 x 100 fbank: a StatsPool flattening first and writing the variance out (clean), layer2-4 at stride "
    "(2, 1) (axis_stride), the population variance (described); PANNs' ResNet22 (bn0 over the mel bins between "
    "transposes, blocks averaging their input 2x2 before a stride-1 conv1 with dropout 0.1 inside, AvgPool2d + 1x1 + BN "
    "projections, max + mean over time and a sigmoid) at 1 x 96 x 64: adaptive pools for the clip-wise max + mean "
    "(clean), the blocks' dropout left out (dropout), the stride on conv1 (downsampling_moved), the stem's max pool "
    "(described); a raw-waveform Res1dNet as PANNs' Res1dNet31 forks write it behind voxceleb_trainer's PreEmphasis "
    "buffer at 1 x 16000: the pre-emphasis on slices and the stem conv as Tensor.unfold framing and an einsum (clean), "
    "strided 1x1 projections (resnet_d_avg_pool_shortcut), GroupNorm for bn0 (normalization_layer), the pre-emphasis "
    "taps unflipped (described) (tests/fixtures/heldout/batch71_*.py). First measurement (at 5f4c498): 14 of 16 right, "
    "twins 16 of 16 clean, swapped 5 of 6; missed: raw_preemph_slices (the builder's two-tap pre-emphasis buffer "
    "conv named blur_pool against the slices spelling), raw_strided_shortcut (the stride's move from the avg pool to "
    "the 1x1 conv found as downsampling_moved, resnet_d_avg_pool_shortcut not named, swapped too): one of them the "
    "builder's function exactly, the spelling not recognised; the test of it, which builds the candidate on meta, also "
    "misses raw_stem_unfold (the unfold framing not recognised without values, beside the same blur_pool) and "
    "raw_preemph_unflipped (a buffer's values, none on meta).",
    "heldout72": "residual blocks of diffusion U-Nets and score models as public repositories write them, each "
    "timestep a fixed buffer embedded in forward and each model a noise or score map of its input, each against the "
    "user's own unedited builder in the same file, at 3 x 32 x 32: openai/guided-diffusion's ADM UNet (model_channels "
    "32, use_scale_shift_norm and resblock_updown on, GroupNorm(32, C), zero_module last convs, QKVAttentionLegacy "
    "blocks at 16 x 16): the attention logits divided by sqrt(ch) after the product and the zero_module left out "
    "(clean), ReLU for the ResBlocks' SiLUs (activation_function), dropout 0.1 for 0.0 (dropout), the scale-shift "
    "norm off, its 1 + left out and a 3x3 skip_connection (described); score_sde's NCSN++ (a flat all_modules list, "
    "ResnetBlockBigGANpp with naive resampling of branch and skip inside the block and (x + h) / sqrt(2), AttnBlockpp "
    "of NIN einsum projections): NIN as Conv2d 1x1 and the resampling as avg_pool2d / interpolate (clean), the "
    "downsampling block's FIR [1, 3, 3, 1] filter (blur_pool), skip_rescale off (described); lucidrains' "
    "denoising-diffusion Unet (FiLM after block1's GroupNorm(8), Residual(PreNorm(LinearAttention)), RMSNorm, the "
    "rearranged 1x1 downsample): nn.PixelUnshuffle (clean), WeightStandardizedConv2d (weight_standardization), "
    "BatchNorm2d (normalization_layer), the FiLM in block2 and the middle attention without its Residual (described) "
    "(tests/fixtures/heldout/batch72_*.py). First measurement (at c72fd66): 16 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 5; the test of it, which builds the candidate on meta where the numeric check has no values, misses "
    "the three refactors it takes to decide (adm_qk_divide_after: the logits' scaling after the product described in "
    "4 blocks; ncsnpp_pool_spelling: avg_pool2d / interpolate described against the reshape + mean / repeat; "
    "lucid_pixel_unshuffle: an extra pixel_unshuffle left unclaimed).",
    "heldout70": "1-Lipschitz and orthogonal residual networks as public repositories write them, without BatchNorm, "
    "every power iteration's vectors a buffer updated in training only, each against the user's own unedited builder "
    "in the same file, at 3 x 32 x 32: jhjacobsen/invertible-resnet's i-ResNet classifier (an initial squeeze and "
    "i-RevNet's injective_pad, six blocks x + F(x) squeezing where they stride, F = [ELU], 3x3, ELU, 1x1, ELU, 3x3 of "
    "convs softly spectrally normalised by forward pre-hooks, weight_orig / max(1, sigma / 0.9), a BatchNorm head): the "
    "zero channels as PaddingChannels (clean), MaxMinGroup for the ELUs (activation_function), the first block's input "
    "ELU kept (described); a ResNet9 in locuslab/orthogonal-convolutions' layout of skew orthogonal convolutions "
    "(singlasahil14/SOC: a skew-symmetric filter over fantastic_four's bound, exp as a series of 5 terms in training, 8 "
    "in eval), GroupSort of channel halves, AvgPool2d(2, divisor_override=2), ConvexCombo joins, a CayleyLinear and a "
    "row-normalised last layer: the series by Horner's rule (clean), BatchNorm after every SOC (normalization_layer), a "
    "plain last Linear (parameters_computed_in_forward), GroupSort over neighbouring channel pairs (described); a "
    "Parseval WRN-16-2 (LeakyReLU(0.1) pre-activation blocks joined by 0.5 * shortcut + 0.5 * out): the half written "
    "after the add (clean), dropout 0.3 (dropout), only the last two blocks Parseval (described); a CIFAR ResNet of "
    "parametrizations.spectral_norm convs without BatchNorm, relu(shortcut + 0.9 * branch): the power iteration by hand "
    "(clean), option A shortcuts (option_a_shortcut), the coefficient after the add (described); an SLL network "
    "(PaddingChannels, SDP-based Lipschitz conv and linear layers x - 2 W T^-1 relu(W^T x + b), a sum pool, "
    "LinearNormalized, the modules registered twice through base): the later release's -2 / T spelling (clean), tanh "
    "(activation_function), convex potential layers for the conv layers (described) "
    "(tests/fixtures/heldout/batch70_*.py). First measurement (at 29506b8): 13 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 6; missed: ir_sorting (MaxMinGroup for the ELUs read as pre_activation in the reference plus extra "
    "min / cat ops and a described stack.0, activation_function not named, swapped too), soc_adjacent_pairs (the SOC "
    "series' z = z + curr_z adds cut the two sides into blocks at other places: 'Blocks joined otherwise', extra "
    "adds, weights run twice, mismatches left at the SOC layers and the combos), sn_hand_power_iteration (the "
    "hand-written power iteration named parameters_computed_in_forward against parametrizations.spectral_norm, the "
    "same arithmetic): one of them the builder's function exactly, the spelling not recognised.",
    "heldout73": "residual networks of reinforcement-learning agents as public repositories write them, each against "
    "the user's own unedited builder in the same file, each returning its policy logits (and its value, concatenated): "
    "vwxyzjn/cleanrl's IMPALA CNN (ppo_procgen.py: three ConvSequences of a biased 3x3 conv, F.max_pool2d(3, 2, 1) and "
    "two relu -> conv -> relu -> conv + input blocks, Flatten, ReLU, Linear(2048, 256), ReLU, the actor) at 3 x 64 x 64: "
    "the blocks and sequences as nn.Sequential with the trunk's ReLU before the Flatten and the rllib starter kit's "
    "init_normed (clean), sample-factory's ELU (activation_function), an SB3 extractor's post-activation block "
    "(pre_activation) and global-average-pooled head (fixed_size_head), brain_agent's average pooling (described); Leela "
    "Chess Zero's SE-ResNet as its PyTorch ports write it (a ConvBlock stem, blocks of layers = Sequential(conv1, bn1, "
    "relu, conv2, bn2, se) + input then relu2, Leela's SE unit with sigmoid(scale) * x + shift, policy and value heads) "
    "at 112 x 32 x 32: LeelaStar's layer names with the SE pooled functionally (clean), no SE unit "
    "(squeeze_excitation), LeelaStar's ResidualBlock(nn.Sequential) running relu2 inside super().forward before the add "
    "and the SE without its shift (described); werner-duvaud/muzero-general's MuZeroResidualNetwork with downsample "
    "'resnet' (strided convs, residual blocks and AvgPool2d(3, 2, 1) to 4 x 4, the hidden state min-max scaled per "
    "channel, 1x1 conv + ELU mlp heads) at 3 x 64 x 64: the scaling by amin / amax / torch.where (clean), two blocks "
    "per tower (block_counts), the hidden state unscaled (described); DreamerV3's ImageEncoderResnet as its PyTorch ports "
    "write it (bias-free 4x4 stride-2 convs with a channel LayerNorm(eps 1e-3) and SiLU, pre-activation blocks, a last "
    "SiLU) at 3 x 64 x 64: the channel LayerNorm written out over dim 1 (clean), InstanceNorm2d (normalization_layer), "
    "the earlier block's skip + 0.1 * x (described) (tests/fixtures/heldout/batch73_*.py). First measurement (at "
    "69c1cda): 9 of 16 right, twins 16 of 16 clean, swapped 3 of 6; missed: impala_global_pool (fixed_size_head, the "
    "ReLU's place before the pool left unclaimed), leela_no_se (Leela's SE unit with its shift described in "
    "repeated_in_blocks, squeeze_excitation not named, swapped too), leela_se_no_shift (the plain SE named "
    "squeeze_excitation as added, the reference's SE with a shift not read as one), muzero_minmax_where (amin / amax / "
    "where described against min(2)[0] / max(2)[0] and the masked in-place add), muzero_two_blocks (block_counts beside "
    "the scaling's ops described in other blocks, swapped too), muzero_unscaled_state (described, but in the last "
    "representation block instead of at the root), dreamer_instance_norm (the InstanceNorms read as extra modules "
    "against the permuted channel LayerNorm, normalization_layer not named, swapped too): one of them the builder's "
    "function exactly, the spelling not recognised; the test of it, which builds the candidate on meta, misses the "
    "same seven.",
    "heldout74": "residual blocks of GAN discriminators (and a decoder of generator up-blocks) as public repositories "
    "write them, every spectral norm a hook or a parametrization whose power-iteration vectors are buffers updated in "
    "training only and every class the projection head needs a buffer inside the module, each against the user's own "
    "unedited builder in the same file: SNGAN's ResNet projection discriminator as crcrpar/pytorch.sngan_projection "
    "writes it (an OptimizedBlock and ReLU-first Blocks with average-pool downsampling and learnable 1x1 shortcuts, the "
    "sum over H and W, a Linear plus the Embedding projection) at 3 x 32 x 32: parametrizations.spectral_norm for the "
    "hook and the class vector by a Linear on a one-hot buffer (clean), post-activation blocks (pre_activation), "
    "strided 1x1 shortcuts (resnet_d_avg_pool_shortcut), a mean pool for the sum (described); BigGAN's D_arch[32] "
    "with its Attention block after the first DBlock at 3 x 32 x 32: the attention by F.scaled_dot_product_attention "
    "(clean), the attention's max pools left out, the first DBlock pre-activated, D_wide off (described); the WGAN-GP "
    "ResNet critic for 64 px with LayerNorm([C, H, W]) and the 2x2 mean as four strided slices at 3 x 64 x 64: "
    "nn.AvgPool2d for the slices (clean), BatchNorm2d (normalization_layer), ELU (activation_function), the mean pool "
    "before conv_2 (described); a U-Net discriminator as boschresearch/unetgan lays it out with BigGAN's BatchNorm "
    "GBlocks in the decoder, its two logits returned as one tensor, at 3 x 32 x 32: the shortcut's 1x1 before the "
    "nearest upsampling (clean), conv1 without its bias (conv_bias_before_bn), a transposed-conv shortcut (described) "
    "(tests/fixtures/heldout/batch74_*.py). First measurement (at 2b92cc7): 11 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 5; missed: sngan_onehot_projection (the Linear on a one-hot buffer named parameters_computed_in_forward "
    "against the spectrally normalised Embedding lookup), sngan_mean_pool (the AvgPool2d(8) named fixed_size_head, the "
    "mean for the sum not said), sngan_post_activation (pre_activation named, the optimized first block's ReLU after "
    "its add left unclaimed), biggan_sdpa_attention (F.scaled_dot_product_attention described against softmax and bmm), "
    "unetd_conv_before_upsample (the shortcut's upsampling read as moved across the add): three of them the builder's "
    "function exactly, the spelling not recognised; the test of it, which builds the candidate on meta, misses the "
    "same five.",
    "heldout75": "video and volumetric (3-D) ResNets as public repositories write them, each against the user's own "
    "unedited builder in the same file, each at its input's full shape: a torchvision-style R(2+1)D (VideoResNet with "
    "R2Plus1dStem and BasicBlocks of Conv2Plus1D at widths 16 - 128) at 3 x 8 x 32 x 32: the factorised conv as a "
    "module with named parts (clean), R3D's full 3x3x3 convs and 3x7x7 stem (factorised_conv), a fork's temporal conv "
    "that never strides (axis_stride), the spatial and temporal conv back to back without BN and ReLU (described); "
    "Kensho Hara's 3D-ResNets resnet10 (conv1 (7, 7, 7) at (1, 2, 2), a 3x3x3 max pool, widen_factor 0.25) at 3 x 8 x "
    "32 x 32: the block as a branch Sequential and F.relu (clean), shortcut 'A' concatenating out.data "
    "(option_a_shortcut, its gradient cut described), no_max_pool (described); MedicalNet's resnet10 for single-channel "
    "volumes (conv1 7x7x7 at 2, layer3 / layer4 dilated 2 / 4 at stride 1, a classification conv_seg) at 1 x 32 x 32 x "
    "32: the head written in forward (clean), layer3 / layer4 strided and undilated (dilated_output_stride), layer4 "
    "dilated 2 for 4 (described); Tushar-N/pytorch-resnet3d's I3Res50 inflated from 2-D (conv1 (5, 7, 7) at 2, a "
    "(2, 1, 1) temporal max pool after layer1, conv1 inflated to 3x1x1 by temp_conv lists) at 3 x 16 x 32 x 32: "
    "freeze_bn's FrozenBN (normalization_layer), mmaction2's '3x3x3' inflate style and SlowFast's i3d_nopool pool "
    "(described); SlowFast's Slow-only pathway (pathways as lists, ResBlocks of branch1 / branch2 a / b / c convs, the "
    "temporal kernel 3 in res4 and res5 only, ResNetBasicHead permuting to channels-last) at 3 x 8 x 32 x 32: the head "
    "flattening instead of permuting (clean), the eval-mode softmax HEAD_ACT (softmax_output), the temporal kernel in "
    "res2 and res3 too (described) (tests/fixtures/heldout/batch75_*.py). First measurement (at a2660f2): 15 of 16 "
    "right, twins 16 of 16 clean, swapped 5 of 6; missed: r2p1_as_r3d (factorised_conv found in the four blocks, the "
    "stem's R2Plus1dStem (1x7x7, BN, ReLU, 3x1x1) against BasicStem's 3x7x7 a described_difference in the stem, swapped "
    "too).",
    "heldout76": "ResNet backbones as self-supervised and contrastive-learning repositories write them, each against "
    "the user's own unedited builder in the same file, every backbone a torchvision-style ResNet with BasicBlock and "
    "[1, 1, 1, 1] at base width 16 with the head the repository trains, one output per class: SimCLR on CIFAR as "
    "Spijkervet/SimCLR's encoder surgery writes it (conv1 a 3x3 stride-1 conv, maxpool and fc nn.Identity(), a "
    "projector with BatchNorm1d, F.normalize) at 3 x 32 x 32: leftthomas/SimCLR's Sequential of named_children "
    "(clean), torchvision's ImageNet stem left in (cifar_stem), apply_gn's GroupNorm(2, C) (normalization_layer), "
    "solo-learn's conv1 padded 2 (described); MoCo v2 as facebookresearch/moco's builder writes it (query and key "
    "encoders, the brute-force MLP head, the normalised query) at 3 x 64 x 64: the normalisation written out as q / "
    "q.norm(...).clamp_min(1e-12) (clean), MoCo v1's single-Linear head (described), a fork's dim_mlp read from the "
    "fc's out features (linear_in_features, the head's widths described); SimSiam's 3-layer projector ending in "
    "BatchNorm1d(affine=False) and its predictor at 3 x 64 x 64: the projector beside the encoder (clean), the last BN "
    "affine (described); Barlow Twins' wide projector and affine-free BN at 3 x 64 x 64: mmselfsup's hand-written "
    "batch standardisation (described); SwAV's src/resnet50.py (ConstantPad2d before a conv padded 2, projection head, "
    "L2 normalisation, bias-free prototypes, the multi-crop forward) at 3 x 64 x 64: the pad folded into conv1 "
    "(clean), widen=2 (widths), normalize=False (described); DINO's MultiCropWrapper and DINOHead (GELU MLP, "
    "F.normalize, weight_norm last layer with weight_g frozen at 1) at 3 x 64 x 64: parametrizations.weight_norm "
    "(clean), the last layer without weight_norm (parameters_computed_in_forward), ReLU in the head "
    "(activation_function) (tests/fixtures/heldout/batch76_*.py). First measurement (at 24853bf): 15 of 16 right, "
    "twins 16 of 16 clean, swapped 5 of 6; missed: moco_normalize_by_hand (q / q.norm(dim=1, keepdim=True)."
    "clamp_min(1e-12) described in the head against nn.functional.normalize: the builder's function exactly, the "
    "spelling not recognised); swapped, dino_plain_last_layer compares as a match (the weight_norm against the plain "
    "Linear dropped by the float64 check), where the test of it, which builds the candidate on meta, reports "
    "parameters_computed_in_forward; the test misses the same one idiom.",
    "heldout77": "high-resolution multi-branch residual networks as public repositories write them, each against the "
    "user's own unedited builder in the same file, at 3 x 64 x 64: a tiny HRNet classifier as "
    "HRNet-Image-Classification's cls_hrnet.py writes it (a stride-4 stem, layer1 of one Bottleneck, transition "
    "layers, stage2 / stage3 of one HighResolutionModule each with two / three branches of one BasicBlock at widths "
    "8, 16, 32, fuse layers of 1x1 conv + BN + nearest nn.Upsample and stride-2 conv chains, the incre / downsamp / "
    "final_layer head, F.avg_pool2d and a Linear): the fuse upsampling by F.interpolate in forward and the head's "
    "flatten-mean pool (clean), biased transition and fuse convs (conv_bias_before_bn), GroupNorm "
    "(normalization_layer), timm's drop_rate (dropout), the segmentation repositories' bilinear fuse and a ReLU after "
    "every step of the downsampling chains (described); a tiny Lite-HRNet (the shuffle Stem, a 'NAIVE' stage of "
    "ShuffleUnits, a 'LITE' stage of one ConditionalChannelWeighting block with cross-resolution weighting, depthwise "
    "convs and SpatialWeighting gates, depthwise-separable fuse and transition layers): the cat + channel_shuffle as "
    "one stack-and-flatten interleave and the cross-resolution weighting's adaptive pool by fixed windows (clean), the "
    "SpatialWeighting gates left out (squeeze_excitation), the block's channel shuffle left out (described); a tiny "
    "DLA (Trees of BasicBlocks given the pooled and projected residual, Roots of a 1x1 conv over the concatenated "
    "children, level roots, AvgPool2d and a 1x1-conv fc): the Tree's max pool by F.max_pool2d (clean), kuangliu's "
    "Linear fc (conv_classifier), projections without BN (projection_without_bn), residual roots and level3 / level4 "
    "without level_root (described) (tests/fixtures/heldout/batch77_*.py). First measurement (at 069feac): 15 of 16 "
    "right, twins 16 of 16 clean, swapped 6 of 6; missed: lite_ccw_no_shuffle (the missing channel shuffle described "
    "as one whole-model described_difference placed at the readers of the block's outputs, stage1.0's fuse add and "
    "fuse convs, not at the conditional channel weighting block); the test of it, which builds the candidate on meta, "
    "misses the same one.",
    "heldout78": "ResNets from model-compression and pruning repositories as they write them, each against the user's "
    "own unedited builder in the same file, at 3 x 32 x 32: network slimming's pre-activation bottleneck ResNet-20 after "
    "resprune.py (a channel_selection after every block's bn1 and the final bn, its 0/1 indexes a buffer, a per-layer "
    "cfg of kept widths): the selection by torch.index_select and after the ReLU (clean), the network before pruning "
    "(widths), the selections as 0/1 masks multiplied on the BN outputs (described); l1-norm-pruning's CIFAR ResNet-20 "
    "pruned by plan 'B' (a per-block cfg for the first convs, option-A shortcuts concatenating x.data): a 1x1 conv + BN "
    "projection (option_a_shortcut, its gradient cut described), a strided subsample for the 2 x 2 average (described); "
    "a kuangliu-style ResNet-20 under prune.l1_unstructured (weight_orig * weight_mask by a forward pre-hook): the masked "
    "convs written by hand (clean), prune.remove (parameters_computed_in_forward); soft filter pruning's CifarResNet-20: "
    "filters zeroed in place (clean), a 0/1 channel mask on bn_a's output (described); a Pufferfish-style low-rank "
    "ResNet (layer2 / layer3 of 3x3 convs to planes / 4 and 1x1 convs back): each pair a Sequential (clean), rank planes "
    "/ 2 (widths), layer1's 3x3 convs as 3x1 then 1x3 (factorised_conv), a BN after each rank-r conv and the full-rank "
    "baseline (described); RepDistiller's WRN-16-1 student against its WRN-16-2 teacher (widths, the first block's "
    "shortcut described) (tests/fixtures/heldout/batch78_*.py). First measurement (at 07c6dc8): 14 of 16 right, twins "
    "16 of 16 clean, swapped 6 of 6; missed: slim_unpruned (widths named, the seven channel selections' output widths "
    "left unclaimed), puffer_full_rank (the rank-r pairs read as an extra 1x1 conv beside widths for their inner rank, "
    "not described as a low-rank factorisation); the test of it, which builds the candidate on meta, misses the same "
    "two.",
    "heldout79": "ResNets from few-shot, meta-learning and continual-learning repositories as they write them, each "
    "against the user's own unedited builder in the same file, at 3 x 32 x 32: MetaOptNet's ResNet-12 embedding (four "
    "blocks of three 3x3 conv + BN + LeakyReLU(0.1), a 1x1 conv + BN shortcut, a closing 2x2 max pool, F.dropout in "
    "layer1 / layer2 and DropBlock in layer3 / layer4, widths 8 / 16 / 32 / 64, the view-mean embedding without a "
    "classifier): its LeakyReLU, pools and embedding pool as functional calls (clean), ReLU (activation_function), "
    "drop_rate 0 (dropout and drop_block), FEAT's wide channels (widths), the max pool on both paths before the add "
    "(described); a MAML Learner-style ResNet (a config list walked in forward over one ParameterList, F.conv2d with "
    "biases, F.batch_norm on buffers, identity_in / identity_out): the same network as modules (clean), convs without "
    "bias (conv_bias_before_bn), BN always in training mode and BN without a scale (described); Meta-Baseline's "
    "ResNet-12 with the cosine NNClassifier and a learned temperature: F.cosine_similarity (clean), a temperature not "
    "learned and the features left unnormalised (described); GEM's reduced ResNet-18 (nf = 20) with five per-task "
    "heads: GEM's single Linear and an adaptive pool without the input view (clean), one block per stage "
    "(block_counts), GEM's task mask on the outputs (described) (tests/fixtures/heldout/batch79_*.py). First "
    "measurement (at 4039b27): 15 of 16 right, twins 16 of 16 clean, swapped 5 of 5; missed: learner_bn_no_scale (BN "
    "with a shift and no scale named normalization_layer as 'BatchNorm with affine=False', whose message says the "
    "shift is gone too); the test of it, which builds the candidate on meta, also misses learner_bn_always_train (no "
    "mismatch: on meta the running statistics the eval pass updates hold no values; the corpus run describes it at "
    "the root).",
    "heldout80": "ResNets from neural-ODE and uncertainty-estimation repositories as they write them, each against the "
    "user's own unedited builder in the same file, at 3 x 32 x 32: a three-stage ODE-ResNet on torchdiffeq's "
    "odenet_mnist.py (GroupNorm(min(32, dim)), an ODEfunc of time-concatenating ConcatConv2d, two classic RK4 steps per "
    "stage unrolled in a Python loop, 4x4 stride-2 transitions): torchdiffeq's fixed-grid solver ported (clean), base "
    "width 8 (widths), torchdiffeq's 3/8-rule rk4 and the time never advanced between steps (described); ANODE's "
    "conv_models.py in three stages (Conv2dTime in a 1x1-3x3-1x1 ConvODEFunc on four zero channels, four Euler steps): "
    "the time convs as ConcatConv2d (clean), augment_dim 0 (widths, the missing zeros described), a ReLU after the last "
    "conv (described); an SNGP-style WRN-16-1 with spectral norm on every conv and its residual branch scaled by 0.9: "
    "spectral norm applied after construction (clean), no spectral norm (parameters_computed_in_forward), the scale on "
    "the block's sum (described); an MC-dropout ResNet-14 with F.dropout(training=True) in its blocks and head: as "
    "nn.Dropout subclasses kept on (clean), F.dropout2d in the blocks (dropout), the dropout off at test time "
    "(described); gpleiss' ModelWithTemperature around a ResNet-8: the temperature expanded (clean), a "
    "softplus-parameterised temperature (parameters_computed_in_forward); an evidential softplus + 1 head without its "
    "+ 1 (described) (tests/fixtures/heldout/batch80_*.py). First measurement (at 93d7b87): 14 of 16 right, twins 16 "
    "of 16 clean, swapped 4 of 5; missed: ode_widths_halved (widths named for the convs and the Linear, but the "
    "GroupNorm(min(32, dim)) group counts, the norms' parameters and the time-concatenated inputs' shapes that follow "
    "the width left to four described_difference and six repeated_in_blocks findings; the same swapped), "
    "mc_dropout_eval_off (a false 'no difference': the MC dropouts off at test time against always on not seen); the "
    "test of it, which builds the candidate on meta, misses the same two.",
    "heldout81": "ResNet feature encoders from optical-flow, stereo-matching and visual-tracking repositories as they "
    "write them, each against the user's own unedited builder in the same file: a RAFT-style BasicEncoder at 6 x 64 x 64 "
    "(two frames concatenated on the batch axis inside the encoder and split after, a 7x7 / 2 stem, ResidualBlocks with "
    "norm_fn 'instance' chosen by a string, a 1x1 output conv at 1/8): torchvision's Conv2dNormActivation spelling with "
    "torch.chunk and the frames concatenated outside the encoder and sliced (clean), norm_fn='group' "
    "(normalization_layer), mmflow's deep_stem (resnet_c_deep_stem), the block's second ReLU left out (described); "
    "PSMNet's feature_extraction at 6 x 64 x 64 (a three-conv stem, BasicBlocks without a ReLU after the add, layer4 "
    "dilated 2, four average-pool SPP branches upsampled and concatenated, run on each view in turn): the pools as "
    "AdaptiveAvgPool2d and the branches in a ModuleList (clean), DenseMatchingBenchmark's biased projections "
    "(conv_bias_before_bn), OpenStereo's batch_norm=False (normalization_layer), align_corners=True and OpenStereo's 1x1 "
    "fusion conv (described); a Siamese tracker at 3 x 64 x 64 (a ResNet-50 truncated after layer3, layer3 dilated "
    "instead of strided, pysot's adjust 1x1 conv + BN, the template's map centre-cropped, xcorr_depthwise): the "
    "correlation by a loop over the batch (clean), layer3 strided (dilated_output_stride), video_analyst's biased adjust "
    "conv (conv_bias_before_bn), TransT's dilation on layer3's first block only and xcorr_fast for xcorr_depthwise "
    "(described) (tests/fixtures/heldout/batch81_*.py). First measurement (at abeef08): 12 of 16 right, twins 16 of 16 "
    "clean, swapped 6 of 6; missed: psm_spp_adaptive_pool (AdaptiveAvgPool2d on an evenly divided map described "
    "against AvgPool2d, twice), psm_no_batch_norm (normalization_layer, one whole-model shared_params mismatch for the "
    "branch BNs the second view runs again left unclaimed), siam_layer3_strided (dilated_output_stride, the template's "
    "whole-map crop slice left unclaimed), siam_xcorr_full (xcorr_fast named grouped_conv); the test of it, which "
    "builds the candidate on meta, misses the same four.",
    "heldout82": "speaker-verification residual networks as speaker and speech repositories write them, each against "
    "the user's own unedited builder in the same file: a thin ResNet-34 at 1 x 32 x 48 log-mel (BasicBlocks at 8 / 16 / "
    "32 / 64 channels, the 64 x 4 x 6 map reshaped to (batch, 256, 6), temporal statistics pooling, seg_1 to a 32-d "
    "embedding, an AM-softmax head at test time, s * cos): wespeaker's TSTP on the 4-D map with torch.var_mean and "
    "voxceleb_trainer's AMSoftmax by torch.norm, clamp, div and torch.mm (clean), wespeaker's ResNet18 configuration "
    "(block_counts), voxceleb_trainer's stem conv with its default bias (conv_bias_before_bn), a StatsPool over frequency "
    "and time together with seg_1 sized for it and the head's embedding left unnormalised (described); the thin ResNet-34 "
    "with wespeaker's attentive statistics pooling (1x1 Conv1d attention with tanh, a softmax over the frames, the "
    "weighted mean and std) returning the embedding: the variance as speechbrain's weighted squared deviations (clean), "
    "the attention's tanh as ReLU (activation_function), ResNet34SE's SE modules (squeeze_excitation), "
    "ResNet34StatsPool's dropout after the embedding (dropout); an ECAPA-TDNN at 32 x 64 in wespeaker's spelling "
    "(SE_Res2Blocks with dilations 2 / 3 / 4 and Res2Net scale 4, multi-layer feature aggregation, ASTP with global "
    "context, BatchNorm1d, the embedding Linear, an AAM-softmax head at test time): TaoRuijie's Conv1d SEModule and the "
    "context by .repeat (clean), Res2Net scale 1 (multi_scale_block), TaoRuijie's summed block inputs, the aggregation "
    "taking the first layer's output too and the head returning the bare cosine (described) "
    "(tests/fixtures/heldout/batch82_*.py). First measurement (at fdf70f7): 14 of 16 right, twins 16 of 16 clean, "
    "swapped 6 of 6; missed: thin_am_mm_norm (voxceleb_trainer's transposed W normalised over dim 0 and read by torch.mm "
    "named parameters_computed_in_forward, 'the function does not' agree, against the builder's rows normalised and "
    "F.linear: the same logits), ecapa_dense_sums (the summed block inputs cut the chain into four blocks for three, so "
    "layer2 is paired with the reference's layer4 and described there and as repeated_in_blocks, one skip left "
    "unclaimed); the test of it, which builds the candidate on meta, misses the same two.",
    "heldout83": "residual networks for time series and tabular data as public repositories write them, each against "
    "the user's own unedited builder in the same file: the ResNet baseline for time-series classification of Wang et "
    "al. as PyTorch ports of dl-4-tsc write it at 3 x 64 (three blocks of bias-free Conv1d + BatchNorm1d of kernels 8 / "
    "5 / 3 at 16 / 32 / 32 channels, the even kernel padded 'same' by hand with F.pad(x, (3, 4)), a 1x1 conv + BN "
    "shortcut where the width grows and a BatchNorm1d alone where it stays, global average pooling over time): the pad "
    "as an nn.ConstantPad1d module in a Sequential block and every layer an attribute of the root with the blocks as "
    "loops in forward (clean), Conv1d's "
    "default bias before every BN (conv_bias_before_bn), Keras' BatchNormalization defaults (keras_batchnorm), the "
    "even kernel's extra zero on the left and the third block's BatchNorm1d shortcut as the identity (described); "
    "InceptionTime on a channels-last (N, 64, 3) input transposed inside forward (six modules of a 1x1 bottleneck, "
    "kernels 39 / 19 / 9 made odd as tsai does and a max-pool branch, a ResidualLayer of 1x1 conv + BN, add and ReLU "
    "after modules 2 and 5): Keras' GlobalAveragePooling1D over the channels-last map (clean), use_residual=False "
    "(residual_add_missing), the shortcut without its BN (projection_without_bn), the first module without its "
    "bottleneck and no ReLU after the add (described); rtdl's tabular ResNet on PLR periodic numerical embeddings of "
    "16 features (cos / sin of learned frequencies, one linear layer per feature, ReLU, flattened; two blocks of "
    "BatchNorm1d, Linear, ReLU, Dropout, Linear, Dropout and x_input + x; a BatchNorm1d, ReLU, Linear head): the "
    "per-feature linear layers by einsum (clean), normalization='LayerNorm' (normalization_layer), the dropouts left "
    "out (dropout), PLR-lite's shared Linear and the head without its ReLU (described) "
    "(tests/fixtures/heldout/batch83_*.py). First measurement (at cbc4780): 16 of 16 right, twins 16 of 16 clean, "
    "swapped 6 of 6; the test of it, which builds the candidate on meta, gets the same.",
    "heldout84": "Bayesian and probabilistic ResNets as public repositories write them, each against the user's own "
    "unedited builder in the same file, at 3 x 32 x 32: a Bayes-by-backprop CIFAR ResNet-8 as bayesian-torch's "
    "resnet_variational.py writes it (every conv and the Linear a mean-field Gaussian layer of mu and rho, sigma = "
    "log1p(exp(rho)), a weight drawn in training and the mean alone in eval; option A zero-padding shortcuts): sigma by "
    "F.softplus and blitz's weight_sampler sub-modules (clean), PyTorch-BayesianCNN's conv bias before every BN "
    "(conv_bias_before_bn), option B's Bayesian 1x1 conv + BN projections (option_a_shortcut, in the reference), the "
    "weights sampled at eval too (described); a torchvision-style ResNet-8 converted in place by a dnn_to_bnn pass to "
    "bayesian-torch's Flipout layers (the mean conv plus a sign-flipped perturbation conv, in eval too): the KL computed "
    "and stored in the forward (clean), the CIFAR stem (cifar_stem), every Flipout conv perturbing the unsigned input "
    "and the head's mean bias added twice (described); a rank-1 Bayesian WRN-10-1 at base width 8 with two members "
    "(a shared conv between per-member Gaussian input and output factors, the input tiled over the members, the "
    "members' logits averaged): the factors spread by expand and reshape (clean), dropRate 0.3 (dropout), the 1x1 "
    "projections plain convs (described); a kuangliu-style ResNet-8 with a last-layer Laplace head (the MAP Linear and "
    "Kronecker factors of its posterior as buffers, the probit-scaled logits): the predictive variance by einsum "
    "(clean), the probit softmax returned (softmax_output), pi / 8 left out and the bias covariance left out "
    "(described) (tests/fixtures/heldout/batch84_*.py). First measurement (at 88fc38b): 13 of 16 right, twins 16 of "
    "16 clean, swapped 4 of 5; missed: bbb_conv_bias and bbb_option_b_shortcut (the named finding right, but the "
    "added layers' rho parameters, unread in eval where the layers use their means, 'never used in forward' and left "
    "unclaimed), flip_cifar_stem (the Flipout stem's mean and perturbation convs compared one by one: a "
    "described_difference in the stem, cifar_stem not reported, swapped too); the test of it, which builds the "
    "candidate on meta, also misses lla_einsum_variance (a described_difference in the head: no values there for the "
    "numeric check).",
    "heldout85": "gait-recognition and LiDAR bird's-eye-view residual backbones as public repositories write them, each "
    "against the user's own unedited builder in the same file: OpenGait's GaitBase on a 1 x 4 x 32 x 24 silhouette "
    "sequence (a SetBlockWrapper folding the frames into the batch around a ResNet-9 of BasicBlocks at 8 / 16 / 32 / 64 "
    "channels, set pooling by PackSequenceWrapper(torch.max) over the frames, a horizontal pyramid of 4 / 2 / 1 strips "
    "each its mean plus its max, separate per-part FCs, SeparateBNNecks with cosine logits): the pyramid by adaptive "
    "average and max pools and OpenGait's older frames-first layout (clean), every backbone ReLU a LeakyReLU as GaitSet "
    "writes it (activation_function), ResNet9's default layers [1, 2, 2, 1] (block_counts), the set pooling a mean and "
    "the BNNeck logits unnormalised (described); the PointPillars / SECOND bird's-eye-view backbone as OpenPCDet's "
    "BaseBEVBackbone writes it on a 16 x 32 x 32 pseudo-image (three residual-free levels of ZeroPad2d and strided 3x3 "
    "convs with BN(eps=1e-3, momentum=0.01), ConvTranspose2d deblocks concatenated, AnchorHeadSingle's three 1x1 "
    "convs): the first convs with padding=1 for the ZeroPad2d and second.pytorch's unrolled RPN (clean), PyTorch's "
    "BatchNorm defaults (keras_batchnorm), the first level at stride 1 (first_stage_downsampling), the upsampling "
    "deblocks bilinear + 1x1 conv (described); a CenterPoint-style residual BEV backbone as OpenPCDet's "
    "BaseBEVResBackbone writes it (BasicBlocks with a projection first in each level, deblocks concatenated) under its "
    "CenterHead (a shared conv, a SeparateHead of five 3x3 heads): torchvision's BasicBlock for the blocks (clean), "
    "det3d's head convs with a bias before BN (conv_bias_before_bn), the blocks without their adds "
    "(residual_add_missing), the ReLU before the add and the heatmap's clamped sigmoid in the head (described) "
    "(tests/fixtures/heldout/batch85_*.py). First measurement (at c96bfd1): 13 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 6; missed: gait_bnneck_unnormalised (parameters_computed_in_forward for the class matrices' "
    "normalisation, the features' left unclaimed), pp_first_stride_one (the first BEV level read as the stem, its "
    "stride unnamed), cp_plain_blocks (not_a_residual_network for the blocks without their adds); the test of it, "
    "which builds the candidate on meta, misses the same three.",
    "heldout86": "2-D residual networks in scientific code as public repositories write them, each against the user's "
    "own unedited builder in the same file: trRosetta's dilated residual network as tr-rosetta-pytorch writes it on "
    "16 x 32 x 32 protein pair features (a 1x1 conv, InstanceNorm2d(affine=True, eps=1e-6) and ELU; six blocks of two "
    "biased 3x3 convs at dilations cycling 1, 2, 4, 8, 16, each with InstanceNorm, ELU and Dropout(0.15) between, x = "
    "elu(x + layer(x)); the map symmetrised before a 1x1 conv to 37 distance bins): protein-sequence-models' block "
    "class with the dilation doubled and reset, and the instance norm by hand (clean), BatchNorm2d as RaptorX-style "
    "contact ResNets normalise (normalization_layer), RoseTTAFold's bias-free convs (conv_bias_before_bn), "
    "RoseTTAFold's dilation cycle [1, 2, 4, 8] and the head reading the unsymmetrised map (described); ClimateLearn's "
    "weather ResNet on WeatherBench's grid, 8 x 32 x 64 (every conv a PeriodicConv2D: the longitude wrapped by "
    "torch.cat, the latitude zero-padded; a 7x7 stem conv, LeakyReLU(0.3), BatchNorm2d, Dropout; two residual blocks "
    "of drop(norm(act(conv(x)))) twice and the identity add; a 3x3 output conv): F.pad's circular mode then zeros "
    "(clean), activation='gelu' (activation_function), WeatherBench's dropout 0 (dropout), the Keras pad's axis=2 on "
    "a channels-first map wrapping the latitude and bn_position='mid' (described); PDEArena's ResNet on a periodic "
    "4 x 32 x 32 field (1x1 lifting convs with GELU, four pre-activation BasicBlocks of GroupNorm(1, 32), GELU and "
    "biased 3x3 convs with padding_mode='circular', a 1x1 projection): a PeriodicConv2d wrapper and the network as one "
    "Sequential with padding='same' (clean), the post-activation block PDEArena keeps in comments (pre_activation), "
    "the convs zero-padded and GroupNorm with 8 groups (described) (tests/fixtures/heldout/batch86_*.py). First "
    "measurement (at c4285f7): 15 of 16 right, twins 16 of 16 clean, swapped 4 of 5; missed: rosetta_bias_free_convs "
    "(the bias-free convs before the instance norms said as repeated_in_blocks, 'conv bias False where the reference "
    "has True, in 6 blocks', the stem's bias left unclaimed; conv_bias_before_bn not named, swapped alike); the test "
    "of it, which builds the candidate on meta, misses the same.",
    "heldout87": "face anti-spoofing and image-forensics ResNets as public repositories write them, each against the "
    "user's own unedited builder in the same file, on a 3 x 32 x 32 image: a ResNet of CDCN's central difference "
    "convolutions (Conv2d_cd: conv(x) minus theta 0.7 times the window-summed kernel applied as an unpadded 1x1 conv at "
    "the same stride, bias-free; a Conv2dCD stem and four BasicBlocks of Conv2dCD 3x3 convs at 16 and 32 channels, a "
    "plain 1x1 conv + BN projection, fc to 2 logits): each Conv2dCD as one conv on a kernel computed in forward (theta "
    "times the window sum off the centre tap, DEA-Net's re-parameterised form) and the (1 - theta) * out + theta * "
    "(out - out_diff) spelling (clean), biased convs before every BN (conv_bias_before_bn), the difference term's sign "
    "flipped and theta 0 everywhere (described); a DFDC-style deepfake classifier with a fixed SRM stem (three 5x5 "
    "residual filters as a frozen parameter, Hardtanh(-3, 3)) in front of a small timm-style ResNet encoder, "
    "Dropout(0.0) and fc: the SRM filters as a frozen bias-free nn.Conv2d (clean), DeepFakeClassifierSRM's "
    "dropout_rate=0.5 (dropout), drop_path_rate=0.2 (stochastic_depth), the stem without its truncation (described); "
    "a two-stream manipulation detector (an RGB stream and a noise stream on a Bayar constrained conv of the grey "
    "image, the maps concatenated, pooled, fc): each stream pooled before the concatenation (clean), projections "
    "without BN (projection_without_bn), the grey image unpacked as b, g, r and the Bayar conv a plain conv "
    "(described); F3Net's FAD branch (a frozen 32 x 32 DCT, four band filters of a fixed mask plus a learnable map, the "
    "inverse DCT, 12 channels) in front of a CIFAR-style ResNet: the DCT by einsum (clean), ImageNet's 7x7 stride-2 "
    "stem and max-pool (cifar_stem), the bands without the inverse DCT (described) "
    "(tests/fixtures/heldout/batch87_*.py). First measurement (at 3b783f8): 13 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5; missed: cdc_conv_bias (conv_bias_before_bn for the projection alone, the Conv2dCDs' biases said "
    "as described_difference, 'A Conv2dCD in place of conv1, conv2 (8 layers)' and the stem's bias; swapped alike), "
    "fad_einsum (the DCT matmuls read as Linear layers, the einsums not paired with them: two described_difference "
    "findings for a clean refactor), fad_no_inverse (the missing inverse DCTs described at FAD_head, the whole-model "
    "shared_params of the DCT matrices left unclaimed); the test of it, which builds the candidate on meta, misses the "
    "same three.",
    "heldout88": "ResNet backbones as crowd-counting and density-estimation repositories write them, each against the "
    "user's own unedited builder in the same file, on a 3 x 64 x 64 crop, every ResNet a torchvision-style ResNet-50 at "
    "a quarter of its widths: C^3 Framework's Res50 (the front-end conv1, bn1, relu, maxpool, layer1, layer2; "
    "own_reslayer_3 = make_res_layer(Bottleneck, 64, 6, stride=1), the map kept at 1/8; CSRNet's back-end of six biased "
    "3x3 convs at dilation 2 with ReLUs; a 1x1 output conv with ReLU; F.interpolate(x, scale_factor=8)): the front-end "
    "by slicing the ResNet's children with layer3 patched to stride 1 after it is built, and the back-end, output conv "
    "and nn.Upsample written out as one Sequential (clean), Res101_SFCN's 23 blocks in layer3 (block_counts), C^3's "
    "Conv2d(NL='prelu') back-end (activation_function), the back-end at dilation 1 and the front-end without its max "
    "pool (described); DM-Count's regression head on the ResNet cut after layer3 (F.upsample_bilinear by 2, reg_layer of "
    "two 3x3 convs with ReLUs, a 1x1 density conv with ReLU, mu / (mu_sum + 1e-6), (mu, mu_normed) returned): the "
    "normaliser by view(B, 1, 1, 1) and torch.div, and F.interpolate with align_corners=True and the stages in a loop "
    "(clean), CLTR's FrozenBatchNorm2d back-bone (normalization_layer), a Dropout2d before the density conv (dropout), "
    "Bayesian loss's torch.abs for the density ReLU and align_corners=False (described); a multi-scale head on "
    "FamNet's layer2 and layer3 maps (layer3's upsampled by 2 and concatenated, three conv-BN-ReLU branches at "
    "dilations 1, 2, 3 concatenated, a 1x1 fusion, a 1x1 density conv, the map upsampled to the input's size): FamNet's "
    "feature dict with the branches in a ModuleList (clean), the branch convs' bias before BN (conv_bias_before_bn), "
    "the branches summed and the three branches at dilation 1 (described) (tests/fixtures/heldout/batch88_*.py). First "
    "measurement (at c37a78a): 14 of 16 right, twins 16 of 16 clean, swapped 5 of 5; missed: dm_abs_density (no "
    "mismatch at all: Bayesian loss's torch.abs for the density ReLU not seen), ms_sum_branches (the summed branches' "
    "adds read as residual blocks, a described_difference 'Blocks joined otherwise' claiming a missing and an extra "
    "layer3.5, which the edit does not touch); the test of it, which builds the candidate on meta and makes warnings "
    "errors, misses ms_sum_branches only (there the deprecated F.upsample_bilinear's UserWarning is an error and the "
    "tool finds 'head: expected ReLU, found abs' for dm_abs_density).",
    "heldout89": "ResNets as fine-grained recognition repositories write their heads and backbones, each against "
    "the user's own unedited builder in the same file, on 96 x 96 crops: a bilinear CNN on a small ResNet-50-style "
    "trunk kept as nn.Sequential(*list(resnet.children())[:-2]) (the mean outer product torch.bmm(x, x^T) / (h * w), "
    "the signed square root sign(x) * sqrt(|x| + 1e-10), F.normalize, Linear(64 ** 2, 10)): the "
    "descriptors as rows with the bilinear matrix as X^T X by matmul (clean), a ResNeXt-style trunk of grouped 3x3 "
    "convs (grouped_conv), replace_stride_with_dilation on a layer4 of one unit (layer4 at stride 1, no conv dilated; "
    "written as dilated_output_stride, corrected after the first run: a fact about the model) and torch.sqrt(x + "
    "1e-5) for the signed square root (described); compact bilinear pooling on a ResNet-18 trunk (two "
    "fixed CountSketch modules of int64 hash and float sign buffers, scatter_add_ into 128 bins, their product by "
    "torch.fft.rfft / irfft, summed over the positions, the signed square root, F.normalize, Linear(128, 10)): "
    "fast-MPN-COV's dense sketch matrices and complex FFT (clean), a ResNet-34 trunk (block_counts), dropout on the "
    "pooled vector (dropout), the signed square root switched off (described); fast-MPN-COV's MPNCOVResNet at small "
    "widths (Bottleneck units, layer4 at stride 1, a bias-free 1x1 layer_reduce with BN and ReLU; CovpoolLayer, "
    "SqrtmLayer(x, 5), TriuvecLayer as torch.autograd.Functions with hand-written backward passes; Linear(136, 10)): "
    "the three steps as plain differentiable code and the Basemodel split into features / representation / classifier "
    "(clean), layer4 at torchvision's stride 2 and three Newton-Schulz steps for five (described); WS-DAN on a "
    "ResNet-18 trunk (four attention maps by Inception's BasicConv2d, bilinear attention pooling by einsum, the signed "
    "square root, F.normalize, a bias-free Linear on feature_matrix * 100.): a Lightning port's spelling (a "
    "features_only-style backbone returning a list, ConvBNReLU, .div(H * W)) (clean), BAP's 'GMP', the first feature "
    "channels taken as the attention maps and the classifier without the * 100. (described) "
    "(tests/fixtures/heldout/batch89_*.py). First measurement (at 034e59a): 14 of 16 right, twins 16 of 16 clean, "
    "swapped 3 of 4; missed: bcnn_dilated_layer4 (described_difference at features.7.0 for the expected "
    "dilated_output_stride; corrected after the run to a described idiom, a fact about the model: one unit in layer4 "
    "keeps the previous dilation, so no conv is dilated; it misses as described too, the head's 1 / (h * w) left "
    "unclaimed at the root), mpncov_layer4_stride2 (layer4.0's stride described right, but CovpoolLayer's I_hat "
    "over 9 positions for 36 described as a second change at the root); the test of it, which builds the candidate "
    "on meta, misses the same two and cbp_dense_sketch (not_a_residual_network for the dense sketch buffers on "
    "meta).",
    "heldout90": "ResNets as image-retrieval and landmark-recognition repositories write them, each against the "
    "user's own unedited builder in the same file, on 128 x 128 images: dirtorch's ResNet_RMAC as a subclass of its "
    "backbone ResNet (BasicBlocks [2, 2, 2, 2] at widths 8 to 64; GeneralizedMeanPoolingP, the squeeze, a whitening "
    "Linear(64, 32) and F.normalize): GeM through F.lp_pool2d divided by (H * W)^(1/p) and the whitening as a 1x1 "
    "Conv2d on the pooled map (clean), a ResNet-34 trunk (block_counts), pooling='max' (described); DELG on a pycls "
    "ResNet-50 at small widths (ResBlocks of BottleneckTransforms run by a loop over their children; a GlobalHead of "
    "GeM-P and Linear; s3's map detached into a SpatialAttention2d of 1x1 conv, BN, the normalised map, ReLU, 1x1 conv "
    "and Softplus, and a ResHead): the attention block functional (clean), STRIDE_1X1 (resnet_v1_stride), act_fn="
    "'leakyrelu' (activation_function), the map not detached (described); the Kaggle landmark recognition 2020 "
    "winner's Net (a timm-style ResNet-50 at small widths read through forward_features, GeM with a learned p, "
    "x[:, :, 0, 0], neck option-D Linear / BatchNorm1d / PReLU, ArcMarginProduct's cosine logits): GeM as a mean over "
    "the axes and the cosine by matmul (clean), a ResNeXt-style trunk (grouped_conv), neck option-F's Dropout(0.3) "
    "(dropout), p_trainable=False (described); cirtorch's ImageRetrievalNet with RMAC(L=3) on a torchvision-style "
    "ResNet-101 at small widths (children()[:-2], 14 regions cut by list indexing, L2N, a whitening Linear, L2N, the "
    "D x N column): the regions in plain Python cut by narrow (clean), replace_stride_with_dilation on layer4 "
    "(dilated_output_stride), the last stride set to 1 without dilation and layer4 left out (described) "
    "(tests/fixtures/heldout/batch90_*.py). First measurement (at be326c1): 12 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 6; missed: dirtorch_whiten_conv1x1 (conv_classifier for the whitening as a 1x1 conv on the pooled "
    "map, the same computation, expected clean), landmark_fixed_p (parameters_computed_in_forward for the reference's "
    "1. / p beside a described_difference at global_pool), rmac_dilated_layer4 and rmac_layer4_stride1 (the stride "
    "change found, but R-MAC's region grid, worked out by tensor ops from the map's size, described as eight further "
    "changes at pool; rmac_dilated_layer4 swapped the same); the test of it, which builds the candidate on meta, gets "
    "the same.",
    "heldout91": "ResNets as computational-pathology and whole-slide-image repositories write them, each against "
    "the user's own unedited builder in the same file: CLAM_SB on CLAM's ResNet_Baseline at small widths (a 7x7 / 2 "
    "stem, Bottleneck_Baseline stages [2, 2, 2], no layer4: the ResNet-50 truncated after layer3, the pooled layer3 "
    "map per tile) over a bag of nine 32 x 32 tiles cut by x.unfold from a 96 x 96 region, Linear + ReLU + Dropout and "
    "Attn_Net_Gated (tanh and sigmoid branches with Dropout(0.25), attention_c on their product), the softmax over the "
    "tiles, torch.bmm, a Linear classifier: the bag vector as (A * h).sum(dim=1) and the encoder cut by "
    "list(resnet.children())[:-3] (clean), a ResNet-101 trunk (block_counts), no --drop_out (dropout), gate=False and "
    "the softmax over the single attention branch of the untransposed scores (described); AttentionDeepMIL's "
    "GatedAttention end to end on a ResNet-18 tile encoder over four 64 x 64 tiles of a 128 x 128 region "
    "(attention_V / attention_U / attention_weights, the softmax over the bag, a Linear + Sigmoid classifier): the "
    "attention as 1x1 Conv1d over the tiles (clean), DSMIL's resnet18(norm_layer=nn.InstanceNorm2d) "
    "(normalization_layer), a 3x3 / 1 stem without max pool (cifar_stem), the scores squashed by a sigmoid per tile "
    "(described); a 64 x 64 tile classifier whose first layer is a fixed Macenko normalisation (OD = -log((I + 1) / "
    "240), the concentrations by a fixed pseudo-inverse, maxCRef / maxC, Io * exp(-HERef C) clamped at 255, ImageNet's "
    "mean and std) before a ResNet-18: torchstain's channels-last matmul with Inorm[Inorm > 255] = 255 (clean), an "
    "SE-ResNet-18 trunk (squeeze_excitation), no saturation at 255 (described); a GrayLayer (0.299 R + 0.587 G + 0.114 "
    "B) before a ResNet-18 with a one-channel conv1: the luma as a fixed 1x1 F.conv2d (clean), "
    "Grayscale(num_output_channels=3) into a three-channel conv1 and torchvision's rgb_to_grayscale with 0.2989 "
    "(described) (tests/fixtures/heldout/batch91_*.py). First measurement (at 75ca11b): 11 of 16 right, twins 16 of "
    "16 clean, swapped 5 of 5; missed: clam_ungated (a dropout finding for the removed sigmoid branch's own Dropout "
    "beside a described_difference located right), clam_softmax_over_branches (no mismatch at all for the softmax "
    "over the single attention branch), amil_conv1d_attention (described_difference: 1x1 Conv1d where the reference "
    "has Linear, the softmax's other layout), macenko_channels_last (described_difference in the stem: the einsum "
    "and the clamp against the channels-last matmul and torchstain's masked assignment), gray_luma_conv "
    "(described_difference: a fixed 1x1 conv for the weighted sum of the channels); the test of it, which builds the "
    "candidate on meta, misses the same five.",
    "heldout92": "ResNets as long-tailed-recognition and test-time-adaptation repositories write them, each "
    "against the user's own unedited builder in the same file: LDAM-DRW's CIFAR ResNet-32 at 3 x 32 x 32 (BasicBlocks "
    "[5, 5, 5] at 16 / 32 / 64, option-A shortcuts as a LambdaLayer around F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, "
    "planes // 4, planes // 4)), NormedLinear(64, 10) returning the bare cosine): the option-A shortcut as a module "
    "(a 1x1 AvgPool2d at stride 2 and zero maps concatenated either side) (clean), option 'B' projections "
    "(option_a_shortcut), NormedLinear with its feature normalisation commented out and DownsampleA's zeros after "
    "the subsampled input (described); classifier-balancing's decoupled ResNet-10 feature model (BasicBlocks [1, 1, "
    "1, 1] at 8 / 16 / 32 / 64, forward returning (x, None)) and a tau-normalised classifier (a bias-free Linear whose "
    "rows are divided by their norms to the power 0.7 in forward) at 3 x 64 x 64: tau_norm.py's pnorm as a loop over "
    "the rows and cRT's frozen feature model with the classifier re-initialised (clean), ResNetFeature's dropout "
    "(dropout), a ResNet-18 feature model (block_counts), learnable weight scaling's DotProduct_Classifier, the norm "
    "taken over the feature dimension and a freeze helper switching every BatchNorm's track_running_stats off "
    "(described); RobustBench's pre-activation WideResNet-10-2 as the source model of test-time adaptation at 3 x 32 x "
    "32: Tent's affine-only parameter selection and norm.py's Norm wrapper with its statistics reset (clean), Tent's "
    "configure_model (normalization_layer), widen_factor 4 (widths), the 1x1 shortcuts fed the raw block input "
    "(described) (tests/fixtures/heldout/batch92_*.py). First measurement (at f52e587): 15 of 16 right, twins 16 of "
    "16 clean, swapped 5 of 5; missed: decouple_freeze_track_off (compared clean, no mismatch: a freeze helper that "
    "switches every feature-model BatchNorm's track_running_stats off with its buffers kept leaves the outputs of "
    "each mode unchanged but never updates the running statistics; expected described at feat_model); the test of "
    "it, which builds the candidate on meta, gets the same.",
    "heldout93": "ResNet backbones as anchor-free detection repositories write them, each against the user's own "
    "unedited builder in the same file: CenterNet's msra_resnet PoseResNet-18 at 3 x 64 x 64 (BasicBlocks [2, 2, 2, 2] "
    "at 8 / 16 / 32 / 64, three ConvTranspose2d(4, stride 2) + BN + ReLU at 32 channels, hm / reg / wh heads of a 3x3 "
    "conv, ReLU and a 1x1 conv, the hm bias at -2.19, [ret] out): the upsampling stages as deconv_layers_1 / _2 / _3 "
    "and the forks' always-true 'if 'hm' or 'theta' in head' bias fill (clean), resnet_spec[34] (block_counts), a "
    "BatchNorm between each head's 3x3 conv and its ReLU (described); FCOS at 3 x 64 x 64 (a Bottleneck ResNet body "
    "returning C3-C5, maskrcnn-benchmark's FPN with LastLevelP6P7 at 16 channels, FCOSHead shared by five levels with "
    "two conv-GroupNorm(2, 16)-ReLU per tower, a Scale per level, centerness on the box tower, F.relu on the box "
    "output): mmcv's 0-d Scale and mmdetection's ConvModule spelling of the head (clean), BatchNorm towers "
    "(normalization_layer), the tower convs without bias (mmcv's bias='auto') and centerness on the classification "
    "tower (described); TTFNet at 3 x 64 x 64 (an mmdet-style ResNet-18 trunk returning C2-C5, TTFHead: three "
    "conv-BN-ReLU-UpsamplingBilinear2d layers, ShortcutConv2d skips of 1 / 2 / 3 convs, hm and wh heads, wh = "
    "F.relu(wh(x)) * 16): nn.Upsample with align_corners=True (clean), GroupNorm upsampling layers "
    "(normalization_layer), align_corners=False and activation_last=True (described); Simple Baselines' pose_resnet "
    "at 3 x 96 x 64 (one Bottleneck per stage at planes 4 / 8 / 16 / 32, three deconvs, a 1x1 conv to 17 heatmaps): "
    "MODEL.STYLE caffe (resnet_v1_stride), a ResNeXt Bottleneck with groups 4 and width_per_group 32 "
    "(grouped_conv), FINAL_CONV_KERNEL 3 (described) (tests/fixtures/heldout/batch93_*.py). First measurement (at "
    "3f658b5): 15 of 16 right, twins 16 of 16 clean, swapped 5 of 5; missed: fcos_mmdet_conv_modules (widths and two "
    "described_difference, 80 mismatches, for mmdetection's spelling of the same head: each level's class score "
    "computed before its box tower runs, ConvModule lists, clamp(min=0) for F.relu, bbox_pred *= stride in place; the "
    "reordered ops not paired, and 'the candidate's backward fails (clamp kept what it overwrites)' where the backward "
    "runs; expected clean); the test of it, which builds the candidate on meta, misses the same one.",
    "heldout94": "two-stream and multimodal ResNets as public repositories write them, each against the user's own "
    "unedited builder in the same file, the two inputs stacked on the channels of one tensor and split in forward: a "
    "two-stream action-recognition network at 7 x 32 x 32 (an RGB frame and two frame pairs' x / y flow; rgb_stream "
    "and flow_stream ResNets of one shape with conv1_custom and fc_custom as two-stream-action-recognition writes them, "
    "one BasicBlock at 8 / 16 / 32; (rgb_score + flow_score) / 2): the scores stacked and averaged by mean and the flow "
    "conv initialised from the RGB one by cross-modality averaging (clean), TSN's Dropout before a new fc in each "
    "stream (dropout), two blocks per stage (block_counts), the streams' softmax scores multiplied (described); "
    "RedNet's RGB-D encoder at 4 x 32 x 32 (an RGB and a depth encoder, the depth maps run through the RGB side's ReLU "
    "and max pool and added into the RGB stream after the stem and every stage, a pooled fc head): the depth encoder's "
    "own ReLU and max pool modules (clean), layer3 and layer3_d dilated at stride 1 (dilated_output_stride), the "
    "fusion sums commented out but the last and the depth encoder fed the fused maps (described); OGM-GE's "
    "AVClassifier at 7 x 32 x 32 (a one-channel spectrogram and two frames; an audio ResNet and a visual ResNet with "
    "the frames folded into the batch, adaptive_avg_pool2d and adaptive_avg_pool3d, ConcatFusion's Linear over the "
    "concatenation): the frames reshaped into the batch and averaged in one mean (clean), a GroupNorm norm_layer "
    "(normalization_layer), SumFusion (described); a siamese ResNet at 6 x 32 x 32 (one trunk cut after layer2 called "
    "on each image, a 1x1 conv + BN + ReLU over the concatenation, layer3 and a pooled fc): the fusion conv split "
    "into one bias-free conv per image (clean), kuangliu's PreActBlock (pre_activation), the fusion moved after layer3 "
    "into the shared trunk and the fusion conv biased with a ReLU and no BatchNorm (described) "
    "(tests/fixtures/heldout/batch94_*.py). First measurement (at 8d173d3): 12 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5; missed: flow_two_blocks_per_stage (block_counts with an extra_module_in_blocks and two "
    "described_difference: the two streams' blocks counted as one chain, the leftovers described; swapped the same), "
    "rgbd_sums_commented_out (first_stage_downsampling, widths and described_difference in the depth encoder: without "
    "the adds the blocks are cut and paired otherwise), rgbd_depth_reads_fused (repeated_in_blocks at layer2.0 / "
    "layer3.0: the depth blocks read as branches of the RGB blocks that share their input), siam_split_fusion_conv "
    "(described_difference: the sum of the two per-image 1x1 convs read as a residual add); the test of it, which "
    "builds the candidate on meta, misses the same four.",
    "heldout95": "ResNets written with PyTorch's functional and parametrization tooling, each against the user's "
    "own unedited builder in the same file, at 3 x 32 x 32: a few-shot ResNet-12 at widths 8 / 16 / 32 / 64 (four "
    "blocks of three 3x3 conv-BN units with LeakyReLU(0.1), a 1x1 conv + BN shortcut and a 2x2 max-pool; global "
    "average pooling, Linear(64, 10)) as MAML repositories run it on dicts of fast weights: the learner's "
    "torch.func.functional_call(self.module, (params, buffers), (x,)) (clean), MAML++'s fast-weight F.conv2d / "
    "F.batch_norm with a bias on every conv (conv_bias_before_bn), CloserLookFewShot's BatchNorm2d_fw at training=True, "
    "momentum=1 (normalization_layer), torchmeta-style MetaBatchNorm2d passing eps and the averaging factor in each "
    "other's positions (described); a deep ensemble of three small CIFAR ResNets in an nn.ModuleList averaging the "
    "members' logits: the members stacked by torch.func.stack_module_state and run by torch.vmap over functional_call "
    "as the ensembling tutorial writes it (clean), torch.func.replace_all_batch_norm_modules_ before stacking "
    "(normalization_layer), the mean of the members' softmax probabilities (softmax_output), the logits summed "
    "without the division by the member count (described); a CIFAR ResNet with parametrizations.weight_norm on every "
    "conv (each followed by its BatchNorm) and the classifier: the old hook-based nn.utils.weight_norm (clean), the "
    "weight norm removed for export by remove_parametrizations (parameters_computed_in_forward), weight_norm(dim=None) "
    "and the wrapping by a loop that catches every BatchNorm's weight too (described); a CIFAR ResNet whose 3x3 "
    "kernels are made left-right symmetric by parametrize.register_parametrization as code after MMC writes it: "
    "torch.compile and MMC's SymmetricConv2d under torch.jit.script (clean), the stem conv left out of the "
    "symmetrizing loop (parameters_computed_in_forward), the up-down mirror for the left-right one (described) "
    "(tests/fixtures/heldout/batch95_*.py). First measurement (at 24bec78): 9 of 16 right, twins 16 of 16 clean, "
    "swapped 3 of 6; missed: maml_fw_batch_stats (extra_module_in_blocks and repeated_in_blocks for BatchNorm2d_fw's "
    "fresh zero / one statistics at training=True, momentum=1; expected normalization_layer), ens_vmap_stacked, "
    "ens_bn_replaced, ens_prob_average, ens_sum_no_division (not_a_residual_network: the members stacked and run by "
    "vmap over functional_call read as one network without residual additions, the reference as its first member; "
    "expected clean, normalization_layer, softmax_output and described at the root), wn_dim_none and symm_vflip "
    "(compared clean: weight_norm's one g per layer and the up-down kernel mirror not seen; expected described); "
    "the test of it, which builds the candidate on meta, misses the same seven.",
    "heldout96": "ResNets prepared for quantization, mixed precision and deployment, each against the user's own "
    "unedited builder in the same file, at 3 x 32 x 32: a CIFAR ResNet written as torchvision.models.quantization "
    "writes its ResNets (QuantStub / DeQuantStub around the network, QuantizableBasicBlock's FloatFunctional add_relu "
    "merge, a fuse_model handing conv-BN(-ReLU) groups to fuse_modules / fuse_modules_qat; two blocks per stage at 16 "
    "/ 32 / 64): fuse_modules_qat in train mode and the stubs moved inside the network (clean: before prepare a stub "
    "is an identity), fuse_modules on the eval model (batchnorm_folded), ReLU6 everywhere (activation_function), the "
    "ReLU grouped with the second conv in the fusion groups and the float block's shared ReLU fused away after the "
    "add (described); a bottleneck CIFAR ResNet (QuantizableBottleneck, widths 8 / 16 / 32) fused for QAT and "
    "prepared by prepare_qat: observers and fake quantization off (clean: the QAT ConvBn's BN scale multiplied into "
    "the weight and divided out again, the fake-quantize modules identities), freeze_bn_stats (normalization_layer), "
    "fake quantization on as prepare_qat leaves it (described throughout: every weight and activation rounded to the "
    "int8 grid, the int8 network simulated), relu3 fused into conv3 before the add (described); a quantizable "
    "pre-activation CIFAR ResNet (kuangliu's PreActBlock with module ReLUs and a FloatFunctional add): torchvision's "
    "post-activation block body pasted in (pre_activation), add_relu where add was meant and the shared ReLU fused "
    "into bn1's BNReLU2d (described); a plain CIFAR ResNet under CUDA autocast inside forward with channels_last and "
    "written for fp16 inference with casts to the weights' dtype (clean), ending in a softmax of the float logits "
    "(softmax_output) (tests/fixtures/heldout/batch96_*.py). First measurement (at fc62b64): 13 of 16 right, twins 16 of "
    "16 clean, swapped 4 of 5; missed: qat_fq_disabled, qat_freeze_bn, qat_fake_quant_on (the same findings for all "
    "three: parameters_computed_in_forward for the BN scale multiplied into the QAT ConvBn's weight and the weight "
    "fake-quantize, conv_bias_before_bn for the zero bias it passes to its conv, extra_module_in_blocks, "
    "repeated_in_blocks and a described_difference for the fake-quantize ops, which are read as extra ops whether "
    "fake quantization is on or off; expected clean, normalization_layer for the frozen BNs, and described throughout "
    "with no conv_bias_before_bn); the test of it, which builds the candidate on meta, misses the same three.",
    "heldout97": "ResNets as Kaggle competition solutions write them, each against the user's own unedited builder "
    "in the same file: a hand-written CIFAR-size ResNet at 3 x 32 x 32 (a 3x3 stem, one BasicBlock per stage at 16 / "
    "32 / 64 / 128) with GeM pooling of a learned exponent and a multi-sample dropout head (five nn.Dropout(0.5) "
    "samples through one shared Linear, averaged): the head answering self.fc(x) alone in eval mode and the dropped "
    "features averaged before one Linear call (clean), the inference copy's plain Linear head (dropout), one dropout "
    "drawn once before the five samples and GeM's exponent a constant (described); a torchvision-style ResNet at 3 x "
    "64 x 64 cut from its children (nn.Sequential(*list(net.children())[:-2])) with fastai's AdaptiveConcatPool2d, a "
    "BNNeck (BatchNorm1d, bias frozen) and an ArcMarginProduct at inference (s * cosine): FastReID's BatchNorm2d neck "
    "on the pooled 1 x 1 map (clean), a ResNet-D body (resnet_c_deep_stem, resnet_d_avg_pool_shortcut), the average "
    "half first and the weight normalised over dim 0 (described); the same ResNet at 1 x 64 x 64 with its RGB stem "
    "rebuilt for one channel by summing the pretrained kernel: the kernel averaged at construction (clean), the "
    "builder at in_chans=4 with the red kernel copied for the yellow channel (input_channels), the image repeated "
    "into the pretrained 3-channel stem (described); a hand-written ResNet at 3 x 32 x 32 with timm's drop_path at "
    "rates torch.linspace(0, 0.2, 4) stage by stage and an attention pool: torchvision's StochasticDepth (clean), "
    "drop_path_rate=0 (stochastic_depth), the drop path after the add and the softmax over the single score channel "
    "(described) (tests/fixtures/heldout/batch97_*.py). First measurement (at b4b327c): 11 of 16 right, twins 16 of "
    "16 clean, swapped 2 of 4; missed: droppath_rate_zero and droppath_on_sum (compared clean, swapped too: the "
    "builder's hand-written timm drop_path, a bernoulli_ mask multiplied into the residual branch, not seen, so its "
    "removal and its move after the add go unreported; expected stochastic_depth and described at layer2-4), "
    "droppath_torchvision_op (stochastic_depth, 'only in the candidate', for torchvision's StochasticDepth modules "
    "at the same rates; expected clean), msd_eval_single_pass (dropout and described_difference for the eval-mode "
    "single Linear call; expected clean), msd_head_without_dropout (dropout right, with a described_difference for "
    "the four further Linear calls and the mean of the multi-sample head; expected dropout alone, swapped the "
    "same); the test of it, which builds the candidate on meta, misses the same five.",
    "heldout98": "stochastic regularization and training tricks written inside residual networks, each against the "
    "user's own unedited builder in the same file, at 3 x 32 x 32: a Shake-Shake ResNet as hysts/pytorch_shake_shake "
    "writes it (Shake-Shake-8 2x8d: two ResidualPath modules per block mixed by ShakeFunction, a custom autograd "
    "Function returning x1 * alpha + x2 * (1 - alpha) with grad * beta and grad * (1 - beta) in backward, alpha and beta "
    "drawn per image in training and 0.5 in eval; the DownsamplingShortcut of two 1x1 convs on the even and the shifted "
    "samples, concatenated, one BN): the stop-gradient spelling without a custom Function and the shortcut's samples as "
    "strided slices (clean), 2x16d for 2x8d (widths), the shortcut without its BN (projection_without_bn), one alpha and "
    "beta per batch for one per image and the backward shake off (described; both in training only); a CIFAR ResNet "
    "with owruby's ShakeDrop before each add (one Bernoulli gate per batch, alpha ~ U(-1, 1) forward and beta ~ U(0, 1) "
    "backward where it is off, (1 - p) * x in eval, p = 0.5 * l / 3): the eval branch moved into the module (clean), x "
    "returned in eval without the 1 - p scaling and a fresh gate drawn in eval (described); a CIFAR ResNet with an "
    "auxiliary classifier on layer2's output used only in training ((logits, aux) in training, logits in eval) and "
    "ModelWithTemperature's learned temperature: the auxiliary head run in eval too and its result dropped (clean), the "
    "temperature layer returning softmax(logits / T) (softmax_output), GoogLeNet's dropout of 0.7 in the auxiliary head "
    "(dropout), the auxiliary head on detached features (described; the gradient only); a FixMatch-style pre-activation "
    "wide ResNet (LeakyReLU(0.1), BN momentum 0.001) with the public GaussianNoise layer after the stem (relative noise "
    "sigma * x.detach() times a normal sample, in training only): the noise drawn by randn_like (clean), ReLU for "
    "LeakyReLU(0.1) (activation_function), the noise drawn and never added (described; training only) "
    "(tests/fixtures/heldout/batch98_*.py). First measurement (at 3c237d1): 12 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 5; missed: shake_alpha_per_batch (compared clean: one alpha and beta per batch for one per image, a "
    "training-only difference in the shape of the random draw, not seen; expected described at stage1-3.block1), "
    "shake_stopgrad_detach (repeated_in_blocks and described_difference for the stop-gradient spelling without a "
    "custom Function: the extra mul / add / sub, the detach read as the gradient cut and the custom backward not set "
    "against it; expected clean), shakedrop_eval_in_module (repeated_in_blocks: 'the reference's mul runs in a custom "
    "autograd Function' for the eval branch moved into the module, whose Function backward is the same grad * (1 - p); "
    "expected clean), noise_randn_like (one unclaimed mismatch at noise: randn_like for new_zeros(()).repeat(...).normal_"
    "(), the same draw; expected clean); the test of it, which builds the candidate on meta, misses the same four.",
    "heldout99": "residual networks whose gradients are shaped by the model's own code, each against the user's own "
    "unedited builder in the same file, every described edit a difference of the backward pass alone (the forward the "
    "same function in train and eval mode): a DANN ResNet at 3 x 32 x 32 (a 3x3 stem, one BasicBlock per stage at 16 / "
    "32 / 64) whose domain classifier reads the pooled feature through fungtion/DANN's ReverseLayerF (identity "
    "forward, backward grad_output.neg() * alpha), returning (class_output, domain_output): pytorch-revgrad's RevGrad "
    "layer (clean), LogSoftmax closing both heads (softmax_output), c_drop1 Dropout in the class classifier "
    "(dropout), ReverseLayerF.apply(feature, -alpha) and a same-named Function whose backward lost its neg() "
    "(described); SimSiam on a quarter-width torchvision-layout ResNet (7x7 stem and max pool, the fc SimSiam's "
    "projector, dim = num_classes, a bottleneck predictor) with both views stacked in one 2 x 3 x 32 x 32 input, "
    "returning p1, p2, z1.detach(), z2.detach(): the stop-gradient as an autograd Function with a zero backward "
    "(clean), the CIFAR stem (cifar_stem), the targets detached before the predictor reads them (described); "
    "muzero-general's residual networks at 16 channels on a 3 x 8 x 8 board unrolled over two actions inside forward, "
    "the gradient entering the dynamics halved by x.register_hook(lambda grad: grad * 0.5) on its input: the "
    "pseudocode's scale_gradient and fairseq's GradMultiply on the hidden state before the concatenation (clean), the "
    "hook on the hidden state the recurrent step returns and the scale typed 1 // 2 (described); a CIFAR ResNet at 3 x "
    "32 x 32 whose stem and stages run as checkpoint(module, x, use_reentrant=False) while training: mmdetection's "
    "per-block with_cp (clean), GroupNorm for every BatchNorm (normalization_layer), the stem checkpointed with "
    "use_reentrant=True (no gradient reaches it: the image needs none) and checkpointing turned off (every BatchNorm's "
    "running statistics moving once per step where the builder's, recomputed in backward, move twice) (described) "
    "(tests/fixtures/heldout/batch99_*.py). First measurement (at 87100ee): 7 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 4; missed: every described idiom compared clean (seven false 'no difference', each a difference "
    "of the backward pass alone): dann_alpha_negated and dann_backward_without_neg (the reversal undone by a negated "
    "coefficient or by a same-named Function's backward without neg(); expected described at the root), "
    "simsiam_detach_before_predictor (the encoder gets no gradient; expected described at the root), "
    "muzero_hook_on_hidden_state and muzero_hook_floor_division (tensor hooks registered in forward not compared; "
    "expected described at the root or the networks whose gradients change), ckpt_stem_reentrant (no gradient "
    "reaches the stem) and ckpt_disabled (BatchNorm statistics moving once per step, not twice) (expected described "
    "at the root and the checkpointed modules); simsiam_stopgrad_function (two unclaimed 'the reference cuts the "
    "gradient here (detach), the candidate lets it flow' for a Function whose backward is zero; expected clean), "
    "muzero_scale_gradient (repeated_in_blocks for the detached half read as a gradient cut, and an unclaimed extra "
    "add; expected clean); the test of it, which builds the candidate on meta, misses the same nine.",
    "heldout100": "in-place operations and aliasing inside residual networks as public code writes them, each against "
    "the user's own unedited builder in the same file, the refactors checked equal in float64 in train and eval mode, "
    "gradients and BN statistics after a training step included: akamaster's CIFAR ResNet-14 at 3 x 32 x 32 with option "
    "A shortcuts (F.pad of the subsampled input, centred) and out += self.shortcut(x): option A written into a "
    "preallocated zero buffer by slice assignment (clean), out.add(shortcut) whose sum is dropped "
    "(residual_add_missing), the buffer filled from channel 0 and identity += out on the block's own input (the same "
    "forward; the training step's backward raises on the in-place write) (described); dyhan0920's PyramidNet with "
    "basic blocks (depth 14, alpha 24) adding torch.cat((shortcut, zeros), 1): the shortcut added in place into the "
    "first channels as ReXNet does (clean), an SE gate applied by out.mul_ (squeeze_excitation), the slice taken from "
    "the last channels (described); FasterNet at 3 x 64 x 64 whose partial convolution runs by torch.split / torch.cat: "
    "forward_slicing with its clone in eval mode (clean), DARTS' in-place DropPath_ (stochastic_depth), the eval-mode "
    "slicing without the clone, which rewrites the block's shortcut (described); BigGAN's residual discriminator at 3 "
    "x 32 x 32 without spectral norm: nn.ReLU(inplace=True) on fresh tensors (clean), LeakyReLU(0.2) "
    "(activation_function), the preactivated block's first ReLU through the in-place module ('NOT TODAY SATAN', "
    "described); RepDistiller's CIFAR ResNet-14 returning ([f0, f1_pre, f2_pre, f3_pre, f4], logits): preact = "
    "out.clone() before an in-place ReLU (clean), an in-place dropout after each add (dropout), preact = out followed by "
    "the block's in-place ReLU, every returned pre-activation feature activated (described) "
    "(tests/fixtures/heldout/batch100_*.py). First measurement (at d046b67): 12 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 5; missed: repd_preact_inplace_relu (compared clean: the returned pre-activation features aliased "
    "by the in-place ReLU not seen, a false 'no difference'; expected described), pyramid_slice_add_last "
    "(repeated_in_blocks right in every block, but bn_final / relu_final described as missing after layer3.1 and "
    "extra in the head; expected described at the blocks alone), fasternet_slicing_no_clone (the in-place setitem "
    "on the skip seen but left unclaimed, the blocks regrouped and misaligned: described_difference and "
    "extra_module_in_blocks at the patch-merging layers; expected described at the blocks), biggan_inplace_preact "
    "(wrong name pre_activation and 'ReLU moved across the add' for the in-place first ReLU that rewrites the "
    "shortcut; expected described at blocks 1 .. 3); the test of it, which builds the candidate on meta, misses the "
    "same four.",
    "heldout101": "stateful forwards and first-call initialisation in residual networks, each against the user's own "
    "unedited builder in the same file, the first and a second call compared as well as eval mode after them: a CIFAR "
    "ResNet at 3 x 32 x 32 (a 3x3 stem, one BasicBlock per stage at 16 / 32 / 64) whose every norm is "
    "rosinality/glow-pytorch's ActNorm (loc and scale set on the first forward from that batch's mean and unbiased std, "
    "a uint8 initialized buffer checked by .item() and set by fill_(1)): the statistics over the map's own dims by "
    "torch.mean / torch.std (clean), BatchNorm2d for every ActNorm (normalization_layer), the scale from the "
    "population std, the flag never set (every later call re-initialising) and the flag a plain Python attribute (a "
    "model given the builder's weights re-initialises and overwrites them) (described); d2l's ResNet at quarter width "
    "on 3 x 64 x 64 with every layer lazy (LazyConv2d with default biases, LazyBatchNorm2d, a 1x1 LazyConv2d shortcut "
    "without norm, LazyLinear), returned unmaterialised: eager layers with their in-channels written out and a dry run "
    "under no_grad in eval mode inside the builder (clean), bias=False on the convs before the norms "
    "(conv_bias_before_bn); the same CIFAR ResNet on the user's BatchNorm written from scratch (moving_mean / "
    "moving_var buffers updated in forward, the unbiased variance for the moving one): nn.BatchNorm2d (clean), Keras' "
    "eps 1e-3 and momentum 0.01 (keras_batchnorm), the moving variance from the biased batch variance and d2l's "
    "torch.is_grad_enabled() switch for self.training (described); a Rainbow Q-network at 3 x 64 x 64 (the IMPALA "
    "CNN's ConvSequences at 16 / 32 / 32 under a dueling head of Kaixhin/Rainbow's factorised NoisyLinear layers, the "
    "noise drawn by reset_noise() into buffers and kept, mu alone in eval): the factor vectors in non-persistent "
    "buffers with the outer product formed in forward (clean), openai's ImpalaCNN batch_norm=True "
    "(normalization_layer), no eval branch and reset_noise() in every training forward (described) "
    "(tests/fixtures/heldout/batch101_*.py). First measurement (at 0e213c1): 7 of 16 right, twins 13 of 16 clean, "
    "swapped 2 of 4; missed: three false 'no difference', each compared clean: actnorm_flag_attribute (the ActNorm flag "
    "a plain attribute, so a model given the builder's weights re-initialises and overwrites them; expected described "
    "at the ActNorms or the model), scratch_bn_biased_moving_var (the moving variance from the biased batch variance: "
    "eval after training 0.64 off; expected described at the norms), noisy_resample_each_forward (a fresh noise draw "
    "in every training forward: two calls on the same frames differ; expected described at the noisy layers); "
    "d2l_eager_modules, d2l_dry_run_in_builder, d2l_conv_no_bias (compare() raises ValueError 'Attempted to use an "
    "uninitialized parameter' on the lazy reference returned unmaterialised; its twin, swapped too); "
    "scratch_bn_torch_module (normalization_layer, extra_module_in_blocks, repeated_in_blocks and a "
    "described_difference for nn.BatchNorm2d against the BatchNorm written from scratch; expected clean), "
    "scratch_bn_keras_defaults (a described_difference 'weights computed otherwise in forward', add(0.001) for "
    "add(1e-05) before the sqrt, the momentum not said; expected keras_batchnorm, swapped the same), "
    "noisy_no_eval_branch (parameters_computed_in_forward, a name the judge does not take as a description, beside a "
    "right described_difference at the head; expected described); the test of it, which builds the candidate on "
    "meta, misses those nine and actnorm_mean_std_dims (a described_difference 'mean dims (0, 2, 3) where the "
    "reference has (1,)' for the same statistics over the map's own dims; expected clean).",
    "heldout102": "eval-mode and inference-time behaviour written inside residual networks, each against the user's "
    "own unedited builder in the same file, every non-clean edit seen in one mode only (train or eval): a CIFAR ResNet "
    "at 3 x 32 x 32 (a 3x3 stem, one BasicBlock per stage at 16 / 32 / 64) whose mmdetection-style train(mode) override "
    "puts every _BatchNorm back in eval mode after super().train(mode) (norm_eval): the override applying the classic "
    "set_bn_eval helper (clean), DETR's FrozenBatchNorm2d (normalization_layer), the BNs frozen once at the end of "
    "__init__ with no override (undone by the first model.train()) and the stem's bn1 left out of the override "
    "(described; training mode); the same ResNet averaging the logits of the image and of x.flip(3) inside forward when "
    "not training: the two views as one batch (clean), the softmax posteriors averaged (softmax_output), the mirror "
    "along the height (described; eval mode) and every BN at momentum=None (described; the running statistics after a "
    "step); the same ResNet with a Monte-Carlo dropout head (F.dropout(feat, 0.25, training=True), the mean of four "
    "passes of the head in eval mode): an nn.Dropout kept in training mode by a train(mode) override and the mask drawn "
    "by hand (clean), training=self.training (dropout), one mask shared by the four passes (described; eval mode); a "
    "quarter-width ResNet student at 3 x 64 x 64 with DeiT's fc and fc_dist heads ((x_cls, x_dist) in training, their "
    "average at inference): the average by stack().mean(0) (clean), a softmax at inference (softmax_output), the class "
    "head alone at inference (described; eval mode) and the pair returned swapped in training (described; training "
    "mode) (tests/fixtures/heldout/batch102_*.py). First measurement (at a418095): 11 of 16 right, twins 16 of 16 "
    "clean, swapped 3 of 4; missed: distil_train_heads_swapped (compared clean: the pair returned as (x_dist, x_cls) in "
    "training, the eval average the same; one false 'no difference'; expected described at the root, fc and fc_dist), "
    "normeval_frozen_bn (normalization_layer right, with two described_difference for 'A BatchNorm kept in eval mode "
    "in training missing in the candidate' where the FrozenBatchNorm2d normalises by its running statistics in "
    "training too; swapped the same), tta_batched_views (two described_difference and an unclaimed shared_params for "
    "the two views run as one batch, the reference's second run of the network missing; expected clean), "
    "mcdrop_train_override (dropout: the nn.Dropout the train(mode) override keeps on in eval mode read as off there; "
    "expected clean), mcdrop_bernoulli_mask (dropout and two described_difference for the mask drawn by hand, the same "
    "draws as F.dropout; expected clean); the test of it, which builds the candidate on meta, misses the same five.",
    "heldout103": "residual networks whose forward depends on the input's size or batch, each against the user's own "
    "unedited builder in the same file: a narrow torchvision-layout ResNet at 3 x 64 x 64 (a 7x7 stride-2 stem, the max "
    "pool only for inputs wider than 32 px, read on the input before the stem; one BasicBlock per stage at 8 / 16 / 32 "
    "/ 64; d2l's global pool F.avg_pool2d(x, kernel_size=x.size()[2:])): nn.AdaptiveAvgPool2d(1) (clean), "
    "pretrainedmodels' AvgPool2d(7, stride=1) on the 2 x 2 map (pool_larger_than_feature_map), the map flattened into "
    "Linear(256, 10) with no pool (fixed_size_head), the size test moved below the stem, so inputs of 33 to 64 px lose "
    "the pool (described); a narrow ResNet-D at 3 x 52 x 52 (shortcuts nn.AvgPool2d(2, 2, ceil_mode=True, "
    "count_include_pad=False) + 1x1 conv + BN; odd maps where layer2 and layer3 begin): count_include_pad at its default "
    "(clean), torchvision's strided 1x1 projection (resnet_d_avg_pool_shortcut), a floor-mode pool with the shortcut "
    "stretched back by F.interpolate where the shapes disagree and ceil_mode=True on the stem's padded max pool "
    "(described, each the same function at input sizes without odd / with odd maps); a residual segmentation network "
    "at 3 x 40 x 40 padding its input to a multiple of 32 in forward and cropping its upsampled scores back: the pad as "
    "-H % 32 and the crop by narrow (clean), timm's Conv2dSame for every 3x3 conv (tf_same_padding), the pad written "
    "32 - H % 32 without its outer modulo, compared at 64 px (described); a CIFAR ResNet at 3 x 32 x 32 whose "
    "BatchNorm1d MLP head uses the running statistics for a batch of one in training: the head toggled to eval and "
    "back, the network run in eval on the sample duplicated (clean), LayerNorm (normalization_layer), the BatchNorm1d "
    "skipped for a batch of one and a zero row padded to a batch of one (described, each at batch 1 only) "
    "(tests/fixtures/heldout/batch103_*.py). First measurement (at 5c8ecf4): 10 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5 (gap_fixed_avgpool7's reference side cannot run at 64 px); missed: batch1_skip_bn_at_one and "
    "batch1_zero_row_pad (compared clean: two false 'no difference', the BatchNorm1d skipped for a batch of one and a "
    "zero row padded to one; expected described at the head), gap_size_check_after_stem (wrong name fixed_size_head: "
    "d2l's F.avg_pool2d(x, kernel_size=x.size()[2:]) read as a fixed 4 x 4 pool on the candidate's larger map; the "
    "missing max pool found but unclaimed), avgdown_pool_default_count (repeated_in_blocks for count_include_pad, "
    "which changes nothing without padding; expected clean), autopad_same_conv (tf_same_padding named, the "
    "candidate's pad to a multiple of 32 left an unclaimed extra pad at the root where the builder's is merged into "
    "its stem conv), autopad_full_stride_pad (wrong name keras_stem for the root pad of 32 read as the stem conv's "
    "padding; expected described at the root); the test of it, which builds the candidate on meta, misses the same "
    "six.",
    "heldout104": "weights tied, shared or re-used inside residual networks, each against the user's own unedited "
    "builder in the same file: DRRN at 1 x 32 x 32 (a recursive block whose three residual units all run one shared "
    "pair of pre-activation convs, each adding the block's first map h0 back; the global + x): the units as "
    "nn.ModuleList([unit] * 3) (clean), four units (block_counts), DRCN's recursion without h0 added "
    "(residual_add_missing), the units unshared, nn.ModuleList([ResidualUnit(16) for _ in range(3)]) (described); a "
    "TridentNet-style classifier at 3 x 32 x 32 (layer3: two TridentBlocks on [x] * 3, each 3x3 conv one weight run by "
    "F.conv2d at dilations 1 / 2 / 3, each BatchNorm one module applied to every branch; the branches pooled, "
    "classified by one fc and averaged): three nn.Conv2d tied by weight assignment (clean), a bias Parameter on the "
    "shared kernel (conv_bias_before_bn), the branch convs unshared and a BatchNorm per branch (described); a Siamese "
    "ResNet after pytorch/examples' siamese_network at 6 x 32 x 32 (two views split in forward, one tower called per "
    "view, the embeddings concatenated into an MLP): the tower registered under two names (clean), Keras' BatchNorm "
    "defaults (keras_batchnorm), GroupNorm (normalization_layer), the views batched into one tower call, the same in "
    "eval, BatchNorm statistics pooled over both views in training (described); a residual autoencoder at 3 x 32 x 32 "
    "whose decoder transposes the encoder's kernels by F.conv_transpose2d: nn.ConvTranspose2d modules tied by "
    "assignment and one ReLU object in every place (clean), decoder copies of the encoder's kernels as their own "
    "parameters and the kernels read through .data in forward (described: the same outputs, other parameters or "
    "gradients) (tests/fixtures/heldout/batch104_*.py). First measurement (at 7563d94): 12 of 16 right, twins 16 of "
    "16 clean, swapped 3 of 5; missed: siam_views_one_batch (compared clean: the two views batched into one tower "
    "call, BatchNorm statistics pooled over both views in training; one false 'no difference'; expected described at "
    "the root and the tower), drrn_b1u4 (no finding: the fourth unit read as a longer skip over the block, left "
    "unclaimed; expected block_counts; swapped the same), drrn_no_local_residual (repeated_in_blocks and three "
    "described_difference for DRCN's recursion without the local adds; expected residual_add_missing; swapped the "
    "same), siam_tower_two_names (described_difference in the head for the one tower registered as tower_a and "
    "tower_b, the second view's pool paired with nothing; expected clean); the test of it, which builds the candidate "
    "on meta, misses the same four and tied_data_detached (the decoder reading the encoder kernels through .data, "
    "found by the backward comparison with values only).",
    "heldout105": "what a residual network's forward returns, each against the user's own unedited builder in the "
    "same file: mdistiller's CIFAR resnet8 at 3 x 32 x 32 (one is_last BasicBlock per stage at 16 / 16 / 32 / 64 "
    "returning (out, preact), nn.AvgPool2d(8), fc) returning (logits, {'feats': [f0 .. f3], 'preact_feats': [f0, "
    "f1_pre .. f3_pre], 'pooled_feat': avg}): one flat dict with the logits under 'logits' (clean), nn.Dropout(0.5) "
    "before fc (dropout), the two lists filed under each other's key and the pooled feature returned detached "
    "(described); a SupContrast-style quarter-width CIFAR ResNet at 3 x 32 x 32 returning (logits, "
    "F.normalize(head(feat), dim=1)): a namedtuple (clean), softmax scores (softmax_output), the projection head's "
    "ReLU a GELU (activation_function), F.normalize over dim 0 (described); an IRN / ReCAM Net_CAM at 3 x 64 x 64 (a "
    "quarter-width ResNet at output stride 16, a bias-free 1x1 conv classifier on gap2d) returning (logits, "
    "F.relu(F.conv2d(feature, classifier.weight)), feature): the classifier module called on the map (clean), an "
    "nn.Linear classifier with its weight reshaped for the maps (conv_classifier), the maps without their ReLU "
    "(described); a quarter-width ResNet-18 at 3 x 64 x 64 with an auxiliary Linear on layer2's pooled output, "
    "returned in training only: the head's own pool and a namedtuple (clean), Linear(32, 1000) "
    "(hard_coded_class_count), the head on the stage's first block (described); a CIFAR ResNet at 3 x 32 x 32 "
    "returning the mean and std of four torch.stack'ed heads: stacked along dim 1 (clean), std(unbiased=False) "
    "(described) (tests/fixtures/heldout/batch105_*.py). First measurement (at 05bc73a): 14 of 16 right, twins 16 of "
    "16 clean, swapped 3 of 5; missed: cam_linear_classifier (compared clean: the nn.Linear classifier with its "
    "weight reshaped for the maps against IRN's bias-free 1x1 conv on the pooled map, the same values with another "
    "state dict; expected conv_classifier), aux_class_count_1000 (no finding: the training-only auxiliary head's "
    "Linear(32, 1000) read as parameters never used in forward, unclaimed; expected hard_coded_class_count); both "
    "missed the same way swapped; the test of it, which builds the candidate on meta, misses the same two.",
    "heldout106": "numerical details written inside residual networks, each against the user's own unedited builder "
    "in the same file: a CIFAR ResNet at 3 x 32 x 32 normalising its own [0, 1] input with CIFAR-10's mean / std buffers "
    "in a normalize module: mmcv-style 0-255 constants on the input scaled by 255 (clean), Keras' BatchNorm eps=1e-3 and "
    "momentum=0.01 (keras_batchnorm), Inception's eps=0.001 with torch's momentum kept and the constants in BGR order "
    "(described); the same CIFAR ResNet on a GroupNorm written by hand as public code copies it (x.var's unbiased "
    "default, (var + eps).sqrt()): the variance spelled out and torch.rsqrt (clean), BiT's StdConv2d "
    "(weight_standardization), nn.BatchNorm2d (normalization_layer), nn.GroupNorm, which divides the variance by n, and "
    "the eps added outside the square root (described); a narrow ResNet at 3 x 64 x 64 under a CLIP-style cosine head "
    "(per-row L2 normalisation, a learned log logit scale exponentiated in forward): the normalisation by rsqrt and "
    "CLIP's x.type(self.conv1.weight.dtype) (clean), softmax probabilities (softmax_output), the features divided by the "
    "whole batch's norm, the same at batch 1 (described); a CIFAR ResNet returning F.log_softmax(logits / 1.5, dim=1): "
    "torch.log(F.softmax(...)) (clean), the log_softmax left out (softmax_output, in the reference), the log_softmax over "
    "the batch axis (described) (tests/fixtures/heldout/batch106_*.py). First measurement (at fc692c3): 14 of 16 "
    "right, twins 16 of 16 clean, swapped 5 of 5; missed: handgn_eps_outside_sqrt (compared clean: the eps added to the "
    "standard deviation instead of the variance, outputs 1.4e-5 apart in float64; one false 'no difference'; expected "
    "described at the norms), handgn_torch_groupnorm (wrong name normalization_layer, 'GroupNorm in place of written as "
    "ops': the hand-written GroupNorm not read as one, the real difference, its variance divided by n - 1 where "
    "nn.GroupNorm divides by n, not said; expected described at the norms); the test of it, which builds the candidate "
    "on meta, misses the same two and three more: normeps_bgr_constants (clean: no buffer values on meta), "
    "normeps_scaled_255_constants (an unclaimed extra mul) and nll_log_of_softmax (described_difference), which the "
    "corpus run settles by the numbers.",
    "heldout107": "behaviour attached to residual networks outside their forward, each against the user's own "
    "unedited builder in the same file: a CIFAR ResNet at 3 x 32 x 32 with forward hooks registered after it is built: "
    "PatchCore-style hooks recording every stage and returning None (clean), a hook on fc returning the softmax "
    "(softmax_output), a hook returning layer2's output times 0.5 and a recording hook on layer1 written return "
    "output.detach(), the same forward with no gradient into the stem (described); the same CIFAR ResNet normalising "
    "its [0, 1] input with mean / std buffers in a forward pre-hook, as mmaction2's GPUNormalize: the normalisation "
    "written in forward (clean), a dropout pre-hook on fc (dropout), the hook's handle removed before the model is "
    "returned and a channel-reversing pre-hook (described); a narrow ResNet at 3 x 64 x 64 whose forwards are replaced "
    "after construction: every block by types.MethodType with a non-inplace add and the model's by "
    "functools.partial(_forward_impl, model) (clean), every block patched without the identity "
    "(residual_add_missing), a block class's forward assigned with bn1 used twice (described); a narrow bottleneck "
    "ResNet at 3 x 64 x 64 whose modules are swapped after init: every ReLU made non-inplace (clean), every ReLU a SiLU "
    "(activation_function), every BatchNorm a GroupNorm by model.apply (normalization_layer), layer3's ReLUs a smooth "
    "ReLU with the same values and CELU's gradient (described) (tests/fixtures/heldout/batch107_*.py). First measurement "
    "(at f063910): 16 of 16 right, twins 16 of 16 clean, swapped 5 of 5; the test of it, which builds the candidate on "
    "meta, gets the same. The forward-identical edits were found by what they do to the backward: the detaching hook "
    "as a gradient cut at layer1, the smooth ReLU as a straight-through backward in layer3; the layer2 hook's scale as "
    "an extra mul at layer2 (the cut and the mul each one mismatch no finding claims, located where expected).",
    "heldout108": "control flow written inside a residual network's forward, each against the user's own unedited "
    "builder in the same file: a residual network at 3 x 32 x 32 written as two parallel nn.ModuleLists of six convs of "
    "32 and six BatchNorms zipped in forward, the saved input added after every second conv (if i % 2 == 1) and "
    "refreshed after each add: the convs regrouped as three blocks and the pairs taken by zip over lists sliced with a "
    "step of two (clean), the loop without its adds (residual_add_missing), the add after the first conv of each pair "
    "(if i % 2 == 0) and the saved input never refreshed (described); a tower of twelve identical residual blocks at 32 "
    "in an nn.ModuleList looped over in forward: functools.reduce (clean), blocks skipped in training at a rate rising "
    "to 0.2 (stochastic_depth), the blocks in an nn.ModuleDict run by sorted(keys) (block10 and block11 third and "
    "fourth), the steps as [lambda t: block(t) for block in self.tower] (the last block twelve times), the loop variable "
    "reused after for block in self.tower[:-1] (the eleventh block twice, the twelfth never) and residual=(i % 2 == 0) "
    "(described); a CIFAR ResNet whose stages are made with setattr(self, f'layer{i + 1}', ...) and run by getattr: the "
    "stages in an nn.ModuleDict run by .values() and forward_features with an early return that never fires (clean), "
    "_make_layer's range(blocks) after the first block (block_counts), enumerate(..., start=1) with the stride test at "
    "i == 0 (first_stage_downsampling), the widths 16 * 2 ** i with i from 1 (widths) "
    "(tests/fixtures/heldout/batch108_*.py). First measurement (at 3b763fc): 13 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5; missed: tower_sorted_keys (compared clean: the blocks run 0, 1, 10, 11, 2, ..., 9 by the sorted "
    "string keys, the same parameters and ops in another order, eval outputs 800 apart on 950 in float64; one false "
    "'no difference'; expected described at tower), tower_late_binding (described_difference and repeated_in_blocks "
    "at the root: the ops run through the closures not attributed to the tower's blocks, said as parameters read "
    "in the reference only and BatchNorms using batch statistics in eval; the last block run twelve "
    "times and the other eleven never not said; expected described at tower), tower_layer_drop (described_difference, "
    "'a training-mode branch only in the candidate' in the head; expected stochastic_depth; the same swapped); the "
    "test of it, which builds the candidate on meta, misses the same three.",
    "heldout109": "dtypes, casts and input conventions written inside residual networks, each against the user's own "
    "unedited builder in the same file: a small ResNet ported from Keras on channels-last 0-255 frames at 32 x 32 x 3, "
    "converted in forward by x.permute(0, 3, 1, 2) and x.type_as(self.conv1.weight) / 255.0: movedim and div(255) "
    "(clean), Keras' BatchNorm eps=1e-3 and momentum=0.01 (keras_batchnorm), TensorFlow's 'same' stride-2 pads by "
    "F.pad(x, (0, 1, 0, 1)) (tf_same_padding), x.reshape(n, c, h, w) for the permute, x // 255 and x / 127.5 - 1.0 "
    "(described); a grayscale ResNet at 1 x 32 x 32 repeating its channel with x.repeat(1, 3, 1, 1) before ImageNet's "
    "mean / std buffers: x.expand(-1, 3, -1, -1) (clean), a one-channel stem conv (input_channels), GroupNorm(4, C) "
    "(normalization_layer), x.clamp(0, 1) after the normalisation and torch.round(x * 255) / 255 (described); a CIFAR "
    "ResNet at 3 x 32 x 32 written for mixed precision: float64 mean / std buffers cast with .to(x.dtype), every stage's "
    "input cast by type_as its weight and the head in torch.autocast(enabled=False) (clean), a softmax head "
    "(softmax_output), layer3 under torch.autocast('cpu', dtype=torch.bfloat16), 0 apart in float64 and 0.011 in "
    "float32 (described) (tests/fixtures/heldout/batch109_*.py). First measurement (at 8c1499f): 12 of 16 right, "
    "twins 16 of 16 clean, swapped 3 of 5; missed: amp_bf16_autocast_stage (compared clean: layer3 under CPU bfloat16 "
    "autocast, 0 apart in float64, where autocast casts nothing, and 0.011 apart in float32, the dtype the model runs "
    "in; one false 'no difference'; expected described at the root's forward and layer3), gray_one_channel_stem "
    "(described_difference only, the missing repeat and the 144-parameter stem conv; expected input_channels), "
    "amp_autocast_off_head and amp_softmax_probs (the forward failed in the tool's meta trace, 'unsupported "
    "scalarType', at torch.autocast(device_type=x.device.type, enabled=False), which raises for device 'meta'; one "
    "unclaimed mismatch each; expected clean and softmax_output); gray_one_channel_stem and amp_softmax_probs missed "
    "swapped too (amp_softmax_probs as the reference cannot run at all); the test of it, which builds the candidate "
    "on meta, misses the same four and amp_stage_type_as (the type_as casts read as extra ops).",
    "heldout110": "ResNets built by subclassing or configuring torchvision's ResNet class, each against the user's own "
    "unedited builder in the same file: a ResNet-10 built as ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10) at 3 x 64 "
    "x 64: a one-line subclass calling super().__init__ and the class built with zero_init_residual=True and its fc "
    "replaced (clean), a dropout before fc (dropout), ResNet(Bottleneck, [1, 1, 1, 1]) (described); a grayscale subclass "
    "at 1 x 64 x 64 replacing conv1 by a one-channel conv: conv1 replaced after a direct build (clean), nn.Conv2d(1, 64, "
    "7, 2, 3) with its bias (conv_bias_before_bn), the conv without its padding and a _forward_impl override without the "
    "max pool (described); a narrow subclass re-writing ResNet's __init__ (self.inplanes = 16, stages of 16 / 32 / 64 / "
    "128 by the inherited _make_layer) at 3 x 64 x 64 configured by norm_layer: a partial of BatchNorm2d's defaults "
    "(clean), lambda c: nn.GroupNorm(4, c) (normalization_layer), momentum=0.01, which changes only the running "
    "statistics, and track_running_stats=False, which changes only eval (described); the narrow subclass on Bottlenecks: "
    "an overridden _make_layer (clean), groups=4 with width_per_group=16 (grouped_conv), replace_stride_with_dilation="
    "[False, True, True] (dilated_output_stride), an SE Bottleneck subclass gating after the add by super().forward "
    "(described) (tests/fixtures/heldout/batch110_*.py). First measurement (at d4db288): 14 of 16 right, twins 16 of 16 "
    "clean, swapped 5 of 5; missed: narrow_bn_momentum (keras_batchnorm for momentum=0.01 alone, torch's eps kept; "
    "expected described at the BatchNorms), bneck_se_after_add (extra_module_in_blocks for the gates of layer1 to "
    "layer3, but layer4's gate paired with the reference's head: described_difference 'In the head ... linear "
    "out_features 32 where the reference has 10', the model's avgpool and fc left as extra ops; expected described in "
    "the stages); the test of it, which builds the candidate on meta, misses the same two. No false 'no difference': "
    "the momentum and the BatchNorm without running statistics, which change only the running statistics or only "
    "eval, were both seen.",
    "heldout111": "padding, borders and pooling modes written inside residual networks, each against the user's own "
    "unedited builder in the same file: a small restoration network at 3 x 36 x 36 of residual blocks reflection-padded "
    "by ReflectionPad2d(2) before a 3x3 at dilation 2 and ReflectionPad2d(1) before a 3x3: the pads folded into "
    "padding_mode='reflect' (clean), ReflectionPad2d(1) before the dilated conv with its own padding=1 (one reflected, "
    "one zero ring) and ReplicationPad2d (described); a CIFAR ResNet at 3 x 40 x 40: nn.ZeroPad2d(1) before every "
    "unpadded 3x3 and F.pad(x, (1, 0, 1, 0)) before the stride-2 ones, the same on even maps (clean), F.pad(x, (0, 1, "
    "0, 1)) before them (tf_same_padding), the stem conv at dilation 2 with padding 1, a 38 x 38 map (described); a "
    "narrow ResNet at 3 x 36 x 36 on odd maps (18, 9, 5, 3): nn.ZeroPad2d(1) + MaxPool2d(3, 2) after the stem's ReLU "
    "(clean), AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False) shortcuts (resnet_d_avg_pool_shortcut), layer4 "
    "at dilation 2 and stride 1 (dilated_output_stride), MaxPool2d(2, 1) + a reflect-padded blur (blur_pool), Caffe's "
    "MaxPool2d(3, 2, 0, ceil_mode=True) and MaxPool2d(2, 2) stem pools (described); a small PoolFormer at 3 x 36 x 36 "
    "whose token mixer is AvgPool2d(3, 1, 1, count_include_pad=False) minus its input: the count by a ratio of two "
    "zero-padded averages (clean), count_include_pad left True and a MaxPool2d(3, 1, 1) mixer (described) "
    "(tests/fixtures/heldout/batch111_*.py). First measurement (at 4424ec2): 15 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 4; missed: poolmix_count_by_ratio (repeated_in_blocks, 'avg pool count_include_pad True where the "
    "reference has False; an extra div', and two described_difference for the pooled ones; expected clean: the ratio "
    "of two zero-padded averages is count_include_pad=False, 2.2e-15 apart in float64); no false 'no difference'. The "
    "border-only edits were all found: the half-reflected dilated pad and the replication pads in the blocks, the "
    "Caffe ceil-mode and 2x2 stem pools at maxpool, count_include_pad=True and the max-pool mixer in the PoolFormer "
    "blocks; the stem's dilation with padding 1 as two unclaimed mismatches at conv1 ('3x3 conv dilation is (2, 2)', "
    "'output 1x16x38x38'), located where expected; F.pad(x, (1, 0, 1, 0)) before the stride-2 convs compared clean. "
    "The test of it, which builds the candidate on meta, gets the same.",
    "heldout113": "residual networks composed from generic wrappers, each against the user's own unedited builder in "
    "the same file: a ConvMixer at 3 x 32 x 32 written as one nn.Sequential with lucidrains-style Residual(fn) modules "
    "around its depthwise parts: an explicit mixer-layer class with the add in forward and nn.Sequential(OrderedDict("
    "...)) with named layers (clean), ReLU for GELU (activation_function), the wrapper around the whole mixer layer and "
    "Residual(Residual(body)) (described); a narrow DAWNBench ResNet-9 at 3 x 32 x 32 of conv_bn factories returning "
    "nn.Sequential, a Residual subclass of nn.Sequential adding its input, a Lambda flatten and an nn.Identity "
    "placeholder: the notebooks' class with its adds in forward (clean), the placeholder a Dropout(0.2) by config "
    "(dropout), the wrapper around the second conv_bn of each pair only (described); an akamaster-style CIFAR ResNet at "
    "3 x 32 x 32 whose option-A shortcut is a LambdaLayer around F.pad(x[:, :, ::2, ::2], ...): the lambda padding "
    "before slicing (clean), option B (option_a_shortcut), the new channels padded on one side (described); a small "
    "CIFAR ResNet at 3 x 32 x 32 as one nn.Sequential of Residual(block(c)) and ReLUs: a SequentialWithSkips holding "
    "where each skip starts and ends (clean), Residual(PreNorm(...)) blocks (pre_activation), GroupNorm in the block "
    "factory (normalization_layer), a Rezero scalar on every branch and the wrapper around the ReLU too (described) "
    "(tests/fixtures/heldout/batch113_*.py). First measurement (at 988ec74): 15 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 5; missed: wrappers_prenorm (pre_activation for the four Residual(PreNorm(...)) blocks, and wrong "
    "name repeated_in_blocks, 'ReLU moved across the add, in 3 blocks (3, 5, 8)', for the ReLUs at the start of three "
    "of the four branches, which pre_activation names for the fourth; expected pre_activation alone; missed swapped "
    "too); no false 'no difference'. Every wrong-span wrapper was found where it sits: the Residual around the whole "
    "ConvMixer layer and the double Residual in the mixer layers, the ResNet-9's Residual around the second conv_bn "
    "only at its two residual units, the wrapper around the ReLU in the four blocks; the one-sided option-A pad as two "
    "unclaimed mismatches 'pad is (0, 0, 0, 0, 0, 16), expected (0, 0, 0, 0, 8, 8)' at layer2.0 and layer3.0's "
    "shortcuts and the Rezero scalars as four unclaimed 'extra mul' mismatches in the residual units, located where "
    "expected. The test of it, which builds the candidate on meta, gets the same.",
    "heldout115": "mixed and composite normalisation inside residual networks, each against the user's own unedited "
    "builder in the same file: a CIFAR-size IBN-Net-a ResNet at 3 x 32 x 32 (four stages of two BasicBlocks at 16 / 32 / "
    "64 / 128, bn1 of every block in layer1 to layer3 an IBN: an affine InstanceNorm2d on the first half of the channels "
    "by torch.split, a BatchNorm2d on the rest, torch.cat): the halves by x.chunk(2, dim=1) and the InstanceNorm written "
    "by hand (clean), ibn_cfg 'a' for layer4 too (normalization_layer), the InstanceNorm handed the second half and "
    "ratio 0.75 (described); an IBN-Net-b CIFAR ResNet at 3 x 32 x 32 (an affine InstanceNorm2d stem, an affine "
    "InstanceNorm2d after the add of layer1.1 and layer2.1): InstanceNorm2d(c, affine=True) as GroupNorm(c, c) (clean), "
    "a BatchNorm stem (normalization_layer), track_running_stats=True and the default affine=False on the "
    "InstanceNorms (described); a CIFAR ResNet at 3 x 32 x 32 on the paper repository's Batch-Instance Normalization "
    "(a per-channel gate, F.batch_norm with weight * gate, the IN branch by a (1, b * c, h, w) view times weight * (1 "
    "- gate)): rho * BN(x) + (1 - rho) * IN(x) then gamma and beta (clean), plain BatchNorm everywhere "
    "(normalization_layer), the gate on the other branch (described); a CIFAR ResNet at 3 x 32 x 32 with BatchNorm in "
    "the stem, layer1 and layer2 and GroupNorm(8, c) in layer3: affine=False norms followed by a separate Scale (clean), "
    "BatchNorm in every stage and a hand-written SwitchNorm2d in layer3 (normalization_layer), a third norm after every "
    "add (described) (tests/fixtures/heldout/batch115_*.py). First measurement (at 6932175): 13 of 16 right, twins 16 "
    "of 16 clean, swapped 4 of 5; missed: bin_explicit_mix (normalization_layer twice, 'track_running_stats=True in "
    "the candidate' and 'MixedBIN in place of BatchNorm', parameters_computed_in_forward and described_difference, 120 "
    "mismatches at the 15 norms, for BIN as its formula, rho * BN(x) + (1 - rho) * IN(x) then gamma and beta, the same "
    "function to 2.0e-15; expected clean), bin_plain_bn (each BIN's out_bn + out_in read as a residual add, so the "
    "reference's stages hold 11 / 10 / 10 blocks: block_counts, parameters_computed_in_forward, extra_module_in_blocks, "
    "repeated_in_blocks and described_difference, normalization_layer not reported; missed swapped too; expected "
    "normalization_layer), stagenorm_affine_free_scale (extra_module_in_blocks, 'An extra Sequential in 2 blocks', and "
    "described_difference for GroupNorm(8, c, affine=False) + Scale in layer3, the BatchNorm stages' same spelling "
    "compared clean; expected clean); no false 'no difference'. IBN-a's halves swapped and its 0.75 ratio, IBN in "
    "layer4, the IBN-b stem's BatchNorm, layer3's GroupNorms as BatchNorm and as a hand-written SwitchNorm2d were all "
    "named normalization_layer at their norms; IBN-b's track_running_stats=True, which changes only eval, was "
    "described at the three InstanceNorms, the InstanceNorms' affine=False as repeated_in_blocks at layer1.1 and "
    "layer2.1, BIN's swapped gate and the norm after every add described where they are. The test of it, which builds "
    "the candidate on meta, gets the same.",
    "heldout112": "variable-name slips and copy-paste mistakes inside residual blocks' forwards, each against the user's "
    "own unedited builder in the same file, every mistake with the same modules and parameters as the builder: a CIFAR "
    "ResNet at 3 x 32 x 32 of torchvision-style BasicBlocks copied by hand: other names, an unused temporary, the "
    "in-place ReLU called without assigning it and y.add_(residual) on bn2's fresh output (clean), return "
    "self.relu(out) left above the shortcut lines (residual_add_missing), out = self.bn1(self.conv2(out)) with bn2 "
    "unused and an nn.ReLU() called as self.relu(out) without assigning it (described); a VQ-VAE residual stack behind a "
    "strided encoder at 3 x 32 x 32 (ReLU, 3x3, ReLU, 1x1, x + self._block(x), no BN): the second ReLU in place and h "
    "+= x (clean), the first ReLU nn.ReLU(True) rewriting the skip before the add, the stack's loop out = layer(x) and "
    "x + self._block(x) not assigned (described); a ResNet ported by hand from Keras' identity_block / "
    "convolutional_block at 3 x 32 x 32: other names, torch.add and F.relu (clean), self.bn_sc(shortcut) not assigned "
    "(projection_without_bn), the IdentityBlock's x = self.conv2(input_tensor), its conv1 applied twice with conv2 "
    "unused and shortcut = x after its first conv (described); a CIFAR pre-activation ResNet at 3 x 32 x 32 whose "
    "projection reads relu(bn1(x)): a has_projection flag for hasattr (clean), the identity shortcuts from relu(bn1(x)) "
    "by an empty nn.Sequential() and the projections from the raw input (described) "
    "(tests/fixtures/heldout/batch112_*.py). First measurement (at 736abf2): 15 of 16 right, twins 16 of 16 clean, "
    "swapped 1 of 2; missed: keras_shortcut_bn_dropped (repeated_in_blocks, 'the candidate's batch norm computed but "
    "its result never used (shortcut), in 3 blocks', and described_difference for three extra BatchNorms at the model "
    "level; expected projection_without_bn: every projection adds the bare 1x1 conv), the same swapped; no false 'no "
    "difference'. Every slip that keeps the modules and parameters was seen: bn1 run where bn2 was built and conv1 "
    "where conv2 was ('runs bn1 where the reference's runs bn2, with the other built but never run'), the in-place "
    "first ReLU rewriting the skip ('overwrites its input: the skip adds its output, not x'), a non-in-place ReLU's "
    "dropped result, the loop reading the stack's input (said as 'Blocks joined otherwise' and an extra Sequential), "
    "the unassigned sum (not_a_residual_network, allowed), the return above the add (residual_add_missing), the "
    "preact shortcuts read from the other tensor; several of them described with the blocks' ops paired across the "
    "add (a BN or ReLU 'moved across the add', 'in the stem'), located where expected. The test of it, which builds "
    "the candidate on meta, gets the same.",
    "heldout116": "what residual networks add to their input or stem inside forward, each against the user's own "
    "unedited builder in the same file: a CIFAR ResNet at 3 x 32 x 32 with a CoordConv stem (an AddCoords module of "
    "torch.linspace(-1, 1) rows and columns by torch.meshgrid(indexing='ij'), concatenated before a 5 -> 16 stem conv): "
    "the copied port's arange / repeat / transpose coordinates in a helper the root's forward calls (clean), the stem "
    "conv's default bias before its BN (conv_bias_before_bn), coordinates in [0, 1] and indexing='xy' exchanging the two "
    "channels (described); a narrow ResNet at 3 x 64 x 64 on a space-to-depth stem (F.pixel_unshuffle(x, 4), 48 "
    "channels at 16 x 16, a 48 -> 32 stem conv): F.unfold viewed as a map and view / permute(0, 1, 3, 5, 2, 4) in the "
    "same channel order (clean), TResNet's leaky_relu(0.01) (activation_function), TResNet's SpaceToDepth channel order "
    "(described); a CIFAR ResNet at 3 x 32 x 32 with a learned per-channel input affine and a learned positional "
    "embedding added to the stem's BN output before its ReLU: the embedding through a bicubic F.interpolate to its own "
    "size (clean), ViT's pos_drop (dropout), the embedding added after the ReLU and the affine's shift added before the "
    "scale (described); a narrow ResNet at 3 x 64 x 64 fed two frozen Sobel channels of its grey image before a stride-2 "
    "stem conv: the kernels a buffer applied by F.conv2d (clean), FFCV's BlurPoolConv2d on the stem conv (blur_pool), "
    "the filter left trainable and zero-padded forward differences for the Sobel kernels (described) "
    "(tests/fixtures/heldout/batch116_*.py). First measurement (at 0514e52): 11 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 4; missed: coord_unit_range and coord_xy_swapped (no mismatch, no finding, no note for coordinates "
    "from torch.linspace(0, 1) and for indexing='xy' exchanging the two coordinate channels: eval outputs 3.5 and 1.3 "
    "apart on 15 in float64), sobel_left_trainable (no mismatch, no finding for the Sobel filter left trainable: the "
    "same forward, the filter's gradient 0.89 where the builder's has none, eval 0.66 apart after one SGD step), "
    "three false 'no difference'; s2d_unfold (described_difference at s2d, 'unfold function unfold where the "
    "reference has pixel_unshuffle' with its kernel_size, stride, padding and dilation, for F.unfold viewed as the "
    "same 48-channel map, 0 in float64; expected clean); sobel_forward_differences (described_difference at the "
    "stem, right in kind, but of its 9 mismatches the 'extra cat' sits at the root's forward: the module's cat and "
    "the root's against the reference's one; expected described at sobel). Found where they are: TResNet's "
    "SpaceToDepth order ('pixel_unshuffle is missing in the candidate' at s2d), the positional embedding after the "
    "ReLU and the input shift added before the scale (described_difference at the root's forward); the linspace / "
    "arange grids, view / permute, the bicubic resize at the same size and the buffer kernel compared clean. The test "
    "of it, which builds the candidate on meta, gets the same and misses sobel_buffer_kernel too ('3x3 conv has 0 "
    "parameters, expected 18' at sobel: the frozen weight counted, no values to compare).",
    "heldout117": "wrappers that decide which weights a residual network runs with, each against the user's own "
    "unedited builder in the same file: a torchvision-layout ResNet at 3 x 32 x 32 (one BasicBlock per stage at 16 / 32 "
    "/ 64) built as its 100-class checkpoint was (7x7 stride-2 stem, max pool) and adapted by the script (a 3x3 "
    "stride-1 stem conv, the max pool an nn.Identity, a new Linear(64, 10)), inside timm's ModelEmaV2: the EMA made "
    "after both adaptations (clean), before the stem surgery (cifar_stem), before the new classifier (described: 100 "
    "outputs), and a wrapper running the online model in training and its copy in eval (described); a narrow ResNet at "
    "3 x 64 x 64 (32 / 64 / 128) edited by the script (layer3 patched to stride 1, a Dropout(0.2) + Linear head) inside "
    "torch.optim.swa_utils.AveragedModel: made after both edits, plainly and as an EMA with get_ema_multi_avg_fn and "
    "use_buffers=True (clean), before the dropout head (dropout), before the stride patch (described); a CIFAR "
    "student ResNet (16 / 32 / 64) inside mdistiller's Distiller beside a teacher: nn.DataParallel around it, the "
    "forward returning student(image)[0] (clean), the test forward calling a wide (32 / 64 / 128) or a deep (two "
    "blocks per stage) teacher (widths, block_counts), SimKD's projector and the teacher's classifier (described); a "
    "CIFAR ResNet (32 / 64) run by torch.func.functional_call on a stateless copy kept in a list, its tensors "
    "registered on the wrapper: every parameter and buffer with the copy put in the wrapper's mode (clean), the "
    "copy's mode never set so BN keeps batch statistics in eval (normalization_layer), the buffers left out and the "
    "weights detached (described) (tests/fixtures/heldout/batch117_*.py). First measurement (at f678687): 10 of 16 "
    "right, twins 16 of 16 clean, swapped 2 of 5; no false 'no difference'. Missed: ema_made_before_head "
    "(hard_coded_class_count for the shadow's 100-class Linear, a copy taken before the head was replaced; expected "
    "described at module.fc); kd_student_only ('29 parameter tensors never used in forward' for the registered "
    "teacher that never runs; expected clean); kd_runs_teacher_wide (widths with normalization_layer, 'All 9 of the "
    "candidate's BatchNorm layers are kept in eval mode while training', and the unused student unclaimed) and "
    "kd_runs_teacher_deep (block_counts with two described_difference for the same kept-in-eval BNs): the extra fact "
    "true to the fixture (the Distiller's train() keeps its teacher in eval) but not in the expectations, which named "
    "widths and block_counts alone; missed swapped too; kd_simkd_teacher_head (the head said right, extra Sequential "
    "projector and 'The head is built differently', but the teacher's unused body reported at teacher.conv1.weight, "
    "outside the expected places); fcall_base_mode_stale (described_difference 'batch_norm "
    "batch_statistics_in_eval True where the reference has None (6 places)' for the stateless copy that never "
    "follows .eval(); expected normalization_layer; missed swapped too). Found where they are: the EMA made before "
    "the stem surgery (cifar_stem), the averaged copy made before the dropout head (dropout) and before the stride "
    "patch (described at layer3.0), the wrapper running its copy in eval (a training-mode-only branch at model), the "
    "buffers left out of functional_call (described at the root's BN calls) and the detached weights ('Only the "
    "backward differs'); ModelEmaV2, AveragedModel plain and as an EMA, and functional_call with every tensor "
    "compared clean. The test of it, which builds the candidate on meta, gets the same and misses "
    "fcall_detached_weights too (no mismatch: the backward not compared by values), a false 'no difference' there.",
    "heldout114": "widths and depths computed from multipliers and rounding rules in residual networks, each against "
    "the user's own unedited builder in the same file: a CIFAR ResNet at 3 x 32 x 32 whose widths are width_mult 1.25 "
    "rounded by MobileNet's make_divisible(v, 8) (a stem of 24, stages 24 / 40 / 80): the rounding as math.ceil(v / 8) "
    "* 8 and the widths from a list config (clean), width_mult 2.0 (widths), make_divisible on the stem only with the "
    "stages int(c * w), layer1 20 wide behind a 24-wide stem (described); a small CIFAR ResNet at 3 x 32 x 32 compound-"
    "scaled EfficientNet-style from base widths 16 / 32 / 64 and depths 1 / 2 / 3 by width_mult 1.2 through round() "
    "(19 / 38 / 77) and depth_mult 0.5 through math.ceil (1 / 1 / 2): int(x + 0.5) widths with max(1, round(n * d)) "
    "depths (clean), max(1, int(n * d)) depths (block_counts), int() widths, layer3 76 wide for 77, and round() depths "
    "with no floor, layer1 of 0 blocks (described); a WRN-16-2 at 3 x 32 x 32 as the copied wideresnet.py writes it: "
    "the widths as 16 * k * 2 ** i with a float n (clean), WRN-16-4 (widths), WRN-22-2 (block_counts), the widen "
    "factor on the stem too, block1.layer.0 without its convShortcut (described); a CIFAR bottleneck ResNet at 3 x 32 x "
    "32 on torchvision's width = int(planes * (base_width / 64.)) * groups: the blocks from a list of output widths "
    "(clean), base_width 128 (widths), groups 2 at base_width 32 (grouped_conv), the list-config block's projection "
    "test in_ch != out_ch * expansion, a shortcut conv in every second block (described) "
    "(tests/fixtures/heldout/batch114_*.py). First measurement (at 9d0ff8e): 15 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 6; missed: wrn_22_2 (block_counts for the three extra blocks, and wrong name repeated_in_blocks "
    "twice, 'BatchNorm missing in the candidate (after the add), in 3 blocks (block1.layer.1, block2.layer.1, "
    "block3.layer.1)' and the same for the ReLU: the pre-activation BN-ReLU opening the next stage's first block and "
    "the final bn1 / relu paired with the second blocks instead of the third; expected block_counts alone; missed "
    "swapped too); no false 'no difference'. Every rounding that changed a width or a depth was seen and named: "
    "int(76.8) making layer3 one channel narrower (widths, allowed), make_divisible on the stem only (widths, "
    "allowed), round(0.5) leaving layer1 with 0 blocks (block_counts, allowed), max(1, int(1.5)) (block_counts); "
    "the WRN stem widened as widths ('2x in the stem', the projection that follows at block1.layer.0), "
    "extra_module_in_blocks (block1.layer.0's bn1 / relu1 on the main path) and a described_difference (the same "
    "BN-ReLU 'missing in the candidate (stem)', where the builder's pre-activation also feeds the shortcut), located "
    "where expected; "
    "the doubled expansion's projections as extra_module_in_blocks in the three second blocks; the five refactors "
    "(make_divisible as math.ceil(v / 8) * 8, a channel list, round half up, powers of two with a float n, output-"
    "width bottlenecks) compared clean. The test of it, which builds the candidate on meta, gets the same.",
    "heldout118": "identity shortcuts that do something in residual networks, each against the user's own unedited "
    "builder in the same file, every model a CIFAR ResNet at 3 x 32 x 32 (a 3x3 16-wide stem, stages at 16 / 32 / "
    "64): blocks returning relu((out + skip) / math.sqrt(2)) as StyleGAN2-style blocks scale the sum: the division "
    "after the ReLU and torch.add(skip, out, alpha=1) times a buffer of 2 ** -0.5 (clean), the skip alone divided and "
    "DenseNet's torch.cat join in the last block of the first two stages (described); highway-style gated blocks "
    "(t = sigmoid of a 1x1 conv with its bias at -1, relu(t * branch + (1 - t) * carry)): the mix by torch.lerp "
    "(clean), the gate's roles exchanged (described); identity shortcuts that are a BatchNorm2d alone, 1x1 conv + BN "
    "projections: the shortcut built as a list in an nn.Sequential and added in place (clean), the projection's BN "
    "left out (projection_without_bn), option A (option_a_shortcut), ResNet-D's AvgPool2d before a stride-1 "
    "projection (resnet_d_avg_pool_shortcut), the add before the block's last BN (described); a learned one-value "
    "skip_gain on each block's skip: torch.addcmul (clean), an nn.Dropout(0.1) on the skip (dropout), residual=False "
    "(residual_add_missing), identity = x.detach() (the same forward, no gradient along the skips) and a 3x3 "
    "stride-1 average pool on the identity (described) (tests/fixtures/heldout/batch118_*.py). First measurement (at "
    "70f56cb): 14 of 16 right, twins 16 of 16 clean, swapped 5 of 5; missed: scaled_add_alpha_buffer "
    "(repeated_in_blocks twice and described_difference, 14 mismatches in every block: the buffer of 2 ** -0.5 read as "
    "'a multiply by a learned 1-value parameter' and 'the residual add is not scaled where the reference's is scaled "
    "by 0.70711', the last block's multiply and ReLU read as head ops; 8.9e-16 in float64; expected clean); "
    "scaled_dense_concat (cifar_resnet_family as a verdict: the two concatenating blocks read as stage ends with "
    "zero-padded option-A shortcuts, the candidate 'a different member of the family' of 5 stages; eval outputs 0.40 "
    "apart on 3.5; expected described at layer1, layer2 and layer3.0). No false 'no difference': the detached "
    "identity, whose forward is the builder's, was said in the blocks (repeated_in_blocks), as were the skip divided "
    "alone, the exchanged highway gate, the add before the last BN and the pooled identity; the division after the "
    "ReLU, torch.lerp, the list-built BN shortcut and torch.addcmul compared clean, and the projection without BN, "
    "option A, ResNet-D's pooled projection, the skip dropout and residual=False were named. The test of it, which "
    "builds the candidate on meta, gets the same.",
    "heldout119": "modules whose shape or existence is decided at the first call or by probing, each against the "
    "user's own unedited builder in the same file, every model a CIFAR ResNet at 3 x 32 x 32 (a 3x3 16-wide stem, two "
    "BasicBlocks per stage at 16 / 32 / 64): every layer lazy (LazyConv2d, LazyBatchNorm2d, LazyLinear), returned "
    "unmaterialised: the BatchNorms eager and sized by their convs' out_channels and a training-mode dry run with "
    "Xavier's init in the builder (clean), nn.LazyInstanceNorm2d (normalization_layer), a last stage typed 48 wide and "
    "the head's Flatten left out, which the lazy layers absorb (described); a classifier over a flattened 2 x 2 map "
    "sized in __init__ by a dummy forward at the input_size argument: the size by arithmetic (clean), the probe at 64 "
    "px (linear_in_features), the pool typed AvgPool2d(2) with the probe resizing the classifier (described); "
    "Keras-style layers made by build(input_shape) on the first forward and a classifier made on the first call (if "
    "self.fc is None): Keras' model.build from declared shapes (clean), Keras' BatchNormalization defaults "
    "(keras_batchnorm), the pool left out (fixed_size_head), the classifier made on every call and kept in a plain "
    "dict (described); a backbone's num_features sizing a timm-style classifier: backbone.fc.in_features with "
    "nn.Identity (clean), drop_rate=0.2 (dropout), the 'avgmax' global pool (described) "
    "(tests/fixtures/heldout/batch119_*.py). First measurement (at 5a4b04f): 11 of 16 right, twins 16 of 16 clean, "
    "swapped 3 of 5; missed: probe_at_64 (no finding: the classifier's 'built with in_features=1024 but 256 reach it' "
    "and its parameter count left unclaimed after a repair; expected linear_in_features); probe_pool_2 "
    "(fixed_size_head for the AvgPool2d(2) + Linear(1024, 10) head, where the builder's AvgPool2d(4) + Linear(256, 10) "
    "is as fixed; expected described at the pool and classifier); built_from_declared_shape (200 mismatches, "
    "described_difference six times and repeated_in_blocks ten times: the Keras-style reference traced through the "
    "first call that makes its layers, their init ops, parameters counted 0 and BatchNorms made in training mode "
    "during the eval trace; 0 in float64; expected clean); built_head_unpooled (fixed_size_head with "
    "described_difference for the output and an 'unused' fc; expected fixed_size_head); built_head_every_call (no "
    "mismatch, no finding: a false 'no difference' for a classifier made anew on every call, eval outputs 1e2 apart "
    "on 89 with every tensor copied; expected described at fc). The refactors by eager BatchNorms, a training-mode "
    "dry run, arithmetic and fc.in_features compared clean; LazyInstanceNorm2d, Keras' BatchNorm defaults and the "
    "dropout were named; the lazily absorbed 48-wide stage (widths), the missing Flatten, the plain-dict head (its "
    "missing parameters) and the 'avgmax' pool were found where they are. The test of it, which builds the candidate "
    "on meta, gets 10 of 16: lazy_norms_from_out_channels (lazy convs with eager norms, unmaterialised) makes compare() "
    "raise ValueError on an uninitialized parameter there.",
    "heldout120": "builders that set, load or transform their own weights while constructing the model, each against "
    "the user's own unedited builder in the same file, every model a CIFAR ResNet (a 3x3 16-wide stem, stages at 16 / "
    "32 / 64): a builder folding every conv + BN pair by hand into a biased conv, the BN slots nn.Identity(): the fold "
    "written into each conv in place with each BN's forward patched to lambda x: x (clean), the deploy flag left at its "
    "default (batchnorm_folded), the fold built with bias=conv.bias is not None, which drops the BN's shift, and "
    "torch.nn.utils.fusion.fuse_conv_bn_eval, the same forward but its folded biases of bias-free convs do not "
    "require grad (described); a builder initialising its own weights (Kaiming fan-out, each block's bn2 gamma "
    "zeroed): the init written into a state dict and loaded back (clean), detectron2's FrozenBatchNorm2d conversion "
    "copying each BN's tensors into buffers (normalization_layer), m.eval() and requires_grad_(False) on every BN's "
    "affine (model.train() undoes the eval, the affine stays frozen) and momentum = 0.0 on every BN (described); a gray "
    "1 x 32 x 32 ResNet whose builder gives a new one-channel stem conv the RGB kernel summed over its input channels: "
    "the weight swapped in place with in_channels = 1 (clean), the new conv's default bias (conv_bias_before_bn), a "
    "to_gray helper's adapted copy dropped (input_channels), the padding left out (described); a ResNet-20 whose "
    "stages repeat deep copies of a prototype block: fresh blocks given the prototype's tensors by copy_ (clean), fc "
    "turned into a 1x1 conv by copying its weight (conv_classifier), [block] * n and the convs' weights assigned "
    "from the prototype (shared, described) (tests/fixtures/heldout/batch120_*.py). First measurement (at 76ad9b8): 13 "
    "of 16 right, twins 16 of 16 clean, swapped 5 of 5; missed: fold_forward_patched (one whole-model mismatch no "
    "finding claims, '30 parameter tensors (1,120 values) never used in forward', the patched-out BNs' tensors; the "
    "builder's function, 0 in float64; expected clean); fold_torch_fuse and frozen_affine_eval, two false 'no "
    "difference': no mismatch for fuse_conv_bn_eval's 15 folded biases that do not require grad (gradients up to 1.4 "
    "absent) nor for the builder's requires_grad_(False) on the 30 BN affine tensors (gradients up to 1.4 absent, eval "
    "outputs 1.4 apart after one SGD step), both with the builder's forward (expected described). The BNs at momentum "
    "0.0 (described_difference), the shift dropped from the fold and both kinds of shared blocks (repeated_in_blocks) "
    "and the missing padding (two mismatches at conv1) were seen where they are; the five named variants were named, "
    "and the four other refactors compared clean. The test of it, which builds the candidate on meta, gets the same.",
    "heldout121": "ops written from primitives and custom autograd Functions inside residual networks, each against "
    "the user's own unedited builder in the same file: a CIFAR ResNet at 3 x 32 x 32 (a 3x3 16-wide stem, two "
    "BasicBlocks per stage at 16 / 32 / 64, 1x1 conv + BN projections) with its convs written from primitives: "
    "F.unfold + weight.view(out, -1) @ cols and Tensor.unfold windows reduced by torch.einsum at stride 1 and "
    "subsampled (clean), the hand-written conv's bias=True default kept (conv_bias_before_bn), the kernel flattened in "
    "HWIO order against unfold's (in, kh, kw) columns (described); a small ResNet at 3 x 64 x 64 with a 3x3 / 2 max "
    "pool after the stem, its BatchNorm, ReLU and pool written as formulas: the formula BN with running statistics, "
    "clamp_min(0) and as_strided windows with amax (clean), Keras' epsilon 1e-3 and momentum 0.99 (keras_batchnorm), "
    "the statistics per sample over (1, 2, 3) (normalization_layer), the batch normalised by torch.var's unbiased "
    "default and batch statistics used in eval too (described); the CIFAR ResNet on nn.SiLU: EfficientNet-PyTorch's "
    "memory-efficient SwishImplementation with its hand-written backward (clean), a Mish Function "
    "(activation_function), a hand-written inverted dropout at 0.2 before fc (dropout), the Swish Function saving its "
    "output for backward (the same forward, other gradients: described); the CIFAR ResNet with its 3x3 convs by "
    "rfft2 / irfft2 of the zero-padded map (clean), the same without the zero padding, a circular convolution, and a "
    "DANN GradientReversal left before fc (the same forward, the backbone's gradients negated) (described) "
    "(tests/fixtures/heldout/batch121_*.py). First measurement (at 2af3e6f): 6 of 16 right, twins 16 of 16 clean, "
    "swapped 2 of 5; one false 'no difference': unfold_hwio_flatten (the im2col kernel flattened in (kh, kw, in) "
    "order against unfold's (in, kh, kw) columns: no mismatch, no note, where eval outputs are 1.0 apart on 2.0 in "
    "float64; expected described at the convs). Missed too: unfold_conv_bias (extra_module_in_blocks twice, "
    "repeated_in_blocks and described_difference: the biased UnfoldConv2d described op by op as 'unfold, matmul, add' "
    "in place of a 3x3 conv; expected conv_bias_before_bn); formula_bn_relu_pool (normalization_layer, 'A "
    "training-mode branch only in the candidate ... the identity in eval mode' twice, and the as_strided max pool as "
    "'The stem is built differently', 93 mismatches, for BatchNorm, ReLU and the pool written as formulas, 1.0e-15 "
    "apart; expected clean); formula_bn_keras (the same findings, keras_batchnorm not reported); "
    "formula_bn_per_sample (normalization_layer right, with the as_strided pool described in the stem); "
    "formula_bn_unbiased_var and formula_bn_batch_stats_in_eval (the norms found, but named normalization_layer and "
    "said as training-only branches, the pool described with them); fftgrl_fft_circular (option_a_shortcut for the "
    "stride-2 blocks' 1x1 projections beside the circular FFT convs described as replacements); swish_saved_output "
    "and fftgrl_grl_left_in (the forward the builder's, the backward not: 'Only the backward differs ... other "
    "gradients for 45 of 47 learned tensors', right in substance but at the root, not at the activations or the "
    "reversal). The unfold + matmul and einsum convs, the memory-efficient Swish Function and the FFT conv compared "
    "clean; the Mish Function (activation_function) and the hand-written dropout (dropout) were named. The test of "
    "it, which builds the candidate on meta, gets the same 6 of 16, and there swish_saved_output and "
    "fftgrl_grl_left_in are false 'no difference' too (no backward compared without values).",
    "heldout122": "ResNets ported to PyTorch from other frameworks than Keras with those frameworks' layer defaults "
    "and layouts written out, each against the user's own unedited builder in the same file: a Flax (linen) CIFAR "
    "ResNet at 3 x 32 x 32 (every conv and the stem's max pool 'SAME' by TensorFlow's rule through F.pad, "
    "nn.BatchNorm(momentum=0.9, epsilon=1e-5) as PyTorch's momentum 0.1, six ResNetBlocks with conv_proj / norm_proj, "
    "the spatial mean and a Dense head): the network carried in NHWC end to end and the BN helper converting "
    "momentum=1 - momentum (clean), the odd 'SAME' pad put before the map, which at stride 2 on even maps is PyTorch's "
    "symmetric padding (tf_same_padding), momentum 0.9 left unconverted and the NHWC port's first bn1 without its "
    "permutes on a 16 x 16 x 16 map (described); gluoncv's CIFAR ResNet V2 at 3 x 32 x 32 (a features Sequential "
    "opened by BatchNorm(scale=False, center=False), pre-activation blocks whose 1x1 downsample reads the "
    "pre-activated input): torchvision-style attribute names (clean), the data BN's affine part back on and the "
    "downsample applied to the raw input (described); a TensorFlow official-models bottleneck ResNet v1 at 3 x 64 x "
    "64 (conv2d_fixed_padding, BN decay 0.997 as momentum 1 - 0.997, a 'SAME' max pool): plain padding=k // 2 "
    "(clean), 'SAME' for fixed_padding on the strided convs (tf_same_padding), TF-slim's stride on each stage's last "
    "unit with a subsample shortcut (stage_end_downsampling), tf.keras' BN defaults (keras_batchnorm); a Caffe "
    "prototxt port at 3 x 64 x 64 (BatchNorm without affine + Scale after every conv, the stride on branch2a, pool1 at "
    "ceil_mode=True): each pair one affine BN (clean), the stride on the 3x3 (resnet_v1_stride), pool1 without "
    "ceil_mode and the Scales without their shift (described) (tests/fixtures/heldout/batch122_*.py). First "
    "measurement (at 0624c75): 13 of 16 right, twins 16 of 16 clean, swapped 4 of 5; missed: flax_same_pad_swapped "
    "(repeated_in_blocks only, 'conv padding (1, 0, 1, 0) where the reference has (0, 1, 0, 1)', the pool's pad "
    "unclaimed: the pad before the map, which at stride 2 on even maps is PyTorch's symmetric padding exactly, not "
    "named; eval outputs 0.71 apart on 5.7; expected tf_same_padding; swapped the same); flax_nhwc_bn_unpermuted (the "
    "BatchNorm over the NHWC rows found at blocks.0.bn1, but with it tf_same_padding, four repeated_in_blocks and two "
    "more described_difference, 33 mismatches in every block: the NHWC pads read as extra pads before unpadded convs "
    "once one BN runs unpermuted, where the fully permuted port compares clean; expected described at blocks.0); "
    "caffe_scale_no_bias (normalization_layer, 'affine=False in the candidate, affine=True in the reference' for all "
    "22 BatchNorms, with the Scales as extra multiplies: the shift-free Scale not read as part of its pair; eval "
    "outputs 1.1 apart on 2.0; expected described at the Scales). No false 'no difference': momentum 0.9 left "
    "unconverted, which changes only the running statistics (3.1 apart after one training forward), was said at the "
    "BNs; the five refactors compared clean. The test of it, which builds the candidate on meta, gets the same.",
    "heldout123": "model surgery done after construction, each against the user's own unedited builder in the same "
    "file: a small ResNet-18 in torchvision's layout of torchvision's own BasicBlocks at 3 x 32 x 32 (the CIFAR stem "
    "written by hand, widths 16 / 32 / 64 / 128): the ImageNet stem built and replaced by model.conv1 = ... and "
    "model.maxpool = nn.Identity(), and model.layer4[0].stride = 1, an attribute BasicBlock never reads (clean), CSAIL's "
    "_nostride_dilate over layer4 (dilated_output_stride), the built 7x7 conv's kernel_size, stride and padding "
    "attributes set (its weight still 7x7: 28 x 28 maps) and the helper's stride assignment misspelt, the dilations "
    "set on a layer4 still at stride 2 (described); a hand-written CIFAR ResNet at 3 x 32 x 32 whose BatchNorms are "
    "edited after building: a GroupNorm swap that rebinds its loop variable (clean), a recursive setattr swap for "
    "GroupNorm and for torchvision's FrozenBatchNorm2d (normalization_layer), eps 1e-3 and momentum 0.01 in a loop "
    "(keras_batchnorm), momentum None, track_running_stats = False with the buffers kept (the same outputs, other "
    "running statistics) and a setattr over named_modules()' dotted names, which swaps the stem's bn1 only (described); "
    "a headless feature extractor returning its 64 x 8 x 8 map: a classifier cut by children()[:-2] and a torch.fx "
    "rewrite of F.relu to F.silu without gm.recompile() (clean), the rewrite recompiled (activation_function), a "
    "classifier whose stem ReLU is F.relu cut the same way, the ReLU lost (described) "
    "(tests/fixtures/heldout/batch123_*.py). First measurement (at 7a35b3c): 13 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 5; missed: tv_stem_kernel_attr (cifar_stem, 'the stem is the CIFAR variant (3x3 conv, stride 1, no "
    "max pool) instead of the candidate's Conv2d(3, 16, 7, padding=1)', at conv1 with the 7x7 kernel and the 28 x 28 "
    "map right: both stems are stride-1 without a pool, the difference the kernel the unread kernel_size attribute "
    "left at 7x7; eval outputs 7.7 apart on 15; expected described at conv1); norm_untracked_only "
    "(normalization_layer, 'BatchNorm with track_running_stats=False ... running statistics kept but never updated', "
    "at the 15 BNs: the description right, but the same BatchNorms computing the same outputs, only their statistics "
    "not updated, 0.39 apart after one training forward; expected described at the BNs); graph_fx_no_recompile "
    "(activation_function, 'silu in place of ReLU', 13 mismatches at the root: the fx graph edited without "
    "gm.recompile() read as the edited graph, where the GraphModule runs the traced ReLU code, 0 apart from the "
    "builder; a false difference; expected clean). No false 'no difference': momentum None and track_running_stats "
    "off (the same outputs, other running statistics) were both seen at the BNs, the misspelt stride assignment was "
    "described in layer4, the functional ReLU lost by children()[:-2] was said at the stem, and the four other "
    "refactors compared clean. The test of it, which builds the candidate on meta, gets the same.",
    "heldout124": "ResNets assembled from library building blocks (torchvision.ops, timm.layers) instead of plain nn "
    "layers, each against the user's own unedited builder in the same file: a CIFAR ResNet at 3 x 32 x 32 (a 3x3 stem "
    "at 16, three stages of two basic blocks at 16 / 32 / 64, 1x1 conv + BN projections) rebuilt from "
    "Conv2dNormActivation at its defaults (clean), with norm_layer=FrozenBatchNorm2d (normalization_layer) and used "
    "as a bare conv (norm_layer=None, activation_layer=None, so its bias default turns on) before a separate "
    "BatchNorm2d (conv_bias_before_bn); a CIFAR SE-ResNet at 3 x 32 x 32 whose hand-written gate (pool, 1x1 to c // 4, "
    "ReLU, 1x1, sigmoid) becomes torchvision's SqueezeExcitation(c, c // 4) and create_attn('se', c, rd_channels=c "
    "// 4) (clean), create_attn('eca', c) (efficient_channel_attention), create_attn('se', c) at timm's rd_ratio 1/16 "
    "rounded to 8 and SqueezeExcitation with scale_activation=nn.Hardsigmoid (described); a ResNet at 3 x 64 x 64 "
    "rebuilt from create_conv2d, BatchNormAct2d, create_act_layer('relu') and ClassifierHead (clean), with "
    "padding='same' (tf_same_padding), create_aa(BlurPool2d) after bn1 with conv1 at stride 1 (blur_pool), StdConv2d "
    "(weight_standardization) and BatchNormAct2d's default act kept on bn2 (described); a CIFAR ResNet with timm's "
    "DropPath at rates 0 .. 0.2 rebuilt with StochasticDepth(p, 'row') (clean), 'batch' and the drop applied to the "
    "block's sum (described, both identical in eval) (tests/fixtures/heldout/batch124_*.py). First measurement (at "
    "410c388): 13 of 16 right, twins 16 of 16 clean, swapped 5 of 6; missed: sd_tvops_batch (no mismatch and no "
    "finding, a false 'no difference': StochasticDepth(p, 'batch') for DropPath(p), one draw for the whole batch; "
    "eval identical, training 0.54 apart on 1.7 at batch 4 under the same seed; expected described), se_timm_eca "
    "(repeated_in_blocks twice, '3 conv where the reference has Linear', 'ReLU missing', the ECA gate for the SE gate "
    "said op by op; expected efficient_channel_attention; swapped the same), sd_after_add (stochastic_depth, 'on the "
    "other side of the residual add', right in substance and place, a name where the expectation allowed none); the "
    "test of it, which builds the candidate on meta, misses the same three.",
    "heldout125": "channel-pruned and slimmed ResNets whose widths come from a pruning result, each against the "
    "user's own unedited builder in the same file: an HRank-style CIFAR ResNet-20 at 3 x 32 x 32 (inner widths "
    "math.ceil(planes * (1 - rate)) from a per-conv compress_rate list, 12 / 8 / 12, 20 / 16 / 24, 32 / 48 / 40, "
    "option-A LambdaLayer shortcuts padding zero channels half before and half after): the pruned network built from a "
    "dense one by copying the kept filters as HRank's loader does (clean), a 1x1 conv + BN projection for the pad "
    "(option_a_shortcut), the last block of layer2 and layer3 removed (block_counts), the zero channels all after the "
    "input (described); a ThiNet-pruned bottleneck ResNet at 3 x 64 x 64 (one flat cfg of three numbers per block as "
    "the rethinking-network-pruning ImageNet models write it): every conv under prune.identity (clean), the downsample "
    "conv with bias=True (conv_bias_before_bn), cfg_official (widths), the 3x3 sized from cfg[1] so that layer2.1 is "
    "11 wide for 8 (described); a filter-pruned ResNet-10 at 3 x 64 x 64 as the BasicBlock_pruned files write it (bn2's "
    "output written into a zero tensor of the shortcut's width at the kept positions, then the shortcut added): the "
    "scatter as index_copy and the residual added over the kept index by index_add (clean), the kept positions read "
    "one-based and the shortcut gathered and added before the scatter (described); a CIFAR ResNet-14 at 3 x 32 x 32 "
    "kept under torch.nn.utils.prune filter masks (every conv1 its own, conv2 and the shortcut conv of layer2.0 / "
    "layer3.0 one shared stage mask): the conv1 mask multiplied on the conv's output (clean), prune.remove "
    "(parameters_computed_in_forward, in the reference; the same forward, other gradients), the mask on bn1's output "
    "instead of the filters and the shortcut convs left unmasked (described) (tests/fixtures/heldout/batch125_*.py). "
    "First measurement (at 1b56b51): 13 of 16 right, twins 16 of 16 clean, swapped 5 of 5; missed: "
    "scatter_kept_one_based (nothing reported, 0 mismatches: a false 'no difference' for kept positions read one-based, "
    "every kept channel scattered one place later; eval outputs 1.3 apart on 1.9; expected described at the blocks); "
    "tp_mask_after_bn (parameters_computed_in_forward and repeated_in_blocks 'a multiply by a constant 16-value "
    "buffer', the same two findings the mask on conv1's output gets under the meta test: the BatchNorm between the "
    "conv and the multiply not said; eval outputs 0.29 apart on 3.4; expected described at the blocks); "
    "tp_shortcut_unmasked (parameters_computed_in_forward at layer2.0.shortcut.0 and layer3.0.shortcut.0: the place "
    "right, a pruning step skipped named a weight transform; eval outputs 0.69 apart; expected described there). The "
    "five refactors and the five named variants were right; hrank_pad_one_side's pads were found at both shortcuts "
    "with no finding ('pad is (0, 0, 0, 0, 0, 16), expected (0, 0, 0, 0, 8, 8)'). The test of it, which builds the "
    "candidate on meta, gets 9 of 16: the same three, and thinet_identity_masks (parameters_computed_in_forward: "
    "all-ones masks without values), scatter_index_copy (repeated_in_blocks: index_copy for setitem), "
    "scatter_index_add (not_a_residual_network) and tp_mask_on_output (parameters_computed_in_forward and "
    "repeated_in_blocks), which compare clean with values.",
    "heldout126": "ResNet backbones as self-supervised and contrastive-learning repositories write them, each "
    "against the user's own unedited builder in the same file, at 3 x 32 x 32, every projection num_classes wide: "
    "SimSiam as facebookresearch/simsiam's builder writes it on a small torchvision-layout ResNet (one BasicBlock per "
    "stage at 16 / 32 / 64 / 128, zero_init_residual, the stem swapped for CIFAR by surgery, the fc wrapped into the "
    "3-layer projector ending in BatchNorm1d(dim, affine=False), a bottleneck predictor, (p, z.detach()) returned): "
    "the model through nn.SyncBatchNorm.convert_sync_batchnorm, which in one process runs F.batch_norm as the "
    "BatchNorms did (clean), the surgery left out (cifar_stem), the new conv1 left at stride 2, the projector without "
    "its last BN and the predictor's hidden width the feature width (described); BYOL with a momentum encoder (a "
    "CIFAR ResNet with fc = nn.Identity(), Linear-BN-ReLU-Linear projector and predictor, the target deep-copied, "
    "frozen and run under no_grad, (p, z_target) returned): the target detached instead and held as torch's "
    "AveragedModel with an EMA multi_avg_fn (clean), GroupNorm with weight-standardised convs (normalization_layer "
    "and weight_standardization), the target left trainable (the same outputs, gradients reaching the target) and a "
    "ReLU after the projector's last Linear (described); MoCo v2 as the CIFAR demo writes it (a Sequential of the "
    "ResNet's children with conv1 swapped and the max pool skipped, the brute-force MLP head, a frozen key encoder, a "
    "queue buffer enqueued while training, shuffling BN on one process by randperm and argsort, logits / T "
    "returned): the shuffle left out (clean), twice the width (widths), the query normalised over dim 0 (described); "
    "a kuangliu-style CIFAR ResNet under LUCIR's CosineLinear with a return_features flag: F.cosine_similarity "
    "(clean), a softmax forward (softmax_output), the class weights normalised over dim 0 (described) "
    "(tests/fixtures/heldout/batch126_*.py). First measurement (at 2c9b1d9): 12 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 4; missed: byol_target_trainable (a false 'no difference': no mismatch, only the note that the "
    "reference freezes 42 parameter tensors where the candidate freezes 0 and 'the forward is compared alone'; the "
    "same outputs and statistics, but gradients reach the 42 target tensors, up to 22, and the input's gradient is "
    "1.5 apart on 1.8; expected described at the root and the target); simsiam_stem_stride2 (cifar_stem in the "
    "reference for a 3x3 conv1 left at stride 2, both sides with a 3x3 conv and no pool: the place right, the name "
    "wrong; expected described at encoder.conv1); moco_shuffle_removed (three described_difference and "
    "extra_module_in_blocks, 18 mismatches: without the randperm / argsort the key encoder is not paired with the "
    "builder's and its layers read as extra blocks; 1.3e-15 apart in float64; expected clean); moco_wide_2x (widths, "
    "but the head's hidden Linear(256, 256) for Linear(128, 128) left unclaimed, 'Linear out_features is 256, expected "
    "128'; expected widths). The test of it, which builds the candidate on meta, gets 10 of 16 (also "
    "byol_target_detached, a detach said to cut the gradient where the builder's no_grad cuts it too, and "
    "moco_normalize_dim0, with MoCo's queue writes said missing in the candidate), twins 13 of 16 (MoCo's three: the "
    "queue writes) and swapped 3 of 4 (moco_wide_2x, the queue writes).",
    "heldout127": "indexing, gathering and scattering inside residual networks, each against the user's own "
    "unedited builder in the same file, every edit keeping each shape and parameter count unless named: a residual "
    "network of ShuffleNet v1 units at 3 x 32 x 32 (grouped 1x1 convs, the channel shuffle by view / transpose / "
    "view, a depthwise 3x3, an add at stride 1 and a concatenation with an average-pooled input at stride 2): the "
    "shuffle as index_select on a permutation buffer (clean), a full 3x3 conv for the depthwise one (grouped_conv), "
    "the shuffle's groups and channels per group swapped and the stride-2 concatenation in the other order "
    "(described); a shift ResNet of conv-shift-conv blocks at 3 x 32 x 32 (four channel groups rolled up / down / "
    "left / right by torch.roll): the rolls as narrow slices concatenated and as one torch.gather with its index "
    "made in forward (clean), one group rolled the wrong way and the shifts zero-filled (described); a small TResNet "
    "at 3 x 64 x 64 (TResNet's SpaceToDepth by view / permute / view, LeakyReLU, an average pool before each "
    "downsampling shortcut's 1x1 conv): SPD-Conv's strided cat and pixel_unshuffle reranged by index_select (clean), "
    "a strided 1x1 shortcut (resnet_d_avg_pool_shortcut), ReLU for LeakyReLU (activation_function), a plain "
    "nn.PixelUnshuffle, whose channels come in another order (described); akamaster's CIFAR ResNet with the option-A "
    "shortcut F.pad(x[:, :, ::2, ::2], ...): masked_scatter into zeros (clean), option B (option_a_shortcut), the odd "
    "pixels kept (described) (tests/fixtures/heldout/batch127_*.py). First measurement (at 8207a40): 16 of 16 right, "
    "twins 16 of 16 clean, swapped 4 of 4; no false 'no difference': each single edit that keeps every shape and "
    "parameter count (the shuffle's groups and channels per group swapped, the stride-2 concatenation in the other "
    "order, a roll in the wrong direction, the shifts zero-filled, a plain nn.PixelUnshuffle, the odd pixels of "
    "option A) was found where it is. The test of it, which builds the candidate on meta, gets 14 of 16: "
    "shuffle_index_select (repeated_in_blocks, an extra index_select, and described_difference, the builder's view / "
    "transpose / view said missing) and s2d_unshuffle_reranged (described_difference, an extra pixel_unshuffle and "
    "index_select in the stem): their index buffers hold no values on meta; both compare clean with values.",
    "heldout128": "ResNets rewritten to be friendly to torch.compile, torch.export, TorchScript and torch.func, each "
    "against the user's own unedited eager builder in the same file, at 3 x 32 x 32, widths 16 / 32 / 64: a CIFAR "
    "ResNet whose blocks scale their residual branch by alpha = 0.2 with the shortcut None where the shape is kept, "
    "rewritten for TorchScript (alpha: Final[float], __constants__, the shortcut tested `is not None`, the stages an "
    "nn.ModuleList): the model through torch.jit.script (clean), a Final drop_rate with F.dropout on the branch "
    "(dropout), alpha typed Final[int] and cast to 0 and the shortcut test written `stride != 1 | in_planes != planes`, "
    "true for every block (described); a deployable CIFAR ResNet dividing its input by 255 when x.max() > 1 and "
    "normalising by ImageNet's statistics kept as Python lists, its six blocks run by an index loop: torch.where with "
    "a torch._assert check in a torch.compiler.disable-d helper, and torch.cond with register_buffer(persistent=False) "
    "constants (clean), a softmax forward (softmax_output), the where's branches swapped and the loop unrolled without "
    "blocks[3] (described); a small ResNet held with its deep-copied frozen EMA teacher in one module: functional_call "
    "with the student's own parameters and buffers (clean), Opacus' GroupNorm for every BatchNorm2d "
    "(normalization_layer), functional_call given the teacher's parameters and replace_all_batch_norm_modules_ "
    "(described); a GroupNorm ResNet as per-sample-gradient code writes it: torch.vmap over the batch (clean), the ReLU "
    "as torch.where(x > 0, x, x * 0.1) (activation_function), a per-sample drop path inside vmap(randomness="
    "'different') (stochastic_depth) (tests/fixtures/heldout/batch128_*.py). First measurement (at d22935a): 10 of "
    "16 right, twins 16 of 16 clean, swapped 3 of 5; no false 'no difference' in the corpus run (functional_call "
    "given the teacher's parameters was judged right on one unclaimed whole-model output mismatch, no finding); "
    "missed: script_alpha_final_int (not_a_residual_network for a branch multiplied by int(0.2) = 0, the adds all "
    "still there; eval outputs 0.90 apart; expected described in the blocks); export_where_rescale (two "
    "described_difference, 6 mismatches at the root: the builder's `if x.max() > 1.0: x = x / 255.0` traced as max "
    "and gt against the rewrite's amax, gt, div and where; 0 apart in float64; expected clean); export_cond_buffers "
    "(torch.cond crashes the tool's trace, 'Unsupported: Attempted to call function marked as skipped', and "
    "cifar_resnet_family is named over the crash; 0 apart eagerly; expected clean); export_softmax and "
    "export_unrolled_short (softmax_output, and block_counts for blocks[3] never run, both right, each with the two "
    "described_difference of export_where_rescale for the rewrite they are built on); vmap_drop_path (dropout for a "
    "per-sample drop path of the whole branch by torch.where inside vmap(randomness='different'); expected "
    "stochastic_depth). The test of it, which builds the candidate on meta, gets 9 of 16: also "
    "func_call_teacher_params, a false 'no difference' there (no mismatch at all for the student run with the "
    "frozen teacher's weights, eval outputs 11 apart on 9.8).",
    "heldout129": "modified ResNets from multimodal and foundation-model repositories, each against the user's own "
    "unedited builder in the same file, at 3 x 64 x 64, every output num_classes wide: OpenAI CLIP's ModifiedResNet "
    "as clip/model.py writes it (a 3-conv stem closed by AvgPool2d(2), Bottlenecks whose stride is an average pool "
    "between the stride-1 3x3 and conv3 and an AvgPool2d before the shortcut's 1x1 conv, the attention pool with a "
    "positional embedding, F.multi_head_attention_forward and the mean token's output): the pool with one query by "
    "F.scaled_dot_product_attention and the average pool after the 1x1 conv3, which commute (clean), one 7x7 stem "
    "conv (resnet_c_deep_stem), the positional embedding never added and the output read from x[-1] (described); "
    "open_clip's ModifiedResNet under timm's fused-qkv AttentionPool2d: the pool and 1x1 conv as one module (clean), "
    "strided 1x1 shortcuts without the pool (resnet_d_avg_pool_shortcut), the stem stride on conv2 for conv1 and the "
    "pool before the 3x3 conv2 (described); an R3M / VIP encoder (a torchvision-layout ResNet as self.convnet with its "
    "fc an embedding Linear, the [0, 255] input divided by 255 and normalised by transforms.Normalize): "
    "children()[:-1] with mean / std buffers (clean), GroupNorm by Diffusion Policy's replace_bn_with_gn "
    "(normalization_layer), the stem conv at stride 1 and the / 255 left out (described); a ResNet with fc and head "
    "set to Identity under DINO's MultiCropWrapper and DINOHead: weight norm written out (clean), the teacher's "
    "softmax in forward (softmax_output), the L2 normalisation before the last layer left out (described) "
    "(tests/fixtures/heldout/batch129_*.py). First measurement (at 4b08489): 15 of 16 right, twins 16 of 16 clean, "
    "swapped 4 of 4; no false 'no difference'; missed: dino_teacher_softmax (softmax_output claims the softmax, but "
    "the division by the teacher temperature 0.04 before it is left unclaimed at the root, 'head: extra div (div) not "
    "in the reference'; expected softmax_output). The test of it, which builds the candidate on meta, gets 14 of 16 "
    "(also dino_weight_norm_by_hand, the hand-written g * v / ||v|| named parameters_computed_in_forward against "
    "weight_norm with 'Linear has 330 parameters, expected 320'; the corpus run compares it clean), twins 16 of 16 and "
    "swapped 4 of 4.",
    "heldout130": "fused and compound torch ops inside residual networks, each against the user's own unedited "
    "builder in the same file, at 3 x 32 x 32: a kuangliu-style CIFAR ResNet (a 3x3 stem, one BasicBlock per stage at "
    "16 / 32 / 64 / 128, out + shortcut then F.relu, a Linear) with its block ends written in fused and in-place ops: "
    "out.add_(shortcut).relu_() with F.relu(inplace=True) inside and every ReLU torch.clamp_min(t, 0.0) (clean), every "
    "ReLU F.hardtanh(t, 0, 6) (activation_function), the classifier as torch.addmm then softmax (softmax_output), an "
    "SE-gated sum as torch.addcmul(shortcut, out, gate) (squeeze_excitation), torch.add(out, shortcut, alpha=-1) and "
    "the chain reordered out.relu_().add(shortcut) (described); a CIFAR ResNet of modules at 16 / 32 / 64 run by "
    "functional calls on their tensors: F.batch_norm on each BN's own buffers with self.training and the 1x1 stride-2 "
    "shortcut by torch.einsum on x[:, :, ::2, ::2] (clean), F.conv2d with nn.Conv2d's default bias before each BN "
    "(conv_bias_before_bn), a detectron2-style frozen BN as one torch.addcmul (normalization_layer), F.batch_norm with "
    "training=True and the einsum's output written 'nowh' (described); a CIFAR ResNet of two blocks per stage whose "
    "blocks return relu((1 - a) * identity + a * branch) for a learned 0-d a, the pooled features clamped to [-1e4, "
    "1e4] before F.linear: torch.lerp(identity, out, a) (clean), the lerp weight 1 - a and the guard's upper bound "
    "typed 1e-4 (described) (tests/fixtures/heldout/batch130_*.py). First measurement (at 6222756): 13 of 16 right, "
    "twins 16 of 16 clean, swapped 5 of 5; no false 'no difference' (every edit hidden in a fused op's arguments "
    "was seen: alpha=-1 and the chain's order as repeated_in_blocks at the blocks, training=True as a "
    "described_difference, the clamp bound as 'head: clamp clamp_max is 0.0001, expected 10000.0'); missed: "
    "func_einsum_hw_swapped (option_a_shortcut for the shortcut einsum written 'nchw,oc->nowh': the conv's weight is "
    "used and its BN kept, only the output's h and w are exchanged; the place right, the name wrong; eval outputs "
    "0.65 apart on 6.0; expected described at layer2 and layer3); blend_lerp_weight_flipped "
    "(not_a_residual_network, 20 mismatches, for torch.lerp(identity, out, 1 - self.alpha): the lerp with weight a "
    "compares clean, with 1 - a the blend is not read as a residual sum; eval outputs 1.1 apart on 1.1; expected "
    "described at the blocks); func_batch_norm_buffers (described_difference 'Only training mode differs', one "
    "mismatch at bn1, for F.batch_norm on each BN's own buffers leaving num_batches_tracked at 0, a counter nothing "
    "reads while a momentum is set; 0 apart in float64; expected clean). The test of it, which builds the candidate "
    "on meta, gets 14 of 16 (func_batch_norm_buffers right: no training forward compared), twins 16 of 16, swapped "
    "5 of 5.",
    "heldout131": "training-time noise and mixing written inside forward(), each against the user's own unedited "
    "builder in the same file, at 3 x 32 x 32: a kuangliu-style CIFAR ResNet (a 3x3 stem, one BasicBlock per stage at "
    "16 / 32 / 64, a Linear) with a GaussianNoise(sigma=0.1) layer on the stem's features, x + sigma * "
    "torch.randn_like(x) under `if self.training`: the noise added inline in the root's forward (clean), a per-sample "
    "drop path on each branch (stochastic_depth), nn.Dropout(0.5) before the Linear (dropout), the training test left "
    "out, written `if not self.training`, and sigma=1.0 for 0.1 (described); a pre-activation CIFAR ResNet with "
    "label-free manifold mixup after layer1 in training (lam from Beta(2, 2), torch.randperm, lam * out + (1 - lam) * "
    "out[index]): the mixing as a module and moved into layer1's block, branch and shortcut each mixed before the add "
    "(clean), nn.Dropout2d(0.1) in the blocks of layer2 and layer3 (dropout), the branch mixed alone and the "
    "permutation never used (described); a CIFAR ResNet with wide-ResNet nn.Dropout(0.2) in every block and a "
    "DropBlock2D(0.1, 3) in layer3's: F.dropout in forward and DropBlock's keep mask by a min pool (clean), the "
    "DropBlock left out (drop_block), drop_rate=0.0 (dropout), nn.Dropout2d for nn.Dropout (described) "
    "(tests/fixtures/heldout/batch131_*.py). First measurement (at 4503a60): 14 of 16 right, twins 16 of 16 clean, "
    "swapped 5 of 5; no false 'no difference' in the corpus run (the noise left on in eval and the inverted training "
    "test as described_difference at noise, sigma=1.0 as 'Only training mode differs', the shortcut left unmixed, "
    "Dropout2d for Dropout as dropout); missed: mixup_before_add (described_difference 'A training-mode branch on the "
    "other side of the residual add' at layer1.0 for the mixing moved into layer1's pre-activation block, branch and "
    "shortcut each mixed by the same lam and index before the add: linear, the same sum, 8.3e-16 apart in float64; "
    "expected clean); mixup_index_forgotten (one mismatch with no path, 'layer1.0: forward (training mode only) does "
    "not run the reference's __getitem__', claimed by no finding, for lam * out + (1 - lam) * out, the permutation "
    "never used; training outputs 0.38 apart on 1.7; expected described at the root's forward). The test of it, which "
    "builds the candidate on meta, gets 13 of 16: also noise_sigma_changed, a false 'no difference' there (no "
    "training forward compared on meta), twins 16 of 16, swapped 5 of 5.",
    "heldout132": "weight parametrizations and constraints inside residual networks, each against the user's own "
    "unedited builder in the same file, at 3 x 32 x 32: a CIFAR ResNet without BatchNorm whose convs and Linear are "
    "wrapped in torch.nn.utils.parametrizations.weight_norm (one BasicBlock per stage at 16 / 32 / 64, weight-normalised "
    "1x1 shortcuts): each layer hand-written with bias, g, v and torch.norm_except_dim (clean), every conv "
    "weight-standardised (weight_standardization), the weight norm on the convs only, the head a plain Linear "
    "(parameters_computed_in_forward), weight_norm(conv, dim=1) (described); a residual classifier of "
    "equalized-learning-rate layers (weights from N(0, 1) times sqrt(2 / fan_in) in forward, LeakyReLU(0.2), blocks "
    "summed with a pooled 1x1 skip and divided by sqrt(2), 16 -> 128): the gain on the input and on the output with the "
    "bias after (clean), ReLU (activation_function), the skips' gain left out (described); a CIFAR ResNet with BN whose "
    "blocks' 3x3 kernels are (U @ V).view(out, in, k, k) at rank width / 4: two convs, V then U as a 1x1 (clean), a bias "
    "before each BN (conv_bias_before_bn), conv2.U assigned conv1.U and the product viewed (out, k, k, in) then "
    "permuted (described); a pre-activation CIFAR ResNet with a max-norm stem (torch.renorm(w, 2, 0, 0.25) copied in "
    "under no_grad) and a cosine head scaled by 16: the normalisation by hand (clean), a softmax (softmax_output), the "
    "features normalised over dim 0 and max_norm typed 2.5 (described) (tests/fixtures/heldout/batch132_*.py).",
    "development": "the tests/fixtures/quirky idioms the detectors were written against, with the "
    "expectations their own tests assert; twin: the torchvision reference itself.",
}


def render(part: str, rows: list[dict[str, Any]], facts: dict[str, Any]) -> str:
    parts = [p for p in PARTS if any(r["part"] == p for r in rows)]
    by_part = {p: totals([r for r in rows if r["part"] == p]) for p in parts}
    everything = totals(rows)
    lines = [
        f"# Idiom corpus: {part}",
        "",
        "Generated by `python benchmarks/idiom_corpus.py"
        + (f" --part {part}" if part != "all" else " --part all")
        + "`. Fixtures: tests/fixtures/heldout/ and tests/fixtures/quirky/; expectations:",
        "tests/fixtures/heldout/manifest.py (judged by tests/fixtures/heldout/judge.py, as the tests do).",
        "10 classes; each side built as `resnet-verify compare` builds it (user code exactly, with its values; "
        "library builders shape-only).",
        "",
        f"resnet_verify at {facts['code']}; torch {facts['torch']}, Python {facts['python']}.",
        "",
        "## Totals per part",
        "",
        "How held out each part is: every held-out part was written after the detectors, without reading",
        "them, and measured once before any change made for it. First runs: heldout 7 of 16, heldout2 17",
        "of 19, heldout3 12 of 19, heldout4 15 of 18, heldout5 11 of 15, heldout6 12 of 16, heldout7 14",
        "of 15, heldout8 10 of 14, heldout9 10 of 12, heldout10 8 of 14, heldout11 13 of 14, heldout12 8 of",
        "12, heldout13 14 of 14, heldout14 13 of 16, heldout15 6 of 15, heldout16 11 of 15, heldout17 13 of",
        "15, heldout18 14 of 15, heldout19 10 of 15, heldout20 11 of 16, heldout21 7 of 16, heldout22 11 of 16,",
        "heldout23 9 of 16, heldout24 9 of 15, heldout25 11 of 16, heldout26 7 of 16, heldout27 12 of 14, heldout28 8 "
        "of 14, heldout29 11 of 16, heldout30 7 of 16, heldout31 9 of 16, heldout32 9 of 16, heldout33 11 of 15,",
        "heldout34 10 of 16, heldout35 14 of 16, heldout36 12 of 15, heldout37 9 of 16, heldout38 13 of 16, heldout39 10",
        "of 16, heldout40 8 of 16, heldout41 14 of 16, heldout42 11 of 16, heldout43 12 of 16, heldout44 10 of 16,",
        "heldout45 13 of 16, heldout46 13 of 16, heldout47 15 of 16, heldout48 12 of 16, heldout49 8 of 16,",
        "heldout50 13 of 16, heldout51 8 of 16, heldout52 11 of 16, heldout53 12 of 16, heldout54 8 of 16,",
        "heldout55 13 of 16, heldout56 10 of 16, heldout57 9 of 16, heldout58 10 of 16, heldout59 9 of 16,",
        "heldout60 6 of 16, heldout61 11 of 16, heldout62 9 of 16, heldout63 9 of 16, heldout64 15 of 16,",
        "heldout65 10 of 16, heldout66 12 of 16, heldout67 11 of 16, heldout68 9 of 16, heldout69 10 of 16,",
        "heldout70 13 of 16, heldout71 14 of 16, heldout72 16 of 16, heldout73 9 of 16, heldout74 11 of 16,",
        "heldout75 15 of 16, heldout76 15 of 16, heldout77 15 of 16, heldout78 14 of 16, heldout79 15 of 16,",
        "heldout80 14 of 16, heldout81 12 of 16, heldout82 14 of 16, heldout83 16 of 16, heldout84 13 of 16,",
        "heldout85 13 of 16, heldout86 15 of 16, heldout87 13 of 16, heldout88 14 of 16, heldout89 14 of 16,",
        "heldout90 12 of 16, heldout91 11 of 16, heldout92 15 of 16, heldout93 15 of 16, heldout94 12 of 16,",
        "heldout95 9 of 16, heldout96 13 of 16, heldout97 11 of 16, heldout98 12 of 16, heldout99 7 of 16,",
        "heldout100 12 of 16, heldout101 7 of 16, heldout102 11 of 16, heldout103 10 of 16, heldout104 12 of 16,",
        "heldout105 14 of 16, heldout106 14 of 16, heldout107 16 of 16, heldout108 13 of 16, heldout109 12 of 16,",
        "heldout110 14 of 16, heldout111 15 of 16, heldout112 15 of 16, heldout113 15 of 16, heldout114 15 of 16,",
        "heldout115 13 of 16, heldout116 11 of 16, heldout117 10 of 16, heldout118 14 of 16, heldout119 11 of 16,",
        "heldout120 13 of 16, heldout121 6 of 16, heldout122 13 of 16, heldout123 13 of 16, heldout124 13 of 16,",
        "heldout125 13 of 16, heldout126 12 of 16, heldout127 16 of 16, heldout128 10 of 16, heldout129 15 of 16,",
        "heldout130 13 of 16, heldout131 14 of 16 right (1,536 of 2,074 in all, 74%).",
        "Every held-out part was then used to improve the tool (each miss fixed by a mechanism with its own test, or kept as a stated",
        "disagreement), so the numbers",
        "below are after that work;",
        "the first runs are the held-out measurement. `development` holds the fixtures the detectors were written",
        "against.",
        "`swapped right`: idioms with named patterns compared with the sides swapped (the idiom model",
        "as the reference) that report the same names and no wrong one.",
        "",
        per_part_table({**by_part, **({"all": everything} if len(parts) > 1 else {})}),
        "",
    ]
    for p in parts:
        t = by_part[p]
        prows = [r for r in rows if r["part"] == p]
        lines += [
            f"## Part `{p}` ({t['idioms']} idioms)",
            "",
            PART_NOTES.get(p, ""),
            "",
            table(["measure", "value"], totals_rows(t)),
            "",
            idiom_table(prows),
            "",
        ]
    lines += [
        "`left where`: for an idiom judged not right, the expected patterns not reported, then where the",
        "mismatches no correct finding claims sit (candidate paths; `(reference) P` when the candidate",
        "lacks it).",
        "",
        "## Where each idiom was seen",
        "",
        table(["idiom", "part", "public code"], [[r["idiom"], r["part"], r["seen_in"]] for r in rows]),
        "",
    ]
    errors = [r for r in rows if r.get("error")]
    if errors:
        lines += ["## Crashes", ""] + [f"- {r['idiom']}: {r['error']}" for r in errors] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", default="all", choices=[*PARTS, "all"], help="which part to measure")
    parser.add_argument("--out", default=str(ROOT / "reports"), help="folder for idiom_corpus.md/.json")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # the manifest's builder specs are relative to the repository root
    idioms = [i for part in PARTS.values() for i in part] if args.part == "all" else list(PARTS[args.part])
    rows = [measure(i) for i in idioms]
    parts = [p for p in PARTS if any(r["part"] == p for r in rows)]
    facts = machine_facts()
    facts["code"] = code_version()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = "idiom_corpus" if args.part == "all" else f"idiom_corpus_{args.part}"
    text = render(args.part, rows, facts)
    (out / f"{stem}.md").write_text(text)
    payload = {
        "part": args.part,
        "machine": facts,
        "totals": totals(rows),
        "totals_per_part": {p: totals([r for r in rows if r["part"] == p]) for p in parts},
        "rows": rows,
    }
    (out / f"{stem}.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
