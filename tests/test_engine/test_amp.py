"""Mixed precision for the two-optimizer model: bf16 autocast on CPU, fp16 with a loss scaler per optimizer."""
import subprocess
import sys

import pytest
import torch
from mmengine import MessageHub
from mmengine.optim import OptimWrapperDict
from mmengine.registry import DefaultScope

from dcgan_mm.checkpoint.serialization import safe_load
from dcgan_mm.cli.config import load_config
from dcgan_mm.cli.config_check import check_config
from dcgan_mm.engine.amp import AutocastOptimWrapper
from dcgan_mm.engine.optimizers import MultiOptimWrapperConstructor
from dcgan_mm.errors import ConfigError
from dcgan_mm.registry import MODELS
from tests.conftest import REPO_ROOT, build_runner

TINY_MODEL = dict(
    type='DCGAN',
    noise_size=8,
    generator=dict(type='DCGANGenerator', output_scale=16, base_channels=16),
    discriminator=dict(type='DCGANDiscriminator', input_scale=16, base_channels=8),
)
BF16 = dict(type='AutocastOptimWrapper', dtype='bfloat16')
ADAM = dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))
DEMO = 'configs/dcgan_demo_digits-32x32.py'
NO_EVAL = {key: None for key in ('val_cfg', 'val_dataloader', 'val_evaluator',
                                 'test_cfg', 'test_dataloader', 'test_evaluator')}
TINY = {'model.generator.base_channels': 16, 'model.discriminator.base_channels': 8,
        'train_dataloader.batch_size': 8, 'default_hooks.logger.interval': 1, **NO_EVAL}


@pytest.fixture(autouse=True)
def fresh_iteration():
    MessageHub.get_current_instance().update_info('iter', 0)
    yield
    MessageHub.get_current_instance().update_info('iter', 0)


def bf16_wrappers(model) -> OptimWrapperDict:
    """Built as the Runner builds them: our constructor, the wrapper named by ``type``, in our scope."""
    constructor = MultiOptimWrapperConstructor(
        dict(generator=dict(**BF16, optimizer=ADAM), discriminator=dict(**BF16, optimizer=ADAM)))
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        return constructor(model)


def real_batch(n=4, size=16, channels=3):
    return {'inputs': torch.randint(0, 256, (n, channels, size, size), dtype=torch.uint8)}


def record_output_dtypes(module: torch.nn.Module) -> list[torch.dtype]:
    dtypes = []
    module.register_forward_hook(lambda _module, _inputs, output: dtypes.append(output.dtype))
    return dtypes


def test_bf16_train_step_runs_both_networks_under_autocast_and_moves_both():
    torch.manual_seed(0)
    model = MODELS.build(TINY_MODEL)
    wrappers = bf16_wrappers(model)
    assert all(isinstance(wrapper, AutocastOptimWrapper) for wrapper in wrappers.values())
    d_conv = record_output_dtypes(model.discriminator.downsamples[0].conv)
    g_conv = record_output_dtypes(model.generator.output_layer.conv)
    g_before = [p.detach().clone() for p in model.generator.parameters()]
    d_before = [p.detach().clone() for p in model.discriminator.parameters()]

    log_vars = model.train_step(real_batch(), wrappers)

    # D runs on reals, on fakes (D step) and on fakes again (G step); G in both steps.
    assert d_conv == [torch.bfloat16] * 3 and g_conv == [torch.bfloat16] * 2
    assert set(log_vars) == {'loss_disc', 'loss_disc_real', 'loss_disc_fake', 'loss_gen'}
    assert all(torch.isfinite(value) for value in log_vars.values())
    assert all(not torch.equal(old, new) for old, new in zip(g_before, model.generator.parameters()))
    assert all(not torch.equal(old, new) for old, new in zip(d_before, model.discriminator.parameters()))
    # Weights and optimizer state (built from the gradients) stay float32.
    assert {p.dtype for p in model.parameters()} == {torch.float32}
    adam_state = wrappers['generator'].optimizer.state.values()
    assert {state['exp_avg'].dtype for state in adam_state} == {torch.float32}


def test_images_for_sample_grids_and_metrics_stay_float32_in_0_255():
    model = MODELS.build(TINY_MODEL)
    wrappers = bf16_wrappers(model)
    model.train_step(real_batch(), wrappers)
    conv = record_output_dtypes(model.generator.output_layer.conv)
    images = model.generate(torch.randn(4, 8))  # what SampleGridHook and the evaluation loop call
    assert conv == [torch.float32]  # outside the optim context: no autocast left behind
    assert images.dtype == torch.float32 and images.shape == (4, 3, 16, 16)
    assert 0 <= images.min() and images.max() <= 255


def test_float16_without_a_loss_scaler_and_unknown_dtypes_are_refused():
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
    with pytest.raises(ConfigError, match="float16 gradients underflow.*type='AmpOptimWrapper'"):
        AutocastOptimWrapper(optimizer, dtype='float16')
    with pytest.raises(ConfigError, match="dtype must be one of \\('bfloat16',\\), got 'int8'"):
        AutocastOptimWrapper(optimizer, dtype='int8')


