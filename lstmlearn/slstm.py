"""The sLSTM of xLSTM (Beck et al. 2024): exponential input gate, normaliser, stabiliser, heads.

One step, for inputs x (B, D) and state h_prev, c_prev, n_prev, m_prev (B, H):

    i~ = x @ W_xi + h_prev @ R_i + b_i          the pre-activations ("tilde"), (B, H) each
    f~ = x @ W_xf + h_prev @ R_f + b_f
    z~ = x @ W_xz + h_prev @ R_z + b_z
    o~ = x @ W_xo + h_prev @ R_o + b_o
    m = max(log f + m_prev, log i)              the stabiliser, with log i = i~, log f = log sigmoid(f~)
    i = exp(i~ - m)                             stabilised input gate  in (0, 1]
    f = exp(log sigmoid(f~) + m_prev - m)       stabilised forget gate in [0, 1]
    z = tanh(z~)                                candidate values       in (-1, 1)
    o = sigmoid(o~)                             output gate            in (0, 1)
    c = f * c_prev + i * z                      cell state
    n = f * n_prev + i                          normaliser state
    h = o * c / n                               hidden state

The unstabilised sLSTM has i = exp(i~) and f = sigmoid(f~): an input gate that can exceed 1,
so a new input can outweigh all that is stored (an LSTM's sigmoid gate cannot). exp(i~)
overflows for i~ above about 88.7 in float32 and 709.8 in float64 (np.log of finfo.max).
The stabilised c and n are the unstabilised ones times exp(-m), the same factor for both,
so h = o * c / n is the same number wherever the unstabilised form is finite
(tests/test_slstm.py checks this over many seeds), while i and f stay in (0, 1].

Heads: the recurrent weights are block-diagonal. R (K, d, 4d) holds one (d, 4d) block per
head, H = K d, and head k's hidden units h_prev[:, k d:(k+1) d] feed only head k's gates;
recurrent_matrix(R) is the full (H, 4H) matrix with zeros off the blocks.
Columns of W_x, of recurrent_matrix(R) and of b are gate-major, i | f | z | o, each gate's H
columns ordered head by head: the official xlstm code's order (tests/test_xlstm_parity.py).

Empty memory: with m_prev = -inf (what slstm_forward starts from unless given m0) the first
step sets m = i~ and f = 0. The official code gets the same m by testing for n = 0 (then
m = i~); its f there is not 0 but multiplies c = n = 0, so the step is the same.

The backward pass holds m fixed: h does not depend on m, so the gradient with m held
fixed is the exact gradient (and m_0 gets none).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_finite, check_positive_int, check_rng, check_shape
from .activations import sigmoid

SLSTM_GATES = ("i", "f", "z", "o")


class SLSTMParams(NamedTuple):
    """sLSTM weights: W_x (D, 4H), R (K, d, 4d) for K heads of size d = H / K, b (4H,)."""

    W_x: np.ndarray
    R: np.ndarray
    b: np.ndarray

    @property
    def input_size(self) -> int:
        """D, the size of an input x."""
        return self.W_x.shape[0]

    @property
    def hidden_size(self) -> int:
        """H = K d, the size of h, c, n and m."""
        return self.R.shape[0] * self.R.shape[1]

    @property
    def num_heads(self) -> int:
        """K, the number of heads (blocks of R)."""
        return self.R.shape[0]


class SLSTMState(NamedTuple):
    """The state an sLSTM carries: h, c, n (B, H) and the stabiliser m (B, H)."""

    h: np.ndarray
    c: np.ndarray
    n: np.ndarray
    m: np.ndarray


class SLSTMStep(NamedTuple):
    """Every value of one sLSTM step (stacked over time by slstm_forward: a leading T axis)."""

    x: np.ndarray  # input (B, D)
    h_prev: np.ndarray
    c_prev: np.ndarray
    n_prev: np.ndarray
    m_prev: np.ndarray
    f_tilde: np.ndarray  # forget pre-activation, kept for d log sigmoid(f~) / d f~ = sigmoid(-f~)
    i: np.ndarray  # stabilised input gate
    f: np.ndarray  # stabilised forget gate
    z: np.ndarray  # candidate values
    o: np.ndarray  # output gate
    m: np.ndarray  # stabiliser
    c: np.ndarray
    n: np.ndarray
    h: np.ndarray

    def at(self, t: int) -> "SLSTMStep":
        """The record of one step of a stacked trace: trace.at(t - 1) is step t."""
        return SLSTMStep(*(a[t] for a in self))


class SLSTMStepGrads(NamedTuple):
    """What slstm_step_backward returns: dx (B, D); dh_prev, dc_prev, dn_prev (B, H);
    dparams (an SLSTMParams of this step's share); dz (B, 4H), the pre-activation gradients i | f | z | o."""

    dx: np.ndarray
    dh_prev: np.ndarray
    dc_prev: np.ndarray
    dn_prev: np.ndarray
    dparams: SLSTMParams
    dz: np.ndarray


class SLSTMGrads(NamedTuple):
    """Gradients of a loss on the hidden states: dparams, dX (T, B, D), dh0, dc0, dn0 (B, H)."""

    dparams: SLSTMParams
    dX: np.ndarray
    dh0: np.ndarray
    dc0: np.ndarray
    dn0: np.ndarray


def init_slstm(input_size: int, hidden_size: int, num_heads: int, rng: np.random.Generator, scale=None):
    """Random sLSTM weights, uniform in (-scale, scale), scale = 1 / sqrt(hidden_size) by default."""
    for name, v in (("input_size", input_size), ("hidden_size", hidden_size), ("num_heads", num_heads)):
        check_positive_int(name, v)
    check_rng(rng)
    if hidden_size % num_heads:
        raise ValueError(
            f"hidden_size ({hidden_size}) must be a multiple of num_heads ({num_heads}): each head "
            f"has hidden_size / num_heads units. Choose, for example, num_heads = 1."
        )
    d = hidden_size // num_heads
    s = 1.0 / np.sqrt(hidden_size) if scale is None else float(scale)
    return SLSTMParams(
        rng.uniform(-s, s, (input_size, 4 * hidden_size)),
        rng.uniform(-s, s, (num_heads, d, 4 * d)),
        rng.uniform(-s, s, 4 * hidden_size),
    )


def recurrent_matrix(R) -> np.ndarray:
    """The block-diagonal (H, 4H) recurrent matrix of the per-head blocks R (K, d, 4d).

    Column g H + k d + j (gate g, head k, unit j) is fed only by head k's rows k d .. k d + d - 1.
    """
    K, d, _ = R.shape
    R_full = np.zeros((K, d, 4, K, d), dtype=R.dtype)  # (head in, unit in, gate, head out, unit out)
    for k in range(K):
        R_full[k, :, :, k, :] = R[k].reshape(d, 4, d)
    return R_full.reshape(K * d, 4 * K * d)


def head_blocks(R_full, num_heads: int) -> np.ndarray:
    """The inverse of recurrent_matrix: the (K, d, 4d) blocks of an (H, 4H) matrix (off-block entries dropped)."""
    H = R_full.shape[0]
    K, d = num_heads, H // num_heads
    blocks = R_full.reshape(K, d, 4, K, d)
    return np.stack([blocks[k, :, :, k, :].reshape(d, 4 * d) for k in range(K)])


def log_sigmoid(a):
    """log sigmoid(a) = -log(1 + exp(-a)), without overflow for large |a|."""
    return -np.logaddexp(0.0, -a)


def slstm_step(x, state: SLSTMState, p: SLSTMParams) -> SLSTMStep:
    """One stabilised sLSTM step (equations in the module docstring).

    x : (B, D);  state : SLSTMState of (B, H) arrays (m may hold -inf: empty memory).
    Returns an SLSTMStep.
    """
    x, state = _check_step(x, state, p)
    h_prev, c_prev, n_prev, m_prev = state
    a = x @ p.W_x + h_prev @ recurrent_matrix(p.R) + p.b  # (B, 4H): i~ | f~ | z~ | o~
    i_tilde, f_tilde, z_tilde, o_tilde = np.split(a, 4, axis=-1)
    log_f = log_sigmoid(f_tilde)
    m = np.maximum(log_f + m_prev, i_tilde)
    i = np.exp(i_tilde - m)
    f = np.exp(log_f + m_prev - m)
    z = np.tanh(z_tilde)
    o = sigmoid(o_tilde)
    c = f * c_prev + i * z
    n = f * n_prev + i
    h = o * c / n
    return SLSTMStep(x, h_prev, c_prev, n_prev, m_prev, f_tilde, i, f, z, o, m, c, n, h)


def slstm_step_unstabilised(x, h_prev, c_prev, n_prev, p: SLSTMParams):
    """The same step without the stabiliser: i = exp(i~), f = sigmoid(f~). Returns (h, c, n).

    It overflows where i~ passes log(finfo.max): compare it with slstm_step only where it is finite.
    """
    a = x @ p.W_x + h_prev @ recurrent_matrix(p.R) + p.b
    i_tilde, f_tilde, z_tilde, o_tilde = np.split(a, 4, axis=-1)
    with np.errstate(over="ignore", invalid="ignore"):
        i = np.exp(i_tilde)
        f = sigmoid(f_tilde)
        c = f * c_prev + i * np.tanh(z_tilde)
        n = f * n_prev + i
        h = sigmoid(o_tilde) * c / n
    return h, c, n


def empty_state(batch_size: int, p: SLSTMParams, dtype=np.float64) -> SLSTMState:
    """h = c = n = 0 and m = -inf: an sLSTM that has stored nothing."""
    shape = (batch_size, p.hidden_size)
    return SLSTMState(*(np.zeros(shape, dtype) for _ in range(3)), np.full(shape, -np.inf, dtype))


def slstm_forward(X, p: SLSTMParams, state0: SLSTMState | None = None):
    """Run the sLSTM over X (T, B, D) from state0 (empty_state if None).

    Returns Hs (T, B, H) and the trace: an SLSTMStep stacked over time (trace.m[t - 1] is m_t).
    """
    check_slstm_params(p)
    X = as_float_array("X", X)
    check_shape("X", X, (None, None, p.input_size), f"that is (T, B, D) with D = p.input_size = {p.input_size}")
    check_finite("X", X)
    state = empty_state(X.shape[1], p, X.dtype) if state0 is None else state0
    steps = []
    for x in X:
        s = slstm_step(x, state, p)
        steps.append(s)
        state = SLSTMState(s.h, s.c, s.n, s.m)
    trace = SLSTMStep(*(np.stack(v) for v in zip(*steps)))
    return trace.h, trace


def slstm_step_backward(dh, dc_next, dn_next, s: SLSTMStep, p: SLSTMParams) -> SLSTMStepGrads:
    """Backward through one step, slstm_step's lines in reverse, with m held fixed (module docstring).

    dh : (B, H) dL/dh_t (the loss at t plus what step t + 1 sent back through h_t)
    dc_next, dn_next : (B, H) what step t + 1 sent back to c_t and n_t
    """
    # h = o * c / n
    do = dh * s.c / s.n
    dc = dc_next + dh * s.o / s.n
    dn = dn_next - dh * s.h / s.n
    # c = f * c_prev + i * z;  n = f * n_prev + i
    df = dc * s.c_prev + dn * s.n_prev
    di = dc * s.z + dn
    dz = dc * s.i
    dc_prev = dc * s.f
    dn_prev = dn * s.f
    # i = exp(i~ - m), f = exp(log sigmoid(f~) + m_prev - m), z = tanh(z~), o = sigmoid(o~)
    di_tilde = di * s.i
    df_tilde = df * s.f * sigmoid(-s.f_tilde)
    dz_tilde = dz * (1 - s.z**2)
    do_tilde = do * s.o * (1 - s.o)
    # a = x @ W_x + h_prev @ recurrent_matrix(R) + b
    da = np.concatenate([di_tilde, df_tilde, dz_tilde, do_tilde], axis=-1)
    dW_x = s.x.T @ da
    dR = head_blocks(s.h_prev.T @ da, p.num_heads)
    db = da.sum(axis=0)
    dx = da @ p.W_x.T
    dh_prev = da @ recurrent_matrix(p.R).T
    return SLSTMStepGrads(dx, dh_prev, dc_prev, dn_prev, SLSTMParams(dW_x, dR, db), da)


def slstm_backward(dHs, trace: SLSTMStep, p: SLSTMParams) -> SLSTMGrads:
    """Backpropagation through time for slstm_forward: slstm_step_backward for t = T .. 1.

    dHs : (T, B, H) dL/dh_t of a loss on the hidden states.
    """
    dHs = as_float_array("dHs", dHs)
    check_shape("dHs", dHs, trace.h.shape, "the shape of the hidden states Hs slstm_forward returned")
    check_finite("dHs", dHs)
    dW_x, dR, db = (np.zeros_like(a) for a in p)
    dX = np.zeros_like(trace.x)
    dh_next = dc_next = dn_next = np.zeros_like(trace.h[0])
    for t in range(len(dHs) - 1, -1, -1):
        g = slstm_step_backward(dHs[t] + dh_next, dc_next, dn_next, trace.at(t), p)
        dW_x, dR, db = dW_x + g.dparams.W_x, dR + g.dparams.R, db + g.dparams.b
        dX[t] = g.dx
        dh_next, dc_next, dn_next = g.dh_prev, g.dc_prev, g.dn_prev
    return SLSTMGrads(SLSTMParams(dW_x, dR, db), dX, dh_next, dc_next, dn_next)


def check_slstm_params(p) -> None:
    """p must be an SLSTMParams of finite float arrays W_x (D, 4H), R (K, d, 4d), b (4H,) with H = K d."""
    if not isinstance(p, SLSTMParams):
        raise TypeError(
            f"p must be an SLSTMParams(W_x, R, b), but it is a {type(p).__name__}. Make one with init_slstm(D, H, K, rng)."
        )
    W_x, R, b = (as_float_array(f"p.{name}", a) for name, a in zip(p._fields, p))
    check_shape("p.R", R, (None, None, None), "that is (K, d, 4d) = (heads, head size, 4 x head size)")
    K, d = R.shape[:2]
    check_shape("p.R", R, (K, d, 4 * d), f"that is (K, d, 4d) with K = {K}, d = {d}")
    check_shape("p.W_x", W_x, (None, 4 * K * d), f"that is (D, 4H) with H = K d = {K * d}")
    check_shape("p.b", b, (4 * K * d,), f"that is (4H,) with H = K d = {K * d}")
    for name, a in zip(p._fields, (W_x, R, b)):
        check_finite(f"p.{name}", a)


def _check_step(x, state, p):
    check_slstm_params(p)
    x = as_float_array("x", x)
    check_shape("x", x, (None, p.input_size), f"that is (B, D) with D = p.input_size = {p.input_size}")
    if not isinstance(state, SLSTMState):
        raise TypeError(
            f"state must be an SLSTMState(h, c, n, m), but it is a {type(state).__name__}. "
            f"Start from lstmlearn.slstm.empty_state(batch_size, p)."
        )
    shape = (x.shape[0], p.hidden_size)
    arrays = []
    for name, a in zip(state._fields, state):
        a = as_float_array(f"state.{name}", a)
        check_shape(f"state.{name}", a, shape, f"that is (B, H) = ({shape[0]}, p.hidden_size = {shape[1]})")
        arrays.append(a)
    for name, a in zip("hcn", arrays[:3]):
        check_finite(f"state.{name}", a)
    if np.isnan(arrays[3]).any() or (arrays[3] == np.inf).any():
        raise ValueError("state.m must be finite or -inf (empty memory), but it holds NaN or +inf.")
    return x, SLSTMState(*arrays)
