"""The sLSTM (lstmlearn.slstm): a step by hand, the stabiliser's invariance, heads, overflow, gradients."""

import math

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.slstm import (
    SLSTMParams,
    SLSTMState,
    empty_state,
    head_blocks,
    init_slstm,
    recurrent_matrix,
    slstm_backward,
    slstm_forward,
    slstm_step,
    slstm_step_unstabilised,
)


def test_one_unit_step_by_hand():
    # gates in the order i, f, z, o; one input, one unit, one head
    p = SLSTMParams(
        np.array([[0.5, -1.0, 2.0, 1.0]]), np.array([[[0.3, 0.2, -0.4, 0.1]]]), np.array([0.1, 1.0, 0.0, -0.5])
    )
    x, h_prev, c_prev, n_prev, m_prev = 2.0, -0.5, 0.25, 0.5, 0.3
    it, ft, zt, ot = (w * x + r * h_prev + b for w, r, b in zip(p.W_x[0], p.R[0, 0], p.b))
    log_f = math.log(1 / (1 + math.exp(-ft)))
    m = max(log_f + m_prev, it)
    i, f = math.exp(it - m), math.exp(log_f + m_prev - m)
    z, o = math.tanh(zt), 1 / (1 + math.exp(-ot))
    c, n = f * c_prev + i * z, f * n_prev + i
    state = SLSTMState(*(np.array([[v]]) for v in (h_prev, c_prev, n_prev, m_prev)))
    s = slstm_step(np.array([[x]]), state, p)
    for name, want in dict(m=m, i=i, f=f, z=z, o=o, c=c, n=n, h=o * c / n).items():
        assert getattr(s, name)[0, 0] == pytest.approx(want, rel=1e-14, abs=1e-16), name


def test_empty_memory_first_step_sets_m_to_the_input_pre_activation():
    rng = np.random.default_rng(0)
    p = init_slstm(3, 4, 2, rng)
    x = rng.normal(size=(2, 3))
    s = slstm_step(x, empty_state(2, p), p)
    i_tilde = (x @ p.W_x + p.b)[:, :4]
    np.testing.assert_array_equal(s.m, i_tilde)
    np.testing.assert_array_equal(s.i, 1.0)
    np.testing.assert_array_equal(s.f, 0.0)
    np.testing.assert_allclose(s.h, s.o * s.z, rtol=1e-15)  # c = z and n = 1: h = o z


@pytest.mark.parametrize("seed", range(40))
def test_stabiliser_leaves_h_unchanged_where_the_unstabilised_form_is_finite(seed):
    rng = np.random.default_rng(seed)
    T, B, D, H, K = 8, 3, 4, 6, rng.choice([1, 2, 3])
    p = init_slstm(D, H, K, rng, scale=rng.uniform(0.5, 4.0))
    X = rng.normal(size=(T, B, D)) * rng.uniform(1, 5)
    Hs, tr = slstm_forward(X, p)
    h = c = n = np.zeros((B, H))
    checked = 0
    for t in range(T):
        h, c, n = slstm_step_unstabilised(X[t], h, c, n, p)
        ok = np.isfinite(h) & np.isfinite(c) & np.isfinite(n)
        np.testing.assert_allclose(Hs[t][ok], h[ok], rtol=1e-12, atol=1e-14)
        # the stabilised states are the unstabilised ones times exp(-m) (|c| <= n: c's rounding is relative to n)
        np.testing.assert_array_less(np.abs(tr.c[t] * np.exp(tr.m[t]) - c)[ok], 1e-12 * n[ok])
        np.testing.assert_allclose((tr.n[t] * np.exp(tr.m[t]))[ok], n[ok], rtol=1e-12)
        checked += ok.sum()
    assert checked > 0
    assert np.all((tr.i > 0) & (tr.i <= 1) & (tr.f >= 0) & (tr.f <= 1))


