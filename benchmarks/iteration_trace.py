"""Which project files and classes one training iteration runs through (a readability measure).

    python benchmarks/iteration_trace.py [CONFIG] [--iteration 3]

Trains the config's model (tiny sizes) with tools/train.py's own set-up and records, with
``sys.setprofile``, every function of this repository called while iteration N runs: fetching
its batch, ``run_iter`` (the train step and every ``*_train_iter`` hook). Prints the files on the path of
the training step (``train_step`` and what calls it), all files of the iteration, and the classes.
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TINY = {'model.generator.base_channels': 16, 'model.discriminator.base_channels': 8,
        'train_dataloader.batch_size': 8, 'default_hooks.logger.interval': 1,
        **{key: None for key in ('val_cfg', 'val_dataloader', 'val_evaluator', 'test_cfg', 'test_dataloader',
                                 'test_evaluator')}}


def trace_iteration(config: str, iteration: int, work_dir: str) -> tuple[list[str], list[str], list[str]]:
    from mmengine.hooks import Hook
    from mmengine.runner import Runner

    from dcgan_mm.checkpoint import install_safe_loading
    from dcgan_mm.cli.config import load_config

    files, classes, step_files = set(), set(), set()

    def profile(frame, event, arg):
        if event != 'call':
            return
        path = frame.f_code.co_filename
        if path.startswith(str(ROOT)) and 'benchmarks' not in path:
            files.add(str(Path(path).relative_to(ROOT)))
            if in_train_step(frame):
                step_files.add(str(Path(path).relative_to(ROOT)))
            owner = frame.f_locals.get('self')
            if owner is not None and type(owner).__module__.startswith(('dcgan_mm', 'tools')):
                classes.add(f'{type(owner).__module__}.{type(owner).__name__}')

    class Tracer(Hook):
        """Runs last in each iteration: starts recording after iteration N-1, stops after iteration N."""

        priority = 'LOWEST'

        def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
            done = runner.iter + 1
            if done == iteration - 1:
                sys.setprofile(profile)
            elif done == iteration:
                sys.setprofile(None)

    # A mid-run iteration: no checkpoint, sample grid or validation at it.
    cfg = load_config(config, {**TINY, 'train_cfg.max_iters': iteration + 2,
                               'default_hooks.checkpoint.interval': 10**6})
    cfg.work_dir = work_dir
    cfg.custom_hooks = []
    install_safe_loading()
    runner = Runner.from_cfg(cfg)
    runner.register_hook(Tracer())
    runner.train()
    entry = {'tools/train.py', 'dcgan_mm/engine/loops.py'}  # the entry point and the loop that calls the step
    return sorted(files | entry), sorted(classes), sorted(step_files | entry)


def in_train_step(frame) -> bool:
    """Whether ``frame`` runs inside a ``train_step`` call (the model's update of both networks)."""
    while frame is not None:
        if frame.f_code.co_name == 'train_step':
            return True
        frame = frame.f_back
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', nargs='?', default=str(ROOT / 'configs' / 'dcgan_demo_digits-32x32.py'))
    parser.add_argument('--iteration', type=int, default=3)
    parser.add_argument('--work-dir', default='work_dirs/iteration_trace')
    args = parser.parse_args()
    files, classes, step_files = trace_iteration(args.config, args.iteration, args.work_dir)
    print(f'{len(step_files)} project files on the path of the training step:', *step_files, sep='\n  ')
    print(f'{len(files)} project files in the whole iteration (batch fetch, step, hooks):', *files, sep='\n  ')
    print(f'{len(classes)} project classes:', *classes, sep='\n  ')


if __name__ == '__main__':
    main()
