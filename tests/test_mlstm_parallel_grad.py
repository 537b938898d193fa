"""Gradients of the mLSTM's parallel form (lstmlearn.mlstm_parallel_grad) against the recurrent form's and numerical ones."""

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.mlstm import EPS, mlstm_parallel, mlstm_recurrent, mlstm_recurrent_backward
from lstmlearn.mlstm_parallel_grad import mlstm_parallel_backward, mlstm_parallel_forward
from test_mlstm import problem


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("eps", [0.0, EPS, 1e-2])
def test_parallel_gradients_equal_the_recurrent_forms_from_an_empty_memory(seed, eps):
    Q, K, V, I_tilde, F_tilde = problem(seed, i_shift=(0.0, -6.0)[seed % 2])
    W = np.random.default_rng(seed + 7).normal(size=Q.shape)
    Hp, trace = mlstm_parallel_forward(Q, K, V, I_tilde, F_tilde, eps)
    np.testing.assert_allclose(Hp, mlstm_parallel(Q, K, V, I_tilde, F_tilde, eps), rtol=1e-13, atol=1e-15)
    gp = mlstm_parallel_backward(W, trace)
    _, tr = mlstm_recurrent(Q, K, V, I_tilde, F_tilde, eps=eps)
    gr = mlstm_recurrent_backward(W, tr)
    for name in ("dQ", "dK", "dV", "dI_tilde", "dF_tilde"):
        np.testing.assert_allclose(getattr(gp, name), getattr(gr, name), rtol=1e-9, atol=1e-11, err_msg=name)


@pytest.mark.parametrize("seed", range(3))
def test_parallel_gradients_match_numerical(seed):
    Q, K, V, I_tilde, F_tilde = problem(seed, T=6, B=2, d=3, i_shift=3.0)
    rng = np.random.default_rng(seed)
    Q = K + 0.3 * rng.normal(size=K.shape)  # the query matches the stored keys: clear of the readout's kinks
    W = rng.normal(size=Q.shape)
    g = mlstm_parallel_backward(W, mlstm_parallel_forward(Q, K, V, I_tilde, F_tilde, 1e-2)[1])

    def loss(Q, K, V, I_tilde, F_tilde):
        return np.sum(W * mlstm_parallel(Q, K, V, I_tilde, F_tilde, 1e-2))

    arrays = dict(Q=Q, K=K, V=V, I_tilde=I_tilde, F_tilde=F_tilde)
    grads = dict(Q=g.dQ, K=g.dK, V=g.dV, I_tilde=g.dI_tilde, F_tilde=g.dF_tilde)
    report = ll.gradcheck(loss, arrays, grads, eps=1e-4, atol=1e-3)
    assert report.ok(1e-7), report
