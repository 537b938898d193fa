"""The LSTM forward and backward passes: worked examples, properties, gradient checks."""

import math

import numpy as np
import pytest

import lstmlearn as ll
from helpers import lstm_loss, lstm_problem


def one_unit_params(w_x, w_h, b):
    """A 1-input, 1-unit LSTM from per-gate scalars given in the order i, f, g, o."""
    return ll.LSTMParams(np.array([w_x], float), np.array([w_h], float), np.array(b, float))


def test_one_unit_step_by_hand():
    p = one_unit_params([0.5, -1.0, 2.0, 1.0], [0.3, 0.2, -0.4, 0.1], [0.1, 1.0, 0.0, -0.5])
    x, h_prev, c_prev = 2.0, -0.5, 0.25
    def sig(z):
        return 1 / (1 + math.exp(-z))

    i = sig(0.5 * x + 0.3 * h_prev + 0.1)
    f = sig(-1.0 * x + 0.2 * h_prev + 1.0)
    g = math.tanh(2.0 * x - 0.4 * h_prev + 0.0)
    o = sig(1.0 * x + 0.1 * h_prev - 0.5)
    c = f * c_prev + i * g
    h = o * math.tanh(c)
    s = ll.lstm_step([[x]], [[h_prev]], [[c_prev]], p)
    for name, want in dict(i=i, f=f, g=g, o=o, c=c, h=h).items():
        assert getattr(s, name)[0, 0] == pytest.approx(want, rel=1e-15, abs=1e-16), name


def test_one_dimensional_step_matches_batch_of_one():
    p = ll.init_lstm(3, 4, rng=np.random.default_rng(0))
    x, h, c = np.ones(3), np.full(4, 0.1), np.full(4, -0.2)
    s1 = ll.lstm_step(x, h, c, p)
    s2 = ll.lstm_step(x[None], h[None], c[None], p)
    assert s1.h.shape == (4,)
    np.testing.assert_array_equal(s1.h, s2.h[0])


def test_forget_one_input_zero_keeps_cell_exactly():
    rng = np.random.default_rng(1)
    p = ll.init_lstm(3, 5, rng=rng)
    p.b_f[:] = 1e4  # f = sigmoid(1e4) = 1.0 exactly
    p.b_i[:] = -1e4  # i = 0.0 exactly
    c0 = rng.normal(size=(2, 5))
    Hs, tr = ll.lstm_forward(rng.normal(size=(50, 2, 3)), p, c0=c0)
    assert np.all(tr.f == 1.0) and np.all(tr.i == 0.0)
    np.testing.assert_array_equal(tr.c, np.broadcast_to(c0, tr.c.shape))


def test_output_gate_zero_gives_zero_hidden_state():
    rng = np.random.default_rng(2)
    p = ll.init_lstm(3, 5, rng=rng)
    p.b_o[:] = -1e4
    Hs, tr = ll.lstm_forward(rng.normal(size=(10, 2, 3)), p, c0=rng.normal(size=(2, 5)))
    assert np.all(tr.o == 0.0) and np.all(Hs == 0.0)
    assert np.any(tr.c != 0.0)


def test_gates_strictly_inside_their_ranges():
    p, X, h0, c0, _ = lstm_problem(30, 4, 3, 6, seed=3)
    _, tr = ll.lstm_forward(X * 3, p, h0, c0)
    for k in "ifo":
        v = getattr(tr, k)
        assert v.min() > 0 and v.max() < 1, k
    assert tr.g.min() > -1 and tr.g.max() < 1
    assert np.abs(tr.h).max() < 1


@pytest.mark.parametrize("T,B,D,H", [(1, 1, 1, 1), (5, 3, 2, 4), (7, 1, 6, 3), (3, 8, 1, 16)])
def test_shapes_of_every_output_and_gradient(T, B, D, H):
    p, X, h0, c0, W = lstm_problem(T, B, D, H, seed=T * 100 + H)
    Hs, tr = ll.lstm_forward(X, p, h0, c0)
    assert Hs.shape == (T, B, H)
    assert tr.x.shape == (T, B, D)
    for k in ("h_prev", "c_prev", "i", "f", "g", "o", "c", "tanh_c", "h"):
        assert getattr(tr, k).shape == (T, B, H), k
    g = ll.lstm_backward(W, tr, p)
    assert g.dX.shape == X.shape and g.dh0.shape == h0.shape and g.dc0.shape == c0.shape
    for a, da in zip(p, g.dparams):
        assert a.shape == da.shape


