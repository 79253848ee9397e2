"""The explorer's logic without a page: every image is what dcgan_mm.apis decodes for the same z."""
import pytest
import torch

from dcgan_mm.apis import arithmetic, decode, interpolate, sample
from dcgan_mm.errors import DataError
from dcgan_mm.explore import WALK, Explorer, Selection, parse_seed, to_uint8
from tests.test_apis.tiny import tiny_model


@pytest.fixture
def explorer():
    return Explorer(tiny_model(), num_samples=12, nrow=4, batch_size=5)


@pytest.fixture
def drawn(explorer):
    selection = Selection()
    explorer.draw(selection, seed=7)
    return selection


def test_draw_is_the_apis_sample_of_the_seed(explorer):
    selection = Selection(groups={'A': [1], 'B': [], 'C': []}, endpoints=[2])
    result = explorer.draw(selection, seed=7)
    images, z = sample(explorer.model, 12, seed=7, to_uint8=True)
    assert torch.equal(result.images, images) and torch.equal(result.z, z) and result.nrow == 4
    assert selection.seed == 7 and torch.equal(selection.z, z)
    assert selection.groups == {'A': [], 'B': [], 'C': []} and selection.endpoints == []  # a new grid, new picks


def test_clicks_toggle_group_membership_and_keep_the_last_two_walk_endpoints(drawn):
    for index in (3, 5, 3, 8):
        drawn.toggle(index, 'B')
    for index in (1, 2, 1, 9):
        drawn.toggle(index, WALK)
    assert drawn.groups['B'] == [5, 8] and drawn.endpoints == [1, 9]
    assert drawn.describe() == 'A: - | B: 5, 8 | C: - | walk: 1 -> 9'


@pytest.mark.parametrize('index,target,message', [(12, 'A', 'Draw samples first'), (0, 'D', "got 'D'")])
def test_a_bad_click_is_a_data_error(drawn, index, target, message):
    with pytest.raises(DataError, match=message):
        drawn.toggle(index, target)


def test_group_means_decode_the_mean_z_of_each_non_empty_group(explorer, drawn):
    drawn.groups = {'A': [0, 4, 6], 'B': [], 'C': [2]}
    means = explorer.group_means(drawn)
    assert sorted(means) == ['A', 'C']
    expected = to_uint8(decode(explorer.model, drawn.z[[0, 4, 6]].mean(0, keepdim=True)))
    assert torch.equal(means['A'].images, expected)
    assert torch.equal(means['C'].images, to_uint8(decode(explorer.model, drawn.z[2:3])))


def test_combine_is_apis_arithmetic_with_the_result_in_the_centre(explorer, drawn):
    drawn.groups = {'A': [0, 1, 2], 'B': [3, 4], 'C': [5]}
    result = explorer.combine(drawn, num_variations=8, noise_scale=0.3)
    images, z = arithmetic(explorer.model, [drawn.z[[0, 1, 2]], drawn.z[[3, 4]], drawn.z[[5]]], [1, -1, 1],
                           num_variations=8, noise_scale=0.3, seed=7)
    order = [1, 2, 3, 4, 0, 5, 6, 7, 8]
    assert torch.equal(result.z, z[order]) and torch.equal(result.images, to_uint8(images)[order])
    assert result.nrow == 3
    assert torch.allclose(result.z[4], drawn.z[:3].mean(0) - drawn.z[3:5].mean(0) + drawn.z[5], atol=1e-6)


def test_combine_names_the_empty_group(explorer, drawn):
    drawn.groups = {'A': [0], 'B': [], 'C': [5]}
    with pytest.raises(DataError, match='Group B is empty'):
        explorer.combine(drawn)


@pytest.mark.parametrize('mode', ['linear', 'slerp'])
def test_walk_is_apis_interpolate_between_the_picked_samples(explorer, drawn, mode):
    drawn.endpoints = [9, 2]
    result = explorer.walk(drawn, steps=5, mode=mode)
    images, z = interpolate(explorer.model, drawn.z[9], drawn.z[2], steps=5, mode=mode)
    assert torch.equal(result.images, to_uint8(images)) and torch.equal(result.z, z) and result.nrow == 5


def test_walk_needs_two_endpoints(explorer, drawn):
    drawn.endpoints = [3]
    with pytest.raises(DataError, match='Pick two samples'):
        explorer.walk(drawn)


@pytest.mark.parametrize('text,seed', [('0', 0), (' 42 ', 42), (17, 17), (str(2**63 - 1), 2**63 - 1)])
def test_parse_seed_reads_whole_numbers(text, seed):
    assert parse_seed(text) == seed


@pytest.mark.parametrize('text', ['abc', '-1', '1.5', '', None, str(2**63)])
def test_parse_seed_refuses_anything_else(text):
    with pytest.raises(DataError, match='whole number from 0 to'):
        parse_seed(text)
