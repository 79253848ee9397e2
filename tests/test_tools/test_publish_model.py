"""tools/publish_model.py on a real 2-iteration training checkpoint (with an averaged generator)."""
import hashlib
import importlib.util
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.logging import HistoryBuffer

from dcgan_mm.apis import init_model
from dcgan_mm.checkpoint.download import download_checkpoint, expected_hash
from dcgan_mm.errors import CheckpointError
from tests.conftest import REPO_ROOT

DEMO = 'configs/dcgan_demo_digits-32x32.py'
TINY = {'model.generator.base_channels': 16, 'model.discriminator.base_channels': 8, 'model.noise_size': 8,
        'model.ema_config': dict(momentum=0.5)}  # a large momentum: 2 steps move the average away

spec = importlib.util.spec_from_file_location('publish_model', REPO_ROOT / 'tools' / 'publish_model.py')
publish_model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(publish_model)


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """iter_2.pth of a tiny demo run: meta, state_dict, optimizer, message_hub, rng_state."""
    work_dir = tmp_path_factory.mktemp('train')
    options = [f'{key}={value}' for key, value in TINY.items() if key != 'model.ema_config']
    result = subprocess.run(
        [sys.executable, 'tools/train.py', DEMO, '--work-dir', str(work_dir), '--cfg-options', *options,
         'model.ema_config.momentum=0.5', 'train_dataloader.batch_size=8', 'train_cfg.max_iters=2',
         'train_cfg.val_begin=100', 'default_hooks.checkpoint.interval=2'],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    return work_dir / 'iter_2.pth'


def test_published_file_is_named_by_its_hash_and_keeps_only_meta_and_weights(trained, tmp_path):
    result = subprocess.run([sys.executable, 'tools/publish_model.py', str(trained), str(tmp_path / 'dcgan_tiny.pth')],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    path = result.stdout.strip()
    digest = hashlib.sha256(open(path, 'rb').read()).hexdigest()
    assert path == str(tmp_path / f'dcgan_tiny-{digest[:8]}.pth')
    assert [p.name for p in tmp_path.iterdir()] == [f'dcgan_tiny-{digest[:8]}.pth']  # nothing else left behind
    assert 'optimizer' in result.stderr and 'message_hub' in result.stderr

    original = torch.load(trained, weights_only=True)
    assert {'optimizer', 'message_hub', 'rng_state'} <= set(original)
    published = torch.load(path, weights_only=True)
    assert set(published) == {'meta', 'state_dict'}
    assert published['meta'] == original['meta'] and published['meta']['channel_order'] == 'rgb'
    assert published['state_dict'].keys() == original['state_dict'].keys()
    assert any(key.startswith('generator_ema.module.') for key in published['state_dict'])
    assert all(torch.equal(value, original['state_dict'][key]) for key, value in published['state_dict'].items())


def test_published_weights_generate_the_images_of_the_training_checkpoint(trained, tmp_path):
    path, dropped = publish_model.publish(str(trained), str(tmp_path / 'dcgan_tiny.pth'))
    assert dropped == ['message_hub', 'optimizer', 'rng_state']
    config = str(REPO_ROOT / DEMO)
    original, published = (init_model(config, checkpoint, cfg_options=TINY) for checkpoint in (str(trained), path))
    noise = torch.randn(4, 8, generator=torch.Generator().manual_seed(0))
    for sample_model in ('orig', 'ema'):
        torch.testing.assert_close(published.generate(noise, sample_model), original.generate(noise, sample_model),
                                   rtol=0, atol=0)
    # The averaged generator came from the file, not from a copy of the generator.
    assert not torch.equal(published.generate(noise, 'ema'), published.generate(noise, 'orig'))


def test_download_accepts_the_published_file(trained, tmp_path):
    path, _ = publish_model.publish(str(trained), str(tmp_path / 'out' / 'dcgan_tiny.pth'))
    name = osp.basename(path)
    assert re.fullmatch(r'dcgan_tiny-[0-9a-f]{8}\.pth', name) and expected_hash(name) == name[-12:-4]
    # urllib serves file:// URLs through the same download, temporary file and hash check as http.
    downloaded = download_checkpoint(f'file://{path}', str(tmp_path / 'cache'), progress=False)
    assert open(downloaded, 'rb').read() == open(path, 'rb').read()


def test_module_prefixes_are_removed_and_a_folder_as_out_keeps_the_input_name(tmp_path):
    source = tmp_path / 'ddp.pth'
    weight = torch.randn(3, 3)
    torch.save({'meta': {'iter': 7}, 'state_dict': {'module.generator.w': weight}, 'optimizer': {'lr': 1.0}}, source)
    (tmp_path / 'published').mkdir()
    path, dropped = publish_model.publish(str(source), str(tmp_path / 'published'))
    assert re.fullmatch(re.escape(str(tmp_path / 'published' / 'ddp-')) + r'[0-9a-f]{8}\.pth', path)
    published = torch.load(path, weights_only=True)
    assert published['meta'] == {'iter': 7} and torch.equal(published['state_dict']['generator.w'], weight)
    assert dropped == ['optimizer']


def test_unsafe_checkpoint_is_refused_unless_trusted(tmp_path, capsys):
    # plain mmengine pickles HistoryBuffers, which weights_only loading refuses
    source = tmp_path / 'mmengine.pth'
    torch.save({'meta': {'iter': 2}, 'state_dict': {'generator.w': torch.ones(2)},
                'message_hub': {'log_scalars': {'loss': HistoryBuffer([1.0], [1])}}}, source)
    with pytest.raises(SystemExit) as exit_info:
        publish_model.main([str(source), str(tmp_path / 'out.pth')])
    assert exit_info.value.code == 1
    assert 'Refused to load' in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ['mmengine.pth']

    publish_model.main([str(source), str(tmp_path / 'out.pth'), '--trust'])
    path = capsys.readouterr().out.strip()
    published = torch.load(path, weights_only=True)
    assert set(published) == {'meta', 'state_dict'} and torch.equal(published['state_dict']['generator.w'],
                                                                      torch.ones(2))


def test_file_without_weights_is_refused(tmp_path):
    source = tmp_path / 'not_a_model.pth'
    torch.save({'meta': {}, 'optimizer': {}}, source)
    with pytest.raises(CheckpointError, match='holds no state_dict of tensors'):
        publish_model.publish(str(source), str(tmp_path / 'out.pth'))


def test_trusted_meta_that_would_not_load_safely_is_refused(tmp_path):
    source = tmp_path / 'odd_meta.pth'
    torch.save({'meta': {'cfg': ConfigDict(lr=1.0)}, 'state_dict': {'generator.w': torch.ones(2)}}, source)
    with pytest.raises(CheckpointError, match=r"The meta of '.*odd_meta\.pth' holds objects that weights_only"):
        publish_model.publish(str(source), str(tmp_path / 'out.pth'), trust=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['odd_meta.pth']
