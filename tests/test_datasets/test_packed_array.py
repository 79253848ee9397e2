"""PackedDataset: rows of the packer's memory map, per sample or a batch at a time, in workers too."""
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from mmengine.runner import Runner
from torch.utils.data import DataLoader, default_collate

from dcgan_mm.cli.config import load_config
from dcgan_mm.datasets import SampleBatch, packed_collate
from dcgan_mm.datasets.preparation.packer import pack_dataset, source_dataset
from dcgan_mm.datasets.samplers import ResumableInfiniteSampler
from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS
from tests.conftest import REPO_ROOT, write_images


def build(root, pipeline=(dict(type='PackGANInputs'),), **kwargs):
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        return DATASETS.build(dict(type='PackedDataset', data_root=str(root), pipeline=list(pipeline), **kwargs))


@pytest.fixture(scope='module')
def packed(tmp_path_factory):
    """Six colour and six grayscale images packed at 8x8."""
    root = tmp_path_factory.mktemp('packed')
    write_images(root / 'images', 6, size=12)
    pack_dataset(source_dataset('folder', str(root / 'images'), 8), str(root / 'rgb'), 8)
    pack_dataset(source_dataset('folder', str(root / 'images'), 8, grayscale=True), str(root / 'gray'), 8, 1)
    return root


def test_samples_are_the_stored_rgb_rows(packed):
    stored = np.load(packed / 'rgb' / 'images.npy')
    dataset = build(packed / 'rgb')
    assert len(dataset) == 6
    assert torch.equal(dataset[4]['inputs'], torch.from_numpy(stored[4].transpose(2, 0, 1).copy()))
    np.testing.assert_array_equal(dataset.get_data_info(4)['img'], stored[4])  # RGB into the pipeline too
    gray = build(packed / 'gray')
    assert gray[2]['inputs'].shape == (1, 8, 8)


def test_a_batch_at_once_equals_one_sample_at_a_time(packed):
    for folder in ('rgb', 'gray'):
        dataset = build(packed / folder)
        indices = [5, 0, 3, 3]
        batch = dataset.__getitems__(indices)
        assert isinstance(batch, SampleBatch) and batch.inputs.is_contiguous()
        expected = torch.stack([dataset[i]['inputs'] for i in indices])
        assert torch.equal(packed_collate(batch)['inputs'], expected)
        assert torch.equal(default_collate(batch)['inputs'], expected)  # configs that keep default_collate


def test_other_pipelines_run_per_sample(packed):
    pipeline = [dict(type='Resize', scale=(4, 4), keep_ratio=False), dict(type='PackGANInputs')]
    assert default_collate(build(packed / 'rgb', pipeline).__getitems__([0, 1]))['inputs'].shape == (2, 3, 4, 4)


def test_workers_and_subsets_read_the_same_rows(packed):
    dataset = build(packed / 'rgb')
    expected = torch.stack([dataset[i]['inputs'] for i in range(6)])
    loader = DataLoader(dataset, batch_size=3, num_workers=2, collate_fn=default_collate)
    assert torch.equal(torch.cat([batch['inputs'] for batch in loader]), expected)
    subset = build(packed / 'rgb', indices=[4, 1])
    assert torch.equal(default_collate(subset.__getitems__([0, 1]))['inputs'], expected[[4, 1]])


def per_sample_batches(dataset, sampler, batch_size, count):
    """What reading one sample at a time and ``default_collate`` give for the sampler's first batches."""
    stream = iter(sampler)
    return [default_collate([dataset[next(stream)] for _ in range(batch_size)])['inputs'] for _ in range(count)]


@pytest.mark.parametrize('num_workers', [0, 2])
def test_loader_batches_equal_per_sample_reading_in_sampler_order(packed, num_workers):
    dataset = build(packed / 'rgb')
    expected = per_sample_batches(dataset, ResumableInfiniteSampler(dataset, seed=7), 4, 6)
    loader = DataLoader(dataset, batch_size=4, sampler=ResumableInfiniteSampler(dataset, seed=7),
                        num_workers=num_workers, collate_fn=packed_collate)
    batches = iter(loader)
    for want in expected:
        got = next(batches)
        assert list(got) == ['inputs'] and got['inputs'].dtype == torch.uint8
        assert torch.equal(got['inputs'], want)
    del batches


def test_a_resumed_sampler_gives_the_uninterrupted_batches(packed):
    dataset = build(packed / 'rgb')
    expected = per_sample_batches(dataset, ResumableInfiniteSampler(dataset, seed=3), 4, 5)
    sampler = ResumableInfiniteSampler(dataset, seed=3)
    sampler.set_position(2 * 4)  # after two batches, across the first epoch's end (6 images)
    batches = iter(DataLoader(dataset, batch_size=4, sampler=sampler, collate_fn=packed_collate))
    assert all(torch.equal(next(batches)['inputs'], want) for want in expected[2:])


def test_the_documented_config_delivers_one_tensor_per_batch(packed, tmp_path):
    docs = (REPO_ROOT / 'docs' / 'datasets.md').read_text()
    example = docs[docs.index('# configs/my_celeba_packed.py'):].split('```')[0]
    config = tmp_path / 'my_celeba_packed.py'
    config.write_text(example.replace("'./", f"'{REPO_ROOT / 'configs'}/")
                      .replace('data/celeba-cropped/packed_64', str(packed / 'rgb')))
    cfg = load_config(str(config))
    loader_cfg = dict(cfg.train_dataloader, batch_size=4, num_workers=0, persistent_workers=False)
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        loader = Runner.build_dataloader(loader_cfg, seed=0)
        dataset = loader.dataset
        expected = per_sample_batches(dataset, loader.sampler, 4, 1)[0]
        assert torch.equal(next(iter(loader))['inputs'], expected)


def test_a_missing_or_inconsistent_packing_is_a_clear_error(packed, tmp_path):
    with pytest.raises(DataError, match='does not exist or holds no packed images.*docs/datasets.md'):
        build(tmp_path)
    (tmp_path / 'images.npy').write_bytes((packed / 'rgb' / 'images.npy').read_bytes())
    (tmp_path / 'images.json').write_text((packed / 'gray' / 'images.json').read_text())
    with pytest.raises(DataError, match='has shape'):
        build(tmp_path)
