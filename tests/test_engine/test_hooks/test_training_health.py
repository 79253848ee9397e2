"""TrainingHealthHook: collapse warnings (NaN handling: test_fault_tolerance.py)."""
from types import SimpleNamespace

import pytest
import torch

from dcgan_mm.engine.hooks import TrainingDivergedError, TrainingHealthHook


class Logger:
    def __init__(self):
        self.warnings = []

    def warning(self, message):
        self.warnings.append(message)


def feed(hook, losses: list[dict[str, float]]) -> list[str]:
    """Run ``after_train_iter`` once per dict of losses (iterations 1, 2, ...); return the warnings."""
    runner = SimpleNamespace(iter=0, max_iters=10**6, logger=Logger(), work_dir='unused', hooks=[],
                             train_loop=SimpleNamespace(max_iters=10**6))
    for index, values in enumerate(losses):
        runner.iter = index
        outputs = {key: torch.tensor(value) for key, value in values.items()}
        hook.after_train_iter(runner, index, data_batch=None, outputs=outputs)
    return runner.logger.warnings


def discriminator_wins(count: int) -> list[dict[str, float]]:
    return [dict(loss_disc=2e-4, loss_disc_real=1e-4, loss_disc_fake=1e-4, loss_gen=9.5)] * count


def test_losses_pinned_near_zero_for_the_window_give_one_warning_naming_them_and_the_iterations():
    warnings = feed(TrainingHealthHook(collapse_window=5), discriminator_wins(12))
    assert len(warnings) == 1  # once, not every iteration after the window
    assert warnings[0].startswith('Iteration 5: loss_disc (since iteration 1), loss_disc_real (since iteration 1), '
                                  'loss_disc_fake (since iteration 1) stayed within 0.001 of 0 for 5 iterations: '
                                  'one network has won')
    assert 'loss_gen' not in warnings[0]


def test_the_generator_winning_is_reported_after_it_started():
    normal = [dict(loss_disc=1.3, loss_gen=0.8)] * 3
    generator_wins = [dict(loss_disc=6.0, loss_gen=5e-4)] * 4
    warnings = feed(TrainingHealthHook(collapse_window=4), normal + generator_wins)
    assert warnings == [warnings[0]] and warnings[0].startswith('Iteration 7: loss_gen (since iteration 4) ')


def test_normal_losses_and_short_dips_give_no_warning():
    normal = [dict(loss_disc=1.4 - 0.01 * i, loss_gen=0.7 + 0.02 * i) for i in range(30)]
    assert feed(TrainingHealthHook(collapse_window=5), normal) == []
    dips = (discriminator_wins(4) + [dict(loss_disc=0.5, loss_disc_real=0.2, loss_disc_fake=0.3, loss_gen=2.0)]) * 3
    assert feed(TrainingHealthHook(collapse_window=5), dips) == []  # every dip shorter than the window


def test_a_large_negative_loss_is_not_collapse():
    # HingeGANLoss' generator term, -mean(D(G(z))), is negative whenever D scores fakes as real.
    assert feed(TrainingHealthHook(collapse_window=3), [dict(loss_disc=1.9, loss_gen=-2.5)] * 10) == []


def test_checking_every_few_iterations_warns_as_checking_every_one():
    losses = [dict(loss_disc=1.3, loss_gen=0.8)] * 3 + [dict(loss_disc=6.0, loss_gen=5e-4)] * 9
    every_one = feed(TrainingHealthHook(collapse_window=4), losses)
    deferred = TrainingHealthHook(collapse_window=4, check_interval=5)
    assert feed(deferred, losses) == every_one and deferred.pending[-2:] != []  # iterations 11, 12 not checked yet


def test_a_deferred_check_names_the_iteration_that_diverged():
    hook = TrainingHealthHook(check_interval=4)
    losses = [dict(loss_disc=1.3, loss_gen=0.8)] * 2 + [dict(loss_disc=float('nan'), loss_gen=0.8)] * 2
    with pytest.raises(TrainingDivergedError, match='diverged at iteration 3: loss_disc=nan'):
        feed(hook, losses)
