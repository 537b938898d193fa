"""Agreement with the official xLSTM code (NX-AI's xlstm and mlstm_kernels), float64, outputs and
gradients (PyTorch autograd through the official functions) to 1e-10.

The official code's conventions, and where lstmlearn.slstm and lstmlearn.mlstm meet them:

sLSTM, the "vanilla" backend (xlstm/blocks/slstm/src/vanilla/): slstm_forward(x, states, R, b,
pointwise_forward) takes the input's pre-activations Wx (S, B, 4H), states (4, B, H) in the
order h, c, n, m, recurrent weights R (K, 4d, d) per head and b (4H,). Gates are in the order
i, f, z, o, gate-major (each gate's H columns head by head), as in lstmlearn.slstm. Its R[k]
is lstmlearn's R[k] transposed (it computes h_k @ R[k]^T). First step: while every n is 0 it
sets m = i~ (the input pre-activation), which is what lstmlearn's empty memory m_0 = -inf gives;
the forget gate is then min(exp(log f + m_prev - m), 1) times c_prev = 0. It lets the gradient
flow through m (lstmlearn holds m fixed: the gradients agree, as h does not depend on m).
Its "lstm" pointwise function is a plain LSTM with gate order i, f, z, o (z is PyTorch's g).

mLSTM (xlstm/blocks/mlstm/backends.py and mlstm_kernels/torch, native PyTorch): q, k, v are
(B, NH, S, d), i~ and f~ (B, NH, S); each (batch, head) pair is an example of lstmlearn.mlstm.
The memory is stored as k v^T (lstmlearn: v k^T) and keys or queries are scaled by
1 / sqrt(d). The recurrent forms start from m_0 = 0 (zero_mlstm_state), the parallel forms
stabilise each row by its maximum (empty memory, m_0 = -inf). eps = 1e-6 is added to the
readout's denominator. The parallel forms' gradients are checked against
lstmlearn.mlstm_parallel_grad as well as against the recurrent form's backward pass.

These tests skip without torch, xlstm or mlstm_kernels (on Python 3.10 mlstm_kernels cannot
be installed), except where LSTMLEARN_REQUIRE_XLSTM=1 says they must be there (CI sets it
where it installed them): pip install -e ".[xlstm-parity]" after the PyTorch CPU wheel.
"""

import os
import sys

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn import mlstm, slstm
from lstmlearn.mlstm_parallel_grad import mlstm_parallel_backward, mlstm_parallel_forward

if os.environ.get("LSTMLEARN_REQUIRE_XLSTM") == "1":  # set in CI where they are installed: never skip there
    import mlstm_kernels  # noqa: F401
    import torch
    import xlstm  # noqa: F401
else:
    if sys.version_info < (3, 11):
        pytest.skip("the official xLSTM code (mlstm_kernels) needs Python 3.11 or newer", allow_module_level=True)
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (set LSTMLEARN_REQUIRE_XLSTM=1 to fail)")
    pytest.importorskip("xlstm", reason='xlstm is not installed: pip install -e ".[xlstm-parity]"')
    pytest.importorskip("mlstm_kernels", reason='mlstm_kernels is not installed: pip install -e ".[xlstm-parity]"')

from mlstm_kernels.torch.chunkwise.native.fwbw import mlstm_chunkwise__native_autograd  # noqa: E402
from mlstm_kernels.torch.parallel.native.fwbw import mlstm_parallel__native_autograd  # noqa: E402
from mlstm_kernels.torch.recurrent.native_sequence import mlstm_recurrent_sequence__native_fw  # noqa: E402
from xlstm.blocks.mlstm import backends  # noqa: E402
from xlstm.blocks.slstm.src import vanilla  # noqa: E402

CLOSE = dict(rtol=1e-10, atol=1e-12)


