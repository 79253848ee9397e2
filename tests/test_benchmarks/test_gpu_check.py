"""benchmarks/gpu_check.sh --smoke: the CPU-possible parts of the GPU check run and give one JSON summary."""
import json
import subprocess

from tests.conftest import REPO_ROOT


def test_smoke_run_writes_a_summary_of_every_step(tmp_path):
    result = subprocess.run(['bash', 'benchmarks/gpu_check.sh', '--smoke', str(tmp_path)], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert json.loads(result.stdout.strip().splitlines()[-1]) == summary
    steps = {'train_fp32', 'train_bf16', 'train_channels_last', 'train_fastest', 'metrics', 'dist_train'}
    assert summary['smoke'] is True and summary['exit_codes'] == dict.fromkeys(steps, 0)
    for variant in ('fp32', 'bf16', 'channels_last', 'fastest'):
        report = summary[f'train_{variant}']
        assert report['iters'] == 2 and report['framework_s_per_iter'] > 0 and report['handwritten_s_per_iter'] > 0
    assert summary['train_bf16']['autocast'] != summary['train_fp32']['autocast']
    assert set(summary['metrics']['swd']) == {'64', '32', '16', 'avg'}
    assert (tmp_path / 'work_dist' / 'iter_4.pth').is_file()  # the dist_train.sh run trained and saved
