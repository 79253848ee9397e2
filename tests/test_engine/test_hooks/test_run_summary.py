"""The run summary: at the end of a tiny run, and on SIGTERM (with the dashboards flushed before the exit)."""
import json
import re
import signal

import pytest

from dcgan_mm.checkpoint.serialization import safe_load
from tests.test_cli.test_vis import tiny_run
from tests.test_engine.test_fault_tolerance import start_training, wait_for_line


def summary_of(output: str) -> str:
    return output[output.index('Run summary'):]


def test_a_finished_run_ends_with_iterations_speed_best_metric_and_where_things_are(tmp_path):
    work_dir = tmp_path / 'work'
    summary = summary_of(tiny_run(work_dir).stdout)
    assert re.search(r'iterations: +4 of 4\n', summary)
    per_iter, per_image = map(float, re.search(r'([\d.]+) it/s, ([\d.]+) images/s', summary).groups())
    assert per_image == pytest.approx(per_iter * 8, rel=0.02, abs=0.1)  # batch_size=8, one process
    best = json.loads((work_dir / 'metrics.json').read_text())['swd/avg']
    assert re.search(rf'best swd/avg: +{best:.4f} in {re.escape(str(work_dir / "best_swd_avg_iter_4.pth"))}\n', summary)
    assert f'latest: {work_dir / "iter_4.pth"}' in summary
    assert re.search(rf'samples: +{re.escape(str(work_dir / "samples"))}\n', summary)
    assert f'plot_curve {work_dir}' in summary
    assert 'tensorboard' not in summary  # not asked for


def test_sigterm_prints_the_summary_and_flushes_tensorboard_before_exiting(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    work_dir = tmp_path / 'work'
    process = start_training(work_dir, 'train_cfg.max_iters=100000', 'default_hooks.checkpoint.interval=100000',
                             '--vis', 'tensorboard')
    wait_for_line(process, 'Iter(train)', times=3)
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 128 + signal.SIGTERM, output[-2000:]
    stopped_at = safe_load((work_dir / 'last_checkpoint').read_text().strip())['meta']['iter']
    assert re.search(rf'iterations: +{stopped_at} of 100000 \(stopped early\)', summary_of(output))
    (event_file,) = work_dir.glob('*/vis_data/events.out.tfevents.*')
    events = EventAccumulator(str(event_file), size_guidance={'scalars': 0})
    events.Reload()
    assert events.Scalars('loss_gen')[-1].step == stopped_at  # the last interval reached the file
