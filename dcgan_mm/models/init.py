"""Weight initialisation of the DCGAN paper (section 4, "Details of adversarial training")."""
from mmengine.model import BaseModule
from torch import nn


def init_dcgan_weights(module: nn.Module, std: float = 0.02) -> None:
    """Initialise ``module`` and its children in place as the paper does.

    Convolutions (plain and transposed) and linear layers: weights from
    N(0, std), biases 0. Normalisation layers with an affine part: weights
    from N(1, std), biases 0.

    Args:
        module: The network to initialise.
        std: Standard deviation of every normal draw.
    """
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(layer.weight, 0.0, std)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, (nn.modules.batchnorm._BatchNorm, nn.GroupNorm, nn.LayerNorm,
                                nn.modules.instancenorm._InstanceNorm)):
            if layer.weight is not None:
                nn.init.normal_(layer.weight, 1.0, std)
                nn.init.zeros_(layer.bias)


class PaperInitModule(BaseModule):
    """A network initialised as the paper does, unless ``init_cfg`` asks otherwise.

    Subclasses set ``self.init_std`` and call :meth:`init_weights` once built.
    """

    init_std: float = 0.02

    def init_weights(self) -> None:
        """The paper's initialisation, or mmengine's ``init_cfg`` (e.g. a pretrained file) when given."""
        if self.init_cfg is not None:
            super().init_weights()
        else:
            init_dcgan_weights(self, self.init_std)