def test_config_check_knows_the_wrapper_and_its_arguments():
    cfg = load_config(str(REPO_ROOT / DEMO), {'optim_wrapper.generator.type': 'AutocastOptimWrapper',
                                               'optim_wrapper.generator.dtype': 'bfloat16'})
    check_config(cfg)
    cfg.optim_wrapper.generator.dtyp = 'bfloat16'
    with pytest.raises(ConfigError, match="optim_wrapper.generator.dtyp: AutocastOptimWrapper has no argument "
                                          "'dtyp'. Did you mean 'dtype'?"):
        check_config(cfg)


def test_state_dict_is_the_optimizers_and_a_float16_runs_loss_scaler_is_dropped_on_load(tmp_path):
    model = MODELS.build(TINY_MODEL)
    wrappers = bf16_wrappers(model)
    model.train_step(real_batch(), wrappers)
    state = wrappers.state_dict()
    assert set(state['generator']) == {'state', 'param_groups'}
    # As AmpOptimWrapper saves it: the optimizer's state plus its GradScaler's.
    scaler = torch.amp.GradScaler('cpu', init_scale=1024.0)
    fp16_state = {**state['generator'], 'loss_scaler': scaler.state_dict()}
    path = tmp_path / 'checkpoint.pth'
    torch.save({'optimizer': {'generator': fp16_state, 'discriminator': state['discriminator']}}, path)
    loaded = safe_load(str(path))  # weights_only=True accepts a GradScaler's state (floats and ints)
    assert loaded['optimizer']['generator']['loss_scaler']['scale'] == 1024.0

    fresh = bf16_wrappers(MODELS.build(TINY_MODEL))
    fresh.load_state_dict(loaded['optimizer'])
    exp_avg = fresh['generator'].optimizer.state_dict()['state'][0]['exp_avg']
    torch.testing.assert_close(exp_avg, state['generator']['state'][0]['exp_avg'])


def run(work_dir, max_iters, resume=False):
    cfg = load_config(str(REPO_ROOT / DEMO), {
        **TINY, 'train_cfg.max_iters': max_iters, 'default_hooks.checkpoint.interval': 2,
        'optim_wrapper.generator.type': 'AutocastOptimWrapper', 'optim_wrapper.discriminator.type':
        'AutocastOptimWrapper'})
    cfg.work_dir, cfg.resume = str(work_dir), resume
    runner = build_runner(cfg)
    runner.train()
    return runner


def test_a_config_selects_the_wrapper_and_a_resumed_bf16_run_ends_with_the_same_weights(tmp_path):
    straight = run(tmp_path / 'straight', max_iters=4)
    assert isinstance(straight.optim_wrapper['discriminator'], AutocastOptimWrapper)
    run(tmp_path / 'resumed', max_iters=2)
    resumed = run(tmp_path / 'resumed', max_iters=4, resume=True)
    expected, actual = straight.model.state_dict(), resumed.model.state_dict()
    for key in expected:
        assert torch.equal(expected[key], actual[key]), key


def train(*args):
    return subprocess.run([sys.executable, 'tools/train.py', DEMO, *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=240)


def cfg_options(**extra) -> list[str]:
    options = {**TINY, **extra}
    return ['--cfg-options', *(f'{key}={value}' for key, value in options.items())]


@pytest.mark.skipif(torch.cuda.is_available(), reason='fp16 runs where CUDA is available')
def test_amp_fp16_on_a_cpu_exits_1_with_the_message_and_no_traceback(tmp_path):
    result = train('--work-dir', str(tmp_path / 'work'), '--amp', 'fp16', *cfg_options())
    assert result.returncode == 1
    assert '--amp fp16 needs a CUDA GPU' in result.stderr and 'Traceback' not in result.stderr
    assert not (tmp_path / 'work').exists()


def test_amp_bf16_through_train_py_trains_checkpoints_and_resumes(tmp_path):
    work_dir = tmp_path / 'work'
    first = train('--work-dir', str(work_dir), '--amp', 'bf16',
                  *cfg_options(**{'train_cfg.max_iters': 2, 'default_hooks.checkpoint.interval': 2}))
    assert first.returncode == 0, first.stderr[-3000:]
    checkpoint = safe_load(str(work_dir / 'iter_2.pth'))
    assert set(checkpoint['optimizer']) == {'generator', 'discriminator'}
    assert "type='AutocastOptimWrapper'" in (work_dir / 'dcgan_demo_digits-32x32.py').read_text()
    assert (work_dir / 'samples' / 'iter_2.png').is_file()  # the sample grid hook drew outside autocast

    resumed = train('--work-dir', str(work_dir), '--amp', 'bf16', '--resume',
                    *cfg_options(**{'train_cfg.max_iters': 3, 'default_hooks.checkpoint.interval': 3}))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'resumed epoch: 0, iter: 2' in resumed.stdout + resumed.stderr
    assert safe_load(str(work_dir / 'iter_3.pth'))['meta']['iter'] == 3
