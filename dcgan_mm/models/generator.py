"""The DCGAN generator: noise -> image through strided transposed convolutions."""
import math

import torch
from mmcv.cnn import ConvModule, build_activation_layer, build_norm_layer
from torch import nn

from dcgan_mm.registry import MODELS

from .init import PaperInitModule


def num_doublings(small: int, large: int, name: str) -> int:
    """Number of x2 steps from ``small`` to ``large``; both must be powers of two apart."""
    steps = math.log2(large / small) if small > 0 else -1
    if small <= 0 or steps < 1 or steps != int(steps):
        raise ValueError(f'{name}: expected a power-of-two multiple (at least 2x) of {small}, got {large}')
    return int(steps)


@MODELS.register_module()
class DCGANGenerator(PaperInitModule):
    """Generator of Radford et al. (2016), in OpenMMLab's module layout.

    The noise vector is projected to ``base_channels x input_scale x
    input_scale`` (a 4x4 transposed convolution, or a linear layer with
    ``noise_projection='linear'``), then every stage doubles the resolution
    and halves the channels, until a last transposed convolution with Tanh
    draws the image. BatchNorm and ReLU follow every layer but the last.

    Args:
        output_scale: Side of the generated images (a power of two times ``input_scale``).
        out_channels: Channels of the generated images (3 for RGB, 1 for grayscale).
        base_channels: Channels of the first feature map; halved at every stage.
        input_scale: Side of the first feature map.
        noise_size: Length of the noise vector z.
        noise_projection: ``'conv'`` (a transposed convolution, OpenMMLab's layout) or
            ``'linear'`` (the paper's "project and reshape" as a fully connected layer).
        norm_cfg: Normalisation after every hidden layer (mmcv config), or None.
        act_cfg: Activation after every hidden layer (mmcv config).
        out_act_cfg: Activation of the output layer.
        init_std: Standard deviation of the paper's N(0, std) initialisation.
    """

    def __init__(self,
                 output_scale: int,
                 out_channels: int = 3,
                 base_channels: int = 1024,
                 input_scale: int = 4,
                 noise_size: int = 100,
                 noise_projection: str = 'conv',
                 norm_cfg: dict | None = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 out_act_cfg: dict = dict(type='Tanh'),
                 init_std: float = 0.02,
                 init_cfg: dict | None = None):
        super().__init__(init_cfg=init_cfg)
        stages = num_doublings(input_scale, output_scale, 'DCGANGenerator.output_scale')
        if base_channels % 2 ** (stages - 1):
            raise ValueError(f'DCGANGenerator.base_channels={base_channels} must be divisible by '
                             f'{2 ** (stages - 1)} to halve it at each of the {stages - 1} upsampling stages')
        if noise_projection not in ('conv', 'linear'):
            raise ValueError(f"DCGANGenerator.noise_projection must be 'conv' or 'linear', got {noise_projection!r}")
        self.output_scale = output_scale
        self.out_channels = out_channels
        self.input_scale = input_scale
        self.noise_size = noise_size
        self.base_channels = base_channels
        self.noise_projection = noise_projection
        self.init_std = init_std

        # state size. noise_size x 1 x 1 -> base_channels x input_scale x input_scale
        if noise_projection == 'conv':
            self.noise2feat = ConvModule(noise_size, base_channels, kernel_size=input_scale,
                                         conv_cfg=dict(type='ConvTranspose2d'), norm_cfg=norm_cfg, act_cfg=act_cfg)
        else:
            self.noise2feat = LinearProjection(noise_size, base_channels, input_scale, norm_cfg, act_cfg)

        # state size. C x S x S -> (C/2) x 2S x 2S, (stages - 1) times
        channels = base_channels
        upsampling = []
        for _ in range(stages - 1):
            upsampling.append(ConvModule(channels, channels // 2, kernel_size=4, stride=2, padding=1,
                                         conv_cfg=dict(type='ConvTranspose2d'), norm_cfg=norm_cfg, act_cfg=act_cfg))
            channels //= 2
        self.upsampling = nn.Sequential(*upsampling)

        # state size. C x (output_scale/2)^2 -> out_channels x output_scale x output_scale
        self.output_layer = ConvModule(channels, out_channels, kernel_size=4, stride=2, padding=1,
                                       conv_cfg=dict(type='ConvTranspose2d'), norm_cfg=None, act_cfg=out_act_cfg)
        self.init_weights()

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        """Draw images from noise.

        Args:
            noise: z of shape (N, noise_size) or (N, noise_size, 1, 1).

        Returns:
            Images of shape (N, out_channels, output_scale, output_scale) in [-1, 1].
        """
        if noise.dim() == 2:
            noise = noise[:, :, None, None]
        if noise.dim() != 4 or noise.shape[1:] != (self.noise_size, 1, 1):
            raise ValueError(f'DCGANGenerator expects noise of shape (N, {self.noise_size}) or '
                             f'(N, {self.noise_size}, 1, 1), got {tuple(noise.shape)}')
        return self.output_layer(self.upsampling(self.noise2feat(noise)))


class LinearProjection(nn.Module):
    """The paper's "project and reshape": a fully connected layer to a C x S x S map."""

    def __init__(self, noise_size: int, channels: int, scale: int, norm_cfg: dict | None, act_cfg: dict):
        super().__init__()
        self.shape = (channels, scale, scale)
        self.linear = nn.Linear(noise_size, channels * scale * scale, bias=norm_cfg is None)
        self.norm = build_norm_layer(norm_cfg, channels)[1] if norm_cfg else nn.Identity()
        self.act = build_activation_layer(act_cfg)

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        return self.act(self.norm(self.linear(noise.flatten(1)).view(-1, *self.shape)))
