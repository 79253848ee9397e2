"""LoadImage: decodes files and bytes, and handles a corrupt image in one place."""
import cv2
import numpy as np
import pytest

from dcgan_mm.datasets.transforms import LoadImage, decode_image, loading
from dcgan_mm.errors import DataError
from tests.test_datasets.tiny_data import encode, smooth_images


@pytest.fixture
def warnings_logged(monkeypatch) -> list[str]:
    messages = []
    monkeypatch.setattr(loading, 'print_log', lambda message, **kwargs: messages.append(message))
    return messages


@pytest.mark.parametrize('extension', ['.png', '.jpg', '.webp'])
def test_decode_image_matches_opencv_in_rgb_by_default(extension):
    content = encode(smooth_images(1)[0], extension)
    expected = cv2.imdecode(np.frombuffer(content, np.uint8), cv2.IMREAD_COLOR)
    assert not np.array_equal(expected, expected[:, :, ::-1])  # the two orders are told apart
    np.testing.assert_array_equal(decode_image(content), expected[:, :, ::-1])
    np.testing.assert_array_equal(decode_image(content, channel_order='rgb'), expected[:, :, ::-1])
    np.testing.assert_array_equal(decode_image(content, channel_order='bgr'), expected)
    assert decode_image(content, color_type='grayscale').shape == (16, 16)


@pytest.mark.parametrize('extension', ['.png', '.jpg', '.webp'])
def test_decode_image_refuses_truncated_and_empty_files(extension):
    content = encode(smooth_images(1, size=48)[0], extension)
    with pytest.raises(ValueError):
        decode_image(content[:len(content) - 3])
    with pytest.raises(ValueError):
        decode_image(b'')
    with pytest.raises(ValueError):
        decode_image(b'not an image at all')


def test_load_image_reads_a_file_and_bytes_alike(tmp_path):
    content = encode(smooth_images(1)[0], '.png')
    (tmp_path / 'a.png').write_bytes(content)
    from_file = LoadImage()({'img_path': str(tmp_path / 'a.png')})
    from_bytes = LoadImage()({'img_bytes': content, 'img_path': 'db/key'})
    np.testing.assert_array_equal(from_file['img'], from_bytes['img'])
    assert from_file['img_shape'] == from_file['ori_shape'] == (16, 16)
    assert 'img_bytes' not in from_bytes  # the encoded copy is not carried along the pipeline


