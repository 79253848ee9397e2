# DCGAN on CIFAR-10 at 32x32, batch 128 on one GPU, 200 epochs, as common reimplementations train it:
# Adam 2e-4 with betas (0.5, 0.999), z of 100 projected by a linear layer (the paper's "project and
# reshape"), BatchNorm + ReLU in the generator, LeakyReLU 0.2 in the discriminator.
_base_ = [
    '_base_/datasets/cifar10_32x32.py',
    '_base_/default_runtime.py',
]

model = dict(
    type='DCGAN',
    noise_size=100,
    data_preprocessor=dict(type='GANDataPreprocessor'),
    # state size. 100 -> 512 x 4 x 4 -> 256 x 8 x 8 -> 128 x 16 x 16 -> 3 x 32 x 32
    generator=dict(type='DCGANGenerator', output_scale=32, base_channels=512, noise_projection='linear'),
    # state size. 3 x 32 x 32 -> 128 x 16 x 16 -> 256 x 8 x 8 -> 512 x 4 x 4 -> 1
    discriminator=dict(type='DCGANDiscriminator', input_scale=32, base_channels=128,
                       act_cfg=dict(type='LeakyReLU', negative_slope=0.2)),
    loss=dict(type='VanillaGANLoss'),
)

# 200 epochs of ceil(50,000 / 128) = 391 iterations; evaluate and checkpoint every 10 epochs.
train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=78200, val_begin=1, val_interval=3910)

optim_wrapper = dict(
    generator=dict(optimizer=dict(type='Adam', lr=0.0002, betas=(0.5, 0.999))),
    discriminator=dict(optimizer=dict(type='Adam', lr=0.0002, betas=(0.5, 0.999))),
)

default_hooks = dict(checkpoint=dict(interval=3910), sample_grid=dict(interval=3910))

metrics = [
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=10000, sample_model='orig'),
    dict(type='SWD', prefix='swd', fake_nums=16384, image_shape=(3, 32, 32), sample_model='orig'),
]
val_evaluator = dict(metrics=metrics)
# FID-50k on NVIDIA's Inception-v3 (the StyleGAN protocol) against the whole dataset, at test time only:
# 50k Inception passes at 299 px are too slow for every validation (docs/model_zoo.md). The real side is
# computed once and cached under $DCGAN_MM_HOME/fid_stats.
fid = dict(type='FrechetInceptionDistance', prefix='FID-Full-50k', fake_nums=50000, real_nums=-1, sample_model='orig')
test_evaluator = dict(metrics=metrics + [fid])
