"""Where a run's curves and samples go: ``tools/train.py --vis NAME`` and the config's ``vis_backends``.

Each name maps to one of mmengine's visualization backends. The local backend
(``vis_data/scalars.json``, read by tools/analysis_tools/analyze_logs.py) is
always kept. W&B and MLflow default to offline, local stores, so a run on a
node without internet loses nothing and can be synced later (docs/watching.md).
"""
import importlib.util
import os
import os.path as osp

from dcgan_mm.errors import ConfigError

# The --vis names and the backend each one builds.
VIS_BACKENDS = {
    'local': 'LocalVisBackend',
    'tensorboard': 'TensorboardVisBackend',
    'wandb': 'WandbVisBackend',
    # mmengine's MLflow backend, keeping one sample grid per step (see dcgan_mm/engine/vis_backends.py).
    'mlflow': 'StepImageMLflowVisBackend',
}
# Backend types a config may name directly, and the module each one needs.
REQUIRED_MODULES = {
    'TensorboardVisBackend': 'tensorboard', 'WandbVisBackend': 'wandb', 'MLflowVisBackend': 'mlflow',
    'StepImageMLflowVisBackend': 'mlflow',
}
# What MLflow's backend uploads from the work dir when the run ends: logs and JSON, not
# its own store (which sits in the work dir too) nor the config it already logged.
MLFLOW_ARTIFACT_SUFFIXES = ('.json', '.log')


def backend_config(name: str, work_dir: str, run_name: str | None = None) -> dict:
    """The backend config for one ``--vis`` name.

    Args:
        name: One of :data:`VIS_BACKENDS` (``local``, ``tensorboard``, ``wandb``, ``mlflow``).
        work_dir: The run's work dir; MLflow's default local store goes there.
        run_name: Name of the run in W&B and MLflow (default: the work dir's name).

    Raises:
        ConfigError: The name is unknown.
    """
    if name not in VIS_BACKENDS:
        raise ConfigError(f"Unknown visualization backend '{name}'. Valid names: {', '.join(VIS_BACKENDS)}.")
    backend = dict(type=VIS_BACKENDS[name])
    run_name = run_name or osp.basename(osp.normpath(work_dir))
    if name == 'wandb':
        # Offline unless the user chose otherwise: `wandb sync` uploads the run folder later.
        backend['init_kwargs'] = dict(project='dcgan_mm', name=run_name, mode=os.environ.get('WANDB_MODE', 'offline'))
    elif name == 'mlflow':
        backend.update(exp_name='dcgan_mm', run_name=run_name, artifact_suffix=MLFLOW_ARTIFACT_SUFFIXES)
        backend.update(mlflow_store(work_dir))
    return backend


def mlflow_store(work_dir: str) -> dict:
    """MLFLOW_TRACKING_URI if set, else a local SQLite store with its artifacts, both in the work dir.

    MLflow 3 refuses ``file:`` stores unless MLFLOW_ALLOW_FILE_STORE=true; SQLite is its
    local default and needs no server.
    """
    if os.environ.get('MLFLOW_TRACKING_URI'):
        return dict(tracking_uri=os.environ['MLFLOW_TRACKING_URI'])
    root = osp.abspath(work_dir)
    return dict(tracking_uri=f'sqlite:///{osp.join(root, "mlflow.db")}',
                artifact_location=osp.join(root, 'mlartifacts'))


def resolve_vis_backends(backends: list, work_dir: str) -> list[dict]:
    """Backend configs from names and/or dicts, the local backend first and never twice.

    Args:
        backends: ``--vis`` names or a config's ``vis_backends`` (names or backend dicts).
        work_dir: The run's work dir.

    Raises:
        ConfigError: A name is unknown, or a backend's package is not installed.
    """
    resolved = [dict(type='LocalVisBackend')]
    for backend in backends:
        backend = backend_config(backend, work_dir) if isinstance(backend, str) else dict(backend)
        if backend not in resolved:
            resolved.append(backend)
    for backend in resolved:
        check_installed(backend['type'])
    return resolved


def check_installed(backend_type: str) -> None:
    """Stop at start-up, with the pip command, when a backend's package is missing."""
    backend_type = backend_type.split('.')[-1]
    module = REQUIRED_MODULES.get(backend_type)
    if module is None or importlib.util.find_spec(module) is not None:
        return
    # Each package is also the name of the setup.py extra that installs it.
    raise ConfigError(f"The {backend_type} visualization backend needs the '{module}' package, which is not "
                      f"installed. Install it with: pip install -e \".[{module}]\" (or pip install {module}).")


def apply_vis_backends(cfg, names: list[str] | None = None) -> None:
    """Set the visualizer's backends from ``--vis`` names, else from the config's ``vis_backends``.

    A config's own ``vis_backends`` does not reach the ``visualizer`` its base file
    built, so the two lists are merged and the result set in both places.

    Args:
        cfg: The merged config, with ``work_dir`` set.
        names: The ``--vis`` names; they replace the config's list when given.
    """
    visualizer = cfg.get('visualizer') or dict(type='Visualizer')
    chosen = names or [*(cfg.get('vis_backends') or []), *(visualizer.get('vis_backends') or [])]
    backends = resolve_vis_backends(chosen, cfg.work_dir)
    cfg.vis_backends = backends
    cfg.visualizer = dict(visualizer, vis_backends=backends)
