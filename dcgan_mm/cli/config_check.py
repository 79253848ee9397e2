"""Check a config before anything is built: every ``type``, argument name and simple value type.

mmengine would find most of these mistakes only when it builds the component,
minutes into a run (the val loop is built after the first checkpoint) and
with a message that does not name the config key. Here each becomes one
:class:`ConfigError` that names the key and what is expected. For training, the
train loop must also be the one that owns resuming (:func:`check_train_loop`).
"""
import fnmatch
import inspect
import typing

from dcgan_mm import registry as registries
from dcgan_mm.engine.loops import ResumableIterBasedTrainLoop
from dcgan_mm.errors import ConfigError
from dcgan_mm.utils import did_you_mean

# Config paths (dotted, list items as '*') whose dicts are built from a registry.
REGISTRY_OF_PATH = (
    ('model', registries.MODELS), ('model.*', registries.MODELS),
    ('*_dataloader.dataset', registries.DATASETS), ('*_dataloader.dataset.pipeline.*', registries.TRANSFORMS),
    ('*_dataloader.sampler', registries.DATA_SAMPLERS),
    ('*_evaluator.metrics.*', registries.METRICS), ('*_evaluator.metrics', registries.METRICS),
    ('default_hooks.*', registries.HOOKS), ('custom_hooks.*', registries.HOOKS),
    ('optim_wrapper.*.optimizer', registries.OPTIMIZERS), ('optim_wrapper.*', registries.OPTIM_WRAPPERS),
    ('train_cfg', registries.LOOPS), ('val_cfg', registries.LOOPS), ('test_cfg', registries.LOOPS),
    ('param_scheduler', registries.PARAM_SCHEDULERS), ('param_scheduler.*', registries.PARAM_SCHEDULERS),
)
# Values every run needs, with the type they must have.
REQUIRED_INTEGERS = ('train_dataloader.batch_size', 'train_cfg.max_iters')
SIMPLE_TYPES = (bool, int, float, str)


def check_config(cfg, training: bool = False) -> None:
    """Raise :class:`ConfigError` for the first problem found in ``cfg`` (a Config or a dict).

    Args:
        cfg: The merged config.
        training: The config is about to train (tools/train.py), so its train loop
            is checked too; a test run never builds the train loop.
    """
    cfg = cfg.to_dict() if hasattr(cfg, 'to_dict') else cfg
    for key in REQUIRED_INTEGERS:
        value = lookup(cfg, key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ConfigError(f'{key} must be a positive integer, got {value!r}')
    for path, node in walk(cfg):
        registry = registry_for(path)
        if registry is not None and isinstance(node, dict) and isinstance(node.get('type'), str):
            check_component(path, node, registry)
    if training:
        check_train_loop(cfg)


def check_train_loop(cfg: dict) -> None:
    """Refuse a train loop that does not own resuming.

    :class:`~dcgan_mm.engine.loops.ResumableIterBasedTrainLoop` (or a subclass) is what
    makes every checkpoint safe to load, atomic and exactly resumable on any number of
    processes; with mmengine's loops none of that happens, and no warning would say so.
    """
    train_cfg = cfg.get('train_cfg')
    if not isinstance(train_cfg, dict):
        return  # no training configured: mmengine's Runner.train says so itself
    loop = train_cfg.get('type')
    cls = registries.LOOPS.get(loop) if isinstance(loop, str) else loop
    if inspect.isclass(cls) and issubclass(cls, ResumableIterBasedTrainLoop):
        return
    given = f'{loop!r}' if isinstance(loop, str) else getattr(loop, '__name__', None) or \
        "not given (mmengine's default loop)"
    raise ConfigError(f"train_cfg.type: {given} does not own resuming: its checkpoints would miss every rank's "
                      'RNG state and the atomic write, and --resume would replay every batch seen. Use '
                      f"type='{ResumableIterBasedTrainLoop.__name__}' (same arguments, plus val_at_end).")


def walk(node, path: str = ''):
    """Yield (dotted path, value) for every dict and list item, depth first."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        child = f'{path}.{key}' if path else str(key)
        yield child, value
        yield from walk(value, child)


def registry_for(path: str):
    pattern_path = '.'.join('*' if part.isdigit() else part for part in path.split('.'))
    for pattern, registry in REGISTRY_OF_PATH:
        if fnmatch.fnmatchcase(pattern_path, pattern) and pattern.count('.') == pattern_path.count('.'):
            return registry
    return None


def check_component(path: str, cfg: dict, registry) -> None:
    try:
        cls = registry.get(cfg['type'])
    except KeyError as error:
        raise ConfigError(f'{path}.type: {error.args[0]}') from None
    if cls is None or not inspect.isclass(cls):
        return
    parameters = inspect.signature(cls.__init__).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    accepted = [name for name in parameters if name != 'self']
    for key in cfg:
        if key in ('type', '_scope_'):
            continue
        if key not in parameters:
            hint = did_you_mean(key, accepted, n=1)
            raise ConfigError(f"{path}.{key}: {cls.__name__} has no argument '{key}'.{hint} "
                              f'It accepts: {", ".join(accepted)}.')
        if cls.__module__.startswith('dcgan_mm'):
            check_value_type(f'{path}.{key}', cfg[key], parameters[key].annotation, cls)


def check_value_type(path: str, value, annotation, cls) -> None:
    """Check values against plain annotations (int, float, bool, str, X | None)."""
    if annotation is inspect.Parameter.empty or isinstance(annotation, str):
        return
    allowed = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, _union_type()) \
        else (annotation,)
    if not all(kind in (*SIMPLE_TYPES, type(None)) for kind in allowed):
        return
    if value is None and type(None) in allowed:
        return
    ok = isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed)
    if float in allowed and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        names = ' or '.join('None' if kind is type(None) else kind.__name__ for kind in allowed)
        raise ConfigError(f'{path}: {cls.__name__} expects {names}, got {value!r} ({type(value).__name__})')


def _union_type():
    import types
    return types.UnionType


def lookup(cfg, dotted: str):
    node = cfg
    for part in dotted.split('.'):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
