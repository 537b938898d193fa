"""minGRU and minLSTM: hand-worked steps, the loop and the scan agree to 1e-12, and every gradient
(loop and reverse-scan backward) matches central differences."""

import numpy as np
import pytest

from lstmlearn import gradcheck
from lstmlearn.minrnn import (
    MinRNNParams,
    init_min_rnn,
    min_rnn_backward,
    min_rnn_forward,
    min_rnn_parallel,
    min_rnn_step,
    min_rnn_trace,
)
from lstmlearn.scan import scan_log, scan_loop

VARIANTS = [
    ("gru", False, "linear"),
    ("gru", True, "linear"),
    ("gru", False, "g"),
    ("lstm", False, "linear"),
    ("lstm", False, "g"),
]


def setup(kind, T=5, B=2, D=3, H=4, seed=0):
    rng = np.random.default_rng(seed)
    p = init_min_rnn(D, H, kind, rng)
    p = p._replace(W=2 * p.W, b=rng.normal(size=p.b.shape))  # non-zero biases
    return p, rng.normal(size=(T, B, D)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))


def test_min_gru_step_by_hand():
    # D = H = 1, W_i = 0, b_i = 0 gives i = 1/2; W_g = 2, b_g = 1 gives g = 2 x + 1
    p = MinRNNParams(W=np.array([[0.0, 2.0]]), b=np.array([0.0, 1.0]))
    s = min_rnn_step(np.array([[1.0]]), np.array([[4.0]]), p)
    assert s.h[0, 0] == pytest.approx(0.5 * 4 + 0.5 * 3)
    signed = min_rnn_step(np.array([[1.0]]), np.array([[4.0]]), p, signed=True)
    assert signed.f_prime[0, 0] == 0.0 and signed.h[0, 0] == pytest.approx(1.5)  # a = 1 - 2 i = 0


def test_min_lstm_step_by_hand():
    # i = sigmoid(0) = 1/2, f = sigmoid(log 3) = 3/4: f' = 3/5, i' = 2/5; g = 1
    p = MinRNNParams(W=np.zeros((1, 3)), b=np.array([0.0, np.log(3), 1.0]))
    s = min_rnn_step(np.array([[7.0]]), np.array([[2.0]]), p, kind="lstm")
    assert (s.f_prime[0, 0], s.i_prime[0, 0]) == pytest.approx((0.6, 0.4))
    assert s.h[0, 0] == pytest.approx(0.6 * 2 + 0.4 * 1)


def test_the_signed_decay_can_flip_the_state_and_the_positive_one_cannot():
    p = MinRNNParams(W=np.zeros((1, 2)), b=np.array([20.0, 0.0]))  # i ~ 1, g = 0: only the decay acts
    X = np.ones((4, 1, 1))
    h_signed, _ = min_rnn_forward(X, p, np.ones((1, 1)), signed=True)
    h_plain, _ = min_rnn_forward(X, p, np.ones((1, 1)))
    assert np.all(np.sign(h_signed[:, 0, 0]) == [-1, 1, -1, 1])
    assert np.all(h_plain >= 0)


@pytest.mark.parametrize("kind, signed, candidate", VARIANTS)
@pytest.mark.parametrize("T", [1, 6, 17])
def test_the_scan_agrees_with_the_loop(kind, signed, candidate, T):
    p, X, h0, _ = setup(kind, T=T, seed=T)
    Hs, _ = min_rnn_forward(X, p, h0, kind, signed, candidate)
    for scan in (scan_loop, None):
        kwargs = {} if scan is None else dict(scan=scan)
        np.testing.assert_allclose(
            min_rnn_parallel(X, p, h0, kind, signed, candidate, **kwargs), Hs, rtol=1e-12, atol=1e-12
        )


def test_the_log_space_min_gru_of_the_paper_agrees_with_the_loop():
    p, X, _, _ = setup("gru", T=30, seed=4)
    h0 = np.full((2, 4), 0.3)  # log space needs h_0 > 0
    Hs, trace = min_rnn_forward(X, p, h0, candidate="g")
    log_b = np.log(trace.i) + np.log(trace.g)
    np.testing.assert_allclose(np.exp(scan_log(np.log(trace.f_prime), log_b, np.log(h0))), Hs, rtol=1e-12)


@pytest.mark.parametrize("kind, signed, candidate", VARIANTS)
@pytest.mark.parametrize("method", ["loop", "scan"])
@pytest.mark.parametrize("seed", [0, 1])
def test_every_gradient_matches_central_differences(kind, signed, candidate, method, seed):
    p, X, h0, Wl = setup(kind, seed=seed)
    Hs, trace = min_rnn_forward(X, p, h0, kind, signed, candidate)
    if candidate == "g":  # g has a kink at 0, where no difference quotient is exact
        assert np.abs(trace.a_g).min() > 5e-3, "choose another seed: a_g is too close to g's kink"

    def loss(W, b, X, h0):
        return float(np.sum(Wl * min_rnn_forward(X, MinRNNParams(W, b), h0, kind, signed, candidate)[0]))

    grads = min_rnn_backward(Wl, trace, p, kind, signed, candidate, method=method)
    analytic = dict(W=grads.dparams.W, b=grads.dparams.b, X=grads.dX, h0=grads.dh0)
    report = gradcheck(loss, dict(W=p.W, b=p.b, X=X, h0=h0), analytic)
    assert report.ok(1e-8), report


@pytest.mark.parametrize("kind, signed, candidate", VARIANTS)
def test_loop_and_scan_backward_agree(kind, signed, candidate):
    p, X, h0, Wl = setup(kind, T=40, seed=9)
    _, trace = min_rnn_forward(X, p, h0, kind, signed, candidate)
    loop = min_rnn_backward(Wl, trace, p, kind, signed, candidate, method="loop")
    scan = min_rnn_backward(Wl, trace, p, kind, signed, candidate, method="scan")
    for a, b in [(loop.dX, scan.dX), (loop.dh0, scan.dh0), (loop.dh, scan.dh), *zip(loop.dparams, scan.dparams)]:
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_bad_input_is_named():
    p, X, h0, _ = setup("gru")
    with pytest.raises(ValueError, match="kind"):
        min_rnn_forward(X, p, kind="rnn")
    with pytest.raises(ValueError, match="signed"):
        min_rnn_forward(X, init_min_rnn(3, 4, "lstm", np.random.default_rng(0)), kind="lstm", signed=True)
    with pytest.raises(ValueError, match=r"W \(D, 3H\)"):
        min_rnn_forward(X, MinRNNParams(np.ones((3, 4)), np.ones(4)), kind="lstm")
    with pytest.raises(ValueError, match="h0 should have shape"):
        min_rnn_parallel(X, p, np.ones((3, 4)))
    with pytest.raises(ValueError, match="X should have shape"):
        min_rnn_forward(X[0], p)


@pytest.mark.parametrize("kind, signed, candidate", VARIANTS)
def test_the_scan_trace_is_the_loops_trace(kind, signed, candidate):
    p, X, h0, _ = setup(kind, T=12, seed=3)
    _, loop = min_rnn_forward(X, p, h0, kind, signed, candidate)
    for a, b in zip(min_rnn_trace(X, p, h0, kind, signed, candidate), loop):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