def _t(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


# ---------------------------------------------------------------- sLSTM


def _official_slstm(X, p, W, state0=None):
    """Hs from the official vanilla backend, and the autograd gradients of sum(Hs * W).

    state0 : None (the official zero state) or an SLSTMState, handed over as states (h, c, n, m)."""
    T, B, _ = X.shape
    H = p.hidden_size
    Xt, W_xt, Rt, bt = _t(X), _t(p.W_x), _t(np.transpose(p.R, (0, 2, 1))), _t(p.b)
    states = _t(np.zeros((4, B, H)) if state0 is None else np.stack(state0))
    fn = vanilla.slstm_pointwise_function_registry["slstm"]
    states_all, last, _ = vanilla.slstm_forward(Xt @ W_xt, states, Rt, bt, fn)
    Hs = states_all[0, 1:]
    (Hs * torch.from_numpy(W)).sum().backward()
    grads = dict(
        W_x=W_xt.grad.numpy(), R=np.transpose(Rt.grad.numpy(), (0, 2, 1)), b=bt.grad.numpy(), X=Xt.grad.numpy()
    )
    grads.update(h0=states.grad[0].numpy(), c0=states.grad[1].numpy(), n0=states.grad[2].numpy())
    return Hs.detach().numpy(), states_all.detach().numpy(), grads


@pytest.mark.parametrize(
    "T,B,D,H,K,seed", [(1, 1, 1, 1, 1, 0), (6, 3, 4, 8, 2, 1), (12, 2, 5, 12, 3, 2), (5, 4, 3, 4, 4, 3)]
)
def test_slstm_matches_official_vanilla_backend(T, B, D, H, K, seed):
    rng = np.random.default_rng(seed)
    p = slstm.init_slstm(D, H, K, rng, scale=1.0)
    X, W = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H))
    Hs_off, states_off, g_off = _official_slstm(X, p, W)
    Hs, tr = slstm.slstm_forward(X, p)
    np.testing.assert_allclose(Hs, Hs_off, **CLOSE)
    # the same first-step convention gives the same stabiliser, hence the same c, n, m
    for k, name in enumerate("hcnm"):
        np.testing.assert_allclose(getattr(tr, name), states_off[k, 1:], **CLOSE)
    g = slstm.slstm_backward(W, tr, p)
    for name in ("W_x", "R", "b"):
        np.testing.assert_allclose(getattr(g.dparams, name), g_off[name], **CLOSE)
    np.testing.assert_allclose(g.dX, g_off["X"], **CLOSE)


@pytest.mark.parametrize("seed", range(4))
def test_slstm_matches_official_from_a_given_state(seed):
    """From a state with n != 0 the official code takes m = max(log f + m_prev, i~) at once, as lstmlearn."""
    rng = np.random.default_rng(seed)
    T, B, D, H, K = 6, 3, 4, 6, 2
    p = slstm.init_slstm(D, H, K, rng, scale=1.0)
    X, W = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H))
    state0 = slstm.SLSTMState(
        rng.normal(size=(B, H)), rng.normal(size=(B, H)), rng.uniform(0.5, 2, (B, H)), rng.normal(size=(B, H))
    )
    Hs_off, states_off, g_off = _official_slstm(X, p, W, state0)
    Hs, tr = slstm.slstm_forward(X, p, state0)
    np.testing.assert_allclose(Hs, Hs_off, **CLOSE)
    np.testing.assert_allclose(tr.m, states_off[3, 1:], **CLOSE)
    g = slstm.slstm_backward(W, tr, p)
    for name in ("W_x", "R", "b"):
        np.testing.assert_allclose(getattr(g.dparams, name), g_off[name], **CLOSE)
    for ours, name in ((g.dX, "X"), (g.dh0, "h0"), (g.dc0, "c0"), (g.dn0, "n0")):
        np.testing.assert_allclose(ours, g_off[name], **CLOSE)