@pytest.mark.parametrize("seed", range(10))
def test_in_float32_the_unstabilised_form_overflows_where_the_stabilised_one_agrees_with_float64(seed):
    rng = np.random.default_rng(seed)
    H = 6
    p = init_slstm(4, H, 2, rng)
    W_x, b = p.W_x.copy(), p.b.copy()
    W_x[:, :H] *= 10
    b[:H] += 60  # input pre-activations i~ of about 60 +- 40: exp(i~) overflows float32 above 88.7
    p = p._replace(W_x=W_x, b=b)
    X = rng.normal(size=(10, 8, 4)) * 3
    Hs64, _ = slstm_forward(X, p)
    p32 = SLSTMParams(*(a.astype(np.float32) for a in p))
    Hs32, _ = slstm_forward(X.astype(np.float32), p32)
    np.testing.assert_allclose(Hs32, Hs64, atol=2e-5)  # the stabilised form: float32 rounding only
    h = c = n = np.zeros((8, H), np.float32)
    overflowed, compared, clean = 0, 0, np.ones((8, 1), bool)
    for t in range(10):
        h, c, n = slstm_step_unstabilised(X[t].astype(np.float32), h, c, n, p32)
        ok = np.isfinite(h)
        clean &= ok.all(axis=1, keepdims=True)  # h feeds the next step: compare an example while all was finite
        overflowed += (~ok).sum()
        both = ok & clean
        compared += both.sum()
        np.testing.assert_allclose(h[both], Hs64[t][both], atol=2e-5)
    assert overflowed > 0 and compared > 0  # the comparison was "wherever the unstabilised form is finite"


@pytest.mark.parametrize("dtype,i_tilde", [(np.float32, 89.0), (np.float64, 710.0)])
def test_exp_of_plausible_pre_activations_overflows_the_unstabilised_form_only(dtype, i_tilde):
    # the overflow thresholds: log of the largest finite number
    assert np.log(np.finfo(dtype).max) < i_tilde
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(dtype(i_tilde)))
    # a 1-unit sLSTM whose input pre-activation is i_tilde at the second step
    p = SLSTMParams(np.array([[1.0, 0.0, 1.0, 0.0]], dtype), np.zeros((1, 1, 4), dtype), np.zeros(4, dtype))
    X = np.array([[[0.5]], [[i_tilde]]], dtype)
    h = c = n = np.zeros((1, 1), dtype)
    for x in X:
        h, c, n = slstm_step_unstabilised(x, h, c, n, p)
    assert np.isnan(h).all()  # inf / inf
    state0 = SLSTMState(*(np.zeros((1, 1), dtype) for _ in range(3)), np.full((1, 1), -np.inf, dtype))
    Hs, tr = slstm_forward(X, p, state0)
    assert Hs.dtype == dtype and np.isfinite(Hs).all()
    # the new input outweighs the stored one by exp(i_tilde - 0.5): h is o z of the last input
    np.testing.assert_allclose(Hs[-1], 0.5 * np.tanh(X[-1]), rtol=np.finfo(dtype).eps * 4)


def test_recurrent_matrix_is_block_diagonal_and_head_blocks_inverts_it():
    rng = np.random.default_rng(1)
    K, d = 3, 2
    R = rng.normal(size=(K, d, 4 * d))
    R_full = recurrent_matrix(R)
    assert R_full.shape == (K * d, 4 * K * d)
    for k in range(K):
        for g in range(4):
            block = R_full[:, g * K * d + k * d : g * K * d + (k + 1) * d]  # gate g's columns of head k
            np.testing.assert_array_equal(block[k * d : (k + 1) * d], R[k][:, g * d : (g + 1) * d])
            others = np.delete(block, np.s_[k * d : (k + 1) * d], axis=0)
            np.testing.assert_array_equal(others, 0.0)
    np.testing.assert_array_equal(head_blocks(R_full, K), R)


def test_heads_do_not_mix_through_the_recurrence():
    rng = np.random.default_rng(2)
    p = init_slstm(3, 4, 2, rng, scale=1.0)
    p = p._replace(W_x=np.zeros_like(p.W_x))  # no input: only the recurrence could mix heads
    state = SLSTMState(rng.normal(size=(1, 4)), rng.normal(size=(1, 4)), rng.uniform(1, 2, (1, 4)), np.zeros((1, 4)))
    moved = state._replace(h=state.h + np.array([[0.0, 0.0, 1.0, -1.0]]))  # change head 2 only
    a, b = slstm_step(np.zeros((1, 3)), state, p), slstm_step(np.zeros((1, 3)), moved, p)
    np.testing.assert_array_equal(a.h[:, :2], b.h[:, :2])
    assert np.abs(a.h[:, 2:] - b.h[:, 2:]).min() > 0


