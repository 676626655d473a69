"""The torch function names the tracer knows, by what they compute (``opkinds`` classifies a call by
them): one table per kind, the layout-only names, and the calls that are not computation at all.
"""

from __future__ import annotations

CONV_NAMES = {"conv1d", "conv2d", "conv3d"}
RELU_NAMES = {"relu", "relu_"}
ACTIVATION_NAMES = {
    "gelu",
    "silu",
    "silu_",
    "sigmoid",
    "sigmoid_",
    "tanh",
    "tanh_",
    "leaky_relu",
    "leaky_relu_",
    "elu",
    "elu_",
    "relu6",
    "hardtanh",
    "hardtanh_",
    "hardswish",
    "hardswish_",
    "hardsigmoid",
    "hardsigmoid_",
    "gelu_",
    "rrelu",
    "rrelu_",
    "glu",
    "logsigmoid",
    "softsign",
    "tanhshrink",
    "mish",
    "mish_",
    "prelu",
    "selu",
    "celu",
    "softplus",
    "threshold",
    "threshold_",
}
ADD_NAMES = {"add", "add_", "__add__", "__radd__", "__iadd__"}
MUL_NAMES = {"mul", "mul_", "__mul__", "__rmul__", "__imul__"}
MAX_POOL_NAMES = {"max_pool1d", "max_pool2d", "max_pool3d", "_max_pool2d", "max_pool2d_with_indices"}
AVG_POOL_NAMES = {"avg_pool1d", "avg_pool2d", "avg_pool3d"}
ADAPTIVE_NAMES = {
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "_adaptive_max_pool2d",
    "adaptive_max_pool2d_with_indices",
}
NORM_NAMES = {"group_norm", "layer_norm", "instance_norm", "local_response_norm"}
FLATTEN_NAMES = {"flatten"}
RESHAPE_NAMES = {
    "data",  # ``x.data``: the same values without autograd history (Kenshohara's shortcut A)
    "view",
    "reshape",
    "squeeze",
    "unsqueeze",
    "permute",
    "transpose",
    "contiguous",
    "clone",
    "detach",
    "to",
    "float",
    "type",
    "view_as",
    "reshape_as",
    "expand",
    "expand_as",
    "t",
    "T",
    "mT",
}
# names that lay a tensor out otherwise and compute nothing
LAYOUT_NAMES = frozenset(RESHAPE_NAMES | {"permute", "transpose", "swapaxes", "movedim", "flatten"})
SLICE_NAMES = {"__getitem__", "narrow", "chunk", "split", "select", "index_select", "unbind"}
DROPOUT_NAMES = {
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "feature_dropout",
    "alpha_dropout",
    "feature_alpha_dropout",
}

# Tensor properties recorded as ops (others, like ``.shape``, are not tensors or not computation).
# ``.T`` / ``.mT``: a weight used transposed (``x @ W.T``) is still that weight (recorder.py).
TRACKED_PROPERTIES = frozenset({"data", "T", "mT"})

# Calls that return tensors but are not part of the computation we care about.
IGNORED = frozenset(
    {
        "__get__",
        "__set__",
        "size",
        "dim",
        "numel",
        "is_contiguous",
        "__len__",
        "__format__",
        "__repr__",
        "__bool__",
        "__index__",
        "data_ptr",
        "element_size",
        "requires_grad_",
        "__setstate__",
        "_has_compatible_shallow_copy_type",
        "has_names",
        "is_floating_point",
        "is_complex",
        "stride",
    }
)

INPLACE_DUNDERS = frozenset(
    {"__iadd__", "__isub__", "__imul__", "__itruediv__", "__iand__", "__ior__", "__setitem__"}
)
