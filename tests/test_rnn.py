"""The vanilla RNN forward and backward passes."""

import math

import numpy as np
import pytest

import lstmlearn as ll
from helpers import rnn_loss, rnn_problem


def test_one_unit_by_hand():
    p = ll.RNNParams(np.array([[0.5]]), np.array([[-0.8]]), np.array([0.1]))
    h = 0.0
    Hs, _ = ll.rnn_forward(np.array([1.0, -2.0, 0.5]).reshape(3, 1, 1), p)
    for t, x in enumerate([1.0, -2.0, 0.5]):
        h = math.tanh(0.5 * x - 0.8 * h + 0.1)
        assert Hs[t, 0, 0] == pytest.approx(h, rel=1e-15)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_step_by_step_equals_sequence(activation):
    p, X, h0, _ = rnn_problem(8, 3, 2, 5, seed=0)
    Hs, tr = ll.rnn_forward(X, p, h0, activation)
    h = h0
    for t in range(8):
        h = ll.rnn_step(X[t], h, p, activation).h
        np.testing.assert_allclose(h, Hs[t], rtol=1e-14, atol=1e-15)
    np.testing.assert_array_equal(tr.h_prev[1:], Hs[:-1])
    assert tr.activation == activation


@pytest.mark.parametrize("T,B,D,H,seed", [(1, 1, 1, 1, 0), (7, 3, 4, 5, 1), (15, 2, 2, 3, 2)])
@pytest.mark.parametrize("truncate", [None, 1, 4])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_gradcheck_every_array(T, B, D, H, seed, truncate, activation):
    p, X, h0, W = rnn_problem(T, B, D, H, seed)
    Hs, tr = ll.rnn_forward(X, p, h0, activation)
    g = ll.rnn_backward(W, tr, p, truncate=truncate)
    arrays = dict(W_x=p.W_x, W_h=p.W_h, b=p.b, X=X, h0=h0)
    grads = dict(W_x=g.dparams.W_x, W_h=g.dparams.W_h, b=g.dparams.b, X=g.dX, h0=g.dh0)
    # Finite differences are wrong across relu's kink at 0: keep the step (and 2 * eps for
    # the 4-point rule) smaller than the distance of every pre-activation from the kink.
    a = np.einsum("tbd,dh->tbh", X, p.W_x) + np.einsum("tbk,kh->tbh", tr.h_prev, p.W_h) + p.b
    eps = min(1e-3, np.abs(a).min() / (4 * (1 + np.abs(X).max() + np.abs(tr.h).max())))
    report = ll.gradcheck(rnn_loss(W, truncate, tr, activation), arrays, grads, eps=eps)
    assert report.ok(1e-7), report


def test_gradcheck_final_state_gradient():
    p, X, h0, W = rnn_problem(5, 2, 3, 4, seed=3)
    dh_T = np.random.default_rng(4).normal(size=(2, 4))

    def loss(W_x, W_h, b, X, h0):
        Hs, _ = ll.rnn_forward(X, ll.RNNParams(W_x, W_h, b), h0)
        return np.sum(W * Hs) + np.sum(dh_T * Hs[-1])

    _, tr = ll.rnn_forward(X, p, h0)
    g = ll.rnn_backward(W, tr, p, dh_T=dh_T)
    grads = dict(W_x=g.dparams.W_x, W_h=g.dparams.W_h, b=g.dparams.b, X=g.dX, h0=g.dh0)
    assert ll.gradcheck(loss, dict(W_x=p.W_x, W_h=p.W_h, b=p.b, X=X, h0=h0), grads).ok(1e-7)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_float32_agrees_with_float64(activation):
    p, X, h0, W = rnn_problem(10, 2, 3, 4, seed=5, dtype=np.float32)
    Hs, tr = ll.rnn_forward(X, p, h0, activation)
    g = ll.rnn_backward(W, tr, p)
    assert Hs.dtype == np.float32 and g.dparams.W_h.dtype == np.float32 and g.dX.dtype == np.float32
    as64 = [a.astype(np.float64) for a in (X, h0, W)]
    p64 = p.astype(np.float64)
    Hs64, tr64 = ll.rnn_forward(as64[0], p64, as64[1], activation)
    g64 = ll.rnn_backward(as64[2], tr64, p64)
    # float32 keeps about 7 significant digits; ten steps lose a little of that
    np.testing.assert_allclose(Hs, Hs64, rtol=1e-5, atol=1e-6)
    for a, b in zip((*g.dparams, g.dX, g.dh0), (*g64.dparams, g64.dX, g64.dh0)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_bad_input_names_the_argument():
    p = ll.init_rnn(3, 4, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"X should have shape \(any, any, 3\).*\(5, 2, 2\)"):
        ll.rnn_forward(np.zeros((5, 2, 2)), p)
    with pytest.raises(ValueError, match="activation must be one of"):
        ll.rnn_forward(np.zeros((5, 2, 3)), p, activation="sigmoid")
    with pytest.raises(TypeError, match="must be an lstmlearn.RNNParams"):
        ll.rnn_forward(np.zeros((5, 2, 3)), ll.init_lstm(3, 4, rng=np.random.default_rng(0)))
    with pytest.raises(ValueError, match=r"h0 should have shape \(2, 4\)"):
        ll.rnn_forward(np.zeros((5, 2, 3)), p, h0=np.zeros(4))
    with pytest.raises(TypeError, match="floating-point"):
        ll.rnn_step(np.zeros((2, 3), dtype=bool), np.zeros((2, 4)), p)


def test_per_step_hidden_gradients():
    p, X, h0, W = rnn_problem(6, 2, 3, 4, seed=7)
    Hs, tr = ll.rnn_forward(X, p, h0)
    g = ll.rnn_backward(W, tr, p)
    t = 2

    def loss(h_t):
        rest, _ = ll.rnn_forward(X[t + 1:], p, h_t)
        return np.sum(W[:t] * Hs[:t]) + np.sum(W[t] * h_t) + np.sum(W[t + 1:] * rest)

    assert ll.gradcheck(loss, dict(h_t=tr.h[t]), dict(h_t=g.dh[t])).ok(1e-7)
