"""Where training runs: device choice (cuda, then mps, then cpu) and ``torchrun`` process groups.

Under ``torchrun`` (``WORLD_SIZE`` > 1) each process joins the group from the environment
(``RANK``, ``LOCAL_RANK``, ``MASTER_ADDR``...): nccl with one GPU per local rank when CUDA is used,
gloo on CPUs. Multi-node runs work the same way, given a folder all nodes share for the run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import torch

from resnet_verify.errors import UsageError


@dataclass(frozen=True)
class Runtime:
    device: torch.device
    rank: int = 0
    world_size: int = 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def select_device(requested: str | None = None) -> torch.device:
    """``auto`` (or None): cuda, then mps, then cpu; otherwise the named device, which must exist."""
    name = (requested or "auto").strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(name)
    except (RuntimeError, ValueError):
        raise UsageError(f"unknown device {requested!r}: use auto, cpu, cuda, cuda:N or mps") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise UsageError(f"--device {requested}: CUDA is not available here")
    if device.type == "cuda" and device.index is not None and device.index >= torch.cuda.device_count():
        raise UsageError(f"--device {requested}: only {torch.cuda.device_count()} CUDA device(s)")
    if device.type == "mps" and not _mps_available():
        raise UsageError(f"--device {requested}: MPS is not available here")
    if device.type not in ("cpu", "cuda", "mps"):
        raise UsageError(f"unsupported device {requested!r}: use auto, cpu, cuda, cuda:N or mps")
    return device


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def setup_runtime(requested: str | None = None) -> Runtime:
    """Single process, or one rank of a ``torchrun`` job (detected from WORLD_SIZE/RANK/LOCAL_RANK)."""
    world = int(os.environ.get("WORLD_SIZE", "1") or 1)
    if world <= 1:
        return Runtime(select_device(requested))
    import torch.distributed as dist

    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    wanted = select_device(requested)
    if wanted.type == "cuda":
        device = torch.device("cuda", local_rank % torch.cuda.device_count())
        torch.cuda.set_device(device)
        backend = "nccl"
    elif wanted.type == "cpu":
        device, backend = torch.device("cpu"), "gloo"
    else:
        raise UsageError(f"distributed training runs on CUDA or CPU, not {wanted.type}")
    if not dist.is_initialized() and backend == "nccl":
        dist.init_process_group(backend=backend, device_id=device)  # binds the rank's GPU up front
    elif not dist.is_initialized():
        dist.init_process_group(backend=backend)
    return Runtime(device, rank=dist.get_rank(), world_size=dist.get_world_size())


def teardown_runtime(runtime: Runtime, *, synchronize: bool = True) -> None:
    """Leave the process group. ``synchronize``: every rank got here the normal way, so they wait
    for each other first: rank 0 evaluates after training while the others would otherwise tear
    down gloo under it, and a rank exiting mid-teardown aborted now and then ("terminate called
    without an active exception", seen on 2 loaded cores). After an error no barrier: the other
    ranks may never come, and a hang is worse than a noisy exit."""
    if not runtime.distributed:
        return
    import torch.distributed as dist

    if not dist.is_initialized():
        return
    if synchronize:
        if dist.get_backend() == "gloo":
            dist.monitored_barrier(timeout=timedelta(minutes=30))  # names a rank that never came
        else:
            dist.barrier()
    dist.destroy_process_group()


def uses_channels_last(device: torch.device) -> bool:
    """channels_last on CUDA and on CPU too: ResNet50 trains 1.38x faster on this 2-core CPU
    (79 vs 57 images/s at 64 px, batch 32, fp32; oneDNN's NHWC kernels); MPS gains nothing."""
    return device.type in ("cuda", "cpu")


def amp_dtype_for(device: torch.device) -> torch.dtype | None:
    if device.type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
