"""At the end of training (finished or stopped by a signal), a few lines that say what the run did and where it is."""
import os.path as osp
import time
from datetime import timedelta

from mmengine.dist import get_world_size
from mmengine.hooks import CheckpointHook, Hook
from mmengine.runner import find_latest_checkpoint

from dcgan_mm.registry import HOOKS

from .sample_grid import SampleGridHook


@HOOKS.register_module()
class RunSummaryHook(Hook):
    """Logs iterations done, wall time, images/s, the best metric and where samples, curves and checkpoints are.

    Runs on ``after_train``, which :class:`PreemptionHook` also calls before it
    exits on SIGTERM/SIGINT, so a stopped run gets its summary too.
    """

    priority = 'VERY_LOW'  # its after_train_iter counts the iteration before PreemptionHook (LOWEST) may stop

    def __init__(self):
        self.start_time: float | None = None
        self.start_iter = 0
        self.done_iter = 0

    def before_train(self, runner) -> None:
        self.start_time = time.perf_counter()
        self.start_iter = self.done_iter = runner.iter  # > 0 when resumed

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self.done_iter = runner.iter + 1

    def after_train(self, runner) -> None:
        if runner.rank == 0 and self.start_time is not None:
            runner.logger.info('\n'.join(self.summary_lines(runner)))

    def summary_lines(self, runner) -> list[str]:
        """The summary: a title, then one ``label: text`` line per item."""
        wall = max(time.perf_counter() - (self.start_time or time.perf_counter()), 1e-9)
        iters = self.done_iter - self.start_iter
        resumed = f', resumed at {self.start_iter}' if self.start_iter else ''
        stopped = '' if self.done_iter >= runner.max_iters else ' (stopped early)'
        speed = f'{iters / wall:.2f} it/s'
        batch = batch_size(runner.train_dataloader)
        if batch:
            speed += f', {iters * batch * get_world_size() / wall:.1f} images/s'
        items = [('iterations', f'{self.done_iter} of {runner.max_iters}{stopped}{resumed}'),
                 ('wall time', f'{timedelta(seconds=round(wall))} for {iters} iterations, {speed}')]
        items += [(f'best {key}', f'{score:.4f} in {path}') for key, score, path in best_checkpoints(runner)]
        items.append(('checkpoints', f'{runner.work_dir} (latest: {find_latest_checkpoint(runner.work_dir)})'))
        grids = next((hook for hook in runner.hooks if isinstance(hook, SampleGridHook)), None)
        if grids is not None:
            items.append(('samples', osp.join(runner.work_dir, grids.out_dir)))
        items.append(('scalars', f'{osp.join(runner.log_dir, "vis_data", "scalars.json")}; plot them with: '
                                 f'python tools/analysis_tools/analyze_logs.py plot_curve {runner.work_dir} '
                                 '--keys loss_disc loss_gen --out curves.png'))
        if runner.visualizer.get_backend('TensorboardVisBackend') is not None:
            items.append(('tensorboard', f'tensorboard --logdir {runner.work_dir}'))
        width = max(len(label) for label, _ in items) + 2
        return ['Run summary'] + [f'  {label + ":":<{width}}{text}' for label, text in items]


def batch_size(loader) -> int | None:
    """Images per process and iteration, from the loader or its batch sampler (None if neither says)."""
    return getattr(loader, 'batch_size', None) or getattr(getattr(loader, 'batch_sampler', None), 'batch_size', None)


def best_checkpoints(runner) -> list[tuple[str, float, str]]:
    """(metric, best score, checkpoint) for each ``save_best`` key of the CheckpointHook that has one.

    The CheckpointHook keeps them in the message hub's runtime info, which
    checkpoints carry, so a resumed run still knows its best.
    """
    hook = next((hook for hook in runner.hooks if isinstance(hook, CheckpointHook)), None)
    keys = getattr(hook, 'key_indicators', None) or []
    found = []
    for key in keys:
        suffix = '' if len(keys) == 1 else f'_{key}'
        score = runner.message_hub.get_info(f'best_score{suffix}')
        path = runner.message_hub.get_info(f'best_ckpt{suffix}')
        if score is not None and path is not None:
            found.append((key, float(score), path))
    return found
