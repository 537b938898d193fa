"""The MQAR task (lstmlearn.tasks.mqar): layout, the answers, the baseline, and bad settings."""

import numpy as np
import pytest

from lstmlearn.tasks.mqar import mqar_accuracy, mqar_problem, mqar_task, previous_token_inputs


@pytest.mark.parametrize("seed,V,T,n", [(0, 64, 64, 4), (1, 64, 64, 16), (2, 32, 48, 8), (3, 12, 16, 2)])
def test_layout_pairs_then_queries(seed, V, T, n):
    b = mqar_problem(np.random.default_rng(seed), 5, V, T, n)
    assert b.X.shape == b.Y.shape == b.mask.shape == (T, 5)
    for j in range(5):
        keys, values = b.X[0 : 2 * n : 2, j], b.X[1 : 2 * n : 2, j]
        assert len(set(keys)) == n and len(set(values)) == n
        assert (keys >= 1).all() and (keys < V // 2).all() and (values >= V // 2).all() and (values < V).all()
        where = np.flatnonzero(b.mask[:, j])
        assert len(where) == n and (where >= 2 * n).all() and (where % 2 == 0).all()
        answer = dict(zip(keys, values))
        for t in where:  # at each query, the input is a key and the target its value
            assert b.Y[t, j] == answer[b.X[t, j]]


def test_without_random_fill_everything_else_is_zero():
    b = mqar_problem(np.random.default_rng(0), 3, 64, 64, 8, random_non_queries=False)
    rest = b.X[16:] * (1 - b.mask[16:])
    assert (rest == 0).all()


def test_power_law_puts_most_queries_early():
    b = mqar_problem(np.random.default_rng(0), 400, 64, 256, 4, power_a=0.01)
    gaps = (b.info["query_at"] - 8) // 2
    uniform = mqar_problem(np.random.default_rng(0), 400, 64, 256, 4, power_a=1.0)
    gaps_u = (uniform.info["query_at"] - 8) // 2
    assert np.median(gaps) < np.median(gaps_u) / 2


def test_a_perfect_recall_scores_one_and_a_value_guess_scores_near_chance():
    rng = np.random.default_rng(1)
    b = mqar_problem(rng, 200, 64, 64, 8)
    perfect = np.eye(64)[b.Y]
    assert mqar_accuracy(perfect, b) == 1.0
    guess = np.eye(64)[rng.integers(32, 64, size=b.Y.shape)]  # a random value: no memory of the pairs
    assert abs(mqar_accuracy(guess, b) - mqar_task().baseline["score"]) < 0.02


def test_previous_token_inputs_put_the_key_beside_its_value():
    b = mqar_problem(np.random.default_rng(2), 4, 64, 64, 8)
    X = previous_token_inputs(b.X, 64)
    assert X.shape == (64, 4, 128) and (X[0, :, 64:] == 0).all()
    for t in (1, 3, 5):  # at a value's step, the second half is the one-hot of its key
        np.testing.assert_array_equal(X[t, :, :64].argmax(-1), b.X[t])
        np.testing.assert_array_equal(X[t, :, 64:].argmax(-1), b.X[t - 1])
    task = mqar_task(previous_token=True)
    assert task.input_size == 128 and not task.one_hot
    assert task.sample(np.random.default_rng(0), 2).X.shape == (64, 2, 128)


def test_bad_settings_say_how_to_fix_them():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="seq_len must be even and at least 4 num_kv_pairs"):
        mqar_problem(rng, 2, 64, 30, 8)
    with pytest.raises(ValueError, match="raise vocab_size"):
        mqar_problem(rng, 2, 16, 64, 8)
    with pytest.raises(ValueError, match="power_a"):
        mqar_problem(rng, 2, 64, 64, 8, power_a=0)
    with pytest.raises(ValueError, match="seq_len must be even"):
        mqar_task(seq_len=31)