def test_corrupt_image_is_skipped_with_one_warning_naming_it_and_the_count(tmp_path, warnings_logged):
    good = encode(smooth_images(1)[0], '.jpg')
    (tmp_path / 'bad.jpg').write_bytes(good[:len(good) // 2])
    (tmp_path / 'empty.png').write_bytes(b'')
    transform = LoadImage()
    assert transform({'img_path': str(tmp_path / 'bad.jpg')}) is None
    assert transform({'img_path': str(tmp_path / 'bad.jpg')}) is None  # seen again: no second warning
    assert transform({'img_path': str(tmp_path / 'empty.png')}) is None
    assert transform({'img_path': str(tmp_path / 'missing.png')}) is None
    assert transform({'img_bytes': None, 'img_path': 'db/absent-key'}) is None
    assert len(warnings_logged) == 4
    assert str(tmp_path / 'bad.jpg') in warnings_logged[0] and '1 skipped' in warnings_logged[0]
    assert str(tmp_path / 'empty.png') in warnings_logged[1] and '2 skipped' in warnings_logged[1]
    assert 'db/absent-key' in warnings_logged[3] and '4 skipped' in warnings_logged[3]


def test_corrupt_image_fails_with_a_data_error_when_asked(tmp_path):
    (tmp_path / 'bad.png').write_bytes(b'\x89PNG garbage')
    with pytest.raises(DataError, match='bad.png'):
        LoadImage(on_corrupt='fail')({'img_path': str(tmp_path / 'bad.png')})
    with pytest.raises(ValueError, match='on_corrupt'):
        LoadImage(on_corrupt='ignore')


def write_mixed_folder(folder) -> dict[str, np.ndarray]:
    """A grayscale PNG, an RGBA PNG and an RGB JPEG (16x16, 24x20, 20x16) in one folder; returns what was written."""
    folder.mkdir()
    images = {'gray.png': smooth_images(1, 16, channels=1)[0],
              'rgba.png': np.concatenate([smooth_images(1, 24, seed=1)[0, :, 2:22],
                                          np.full((24, 20, 1), 40, np.uint8)], axis=2),
              'rgb.jpg': smooth_images(1, 20, seed=2)[0, :, 2:18]}
    for name, image in images.items():
        cv2.imwrite(str(folder / name), image)
    return images


def mixed_batch(folder, color_type: str):
    from mmcv.transforms import Resize
    from torch.utils.data import default_collate

    from dcgan_mm.datasets import ImageFolderDataset, PackGANInputs
    pipeline = [LoadImage(color_type=color_type), Resize(scale=(16, 16), keep_ratio=False, interpolation='bilinear'),
                PackGANInputs()]
    dataset = ImageFolderDataset(data_root=str(folder), pipeline=pipeline)
    samples = [dataset[index]['inputs'] for index in range(len(dataset))]
    return samples, default_collate([{'inputs': sample} for sample in samples])


@pytest.mark.parametrize('color_type,channels', [('color', 3), ('grayscale', 1)])
def test_a_folder_of_mixed_channel_counts_gives_the_configs_count_and_trains(tmp_path, color_type, channels):
    import torch
    from mmengine.optim import OptimWrapper, OptimWrapperDict

    from dcgan_mm.registry import MODELS
    write_mixed_folder(tmp_path / 'mixed')
    samples, batch = mixed_batch(tmp_path / 'mixed', color_type)
    assert [tuple(sample.shape) for sample in samples] == [(channels, 16, 16)] * 3
    assert batch['inputs'].shape == (3, channels, 16, 16) and batch['inputs'].dtype == torch.uint8

    torch.manual_seed(0)
    model = MODELS.build(dict(type='DCGAN', noise_size=8,
                              generator=dict(type='DCGANGenerator', output_scale=16, out_channels=channels,
                                             base_channels=16),
                              discriminator=dict(type='DCGANDiscriminator', input_scale=16, in_channels=channels,
                                                 base_channels=8)))
    wrappers = OptimWrapperDict(**{name: OptimWrapper(torch.optim.Adam(getattr(model, name).parameters()))
                                   for name in ('generator', 'discriminator')})
    log_vars = model.train_step(batch, wrappers)
    assert all(torch.isfinite(value) for value in log_vars.values())


def test_colour_loading_repeats_gray_and_drops_alpha_and_grayscale_loading_takes_luma(tmp_path):
    written = write_mixed_folder(tmp_path / 'mixed')
    color = LoadImage(color_type='color')
    gray = color({'img_path': str(tmp_path / 'mixed' / 'gray.png')})['img']
    np.testing.assert_array_equal(gray, np.repeat(written['gray.png'][:, :, None], 3, axis=2))
    rgba = color({'img_path': str(tmp_path / 'mixed' / 'rgba.png')})['img']
    np.testing.assert_array_equal(rgba, written['rgba.png'][:, :, 2::-1])  # cv2 wrote BGRA: RGB, alpha dropped
    luma = LoadImage(color_type='grayscale')({'img_path': str(tmp_path / 'mixed' / 'rgba.png')})['img']
    expected = cv2.cvtColor(written['rgba.png'][:, :, :3], cv2.COLOR_BGR2GRAY)
    assert luma.shape == (24, 20) and np.abs(luma.astype(int) - expected).max() <= 1  # libpng rounds its own way


def test_unchanged_channel_counts_are_refused():
    from dcgan_mm.errors import ConfigError
    with pytest.raises(ConfigError, match="color_type must be one of .*got 'unchanged'.*batches of mixed files"):
        LoadImage(color_type='unchanged')
