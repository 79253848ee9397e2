"""The project's own promises: CI runs the README's test command, and the code passes ruff."""
import shutil
import subprocess

import pytest

from tests.conftest import REPO_ROOT

TEST_COMMAND = 'pip install -e ".[tests]" && python -m pytest'
DEMO_COMMAND = 'pip install -e ".[demo]" && python tools/train.py configs/dcgan_demo_digits-32x32.py'


def test_readme_quick_start_holds_the_two_commands_and_ci_runs_the_test_one():
    readme = (REPO_ROOT / 'README.md').read_text()
    assert DEMO_COMMAND in readme and TEST_COMMAND in readme
    assert TEST_COMMAND in (REPO_ROOT / '.ci' / 'run').read_text().splitlines()


@pytest.mark.skipif(shutil.which('ruff') is None, reason='ruff is installed by the tests extra')
def test_code_passes_ruff():
    result = subprocess.run(['ruff', 'check', 'dcgan_mm', 'tools', 'tests', 'configs', 'benchmarks'], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
