# Runtime shared by every DCGAN config: iteration-based training, logging with ETA,
# checkpoints, sample grids, metrics as JSON.
default_scope = 'dcgan_mm'

randomness = dict(seed=2022, diff_rank_seed=True)  # each rank draws seed + rank
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),  # tools/train.py switches to gloo on nodes without CUDA
)

log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=100, by_epoch=False)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        interval=10000,
        by_epoch=False,
        max_keep_ckpts=20,
        save_best='swd/avg',
        rule='less',
    ),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
custom_hooks = [
    dict(type='SampleGridHook', interval=5000, num_samples=64, nrow=8),
    dict(type='DumpMetricsHook'),
]

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)

optim_wrapper = dict(constructor='MultiOptimWrapperConstructor')

val_cfg = dict(type='GenerativeEvalLoop')
test_cfg = dict(type='GenerativeEvalLoop')

load_from = None
resume = False
