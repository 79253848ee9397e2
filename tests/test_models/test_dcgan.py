import pytest
import torch
from mmengine import MessageHub
from mmengine.optim import OptimWrapper, OptimWrapperDict

from dcgan_mm.registry import MODELS

TINY_MODEL = dict(
    type='DCGAN',
    noise_size=8,
    generator=dict(type='DCGANGenerator', output_scale=16, base_channels=16),
    discriminator=dict(type='DCGANDiscriminator', input_scale=16, base_channels=8),
)
LOG_KEYS = {'loss_disc', 'loss_disc_real', 'loss_disc_fake', 'loss_gen'}


def optim_wrappers(model, lr=2e-4):
    return OptimWrapperDict(
        generator=OptimWrapper(torch.optim.Adam(model.generator.parameters(), lr=lr, betas=(0.5, 0.999))),
        discriminator=OptimWrapper(torch.optim.Adam(model.discriminator.parameters(), lr=lr, betas=(0.5, 0.999))),
    )


def real_batch(n=4, size=16, channels=3):
    return {'inputs': torch.randint(0, 256, (n, channels, size, size), dtype=torch.uint8)}


def snapshot(module):
    return [p.detach().clone() for p in module.parameters()]


def moved(before, module):
    return all(not torch.equal(old, new) for old, new in zip(before, module.parameters()))


@pytest.fixture(autouse=True)
def fresh_iteration():
    MessageHub.get_current_instance().update_info('iter', 0)
    yield
    MessageHub.get_current_instance().update_info('iter', 0)


def test_train_step_moves_both_networks_and_logs_exactly_the_losses():
    torch.manual_seed(0)
    model = MODELS.build(TINY_MODEL)
    g_before, d_before = snapshot(model.generator), snapshot(model.discriminator)
    log_vars = model.train_step(real_batch(), optim_wrappers(model))
    assert set(log_vars) == LOG_KEYS
    assert all(value.dim() == 0 and not value.requires_grad for value in log_vars.values())
    assert moved(g_before, model.generator)
    assert moved(d_before, model.discriminator)
    torch.testing.assert_close(log_vars['loss_disc'], log_vars['loss_disc_real'] + log_vars['loss_disc_fake'])


def test_generator_step_leaves_no_gradient_on_the_discriminator():
    model = MODELS.build(TINY_MODEL)
    model.train_step(real_batch(), optim_wrappers(model))
    assert all(p.grad is None for p in model.discriminator.parameters())
    assert all(p.requires_grad for p in model.discriminator.parameters())


def test_discriminator_steps_update_the_generator_every_nth_iteration():
    model = MODELS.build({**TINY_MODEL, 'discriminator_steps': 2})
    wrappers = optim_wrappers(model)
    hub = MessageHub.get_current_instance()
    hub.update_info('iter', 1)
    g_before = snapshot(model.generator)
    log_vars = model.train_step(real_batch(), wrappers)
    assert set(log_vars) == LOG_KEYS - {'loss_gen'}
    assert all(torch.equal(a, b) for a, b in zip(g_before, model.generator.parameters()))
    hub.update_info('iter', 2)
    assert set(model.train_step(real_batch(), wrappers)) == LOG_KEYS


def test_ema_generator_follows_the_generator():
    model = MODELS.build({**TINY_MODEL, 'ema_config': dict(momentum=0.5)})
    wrappers = optim_wrappers(model)
    model.train_step(real_batch(), wrappers)  # the first update copies the weights
    first = model.generator.output_layer.conv.weight.detach().clone()
    model.train_step(real_batch(), wrappers)
    second = model.generator.output_layer.conv.weight.detach()
    ema_weight = model.generator_ema.module.output_layer.conv.weight
    torch.testing.assert_close(ema_weight, 0.5 * first + 0.5 * second)
    assert model.generate(torch.randn(2, 8), sample_model='ema').shape == (2, 3, 16, 16)


