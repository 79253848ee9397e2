# DCGAN on LSUN-Bedroom at 64x64, batch 128 on one GPU, 1.5M iterations (about 5 epochs)
# (OpenMMLab model zoo: MS-SSIM 0.2095, SWD 42.79/34.55/98.46, avg 58.6).
_base_ = [
    '_base_/models/dcgan_64x64.py',
    '_base_/datasets/unconditional_imgs_64x64.py',
    '_base_/default_runtime.py',
]

data_root = 'data/lsun/images/bedroom_train'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))

train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=1500002, val_begin=1, val_interval=10000)

optim_wrapper = dict(
    generator=dict(optimizer=dict(type='Adam', lr=0.0002, betas=(0.5, 0.999))),
    discriminator=dict(optimizer=dict(type='Adam', lr=0.0002, betas=(0.5, 0.999))),
)

default_hooks = dict(checkpoint=dict(interval=100000))

metrics = [
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=10000, sample_model='orig'),
    dict(type='SWD', prefix='swd', fake_nums=16384, image_shape=(3, 64, 64), sample_model='orig'),
]
val_evaluator = dict(metrics=metrics)
# FID-50k on NVIDIA's Inception-v3 (the StyleGAN protocol) against a seeded 50k subset of the 3M
# bedrooms, at test time only:
# 50k Inception passes at 299 px are too slow for every validation (docs/model_zoo.md). The real side is
# computed once and cached under $DCGAN_MM_HOME/fid_stats.
fid = dict(type='FrechetInceptionDistance', prefix='FID-50k', fake_nums=50000, real_nums=50000, sample_model='orig')
test_evaluator = dict(metrics=metrics + [fid])
