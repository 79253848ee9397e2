"""Registries of dcgan_mm: children of mmengine's roots, scope ``dcgan_mm``.

A config with ``default_scope='dcgan_mm'`` builds every component below
without manual imports: ``locations`` names the modules that register them.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

from dcgan_mm.utils.names import did_you_mean


class StrictRegistry(Registry):
    """A registry whose unknown names fail loudly, listing the valid ones.

    mmengine's ``build_from_cfg`` switches to this registry (the default
    scope) and calls :meth:`get`, so the error surfaces at start-up, before
    any training, with the registry, the bad name and every valid name.
    """

    def get(self, key: str):
        found = super().get(key)
        if found is None and isinstance(key, str) and '.' not in key:
            raise KeyError(self.unknown_name_message(key))
        return found

    def available_names(self) -> list[str]:
        """Every name this registry resolves: its own and its ancestors'."""
        self.import_from_location()
        names, registry = set(), self
        while registry is not None:
            names.update(registry.module_dict)
            registry = registry.parent
        return sorted(names)

    def unknown_name_message(self, key: str) -> str:
        names = self.available_names()
        return (f"'{key}' is not a registered {self.name} in scope "
                f"'{self.scope}'.{did_you_mean(key, names)} Valid names: {', '.join(names)}.")


# Generators, discriminators, GAN models, losses and data preprocessors.
MODELS = StrictRegistry('model', parent=MMENGINE_MODELS, scope='dcgan_mm', locations=['dcgan_mm.models'])
# Image datasets (folders, lmdb, idx files, packed arrays).
DATASETS = StrictRegistry('dataset', parent=MMENGINE_DATASETS, scope='dcgan_mm', locations=['dcgan_mm.datasets'])
# Data pipeline transforms; mmcv's (LoadImageFromFile, Resize, ...) come from the root.
TRANSFORMS = StrictRegistry('transform', parent=MMENGINE_TRANSFORMS, scope='dcgan_mm',
                            locations=['dcgan_mm.datasets.transforms'])
# Samplers that make resuming instant.
DATA_SAMPLERS = StrictRegistry('data sampler', parent=MMENGINE_DATA_SAMPLERS, scope='dcgan_mm',
                               locations=['dcgan_mm.datasets.samplers'])
# Sample quality metrics (SWD, MS-SSIM).
METRICS = StrictRegistry('metric', parent=MMENGINE_METRICS, scope='dcgan_mm', locations=['dcgan_mm.evaluation'])
# Training loop that resumes instantly; generative evaluation loops used by val and test.
LOOPS = StrictRegistry('loop', parent=MMENGINE_LOOPS, scope='dcgan_mm',
                       locations=['dcgan_mm.engine', 'dcgan_mm.evaluation'])
# Training hooks (sample grids, ...).
HOOKS = StrictRegistry('hook', parent=MMENGINE_HOOKS, scope='dcgan_mm', locations=['dcgan_mm.engine'])
# Builds one optimizer wrapper per sub-network (generator, discriminator).
OPTIM_WRAPPER_CONSTRUCTORS = StrictRegistry('optimizer wrapper constructor',
                                            parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS, scope='dcgan_mm',
                                            locations=['dcgan_mm.engine'])
# DDP wrappers; the Runner looks them up by scoped name ('dcgan_mm.SeparateDistributedDataParallel').
MODEL_WRAPPERS = StrictRegistry('model_wrapper', parent=MMENGINE_MODEL_WRAPPERS, scope='dcgan_mm',
                                locations=['dcgan_mm.engine'])
# Optimizers: mmengine's and torch's, found through the root.
OPTIMIZERS = StrictRegistry('optimizer', parent=MMENGINE_OPTIMIZERS, scope='dcgan_mm')
# Optimizer wrappers: mmengine's (OptimWrapper, AmpOptimWrapper) and bfloat16 autocast without a loss scaler.
OPTIM_WRAPPERS = StrictRegistry('optim_wrapper', parent=MMENGINE_OPTIM_WRAPPERS, scope='dcgan_mm',
                                locations=['dcgan_mm.engine'])
# Learning-rate and momentum schedulers: mmengine's, found through the root.
PARAM_SCHEDULERS = StrictRegistry('parameter scheduler', parent=MMENGINE_PARAM_SCHEDULERS, scope='dcgan_mm')
# Visualization backends: mmengine's, and its MLflow backend with images kept per step.
VISBACKENDS = Registry('vis_backend', parent=MMENGINE_VISBACKENDS, scope='dcgan_mm', locations=['dcgan_mm.engine'])

# Nodes with nothing of their own, so the dcgan_mm scope resolves everywhere the Runner builds (without one,
# mmengine warns that it fell back to its root, as it did for the evaluator of every val and test run).
EVALUATOR = Registry('evaluator', parent=MMENGINE_EVALUATOR, scope='dcgan_mm')
RUNNERS = Registry('runner', parent=MMENGINE_RUNNERS, scope='dcgan_mm')
WEIGHT_INITIALIZERS = Registry('weight initializer', parent=MMENGINE_WEIGHT_INITIALIZERS, scope='dcgan_mm')
LOG_PROCESSORS = Registry('log_processor', parent=MMENGINE_LOG_PROCESSORS, scope='dcgan_mm')
VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS, scope='dcgan_mm')
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS, scope='dcgan_mm')
