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
def test_decode_image_matches_opencv(extension):
    content = encode(smooth_images(1)[0], extension)
    expected = cv2.imdecode(np.frombuffer(content, np.uint8), cv2.IMREAD_COLOR)
    np.testing.assert_array_equal(decode_image(content), expected)
    np.testing.assert_array_equal(decode_image(content, channel_order='rgb'), expected[:, :, ::-1])
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
