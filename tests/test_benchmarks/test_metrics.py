"""tools/benchmark.py's ``metrics`` subcommand, on tiny sizes (the real figures: docs/benchmarks.md)."""
import importlib.util
import json
import textwrap

import pytest

from tests.conftest import REPO_ROOT


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('benchmark_tool', REPO_ROOT / 'tools' / 'benchmark.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_metrics_subcommand_reports_json(tool, tmp_path, capsys):
    out = tmp_path / 'report.json'
    assert tool.main(['metrics', '--num-pairs', '4', '--swd-images', '8', '--repeat', '1',
                           '--json', str(out)]) == 0
    report = json.loads(out.read_text())
    assert report['num_pairs'] == 4 and report['swd_images'] == 8
    assert set(report['swd']) == {'64', '32', '16', 'avg'}
    assert report['ms_ssim_s'] > 0 and report['swd_s'] > 0
    assert 'MS-SSIM' in capsys.readouterr().out


def test_reference_loader_keeps_only_plain_functions(tool, tmp_path):
    source = tmp_path / 'swd.py'
    source.write_text(textwrap.dedent('''
        import numpy as np
        from mmagic.registry import METRICS
        from .base_gen_metric import GenMetric

        def double(x):
            return np.asarray(x) * 2

        @METRICS.register_module()
        class SWD(GenMetric):
            pass
    '''))
    functions = tool.load_reference_functions(source)
    assert functions['double'](3) == 6
    assert 'SWD' not in functions and 'METRICS' not in functions
