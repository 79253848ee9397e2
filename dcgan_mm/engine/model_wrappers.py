"""DDP wrapping of the generator and the discriminator, on GPU and CPU nodes alike."""
import torch
from mmengine.model import MMSeparateDistributedDataParallel

from dcgan_mm.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class SeparateDistributedDataParallel(MMSeparateDistributedDataParallel):
    """mmengine's separate DDP (one DDP per sub-network) that also runs without CUDA.

    The Runner passes ``device_ids=[LOCAL_RANK]``, which DDP rejects for CPU
    modules; on a node without CUDA the processes train on the CPU with gloo,
    so the argument is dropped there.
    """

    def __init__(self, module, broadcast_buffers: bool = False, find_unused_parameters: bool = False, **kwargs):
        if not torch.cuda.is_available():
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        super().__init__(module, broadcast_buffers=broadcast_buffers,
                         find_unused_parameters=find_unused_parameters, **kwargs)
