"""DeferredRuntimeInfoHook: the message hub and the log end exactly as with mmengine's RuntimeInfoHook."""
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from dcgan_mm.checkpoint import safe_load
from dcgan_mm.cli.config import load_config
from tests.conftest import REPO_ROOT, build_runner

DEMO = str(REPO_ROOT / 'configs' / 'dcgan_demo_digits-32x32.py')
OPTIONS = {'model.generator.base_channels': 16, 'model.discriminator.base_channels': 8,
           'train_dataloader.batch_size': 8, 'default_hooks.logger.interval': 3, 'train_cfg.max_iters': 7,
           'default_hooks.checkpoint.interval': 5, 'model.discriminator_steps': 2,  # loss_gen every other iteration
           **{key: None for key in ('val_cfg', 'val_dataloader', 'val_evaluator',
                                    'test_cfg', 'test_dataloader', 'test_evaluator')}}


class CountLogged(Hook):
    """Records, after each iteration's hooks, how many loss_disc values the message hub holds."""

    priority = 'LOWEST'

    def __init__(self):
        self.counts = []

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        buffer = runner.message_hub.log_scalars.get('train/loss_disc')
        self.counts.append(0 if buffer is None else len(buffer.data[0]))


def train(work_dir, **options) -> Runner:
    cfg = load_config(DEMO, {**OPTIONS, **options})
    cfg.work_dir = str(work_dir)
    runner = build_runner(cfg)
    runner.counter = CountLogged()
    runner.register_hook(runner.counter)
    runner.train()
    return runner


def histories(message_hub) -> dict:
    """Every training scalar's history but the timings, which differ from run to run."""
    return {key: buffer.data[0].tolist() for key, buffer in message_hub.log_scalars.items()
            if key.startswith('train/') and not key.endswith('time')}


def test_message_hub_log_and_checkpoint_equal_mmengines(tmp_path):
    plain = train(tmp_path / 'plain')
    deferred = train(tmp_path / 'deferred', **{'default_hooks.runtime_info.type': 'DeferredRuntimeInfoHook'})
    expected = histories(plain.message_hub)
    assert {'train/loss_disc', 'train/loss_gen', 'train/generator.lr'} <= set(expected)
    assert len(expected['train/loss_gen']) == 4 and len(expected['train/loss_disc']) == 7
    assert histories(deferred.message_hub) == expected
    assert plain.counter.counts == [1, 2, 3, 4, 5, 6, 7]
    assert deferred.counter.counts == [0, 0, 3, 3, 5, 6, 7]  # handed over at log lines (3, 6), checkpoints (5, 7)
    saved = [safe_load(str(tmp_path / run / 'iter_5.pth'))['message_hub']['log_scalars']
             for run in ('plain', 'deferred')]
    assert saved[0].keys() == saved[1].keys()
    for key in (key for key in saved[0] if not key.endswith('time')):
        assert torch.equal(saved[0][key]['log'], saved[1][key]['log']), key
    logs = [next((tmp_path / run).glob('*/*.log')).read_text().splitlines() for run in ('plain', 'deferred')]
    lines = [[loss_fields(line) for line in log if 'Iter(train)' in line] for log in logs]
    assert len(lines[0]) == 2 and lines[0] == lines[1]  # iterations 3 and 6


def loss_fields(line: str) -> list[str]:
    """The 'loss_*: value' fields of a log line (times differ between runs)."""
    words = line.split()
    return [f'{word} {words[index + 1]}' for index, word in enumerate(words) if word.startswith('loss')]