def test_trace_links_steps():
    p, X, h0, c0, _ = lstm_problem(6, 2, 3, 4, seed=4)
    Hs, tr = ll.lstm_forward(X, p, h0, c0)
    np.testing.assert_array_equal(tr.h_prev[0], h0)
    np.testing.assert_array_equal(tr.c_prev[0], c0)
    np.testing.assert_array_equal(tr.h_prev[1:], Hs[:-1])
    np.testing.assert_array_equal(tr.c_prev[1:], tr.c[:-1])


@pytest.mark.parametrize("seed", range(4))
def test_step_by_step_equals_sequence(seed):
    p, X, h0, c0, _ = lstm_problem(9, 3, 2, 5, seed=seed)
    Hs, tr = ll.lstm_forward(X, p, h0, c0)
    h, c = h0, c0
    for t in range(len(X)):
        s = ll.lstm_step(X[t], h, c, p)
        for k in ("i", "f", "g", "o", "c", "tanh_c", "h"):
            np.testing.assert_allclose(getattr(s, k), getattr(tr, k)[t], rtol=1e-14, atol=1e-15)
        h, c = s.h, s.c


def _grads_dict(g):
    return dict(W_x=g.dparams.W_x, W_h=g.dparams.W_h, b=g.dparams.b, X=g.dX, h0=g.dh0, c0=g.dc0)


@pytest.mark.parametrize("T,B,D,H,seed", [(1, 1, 1, 1, 0), (6, 3, 4, 5, 1), (12, 2, 3, 4, 2), (4, 5, 2, 7, 3)])
@pytest.mark.parametrize("truncate", [None, 1, 3])
def test_gradcheck_every_array(T, B, D, H, seed, truncate):
    p, X, h0, c0, W = lstm_problem(T, B, D, H, seed)
    Hs, tr = ll.lstm_forward(X, p, h0, c0)
    g = ll.lstm_backward(W, tr, p, truncate=truncate)
    arrays = dict(W_x=p.W_x, W_h=p.W_h, b=p.b, X=X, h0=h0, c0=c0)
    report = ll.gradcheck(lstm_loss(W, truncate, tr), arrays, _grads_dict(g))
    assert report.ok(1e-7), report


def test_gradcheck_with_final_state_gradients():
    p, X, h0, c0, W = lstm_problem(5, 2, 3, 4, seed=5)
    rng = np.random.default_rng(6)
    dh_T, dc_T = rng.normal(size=(2, 2, 4))

    def loss(W_x, W_h, b, X, h0, c0):
        Hs, tr = ll.lstm_forward(X, ll.LSTMParams(W_x, W_h, b), h0, c0)
        return np.sum(W * Hs) + np.sum(dh_T * Hs[-1]) + np.sum(dc_T * tr.c[-1])

    Hs, tr = ll.lstm_forward(X, p, h0, c0)
    g = ll.lstm_backward(W, tr, p, dh_T=dh_T, dc_T=dc_T)
    report = ll.gradcheck(loss, dict(W_x=p.W_x, W_h=p.W_h, b=p.b, X=X, h0=h0, c0=c0), _grads_dict(g))
    assert report.ok(1e-7), report


def test_truncation_longer_than_sequence_is_exact():
    p, X, h0, c0, W = lstm_problem(6, 2, 3, 4, seed=7)
    _, tr = ll.lstm_forward(X, p, h0, c0)
    full, cut = ll.lstm_backward(W, tr, p), ll.lstm_backward(W, tr, p, truncate=6)
    for a, b in zip(_grads_dict(full).values(), _grads_dict(cut).values()):
        np.testing.assert_array_equal(a, b)


