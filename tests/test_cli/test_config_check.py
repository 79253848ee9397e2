import pytest

from dcgan_mm.cli.config import load_config
from dcgan_mm.cli.config_check import check_config
from dcgan_mm.errors import ConfigError
from tests.conftest import REPO_ROOT

DEMO = str(REPO_ROOT / 'configs' / 'dcgan_demo_digits-32x32.py')


@pytest.mark.parametrize('options, message', [
    ({'model.generator.base_channel': 64},
     "model.generator.base_channel: DCGANGenerator has no argument 'base_channel'. Did you mean 'base_channels'?"),
    ({'train_dataloader.batch_size': '64'}, "train_dataloader.batch_size must be a positive integer, got '64'"),
    ({'train_cfg.max_iters': 0}, 'train_cfg.max_iters must be a positive integer, got 0'),
    ({'model.generator.output_scale': '32'}, "model.generator.output_scale: DCGANGenerator expects int, got '32'"),
    ({'model.loss.loss_weight': 'heavy'}, "model.loss.loss_weight: VanillaGANLoss expects float, got 'heavy'"),
    ({'optim_wrapper.generator.optimizer.type': 'Adamm'},
     "optim_wrapper.generator.optimizer.type: 'Adamm' is not a registered optimizer"),
    ({'default_hooks.sample_grid.intervl': 3}, "Did you mean 'interval'?"),
    ({'train_dataloader.dataset.pipeline.0.scal': (8, 8)},
     "train_dataloader.dataset.pipeline.0.scal: Resize has no argument 'scal'"),
    ({'model.discriminator.type': 'Discriminator'},
     "model.discriminator.type: 'Discriminator' is not a registered model"),
])
def test_each_mistake_names_the_key_and_what_is_expected(options, message):
    with pytest.raises(ConfigError) as error:
        check_config(load_config(DEMO, options))
    assert message in str(error.value)


def test_every_shipped_config_passes():
    for path in sorted((REPO_ROOT / 'configs').glob('*.py')):
        check_config(load_config(str(path)))


def test_float_arguments_accept_integers_and_optional_ones_accept_none():
    check_config(load_config(DEMO, {'model.loss.loss_weight': 2, 'model.generator.norm_cfg': None}))


@pytest.mark.parametrize('loop, named', [('IterBasedTrainLoop', "'IterBasedTrainLoop'"),
                                         ('mmengine.IterBasedTrainLoop', "'mmengine.IterBasedTrainLoop'"),
                                         (None, "not given (mmengine's default loop)")])
def test_training_refuses_a_train_loop_that_does_not_own_resuming(loop, named):
    cfg = load_config(DEMO)
    cfg.train_cfg.pop('type') if loop is None else cfg.train_cfg.update(type=loop)
    check_config(cfg)  # testing a checkpoint never builds the train loop
    with pytest.raises(ConfigError) as error:
        check_config(cfg, training=True)
    assert str(error.value).startswith(f'train_cfg.type: {named} does not own resuming')
    assert "Use type='ResumableIterBasedTrainLoop'" in str(error.value)


def test_training_accepts_the_resumable_loop_and_its_subclasses():
    from dcgan_mm.engine.loops import ResumableIterBasedTrainLoop

    class MyLoop(ResumableIterBasedTrainLoop):
        pass

    check_config(load_config(DEMO), training=True)
    cfg = load_config(DEMO)
    cfg.train_cfg.type = MyLoop
    check_config(cfg, training=True)
