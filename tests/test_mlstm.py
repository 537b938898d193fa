"""The mLSTM (lstmlearn.mlstm): the memory by hand, the three forms against each other, eps, gradients."""

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.mlstm import (
    EPS,
    MLSTMState,
    decay_mask,
    empty_mlstm_state,
    mlstm_chunkwise,
    mlstm_parallel,
    mlstm_recurrent,
    mlstm_recurrent_backward,
    mlstm_step,
    zero_mlstm_state,
)


def problem(seed, T=9, B=3, d=4, i_shift=0.0):
    rng = np.random.default_rng(seed)
    Q, K, V = (rng.normal(size=(T, B, d)) for _ in range(3))
    I_tilde = rng.normal(size=(T, B)) * 2 + i_shift
    F_tilde = rng.normal(size=(T, B)) * 2 + 1
    return Q, K, V, I_tilde, F_tilde


def test_unstabilised_memory_by_hand():
    # C_t = sum_s (prod_{s<r<=t} f_r) i_s v_s k_s^T with i = exp(i~), f = sigmoid(f~)
    Q, K, V, I_tilde, F_tilde = problem(0, T=5, B=1, d=3)
    d = 3
    i, f = np.exp(I_tilde[:, 0]), 1 / (1 + np.exp(-F_tilde[:, 0]))
    C, n = np.zeros((d, d)), np.zeros(d)
    Hs, tr = mlstm_recurrent(Q, K, V, I_tilde, F_tilde, eps=0.0)
    for t in range(5):
        k = K[t, 0] / np.sqrt(d)
        C = f[t] * C + i[t] * np.outer(V[t, 0], k)
        n = f[t] * n + i[t] * k
        h = C @ Q[t, 0] / max(abs(n @ Q[t, 0]), 1.0)
        np.testing.assert_allclose(Hs[t, 0], h, rtol=1e-13)
        np.testing.assert_allclose(tr.C[t, 0] * np.exp(tr.m[t, 0]), C, rtol=1e-13)


def test_a_stored_pair_is_read_back_by_its_key():
    # one write into an empty memory (m = i~, so i = 1): C = v k^T and n = k, so C q = v (k . q) and
    # n . q = k . q; with k . q >= 1 the normaliser divides the match out and h = v exactly
    d = 8
    k = np.eye(d)[2] * np.sqrt(d)  # unit key after the 1 / sqrt(d) scaling
    v = np.arange(d, dtype=float)
    s = mlstm_step(k[None], k[None], v[None], np.zeros(1), np.zeros(1), empty_mlstm_state(1, d), eps=0.0)
    np.testing.assert_allclose(s.h[0], v, rtol=1e-15)


def test_decay_mask_by_hand():
    I_tilde, F_tilde = np.array([[0.5], [-1.0], [2.0]]), np.array([[1.0], [0.0], [-2.0]])
    log_f = np.log(1 / (1 + np.exp(-F_tilde[:, 0])))
    log_D = decay_mask(I_tilde, F_tilde)[0]
    assert np.isneginf(log_D[0, 1]) and np.isneginf(log_D[0, 2]) and np.isneginf(log_D[1, 2])
    assert log_D[2, 0] == pytest.approx(log_f[1] + log_f[2] + I_tilde[0, 0], rel=1e-14)
    assert log_D[2, 2] == pytest.approx(I_tilde[2, 0], rel=1e-14)
    assert log_D[1, 0] == pytest.approx(log_f[1] + I_tilde[0, 0], rel=1e-14)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("eps", [0.0, EPS, 1e-2])
def test_recurrent_parallel_and_chunkwise_agree_from_an_empty_memory_at_any_eps(seed, eps):
    Q, K, V, I_tilde, F_tilde = problem(seed, i_shift=-4.0 * (seed % 2))
    Hr, _ = mlstm_recurrent(Q, K, V, I_tilde, F_tilde, eps=eps)
    np.testing.assert_allclose(mlstm_parallel(Q, K, V, I_tilde, F_tilde, eps), Hr, rtol=1e-11, atol=1e-14)
    for L in (1, 2, 4, 9, 20):
        np.testing.assert_allclose(
            mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, L, eps=eps)[0], Hr, rtol=1e-11, atol=1e-14
        )


@pytest.mark.parametrize("seed", range(10))
def test_every_form_and_initial_stabiliser_agrees_at_eps_zero(seed):
    Q, K, V, I_tilde, F_tilde = problem(seed, i_shift=-6.0)
    Hp = mlstm_parallel(Q, K, V, I_tilde, F_tilde, eps=0.0)
    B, d = Q.shape[1:]
    for state0 in (None, zero_mlstm_state(B, d), MLSTMState(np.zeros((B, d, d)), np.zeros((B, d)), np.full(B, 3.0))):
        np.testing.assert_allclose(
            mlstm_recurrent(Q, K, V, I_tilde, F_tilde, state0, eps=0.0)[0], Hp, rtol=1e-11, atol=1e-14
        )
        np.testing.assert_allclose(
            mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, 4, state0, eps=0.0)[0], Hp, rtol=1e-11, atol=1e-14
        )


