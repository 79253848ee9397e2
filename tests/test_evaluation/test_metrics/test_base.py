import pytest
import torch

from dcgan_mm.evaluation.metrics.base import _shareable, ordered_parts
from dcgan_mm.evaluation.metrics.storage import BlockStore


def test_ordered_parts_sorts_and_checks_coverage():
    parts = ordered_parts([[(3, torch.ones(2))], [(0, torch.zeros(3))]], 5, 'x')
    assert torch.equal(torch.cat(parts), torch.tensor([0., 0., 0., 1., 1.]))
    with pytest.raises(RuntimeError, match='expected item 3'):
        ordered_parts([[(0, torch.zeros(3))], [(0, torch.zeros(3))]], 6, 'x')
    with pytest.raises(RuntimeError, match='gathered 3 items, expected 6'):
        ordered_parts([[(0, torch.zeros(3))], []], 6, 'x')


def test_shareable_parts_do_not_drag_whole_blocks_along():
    store = BlockStore(capacity=100)
    store.append(0, torch.ones(3, 2))
    (_, view), = store.parts()
    assert _shareable([(0, view)], 1)[0][1] is view
    copy = _shareable([(0, view)], 2)[0][1]
    assert torch.equal(copy, view) and copy.untyped_storage().nbytes() == view.nbytes
