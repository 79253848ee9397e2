import numpy as np
import pytest
import scipy.ndimage
import torch
import torch.nn.functional as F

from dcgan_mm.evaluation.functional import (
    laplacian_pyramid,
    pyr_down,
    pyr_up,
    pyramid_level,
    swd_resolutions,
    to_swd_input,
)
from tests.test_evaluation.reference import REFERENCE, images_for

KERNEL = torch.tensor([[1, 4, 6, 4, 1], [4, 16, 24, 16, 4], [6, 24, 36, 24, 6], [4, 16, 24, 16, 4],
                       [1, 4, 6, 4, 1]], dtype=torch.float32) / 256.0


def _conv_per_channel(images, stride):
    """OpenMMLab's formulation: one zero-padded conv2d per channel."""
    weight = KERNEL.view(1, 1, 5, 5)
    return torch.cat([F.conv2d(images[:, i:i + 1], weight, padding=2, stride=stride)
                      for i in range(images.shape[1])], dim=1)


@pytest.mark.parametrize('which', ['real', 'fake'])
def test_levels_match_openmmlab(which):
    spec = REFERENCE['pyramid'][which]
    frozen = next(entry for entry in REFERENCE['pyramid']['levels'] if entry['set'] == which)['levels']
    levels = laplacian_pyramid(to_swd_input(images_for(spec)), len(frozen))
    for level, ref in zip(levels, frozen):
        assert list(level.shape) == ref['shape']
        assert float(level.double().sum()) == pytest.approx(ref['sum'], abs=1e-3)
        assert float(level.double().abs().sum()) == pytest.approx(ref['abs_sum'], rel=1e-6)
        torch.testing.assert_close(level[0, 1, :4, :4], torch.tensor(ref['corner']), atol=1e-6, rtol=0)
        torch.testing.assert_close(level[1, 2, 6:10, 6:10], torch.tensor(ref['centre']), atol=1e-6, rtol=0)


def test_openmmlab_down_and_up_equal_the_convolutions():
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(pyr_down(x), _conv_per_channel(x, 2), atol=1e-6, rtol=0)
    torch.testing.assert_close(pyr_up(x), _conv_per_channel(F.interpolate(x, scale_factor=2), 1), atol=1e-6, rtol=0)


def test_pggan_down_and_up_equal_the_original_scipy_code():
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    kernel = KERNEL.numpy()[None, None]
    down = scipy.ndimage.convolve(x.numpy(), kernel, mode='mirror')[:, :, ::2, ::2]
    sparse = np.zeros((2, 3, 64, 64), np.float32)
    sparse[:, :, ::2, ::2] = x.numpy()
    up = scipy.ndimage.convolve(sparse, kernel * 4.0, mode='mirror')
    torch.testing.assert_close(pyr_down(x, 'pggan'), torch.from_numpy(down), atol=1e-6, rtol=0)
    torch.testing.assert_close(pyr_up(x, 'pggan'), torch.from_numpy(up), atol=1e-6, rtol=0)


@pytest.mark.parametrize('pyramid', ['openmmlab', 'pggan'])
def test_pyramid_reconstructs_the_image(pyramid):
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    levels = laplacian_pyramid(x, 3, pyramid)
    image = levels[-1]
    for band in reversed(levels[:-1]):
        image = band + pyr_up(image, pyramid)
    torch.testing.assert_close(image, x, atol=1e-5, rtol=0)


@pytest.mark.parametrize('pyramid', ['openmmlab', 'pggan'])
def test_single_level_equals_the_full_pyramid(pyramid):
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    levels = laplacian_pyramid(x, 3, pyramid)
    for index, level in enumerate(levels):
        torch.testing.assert_close(pyramid_level(x, index, 3, pyramid), level)


def test_resolutions():
    assert swd_resolutions(64) == [64, 32, 16]
    assert swd_resolutions(32) == [32, 16]
    assert swd_resolutions(128) == [128, 64, 32, 16]
    assert swd_resolutions(256) == [256, 128, 64, 32]  # OpenMMLab's four-level cap
    assert swd_resolutions(256, 'pggan') == [256, 128, 64, 32, 16]
    assert swd_resolutions(8) == []


def test_unknown_pyramid_lists_the_valid_ones():
    with pytest.raises(ValueError, match='openmmlab, pggan'):
        swd_resolutions(64, 'opencv')
    with pytest.raises(ValueError, match='level must be'):
        pyramid_level(torch.zeros(1, 3, 16, 16), 1, 1)
