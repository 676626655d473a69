"""The persistent reference-trace cache and the JSON round trip of traces it stands on."""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resnet_verify.specs.builders import build_model, build_reference
from resnet_verify.tracing.records import Trace
from resnet_verify.tracing.serialize import SchemaError, decode, encode, schema_fingerprint
from resnet_verify.tracing.tracer import trace
from resnet_verify.verify import comparison, reference_cache
from resnet_verify.verify.reference_cache import cache_key, cached_trace, entry_path, load_entry

SHAPE = (1, 3, 32, 32)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def r18() -> Trace:
    return trace(build_reference("resnet18", num_classes=10), SHAPE, owned=True)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(reference_cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.setattr(reference_cache, "_warned", False)
    monkeypatch.setattr(reference_cache, "_broken", set())
    comparison.reference_trace.cache_clear()  # the in-process memo would hide the disk
    yield folder
    comparison.reference_trace.cache_clear()


class Builds:
    """A build function that counts its calls."""

    def __init__(self, result: Trace) -> None:
        self.result, self.calls = result, 0

    def __call__(self) -> Trace:
        self.calls += 1
        return self.result


def _roundtrip(t: Trace) -> Trace:
    return decode(Trace, json.loads(json.dumps(encode(t))))


# ---- serialisation -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["resnet18", "resnet50"])
def test_reference_traces_roundtrip_exactly(name: str) -> None:
    t = trace(build_reference(name, num_classes=10), (1, 3, 64, 64), owned=True)
    back = _roundtrip(t)
    assert back == t
    # equality alone would let a str stand for an OpKind or a list for a tuple
    assert all(type(a.kind) is type(b.kind) and type(a.in_shapes) is tuple for a, b in zip(back.ops, t.ops))
    assert back.structure.blocks[0].kind is t.structure.blocks[0].kind


def test_candidate_with_sources_and_crash_roundtrips() -> None:
    model, _ = build_model("resnet50_v1", num_classes=6)
    t = trace(model, (1, 3, 64, 64))
    assert any(op.source is not None for op in t.ops)
    assert _roundtrip(t) == t
    crashed = trace(model, (1, 5, 64, 64))  # wrong channel count: a Crash record
    assert crashed.crash is not None and _roundtrip(crashed) == crashed


def test_decoding_is_strict(r18: Trace) -> None:
    good = encode(r18)
    assert decode(Trace, good) == r18
    missing = dict(good)
    del missing["device"]
    extra = {**good, "surprise": 1}
    wrong_type = {**good, "input_shape": ["1", 3, 32, 32]}
    bool_for_int = {**good, "input_shape": [True, 3, 32, 32]}
    bad_enum = json.loads(json.dumps(good))
    bad_enum["ops"][0]["kind"] = "teleport"
    cases: list[Any] = [missing, extra, wrong_type, bool_for_int, bad_enum, [], None, "trace"]
    for broken in cases:
        with pytest.raises(SchemaError):
            decode(Trace, broken)


class Kind(str, enum.Enum):
    A = "a"


@dataclasses.dataclass(frozen=True)
class One:
    kind: Kind
    size: int


@dataclasses.dataclass(frozen=True)
class Two:  # One that gained a field, as records do (MACs, receptive fields ...)
    kind: Kind
    size: int
    macs: int = 0


def test_fingerprint_follows_the_record_layout() -> None:
    assert schema_fingerprint(One) == schema_fingerprint(One)
    assert schema_fingerprint(One) != schema_fingerprint(Two)
    assert decode(Two, encode(Two(Kind.A, 3, 7))) == Two(Kind.A, 3, 7)


# ---- the cache -----------------------------------------------------------------------------------


def test_hit_after_miss(cache: Path, r18: Trace) -> None:
    build = Builds(r18)
    assert cached_trace("resnet18", SHAPE, 10, build) == r18
    assert build.calls == 1 and len(list(cache.glob("trace-*.json"))) == 1
    assert cached_trace("resnet18", SHAPE, 10, build) == r18
    assert build.calls == 1


def test_other_key_is_a_miss(cache: Path, r18: Trace) -> None:
    build = Builds(r18)
    cached_trace("resnet18", SHAPE, 10, build)
    cached_trace("resnet18", SHAPE, 11, build)
    cached_trace("resnet18", (1, 3, 64, 64), 10, build)
    cached_trace("torchvision:resnet18", SHAPE, 10, build)
    assert build.calls == 4 and len(list(cache.glob("trace-*.json"))) == 4


@pytest.mark.parametrize("dist", ["torch", "torchvision", "resnet-verify"])
def test_version_change_is_a_miss(
    cache: Path, r18: Trace, monkeypatch: pytest.MonkeyPatch, dist: str
) -> None:
    build = Builds(r18)
    cached_trace("resnet18", SHAPE, 10, build)
    real = reference_cache._version
    monkeypatch.setattr(reference_cache, "_version", lambda d: "99.0" if d == dist else real(d))
    cached_trace("resnet18", SHAPE, 10, build)
    assert build.calls == 2
    monkeypatch.setattr(reference_cache, "_version", real)
    cached_trace("resnet18", SHAPE, 10, build)  # the first version's entry is still there
    assert build.calls == 2


def test_entry_of_another_version_at_our_path_is_ignored(cache: Path, r18: Trace) -> None:
    key = cache_key("resnet18", SHAPE, 10)
    path = entry_path(cache, key)
    cache.mkdir()
    other = {**key, "torch": "0.0.1"}
    path.write_text(json.dumps({"format": reference_cache.FORMAT, "key": other, "trace": encode(r18)}))
    assert load_entry(path, key) is None
    build = Builds(r18)
    cached_trace("resnet18", SHAPE, 10, build)
    assert build.calls == 1 and load_entry(path, key) == r18  # rebuilt and replaced


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x80\x81\xfe garbage",
        b'{"format": "resnet-verify/reference-trace", "key": ',
        b"[1, 2, 3]",
        b'{"format": "someone-else", "key": {}, "trace": {}}',
        b"\x80\x04\x95pickle?",
        b"[" * 100_000,
    ],
    ids=["empty", "binary", "truncated", "list", "foreign", "pickle", "deep"],
)
def test_corrupt_truncated_or_foreign_entry_is_rebuilt(cache: Path, r18: Trace, content: bytes) -> None:
    key = cache_key("resnet18", SHAPE, 10)
    path = entry_path(cache, key)
    cache.mkdir()
    path.write_bytes(content)
    build = Builds(r18)
    assert cached_trace("resnet18", SHAPE, 10, build) == r18
    assert build.calls == 1 and load_entry(path, key) == r18


