"""The held-out idiom corpus (#23): fixtures written in our own words after the detectors changed,
each imitating an idiom seen in public code (tests/fixtures/heldout/manifest.py says where), each
with the finding a correct tool gives and a twin (the same code without the idiom) that must compare
clean. Expectations were decided before the tool was run; where the tool does not meet one today
the case is a strict xfail saying what it reports instead, so it fails once fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.heldout.judge import judge
from fixtures.heldout.manifest import IDIOMS, Idiom

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison

REPO = Path(__file__).resolve().parents[1]
CLASSES = 10

# What the tool reports instead, measured when the corpus was written (benchmarks/idiom_corpus.py).
NOT_YET = {
}


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _compare(spec: str, idiom: Idiom) -> Comparison:
    model, name = build_model(spec, num_classes=CLASSES, device="meta")
    return compare(
        model, idiom.reference, input_size=idiom.input_size, num_classes=CLASSES, candidate_name=name
    )


def _case(idiom: Idiom) -> object:
    marks = []
    if idiom.name in NOT_YET:
        marks.append(pytest.mark.xfail(strict=True, reason=f"held-out: {NOT_YET[idiom.name]}"))
    return pytest.param(idiom, id=idiom.name, marks=marks)


@pytest.mark.parametrize("idiom", IDIOMS, ids=[i.name for i in IDIOMS])
def test_twin_compares_clean(idiom: Idiom) -> None:
    c = _compare(idiom.twin, idiom)
    assert not c.mismatches, [m.message for m in c.mismatches[:5]]
    assert not c.findings, [f.pattern.value for f in c.findings]


@pytest.mark.parametrize("idiom", [_case(i) for i in IDIOMS])
def test_idiom_explained(idiom: Idiom) -> None:
    v = judge(idiom, _compare(idiom.builder, idiom))
    assert v.mismatches > 0, "the idiom is a real difference: the tool must see it"
    assert not v.wrong_names, f"wrong names {v.wrong_names}"
    assert not v.missing_names, f"expected {v.missing_names}, reported {v.reported}"
    assert not v.loose, f"not claimed by a correct finding: {sorted(set(v.loose))[:8]}"
    assert not v.unlocated, f"outside {idiom.where} / {idiom.where_reference}: {sorted(set(v.unlocated))[:8]}"


def test_manifest_is_consistent() -> None:
    names = [i.name for i in IDIOMS]
    assert len(names) == len(set(names)) and len(IDIOMS) >= 12
    for i in IDIOMS:
        assert i.named or i.described, i.name
        assert not (i.named & i.allowed), i.name
        assert i.seen_in, i.name
        for spec in (i.builder, i.twin):
            assert (REPO / spec.split(":")[0]).is_file(), spec
    assert set(NOT_YET) <= set(names)
