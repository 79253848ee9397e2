"""ResumableIterBasedTrainLoop: the one-batch data check and when it validates (resuming: test_resume.py)."""
from types import SimpleNamespace

import pytest
from torch.utils.data import DataLoader, IterableDataset

from dcgan_mm.engine.loops import ResumableIterBasedTrainLoop, check_one_batch
from dcgan_mm.errors import DataError

ONE_BATCH_MESSAGE = ('train_dataloader: the dataset has 5 images, fewer than one batch (batch_size=8). '
                     'Lower train_dataloader.batch_size or add images.')


def loader(size: int, batch_size: int = 8) -> DataLoader:
    return DataLoader(list(range(size)), batch_size=batch_size)


def test_a_dataset_smaller_than_one_batch_is_a_data_error_naming_both_sizes():
    with pytest.raises(DataError) as error:
        check_one_batch(loader(5))
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
    # The loop checks, not a hook: the check holds with every optional hook switched off.

    from dcgan_mm.cli.config import load_config
    from tests.conftest import REPO_ROOT, build_runner, write_images
    write_images(tmp_path / 'images', 3)
    cfg = load_config(str(REPO_ROOT / 'configs' / 'dcgan_1xb128-300kiters_celeba-cropped-64.py'), {
        'train_dataloader.dataset.data_root': str(tmp_path / 'images'), 'train_dataloader.batch_size': 8,
        'train_dataloader.num_workers': 0, 'train_dataloader.persistent_workers': False,
        'model.generator.base_channels': 64, 'model.discriminator.base_channels': 8,
        'default_hooks.health': None,
        **{key: None for key in ('val_cfg', 'val_dataloader', 'val_evaluator',
                                 'test_cfg', 'test_dataloader', 'test_evaluator')}})
    cfg.work_dir = str(tmp_path / 'work')
    runner = build_runner(cfg)
    with pytest.raises(DataError, match=r'the dataset has 3 images, fewer than one batch \(batch_size=8\)'):
        runner.train()
    assert runner.iter == 0 and not list((tmp_path / 'work').glob('*.pth'))


@pytest.mark.parametrize('val_at_end,expected', [(True, [4, 8, 10]), (False, [4, 8])])
def test_validation_follows_the_interval_and_the_last_iteration_only_when_asked(val_at_end, expected):
    loop = SimpleNamespace(val_begin=3, val_interval=4, val_at_end=val_at_end, _max_iters=10)
    validates = [done for done in range(1, 11) if ResumableIterBasedTrainLoop.validates_after(loop, done)]
    assert validates == expected
