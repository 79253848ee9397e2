"""tools/explore.py in a real browser: Debian's headless chromium, driven by playwright, on a tiny model.

The page's images are fetched from the ``src`` of its ``img`` tags and must equal, pixel for pixel,
what dcgan_mm.apis decodes for the same z. Without chromium, gradio or playwright the tests skip; where
chromium is installed for them (.ci/run sets DCGAN_MM_REQUIRE_BROWSER=1) they fail instead, so CI cannot
pass without a browser.
"""
import importlib
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import numpy as np
import pytest
import torch
from PIL import Image

from dcgan_mm.apis import arithmetic, interpolate, sample
from dcgan_mm.explore import to_uint8
from tests.conftest import REPO_ROOT
from tests.test_apis.tiny import tiny_model, write_tiny

CHROMIUM = Path(shutil.which('chromium') or '/usr/bin/chromium')
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run']
NUM = 12
REQUIRE_BROWSER = 'DCGAN_MM_REQUIRE_BROWSER'  # set to 1: a missing part of the browser test fails it


def missing(reason: str) -> None:
    """Skip for want of ``reason``, or fail when ``DCGAN_MM_REQUIRE_BROWSER=1`` says the test must run."""
    if os.environ.get(REQUIRE_BROWSER) == '1':
        pytest.fail(f'{REQUIRE_BROWSER}=1 but the browser test cannot run: {reason}', pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope='module')
def playwright():
    """playwright's sync API, once chromium, gradio and playwright are all there (else :func:`missing`)."""
    if not CHROMIUM.exists():
        missing(f"needs Debian's chromium at {CHROMIUM}: apt-get install -y chromium")
    for module, extra in (('gradio', 'explore'), ('playwright.sync_api', 'tests')):
        try:
            importlib.import_module(module)
        except ImportError as error:
            missing(f'needs {module}: pip install -e ".[{extra}]" ({error})')
    return importlib.import_module('playwright.sync_api')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='module')
def server(playwright, tmp_path_factory):
    """(base URL, tmp folder) of tools/explore.py serving the tiny model on 127.0.0.1."""
    folder = tmp_path_factory.mktemp('explore')
    config, checkpoint = write_tiny(folder)
    port = free_port()
    (folder / 'tmp').mkdir()  # the server's temporary files, for the test to count
    env = {**os.environ, 'PYTHONPATH': str(REPO_ROOT), 'TMPDIR': str(folder / 'tmp')}
    process = subprocess.Popen([sys.executable, 'tools/explore.py', str(config), str(checkpoint), '--port', str(port),
                                '--num', str(NUM), '--nrow', '6'], cwd=REPO_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f'http://127.0.0.1:{port}/'
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f'tools/explore.py did not serve {url}:\n{process.communicate()[0]}')
    yield url, folder
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope='module')
def page(playwright, server):
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={'width': 1280, 'height': 1400})
        page.outside = []

        def local_only(route):
            """The page must work offline: anything but its server is refused, and the test checks none was asked."""
            if urlparse(route.request.url).hostname == '127.0.0.1':
                return route.continue_()
            page.outside.append(route.request.url)
            return route.abort()

        page.route('**/*', local_only)
        page.goto(server[0])
        yield page
        browser.close()


def shown(page, gallery: str, count: int) -> torch.Tensor:
    """The ``count`` images of a gallery as uint8 (N, C, H, W), read from the server like the browser did."""
    images = page.locator(f'#{gallery} img')
    page.wait_for_function(f"document.querySelectorAll('#{gallery} img').length === {count}", timeout=30000)
    arrays = []
    for index in range(count):
        src = urljoin(page.url, images.nth(index).get_attribute('src'))
        array = np.array(Image.open(io.BytesIO(urllib.request.urlopen(src, timeout=10).read())))
        arrays.append(torch.from_numpy(array[..., None] if array.ndim == 2 else array).permute(2, 0, 1))
    return torch.stack(arrays)


def status_says(page, text: str) -> None:
    page.locator('#status', has_text=text).wait_for(timeout=30000)


def click_samples(page, target: str, indices, expected_groups: str) -> None:
    page.get_by_test_id(f'{target}-radio-label').click()
    for index in indices:
        page.locator('#samples .thumbnail-item').nth(index).click()
        status_says(page, f'Sample {index} toggled in {target}.')
    page.locator('#groups', has_text=expected_groups).wait_for(timeout=30000)


