"""LSTM variants and the GRU: equivalences with the LSTM, worked examples and gradient checks
(agreement with PyTorch is in test_torch_parity.py)."""

import numpy as np
import pytest

import lstmlearn as ll
from helpers import variant_problem as problem
from lstmlearn.gru import GRUParams, gru_backward, gru_forward, gru_step, init_gru
from lstmlearn.variants import (VARIANTS, VariantParams, init_variant, variant_backward, variant_forward, variant_step,
                                variant_step_backward)


def test_vanilla_variant_is_the_lstm():
    p, X, h0, c0, W = problem("vanilla")
    q = ll.LSTMParams(p.W_x, p.W_h, p.b)
    Hs, tr = variant_forward(X, p, "vanilla", h0, c0)
    Hs2, tr2 = ll.lstm_forward(X, q, h0, c0)
    np.testing.assert_allclose(Hs, Hs2, rtol=1e-14, atol=1e-15)
    g, g2 = variant_backward(W, tr, p, "vanilla"), ll.lstm_backward(W, tr2, q)
    for a, b in zip((g.dparams.W_x, g.dparams.W_h, g.dparams.b, g.dX, g.dh0, g.dc0), (*g2.dparams, g2.dX, g2.dh0, g2.dc0)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_no_forget_is_the_lstm_with_its_forget_gate_stuck_open():
    p, X, h0, c0, W = problem("no_forget")
    H = p.hidden_size
    i, g, o = (slice(k * H, (k + 1) * H) for k in range(3))
    W_x = np.concatenate([p.W_x[:, i], np.zeros_like(p.W_x[:, i]), p.W_x[:, g], p.W_x[:, o]], axis=1)
    W_h = np.concatenate([p.W_h[:, i], np.zeros_like(p.W_h[:, i]), p.W_h[:, g], p.W_h[:, o]], axis=1)
    b = np.concatenate([p.b[i], np.full(H, 1e4), p.b[g], p.b[o]])  # sigmoid(1e4) == 1.0 exactly
    q = ll.LSTMParams(W_x, W_h, b)
    Hs, tr = variant_forward(X, p, "no_forget", h0, c0)
    Hs2, tr2 = ll.lstm_forward(X, q, h0, c0)
    np.testing.assert_allclose(Hs, Hs2, rtol=1e-14)
    np.testing.assert_array_equal(tr.f, 1.0)
    g1, g2 = variant_backward(W, tr, p, "no_forget"), ll.lstm_backward(W, tr2, q)
    np.testing.assert_allclose(g1.dX, g2.dX, rtol=1e-12)
    np.testing.assert_allclose(g1.dparams.W_h[:, i], g2.dparams.W_h[:, :H], rtol=1e-12)


def test_coupled_forget_is_one_minus_input():
    p, X, h0, c0, _ = problem("coupled")
    _, tr = variant_forward(X, p, "coupled", h0, c0)
    np.testing.assert_allclose(tr.f, 1 - tr.i, rtol=1e-15)
    np.testing.assert_allclose(tr.c, tr.f * tr.c_prev + tr.i * tr.g, rtol=1e-14)


def test_no_output_activation_and_peephole_by_hand():
    p, X, h0, c0, _ = problem("no_output_activation")
    _, tr = variant_forward(X, p, "no_output_activation", h0, c0)
    np.testing.assert_allclose(tr.h, tr.o * tr.c, rtol=1e-15)
    p, X, h0, c0, _ = problem("peephole")
    s = variant_step(X[0], h0, c0, p, "peephole")
    H = p.hidden_size
    z = X[0] @ p.W_x + h0 @ p.W_h + p.b
    w_ci, w_cf, w_co = p.w_c[:H], p.w_c[H:2 * H], p.w_c[2 * H:]
    def sig(a):
        return 1 / (1 + np.exp(-a))

    i, f, g = sig(z[:, :H] + w_ci * c0), sig(z[:, H:2 * H] + w_cf * c0), np.tanh(z[:, 2 * H:3 * H])
    c = f * c0 + i * g
    o = sig(z[:, 3 * H:] + w_co * c)
    np.testing.assert_allclose(s.h, o * np.tanh(c), rtol=1e-14)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("T,B,D,H,seed", [(1, 1, 1, 1, 0), (5, 2, 3, 4, 1), (9, 3, 2, 3, 2)])
def test_gradcheck(variant, T, B, D, H, seed):
    p, X, h0, c0, W = problem(variant, T, B, D, H, seed)
    dc_T = np.random.default_rng(seed + 10).normal(size=(B, H))

    def loss(W_x, W_h, b, w_c, X, h0, c0):
        Hs, tr = variant_forward(X, VariantParams(W_x, W_h, b, w_c), variant, h0, c0)
        return np.sum(W * Hs) + np.sum(dc_T * tr.c[-1])

    _, tr = variant_forward(X, p, variant, h0, c0)
    g = variant_backward(W, tr, p, variant, dc_T=dc_T)
    arrays = dict(W_x=p.W_x, W_h=p.W_h, b=p.b, w_c=p.w_c, X=X, h0=h0, c0=c0)
    grads = dict(W_x=g.dparams.W_x, W_h=g.dparams.W_h, b=g.dparams.b, w_c=g.dparams.w_c, X=g.dX, h0=g.dh0, c0=g.dc0)
    report = ll.gradcheck(loss, arrays, grads)
    assert report.ok(1e-7), report


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("truncate", [1, 3])
def test_gradcheck_truncated(variant, truncate):
    """With truncate=k the loss at step t is a function of the k steps up to t, from the state held fixed."""
    p, X, h0, c0, W = problem(variant, T=7, seed=3)
    _, tr = variant_forward(X, p, variant, h0, c0)

    def loss(W_x, W_h, b, w_c, X, h0, c0):
        q, total = VariantParams(W_x, W_h, b, w_c), 0.0
        for t in range(len(X)):
            s = max(t - truncate + 1, 0)
            h, c = (h0, c0) if s == 0 else (tr.h[s - 1], tr.c[s - 1])
            total += np.sum(W[t] * variant_forward(X[s:t + 1], q, variant, h, c)[0][-1])
        return total

    g = variant_backward(W, tr, p, variant, truncate=truncate)
    arrays = dict(W_x=p.W_x, W_h=p.W_h, b=p.b, w_c=p.w_c, X=X, h0=h0, c0=c0)
    grads = g.dparams._asdict() | dict(X=g.dX, h0=g.dh0, c0=g.dc0)
    report = ll.gradcheck(loss, arrays, grads)
    assert report.ok(1e-7), report


def test_variant_steps_equal_the_sequence():
    for variant in VARIANTS:
        p, X, h0, c0, W = problem(variant, seed=4)
        Hs, tr = variant_forward(X, p, variant, h0, c0)
        g = variant_backward(W, tr, p, variant)
        s = variant_step(X[-1], tr.h_prev[-1], tr.c_prev[-1], p, variant)
        np.testing.assert_allclose(s.h, Hs[-1], rtol=1e-14, atol=1e-15)
        last = variant_step_backward(W[-1], np.zeros_like(h0), s, p, variant)
        np.testing.assert_allclose(last.dc, g.dc[-1], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(last.dx, g.dX[-1], rtol=1e-13, atol=1e-15)


def test_variant_errors_name_the_variant_and_its_gate_blocks():
    p, X, *_ = problem("coupled")
    with pytest.raises(ValueError, match="variant must be one of"):
        variant_forward(X, p, "bidirectional")
    with pytest.raises(ValueError, match=r"p.W_h should have shape \(4, 16\).*'vanilla'.*i \| f \| g \| o.*\(4, 12\)"):
        variant_forward(X, p, "vanilla")
    _, tr = variant_forward(X, p, "coupled")
    with pytest.raises(ValueError, match="not made by variant 'no_forget'"):
        variant_backward(np.ones_like(tr.h), tr, p, "no_forget")


# ---- GRU ------------------------------------------------------------------------------------

@pytest.mark.parametrize("T,B,D,H,seed", [(1, 1, 1, 1, 0), (6, 2, 3, 4, 1), (10, 3, 2, 5, 2)])
def test_gru_gradcheck(T, B, D, H, seed):
    rng = np.random.default_rng(seed)
    p = init_gru(D, H, rng=rng)
    X, h0, W = rng.normal(size=(T, B, D)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))

    def loss(W_x, W_h, b_x, b_h, X, h0):
        return np.sum(W * gru_forward(X, GRUParams(W_x, W_h, b_x, b_h), h0)[0])

    _, tr = gru_forward(X, p, h0)
    g = gru_backward(W, tr, p)
    arrays = dict(W_x=p.W_x, W_h=p.W_h, b_x=p.b_x, b_h=p.b_h, X=X, h0=h0)
    grads = dict(zip(("W_x", "W_h", "b_x", "b_h"), g.dparams)) | dict(X=g.dX, h0=g.dh0)
    report = ll.gradcheck(loss, arrays, grads)
    assert report.ok(1e-7), report


@pytest.mark.parametrize("truncate", [1, 4])
def test_gru_gradcheck_truncated(truncate):
    rng = np.random.default_rng(5)
    p = init_gru(2, 3, rng=rng)
    X, h0, W = rng.normal(size=(8, 2, 2)), rng.normal(size=(2, 3)), rng.normal(size=(8, 2, 3))
    _, tr = gru_forward(X, p, h0)

    def loss(W_x, W_h, b_x, b_h, X, h0):
        q, total = GRUParams(W_x, W_h, b_x, b_h), 0.0
        for t in range(len(X)):
            s = max(t - truncate + 1, 0)
            total += np.sum(W[t] * gru_forward(X[s:t + 1], q, h0 if s == 0 else tr.h[s - 1])[0][-1])
        return total

    g = gru_backward(W, tr, p, truncate=truncate)
    arrays = dict(W_x=p.W_x, W_h=p.W_h, b_x=p.b_x, b_h=p.b_h, X=X, h0=h0)
    report = ll.gradcheck(loss, arrays, g.dparams._asdict() | dict(X=g.dX, h0=g.dh0))
    assert report.ok(1e-7), report


def test_gru_step_equals_sequence():
    rng = np.random.default_rng(3)
    p = init_gru(2, 3, rng=rng)
    X = rng.normal(size=(5, 2, 2))
    Hs, _ = gru_forward(X, p)
    h = np.zeros((2, 3))
    for t in range(5):
        h = gru_step(X[t], h, p).h
        np.testing.assert_allclose(h, Hs[t], rtol=1e-14)


def test_memory_bias_reaches_the_gate_that_keeps_memory():
    """forget_bias starts every gated core with the same memory: f ~ sigmoid(3), or z ~ sigmoid(3) for the GRU."""
    rng = np.random.default_rng(0)
    X = np.zeros((1, 1, 2))
    for variant in ("vanilla", "peephole", "coupled", "no_output_activation"):
        p = init_variant(variant, 2, 64, rng=rng, forget_bias=3.0)
        _, tr = variant_forward(X, p, variant)
        assert abs(tr.f.mean() - 1 / (1 + np.exp(-3.0))) < 0.03, variant
    g = init_gru(2, 64, rng=rng, update_bias=3.0)
    _, tr = gru_forward(X, g)
    assert abs(tr.z.mean() - 1 / (1 + np.exp(-3.0))) < 0.03
    params = ll.init_model(ll.Model("gru", 2, 64, 1), rng, forget_bias=3.0)
    np.testing.assert_allclose(params["b_x"][64:128].mean(), 3.0, atol=0.05)