def test_truncation_changes_gradient_and_cuts_h0():
    p, X, h0, c0, W = lstm_problem(8, 2, 3, 4, seed=8)
    W[:4] = 0  # only the last four steps have a loss
    _, tr = ll.lstm_forward(X, p, h0, c0)
    full = ll.lstm_backward(W, tr, p)
    cut = ll.lstm_backward(W, tr, p, truncate=3)
    assert np.abs(full.dh0).max() > 1e-6
    assert np.all(cut.dh0 == 0) and np.all(cut.dc0 == 0)
    assert np.all(cut.dX[:2] == 0)  # no window of 3 steps reaches back to steps 0, 1
    assert np.abs(cut.dX[2]).max() > 0


def test_step_backward_matches_sequence_backward_for_one_step():
    p, X, h0, c0, W = lstm_problem(1, 3, 2, 4, seed=9)
    _, tr = ll.lstm_forward(X, p, h0, c0)
    g = ll.lstm_backward(W, tr, p)
    s = ll.lstm_step(X[0], h0, c0, p)
    step = ll.lstm_step_backward(W[0], np.zeros_like(c0), s, p)
    np.testing.assert_allclose(step.dx, g.dX[0], rtol=1e-13)
    np.testing.assert_allclose(step.dh_prev, g.dh0, rtol=1e-13)
    np.testing.assert_allclose(step.dc_prev, g.dc0, rtol=1e-13)
    np.testing.assert_allclose(step.dc, g.dc[0], rtol=1e-13)
    for a, b in zip(step.dparams, g.dparams):
        np.testing.assert_allclose(a, b, rtol=1e-13)


def test_float32_stays_float32_and_agrees_with_float64():
    p, X, h0, c0, W = lstm_problem(20, 4, 3, 8, seed=10, dtype=np.float32)
    Hs, tr = ll.lstm_forward(X, p, h0, c0)
    g = ll.lstm_backward(W, tr, p)
    assert Hs.dtype == np.float32 and g.dparams.W_h.dtype == np.float32 and g.dX.dtype == np.float32
    p64 = p.astype(np.float64)
    Hs64, tr64 = ll.lstm_forward(X.astype(np.float64), p64, h0.astype(np.float64), c0.astype(np.float64))
    g64 = ll.lstm_backward(W.astype(np.float64), tr64, p64)
    np.testing.assert_allclose(Hs, Hs64, atol=1e-5)
    np.testing.assert_allclose(g.dparams.W_h, g64.dparams.W_h, rtol=1e-3, atol=1e-4)


def test_large_preactivations_no_warnings_no_nan():
    rng = np.random.default_rng(11)
    p = ll.init_lstm(2, 3, rng=rng)
    p.W_x[:] = rng.choice([-1e4, 1e4], size=p.W_x.shape)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        Hs, tr = ll.lstm_forward(rng.normal(size=(5, 2, 2)), p)
        g = ll.lstm_backward(np.ones_like(Hs), tr, p)
    assert np.isfinite(Hs).all() and all(np.isfinite(a).all() for a in g.dparams)


# ---- bad input: the error names the argument, what was expected and what came ----

def _setup():
    p = ll.init_lstm(3, 4, rng=np.random.default_rng(0))
    return p, np.zeros((5, 2, 3))


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(X=np.zeros((5, 3))), ValueError, ["X", "(T, B, D)", "(5, 3)", "X[:, None, :]"]),
    (dict(X=np.zeros((5, 2, 4))), ValueError, ["X", "(any, any, 3)", "(5, 2, 4)", "input_size"]),
    (dict(X=np.zeros((5, 2, 3), dtype=int)), TypeError, ["X", "int64", "float"]),
    (dict(h0=np.zeros((3, 4))), ValueError, ["h0", "(2, 4)", "(3, 4)"]),
    (dict(c0=np.zeros((2, 5))), ValueError, ["c0", "(2, 4)", "(2, 5)"]),
    (dict(X=np.full((5, 2, 3), np.nan)), ValueError, ["X", "nan", "(0, 0, 0)"]),
    (dict(h0=np.full((2, 4), np.inf)), ValueError, ["h0", "inf"]),
    (dict(X=np.zeros((0, 2, 3))), ValueError, ["X", "at least one time step"]),
])
def test_forward_bad_input(kwargs, exc, words):
    p, X = _setup()
    args = dict(X=X, p=p) | kwargs
    with pytest.raises(exc) as err:
        ll.lstm_forward(**args)
    for w in words:
        assert w in str(err.value), (w, str(err.value))


