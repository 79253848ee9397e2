"""TrainingHealthHook: collapse warnings and the one-batch data check (NaN handling: test_fault_tolerance.py)."""
from types import SimpleNamespace

import pytest
import torch
from torch.utils.data import DataLoader, IterableDataset

from dcgan_mm.engine.hooks import TrainingHealthHook
from dcgan_mm.engine.hooks.training_health import check_one_batch
from dcgan_mm.errors import DataError

ONE_BATCH_MESSAGE = ('train_dataloader: the dataset has 5 images, fewer than one batch (batch_size=8). '
                     'Lower train_dataloader.batch_size or add images.')


class Logger:
    def __init__(self):
        self.warnings = []

    def warning(self, message):
        self.warnings.append(message)


def feed(hook, losses: list[dict[str, float]]) -> list[str]:
    """Run ``after_train_iter`` once per dict of losses (iterations 1, 2, ...); return the warnings."""
    runner = SimpleNamespace(iter=0, logger=Logger(), work_dir='unused')
    for index, values in enumerate(losses):
        runner.iter = index
        outputs = {key: torch.tensor(value) for key, value in values.items()}
        hook.after_train_iter(runner, index, data_batch=None, outputs=outputs)
    return runner.logger.warnings


def discriminator_wins(count: int) -> list[dict[str, float]]:
    return [dict(loss_disc=2e-4, loss_disc_real=1e-4, loss_disc_fake=1e-4, loss_gen=9.5)] * count


def test_losses_pinned_near_zero_for_the_window_give_one_warning_naming_them_and_the_iterations():
    warnings = feed(TrainingHealthHook(collapse_window=5), discriminator_wins(12))
    assert len(warnings) == 1  # once, not every iteration after the window
    assert warnings[0].startswith('Iteration 5: loss_disc (since iteration 1), loss_disc_real (since iteration 1), '
                                  'loss_disc_fake (since iteration 1) stayed within 0.001 of 0 for 5 iterations: '
                                  'one network has won')
    assert 'loss_gen' not in warnings[0]


def test_the_generator_winning_is_reported_after_it_started():
    normal = [dict(loss_disc=1.3, loss_gen=0.8)] * 3
    generator_wins = [dict(loss_disc=6.0, loss_gen=5e-4)] * 4
    warnings = feed(TrainingHealthHook(collapse_window=4), normal + generator_wins)
    assert warnings == [warnings[0]] and warnings[0].startswith('Iteration 7: loss_gen (since iteration 4) ')


def test_normal_losses_and_short_dips_give_no_warning():
    normal = [dict(loss_disc=1.4 - 0.01 * i, loss_gen=0.7 + 0.02 * i) for i in range(30)]
    assert feed(TrainingHealthHook(collapse_window=5), normal) == []
    dips = (discriminator_wins(4) + [dict(loss_disc=0.5, loss_disc_real=0.2, loss_disc_fake=0.3, loss_gen=2.0)]) * 3
    assert feed(TrainingHealthHook(collapse_window=5), dips) == []  # every dip shorter than the window


def test_a_large_negative_loss_is_not_collapse():
    # HingeGANLoss' generator term, -mean(D(G(z))), is negative whenever D scores fakes as real.
    assert feed(TrainingHealthHook(collapse_window=3), [dict(loss_disc=1.9, loss_gen=-2.5)] * 10) == []


def loader(size: int, batch_size: int = 8) -> DataLoader:
    return DataLoader(list(range(size)), batch_size=batch_size)


def test_a_dataset_smaller_than_one_batch_stops_before_training():
    runner = SimpleNamespace(train_dataloader=loader(5), world_size=1)
    with pytest.raises(DataError) as error:
        TrainingHealthHook().before_train(runner)
    assert str(error.value) == ONE_BATCH_MESSAGE


def test_one_batch_counts_every_process():
    with pytest.raises(DataError, match=r'has 12 images, fewer than one batch on each of the 2 processes '
                                        r'\(2 x batch_size=8\)\. .*use fewer processes'):
        check_one_batch(loader(12), world_size=2)
    check_one_batch(loader(16), world_size=2)


def test_a_dataset_of_exactly_one_batch_or_without_a_length_passes():
    check_one_batch(loader(8))
    check_one_batch(loader(1, batch_size=1))

    class Stream(IterableDataset):
        def __iter__(self):
            yield from range(3)

    check_one_batch(DataLoader(Stream(), batch_size=8))


def test_a_runner_on_a_folder_of_3_images_with_batch_8_stops_before_the_first_iteration(tmp_path):
    from mmengine.runner import Runner

    from dcgan_mm.engine.config import load_config
    from tests.conftest import REPO_ROOT, write_images
    write_images(tmp_path / 'images', 3)
    cfg = load_config(str(REPO_ROOT / 'configs' / 'dcgan_1xb128-300kiters_celeba-cropped-64.py'), {
        'train_dataloader.dataset.data_root': str(tmp_path / 'images'), 'train_dataloader.batch_size': 8,
        'train_dataloader.num_workers': 0, 'train_dataloader.persistent_workers': False,
        'model.generator.base_channels': 64, 'model.discriminator.base_channels': 8,
        **{key: None for key in ('val_cfg', 'val_dataloader', 'val_evaluator',
                                 'test_cfg', 'test_dataloader', 'test_evaluator')}})
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    with pytest.raises(DataError, match=r'the dataset has 3 images, fewer than one batch \(batch_size=8\)'):
        runner.train()
    assert runner.iter == 0 and not list((tmp_path / 'work').glob('*.pth'))
