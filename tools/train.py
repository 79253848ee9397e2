"""Train a model from a config: python tools/train.py CONFIG [options]."""
import argparse
import os.path as osp

from mmengine.config import DictAction
from mmengine.runner import Runner

from dcgan_mm.checkpoint import find_resume_checkpoint, install_safe_loading
from dcgan_mm.cli.amp import AMP_PRECISIONS, enable_amp
from dcgan_mm.cli.config import default_work_dir, load_config
from dcgan_mm.cli.config_check import check_config
from dcgan_mm.cli.dist import backend_for_this_node, end_process_group, init_process_group_early
from dcgan_mm.cli.entry import run_cli
from dcgan_mm.cli.vis import VIS_BACKENDS, apply_vis_backends


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a DCGAN from a config file.')
    parser.add_argument('config', help='config file, e.g. configs/dcgan_1xb128-300kiters_celeba-cropped-64.py')
    parser.add_argument('--work-dir', help='where logs, checkpoints and samples go (default: work_dirs/CONFIG)')
    parser.add_argument('--resume', nargs='?', const='auto', default=None, metavar='CKPT',
                        help='resume from CKPT, or from the latest checkpoint in the work dir when no CKPT is given')
    parser.add_argument('--amp', nargs='?', const='auto', default=None, choices=AMP_PRECISIONS, metavar='{fp16,bf16}',
                        help='mixed-precision training, one optimizer wrapper per network: fp16 (CUDA only, with '
                             'a dynamic loss scaler each) or bf16 (CPU or GPU, no scaler needed); '
                             '--amp alone means fp16 on CUDA, bf16 on a CPU')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the learning rates by (processes x batch size) / auto_scale_lr.base_batch_size')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, metavar='KEY=VALUE',
                        help='override config values, e.g. train_cfg.max_iters=1000 train_dataloader.batch_size=64')
    parser.add_argument('--vis', action='append', choices=list(VIS_BACKENDS), metavar='NAME',
                        help=f'one of {", ".join(VIS_BACKENDS)}: where losses, metrics and sample grids also go '
                             "(repeatable; replaces the config's vis_backends; the local scalars.json is always "
                             'written); see docs/watching.md')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'], default='none',
                        help='job launcher (tools/dist_train.sh and tools/slurm_train.sh set this)')
    parser.add_argument('--dry-run', action='store_true', help='print the merged config and exit')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


def build_config(args: argparse.Namespace):
    cfg = load_config(args.config, args.cfg_options)
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or default_work_dir(args.config)
    cfg.launcher = args.launcher
    if args.resume == 'auto':  # None when the work dir holds no checkpoint: mmengine then starts from scratch
        cfg.resume, cfg.load_from = True, find_resume_checkpoint(cfg.work_dir)
    elif args.resume:
        cfg.resume, cfg.load_from = True, args.resume
    if args.amp:
        enable_amp(cfg, args.amp)
    if args.auto_scale_lr:
        cfg.auto_scale_lr = dict(cfg.get('auto_scale_lr') or {}, enable=True)
        cfg.auto_scale_lr.setdefault('base_batch_size', 128)
    if args.launcher != 'none':
        dist_cfg = cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
        dist_cfg['backend'] = backend_for_this_node(dist_cfg.get('backend', 'nccl'))
    apply_vis_backends(cfg, args.vis)
    return cfg


def main() -> None:
    args = parse_args()

    def train() -> None:
        cfg = build_config(args)
        if args.dry_run:
            print(cfg.pretty_text)
        check_config(cfg, training=True)
        if args.dry_run:
            return
        init_process_group_early(cfg.launcher, cfg.env_cfg.dist_cfg.backend)
        install_safe_loading()
        runner = Runner.from_cfg(cfg)
        runner.train()
        runner.logger.info(f'Done. Work dir: {osp.abspath(cfg.work_dir)}')
        end_process_group()

    run_cli(train, args.debug)


if __name__ == '__main__':
    main()
