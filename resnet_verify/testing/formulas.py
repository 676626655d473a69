"""Shape and parameter formulas: what the tracer must measure on a built configuration."""

from __future__ import annotations

from collections.abc import Sequence

from resnet_verify.models.configs import BlockConfig, ResNetConfig, StemConfig
from resnet_verify.models.configurable import POOL, Shape

AnyConfig = BlockConfig | ResNetConfig


def conv_out(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """PyTorch's output length of a convolution / max pool (floor mode)."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def _block_hw(cfg: BlockConfig, hw: tuple[int, int]) -> list[tuple[int, int]]:
    """Spatial size after each main-path conv."""
    sizes = []
    for spec in cfg.conv_specs():
        hw = tuple(conv_out(s, spec.kernel_size, spec.stride, spec.pad) for s in hw)  # type: ignore[assignment]
        sizes.append(hw)
    return sizes


def _stem_hw(stem: StemConfig, hw: tuple[int, int]) -> list[tuple[int, int]]:
    sizes = [tuple(conv_out(s, stem.kernel_size, stem.stride, stem.kernel_size // 2) for s in hw)]
    if stem.pool:
        sizes.append(tuple(conv_out(s, *POOL) for s in sizes[-1]))
    return sizes  # type: ignore[return-value]


def _hw(input_shape: Sequence[int]) -> tuple[int, int]:
    return int(input_shape[-2]), int(input_shape[-1])


def expected_block_shapes(cfg: AnyConfig, input_shape: Sequence[int]) -> tuple[tuple[Shape, Shape], ...]:
    """``(in_shape, out_shape)`` of every block, in order, by formula."""
    n = int(input_shape[0]) if len(input_shape) == 4 else 1
    hw = _hw(input_shape)
    if isinstance(cfg, BlockConfig):
        blocks: tuple[BlockConfig, ...] = (cfg,)
        cin = cfg.in_channels
    else:
        hw = _stem_hw(cfg.stem, hw)[-1]
        blocks = cfg.blocks
        cin = cfg.stem.channels
    out = []
    for b in blocks:
        new_hw = _block_hw(b, hw)[-1]
        out.append(((n, cin, *hw), (n, b.out_channels, *new_hw)))
        cin, hw = b.out_channels, new_hw
    return tuple(out)


def expected_output_shape(
    cfg: AnyConfig, input_shape: Sequence[int], num_classes: int | None = None
) -> Shape:
    """The model's output shape by formula: ``(N, C, H, W)`` for a block, ``(N, classes)`` for a net."""
    n = int(input_shape[0]) if len(input_shape) == 4 else 1
    if isinstance(cfg, BlockConfig):
        return expected_block_shapes(cfg, input_shape)[-1][1]
    return (n, cfg.num_classes if num_classes is None else num_classes)


def min_input_size(cfg: AnyConfig, limit: int = 4096) -> int:
    """Smallest square input side for which every feature map stays >= 1 px."""
    for size in range(1, limit + 1):
        if all(min(hw) >= 1 for hw in _all_hw(cfg, (size, size))):
            return size
    raise ValueError(f"no input size up to {limit} keeps every feature map of {cfg} >= 1 px")


def _all_hw(cfg: AnyConfig, hw: tuple[int, int]) -> list[tuple[int, int]]:
    sizes: list[tuple[int, int]] = []
    blocks: Sequence[BlockConfig]
    if isinstance(cfg, ResNetConfig):
        sizes += _stem_hw(cfg.stem, hw)
        hw, blocks = sizes[-1], cfg.blocks
    else:
        blocks = (cfg,)
    for b in blocks:
        if min(hw) < 1:
            break
        sizes += _block_hw(b, hw)
        hw = sizes[-1]
    return sizes


def _conv_params(cin: int, cout: int, kernel: int, groups: int = 1, bias: bool = False) -> int:
    return cout * (cin // groups) * kernel * kernel + (cout if bias else 0)


def expected_block_params(cfg: BlockConfig) -> int:
    total = sum(
        _conv_params(s.in_channels, s.out_channels, s.kernel_size, s.groups, s.bias) + 2 * s.out_channels
        for s in cfg.conv_specs()
    )
    if cfg.has_projection:
        total += _conv_params(cfg.in_channels, cfg.out_channels, 1) + 2 * cfg.out_channels
    return total


def expected_param_count(cfg: AnyConfig, num_classes: int | None = None) -> int:
    """Trainable parameters by formula (BatchNorm running stats are buffers, not counted)."""
    if isinstance(cfg, BlockConfig):
        return expected_block_params(cfg)
    classes = cfg.num_classes if num_classes is None else num_classes
    stem = _conv_params(cfg.stem.in_channels, cfg.stem.channels, cfg.stem.kernel_size) + 2 * cfg.stem.channels
    head = cfg.out_channels * classes + classes
    return stem + sum(expected_block_params(b) for b in cfg.blocks) + head


def expected_channel_chain(cfg: AnyConfig) -> tuple[tuple[int, ...], ...]:
    """Per block: its input channels then the out_channels of each main-path conv (64, 64, 64, 256)."""
    blocks = (cfg,) if isinstance(cfg, BlockConfig) else cfg.blocks
    return tuple((b.in_channels, *b.filters) for b in blocks)


__all__ = [
    "AnyConfig",
    "conv_out",
    "expected_block_params",
    "expected_block_shapes",
    "expected_channel_chain",
    "expected_output_shape",
    "expected_param_count",
    "min_input_size",
]
