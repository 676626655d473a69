"""``compare --fix --write`` over the fixture catalogue (issue #27's acceptance test), each on a copy:
a fixture whose findings all have a fix writer compares clean afterwards; a fixture none of whose
findings has one is left as it was, each finding saying why; a matching model has nothing to fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.catalog import FIXTURES, Fixture, path_of

from resnet_verify.cli.main import main
from resnet_verify.verify.fixes.registry import WRITERS

COVERED = {p.value for p in WRITERS}
# Covered patterns whose fixture writes the value in a way no writer rewrites (the finding says why).
REFUSED = {
    "broken_v1_stride_layer3": "not a literal 1",
    # descriptions are fixed only where every difference is a layer argument; these lost an op
    "broken_no_relu_bn2": "no layer argument",
    "broken_add_before_bn3": "no layer argument",
}


def _run(f: Fixture, path: Path, *more: str) -> int:
    argv = ["compare", "--model", f"{path}:build", "--reference", f.reference]
    return main([*argv, "--input-size", str(f.input_size), "--num-classes", "6", *more])


def _reasons(out: str) -> list[str]:
    """The ``  pattern: reason`` lines under "no patch for N findings:"."""
    lines = out.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("no patch for ")), None)
    if at is None:
        return []
    n = int(lines[at].split()[3])
    return lines[at + 1 : at + 1 + n]


@pytest.mark.slow
@pytest.mark.parametrize("f", FIXTURES, ids=lambda f: f.name)
def test_fix_write_over_the_catalogue(f: Fixture, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{f.name}.py"
    shutil.copy(path_of(f), path)
    code = _run(f, path, "--fix", "--write", "--no-backup")
    out = capsys.readouterr().out
    changed = path.read_text() != path_of(f).read_text()
    if not f.kinds:
        assert code == 0 and not changed and out.startswith("nothing to fix"), out
    elif f.patterns and f.patterns <= COVERED and f.name not in REFUSED:
        assert code == 0 and changed and "after this patch: no mismatch" in out, out
        assert _run(f, path) == 0
    elif f.name in REFUSED:
        assert code == 1 and not changed and REFUSED[f.name] in out, out
    elif not (f.patterns & COVERED):
        assert code == 1 and not changed, out
        assert all(": " in line and line.split(": ", 1)[1] for line in _reasons(out)), out
