"""The maths behind the figures and explorers, checked against independent computations."""

import warnings

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.gradflow import (gradient_flow, rnn_jacobian_norms, rnn_with_spectral_radius,
                                scaled_recurrent_matrix, vanishing_curves)
from lstmlearn.memory import cell_path_gradient, cell_trajectory, half_life
from helpers import lstm_problem, rnn_problem


@pytest.mark.parametrize("f", [0.5, 0.9, 0.99, 0.2])
def test_half_life_is_where_f_to_the_t_reaches_one_half(f):
    n = half_life(f)
    assert f ** n == pytest.approx(0.5, rel=1e-12)


def test_half_life_worked_values_and_limits():
    assert half_life(0.5) == pytest.approx(1.0)
    assert half_life(0.9) == pytest.approx(6.578813478960585)
    assert half_life(1.0) == np.inf and half_life(0.0) == 0.0
    np.testing.assert_allclose(half_life(np.array([0.5, 0.25])), [1.0, 0.5])
    with pytest.raises(ValueError, match="f must be"):
        half_life(1.5)


def test_cell_trajectory_matches_the_closed_form():
    f, i, g, c0, T = 0.8, 0.6, -0.7, 0.3, 25
    t = np.arange(T + 1)
    closed = f ** t * c0 + i * g * (1 - f ** t) / (1 - f)  # geometric series
    np.testing.assert_allclose(cell_trajectory(f, i, g, T, c0), closed, rtol=1e-12)


def test_cell_trajectory_keeps_c_exactly_with_f_1_and_i_0():
    np.testing.assert_array_equal(cell_trajectory(1.0, 0.0, 0.9, 10, c0=0.37), np.full(11, 0.37))


def test_cell_trajectory_agrees_with_lstm_forward():
    # An LSTM whose gates are constant (no weights, only biases) runs the same recursion.
    H, T = 3, 12
    b = np.array([0.3, -1.0, 2.0, 1.5, 0.2, 0.0, -0.5, 1.0, 0.0, 0.0, 0.0, 0.0])
    p = ll.LSTMParams(np.zeros((1, 4 * H)), np.zeros((H, 4 * H)), b)
    c0 = np.array([[0.5, -0.2, 0.9]])
    _, trace = ll.lstm_forward(np.zeros((T, 1, 1)), p, None, c0)
    def s(z):
        return 1 / (1 + np.exp(-z))

    c = cell_trajectory(s(b[3:6]), s(b[:3]), np.tanh(b[6:9]), T, c0[0])
    np.testing.assert_allclose(c[1:], trace.c[:, 0], rtol=1e-12)


def test_cell_path_gradient_is_the_product_of_later_forget_values():
    f = np.array([0.9, 0.5, 0.8, 0.7])
    expected = [0.9 * 0.5 * 0.8 * 0.7, 0.5 * 0.8 * 0.7, 0.8 * 0.7, 0.7, 1.0]
    np.testing.assert_allclose(cell_path_gradient(f), expected)
    np.testing.assert_allclose(cell_path_gradient(np.full(6, 0.9)), 0.9 ** np.arange(6, -1, -1))


def test_cell_path_gradient_equals_lstm_backward_when_only_the_cell_path_exists():
    # With i independent of c (W_h = 0) and a loss on c_T only, dL/dc_t is exactly prod f.
    rng = np.random.default_rng(3)
    T, H = 8, 4
    p = ll.init_lstm(2, H, rng)
    p = ll.LSTMParams(p.W_x, np.zeros_like(p.W_h), p.b)
    X = rng.normal(size=(T, 1, 2))
    _, trace = ll.lstm_forward(X, p)
    grads = ll.lstm_backward(np.zeros((T, 1, H)), trace, p, dc_T=np.ones((1, H)))
    prod = cell_path_gradient(trace.f[:, 0])  # (T + 1, H)
    np.testing.assert_allclose(grads.dc[:, 0], prod[1:], rtol=1e-12)
    np.testing.assert_allclose(grads.dc0[0], prod[0], rtol=1e-12)


