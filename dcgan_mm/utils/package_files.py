"""Files shipped beside the code: configs/ and model-index.yml, in a wheel as in a source checkout."""
import os.path as osp

PACKAGE_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))
# A wheel carries them as package data under dcgan_mm/.mim/ (OpenMMLab's convention, setup.py copies them);
# an editable install or a source checkout has them at the repository root, beside the package.
SEARCH_ROOTS = (osp.join(PACKAGE_DIR, '.mim'), osp.dirname(PACKAGE_DIR))


def package_file(relative: str) -> str:
    """The path of ``relative`` (e.g. ``'model-index.yml'``, ``'configs'``) among the shipped files.

    Returns the first root's path when no root holds it, so error messages name where it was expected.
    """
    candidates = [osp.join(root, relative) for root in SEARCH_ROOTS]
    return next((path for path in candidates if osp.exists(path)), candidates[0])
