"""Writes each evaluation's metrics to JSON in the work dir."""
import os.path as osp

from mmengine.hooks import Hook

from dcgan_mm.evaluation.metrics import metric_protocols
from dcgan_mm.registry import HOOKS
from dcgan_mm.utils import write_json


@HOOKS.register_module()
class DumpMetricsHook(Hook):
    """After every validation, write ``{work_dir}/metrics/iter_{n}.json`` and update ``metrics.json``.

    ``metrics.json`` always holds the latest evaluation, with the iteration it belongs to. Both files are
    written atomically: a crash or a full disk mid-write leaves the previous ``metrics.json`` whole.
    """

    priority = 'VERY_LOW'

    def __init__(self, out_dir: str = 'metrics'):
        self.out_dir = out_dir

    def after_val_epoch(self, runner, metrics: dict | None = None) -> None:
        if runner.rank != 0 or not metrics:
            return
        record = {'iter': runner.iter, **{key: float(value) for key, value in metrics.items()}}
        protocols = metric_protocols(getattr(runner.val_loop, 'evaluator', None))
        if protocols:  # FID & co record the network, image counts and reference they were computed with
            record['protocol'] = protocols
        folder = osp.join(runner.work_dir, self.out_dir)
        for path in (osp.join(folder, f'iter_{runner.iter}.json'), osp.join(runner.work_dir, 'metrics.json')):
            write_json(path, record, indent=2)
        runner.logger.info(f'Metrics written to {osp.join(runner.work_dir, "metrics.json")}')
