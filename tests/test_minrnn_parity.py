"""Agreement in float64, outputs and gradients, with the reference implementations of notebook 10:
minGRU-pytorch 0.2.1 (minGRU, minLSTM, heinsen_associative_scan_log) and mambapy 1.2.0 (pscan).

Their conventions, read from their source:
* both are batch-first (B, T, H); lstmlearn is time-major (T, B, H);
* minGRU-pytorch has no biases (Linear(..., bias=False)), chunks its projection as
  (hidden, gate) and (hidden, f_gate, i_gate), and applies the positive g() to the candidate in
  both its modes: lstmlearn's candidate="g", gate order i | g and i | f | g, zero b;
* h_0 (prev_hidden), the known quirk: the parallel (log-space) minGRU takes log(prev_hidden),
  so a negative h_0 gives NaN; the parallel minLSTM takes log_g(prev_hidden), so its state starts
  from g(h_0), not h_0, while its one-step mode (seq_len == 1) starts from h_0 itself.
  Without prev_hidden both start from h_0 = 0, as lstmlearn does.

These tests skip without torch and the two packages, except where the environment variable
LSTMLEARN_REQUIRE_PARITY=1 says they must be there (.ci/run sets it where it installed them).
"""

import os

import numpy as np
import pytest

from lstmlearn.minrnn import MinRNNParams, min_rnn_backward, min_rnn_forward, min_rnn_step
from lstmlearn.scan import g, scan_backward, scan_doubling, scan_log, scan_log_backward

if os.environ.get("LSTMLEARN_REQUIRE_PARITY") == "1":  # set in CI where they are installed: never skip there
    import torch
    from mambapy.pscan import pscan
    from minGRU_pytorch.minGRU import heinsen_associative_scan_log, minGRU
    from minGRU_pytorch.minLSTM import minLSTM
else:
    reason = "needs torch, minGRU-pytorch and mambapy (set LSTMLEARN_REQUIRE_PARITY=1 to fail instead)"
    torch = pytest.importorskip("torch", reason=reason)
    pscan = pytest.importorskip("mambapy.pscan", reason=reason).pscan
    _mingru = pytest.importorskip("minGRU_pytorch.minGRU", reason=reason)
    heinsen_associative_scan_log, minGRU = _mingru.heinsen_associative_scan_log, _mingru.minGRU
    minLSTM = pytest.importorskip("minGRU_pytorch.minLSTM", reason=reason).minLSTM

TOL = dict(rtol=1e-12, atol=1e-12)


def reference_module(kind, H, seed):
    torch.manual_seed(seed)
    module = (minGRU if kind == "gru" else minLSTM)(H).double()
    weight = module.to_hidden_and_gate.weight if kind == "gru" else module.to_hidden_and_f_i_gate.weight
    with torch.no_grad():
        weight.mul_(3.0)  # gates well away from 1/2, so a wrong gate order shows
    return module, weight


def ours_from(weight, kind, H):
    """Their (nH, D) weight, chunked (hidden, gate) or (hidden, f, i), as our W (D, nH), i | g or i | f | g."""
    w = weight.detach().numpy().T
    blocks = [w[:, H:], w[:, :H]] if kind == "gru" else [w[:, 2 * H :], w[:, H : 2 * H], w[:, :H]]
    return MinRNNParams(np.concatenate(blocks, axis=1), np.zeros(w.shape[1]))


def our_grad_as_theirs(dW, kind, H):
    blocks = [dW[:, H:], dW[:, :H]] if kind == "gru" else [dW[:, 2 * H :], dW[:, H : 2 * H], dW[:, :H]]
    return np.concatenate(blocks, axis=1).T


@pytest.mark.parametrize("kind", ["gru", "lstm"])
@pytest.mark.parametrize("T, B, H, seed", [(2, 1, 3, 0), (9, 3, 4, 1), (33, 2, 5, 2)])
def test_outputs_and_gradients_match_from_a_zero_state(kind, T, B, H, seed):
    module, weight = reference_module(kind, H, seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(T, B, H))
    Wl = rng.normal(size=(T, B, H))
    x = torch.tensor(X.transpose(1, 0, 2), requires_grad=True)
    out = module(x)
    (out * torch.tensor(Wl.transpose(1, 0, 2))).sum().backward()

    p = ours_from(weight, kind, H)
    Hs, trace = min_rnn_forward(X, p, kind=kind, candidate="g")
    np.testing.assert_allclose(Hs, out.detach().numpy().transpose(1, 0, 2), **TOL)
    grads = min_rnn_backward(Wl, trace, p, kind=kind, candidate="g", method="scan")
    np.testing.assert_allclose(grads.dX, x.grad.numpy().transpose(1, 0, 2), **TOL)
    np.testing.assert_allclose(our_grad_as_theirs(grads.dparams.W, kind, H), weight.grad.numpy(), **TOL)


