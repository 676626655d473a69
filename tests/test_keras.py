"""Keras 3 (torch backend) models as candidates and references, and the Keras -> PyTorch port.

Keras builds are slow: every Keras model is built once per module at 64 px, weights=None.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
import torch

from resnet_verify.specs.keras_specs import ensure_torch_backend

ensure_torch_backend()  # before keras is first imported: the backend is fixed then
pytest.importorskip("keras")

from resnet_verify.cli.main import main  # noqa: E402
from resnet_verify.errors import UsageError  # noqa: E402
from resnet_verify.models.resnet import Bottleneck  # noqa: E402
from resnet_verify.specs.builders import build_model  # noqa: E402
from resnet_verify.tracing.records import OpKind  # noqa: E402
from resnet_verify.tracing.tracer import trace  # noqa: E402
from resnet_verify.verify.comparison import compare_traces  # noqa: E402

pytestmark = pytest.mark.slow
SIZE = (3, 64, 64)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "models"
COURSERA = f"{FIXTURES / 'coursera_keras_resnet50.py'}:build"
CLASSIC = f"{FIXTURES / 'classic_keras_resnet50.py'}:build"


@pytest.fixture(scope="module")
def keras_resnet50():
    return build_model("keras:ResNet50", num_classes=5, input_size=SIZE)[0]


@pytest.fixture(scope="module")
def keras_trace(keras_resnet50):
    return trace(keras_resnet50, SIZE)


def _compare(ref, cand):
    return compare_traces(ref, cand, reference_name="ref", candidate_name="cand", num_classes=5)


def test_keras_layers_in_the_trace_vocabulary(keras_trace) -> None:
    ops = keras_trace.ops
    conv1, bn1 = ops[0], ops[1]
    assert conv1.kind is OpKind.CONV and conv1.module_path == "conv1_conv"
    # ZeroPadding2D(3) + valid 7x7/2 conv folds into one conv with padding 3; NCHW shapes.
    assert dict(conv1.attrs)["padding"] == (3, 3) and dict(conv1.attrs)["bias"] is True
    assert conv1.in_shapes == ((1, 3, 64, 64),) and conv1.out_shape == (1, 64, 32, 32)
    assert dict(bn1.attrs)["eps"] == pytest.approx(1.001e-5) and dict(bn1.attrs)["momentum"] == 0.01
    pool = ops[3]  # the max pool's ZeroPadding2D(1) folds too: its input is a ReLU output
    assert pool.kind is OpKind.MAX_POOL and dict(pool.attrs)["padding"] == (1, 1)
    assert not any(op.kind is OpKind.PAD for op in ops)
    assert [len(s.blocks) for s in keras_trace.structure.stages] == [3, 4, 6, 3]
    assert keras_trace.structure.blocks[0].path == "conv2_block1"
    kernel = next(p for p in keras_trace.params if p.name == "conv1_conv.kernel")
    assert kernel.shape == (64, 3, 7, 7)  # OIHW, as PyTorch would report it
    assert keras_trace.output_shape == (1, 5)


def test_resnet50_keras_matches_keras_resnet50_both_ways(keras_trace) -> None:
    ours = trace(build_model("resnet50_keras", num_classes=5)[0], SIZE)
    for ref, cand in ((ours, keras_trace), (keras_trace, ours)):
        comparison = _compare(ref, cand)
        assert comparison.ok, [m.message for m in comparison.mismatches[:5]]


def test_resnet50_vs_keras_names_v1_stride_bias_and_eps(keras_trace) -> None:
    comparison = _compare(trace(build_model("resnet50", num_classes=5)[0], SIZE), keras_trace)
    patterns = {f.pattern.value for f in comparison.findings}
    assert {"resnet_v1_stride", "conv_bias_before_bn", "keras_batchnorm"} <= patterns
    fields = {m.field for m in comparison.mismatches}
    assert {"stride", "bias", "eps"} <= fields
    claimed = {i for f in comparison.findings for i in f.mismatches}
    assert claimed == set(range(len(comparison.mismatches)))


def test_resnet50_v1_differs_from_keras_only_by_bias_and_bn(keras_trace) -> None:
    # The negative: same v1 strides, so no stride finding.
    comparison = _compare(trace(build_model("resnet50_v1", num_classes=5)[0], SIZE), keras_trace)
    assert "resnet_v1_stride" not in {f.pattern.value for f in comparison.findings}
    assert not any(m.field == "stride" for m in comparison.mismatches)


def test_keras_reference_through_compare(keras_resnet50) -> None:
    from resnet_verify.verify.comparison import compare

    ours = build_model("resnet50_keras", num_classes=5)[0]
    assert compare(ours, "keras:ResNet50", input_size=SIZE, num_classes=5, cache=False).ok


def test_coursera_keras_original_shows_where_the_seed_port_departs() -> None:
    original = trace(build_model(COURSERA, num_classes=6, input_size=SIZE)[0], SIZE)
    assert original.ops[0].source is not None and original.ops[0].source.file.endswith(
        "coursera_keras_resnet50.py"
    )
    port = trace(build_model(CLASSIC, num_classes=6)[0], SIZE)
    comparison = compare_traces(original, port, reference_name="keras", candidate_name="port", num_classes=6)
    by_field = {(m.field, m.expected, m.actual) for m in comparison.mismatches}
    assert ("padding", (0, 0), (1, 1)) in by_field  # the port pads a max pool the original does not
    assert ("eps", 1e-3, 1e-5) in by_field and ("bias", True, False) in by_field
    assert any(
        m.field == "output_shape" and m.reference_path == "max_pooling2d" for m in comparison.mismatches
    ) or any(m.field == "output_shape" for m in comparison.mismatches)


@pytest.mark.parametrize("swap", [False, True], ids=["keras-reference", "keras-candidate"])
def test_the_port_against_its_keras_original_is_a_few_causes_and_nothing_unexplained(swap: bool) -> None:
    # The founding workflow (#23): the PyTorch port compared with the Keras functional model it came
    # from. Keras' layer defaults (conv bias, BatchNorm eps/momentum, 'valid' pooling) and the head.
    original = trace(build_model(COURSERA, num_classes=6, input_size=SIZE)[0], SIZE)
    port = trace(build_model(CLASSIC, num_classes=6)[0], SIZE)
    ref, cand = (port, original) if swap else (original, port)
    c = compare_traces(ref, cand, reference_name="ref", candidate_name="cand", num_classes=6)
    names = {f.pattern.value for f in c.findings}
    assert len(c.findings) <= 5 and not c.unexplained, (names, c.unexplained)
    assert {"keras_pool_padding", "keras_batchnorm", "conv_bias_before_bn"} <= names


def test_a_pool_padding_between_two_pytorch_models_is_not_named_keras() -> None:
    port = build_model(CLASSIC, num_classes=6)[0]
    edited = build_model(CLASSIC, num_classes=6)[0]
    pool = edited.maxpool
    assert isinstance(pool, torch.nn.MaxPool2d)
    pool.padding = 0
    c = compare_traces(
        trace(port, SIZE), trace(edited, SIZE), reference_name="a", candidate_name="b", num_classes=6
    )
    assert c.mismatches and "keras_pool_padding" not in {f.pattern.value for f in c.findings}


def test_keras_to_pytorch_port_with_random_bn_statistics(keras_resnet50) -> None:
    from resnet_verify.verify.keras_port import port_from_keras, randomize_keras_batchnorm

    randomize_keras_batchnorm(keras_resnet50, seed=1)
    target = build_model("resnet50_keras", num_classes=5)[0]
    result = port_from_keras(keras_resnet50, target, input_size=SIZE, num_classes=5, seed=3)
    assert result.ok and result.state_dict is not None, result.message
    assert result.output_rel is not None and result.output_rel <= 1e-4
    assert len(result.block_errors) == 16
    target.load_state_dict(result.state_dict)
    x = torch.randn(2, *SIZE)
    with torch.no_grad():
        want = keras_resnet50(x.permute(0, 2, 3, 1), training=False)
        got = target.eval()(x)
    assert torch.allclose(got, want, rtol=1e-4, atol=1e-4 * float(want.abs().max()))


def test_port_names_the_first_divergent_block(keras_resnet50) -> None:
    from resnet_verify.verify.keras_port import port_from_keras

    target = build_model("resnet50_keras", num_classes=5)[0]
    block = target.get_submodule("layer3.0")  # v1.5 stride in one block: shapes and parameters still fit
    assert isinstance(block, Bottleneck)
    block.conv1.stride, block.conv2.stride = (1, 1), (2, 2)
    result = port_from_keras(keras_resnet50, target, input_size=SIZE, num_classes=5)
    assert not result.ok and result.state_dict is None
    assert "conv4_block1" in result.message and "every earlier block matches" in result.message


def test_port_cli_from_keras_weights_file(keras_resnet50, tmp_path, capsys) -> None:
    weights = tmp_path / "resnet50.weights.h5"
    with warnings.catch_warnings():  # keras 3.15's own numpy-2 copy= deprecation inside save_weights
        warnings.simplefilter("ignore", DeprecationWarning)
        keras_resnet50.save_weights(str(weights))
    out = tmp_path / "ported.pt"
    argv = ["port", "--from", "keras:ResNet50", "--weights", str(weights), "--to", "resnet50_keras"]
    argv += ["--out", str(out), "--input-size", "64", "--num-classes", "5"]
    assert main(argv) == 0, capsys.readouterr().err
    state = torch.load(out, weights_only=True)
    kernel = keras_resnet50.get_layer("conv1_conv").kernel.value.detach()
    assert torch.equal(state["conv1.weight"], kernel.permute(3, 2, 0, 1))
    argv = ["port", "--from", "keras:ResNet50", "--weights", str(weights), "--to", "resnet50"]
    assert main([*argv, "--out", str(out), "--input-size", "64", "--num-classes", "5"]) == 1
    assert "refused" in capsys.readouterr().err


def test_keras_compare_cli(capsys) -> None:
    argv = ["compare", "--model", "keras:ResNet50", "--reference", "resnet50_keras", "--input-size", "64"]
    assert main([*argv, "--num-classes", "5"]) == 0


def test_other_backend_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    with pytest.raises(UsageError, match="torch backend"):
        build_model("keras:ResNet50", num_classes=5, input_size=SIZE)
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    assert os.environ["KERAS_BACKEND"] == "torch"


def test_unknown_keras_model_is_one_line(capsys) -> None:
    assert main(["compare", "--model", "keras:ResNet51", "--input-size", "64"]) == 2
    err = capsys.readouterr().err.strip()
    assert "did you mean ResNet50" in err and len(err.splitlines()) == 1


def test_keras_blocks_and_stages_are_named_from_the_layer_names() -> None:
    original = trace(build_model(COURSERA, num_classes=6, input_size=SIZE)[0], SIZE)
    assert [b.path for b in original.structure.blocks][:4] == ["res2a", "res2b", "res2c", "res3a"]
    assert [s.path for s in original.structure.stages] == ["res2", "res3", "res4", "res5"]


def test_a_keras_pool_behind_its_zero_padding_is_not_a_valid_pool() -> None:
    # keras.applications pads the stem pool with ZeroPadding2D(1); here its input is a BatchNorm output
    # (the port moved the ReLU), so the zeros stay a pad op of their own. The Keras pool is padded
    # after all: "Keras pools pad nothing" would be a wrong name for it.
    batch = Path(__file__).resolve().parent / "fixtures" / "heldout" / "batch12_basic.py"
    keras_side = trace(build_model(f"{batch}:r18_relu_bn_keras", num_classes=10, input_size=SIZE)[0], SIZE)
    port = trace(build_model(f"{batch}:r18_relu_bn", num_classes=10)[0], SIZE)
    for ref, cand in ((keras_side, port), (port, keras_side)):
        c = compare_traces(ref, cand, reference_name="ref", candidate_name="cand", num_classes=10)
        assert any(m.field == "padding" for m in c.mismatches)
        assert "keras_pool_padding" not in {f.pattern.value for f in c.findings}