def test_at_the_official_eps_the_forms_differ_where_their_stabilisers_differ():
    # i~ far below 0: the recurrent form from m_0 = 0 keeps m_t = sum log f_r, above the parallel row maximum
    Q, K, V, I_tilde, F_tilde = problem(1, i_shift=-6.0)
    B, d = Q.shape[1:]
    Hr, tr = mlstm_recurrent(Q, K, V, I_tilde, F_tilde, zero_mlstm_state(B, d), eps=EPS)
    Hp = mlstm_parallel(Q, K, V, I_tilde, F_tilde, eps=EPS)
    m_parallel = decay_mask(I_tilde, F_tilde).max(axis=-1).T  # (T, B)
    assert (tr.m > m_parallel + 1).any()
    rel = np.abs(Hr - Hp).max() / np.abs(Hp).max()
    assert 1e-9 < rel < EPS  # about eps (exp(m_rec) - exp(m_par)) relative to max(|n . q|, 1)
    # the chunkwise form from the same state follows the recurrent form, not the parallel one
    np.testing.assert_allclose(
        mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, 4, zero_mlstm_state(B, d), EPS)[0], Hr, rtol=1e-11, atol=1e-14
    )


def test_chunkwise_final_state_is_the_recurrent_one():
    Q, K, V, I_tilde, F_tilde = problem(3, T=10)
    state0 = zero_mlstm_state(3, 4)
    _, tr = mlstm_recurrent(Q, K, V, I_tilde, F_tilde, state0)
    _, last = mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, 3, state0)
    np.testing.assert_allclose(last.C, tr.C[-1], rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(last.n, tr.n[-1], rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(last.m, tr.m[-1], rtol=1e-13)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("regime", ["read", "floor"])
def test_recurrent_gradients_match_numerical(seed, regime):
    """Two regimes, each clear of the readout's kink |n . q| = exp(-m) (asserted): "read", where the
    query matches the stored keys and |n . q| mostly wins, and "floor", where i~ is so negative that exp(-m) wins."""
    eps = (0.0, EPS, 1e-2)[seed % 3]
    Q, K, V, I_tilde, F_tilde = problem(seed, T=7, B=2, d=3, i_shift=3.0 if regime == "read" else -8.0)
    rng = np.random.default_rng(seed + 50)
    if regime == "read":
        Q = K + 0.3 * rng.normal(size=K.shape)
    W = rng.normal(size=Q.shape)
    starts = {
        "state": MLSTMState(0.3 * rng.normal(size=(2, 3, 3)), rng.uniform(0, 1, (2, 3)), rng.normal(size=2)),
        "zero": zero_mlstm_state(2, 3),
        "empty": empty_mlstm_state(2, 3),
    }
    state0 = starts[("state", "zero", "empty")[seed % 3] if regime == "read" else ("zero", "empty")[seed % 2]]
    _, tr = mlstm_recurrent(Q, K, V, I_tilde, F_tilde, state0, eps)
    log_ratio = np.log(np.abs(tr.s)) + tr.m  # log(|n . q| / exp(-m))
    assert (np.abs(log_ratio) > 0.01).all() and (
        (log_ratio > 0).mean() > 0.9 if regime == "read" else (log_ratio < -1).all()
    )
    g = mlstm_recurrent_backward(W, tr)

    def loss(Q, K, V, I_tilde, F_tilde, C0, n0):
        return np.sum(W * mlstm_recurrent(Q, K, V, I_tilde, F_tilde, MLSTMState(C0, n0, state0.m), eps)[0])

    arrays = dict(Q=Q, K=K, V=V, I_tilde=I_tilde, F_tilde=F_tilde, C0=state0.C, n0=state0.n)
    grads = dict(Q=g.dQ, K=g.dK, V=g.dV, I_tilde=g.dI_tilde, F_tilde=g.dF_tilde, C0=g.dC0, n0=g.dn0)
    # h divides by n . q: large higher derivatives, so a finite-difference step of 1e-4 (the default is 1e-3);
    # its rounding error, 1e-16 |L| / 1e-4, is about 1e-11: errors count absolutely below gradients of 1e-3
    report = ll.gradcheck(loss, arrays, grads, eps=1e-4, atol=1e-3)
    assert report.ok(1e-7), report


def test_bad_input_names_the_argument():
    Q, K, V, I_tilde, F_tilde = problem(0)
    with pytest.raises(ValueError, match="K should have shape"):
        mlstm_parallel(Q, K[:, :2], V, I_tilde, F_tilde)
    with pytest.raises(ValueError, match=r"I_tilde should have shape \(9, 3\)"):
        mlstm_recurrent(Q, K, V, I_tilde[..., None], F_tilde)
    with pytest.raises(ValueError, match="eps must be a number >= 0"):
        mlstm_parallel(Q, K, V, I_tilde, F_tilde, eps=-1.0)
    with pytest.raises(ValueError, match=r"state0.n should have shape \(3, 4\)"):
        mlstm_recurrent(Q, K, V, I_tilde, F_tilde, MLSTMState(np.zeros((3, 4, 4)), np.zeros((3, 5)), np.zeros(3)))
    with pytest.raises(TypeError, match="state0 must be an MLSTMState"):
        mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, 2, (np.zeros((3, 4, 4)), np.zeros((3, 4)), np.zeros(3)))
    with pytest.raises(ValueError, match="chunk_size must be a whole number"):
        mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, 0)
