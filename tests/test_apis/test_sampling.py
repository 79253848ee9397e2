import torch

from dcgan_mm.apis import sample

from .tiny import tiny_model


def test_the_same_seed_gives_the_same_images_and_z_for_any_batch_size():
    model = tiny_model()
    images, z = sample(model, 10, seed=5)
    again, z_again = sample(model, 10, seed=5, batch_size=3)
    assert torch.equal(z, z_again) and torch.allclose(images, again, atol=1e-4)
    assert images.shape == (10, 1, 16, 16) and z.shape == (10, 8) and images.dtype == torch.float32
    assert not torch.equal(z, sample(model, 10, seed=6)[1])


def test_images_are_the_decoded_z_in_0_255_and_optionally_uint8():
    model = tiny_model()
    images, z = sample(model, 4, seed=1)
    assert torch.allclose(images, model.generate(z), atol=1e-4)
    assert images.min() >= 0 and images.max() <= 255
    as_uint8, _ = sample(model, 4, seed=1, to_uint8=True)
    assert as_uint8.dtype == torch.uint8 and (as_uint8.float() - images).abs().max() <= 0.5


def test_sampling_leaves_the_global_rng_and_the_model_alone():
    model = tiny_model().train()
    state = torch.random.get_rng_state()
    running_mean = model.generator.noise2feat.bn.running_mean.clone()
    sample(model, 6, seed=0)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert model.training and torch.equal(model.generator.noise2feat.bn.running_mean, running_mean)
