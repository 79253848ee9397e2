"""Process-group set-up that also works on nodes without CUDA."""
import os

import torch
import torch.distributed as dist


def backend_for_this_node(configured: str = 'nccl') -> str:
    """NCCL needs CUDA: fall back to gloo where there is none."""
    return configured if torch.cuda.is_available() else 'gloo'


def init_process_group_early(launcher: str, backend: str) -> None:
    """Initialise torch.distributed before the Runner is built, which then reuses it.

    mmengine 0.10.7's ``init_dist(launcher='pytorch')`` calls
    ``torch.cuda.set_device`` unconditionally and so fails on a CPU node;
    this does the same set-up (from torchrun's environment variables)
    without that call, and pins the local GPU only where one exists.
    """
    if launcher != 'pytorch' or dist.is_initialized():
        return
    if torch.cuda.is_available():
        torch.cuda.set_device(int(os.environ.get('LOCAL_RANK', 0)))
    dist.init_process_group(backend=backend)


def end_process_group() -> None:
    """Wait for every rank, then tear the process group down before the interpreter exits.

    Left to the interpreter's exit, the communication threads can be destroyed
    while still running, which aborts a rank whose work is done ('terminate
    called without an active exception', exit code -6), failing the whole job.
    """
    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
