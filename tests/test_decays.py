"""RG-LRU and S6 (N = 1): every gradient against central differences, the RG-LRU against a line-by-line
transcription of recurrentgemma's RGLRU.__call__, S6 against Mamba's Theorem 1 and (where installed)
mambapy's selective_scan_seq."""

import os

import numpy as np
import pytest

from lstmlearn import gradcheck
from lstmlearn.activations import sigmoid
from lstmlearn.decays import (
    RGLRUParams,
    S6Params,
    rglru_backward,
    rglru_forward,
    s6_backward,
    s6_forward,
    softplus,
)
from lstmlearn.scan import scan_doubling


def rglru_params(H, rng):
    return RGLRUParams(
        rng.normal(size=(H, H)), rng.normal(size=H), rng.normal(size=(H, H)), rng.normal(size=H), rng.normal(size=H)
    )


def s6_params(H, rng):
    return S6Params(
        rng.normal(size=(H, H)) / 2,
        rng.normal(size=H),
        rng.normal(size=(H, 1)),
        rng.normal(size=(H, 1)),
        rng.normal(size=H) / 2,
        rng.normal(size=H),
    )


def recurrentgemma_rglru(x, a_param, input_gate, a_gate, h0=None):
    """recurrentgemma/jax/layers.py, RGLRU.__call__ (commit 2efa84d), only_real, one block, batch-first
    x (bs, length, width); segment_pos = 0, 1, 2, ... when h0 is None, else a continuation (all > 0)."""
    bs, length, _ = x.shape
    segment_pos = np.broadcast_to(np.arange(length) + (0 if h0 is None else 1), (bs, length))
    gate_x = sigmoid(input_gate(x))
    gate_a = sigmoid(a_gate(x))
    log_a = -8.0 * gate_a * softplus(a_param)
    a, a_squared = np.exp(log_a), np.exp(2 * log_a)
    gated_x = x * gate_x
    reset = (segment_pos == 0).astype(a.dtype)
    multiplier = np.sqrt(1 - a_squared)
    multiplier = reset[..., None] + (1 - reset)[..., None] * multiplier
    normalized_x = gated_x * multiplier
    # scan.linear_scan(x=normalized_x, a=a * (1 - reset[..., None]), h0=h0): h_t = a_t h_{t-1} + x_t
    y = scan_doubling(np.swapaxes(a * (1 - reset[..., None]), 0, 1), np.swapaxes(normalized_x, 0, 1), h0)
    return np.swapaxes(y, 0, 1)


