"""Building a trained DCGAN for inference from its config and checkpoint."""
import torch
from mmengine.config import Config
from torch import nn

from dcgan_mm.checkpoint.weights import load_weights
from dcgan_mm.cli.config import load_config
from dcgan_mm.errors import ConfigError
from dcgan_mm.registry import MODELS


def init_model(config: str | Config, checkpoint: str | None = None, device: str | torch.device = 'cpu',
               cfg_options: dict | None = None) -> nn.Module:
    """Build the model a config describes, load its weights, and put it in eval mode.

    Args:
        config: Path of a config file, or an mmengine ``Config``.
        checkpoint: Local path or http(s) URL of the weights (a URL is downloaded
            once and hash-checked). None keeps the random initialisation.
        device: Where the model runs.
        cfg_options: Overrides merged into the config, as ``--cfg-options`` does.

    Returns:
        The model (e.g. ``DCGAN``) in eval mode on ``device``: BatchNorm uses its
        running statistics, so a sample does not depend on its batch.

    Raises:
        ConfigError: The config is missing, unreadable or has no ``model``.
        CheckpointError: The checkpoint is missing, unsafe or of another model.
    """
    if isinstance(config, Config):
        cfg = config.copy()
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
    else:
        cfg = load_config(str(config), cfg_options)
    if 'model' not in cfg:
        raise ConfigError('The config has no `model` to build.')
    # Our registry resolves its own names, so no default scope is needed here.
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        load_weights(model, checkpoint)
    return model.to(device).eval()
