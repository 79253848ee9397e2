"""Downloads from the page reproduce with tools/generate.py: the same PNG bytes from the saved z."""
import importlib.util

import pytest
import torch

from dcgan_mm.explore import Explorer, Selection, save_result
from dcgan_mm.explore.export import arithmetic_command, decode_command
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
    return [str(out) if word == 'DIR' else word for word in command.split()[2:]]


def test_a_saved_walk_decodes_to_the_same_png(setup, tmp_path):
    config, checkpoint, explorer, selection = setup
    explorer.draw(selection, seed=2)
    selection.endpoints = [0, 8]
    png, z_file = save_result(explorer.walk(selection, steps=4, mode='slerp'), tmp_path / 'page', 'walk')
    assert torch.load(z_file, weights_only=True).shape == (4, 8)
    generate.main(command_args(decode_command(str(config), str(checkpoint), z_file, 4), tmp_path / 'cli'))
    assert (tmp_path / 'cli' / 'decoded.png').read_bytes() == png.read_bytes()


def test_the_arithmetic_command_redoes_the_pages_result(setup, tmp_path):
    config, checkpoint, explorer, selection = setup
    samples_png, samples_z = save_result(explorer.draw(selection, seed=5), tmp_path / 'page', 'samples')
    selection.groups = {'A': [0, 1], 'B': [4], 'C': [7, 8]}
    png, _ = save_result(explorer.combine(selection, num_variations=3, noise_scale=0.5), tmp_path / 'page', 'arith')
    command = arithmetic_command(str(config), str(checkpoint), samples_z, selection, 3, 0.5)
    generate.main(command_args(command, tmp_path / 'cli'))
    assert (tmp_path / 'cli' / 'arithmetic.png').read_bytes() == png.read_bytes()
    generate.main([str(config), str(checkpoint), '--out', str(tmp_path / 'cli'), '--seed', '5', 'samples',
                   '--num', '9', '--nrow', '3'])
    assert (tmp_path / 'cli' / 'samples.png').read_bytes() == samples_png.read_bytes()
