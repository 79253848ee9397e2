# DCGAN on MNIST resized to 64x64 grayscale, batch 128, 5k iterations, G lr 4e-4 / D lr 1e-4
# (OpenMMLab model zoo: MS-SSIM 0.1395, SWD 21.16/4.4/8.41, avg 11.32).
_base_ = [
    '_base_/models/dcgan_64x64.py',
    '_base_/datasets/unconditional_imgs_64x64.py',
    '_base_/default_runtime.py',
]

model = dict(generator=dict(out_channels=1), discriminator=dict(in_channels=1))

data_root = 'data/mnist_64/train'
pipeline = [
    dict(type='LoadImage', color_type='grayscale'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False, interpolation='bilinear'),
    dict(type='PackGANInputs'),
]
train_dataloader = dict(dataset=dict(data_root=data_root, pipeline=pipeline))
val_dataloader = dict(dataset=dict(data_root=data_root, pipeline=pipeline))
test_dataloader = dict(dataset=dict(data_root=data_root, pipeline=pipeline))

train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=5000, val_begin=1, val_interval=500)

optim_wrapper = dict(
    generator=dict(optimizer=dict(type='Adam', lr=0.0004, betas=(0.5, 0.999))),
    discriminator=dict(optimizer=dict(type='Adam', lr=0.0001, betas=(0.5, 0.999))),
)

default_hooks = dict(checkpoint=dict(interval=500), sample_grid=dict(interval=500))

metrics = [
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=10000, sample_model='orig'),
    dict(type='SWD', prefix='swd', fake_nums=16384, image_shape=(1, 64, 64), sample_model='orig'),
]
val_evaluator = dict(metrics=metrics)
# FID-50k on NVIDIA's Inception-v3 (the StyleGAN protocol) against the whole dataset, at test time only:
# 50k Inception passes at 299 px are too slow for every validation (docs/model_zoo.md). The real side is
# computed once and cached under $DCGAN_MM_HOME/fid_stats.
fid = dict(type='FrechetInceptionDistance', prefix='FID-Full-50k', fake_nums=50000, real_nums=-1, sample_model='orig')
test_evaluator = dict(metrics=metrics + [fid])