def test_input_gate_bias_shift_leaves_h_unchanged_from_an_empty_memory():
    # exp(i~ + delta) scales every write to c and n alike: h = o c / n does not move
    rng = np.random.default_rng(3)
    p = init_slstm(3, 4, 1, rng, scale=1.0)
    X = rng.normal(size=(6, 2, 3))
    shifted = p._replace(b=p.b + np.r_[np.full(4, 3.0), np.zeros(12)])
    np.testing.assert_allclose(slstm_forward(X, shifted)[0], slstm_forward(X, p)[0], rtol=1e-13)
    g = slstm_backward(np.ones((6, 2, 4)), slstm_forward(X, p)[1], p)
    np.testing.assert_allclose(g.dparams.b[:4], 0.0, atol=1e-13)


def _loss(W, m0):
    def loss(W_x, R, b, X, h0, c0, n0):
        return np.sum(W * slstm_forward(X, SLSTMParams(W_x, R, b), SLSTMState(h0, c0, n0, m0))[0])

    return loss


@pytest.mark.parametrize(
    "T,B,D,H,K,seed", [(1, 1, 1, 1, 1, 0), (6, 3, 4, 6, 2, 1), (10, 2, 3, 6, 3, 2), (4, 2, 2, 4, 4, 3)]
)
def test_gradients_match_numerical(T, B, D, H, K, seed):
    rng = np.random.default_rng(seed)
    p = init_slstm(D, H, K, rng, scale=1.0)
    X, W = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H))
    state0 = SLSTMState(
        rng.normal(size=(B, H)), rng.normal(size=(B, H)), rng.uniform(0.5, 2, (B, H)), rng.normal(size=(B, H))
    )
    Hs, tr = slstm_forward(X, p, state0)
    g = slstm_backward(W, tr, p)
    arrays = dict(W_x=p.W_x, R=p.R, b=p.b, X=X, h0=state0.h, c0=state0.c, n0=state0.n)
    grads = dict(W_x=g.dparams.W_x, R=g.dparams.R, b=g.dparams.b, X=g.dX, h0=g.dh0, c0=g.dc0, n0=g.dn0)
    report = ll.gradcheck(_loss(W, state0.m), arrays, grads)
    assert report.ok(1e-7), report


def test_gradients_from_an_empty_memory_match_numerical():
    rng = np.random.default_rng(4)
    p = init_slstm(3, 4, 2, rng, scale=1.0)
    X, W = rng.normal(size=(7, 2, 3)), rng.normal(size=(7, 2, 4))
    g = slstm_backward(W, slstm_forward(X, p)[1], p)

    def loss(W_x, R, b, X):
        return np.sum(W * slstm_forward(X, SLSTMParams(W_x, R, b))[0])

    report = ll.gradcheck(
        loss, dict(W_x=p.W_x, R=p.R, b=p.b, X=X), dict(W_x=g.dparams.W_x, R=g.dparams.R, b=g.dparams.b, X=g.dX)
    )
    assert report.ok(1e-7), report


def test_bad_input_names_the_argument():
    p = init_slstm(3, 4, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"X should have shape \(any, any, 3\)"):
        slstm_forward(np.zeros((5, 3)), p)
    with pytest.raises(TypeError, match="state must be an SLSTMState"):
        slstm_step(np.zeros((1, 3)), (np.zeros((1, 4)),) * 4, p)
    with pytest.raises(ValueError, match="state.n should have shape"):
        slstm_step(np.zeros((2, 3)), empty_state(2, p)._replace(n=np.zeros((2, 5))), p)
    with pytest.raises(TypeError, match="p must be an SLSTMParams"):
        slstm_forward(np.zeros((5, 1, 3)), tuple(p))
    with pytest.raises(ValueError, match=r"p.b should have shape \(16,\)"):
        slstm_forward(np.zeros((5, 1, 3)), p._replace(b=np.zeros(15)))
    with pytest.raises(ValueError, match="p.W_x contains nan"):
        slstm_forward(np.zeros((5, 1, 3)), p._replace(W_x=p.W_x * np.nan))
    with pytest.raises(ValueError, match="hidden_size .* must be a multiple of num_heads"):
        init_slstm(3, 5, 2, np.random.default_rng(0))
