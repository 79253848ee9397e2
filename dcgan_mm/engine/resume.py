"""Everything resuming needs beyond mmengine's checkpoint, saved and restored in one place.

:class:`ResumeState` is installed by :class:`~dcgan_mm.engine.loops.ResumableIterBasedTrainLoop`
itself, not listed in the config, so no config can switch it off. It makes
every checkpoint of a run, on any number of processes:

- safe: mmengine's ``HistoryBuffer`` objects and numpy values become plain
  tensors and lists, so ``torch.load(weights_only=True)`` reads the file
  (:mod:`dcgan_mm.checkpoint.serialization`);
- one layout: the ``state_dict`` keys of a single process (no ``.module.`` of
  the DDP wrappers around the generator and the discriminator);
- exact: the random number generator states of *every* rank, so each rank of
  a resumed run continues its own noise stream, and with several processes every
  rank's BatchNorm statistics (each rank keeps its own, ``broadcast_buffers=False``;
  the ``state_dict`` holds rank 0's), so each rank evaluates with its own again;
- whole: a local checkpoint is written atomically even
  when the config's ``default_hooks.checkpoint.backend_args`` does not ask for
  the ``atomic_local`` backend (:func:`atomic_backend_args`).
"""
import logging

import torch
from mmengine.dist import all_gather_object, get_dist_info
from mmengine.fileio import LocalBackend, get_file_backend
from mmengine.hooks import CheckpointHook, Hook
from mmengine.logging import print_log

from dcgan_mm.checkpoint.atomic_backend import ATOMIC_BACKEND
from dcgan_mm.checkpoint.serialization import from_plain, to_plain
from dcgan_mm.checkpoint.weights import bare_state_dict
from dcgan_mm.utils import capture_rng_state, restore_rng_state, unwrap_model

from .hooks.schedule import checkpoint_follows

RNG_KEY = 'rng_state'  # checkpoint key: list of per-rank RNG states, index = rank
# Checkpoint key of multi-process runs: list of per-rank {state_dict key: buffer}, index = rank.
BUFFERS_KEY = 'rank_buffers'


class ResumeState(Hook):
    """Writes what exact resuming needs into each checkpoint and keeps what a resumed one holds.

    In one process the RNG state is captured as the checkpoint is written; with
    several, :class:`MultiProcessResumeState` gathers the ranks' RNG states and
    buffers first. A hook that saves a checkpoint of its own (the pre-emption hook)
    calls :meth:`gather_rank_states` on every rank before.

    After a checkpoint is loaded its RNG states wait in :attr:`pending_rng_states`
    until the train loop has positioned its data stream and calls :meth:`restore_rng`.

    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self.pending_rng_states: list[dict] | None = None
        self.gathered_rng_states: list[dict] | None = None
        self.gathered_buffers: list[dict[str, torch.Tensor]] | None = None

    def before_train(self, runner) -> None:
        # VERY_HIGH priority: before CheckpointHook.before_train builds its file backend from these arguments.
        for hook in runner.hooks:
            if isinstance(hook, CheckpointHook) and hook.file_client_args is None:
                hook.backend_args = atomic_backend_args(hook.backend_args, hook.out_dir or runner.work_dir)

    def gather_rank_states(self, runner) -> None:
        """Collect every rank's RNG state and buffers for the next checkpoint; a collective: all ranks call it."""
        gathered = all_gather_object((capture_rng_state(), model_buffers(runner.model)))
        self.gathered_rng_states = [rng for rng, _ in gathered]
        self.gathered_buffers = [buffers for _, buffers in gathered]

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        from dcgan_mm import __version__
        model = unwrap_model(runner.model)
        meta = checkpoint.setdefault('meta', {})
        meta['dcgan_mm_version'] = __version__
        meta['world_size'] = runner.world_size
        if hasattr(model, 'channel_order'):
            meta['channel_order'] = model.channel_order
        checkpoint['state_dict'] = bare_state_dict(checkpoint['state_dict'], model)
        checkpoint[RNG_KEY] = self.rng_states_to_save(runner)
        if runner.world_size > 1 and self.gathered_buffers is not None:
            checkpoint[BUFFERS_KEY] = self.gathered_buffers
        for key in list(checkpoint):
            if key != 'state_dict':
                checkpoint[key] = to_plain(checkpoint[key])

    def rng_states_to_save(self, runner) -> list[dict]:
        if runner.world_size == 1:
            return [capture_rng_state()]
        if self.gathered_rng_states is not None:
            return self.gathered_rng_states
        print_log('A checkpoint was written off the checkpoint schedule without the ranks\' RNG states and '
                  'buffers: '
                  'resuming from it will not be bit-exact.', logger='current', level=logging.WARNING)
        return [capture_rng_state()]

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if 'message_hub' in checkpoint:
            checkpoint['message_hub'] = from_plain(checkpoint['message_hub'])
        states = checkpoint.get(RNG_KEY)
        # Checkpoints of dcgan_mm 0.1.0 hold one dict: the state of rank 0 only.
        self.pending_rng_states = [states] if isinstance(states, dict) else states
        # Called before the Runner loads state_dict into the model: each rank puts in its own buffers.
        # On another number of processes every rank takes rank 0's (restore_rng warns that it is not exact).
        buffers = checkpoint.pop(BUFFERS_KEY, None)
        rank, world_size = get_dist_info()
        if buffers and len(buffers) == world_size and 'state_dict' in checkpoint:
            state = checkpoint['state_dict']
            state.update({key: value for key, value in buffers[rank].items() if key in state})

    def restore_rng(self) -> None:
        """Give this rank the RNG state it had when the checkpoint was written (once per load).

        A run resumed on another number of processes than wrote the checkpoint
        continues, but is no longer bit-exact: that is logged as a warning.
        """
        states, self.pending_rng_states = self.pending_rng_states, None
        if not states:
            return
        rank, world_size = get_dist_info()
        if len(states) != world_size:
            print_log(f'The checkpoint was written by {len(states)} process(es) and is resumed on {world_size}: '
                      'training continues, but no longer bit-exactly as the interrupted run would have.',
                      logger='current', level=logging.WARNING)
        if rank < len(states):
            restore_rng_state(states[rank])


def atomic_backend_args(backend_args: dict | None, path: str) -> dict | None:
    """``backend_args`` that write ``path`` atomically where they would give mmengine's plain local backend.

    A config that leaves out ``backend_args=dict(backend='atomic_local')``, or says
    ``backend='local'``, still gets atomic checkpoints; remote storage (``s3://...``,
    any other backend) is left as configured.
    """
    if type(get_file_backend(str(path), backend_args=backend_args)) is not LocalBackend:
        return backend_args
    return {**(backend_args or {}), 'backend': ATOMIC_BACKEND}


def model_buffers(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """``model``'s buffers (BatchNorm running statistics...) on the CPU, by their checkpoint keys."""
    bare = unwrap_model(model)
    return bare_state_dict({name: buffer.detach().cpu().clone() for name, buffer in bare.named_buffers()}, bare)


class MultiProcessResumeState(ResumeState):
    """:class:`ResumeState` for several processes: the ranks' RNG states and buffers reach rank 0 before it saves.

    Only rank 0 runs ``Runner.save_checkpoint``. After each iteration that ends
    with a checkpoint (mmengine's ``CheckpointHook`` schedule, or a validation
    that may save the best one) every rank sends its state in one ``all_gather``;
    other iterations communicate nothing.
    """

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self.gathered_rng_states = self.gathered_buffers = None  # valid for one iteration's checkpoints only

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if checkpoint_follows(runner):
            self.gather_rank_states(runner)


