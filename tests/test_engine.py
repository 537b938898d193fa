"""The pages and the engine compute the same numbers: lstmlearn.lstm, rnn, gru and variants (one
equation a line) against lstmlearn.engine (fused, in place), outputs and every gradient, to
1e-12 in float64 over shapes, truncation windows and initial states."""

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn import engine, gru, lstm, rnn, variants
from helpers import variant_problem

SHAPES = [(1, 1, 1, 1), (6, 3, 4, 5), (13, 2, 3, 8), (9, 5, 1, 3)]
TRUNCATE = [None, 1, 2, 4, 9, 50]


def assert_agree(page, fast, what):
    """|page - engine| <= 1e-12 relative to the size of the values (1e-12 absolute below 1)."""
    page, fast = np.asarray(page), np.asarray(fast)
    assert page.shape == fast.shape and page.dtype == fast.dtype, what
    scale = max(1.0, float(np.abs(fast).max(initial=0.0)))
    err = float(np.abs(page - fast).max(initial=0.0))
    assert err <= 1e-12 * scale, f"{what}: page and engine differ by {err:.2e} (values up to {scale:.2e})"


def lstm_problem(T, B, D, H, seed, initial):
    rng = np.random.default_rng(seed)
    p = ll.init_lstm(D, H, rng=rng, forget_bias=1.0)
    X, W = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H))
    h0, c0, dh_T, dc_T = (rng.normal(size=(B, H)) if initial == "given" else None for _ in range(4))
    return p, X, W, h0, c0, dh_T, dc_T


@pytest.mark.parametrize("T,B,D,H", SHAPES)
@pytest.mark.parametrize("truncate", TRUNCATE)
@pytest.mark.parametrize("initial", ["zeros", "given"])
def test_lstm_page_and_engine_agree(T, B, D, H, truncate, initial):
    p, X, W, h0, c0, dh_T, dc_T = lstm_problem(T, B, D, H, seed=T + 10 * B, initial=initial)
    Hs, trace = lstm.lstm_forward(X, p, h0, c0)
    Hs_fast, trace_fast = engine.lstm_forward(X, p, h0, c0)
    assert_agree(Hs, Hs_fast, "Hs")
    for name, a, b in zip(trace._fields, trace, trace_fast):
        assert_agree(a, b, f"trace.{name}")
    g = lstm.lstm_backward(W, trace, p, dh_T, dc_T, truncate=truncate)
    g_fast = engine.lstm_backward(W, trace_fast, p, dh_T, dc_T, truncate=truncate)
    assert type(g) is type(g_fast) is ll.LSTMGrads
    for name, a, b in zip(g.dparams._fields, g.dparams, g_fast.dparams):
        assert_agree(a, b, f"dparams.{name}")
    for name in ("dX", "dh0", "dc0", "dh", "dc"):
        assert_agree(getattr(g, name), getattr(g_fast, name), name)


@pytest.mark.parametrize("T,B,D,H", SHAPES)
@pytest.mark.parametrize("truncate", TRUNCATE)
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_rnn_page_and_engine_agree(T, B, D, H, truncate, activation):
    rng = np.random.default_rng(T * 7 + H)
    p = ll.init_rnn(D, H, rng=rng)
    X, W, h0, dh_T = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H)), rng.normal(size=(B, H)), rng.normal(size=(B, H))
    Hs, trace = rnn.rnn_forward(X, p, h0, activation)
    Hs_fast, trace_fast = engine.rnn_forward(X, p, h0, activation)
    assert_agree(Hs, Hs_fast, "Hs")
    assert_agree(trace.h_prev, trace_fast.h_prev, "trace.h_prev")
    g = rnn.rnn_backward(W, trace, p, dh_T, truncate=truncate)
    g_fast = engine.rnn_backward(W, trace_fast, p, dh_T, truncate=truncate)
    for name, a, b in zip(g.dparams._fields, g.dparams, g_fast.dparams):
        assert_agree(a, b, f"dparams.{name}")
    for name in ("dX", "dh0", "dh"):
        assert_agree(getattr(g, name), getattr(g_fast, name), name)


@pytest.mark.parametrize("T,B,D,H", SHAPES)
@pytest.mark.parametrize("truncate", [None, 1, 4])
def test_gru_page_and_engine_agree(T, B, D, H, truncate):
    rng = np.random.default_rng(T * 3 + B)
    p = gru.init_gru(D, H, rng=rng, update_bias=1.0)
    X, W, h0, dh_T = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H)), rng.normal(size=(B, H)), rng.normal(size=(B, H))
    Hs, trace = gru.gru_forward(X, p, h0)
    Hs_fast, trace_fast = engine.gru_forward(X, p, h0)
    for name, a, b in zip(trace._fields, trace, trace_fast):
        assert_agree(a, b, f"trace.{name}")
    g = gru.gru_backward(W, trace, p, dh_T, truncate=truncate)
    g_fast = engine.gru_backward(W, trace_fast, p, dh_T, truncate=truncate)
    for name, a, b in zip(g.dparams._fields, g.dparams, g_fast.dparams):
        assert_agree(a, b, f"dparams.{name}")
    for name in ("dX", "dh0", "dh"):
        assert_agree(getattr(g, name), getattr(g_fast, name), name)


