"""Discriminator features for classification (the paper's section 5.1, CIFAR-10 and SVHN)."""
import torch
import torch.nn.functional as F
from torch import nn

from dcgan_mm.models.data_preprocessor import GANDataPreprocessor
from dcgan_mm.utils import device_of

# The paper max-pools every stage to a 4x4 grid before flattening.
POOLED_SIDE = 4


def stage_channels(discriminator: nn.Module) -> list[int]:
    """Output channels of each downsampling stage: ``base_channels * 2**i`` for i < stages."""
    return [stage.conv.out_channels for stage in discriminator.downsamples]


def feature_size(discriminator: nn.Module, pooled_side: int = POOLED_SIDE) -> int:
    """Length of :func:`extract_features`' vectors.

    ``pooled_side**2 * base_channels * (2**stages - 1)``, where
    ``stages = log2(input_scale / output_scale)``: e.g. 30,720 for the 64x64 D
    with base 128 ((128 + 256 + 512 + 1024) * 16), 3,584 for the 32x32 demo D
    with base 32 ((32 + 64 + 128) * 16).
    """
    discriminator = getattr(discriminator, 'discriminator', discriminator)
    return pooled_side ** 2 * sum(stage_channels(discriminator))


@torch.no_grad()
def extract_features(discriminator: nn.Module, images: torch.Tensor, batch_size: int = 256,
                     pooled_side: int = POOLED_SIDE) -> torch.Tensor:
    """The paper's features: every stage's activations max-pooled to 4x4, flattened and concatenated.

    Args:
        discriminator: A DCGAN model (its discriminator, data preprocessor and
            channel order are used) or a bare discriminator (images mapped with
            the default preprocessor, 127.5 +- 127.5).
        images: (N, C, H, W) in [0, 255], uint8 or float, RGB, at the
            discriminator's ``input_scale`` and ``in_channels``.
        batch_size: Images per forward pass (memory only).
        pooled_side: Side of each stage's pooled grid.

    Returns:
        float32 (N, :func:`feature_size`) on the CPU, stage by stage.
    """
    model = discriminator if hasattr(discriminator, 'discriminator') else None
    net = model.discriminator if model is not None else discriminator
    normalize = model.data_preprocessor.normalize if model is not None else GANDataPreprocessor().normalize
    expected = (net.in_channels, net.input_scale, net.input_scale)
    if images.dim() != 4 or tuple(images.shape[1:]) != expected:
        raise ValueError(f'extract_features expects images of shape (N, {", ".join(map(str, expected))}), '
                         f'got {tuple(images.shape)}: resize them to the discriminator input first')
    device = device_of(net)
    was_training = net.training
    net.eval()  # BatchNorm with running statistics: a feature never depends on its batch
    try:
        chunks = []
        for batch in images.split(batch_size):
            inputs = normalize(batch.to(device))
            if model is not None:  # a D trained on BGR (OpenMMLab weights) must see BGR
                inputs = model.to_generator_order(inputs)
            stages = net.features(inputs)
            pooled = [F.adaptive_max_pool2d(stage, pooled_side).flatten(1) for stage in stages]
            chunks.append(torch.cat(pooled, 1).float().cpu())
    finally:
        net.train(was_training)
    return torch.cat(chunks)