@pytest.mark.parametrize("B,H,seed", [(1, 1, 0), (4, 6, 1), (3, 16, 2)])
def test_official_lstm_pointwise_is_lstmlearns_lstm_step(B, H, seed):
    """The official sLSTM code carries a plain LSTM as a pointwise function: it is lstm_step."""
    rng = np.random.default_rng(seed)
    D = 3
    p = ll.init_lstm(D, H, rng=rng)
    p = p._replace(b=rng.uniform(-1, 1, 4 * H))
    x, h_prev, c_prev = rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H))
    states = torch.from_numpy(np.stack([h_prev, c_prev]))
    Wx, Ry = torch.from_numpy(x @ p.W_x), torch.from_numpy(h_prev @ p.W_h)
    new, gates = vanilla.slstm_pointwise_function_registry["lstm"](Wx, Ry, torch.from_numpy(p.b), states, {})
    s = ll.lstm_step(x, h_prev, c_prev, p)
    np.testing.assert_allclose(new[0].numpy(), s.h, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(new[1].numpy(), s.c, rtol=1e-14, atol=1e-15)
    for k, name in enumerate("ifo"):
        np.testing.assert_allclose(gates[(0, 1, 3)[k]].numpy(), getattr(s, name), rtol=1e-14, atol=1e-15)


# ---------------------------------------------------------------- mLSTM


def _mlstm_problem(seed, B=2, NH=2, S=16, d=4, i_shift=0.0):
    rng = np.random.default_rng(seed)
    q, k, v = (rng.normal(size=(B, NH, S, d)) for _ in range(3))
    i, f = rng.normal(size=(B, NH, S)) * 2 + i_shift, rng.normal(size=(B, NH, S)) * 2 + 2
    return q, k, v, i, f


def _ours(a):
    """(B, NH, S, ...) -> (S, B NH, ...): time-major, heads as batch entries."""
    B, NH, S = a.shape[:3]
    return np.moveaxis(a.reshape(B * NH, S, *a.shape[3:]), 1, 0)


def _theirs(a, B, NH):
    S = a.shape[0]
    return np.moveaxis(a, 0, 1).reshape(B, NH, S, *a.shape[2:])


def _official_recurrent(q, k, v, i, f, eps):
    """xlstm's recurrent_step_stabilized_simple over the sequence, from its zero state."""
    B, NH, S, d = q.shape
    C = torch.zeros((B, NH, d, d), dtype=torch.float64)
    n = torch.zeros((B, NH, d, 1), dtype=torch.float64)
    m = torch.zeros((B, NH, 1, 1), dtype=torch.float64)
    hs = []
    for t in range(S):
        h, (C, n, m) = backends.recurrent_step_stabilized_simple(
            C,
            n,
            m,
            *(a[:, :, t : t + 1].clone() for a in (q, k, v)),
            i[:, :, t, None, None],
            f[:, :, t, None, None],
            eps=eps,
        )  # clone: the official step squeezes its inputs in place
        hs.append(h[:, :, 0])
    return torch.stack(hs, dim=2)


OFFICIAL = {
    "xlstm recurrent": lambda q, k, v, i, f, eps: _official_recurrent(q, k, v, i, f, eps),
    "xlstm parallel": lambda q, k, v, i, f, eps: backends.parallel_stabilized_simple(
        q, k, v, i[..., None], f[..., None], eps=eps
    ),
    "xlstm chunkwise": lambda q, k, v, i, f, eps: backends.chunkwise_simple(q, k, v, i, f, chunk_size=4, eps=eps),
    "mlstm_kernels recurrent": lambda q, k, v, i, f, eps: mlstm_recurrent_sequence__native_fw(
        q, k, v, i, f, eps=eps, dtype_state=torch.float64
    ),
    "mlstm_kernels parallel": lambda q, k, v, i, f, eps: mlstm_parallel__native_autograd(q, k, v, i, f, eps=eps),
    "mlstm_kernels chunkwise": lambda q, k, v, i, f, eps: mlstm_chunkwise__native_autograd(
        q, k, v, i, f, eps=eps, chunk_size=4
    ),
}
# which lstmlearn form (and initial stabiliser) each official function computes
OURS = {
    "xlstm recurrent": "zero",
    "xlstm parallel": "empty",
    "xlstm chunkwise": "zero",
    "mlstm_kernels recurrent": "zero",
    "mlstm_kernels parallel": "empty",
    "mlstm_kernels chunkwise": "zero",
}


@pytest.mark.parametrize("name", list(OFFICIAL))
@pytest.mark.parametrize("eps", [0.0, mlstm.EPS])
@pytest.mark.parametrize("seed,i_shift", [(0, 0.0), (1, -6.0)])
def test_mlstm_matches_official(name, eps, seed, i_shift):
    """Outputs and autograd gradients of each official mLSTM form against lstmlearn's recurrent form,
    started from the initial stabiliser the official form uses (m_0 = 0 or the empty memory)."""
    q, k, v, i, f = _mlstm_problem(seed, i_shift=i_shift)
    B, NH = q.shape[:2]
    W = np.random.default_rng(seed + 100).normal(size=q.shape)
    tq, tk, tv, ti, tf = (_t(a) for a in (q, k, v, i, f))
    Hs_off = OFFICIAL[name](tq, tk, tv, ti, tf, eps)
    (Hs_off * torch.from_numpy(W)).sum().backward()

    Q, K, V, I_tilde, F_tilde = (_ours(a) for a in (q, k, v, i, f))
    state0 = mlstm.zero_mlstm_state(B * NH, q.shape[-1]) if OURS[name] == "zero" else None
    Hs, tr = mlstm.mlstm_recurrent(Q, K, V, I_tilde, F_tilde, state0, eps=eps)
    np.testing.assert_allclose(_theirs(Hs, B, NH), Hs_off.detach().numpy(), **CLOSE)
    g = mlstm.mlstm_recurrent_backward(_ours(W), tr)
    for ours, theirs in ((g.dQ, tq), (g.dK, tk), (g.dV, tv), (g.dI_tilde, ti), (g.dF_tilde, tf)):
        np.testing.assert_allclose(_theirs(ours, B, NH), theirs.grad.numpy(), **CLOSE)
    if OURS[name] == "empty":  # the parallel form and its own backward pass
        Hp, trace = mlstm_parallel_forward(Q, K, V, I_tilde, F_tilde, eps)
        np.testing.assert_allclose(_theirs(Hp, B, NH), Hs_off.detach().numpy(), **CLOSE)
        gp = mlstm_parallel_backward(_ours(W), trace)
        for ours, theirs in ((gp.dQ, tq), (gp.dK, tk), (gp.dV, tv), (gp.dI_tilde, ti), (gp.dF_tilde, tf)):
            np.testing.assert_allclose(_theirs(ours, B, NH), theirs.grad.numpy(), **CLOSE)
    else:
        Hc, _ = mlstm.mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, 4, state0, eps)
        np.testing.assert_allclose(_theirs(Hc, B, NH), Hs_off.detach().numpy(), **CLOSE)


def test_official_recurrent_and_parallel_differ_at_eps_because_their_stabilisers_differ():
    """With strongly negative input pre-activations, m_0 = 0 dominates the recurrent stabiliser: the
    official recurrent and parallel forms then differ at eps = 1e-6, and agree at eps = 0."""
    q, k, v, i, f = _mlstm_problem(1, i_shift=-6.0)
    args = [torch.from_numpy(a) for a in (q, k, v, i, f)]
    with torch.no_grad():
        rec = {eps: OFFICIAL["xlstm recurrent"](*args, eps).numpy() for eps in (0.0, mlstm.EPS)}
        par = {eps: OFFICIAL["xlstm parallel"](*args, eps).numpy() for eps in (0.0, mlstm.EPS)}
    np.testing.assert_allclose(rec[0.0], par[0.0], rtol=1e-10, atol=1e-14)
    # h = C q / (max(|n . q|, 1) + eps exp(m)) in unstabilised terms: the forms differ by eps (exp(m_rec) - exp(m_par))
    rel = np.abs(rec[mlstm.EPS] - par[mlstm.EPS]) / np.abs(par[mlstm.EPS])
    assert 1e-9 < rel.max() < mlstm.EPS, rel.max()