def test_generate_gives_rgb_images_in_0_255():
    model = MODELS.build(TINY_MODEL).eval()
    images = model.generate(torch.randn(3, 8))
    assert images.shape == (3, 3, 16, 16) and images.dtype == torch.float32
    assert images.min() >= 0 and images.max() <= 255


def test_bgr_generator_is_flipped_to_rgb_on_output():
    rgb_model = MODELS.build(TINY_MODEL).eval()
    bgr_model = MODELS.build({**TINY_MODEL, 'channel_order': 'bgr'}).eval()
    bgr_model.load_state_dict(rgb_model.state_dict())
    noise = torch.randn(2, 8)
    torch.testing.assert_close(bgr_model.generate(noise), rgb_model.generate(noise).flip(1))


def test_training_with_bgr_channel_order_feeds_bgr_to_the_discriminator():
    model = MODELS.build({**TINY_MODEL, 'channel_order': 'bgr'})
    red = torch.zeros(4, 3, 16, 16, dtype=torch.uint8)
    red[:, 0] = 255  # RGB, as every dataset delivers
    seen = []
    model.discriminator.register_forward_pre_hook(lambda module, args: seen.append(args[0].detach().clone()))
    model.train_step({'inputs': red}, optim_wrappers(model))
    real = seen[0]  # the discriminator sees the real batch first
    assert torch.all(real[:, 2] == 1) and torch.all(real[:, :2] == -1)  # red is the last channel in BGR


def test_sample_model_ema_without_ema_is_a_clear_error():
    model = MODELS.build(TINY_MODEL)
    with pytest.raises(ValueError, match='ema_config'):
        model.generate(torch.randn(1, 8), sample_model='ema')


def test_noise_is_drawn_on_the_model_device_with_the_configured_size():
    model = MODELS.build(TINY_MODEL)
    noise = model.noise(5)
    assert noise.shape == (5, 8) and noise.device == model.device


def test_model_noise_size_reaches_the_generator():
    config = {**TINY_MODEL, 'noise_size': 12}
    assert MODELS.build(config).generator.noise_size == 12


@pytest.mark.parametrize('change, key', [
    (dict(discriminator=dict(type='DCGANDiscriminator', input_scale=32, base_channels=8)), 'input_scale'),
    (dict(discriminator=dict(type='DCGANDiscriminator', input_scale=16, in_channels=1, base_channels=8)),
     'in_channels'),
    (dict(noise_size=8, generator=dict(type='DCGANGenerator', output_scale=16, base_channels=16, noise_size=4)),
     'noise_size'),
])
def test_incompatible_networks_fail_at_build_naming_the_key(change, key):
    with pytest.raises(ValueError, match=key):
        MODELS.build({**TINY_MODEL, **change})


def test_val_step_generates_a_batch_of_the_inputs_size():
    model = MODELS.build(TINY_MODEL).eval()
    assert model.val_step(real_batch(n=3)).shape == (3, 3, 16, 16)


def test_channels_last_trains_the_same_model_up_to_rounding():
    torch.manual_seed(0)
    plain = MODELS.build(TINY_MODEL)
    fast = MODELS.build({**TINY_MODEL, 'channels_last': True})
    fast.load_state_dict(plain.state_dict())
    assert fast.generator.upsampling[0].conv.weight.is_contiguous(memory_format=torch.channels_last)
    batch = real_batch()
    for model in (plain, fast):
        torch.manual_seed(1)
        model.train_step(batch, optim_wrappers(model))
    for key, value in plain.state_dict().items():
        torch.testing.assert_close(fast.state_dict()[key], value, rtol=1e-4, atol=1e-5)


def test_compiled_networks_keep_the_checkpoint_layout():
    # Compilation happens lazily at the first forward; the module tree must not change.
    compiled = MODELS.build({**TINY_MODEL, 'compile_cfg': dict()})
    assert list(compiled.state_dict()) == list(MODELS.build(TINY_MODEL).state_dict())
