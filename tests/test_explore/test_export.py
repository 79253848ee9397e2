"""Downloads from the page reproduce with tools/generate.py: the same PNG bytes from the saved z."""
import argparse
import importlib.util
import shlex

import pytest
import torch
from mmengine.config import DictAction

from dcgan_mm.apis import init_model
from dcgan_mm.explore import Explorer, Selection, save_result
from dcgan_mm.explore.export import ModelSource, arithmetic_command, decode_command, format_option, samples_command
from tests.conftest import REPO_ROOT
from tests.test_apis.tiny import tiny_model, write_tiny

spec = importlib.util.spec_from_file_location('generate_tool', REPO_ROOT / 'tools' / 'generate.py')
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


@pytest.fixture
def setup(tmp_path):
    config, checkpoint = write_tiny(tmp_path / 'model')
    explorer = Explorer(tiny_model(), num_samples=9, nrow=3)
    selection = Selection()
    return config, checkpoint, explorer, selection


def command_args(command: str, out) -> list[str]:
    """The arguments of a printed tools/generate.py line, with DIR replaced by ``out``."""
    words = shlex.split(command)
    assert words[:2] == ['python', 'tools/generate.py']
    return [str(out) if word == 'DIR' else word for word in words[2:]]


def test_a_saved_walk_decodes_to_the_same_png(setup, tmp_path, monkeypatch):
    config, checkpoint, explorer, selection = setup
    explorer.draw(selection, seed=2)
    selection.endpoints = [0, 8]
    png, z_file = save_result(explorer.walk(selection, steps=4, mode='slerp'), tmp_path / 'page', 'walk')
    assert torch.load(z_file, weights_only=True).shape == (4, 8)
    command = decode_command(ModelSource(str(config), str(checkpoint)), z_file, 4)
    assert ' --z walk_z.pt ' in command  # the file as downloaded, not the server's copy
    monkeypatch.chdir(tmp_path / 'page')  # where the downloads went
    generate.main(command_args(command, tmp_path / 'cli'))
    assert (tmp_path / 'cli' / 'decoded.png').read_bytes() == png.read_bytes()


def test_the_arithmetic_command_redoes_the_pages_result(setup, tmp_path, monkeypatch):
    config, checkpoint, explorer, selection = setup
    samples_png, samples_z = save_result(explorer.draw(selection, seed=5), tmp_path / 'page', 'samples')
    selection.groups = {'A': [0, 1], 'B': [4], 'C': [7, 8]}
    png, _ = save_result(explorer.combine(selection, num_variations=3, noise_scale=0.5), tmp_path / 'page', 'arith')
    command = arithmetic_command(ModelSource(str(config), str(checkpoint)), samples_z, selection, 3, 0.5)
    assert ' --z samples_z.pt ' in command
    monkeypatch.chdir(tmp_path / 'page')
    generate.main(command_args(command, tmp_path / 'cli'))
    assert (tmp_path / 'cli' / 'arithmetic.png').read_bytes() == png.read_bytes()
    generate.main([str(config), str(checkpoint), '--out', str(tmp_path / 'cli'), '--seed', '5', 'samples',
                   '--num', '9', '--nrow', '3'])
    assert (tmp_path / 'cli' / 'samples.png').read_bytes() == samples_png.read_bytes()


def test_the_samples_command_draws_the_pages_grid(setup, tmp_path):
    config, checkpoint, explorer, selection = setup
    png, _ = save_result(explorer.draw(selection, seed=11), tmp_path / 'page', 'samples')
    command = samples_command(ModelSource(str(config), str(checkpoint)), 11, 9, 3)
    generate.main(command_args(command, tmp_path / 'cli'))
    assert (tmp_path / 'cli' / 'samples.png').read_bytes() == png.read_bytes()
    assert torch.equal(torch.load(tmp_path / 'cli' / 'z.pt', weights_only=True), selection.z)


@pytest.fixture
def ema_setup(tmp_path):
    """The tiny config and a checkpoint whose EMA generator differs from the generator; EMA from --cfg-options."""
    config, _ = write_tiny(tmp_path / 'model')
    cfg_options = {'model.ema_config.momentum': 0.5}
    model = tiny_model(ema_config=dict(momentum=0.5))
    torch.manual_seed(1)
    for parameter in model.generator_ema.module.parameters():
        parameter.data.add_(0.3 * torch.randn_like(parameter))
    checkpoint = tmp_path / 'model' / 'tiny ema.pth'  # a space: the printed line must quote it
    torch.save({'state_dict': model.state_dict()}, checkpoint)
    model = init_model(str(config), str(checkpoint), cfg_options=cfg_options)
    source = ModelSource(str(config), str(checkpoint), sample_model='ema', cfg_options=cfg_options)
    return source, Explorer(model, num_samples=9, nrow=3, sample_model='ema'), Selection()


def test_an_ema_walk_with_config_overrides_reproduces_byte_for_byte(ema_setup, tmp_path, monkeypatch):
    source, explorer, selection = ema_setup
    explorer.draw(selection, seed=4)
    selection.endpoints = [1, 7]
    result = explorer.walk(selection, steps=5, mode='linear')
    png, z_file = save_result(result, tmp_path / 'page', 'walk')
    command = decode_command(source, z_file, 5)
    assert '--sample-model ema' in command and '--cfg-options model.ema_config.momentum=0.5' in command
    monkeypatch.chdir(tmp_path / 'page')
    generate.main(command_args(command, tmp_path / 'cli'))
    assert (tmp_path / 'cli' / 'decoded.png').read_bytes() == png.read_bytes()
    orig = Explorer(explorer.model, num_samples=9, nrow=3, sample_model='orig')
    assert not torch.equal(orig.walk(selection, steps=5, mode='linear').images, result.images)  # ema matters


def test_an_ema_arithmetic_and_samples_reproduce_byte_for_byte(ema_setup, tmp_path, monkeypatch):
    source, explorer, selection = ema_setup
    samples_png, samples_z = save_result(explorer.draw(selection, seed=6), tmp_path / 'page', 'samples')
    selection.groups = {'A': [0, 2], 'B': [5], 'C': [8]}
    png, _ = save_result(explorer.combine(selection, num_variations=3, noise_scale=0.2), tmp_path / 'page', 'arith')
    monkeypatch.chdir(tmp_path / 'page')
    generate.main(command_args(arithmetic_command(source, samples_z, selection, 3, 0.2), tmp_path / 'cli'))
    assert (tmp_path / 'cli' / 'arithmetic.png').read_bytes() == png.read_bytes()
    generate.main(command_args(samples_command(source, 6, 9, 3), tmp_path / 'cli'))
    assert (tmp_path / 'cli' / 'samples.png').read_bytes() == samples_png.read_bytes()


@pytest.mark.parametrize('value', [3, 0.5, 1e-05, True, None, 'Adam', [1, 2], (0.5, 0.999), [(1, 'a'), [2.5]]])
def test_cfg_options_print_as_mmengine_reads_them_back(value):
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    parsed = parser.parse_args(shlex.split(f"--cfg-options {shlex.quote('key=' + format_option(value))}"))
    assert parsed.cfg_options == {'key': value}
