"""Which checkpoint ``--resume`` continues from when none is named."""
import logging
import os
import os.path as osp
import re

from mmengine.logging import print_log

ITERATION_CHECKPOINT = re.compile(r'^iter_(\d+)\.pth$')


def newest_iteration_checkpoint(work_dir: str) -> str | None:
    """The ``iter_N.pth`` in ``work_dir`` with the largest N, or None."""
    if not osp.isdir(work_dir):
        return None
    found = [(int(match.group(1)), name) for name in os.listdir(work_dir)
             if (match := ITERATION_CHECKPOINT.match(name))]
    return osp.join(work_dir, max(found)[1]) if found else None


def find_resume_checkpoint(work_dir: str) -> str | None:
    """The checkpoint ``last_checkpoint`` names, or the newest ``iter_N.pth`` when it cannot be used.

    mmengine's CheckpointHook writes ``last_checkpoint`` with a plain ``open()``: a kill at that
    moment leaves it empty, and a copied or cleaned work dir can leave it naming a file that is not
    there. mmengine would then try to resume from '' or a missing path; here the newest iteration
    checkpoint in the work dir takes over, and the log says so.

    Returns:
        A path, or None when the work dir holds no checkpoint (the run starts from scratch).
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    named = ''
    if osp.isfile(pointer):
        with open(pointer) as file:
            named = file.read().strip()
        if named and osp.isfile(named):
            return named
    fallback = newest_iteration_checkpoint(work_dir)
    if osp.isfile(pointer) and fallback:
        problem = f"names '{named}', which does not exist" if named else 'is empty'
        print_log(f"{pointer} {problem}; resuming from the newest iteration checkpoint, {fallback}.",
                  logger='current', level=logging.WARNING)
    return fallback
