"""Saves a grid of samples from fixed noise during training, so progress can be watched."""
import os
import os.path as osp

import torch
from mmengine.hooks import Hook
from PIL import Image
from torchvision.utils import make_grid

from dcgan_mm.registry import HOOKS
from dcgan_mm.utils import unwrap_model


@HOOKS.register_module()
class SampleGridHook(Hook):
    """Every ``interval`` iterations (and after the last), write ``{work_dir}/samples/iter_{n}.png``.

    The same grid goes to every visualization backend (TensorBoard, W&B, MLflow)
    as the image ``samples`` at the iteration's step.

    The noise is drawn once from its own generator, so every grid shows the
    same z vectors and the training RNG is never touched.

    Args:
        interval: Iterations between grids.
        num_samples: Images per grid.
        nrow: Images per grid row.
        seed: Seed of the fixed noise.
        sample_model: 'orig', or 'ema' for the averaged generator.
        out_dir: Folder under the work dir.
    """

    priority = 'LOW'

    def __init__(self, interval: int = 1000, num_samples: int = 64, nrow: int = 8, seed: int = 0,
                 sample_model: str = 'orig', out_dir: str = 'samples'):
        self.interval = interval
        self.num_samples = num_samples
        self.nrow = nrow
        self.seed = seed
        self.sample_model = sample_model
        self.out_dir = out_dir
        self.fixed_noise = None

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if self.every_n_train_iters(runner, self.interval) or self.is_last_train_iter(runner):
            self.save_grid(runner, f'iter_{runner.iter + 1}.png')

    def save_grid(self, runner, filename: str) -> str:
        model = unwrap_model(runner.model)
        if self.fixed_noise is None:
            generator = torch.Generator().manual_seed(self.seed)
            self.fixed_noise = torch.randn(self.num_samples, model.noise_size, generator=generator)
        was_training = model.training
        model.eval()
        try:
            images = model.generate(self.fixed_noise, sample_model=self.sample_model)
        finally:
            model.train(was_training)
        path = osp.join(runner.work_dir, self.out_dir, filename)
        if runner.rank == 0:
            # HWC uint8, rounded as torchvision's save_image does; gray images become 3 equal channels.
            grid = make_grid(images / 255.0, nrow=self.nrow, padding=2)
            grid = grid.mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to('cpu', torch.uint8).numpy()
            os.makedirs(osp.dirname(path), exist_ok=True)
            Image.fromarray(grid).save(path)
            runner.visualizer.add_image('samples', grid, step=runner.iter + 1)
            runner.logger.info(f'Saved samples to {path}')
        return path
