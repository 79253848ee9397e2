"""tools/generate.py end to end on a tiny checkpoint: in-process for speed, one real subprocess for the CLI."""
import importlib.util
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from tests.conftest import REPO_ROOT
from tests.test_apis.tiny import tiny_model, write_tiny

spec = importlib.util.spec_from_file_location('generate_tool', REPO_ROOT / 'tools' / 'generate.py')
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


@pytest.fixture
def tiny(tmp_path):
    return write_tiny(tmp_path / 'model')


def run(tiny, out, *args):
    config, checkpoint = tiny
    generate.main([str(config), str(checkpoint), '--out', str(out), *args])


def test_samples_writes_pngs_a_grid_and_the_z_reproducibly(tiny, tmp_path):
    run(tiny, tmp_path / 'a', '--seed', '3', 'samples', '--num', '6', '--nrow', '3')
    run(tiny, tmp_path / 'b', '--seed', '3', 'samples', '--num', '6', '--nrow', '3')
    assert sorted(p.name for p in (tmp_path / 'a' / 'samples').iterdir()) == [f'{i:04d}.png' for i in range(6)]
    assert Image.open(tmp_path / 'a' / 'samples' / '0000.png').size == (16, 16)
    assert Image.open(tmp_path / 'a' / 'samples.png').size == (3 * 18 + 2, 2 * 18 + 2)
    z = torch.load(tmp_path / 'a' / 'z.pt', weights_only=True)
    assert z.shape == (6, 8) and torch.equal(z, torch.load(tmp_path / 'b' / 'z.pt', weights_only=True))
    assert (tmp_path / 'a' / 'samples.png').read_bytes() == (tmp_path / 'b' / 'samples.png').read_bytes()


def test_walk_draws_one_walk_per_row(tiny, tmp_path):
    run(tiny, tmp_path, 'walk', '--rows', '2', '--steps', '5', '--interp', 'slerp')
    assert Image.open(tmp_path / 'walk.png').size == (5 * 18 + 2, 2 * 18 + 2)
    z = torch.load(tmp_path / 'walk_z.pt', weights_only=True)
    assert z.shape == (2, 5, 8)


def test_arithmetic_combines_chosen_samples_of_a_samples_run(tiny, tmp_path):
    run(tiny, tmp_path, 'samples', '--num', '9')
    run(tiny, tmp_path, 'arithmetic', '--z', str(tmp_path / 'z.pt'), '--groups', '0,1,2', '3,4', '5',
        '--signs', '+', '-', '+')
    bank = torch.load(tmp_path / 'z.pt', weights_only=True)
    result = torch.load(tmp_path / 'arithmetic_z.pt', weights_only=True)
    assert torch.allclose(result[0], bank[0:3].mean(0) - bank[3:5].mean(0) + bank[5], atol=1e-6)
    assert result.shape == (9, 8)
    assert Image.open(tmp_path / 'arithmetic.png').size == (3 * 18 + 2, 3 * 18 + 2)
    assert Image.open(tmp_path / 'arithmetic_groups.png').size == (4 * 18 + 2, 3 * 18 + 2)


def test_a_group_of_one_sample_decodes_that_sample(tiny, tmp_path):
    run(tiny, tmp_path, 'samples', '--num', '4')
    run(tiny, tmp_path, 'arithmetic', '--z', str(tmp_path / 'z.pt'), '--groups', '2', '--signs', '+',
        '--num-variations', '0')
    assert (tmp_path / 'arithmetic.png').read_bytes() == (tmp_path / 'samples' / '0002.png').read_bytes()


@pytest.mark.parametrize('groups,signs,message', [
    (['0,1', '9'], ['+', '-'], 'out of range'),
    (['0,x'], ['+'], 'not a comma-separated list'),
    (['0', '1'], ['+'], 'one sign per group'),
    (['0'], ['*'], 'is not +, - or a number'),
])
def test_bad_groups_or_signs_exit_with_a_message(tiny, tmp_path, capsys, groups, signs, message):
    run(tiny, tmp_path, 'samples', '--num', '4')
    with pytest.raises(SystemExit) as exit_info:
        run(tiny, tmp_path, 'arithmetic', '--z', str(tmp_path / 'z.pt'), '--groups', *groups, '--signs', *signs)
    assert exit_info.value.code == 1 and message in capsys.readouterr().err


def test_a_z_file_of_another_model_is_refused(tiny, tmp_path, capsys):
    torch.save(torch.zeros(4, 5), tmp_path / 'z.pt')
    with pytest.raises(SystemExit):
        run(tiny, tmp_path, 'arithmetic', '--z', str(tmp_path / 'z.pt'), '--groups', '0', '--signs', '+')
    assert 'must hold a (N, 8) tensor' in capsys.readouterr().err


def test_the_cli_reports_a_missing_checkpoint_without_a_traceback(tiny, tmp_path):
    config, _ = tiny
    result = subprocess.run([sys.executable, 'tools/generate.py', str(config), str(tmp_path / 'nope.pth'),
                             '--out', str(tmp_path / 'out'), 'samples'], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert 'does not exist' in result.stderr and 'Traceback' not in result.stderr


def test_the_images_are_the_models(tiny, tmp_path):
    run(tiny, tmp_path, '--seed', '1', 'samples', '--num', '2')
    z = torch.load(tmp_path / 'z.pt', weights_only=True)
    expected = tiny_model().generate(z)[1, 0].round()
    saved = torch.from_numpy(np.array(Image.open(tmp_path / 'samples' / '0001.png').convert('L')))
    assert (saved.float() - expected).abs().max() <= 1


def test_decode_draws_a_saved_z_file_again(tiny, tmp_path):
    run(tiny, tmp_path / 'a', '--seed', '4', 'samples', '--num', '6', '--nrow', '3')
    run(tiny, tmp_path / 'b', 'decode', '--z', str(tmp_path / 'a' / 'z.pt'), '--nrow', '3')
    assert (tmp_path / 'b' / 'decoded.png').read_bytes() == (tmp_path / 'a' / 'samples.png').read_bytes()


def test_decode_refuses_a_z_file_of_another_model(tiny, tmp_path, capsys):
    np.save(tmp_path / 'z.npy', np.zeros((3, 5), dtype=np.float32))
    with pytest.raises(SystemExit):
        run(tiny, tmp_path, 'decode', '--z', str(tmp_path / 'z.npy'))
    assert 'must hold a (N, 8) tensor' in capsys.readouterr().err
