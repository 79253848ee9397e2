"""benchmark_data times a config's train dataloader."""
from benchmarks.data import benchmark_data
from dcgan_mm.datasets.preparation.packer import pack_dataset, source_dataset
from tests.conftest import REPO_ROOT, write_images

CELEBA = str(REPO_ROOT / 'configs' / 'dcgan_1xb128-300kiters_celeba-cropped-64.py')


def test_benchmark_data_counts_the_images_it_times(tmp_path):
    write_images(tmp_path, 6, size=20)
    result = benchmark_data(CELEBA, iters=3, num_workers=0, batch_size=4, warmup=1,
                            cfg_options={'train_dataloader.dataset.data_root': str(tmp_path)})
    assert result['images'] == 12 and result['batch_size'] == 4 and result['num_workers'] == 0
    assert result['images_per_s'] > 0 and result['seconds'] > 0 and result['startup_s'] > 0


def test_benchmark_data_times_packed_batches_collated_at_once(tmp_path):
    write_images(tmp_path / 'images', 6, size=20)
    pack_dataset(source_dataset('folder', str(tmp_path / 'images'), 8), str(tmp_path / 'packed'), 8)
    packed = {'train_dataloader.dataset.type': 'PackedDataset',
              'train_dataloader.dataset.data_root': str(tmp_path / 'packed'),
              'train_dataloader.dataset.pipeline': [dict(type='PackGANInputs')],
              'train_dataloader.collate_fn.type': 'dcgan_mm.packed_collate'}
    result = benchmark_data(CELEBA, iters=4, num_workers=1, batch_size=4, warmup=1, cfg_options=packed)
    assert result['images'] == 16 and result['num_workers'] == 1
