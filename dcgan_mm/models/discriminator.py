"""The DCGAN discriminator: image -> realness logit through strided convolutions."""
import torch
from mmcv.cnn import ConvModule
from torch import nn

from dcgan_mm.registry import MODELS

from .generator import num_doublings
from .init import PaperInitModule


@MODELS.register_module()
class DCGANDiscriminator(PaperInitModule):
    """Discriminator of Radford et al. (2016), in OpenMMLab's module layout.

    Every stage halves the resolution with a 4x4 stride-2 convolution and
    doubles the channels; no pooling, no hidden fully connected layer.
    BatchNorm follows every stage but the first, LeakyReLU every stage; a
    last convolution maps the ``output_scale`` map to ``out_channels`` logits
    (one logit per image for ``output_scale=4``).

    Args:
        input_scale: Side of the input images (a power of two times ``output_scale``).
        output_scale: Side of the last feature map.
        out_channels: Logits per image.
        in_channels: Channels of the input images.
        base_channels: Channels after the first stage; doubled at every stage.
        norm_cfg: Normalisation of every stage but the first (mmcv config), or None.
        act_cfg: Activation of every stage. The paper uses LeakyReLU with slope 0.2
            (OpenMMLab's model zoo used mmcv's default, 0.01).
        out_act_cfg: Activation of the logits; None keeps raw logits for the losses.
        init_std: Standard deviation of the paper's N(0, std) initialisation.
    """

    def __init__(self,
                 input_scale: int,
                 output_scale: int = 4,
                 out_channels: int = 1,
                 in_channels: int = 3,
                 base_channels: int = 128,
                 norm_cfg: dict | None = dict(type='BN'),
                 act_cfg: dict = dict(type='LeakyReLU', negative_slope=0.2),
                 out_act_cfg: dict | None = None,
                 init_std: float = 0.02,
                 init_cfg: dict | None = None):
        super().__init__(init_cfg=init_cfg)
        stages = num_doublings(output_scale, input_scale, 'DCGANDiscriminator.input_scale')
        self.input_scale = input_scale
        self.output_scale = output_scale
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.init_std = init_std

        # state size. in_channels x S x S -> (base_channels * 2^i) x S/2^(i+1) x S/2^(i+1)
        downsamples, channels = [], in_channels
        for stage in range(stages):
            downsamples.append(ConvModule(channels, base_channels * 2 ** stage, kernel_size=4, stride=2, padding=1,
                                          norm_cfg=None if stage == 0 else norm_cfg, act_cfg=act_cfg))
            channels = base_channels * 2 ** stage
        self.downsamples = nn.Sequential(*downsamples)

        # state size. C x output_scale x output_scale -> out_channels x 1 x 1
        self.output_layer = ConvModule(channels, out_channels, kernel_size=output_scale, norm_cfg=None,
                                       act_cfg=out_act_cfg)
        self.init_weights()

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Score images.

        Args:
            images: (N, in_channels, input_scale, input_scale), in [-1, 1].

        Returns:
            Logits of shape (N, out_channels).
        """
        expected = (self.in_channels, self.input_scale, self.input_scale)
        if images.dim() != 4 or images.shape[1:] != expected:
            raise ValueError(f'DCGANDiscriminator expects images of shape (N, {", ".join(map(str, expected))}), '
                             f'got {tuple(images.shape)}')
        return self.output_layer(self.downsamples(images)).flatten(1)

    def features(self, images: torch.Tensor) -> list[torch.Tensor]:
        """Activations of every stage, first to last (for feature extraction)."""
        outputs, features = [], images
        for stage in self.downsamples:
            features = stage(features)
            outputs.append(features)
        return outputs
