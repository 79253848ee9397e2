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
        # Write to a temporary file, fsync, rename: a kill or a full disk never leaves a
        # truncated checkpoint (mmengine writes `last_checkpoint` itself; when a kill leaves
        # it empty, `--resume` falls back to the newest iter_N.pth).
        backend_args=dict(backend='atomic_local'),
    ),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # NaN/Inf losses stop the run (or roll back) before a broken checkpoint is written.
    health=dict(type='TrainingHealthHook'),
    # SIGTERM/SIGINT (pre-emption, Ctrl-C): save a resumable checkpoint, then exit.
    preemption=dict(type='PreemptionHook'),
    # A grid of samples from fixed noise in work_dir/samples/ every `interval` iterations.
    sample_grid=dict(type='SampleGridHook', interval=5000, num_samples=64, nrow=8),
    # Each evaluation's metrics as JSON in work_dir/metrics.json and work_dir/metrics/.
    dump_metrics=dict(type='DumpMetricsHook'),
    # At the end (or on SIGTERM): iterations, wall time, images/s, best metric, where things are.
    run_summary=dict(type='RunSummaryHook'),
)

# Where scalars, metrics and sample grids go: backend dicts or the names of tools/train.py --vis
# ('local', 'tensorboard', 'wandb', 'mlflow'); the local one (vis_data/scalars.json) is always kept.
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)

optim_wrapper = dict(constructor='MultiOptimWrapperConstructor')
# Generator and discriminator are wrapped in DDP separately, as the two-optimizer step
# needs. BatchNorm statistics stay per process (broadcast_buffers=False): each rank
# normalises its own batch, as single-GPU training does; see docs/distributed.md.
model_wrapper_cfg = dict(type='dcgan_mm.SeparateDistributedDataParallel', broadcast_buffers=False,
                         find_unused_parameters=False)

val_cfg = dict(type='GenerativeEvalLoop')
test_cfg = dict(type='GenerativeEvalLoop')

# `tools/train.py --auto-scale-lr` multiplies the learning rates by
# (processes x train_dataloader.batch_size) / base_batch_size.
auto_scale_lr = dict(enable=False, base_batch_size=128)

load_from = None
resume = False