def test_samples_groups_arithmetic_and_walk_show_what_the_apis_decode(page):
    status_says(page, f'Drew {NUM} samples from seed 0')  # the page draws a grid when it opens
    page.locator('#seed textarea, #seed input').first.fill('3')
    page.locator('#draw').click()
    status_says(page, f'Drew {NUM} samples from seed 3')
    model = tiny_model()
    images, z = sample(model, NUM, seed=3, to_uint8=True)
    assert torch.equal(shown(page, 'samples', NUM), images)
    assert torch.equal(downloaded(page, 'samples-files', 'samples_z.pt'), z)
    page.locator('#samples-command', has_text=f'--seed 3 samples --num {NUM} --nrow 6').wait_for(timeout=30000)

    page.locator('#run-arithmetic').click()
    status_says(page, 'Group A, B, C is empty')  # bad input: a message on the page, not a trace

    click_samples(page, 'A', [0, 1, 2], 'A: 0, 1, 2')
    click_samples(page, 'B', [3, 4], 'B: 3, 4')
    click_samples(page, 'C', [5], 'C: 5')
    means = shown(page, 'means', 3)
    for shown_mean, group in zip(means, ([0, 1, 2], [3, 4], [5])):
        expected, _ = arithmetic(model, [z[group]], [1], num_variations=0)
        assert torch.equal(shown_mean, to_uint8(expected)[0])
    page.locator('#run-arithmetic').click()
    status_says(page, 'A - B + C is in the centre')
    expected, _ = arithmetic(model, [z[[0, 1, 2]], z[[3, 4]], z[[5]]], [1, -1, 1], num_variations=8, seed=3)
    assert torch.equal(shown(page, 'arithmetic', 9), to_uint8(expected)[[1, 2, 3, 4, 0, 5, 6, 7, 8]])
    # the reproduce lines name the files as downloaded, not the server's copies
    page.locator('#arithmetic-command', has_text='arithmetic --z samples_z.pt --groups 0,1,2 3,4 5').wait_for()
    page.locator('#arithmetic-command', has_text='decode --z arithmetic_z.pt --nrow 3').wait_for()

    click_samples(page, 'walk', [7, 10], 'walk: 7 -> 10')
    page.get_by_test_id('slerp-radio-label').click()
    page.locator('#run-walk').click()
    status_says(page, 'slerp walk from sample 7 to 10')
    expected, expected_z = interpolate(model, z[7], z[10], steps=10, mode='slerp')
    assert torch.equal(shown(page, 'walk', 10), to_uint8(expected))
    assert torch.equal(downloaded(page, 'walk-files', 'walk_z.pt'), expected_z)  # what tools/generate.py decodes
    page.locator('#walk-command', has_text='--sample-model orig --device cpu decode --z walk_z.pt --nrow 10').wait_for()
    assert page.outside == []


def downloaded(page, files: str, name: str) -> torch.Tensor:
    """The tensor behind the download link ``name`` of a file list on the page."""
    link = page.locator(f'#{files} a[download="{name}"]')
    link.wait_for(timeout=30000)
    data = urllib.request.urlopen(urljoin(page.url, link.get_attribute('href')), timeout=10).read()
    return torch.load(io.BytesIO(data), weights_only=True)


@pytest.mark.parametrize('field,value,button,message', [
    ('seed', 'abc', 'draw', 'The seed must be a whole number'),
    ('checkpoint', 'OTHER', 'load', 'does not fit this model'),
    ('checkpoint', 'missing.pth', 'load', 'does not exist'),
    ('checkpoint', 'FOLDER', 'load', 'is a folder, not a checkpoint file (its checkpoints: '),
])
def test_bad_input_gets_a_message_on_the_page(page, server, field, value, button, message):
    value = str(server[1]) if value == 'FOLDER' else value
    if value == 'OTHER':  # a checkpoint of another model: a generator twice as wide
        value = str(server[1] / 'other.pth')
        wide = dict(type='DCGANGenerator', output_scale=16, out_channels=1, base_channels=32)
        torch.save({'state_dict': tiny_model(generator=wide).state_dict()}, value)
    page.locator(f'#{field} textarea, #{field} input').first.fill(value)
    page.locator(f'#{button}').click()
    status_says(page, message)
    assert 'Traceback' not in page.content()


def test_the_page_keeps_working_after_bad_input(page):
    page.locator('#seed textarea, #seed input').first.fill('5')
    page.locator('#draw').click()
    status_says(page, f'Drew {NUM} samples from seed 5')
    assert torch.equal(shown(page, 'samples', NUM), sample(tiny_model(), NUM, seed=5, to_uint8=True)[0])


def test_the_server_keeps_only_the_latest_files_of_each_result(page, server):
    for seed in (6, 7, 8):
        page.locator('#seed textarea, #seed input').first.fill(str(seed))
        page.locator('#draw').click()
        status_says(page, f'Drew {NUM} samples from seed {seed}')
    (work_dir,) = (server[1] / 'tmp').glob('dcgan_explore_*')
    assert [path.name for path in work_dir.glob('*/samples.png')] == ['samples.png']
    assert len(list(work_dir.iterdir())) <= 3  # this visitor's latest samples, arithmetic and walk
