"""tools/analysis_tools/analyze_logs.py on the logs of a real tiny run: panels, runs, resumed sessions, timing."""
import importlib.util
import json
import os
import subprocess
import sys

import matplotlib
import pytest
from PIL import Image

from tests.conftest import REPO_ROOT
from tests.test_cli.test_vis import tiny_run

matplotlib.use('Agg')
TOOL = REPO_ROOT / 'tools' / 'analysis_tools' / 'analyze_logs.py'
spec = importlib.util.spec_from_file_location('analyze_logs_tool', TOOL)
analyze_logs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(analyze_logs)


@pytest.fixture(scope='module')
def work_dir(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('analyze') / 'tiny_run'
    tiny_run(work_dir)
    return work_dir


def analyze(*args):
    return subprocess.run([sys.executable, str(TOOL), *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, 'MPLBACKEND': 'Agg'})


def test_a_work_dir_reads_as_every_logged_key_against_iterations(work_dir):
    curves = analyze_logs.load_run(str(work_dir))
    assert curves['loss_gen'][0] == [1, 2, 3, 4] and curves['generator.lr'][1] == [0.0002] * 4
    (scalars,) = work_dir.glob('*/vis_data/scalars.json')
    first = json.loads(scalars.read_text().splitlines()[0])
    assert curves['loss_disc'][1][0] == first['loss_disc']
    assert curves['swd/avg'][0] == [4] and json.loads((work_dir / 'metrics.json').read_text())['swd/avg'] == \
        pytest.approx(curves['swd/avg'][1][0])


def test_a_resumed_run_joins_its_sessions_the_later_winning(work_dir, tmp_path):
    (scalars,) = work_dir.glob('*/vis_data/scalars.json')
    later = tmp_path / 'run' / '20990101_000000' / 'vis_data'
    earlier = tmp_path / 'run' / '20000101_000000' / 'vis_data'
    for folder in (earlier, later):
        folder.mkdir(parents=True)
    (earlier / 'scalars.json').write_text(scalars.read_text())
    (later / 'scalars.json').write_text('\n'.join(json.dumps({'loss_gen': 9.0, 'iter': step, 'step': step})
                                                  for step in (4, 5)) + '\n')
    steps, values = analyze_logs.load_run(str(tmp_path / 'run'))['loss_gen']
    assert steps == [1, 2, 3, 4, 5] and values[3:] == [9.0, 9.0]


def test_plot_curve_draws_one_panel_per_key_and_one_line_per_run(work_dir):
    run = analyze_logs.load_run(str(work_dir))
    keys = ['loss_disc', 'loss_gen', 'swd/avg']
    figure = analyze_logs.plot_curves([('a', run), ('b', run)], keys, log_scale=True, title='two runs')
    assert [axis.get_ylabel() for axis in figure.axes] == keys
    for axis in figure.axes:
        assert [line.get_label() for line in axis.get_lines()] == ['a', 'b']
        assert axis.get_yscale() == 'log'
        assert [text.get_text() for text in axis.get_legend().get_texts()] == ['a', 'b']
    assert list(figure.axes[1].get_lines()[0].get_xdata()) == [1, 2, 3, 4]
    assert figure.axes[-1].get_xlabel() == 'iteration'


def test_plot_curve_command_writes_the_png_of_that_figure(work_dir, tmp_path):
    out = tmp_path / 'curves.png'
    result = analyze('plot_curve', str(work_dir), str(next(work_dir.glob('*/vis_data/scalars.json'))),
                     '--keys', 'loss_disc', 'loss_gen', 'swd/avg', '--out', str(out))
    assert result.returncode == 0, result.stderr
    assert 'Saved 3 panels of 2 runs' in result.stdout
    assert Image.open(out).size == (800, 780)  # 8 x (2.6 x 3 panels) inches at 100 dpi


def test_an_unknown_key_lists_the_logged_ones(work_dir, tmp_path):
    result = analyze('plot_curve', str(work_dir), '--keys', 'loss_gan', '--out', str(tmp_path / 'x.png'))
    assert result.returncode == 1 and 'Traceback' not in result.stderr
    assert "No run logs 'loss_gan'" in result.stderr and 'loss_gen' in result.stderr
    assert not (tmp_path / 'x.png').exists()


def test_cal_train_time_prints_the_mean_iteration_time_and_the_eta(work_dir):
    times = analyze_logs.load_run(str(work_dir))['time'][1]
    mean = sum(times) / len(times)
    finished = analyze('cal_train_time', str(work_dir))
    assert finished.returncode == 0, finished.stderr
    assert f'{mean:.4f} s/iter on average, at iteration 4 of 4, ETA 0:00:00' in finished.stdout
    timing = analyze_logs.train_time(str(work_dir), max_iters=4004)
    assert timing['eta_s'] == pytest.approx(4000 * mean)
    assert analyze_logs.max_iters_of(str(work_dir)) == 4  # from the config the run dumped
