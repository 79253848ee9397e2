"""How many images per second a config's train dataloader delivers, with no model in the way."""
import copy
import time

from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from dcgan_mm.cli.config import load_config


def benchmark_data(config: str | Config, iters: int = 50, num_workers: int | None = None,
                   batch_size: int | None = None, warmup: int = 5, cfg_options: dict | None = None) -> dict:
    """Time ``iters`` batches of a config's ``train_dataloader`` (built as the Runner builds it).

    The first ``warmup`` batches are not timed: they include starting the
    worker processes and filling their prefetch queues, which a long run pays
    once. Batches are consumed and dropped, so the figure is the data
    pipeline's ceiling, the rate above which it can never hold training back.

    Args:
        config: Config file or loaded config.
        iters: Batches to time.
        num_workers: DataLoader worker processes (default: the config's).
        batch_size: Images per batch (default: the config's).
        warmup: Batches to load before timing.
        cfg_options: Overrides merged into the config, as ``--cfg-options`` does.

    Returns:
        ``images_per_s``, ``seconds``, ``images``, ``startup_s`` (building the dataset and the warm-up
        batches), ``batch_size`` and ``num_workers``.
    """
    cfg = load_config(config, cfg_options) if isinstance(config, str) else copy.deepcopy(config)
    if cfg_options and not isinstance(config, str):
        cfg.merge_from_dict(cfg_options)
    loader_cfg = copy.deepcopy(cfg.train_dataloader)
    if num_workers is not None:
        loader_cfg['num_workers'] = num_workers
    if batch_size is not None:
        loader_cfg['batch_size'] = batch_size
    loader_cfg['persistent_workers'] = False  # one iterator is all we need

    start = time.perf_counter()
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'dcgan_mm')):
        loader = Runner.build_dataloader(loader_cfg, seed=cfg.get('randomness', {}).get('seed', 0))
    batches = iter(loader)
    for _ in range(warmup):
        next(batches)
    startup = time.perf_counter() - start

    images, start = 0, time.perf_counter()
    for _ in range(iters):
        images += len(next(batches)['inputs'])
    seconds = time.perf_counter() - start
    del batches  # stops the workers
    return dict(images_per_s=images / seconds, seconds=seconds, images=images, startup_s=startup,
                batch_size=loader_cfg['batch_size'], num_workers=loader_cfg['num_workers'])