def test_scaled_recurrent_matrix_has_the_requested_spectral_radius():
    W = scaled_recurrent_matrix(20, 1.3, np.random.default_rng(0))
    assert np.max(np.abs(np.linalg.eigvals(W))) == pytest.approx(1.3)
    W2 = scaled_recurrent_matrix(20, 1.3, np.random.default_rng(0))
    np.testing.assert_array_equal(W, W2)  # seeded: the same matrix again


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_rnn_jacobian_norms_match_backward_passes_with_a_loss_on_h_T(activation):
    # Independent: H backward passes (one per basis vector e_k as dL/dh_T, batched as B = H
    # copies of one sequence) assemble P_t = dh_T-to-dh_t row by row.
    T, H = 15, 6
    rng = np.random.default_rng(1)
    p = rnn_with_spectral_radius(2, H, 1.1, rng)
    X = np.repeat(rng.normal(size=(T, 1, 2)), H, axis=1)  # (T, H, 2)
    h0 = np.repeat(rng.normal(size=(1, H)) * 0.3, H, axis=0)
    _, trace = ll.rnn_forward(X, p, h0, activation)
    dHs = np.zeros((T, H, H))
    dHs[-1] = np.eye(H)
    grads = ll.rnn_backward(dHs, trace, p)
    expected = [np.linalg.norm(grads.dh0, 2)] + [np.linalg.norm(grads.dh[t], 2) for t in range(T)]
    np.testing.assert_allclose(rnn_jacobian_norms(trace, p, example=0), expected, rtol=1e-10)


def test_rnn_jacobian_norm_matches_finite_differences():
    T, H, t0 = 10, 5, 3
    rng = np.random.default_rng(2)
    p = rnn_with_spectral_radius(1, H, 0.9, rng)
    X = rng.normal(size=(T, 1, 1))
    Hs, trace = ll.rnn_forward(X, p)
    h_t0 = Hs[t0 - 1]  # h_{t0}, steps numbered from 1
    eps = 1e-6
    J = np.empty((H, H))  # J[:, k] = d h_T / d h_t0[k] (column convention)
    for k in range(H):
        d = np.zeros((1, H))
        d[0, k] = eps
        plus = ll.rnn_forward(X[t0:], p, h_t0 + d)[0][-1, 0]
        minus = ll.rnn_forward(X[t0:], p, h_t0 - d)[0][-1, 0]
        J[:, k] = (plus - minus) / (2 * eps)
    assert rnn_jacobian_norms(trace, p)[t0] == pytest.approx(np.linalg.norm(J, 2), rel=1e-6)


def test_gradient_flow_norms():
    p, X, h0, c0, W = lstm_problem(6, 3, 2, 4, seed=0)
    _, trace = ll.lstm_forward(X, p, h0, c0)
    grads = ll.lstm_backward(W, trace, p)
    flow = gradient_flow(grads)
    for t in range(6):
        assert flow.h[t] == pytest.approx(np.sqrt((grads.dh[t] ** 2).sum()))
        assert flow.c[t] == pytest.approx(np.sqrt((grads.dc[t] ** 2).sum()))
    p, X, h0, W = rnn_problem(5, 2, 3, 4, seed=0)
    _, trace = ll.rnn_forward(X, p, h0)
    rflow = gradient_flow(ll.rnn_backward(W, trace, p))
    assert rflow.c is None and rflow.h.shape == (5,)


def test_vanishing_curves_regimes_and_extremes_stay_finite():
    small = vanishing_curves(0.5, "tanh", 40, 0.9)
    assert small.rnn[0] < 1e-6 and small.rnn[-1] == 1.0
    np.testing.assert_allclose(small.lstm, 0.9 ** (40 - small.t))
    big = vanishing_curves(3.0, "tanh", 40, 0.9)
    assert big.rnn[30] > 1  # a large spectral radius lets the gradient grow near the end
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        for rho, act, T, f in [(2.0, "relu", 300, 1.0), (0.05, "relu", 300, 0.0), (3.0, "tanh", 300, 0.5)]:
            curves = vanishing_curves(rho, act, T, f)
            assert np.all(np.isfinite(curves.rnn)) and np.all(np.isfinite(curves.lstm))
