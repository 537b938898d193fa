"""The parity and selective-copying tasks of notebook 10: targets recomputed independently, lengths
and positions within their ranges, chance baselines measured, and a Task an LSTM can be scored on."""

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.tasks.parity import parity_problem, parity_task
from lstmlearn.tasks.selective_copy import copies_correct, selective_copy_problem, selective_copy_task


@pytest.mark.parametrize("lo, hi", [(3, 20), (40, 128), (1, 1)])
def test_parity_targets_are_the_xor_of_the_bits(lo, hi):
    batch = parity_problem(np.random.default_rng(0), 64, lo, hi)
    assert batch.lengths.min() >= lo and batch.lengths.max() <= hi and batch.X.shape[0] == batch.lengths.max()
    for b in range(64):
        bits = batch.X[: batch.lengths[b], b]
        parity = 0
        for bit in bits:
            parity ^= int(bit)
        assert batch.Y[b] == parity
        assert not batch.X[batch.lengths[b] :, b].any()  # padding is 0


def test_parity_is_balanced_and_lengths_cover_the_range():
    batch = parity_problem(np.random.default_rng(1), 4000, 3, 20)
    assert abs(batch.Y.mean() - 0.5) < 0.03
    assert set(batch.lengths) == set(range(3, 21))


def test_parity_refuses_a_reversed_range():
    with pytest.raises(ValueError, match="max_length must be at least min_length"):
        parity_problem(np.random.default_rng(0), 4, 20, 3)


def test_selective_copy_targets_are_the_tokens_in_order():
    L, n, K = 30, 4, 8
    batch = selective_copy_problem(np.random.default_rng(2), 50, L, n, K)
    assert batch.X.shape == batch.Y.shape == batch.mask.shape == (L + n, 50)
    for b in range(50):
        seen = [int(s) for s in batch.X[:L, b] if s != 0]
        assert seen == list(batch.Y[L:, b]) and len(seen) == n
        assert all(1 <= s <= K for s in seen) and (batch.X[L:, b] == K + 1).all()
    assert (batch.Y[:L] == 0).all() and batch.mask[:L].sum() == 0 and (batch.mask[L:] == 1).all()
    assert len({tuple(p) for p in batch.info["positions"].T}) > 40  # the positions vary


def test_selective_copy_chance_is_one_over_K():
    batch = selective_copy_problem(np.random.default_rng(3), 3000, 12, 4, 8)
    guess = np.random.default_rng(4).normal(size=(*batch.Y.shape, 9))
    guess[..., 0] = -np.inf  # never the blank
    assert abs(copies_correct(guess, batch) - 1 / 8) < 0.02
    perfect = np.eye(9)[batch.Y]
    assert copies_correct(perfect, batch) == 1.0


@pytest.mark.parametrize("task", [parity_task(3, 8), selective_copy_task(10, 3, 4)])
def test_an_lstm_can_be_scored_on_the_tasks(task):
    rng = np.random.default_rng(5)
    model = task.model("lstm", 8)
    params = ll.init_model(model, rng)
    loss, score = task.score(params, model, task.sample(rng, 16))
    assert np.isfinite(loss) and 0.0 <= score <= 1.0