@pytest.mark.parametrize("variant", variants.VARIANTS)
@pytest.mark.parametrize("T,B,D,H", SHAPES[:3])
@pytest.mark.parametrize("truncate", [None, 3])
def test_variant_page_and_engine_agree(variant, T, B, D, H, truncate):
    p, X, h0, c0, W = variant_problem(variant, T, B, D, H, seed=T + H)
    dc_T = np.random.default_rng(H).normal(size=(B, H))
    Hs, trace = variants.variant_forward(X, p, variant, h0, c0)
    Hs_fast, trace_fast = engine.variant_forward(X, p, variant, h0, c0)
    for name, a, b in zip(trace._fields, trace, trace_fast):
        assert_agree(a, b, f"trace.{name}")
    g = variants.variant_backward(W, trace, p, variant, dc_T=dc_T, truncate=truncate)
    g_fast = engine.variant_backward(W, trace_fast, p, variant, dc_T=dc_T, truncate=truncate)
    for name, a, b in zip(g.dparams._fields, g.dparams, g_fast.dparams):
        assert_agree(a, b, f"dparams.{name}")
    for name in ("dX", "dh0", "dc0", "dh", "dc"):
        assert_agree(getattr(g, name), getattr(g_fast, name), name)


def test_traces_are_interchangeable():
    """Either forward pass's trace feeds either backward pass: they are the same record."""
    p, X, W, h0, c0, *_ = lstm_problem(7, 2, 3, 4, seed=1, initial="given")
    _, trace = lstm.lstm_forward(X, p, h0, c0)
    _, trace_fast = engine.lstm_forward(X, p, h0, c0)
    a = lstm.lstm_backward(W, trace_fast, p, truncate=3)
    b = engine.lstm_backward(W, trace, p, truncate=3)
    for x, y in zip((*a.dparams, a.dX, a.dh), (*b.dparams, b.dX, b.dh)):
        assert_agree(x, y, "cross")


def test_float32_page_and_engine_stay_close():
    p, X, W, h0, c0, *_ = lstm_problem(20, 4, 3, 8, seed=2, initial="given")
    p32 = p.astype(np.float32)
    args = [a.astype(np.float32) for a in (X, h0, c0)]
    Hs, trace = lstm.lstm_forward(args[0], p32, *args[1:])
    Hs_fast, trace_fast = engine.lstm_forward(args[0], p32, *args[1:])
    assert Hs.dtype == Hs_fast.dtype == np.float32
    np.testing.assert_allclose(Hs, Hs_fast, rtol=1e-5, atol=1e-6)
    g = lstm.lstm_backward(W.astype(np.float32), trace, p32)
    g_fast = engine.lstm_backward(W.astype(np.float32), trace_fast, p32)
    assert g.dparams.W_h.dtype == np.float32
    np.testing.assert_allclose(g.dparams.W_h, g_fast.dparams.W_h, rtol=1e-4, atol=1e-5)


def test_engine_reports_bad_input_like_the_page():
    p = ll.init_lstm(3, 4, rng=np.random.default_rng(0))
    for forward in (lstm.lstm_forward, engine.lstm_forward):
        with pytest.raises(ValueError, match=r"X should have shape \(any, any, 3\)"):
            forward(np.zeros((5, 2, 4)), p)
        with pytest.raises(ValueError, match=r"h0 should have shape \(2, 4\)"):
            forward(np.zeros((5, 2, 3)), p, h0=np.zeros(4))
    Hs, trace = engine.lstm_forward(np.zeros((5, 2, 3)), p)
    for backward in (lstm.lstm_backward, engine.lstm_backward):
        with pytest.raises(ValueError, match="truncate must be a whole number >= 1"):
            backward(np.ones_like(Hs), trace, p, truncate=0)
        with pytest.raises(ValueError, match=r"dc_T should have shape \(2, 4\)"):
            backward(np.ones_like(Hs), trace, p, dc_T=np.ones(4))


def test_training_runs_on_the_engine():
    model = ll.Model("lstm", 2, 4, 1)
    params = ll.init_model(model, np.random.default_rng(0))
    X = np.random.default_rng(1).normal(size=(5, 3, 2))
    out = ll.forward(params, X, model)
    assert out.trace.h_prev.base is not None  # the engine's trace (the page's stacks fresh arrays)
