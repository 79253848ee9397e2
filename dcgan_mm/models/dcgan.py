"""DCGAN as one mmengine model: the whole training step fits on one screen."""
import torch
from mmengine import MessageHub
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapperDict
from torch import nn

from dcgan_mm.registry import MODELS
from dcgan_mm.utils import device_of, unwrap_model

from .ema import GeneratorEMA

CHANNEL_ORDERS = ('rgb', 'bgr')


@MODELS.register_module()
class DCGAN(BaseModel):
    """Unconditional GAN trained as in Radford et al. (2016).

    Each iteration takes a batch of real images and runs one discriminator
    update on it and on a batch of generated images; every
    ``discriminator_steps`` iterations it then runs ``generator_steps``
    generator updates with the discriminator frozen.

    Args:
        generator: Config (or module) of the generator, e.g. ``DCGANGenerator``.
        discriminator: Config (or module) of the discriminator.
        loss: Config of the adversarial loss (``VanillaGANLoss``, ``LSGANLoss``, ...).
        noise_size: Length of z; defaults to the generator's. Written into the
            generator config when that config leaves it out.
        data_preprocessor: Config of the batch preprocessor.
        discriminator_steps: Discriminator updates per generator update.
        generator_steps: Generator updates per update round.
        channel_order: Channel order the generator draws. Datasets deliver RGB;
            OpenMMLab's published weights draw 'bgr', and images are flipped to RGB on output.
        ema_config: Keyword arguments of :class:`GeneratorEMA` (those of mmengine's
            ``ExponentialMovingAverage``) for an averaged copy of the generator
            (e.g. ``dict(momentum=0.001)``), or None.
        channels_last: Keep weights and images in NHWC memory order (faster
            convolutions on recent GPUs; results equal up to float rounding).
        compile_cfg: Keyword arguments of ``torch.compile`` for the generator and the
            discriminator (compiled in place, so checkpoint keys do not change), or None.
        init_cfg: mmengine init config.
    """

    def __init__(self,
                 generator: dict | nn.Module,
                 discriminator: dict | nn.Module,
                 loss: dict | nn.Module = dict(type='VanillaGANLoss'),
                 noise_size: int | None = None,
                 data_preprocessor: dict | None = dict(type='GANDataPreprocessor'),
                 discriminator_steps: int = 1,
                 generator_steps: int = 1,
                 channel_order: str = 'rgb',
                 ema_config: dict | None = None,
                 channels_last: bool = False,
                 compile_cfg: dict | None = None,
                 init_cfg: dict | None = None):
        if isinstance(data_preprocessor, dict):  # our registry: works without a default scope
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if isinstance(generator, dict) and noise_size is not None:
            generator = {**generator, 'noise_size': generator.get('noise_size', noise_size)}
        self.generator = MODELS.build(generator) if isinstance(generator, dict) else generator
        self.discriminator = MODELS.build(discriminator) if isinstance(discriminator, dict) else discriminator
        self.loss = MODELS.build(loss) if isinstance(loss, dict) else loss
        self.noise_size = self.generator.noise_size
        if channel_order not in CHANNEL_ORDERS:
            raise ValueError(f'model.channel_order must be one of {CHANNEL_ORDERS}, got {channel_order!r}')
        if discriminator_steps < 1 or generator_steps < 1:
            raise ValueError('model.discriminator_steps and model.generator_steps must be at least 1')
        self.channel_order = channel_order
        self.discriminator_steps = discriminator_steps
        self.generator_steps = generator_steps
        check_compatible(self.generator, self.discriminator, noise_size)
        self.generator_ema = GeneratorEMA(self.generator, **ema_config) if ema_config else None
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        if channels_last:
            self.generator.to(memory_format=self.memory_format)
            self.discriminator.to(memory_format=self.memory_format)
        if compile_cfg is not None:
            self.generator.compile(**compile_cfg)
            self.discriminator.compile(**compile_cfg)

    @property
    def device(self) -> torch.device:
        """Device of the generator's weights."""
        return device_of(self.generator)

    # ----------------------------------------------------------------- training
    def train_step(self, data: dict, optim_wrapper: OptimWrapperDict) -> dict[str, torch.Tensor]:
        """One iteration: a discriminator update, then (every ``discriminator_steps``) generator updates.

        Returns:
            Detached losses: ``loss_disc``, ``loss_disc_real``, ``loss_disc_fake`` and,
            in iterations that update the generator, ``loss_gen``.
        """
        real = self.to_generator_order(self.data_preprocessor(data, True)['inputs'])
        real = real.contiguous(memory_format=self.memory_format)
        log_vars = self.train_discriminator(real, optim_wrapper['discriminator'])
        if current_iteration() % self.discriminator_steps == 0:
            for _ in range(self.generator_steps):
                log_vars.update(self.train_generator(real.shape[0], optim_wrapper['generator']))
            if self.generator_ema is not None:
                self.generator_ema.update_parameters(self.generator)
        return log_vars

    def train_discriminator(self, real: torch.Tensor, optim_wrapper) -> dict[str, torch.Tensor]:
        with optim_wrapper.optim_context(self.discriminator):
            with torch.no_grad():
                fake = self.generator(self.noise(real.shape[0], real.device))
            # Real and fake go through D as separate batches, so BatchNorm
            # never mixes their statistics (the paper's and PyTorch's practice).
            loss_real, loss_fake = self.loss.discriminator(self.discriminator(real), self.discriminator(fake))
            loss = loss_real + loss_fake
        optim_wrapper.update_params(loss)
        return dict(loss_disc=loss.detach(), loss_disc_real=loss_real.detach(), loss_disc_fake=loss_fake.detach())

    def train_generator(self, batch_size: int, optim_wrapper) -> dict[str, torch.Tensor]:
        # Frozen D: gradients flow through it to G, but none accumulate on its
        # weights (they would leak into the next discriminator update). Its
        # unwrapped module is called, as a frozen net needs no DDP gradient sync.
        discriminator = unwrap_model(self.discriminator)
        discriminator.requires_grad_(False)
        try:
            with optim_wrapper.optim_context(self.generator):
                fake = self.generator(self.noise(batch_size, self.device))
                loss = self.loss.generator(discriminator(fake))
            optim_wrapper.update_params(loss)
        finally:
            discriminator.requires_grad_(True)
        return dict(loss_gen=loss.detach())

    # ----------------------------------------------------------------- sampling
    def noise(self, num: int, device: torch.device | str | None = None,
              generator: torch.Generator | None = None) -> torch.Tensor:
        """z ~ N(0, I) of shape (num, noise_size), drawn directly on ``device``."""
        return torch.randn(num, self.noise_size, device=device or self.device, generator=generator)

    @torch.no_grad()
    def generate(self, noise: torch.Tensor, sample_model: str = 'orig') -> torch.Tensor:
        """Decode z into images for metrics and visualisation.

        Args:
            noise: z of shape (N, noise_size).
            sample_model: 'orig' for the trained generator, 'ema' for its moving average.

        Returns:
            float32 images (N, C, H, W) in [0, 255], RGB, on the model's device.
        """
        images = self.sampling_generator(sample_model)(noise.to(self.device))
        return self.data_preprocessor.denormalize(self.to_generator_order(images))

    def sampling_generator(self, sample_model: str) -> nn.Module:
        if sample_model == 'orig':
            return self.generator
        if sample_model == 'ema':
            if self.generator_ema is None:
                raise ValueError("sample_model='ema' needs a model trained with model.ema_config")
            return self.generator_ema.module
        raise ValueError(f"sample_model must be 'orig' or 'ema', got {sample_model!r}")

    def to_generator_order(self, images: torch.Tensor) -> torch.Tensor:
        """Swap RGB <-> BGR when the generator draws BGR (the swap is its own inverse)."""
        return images.flip(1) if self.channel_order == 'bgr' and images.shape[1] == 3 else images

    def forward(self, inputs: torch.Tensor, data_samples=None, mode: str = 'tensor') -> torch.Tensor:
        """Images in [0, 255] from noise ``inputs`` (mmengine's entry point for 'tensor'/'predict')."""
        return self.generate(inputs)

    def val_step(self, data: dict) -> torch.Tensor:
        """Images generated from fresh noise, as many as the batch holds (mmengine's val/test entry point).

        ``GenerativeEvalLoop`` does not call it: it decodes its own seeded noise with :meth:`generate`.
        """
        return self.generate(self.noise(len(data['inputs'])))

    test_step = val_step


def current_iteration() -> int:
    """The runner's iteration (0-based), which survives resuming; 0 outside a runner."""
    return MessageHub.get_current_instance().get_info('iter', 0)


def check_compatible(generator: nn.Module, discriminator: nn.Module, noise_size: int | None) -> None:
    """Fail at build time, naming config keys, when the two networks cannot work together."""
    problems = []
    if noise_size is not None and noise_size != generator.noise_size:
        problems.append(f'model.noise_size ({noise_size}) != model.generator.noise_size ({generator.noise_size})')
    scale, in_scale = getattr(generator, 'output_scale', None), getattr(discriminator, 'input_scale', None)
    if None not in (scale, in_scale) and scale != in_scale:
        problems.append(f'model.discriminator.input_scale ({in_scale}) != model.generator.output_scale ({scale})')
    out_ch, in_ch = getattr(generator, 'out_channels', None), getattr(discriminator, 'in_channels', None)
    if None not in (out_ch, in_ch) and out_ch != in_ch:
        problems.append(f'model.discriminator.in_channels ({in_ch}) != model.generator.out_channels ({out_ch})')
    if problems:
        raise ValueError('The generator and discriminator do not fit together: ' + '; '.join(problems))
