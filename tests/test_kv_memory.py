"""The key-value memory (lstmlearn.kv_memory): exact recall, crosstalk, and the mLSTM's own update."""

import numpy as np
import pytest

from lstmlearn.kv_memory import interference, random_unit_vectors, read, store
from lstmlearn.mlstm import mlstm_recurrent


def test_orthonormal_keys_recall_exactly_up_to_d_pairs():
    rng = np.random.default_rng(0)
    d = 8
    keys = np.linalg.qr(rng.normal(size=(d, d)))[0].T  # d orthonormal keys
    values = rng.normal(size=(d, d))
    np.testing.assert_allclose(read(store(keys, values), keys, normalise=False), values, atol=1e-13)
    np.testing.assert_allclose(interference([1, 4, 8], d, rng, orthogonal=True), 0.0, atol=1e-13)


def test_crosstalk_is_the_sum_over_the_other_pairs():
    rng = np.random.default_rng(1)
    keys, values = random_unit_vectors(rng, 5, 4), rng.normal(size=(5, 4))
    h = read(store(keys, values), keys[2], normalise=False)
    want = sum(values[p] * (keys[p] @ keys[2]) for p in range(5))
    np.testing.assert_allclose(h, want, rtol=1e-13)


def test_interference_grows_as_pairs_outnumber_the_dimension():
    rng = np.random.default_rng(2)
    d = 16
    P = [1, 4, 16, 64]
    err = interference(P, d, rng, trials=30)
    assert err[0] < 1e-12 and np.all(np.diff(err) > 0)
    # about sqrt((P - 1) / d) for random unit keys and values
    np.testing.assert_allclose(err[1:], np.sqrt((np.array(P[1:]) - 1) / d), rtol=0.2)
    beyond = interference([64], d, rng, orthogonal=True)
    assert beyond[0] > 1.0  # more pairs than dimensions: orthonormal keys do not exist


def test_the_store_is_the_mlstm_update_with_every_gate_at_one():
    rng = np.random.default_rng(3)
    P, d = 6, 4
    keys, values, q = rng.normal(size=(P, d)), rng.normal(size=(P, d)), rng.normal(size=d)
    # i~ = 0 and f~ = 40 (sigmoid(40) = 1 in float64); the mLSTM scales keys by 1 / sqrt(d)
    Q = np.tile(q, (P, 1))[:, None]
    Hs, tr = mlstm_recurrent(
        Q, keys[:, None] * np.sqrt(d), values[:, None], np.zeros((P, 1)), np.full((P, 1), 40.0), eps=0.0
    )
    mem = store(keys, values)
    np.testing.assert_allclose(tr.C[-1, 0] * np.exp(tr.m[-1, 0]), mem.C, rtol=1e-12)
    np.testing.assert_allclose(Hs[-1, 0], read(mem, q), rtol=1e-12)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="values should have shape"):
        store(np.zeros((3, 4)), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="q should have shape"):
        read(store(np.zeros((3, 4)), np.zeros((3, 4))), np.zeros(5))


def test_the_explorers_numbers_are_kv_memorys():
    from lstmlearn.widgets.kv_memory import kv_memory_values

    v = kv_memory_values(P=5, d=8, j=9, keys="orthogonal", P_max=12)
    assert v["j"] == 5  # a j beyond P reads the last pair stored
    np.testing.assert_allclose(v["h"], v["v_j"], atol=1e-12)  # orthonormal keys, P <= d: no crosstalk
    assert v["mean_error"] < 1e-12 and v["curve_error"][:8].max() < 1e-12 and v["curve_error"][8] > 0.5
    r = kv_memory_values(P=40, d=8, j=1, keys="random", P_max=48)
    assert abs(r["curve_error"][39] - np.sqrt(39 / 8)) < 0.25 * np.sqrt(39 / 8)
    with pytest.raises(ValueError, match="keys must be one of"):
        kv_memory_values(P=3, d=4, j=1, keys="sorted")
