import pytest

from dcgan_mm.registry import DATASETS, METRICS, MODELS


def test_unknown_model_name_lists_the_valid_ones_and_a_suggestion():
    with pytest.raises(KeyError) as error:
        MODELS.build(dict(type='DCGANGenerater', output_scale=64))
    message = error.value.args[0]
    assert "'DCGANGenerater' is not a registered model in scope 'dcgan_mm'" in message
    assert "Did you mean 'DCGANGenerator'" in message
    for name in ('DCGAN', 'DCGANGenerator', 'DCGANDiscriminator', 'VanillaGANLoss'):
        assert name in message


def test_registered_names_of_the_design():
    for name in ('DCGAN', 'DCGANGenerator', 'DCGANDiscriminator', 'GANDataPreprocessor'):
        assert MODELS.get(name) is not None
    assert DATASETS.get('ImageFolderDataset') is not None
    assert METRICS.get('SWD') is not None and METRICS.get('MS_SSIM') is not None


def test_mmcv_transforms_resolve_in_the_dcgan_mm_scope():
    from dcgan_mm.registry import TRANSFORMS
    assert TRANSFORMS.get('LoadImageFromFile').__module__.startswith('mmcv')
    assert TRANSFORMS.get('PackGANInputs').__module__.startswith('dcgan_mm')


@pytest.mark.parametrize('name', ['EVALUATOR', 'LOG_PROCESSORS', 'LOOPS', 'HOOKS', 'METRICS', 'MODELS', 'DATASETS',
                                  'DATA_SAMPLERS', 'TRANSFORMS', 'FUNCTIONS', 'MODEL_WRAPPERS', 'OPTIMIZERS',
                                  'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'PARAM_SCHEDULERS',
                                  'WEIGHT_INITIALIZERS', 'VISUALIZERS', 'VISBACKENDS', 'RUNNERS'])
def test_every_registry_the_runner_builds_from_switches_to_the_dcgan_mm_scope(name):
    """mmengine falls back to its root, with a warning, where a scope has no node of its own."""
    import mmengine.registry
    from mmengine.registry import DefaultScope

    import dcgan_mm.registry  # noqa: F401  (adds the nodes)
    root = getattr(mmengine.registry, name)
    with DefaultScope.overwrite_default_scope('dcgan_mm'), root.switch_scope_and_registry('dcgan_mm') as registry:
        assert registry.scope == 'dcgan_mm' and registry.parent is root
