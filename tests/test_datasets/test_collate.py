"""packed_collate passes pre-assembled batches through and collates anything else as default_collate does."""
import pytest
import torch
from mmengine.registry import DefaultScope
from mmengine.runner import Runner
from torch.utils.data import DataLoader, default_collate

from dcgan_mm.datasets.collate import SampleBatch, new_batch_tensor, packed_collate

IMAGES = torch.arange(4 * 3 * 2 * 2, dtype=torch.uint8).view(4, 3, 2, 2)


def test_a_sample_batch_is_passed_through_as_one_tensor():
    collated = packed_collate(SampleBatch(IMAGES))
    assert list(collated) == ['inputs'] and collated['inputs'] is IMAGES


def test_a_sample_batch_reads_as_per_sample_dicts():
    batch = SampleBatch(IMAGES)
    assert len(batch) == 4 and torch.equal(batch[-1]['inputs'], IMAGES[3])
    assert [torch.equal(sample['inputs'], image) for sample, image in zip(batch, IMAGES)] == [True] * 4
    with pytest.raises(IndexError):
        batch[4]
    assert torch.equal(default_collate(batch)['inputs'], IMAGES)


def test_per_sample_lists_collate_as_default_collate_does():
    samples = [{'inputs': image, 'label': index} for index, image in enumerate(IMAGES)]
    collated = packed_collate(samples)
    assert torch.equal(collated['inputs'], IMAGES) and torch.equal(collated['label'], torch.arange(4))


class SharedFlags:
    """A dataset whose batches, made by new_batch_tensor, hold (index, made in shared memory) per sample."""

    def __len__(self) -> int:
        return 8

    def __getitems__(self, indices: list[int]) -> SampleBatch:
        inputs = new_batch_tensor((len(indices), 2, 1, 1))
        inputs[:, 0] = torch.tensor(indices, dtype=torch.uint8).view(-1, 1, 1)
        inputs[:, 1] = int(inputs.is_shared())
        return SampleBatch(inputs)


@pytest.mark.parametrize('num_workers,shared', [(0, 0), (1, 1)])
def test_batch_tensors_are_made_in_shared_memory_in_workers_only(num_workers, shared):
    # Sending a worker's batch to the main process then copies nothing.
    loader = DataLoader(SharedFlags(), batch_size=3, num_workers=num_workers, collate_fn=packed_collate)
    batches = torch.cat([batch['inputs'] for batch in loader]).view(8, 2)
    assert torch.equal(batches[:, 0], torch.arange(8, dtype=torch.uint8))
    assert batches[:, 1].tolist() == [shared] * 8
    assert new_batch_tensor((2, 3)).shape == (2, 3)


def test_configs_name_it_by_its_scoped_name():
    pytest.importorskip('sklearn')  # DigitsDataset
    cfg = dict(batch_size=2, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=False),
               collate_fn=dict(type='dcgan_mm.packed_collate'),
               dataset=dict(type='DigitsDataset', pipeline=[dict(type='PackGANInputs')]))
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        loader = Runner.build_dataloader(cfg)
    assert loader.collate_fn.func is packed_collate
    assert next(iter(loader))['inputs'].shape[0] == 2
