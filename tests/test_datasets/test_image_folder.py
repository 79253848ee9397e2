"""ImageFolderDataset with LoadImage: listing, corrupt files, clear start-up errors."""
import pytest
import torch
from mmengine.registry import DefaultScope

from dcgan_mm.datasets.transforms import loading
from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS
from tests.conftest import write_images

PIPELINE = [dict(type='LoadImage'), dict(type='Resize', scale=(8, 8), keep_ratio=False), dict(type='PackGANInputs')]


def build(root, pipeline=PIPELINE, **kwargs):
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        return DATASETS.build(dict(type='ImageFolderDataset', data_root=str(root), pipeline=pipeline, **kwargs))


def test_every_sample_of_a_folder_with_a_corrupt_image_is_a_real_image(tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr(loading, 'print_log', lambda message, **kwargs: messages.append(message))
    write_images(tmp_path, 3)
    write_images(tmp_path / 'jpg', 2, extension='.jpg', seed=1)
    content = (tmp_path / 'jpg' / '0000.jpg').read_bytes()
    (tmp_path / 'jpg' / 'truncated.jpg').write_bytes(content[:len(content) // 2])
    dataset = build(tmp_path)
    assert len(dataset) == 6  # listed at start-up; the corrupt one is found when loaded
    samples = [dataset[index]['inputs'] for index in range(len(dataset))]
    assert all(sample.shape == (3, 8, 8) and sample.dtype == torch.uint8 for sample in samples)
    assert len(messages) == 1 and 'truncated.jpg' in messages[0] and '1 skipped' in messages[0]


def test_a_corrupt_image_stops_the_run_with_on_corrupt_fail(tmp_path):
    write_images(tmp_path, 1)
    (tmp_path / 'broken.png').write_bytes(b'\x89PNG\r\n\x1a\n')
    dataset = build(tmp_path, pipeline=[dict(type='LoadImage', on_corrupt='fail'), dict(type='PackGANInputs')])
    with pytest.raises(DataError, match='broken.png'):
        dataset[1]  # sorted: 0000.png, broken.png


def test_an_empty_folder_or_one_without_images_fails_at_start_up(tmp_path):
    (tmp_path / 'empty').mkdir()
    with pytest.raises(DataError, match='holds no images.*docs/datasets.md'):
        build(tmp_path / 'empty')
    (tmp_path / 'notes').mkdir()
    (tmp_path / 'notes' / 'readme.txt').write_text('no images here')
    with pytest.raises(DataError, match='holds no images'):
        build(tmp_path / 'notes')
    with pytest.raises(DataError, match='does not exist.*docs/datasets.md'):
        build(tmp_path / 'missing')


def test_an_annotation_file_selects_a_subset(tmp_path):
    write_images(tmp_path / 'images', 4)
    (tmp_path / 'images' / 'list.txt').write_text('0001.png\n0003.png\n')
    dataset = build(tmp_path / 'images', ann_file='list.txt')
    assert [dataset.get_data_info(i)['img_path'].split('/')[-1] for i in range(len(dataset))] == \
        ['0001.png', '0003.png']