@pytest.mark.parametrize("with_h0", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_rglru_matches_the_transcription_of_recurrentgemma(with_h0, seed):
    rng = np.random.default_rng(seed)
    T, B, H = 11, 3, 4
    p = rglru_params(H, rng)
    X, h0 = rng.normal(size=(T, B, H)), rng.normal(size=(B, H)) if with_h0 else None
    Hs, _ = rglru_forward(X, p, h0)
    theirs = recurrentgemma_rglru(
        X.transpose(1, 0, 2), p.Lambda, lambda x: x @ p.W_i + p.b_i, lambda x: x @ p.W_r + p.b_r, h0
    )
    np.testing.assert_allclose(Hs, theirs.transpose(1, 0, 2), rtol=1e-12, atol=1e-12)
    if not with_h0:  # the reset: the first state is i_1 * x_1
        np.testing.assert_allclose(Hs[0], sigmoid(X[0] @ p.W_i + p.b_i) * X[0], rtol=1e-14)


def test_rglru_input_scaling_keeps_the_variance_of_white_noise():
    rng = np.random.default_rng(2)
    H, B = 3, 4000
    # i = 1 (b_i = 30), r = 1/2 (W_r = 0): constant decays a = exp(-4 softplus(Lambda)) = 0.82, 0.29, 0.005
    p = RGLRUParams(np.zeros((H, H)), np.full(H, 30.0), np.zeros((H, H)), np.zeros(H), np.array([-3.0, -1.0, 1.0]))
    X = rng.normal(size=(60, B, H))
    Hs, trace = rglru_forward(X, p, np.zeros((B, H)))
    a = np.exp(-4 * softplus(p.Lambda))
    np.testing.assert_allclose(trace.a[-1, 0], a, rtol=1e-6)
    np.testing.assert_allclose(Hs[-1].var(axis=0), 1.0, rtol=0.06)
    unscaled = scan_doubling(np.broadcast_to(a, X.shape), X)  # the control: h = a h_prev + x
    np.testing.assert_allclose(unscaled[-1].var(axis=0), 1 / (1 - a**2), rtol=0.06)
    assert unscaled[-1, :, 0].var() > 2.5


@pytest.mark.parametrize("with_h0", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_rglru_gradients_match_central_differences(with_h0, seed):
    rng = np.random.default_rng(seed)
    T, B, H = 5, 2, 3
    p = rglru_params(H, rng)
    X, h0, Wl = rng.normal(size=(T, B, H)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))
    h0 = h0 if with_h0 else None

    def loss(W_i, b_i, W_r, b_r, Lambda, X, h0):
        return float(np.sum(Wl * rglru_forward(X, RGLRUParams(W_i, b_i, W_r, b_r, Lambda), h0 if with_h0 else None)[0]))

    _, trace = rglru_forward(X, p, h0)
    dX, dh0, dp = rglru_backward(Wl, trace, p, h0_given=with_h0)
    arrays = p._asdict() | dict(X=X, h0=np.zeros((B, H)) if h0 is None else h0)
    grads = dp._asdict() | dict(X=dX) | (dict(h0=dh0) if with_h0 else {})
    report = gradcheck(loss, arrays, grads)
    assert report.ok(1e-7), report  # h0 gradients are products of small decays: 1e-14 of noise is 1e-8 of them
    if not with_h0:
        assert np.all(dh0 == 0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_s6_gradients_match_central_differences(seed):
    rng = np.random.default_rng(seed)
    T, B, H = 6, 2, 3
    p = s6_params(H, rng)
    X, h0, Wl = rng.normal(size=(T, B, H)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))

    def loss(W_delta, b_delta, w_B, w_C, A_log, D, X, h0):
        return float(np.sum(Wl * s6_forward(X, S6Params(W_delta, b_delta, w_B, w_C, A_log, D), h0)[0]))

    _, trace = s6_forward(X, p, h0)
    dX, dh0, dp = s6_backward(Wl, trace, p)
    report = gradcheck(loss, p._asdict() | dict(X=X, h0=h0), dp._asdict() | dict(X=dX, h0=dh0))
    assert report.ok(1e-7), report  # h0 gradients are products of small decays: 1e-14 of noise is 1e-8 of them


def test_s6_with_zero_order_hold_is_mambas_theorem_1():
    # A = -1 (A_log = 0): a = exp(-softplus(z)) = 1 - sigmoid(z) exactly, the (1 - g) of Theorem 1
    rng = np.random.default_rng(4)
    H = 3
    p = S6Params(
        rng.normal(size=(H, H)), rng.normal(size=H), np.ones((H, 1)), np.ones((H, 1)), np.zeros(H), np.zeros(H)
    )
    X = rng.normal(size=(7, 2, H))
    _, trace = s6_forward(X, p)
    g = sigmoid(X @ p.W_delta + p.b_delta)
    np.testing.assert_allclose(trace.a, 1 - g, rtol=1e-13)


REQUIRE = os.environ.get("LSTMLEARN_REQUIRE_PARITY") == "1"


@pytest.mark.parametrize("seed", [0, 1])
def test_s6_matches_mambapy_selective_scan_seq(seed):
    if REQUIRE:
        import torch
        from mambapy.mamba import MambaBlock
    else:
        torch = pytest.importorskip("torch", reason="needs torch and mambapy (LSTMLEARN_REQUIRE_PARITY=1 fails)")
        MambaBlock = pytest.importorskip("mambapy.mamba", reason="needs mambapy").MambaBlock
    from types import SimpleNamespace

    rng = np.random.default_rng(seed)
    T, B, H = 9, 2, 4
    p = s6_params(H, rng)
    X, Wl = rng.normal(size=(T, B, H)), rng.normal(size=(T, B, H))
    Ys, trace = s6_forward(X, p)
    dX, _, dp = s6_backward(Wl, trace, p)

    t = {k: torch.tensor(v, requires_grad=True) for k, v in p._asdict().items()}
    x = torch.tensor(X.transpose(1, 0, 2), requires_grad=True)  # (B, L, ED)
    delta = torch.nn.functional.softplus(x @ t["W_delta"] + t["b_delta"])
    A = -torch.exp(t["A_log"])[:, None]  # (ED, N = 1)
    block = SimpleNamespace(config=SimpleNamespace(d_inner=H, d_state=1))
    y = MambaBlock.selective_scan_seq(block, x, delta, A, x @ t["w_B"], x @ t["w_C"], t["D"])
    (y * torch.tensor(Wl.transpose(1, 0, 2))).sum().backward()
    np.testing.assert_allclose(Ys, y.detach().numpy().transpose(1, 0, 2), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dX, x.grad.numpy().transpose(1, 0, 2), rtol=1e-12, atol=1e-12)
    for name in p._fields:
        np.testing.assert_allclose(getattr(dp, name), t[name].grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=name)
