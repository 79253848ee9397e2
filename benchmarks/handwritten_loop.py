"""The training step of a DCGAN config as a minimal hand-written PyTorch loop: the benchmark's baseline."""
import contextlib

import torch
from mmengine.dataset import InfiniteSampler
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.dataloader import default_collate
from torch.utils.flop_counter import FlopCounterMode

from dcgan_mm.registry import MODELS

# Optim wrapper type -> default autocast dtype of its forward pass, and whether it scales the loss.
AUTOCAST_WRAPPERS = {'AmpOptimWrapper': ('float16', True), 'AutocastOptimWrapper': ('bfloat16', False)}


class RandomImages(Dataset):
    """``num`` fixed random uint8 images, so data loading costs the same in both loops."""

    metainfo: dict = {}  # what mmengine's visualizer asks a dataset for

    def __init__(self, num: int, shape: tuple[int, int, int], seed: int = 0):
        generator = torch.Generator().manual_seed(seed)
        self.images = torch.randint(0, 256, (num, *shape), dtype=torch.uint8, generator=generator)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> dict:
        return {'inputs': self.images[index]}


def image_loader(cfg, batch_size: int) -> DataLoader:
    """Batches of random images of the generator's shape, endlessly, in the main process.

    The sampler is infinite, as the configs' samplers are: a finite loader
    makes mmengine's loop sleep 2 s at every epoch end.
    """
    generator = cfg.model.generator
    shape = (generator.get('out_channels', 3), generator.output_scale, generator.output_scale)
    dataset = RandomImages(2 * batch_size, shape)
    return DataLoader(dataset, batch_size=batch_size, sampler=InfiniteSampler(dataset, seed=0),
                      collate_fn=default_collate,
                      pin_memory=cfg.train_dataloader.get('pin_memory', False) and torch.cuda.is_available())


class HandWrittenLoop:
    """What ``DCGAN.train_step`` does, in plain PyTorch: no runner, hooks, wrappers or message hub.

    The same networks (built from the config and initialised the same way),
    optimizers, loss, noise on the device and update schedule; the generator
    step freezes the discriminator, as ours does. Both losses are read back
    every iteration, as the framework's logging does. Where the config's optim
    wrappers autocast (``AmpOptimWrapper``, ``AutocastOptimWrapper``), the
    forward passes here run under the same autocast, with a loss scaler where
    the wrapper has one.
    """

    def __init__(self, cfg, batch_size: int, device: torch.device | str):
        self.model = MODELS.build(cfg.model)
        self.model.init_weights()
        self.model.to(device)
        self.device, self.batch_size, self.iteration = torch.device(device), batch_size, 0
        self.optimizers, self.autocast, self.scalers = {}, {}, {}
        for name in ('generator', 'discriminator'):
            wrapper = cfg.optim_wrapper[name]
            options = dict(wrapper.optimizer)
            optimizer_type = getattr(torch.optim, options.pop('type'))
            self.optimizers[name] = optimizer_type(getattr(self.model, name).parameters(), **options)
            dtype, scaled = AUTOCAST_WRAPPERS.get(wrapper.get('type'), (None, False))
            dtype = wrapper.get('dtype') or dtype
            self.autocast[name] = getattr(torch, dtype) if dtype else None
            self.scalers[name] = torch.amp.GradScaler(self.device.type) if scaled else None
        self.batches = iter(image_loader(cfg, batch_size))

    def forward_context(self, name: str):
        dtype = self.autocast[name]
        return torch.autocast(self.device.type, dtype=dtype) if dtype else contextlib.nullcontext()

    def update(self, name: str, loss: torch.Tensor) -> None:
        optimizer, scaler = self.optimizers[name], self.scalers[name]
        if scaler is None:
            loss.backward()
            optimizer.step()
        else:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        optimizer.zero_grad(set_to_none=True)

    def step(self) -> None:
        """One iteration: a discriminator update, then (on schedule) generator updates."""
        model, generator, discriminator = self.model, self.model.generator, self.model.discriminator
        real = next(self.batches)['inputs'].to(self.device, non_blocking=True).float().sub_(127.5).div_(127.5)
        real = model.to_generator_order(real).contiguous(memory_format=model.memory_format)
        with self.forward_context('discriminator'):
            with torch.no_grad():
                fake = generator(torch.randn(self.batch_size, model.noise_size, device=self.device))
            loss_real, loss_fake = model.loss.discriminator(discriminator(real), discriminator(fake))
            loss_d = loss_real + loss_fake
        self.update('discriminator', loss_d)
        losses = [loss_d]
        if self.iteration % model.discriminator_steps == 0:
            discriminator.requires_grad_(False)
            for _ in range(model.generator_steps):
                with self.forward_context('generator'):
                    fake = generator(torch.randn(self.batch_size, model.noise_size, device=self.device))
                    loss_g = model.loss.generator(discriminator(fake))
                self.update('generator', loss_g)
                losses.append(loss_g)
            discriminator.requires_grad_(True)
            if model.generator_ema is not None:
                model.generator_ema.update_parameters(generator)
        self.iteration += 1
        for loss in losses:
            loss.item()

    def count_flops(self) -> int:
        """Floating-point operations of one iteration (a multiply-add counts 2), counted while it runs."""
        with FlopCounterMode(display=False) as counter:
            self.step()
        return counter.get_total_flops()