def test_bad_params_name_the_array_and_its_shape():
    p, X = _setup()
    with pytest.raises(ValueError, match=r"p.W_x should have shape \(any, 16\)"):
        ll.lstm_forward(X, ll.LSTMParams(p.W_x[:, :12], p.W_h, p.b))
    with pytest.raises(ValueError, match=r"p.b should have shape \(16,\)"):
        ll.lstm_forward(X, ll.LSTMParams(p.W_x, p.W_h, p.b[:4]))
    with pytest.raises(TypeError, match="must be an lstmlearn.LSTMParams"):
        ll.lstm_forward(X, ll.RNNParams(p.W_x, p.W_h, p.b))
    with pytest.raises(TypeError, match="different dtypes"):
        ll.lstm_forward(X, ll.LSTMParams(p.W_x.astype(np.float32), p.W_h, p.b))
    bad = p.copy()
    bad.W_h[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"p.W_h contains nan at index \(1, 2\)"):
        ll.lstm_forward(X, bad)


def test_backward_bad_input():
    p, X = _setup()
    Hs, tr = ll.lstm_forward(X, p)
    with pytest.raises(ValueError, match=r"dHs should have shape \(5, 2, 4\).*\(5, 4\)"):
        ll.lstm_backward(np.ones((5, 4)), tr, p)
    with pytest.raises(ValueError, match="truncate must be a whole number >= 1"):
        ll.lstm_backward(np.ones_like(Hs), tr, p, truncate=0)
    with pytest.raises(ValueError, match=r"dc_T should have shape \(2, 4\)"):
        ll.lstm_backward(np.ones_like(Hs), tr, p, dc_T=np.ones(4))
    with pytest.raises(ValueError, match="dHs contains nan"):
        ll.lstm_backward(np.full_like(Hs, np.nan), tr, p)


def test_step_bad_input():
    p, _ = _setup()
    with pytest.raises(ValueError, match=r"h_prev should have shape \(2, 4\)"):
        ll.lstm_step(np.zeros((2, 3)), np.zeros((1, 4)), np.zeros((2, 4)), p)
    with pytest.raises(ValueError, match="For a whole sequence"):
        ll.lstm_step(np.zeros((5, 2, 3)), np.zeros((2, 4)), np.zeros((2, 4)), p)


def test_per_step_state_gradients():
    """g.dh[t], g.dc[t] are dL/dh_t, dL/dc_t: check them by perturbing h_t, c_t mid-sequence."""
    p, X, h0, c0, W = lstm_problem(7, 2, 3, 4, seed=12)
    Hs, tr = ll.lstm_forward(X, p, h0, c0)
    g = ll.lstm_backward(W, tr, p)
    t = 3

    def loss_h(h_t, c_t):  # the loss as a function of the state after step t
        rest, _ = ll.lstm_forward(X[t + 1:], p, h_t, c_t)
        return np.sum(W[:t] * Hs[:t]) + np.sum(W[t] * h_t) + np.sum(W[t + 1:] * rest)

    def loss_c(c_t):  # c_t reaches the loss through c_{t+1} and through h_t = o_t tanh(c_t)
        return loss_h(tr.o[t] * np.tanh(c_t), c_t)

    report = ll.gradcheck(loss_h, dict(h_t=tr.h[t], c_t=tr.c[t]), dict(h_t=g.dh[t]))
    report |= ll.gradcheck(loss_c, dict(c_t=tr.c[t]), dict(c_t=g.dc[t]))
    assert report.ok(1e-7), report
    np.testing.assert_array_equal(g.dh[-1], W[-1])