def test_truncated_real_entry_is_rebuilt(cache: Path, r18: Trace) -> None:
    build = Builds(r18)
    cached_trace("resnet18", SHAPE, 10, build)
    (path,) = cache.glob("trace-*.json")
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    assert cached_trace("resnet18", SHAPE, 10, build) == r18
    assert build.calls == 2


def test_entry_whose_trace_does_not_decode_is_rebuilt(cache: Path, r18: Trace) -> None:
    key = cache_key("resnet18", SHAPE, 10)
    data = json.loads(json.dumps({"format": reference_cache.FORMAT, "key": key, "trace": encode(r18)}))
    data["trace"]["ops"][3]["in_shapes"] = "not shapes"
    cache.mkdir()
    entry_path(cache, key).write_text(json.dumps(data))
    build = Builds(r18)
    assert cached_trace("resnet18", SHAPE, 10, build) == r18 and build.calls == 1


def test_missing_folder_is_created(cache: Path, r18: Trace, capsys: pytest.CaptureFixture[str]) -> None:
    assert not cache.exists()
    cached_trace("resnet18", SHAPE, 10, Builds(r18))
    assert len(list(cache.glob("trace-*.json"))) == 1
    assert capsys.readouterr().err == ""


def _one_warning(err: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("resnet-verify: warning:"), err


def test_uncreatable_folder_falls_back_with_one_warning(
    tmp_path: Path, r18: Trace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(reference_cache.CACHE_DIR_ENV, str(blocker / "cache"))
    monkeypatch.setattr(reference_cache, "_warned", False)
    monkeypatch.setattr(reference_cache, "_broken", set())
    build = Builds(r18)
    for classes in (10, 11, 10):
        assert cached_trace("resnet18", SHAPE, classes, build) == r18
    assert build.calls == 3
    _one_warning(capsys.readouterr().err)


def test_unwritable_folder_falls_back_with_one_warning(
    cache: Path, r18: Trace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import resnet_verify._io as io

    def refuse(path: object, text: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(io, "write_text_atomic", refuse)
    build = Builds(r18)
    cached_trace("resnet18", SHAPE, 10, build)
    cached_trace("resnet18", SHAPE, 11, build)
    assert build.calls == 2 and not list(cache.glob("trace-*.json"))
    err = capsys.readouterr().err
    _one_warning(err)
    assert "Permission denied" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_falls_back_with_one_warning(
    cache: Path, r18: Trace, capsys: pytest.CaptureFixture[str]
) -> None:
    cache.mkdir()
    cache.chmod(0o555)
    try:
        build = Builds(r18)
        cached_trace("resnet18", SHAPE, 10, build)
        cached_trace("resnet18", SHAPE, 11, build)
        assert build.calls == 2 and not list(cache.iterdir())
    finally:
        cache.chmod(0o755)
    _one_warning(capsys.readouterr().err)


@pytest.mark.parametrize("spec", ["net.py:build", "timm:resnet50", "pkg.mod:fn", "../x.py:f"])
def test_specs_that_can_change_without_a_version_are_not_cached(cache: Path, r18: Trace, spec: str) -> None:
    build = Builds(r18)
    cached_trace(spec, SHAPE, 10, build)
    cached_trace(spec, SHAPE, 10, build)
    assert build.calls == 2 and not cache.exists()


def test_disabled_cache_neither_reads_nor_writes(cache: Path, r18: Trace) -> None:
    build = Builds(r18)
    cached_trace("resnet18", SHAPE, 10, build, enabled=False)
    assert not cache.exists()
    cached_trace("resnet18", SHAPE, 10, build)
    cached_trace("resnet18", SHAPE, 10, build, enabled=False)
    assert build.calls == 3


_WRITER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from resnet_verify.tracing.records import Trace
    from resnet_verify.tracing.serialize import decode
    from resnet_verify.verify.reference_cache import store_entry
    path, key, trace = Path(sys.argv[1]), json.loads(sys.argv[2]), decode(Trace, json.loads(Path(sys.argv[3]).read_text()))
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(100):
        assert store_entry(path, key, trace)
    """
)


@pytest.mark.slow
def test_two_processes_writing_at_once(cache: Path, r18: Trace, tmp_path: Path) -> None:
    key = cache_key("resnet18", SHAPE, 10)
    path = entry_path(cache, key)
    source = tmp_path / "trace.json"
    source.write_text(json.dumps(encode(r18)))
    argv = [sys.executable, "-c", _WRITER, str(path), json.dumps(key), str(source)]
    procs = [
        subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for _ in range(2)
    ]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        for p in procs:  # both start writing together
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        while any(p.poll() is None for p in procs):
            found = load_entry(path, key)
            assert found is None or found == r18  # a reader never sees half a file
        assert [p.wait() for p in procs] == [0, 0]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            assert p.stdin is not None and p.stdout is not None
            p.stdin.close()
            p.stdout.close()
    assert load_entry(path, key) == r18
    assert [p.name for p in cache.iterdir()] == [path.name]  # no temporary file left behind


# ---- the API reuses the cache ---------------------------------------------------------------------


def test_compare_and_assert_matches_reference_reuse_the_disk_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resnet_verify.testing.assertions import assert_matches_reference
    from resnet_verify.verify.comparison import compare

    model, _ = build_model("resnet18", num_classes=10, device="meta")
    assert compare(model, "resnet18", input_size=32, num_classes=10).ok
    assert len(list(cache.glob("trace-*.json"))) == 1
    comparison.reference_trace.cache_clear()  # as a new process would start

    def no_build(name: str, **kwargs: object) -> None:
        raise AssertionError("the reference was rebuilt instead of read from the cache")

    # whichever builder comparison uses today (references that are any spec are on their way)
    builder = "build_reference_model" if hasattr(comparison, "build_reference_model") else "build_reference"
    monkeypatch.setattr(comparison, builder, no_build)
    assert compare(model, "resnet18", input_size=32, num_classes=10).ok
    comparison.reference_trace.cache_clear()
    assert_matches_reference(model, "resnet18", input_size=32, num_classes=10)
    comparison.reference_trace.cache_clear()
    with pytest.raises(AssertionError, match="rebuilt"):
        compare(model, "resnet18", input_size=32, num_classes=10, cache=False)


def test_cache_folder_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(reference_cache.CACHE_DIR_ENV, str(tmp_path / "override"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert reference_cache.cache_dir() == tmp_path / "override"
    monkeypatch.delenv(reference_cache.CACHE_DIR_ENV)
    assert reference_cache.cache_dir() == tmp_path / "xdg" / "resnet-verify"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert reference_cache.cache_dir() == tmp_path / "home" / ".cache" / "resnet-verify"


def test_no_home_folder_falls_back_with_one_warning(
    r18: Trace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(reference_cache.CACHE_DIR_ENV)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(reference_cache, "_warned", False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    build = Builds(r18)
    cached_trace("resnet18", SHAPE, 10, build)
    cached_trace("resnet18", SHAPE, 10, build)
    assert build.calls == 2
    _one_warning(capsys.readouterr().err)
