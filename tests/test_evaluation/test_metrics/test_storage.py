import torch

from dcgan_mm.evaluation.metrics.base import ordered_parts
from dcgan_mm.evaluation.metrics.storage import BlockStore, PartList


def test_block_store_packs_consecutive_batches_into_blocks():
    store = BlockStore(block_bytes=5 * 4)  # 5 float32 scalars per block
    values = torch.arange(12, dtype=torch.float32)
    store.append(0, values[:3])
    store.append(3, values[3:9])  # fills the first block, opens a second
    store.append(9, values[9:12])
    parts = store.parts()
    assert [(index, part.tolist()) for index, part in parts] == [(0, [0, 1, 2, 3, 4]), (5, [5, 6, 7, 8, 9]),
                                                                 (10, [10, 11])]
    assert torch.equal(torch.cat(ordered_parts([parts], 12, 'x')), values)


def test_block_store_starts_a_new_block_on_a_gap_or_a_new_dtype_and_respects_capacity():
    store = BlockStore(capacity=6)
    store.append(0, torch.zeros(2, 3))
    store.append(4, torch.ones(2, 3))  # a gap: another rank's range, say
    store.append(6, torch.ones(1, 3, dtype=torch.float64))
    assert [(index, part.shape[0], part.dtype) for index, part in store.parts()] == [
        (0, 2, torch.float32), (4, 2, torch.float32), (6, 1, torch.float64)]
    assert store.parts()[0][1].untyped_storage().nbytes() == 6 * 3 * 4  # no larger than the capacity


def test_part_list_keeps_pieces_as_given():
    store = PartList()
    piece = torch.ones(2)
    store.append(4, piece)
    assert store.parts() == [(4, piece)]
