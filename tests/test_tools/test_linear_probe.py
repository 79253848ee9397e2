"""tools/linear_probe.py end to end on a tiny checkpoint and a subset of the digits."""
import json
import subprocess
import sys

from tests.conftest import REPO_ROOT
from tests.test_apis.tiny import TINY_FEATURE_SIZE, write_tiny


def probe(*args, timeout=180):
    return subprocess.run([sys.executable, 'tools/linear_probe.py', *map(str, args)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_reports_the_three_accuracies_as_json_and_a_summary(tmp_path):
    config, checkpoint = write_tiny(tmp_path)
    out = tmp_path / 'probe.json'
    result = probe(config, checkpoint, '--num-train', 150, '--num-test', 100, '--C', 0.01, '--out', out)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report['dataset'] == 'digits' and report['num_train'] == 150 and report['num_test'] == 100
    assert report['image_shape'] == [1, 16, 16]
    results = report['results']
    assert set(results) == {'trained_discriminator', 'raw_pixels', 'random_discriminator'}
    assert results['trained_discriminator']['feature_size'] == TINY_FEATURE_SIZE
    assert results['raw_pixels']['feature_size'] == 256
    # Ten classes: anything linear on these images is far above chance.
    assert all(0.5 < value['accuracy'] <= 1 for value in results.values())
    assert 'trained D features' in result.stdout and 'raw pixels' in result.stdout


def test_cifar10_without_its_files_is_a_clear_error(tmp_path):
    config, checkpoint = write_tiny(tmp_path)
    result = probe(config, checkpoint, '--dataset', 'cifar10', '--data-root', tmp_path / 'nowhere')
    assert result.returncode == 1
    assert 'cifar-10-python.tar.gz' in result.stderr and 'Traceback' not in result.stderr