@pytest.mark.parametrize("seed", [0, 1])
def test_min_gru_with_a_positive_h0_matches_and_a_negative_one_is_nan_there(seed):
    H, B, T = 4, 2, 7
    module, weight = reference_module("gru", H, seed)
    rng = np.random.default_rng(seed)
    X, h0, Wl = rng.normal(size=(T, B, H)), rng.uniform(0.1, 2.0, size=(B, H)), rng.normal(size=(T, B, H))
    x = torch.tensor(X.transpose(1, 0, 2), requires_grad=True)
    prev = torch.tensor(h0[:, None, :], requires_grad=True)
    out = module(x, prev)
    (out * torch.tensor(Wl.transpose(1, 0, 2))).sum().backward()
    p = ours_from(weight, "gru", H)
    Hs, trace = min_rnn_forward(X, p, h0, candidate="g")
    np.testing.assert_allclose(Hs, out.detach().numpy().transpose(1, 0, 2), **TOL)
    grads = min_rnn_backward(Wl, trace, p, candidate="g")
    np.testing.assert_allclose(grads.dh0, prev.grad.numpy()[:, 0], **TOL)

    with torch.no_grad():
        theirs = module(x, -prev)  # log of a negative h_0
    assert torch.isnan(theirs).all()
    assert np.isfinite(min_rnn_forward(X, p, -h0, candidate="g")[0]).all()


def test_min_lstm_starts_its_parallel_mode_from_g_of_h0_and_its_step_mode_from_h0():
    H, B, T = 3, 2, 6
    module, weight = reference_module("lstm", H, 5)
    rng = np.random.default_rng(5)
    X, h0 = rng.normal(size=(T, B, H)), rng.normal(size=(B, H))
    p = ours_from(weight, "lstm", H)
    with torch.no_grad():
        parallel = module(torch.tensor(X.transpose(1, 0, 2)), torch.tensor(h0[:, None, :])).numpy()
        step = module(torch.tensor(X[:1].transpose(1, 0, 2)), torch.tensor(h0[:, None, :])).numpy()
    np.testing.assert_allclose(
        parallel.transpose(1, 0, 2), min_rnn_forward(X, p, g(h0), kind="lstm", candidate="g")[0], **TOL
    )
    np.testing.assert_allclose(step[:, 0], min_rnn_step(X[0], h0, p, kind="lstm", candidate="g").h, **TOL)
    assert not np.allclose(g(h0), h0)  # so the two modes really differ


def test_heinsen_scan_matches_scan_log_with_gradients():
    rng = np.random.default_rng(3)
    T, B, H = 50, 2, 3
    log_a, log_b, Wl = np.log(rng.uniform(0.3, 1.0, (T, B, H))), rng.normal(size=(T, B, H)), rng.normal(size=(T, B, H))
    la = torch.tensor(log_a.transpose(1, 0, 2), requires_grad=True)
    lb = torch.tensor(log_b.transpose(1, 0, 2), requires_grad=True)
    h = heinsen_associative_scan_log(la, lb)
    (h * torch.tensor(Wl.transpose(1, 0, 2))).sum().backward()
    log_h = scan_log(log_a, log_b)
    np.testing.assert_allclose(np.exp(log_h), h.detach().numpy().transpose(1, 0, 2), **TOL)
    grads = scan_log_backward(Wl, log_a, log_b, log_h)
    np.testing.assert_allclose(grads.da, la.grad.numpy().transpose(1, 0, 2), **TOL)
    np.testing.assert_allclose(grads.db, lb.grad.numpy().transpose(1, 0, 2), **TOL)


@pytest.mark.parametrize("L", [1, 8, 13, 64])
def test_mambapy_pscan_matches_scan_doubling_with_gradients(L):
    rng = np.random.default_rng(L)
    B, D, N = 2, 3, 2
    a, b, Wl = rng.uniform(-1, 1, (L, B, D, N)), rng.normal(size=(L, B, D, N)), rng.normal(size=(L, B, D, N))
    A = torch.tensor(a.transpose(1, 0, 2, 3), requires_grad=True)
    X = torch.tensor(b.transpose(1, 0, 2, 3), requires_grad=True)
    hs = pscan(A, X)
    (hs * torch.tensor(Wl.transpose(1, 0, 2, 3))).sum().backward()
    h = scan_doubling(a, b)
    np.testing.assert_allclose(h, hs.detach().numpy().transpose(1, 0, 2, 3), **TOL)
    grads = scan_backward(Wl, a, h, scan=scan_doubling)
    np.testing.assert_allclose(grads.da, A.grad.numpy().transpose(1, 0, 2, 3), **TOL)
    np.testing.assert_allclose(grads.db, X.grad.numpy().transpose(1, 0, 2, 3), **TOL)
