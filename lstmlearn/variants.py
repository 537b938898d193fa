"""LSTM variants for the ablations of notebook 09 (Greff et al. 2017, "LSTM: A Search Space Odyssey").

Each variant changes one line of the LSTM step of lstmlearn.lstm ("vanilla" is that step
itself, run by lstmlearn.lstm; unlike Greff et al.'s vanilla LSTM it has no peepholes):

    vanilla                 i, f, o = sigmoid(...);  c = f * c_prev + i * g;  h = o * tanh(c)
    no_forget   (1997)      no forget gate: f = 1, so c = c_prev + i * g
    coupled     (CIFG)      one gate for both: f = 1 - i
    peephole    (Gers 2000) the gates also see the cell:
                            i = sigmoid(z_i + w_ci * c_prev),  f = sigmoid(z_f + w_cf * c_prev),
                            o = sigmoid(z_o + w_co * c)        (o looks at the *new* cell)
    no_output_activation    h = o * c instead of o * tanh(c)   (Greff's NOAF)

Parameters, with the gate blocks each variant has (no f block where f is not a gate):

    W_x (D, kH)   W_h (H, kH)   b (kH,)    k = 4 (i | f | g | o) or 3 (i | g | o)
    w_c (3H,)     peephole weights w_ci | w_cf | w_co (empty, shape (0,), for the others)

The trace is an ordinary LSTMStep (so the plots and the sequence stepper work on it);
its field tanh_c holds the output activation of c, which is c itself for
no_output_activation, and f holds ones for no_forget. The variant is passed to every
function by name. variant_forward and variant_backward are loops over variant_step and
variant_step_backward. The models of notebook 09 train with lstmlearn.engine.variants,
which computes the same numbers faster.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_backward_inputs, check_choice, check_finite, check_sequence, check_shape
from ._checks import check_array_fields, state_or_zeros
from .activations import sigmoid
from .bptt import truncated_backward
from .lstm import LSTMStep, LSTMStepGrads, lstm_step, lstm_step_backward
from .params import LSTMParams, uniform_init

LAYOUTS = {"vanilla": "ifgo", "no_forget": "igo", "coupled": "igo", "peephole": "ifgo",
           "no_output_activation": "ifgo"}
VARIANTS = tuple(LAYOUTS)


class VariantParams(NamedTuple):
    """Weights of an LSTM variant (see the module docstring for the layout)."""

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray
    w_c: np.ndarray

    input_size = property(lambda self: self.W_x.shape[0], doc="D, the size of one input vector x.")
    hidden_size = property(lambda self: self.W_h.shape[0], doc="H, the number of memory cells.")
    dtype = property(lambda self: self.W_x.dtype, doc="The arrays' dtype (float64 or float32).")


class VariantGrads(NamedTuple):
    """Gradients: dparams (VariantParams), dX (T, B, D), dh0, dc0 (B, H), dh, dc (T, B, H)."""

    dparams: VariantParams
    dX: np.ndarray
    dh0: np.ndarray
    dc0: np.ndarray
    dh: np.ndarray
    dc: np.ndarray


def init_variant(variant: str, input_size: int, hidden_size: int, rng: np.random.Generator,
                 forget_bias: float = 1.0, dtype=np.float64) -> VariantParams:
    """Weights for `variant`, drawn as init_lstm draws them (uniform(-1/sqrt(H), 1/sqrt(H))).

    forget_bias is added to b_f where there is a forget gate. The coupled variant has
    f = 1 - i, so there forget_bias is *subtracted* from b_i instead: the forget value
    starts near 1 - sigmoid(-forget_bias) = sigmoid(forget_bias), as in the other variants.
    Peephole weights start uniform(-1/sqrt(H), 1/sqrt(H)) too."""
    check_choice("variant", variant, VARIANTS)
    k, H = len(LAYOUTS[variant]), hidden_size
    W_x, W_h, b = uniform_init(input_size, H, k, rng, dtype)
    if "f" in LAYOUTS[variant]:
        b[H:2 * H] += forget_bias
    elif variant == "coupled":
        b[:H] -= forget_bias
    w_c = rng.uniform(-1, 1, size=3 * H) / np.sqrt(H) if variant == "peephole" else np.zeros(0)
    return VariantParams(W_x, W_h, b, w_c.astype(dtype))


def variant_step(x, h_prev, c_prev, p: VariantParams, variant: str) -> LSTMStep:
    """One step of `variant`; x (B, D), h_prev and c_prev (B, H). Returns an LSTMStep."""
    check_variant_params(p, variant)
    if variant == "vanilla":
        return lstm_step(x, h_prev, c_prev, LSTMParams(p.W_x, p.W_h, p.b))
    x, h_prev, c_prev = (as_float_array(n, a, p.dtype) for n, a in (("x", x), ("h_prev", h_prev), ("c_prev", c_prev)))
    check_shape("x", x, x.shape[:-1] + (p.input_size,), f"with D = p.input_size = {p.input_size}")
    for name, a in (("h_prev", h_prev), ("c_prev", c_prev)):
        check_shape(name, a, x.shape[:-1] + (p.hidden_size,), "that is (B, H) with B from x")
        check_finite(name, a)
    check_finite("x", x)
    layout = LAYOUTS[variant]
    z = dict(zip(layout, np.split(x @ p.W_x + h_prev @ p.W_h + p.b, len(layout), axis=-1)))  # z_i, z_g, ...
    w_ci, w_cf, w_co = _peepholes(p, variant)
    i = sigmoid(z["i"] + w_ci * c_prev)
    if variant == "no_forget":
        f = np.ones_like(i)
    elif variant == "coupled":
        f = 1 - i
    else:
        f = sigmoid(z["f"] + w_cf * c_prev)
    g = np.tanh(z["g"])
    c = f * c_prev + i * g
    o = sigmoid(z["o"] + w_co * c)
    act_c = c if variant == "no_output_activation" else np.tanh(c)
    h = o * act_c
    return LSTMStep(x, h_prev, c_prev, i, f, g, o, c, act_c, h)


def variant_forward(X, p: VariantParams, variant: str, h0=None, c0=None):
    """Run `variant` over X (T, B, D): variant_step for t = 1 .. T. Returns Hs (T, B, H) and
    the trace (an LSTMStep stacked over time)."""
    check_variant_params(p, variant)
    X = check_sequence("X", X, p)
    B, H = X.shape[1], p.hidden_size
    h, c = state_or_zeros("h0", h0, (B, H), p.dtype), state_or_zeros("c0", c0, (B, H), p.dtype)
    steps = []
    for x in X:
        s = variant_step(x, h, c, p, variant)
        steps.append(s)
        h, c = s.h, s.c
    trace = LSTMStep(*(np.stack(values) for values in zip(*steps)))
    return trace.h, trace


def variant_step_backward(dh, dc_next, s: LSTMStep, p: VariantParams, variant: str) -> LSTMStepGrads:
    """Backward through one step of `variant` (lstm_step_backward's lines, each variant's line changed).

    With a = s.tanh_c, the output activation of c (a = c for no_output_activation):

        do   = dh * a                                     dz_o = do * o (1 - o)
        dc   = dc_next + dh * o * a'  (+ dz_o * w_co)     a' = 1 - a^2, or 1 for h = o * c
        di   = dc * g   (coupled: dc * (g - c_prev), since f = 1 - i)
        df   = dc * c_prev                                dz_f = df * f (1 - f)  (where f is a gate)
        dg   = dc * i                                     dz_g = dg * (1 - g^2)
        dz_i = (di) * i (1 - i)
        dc_prev = dc * f  (+ dz_i * w_ci + dz_f * w_cf)   the peepholes from c_prev
        dw_ci, dw_cf, dw_co = batch sums of dz_i c_prev, dz_f c_prev, dz_o c

    Returns an LSTMStepGrads whose dparams is a VariantParams and dz has the variant's blocks.
    """
    check_variant_params(p, variant)
    if variant == "vanilla":
        g = lstm_step_backward(dh, dc_next, s, LSTMParams(p.W_x, p.W_h, p.b))
        return g._replace(dparams=VariantParams(*g.dparams, np.zeros(0, p.dtype)))
    dh, dc_next = (as_float_array(n, a, p.dtype) for n, a in (("dh", dh), ("dc_next", dc_next)))
    check_shape("dh", dh, s.h.shape, "the shape of the step's h")
    check_shape("dc_next", dc_next, s.h.shape, "the shape of the step's h")
    if s.x.ndim == 1:  # one example: run it as a batch of one, then drop the batch axis again
        g = variant_step_backward(dh[None], dc_next[None], LSTMStep(*(a[None] for a in s)), p, variant)
        return LSTMStepGrads(g.dx[0], g.dh_prev[0], g.dc_prev[0], g.dparams, g.dc[0], g.dz[0])
    w_ci, w_cf, w_co = _peepholes(p, variant)
    da_dc = 1 if variant == "no_output_activation" else 1 - s.tanh_c**2
    # h = o * a(c)
    do = dh * s.tanh_c
    dz_o = do * s.o * (1 - s.o)
    dc = dc_next + dh * s.o * da_dc + dz_o * w_co
    # c = f * c_prev + i * g
    di = dc * (s.g - s.c_prev) if variant == "coupled" else dc * s.g
    df = dc * s.c_prev
    dg = dc * s.i
    dz_i = di * s.i * (1 - s.i)
    dz_f = df * s.f * (1 - s.f) if "f" in LAYOUTS[variant] else np.zeros_like(df)
    dz_g = dg * (1 - s.g**2)
    dc_prev = dc * s.f + dz_i * w_ci + dz_f * w_cf
    # z = x @ W_x + h_prev @ W_h + b, the variant's gate blocks side by side
    blocks = dict(i=dz_i, f=dz_f, g=dz_g, o=dz_o)
    dz = np.concatenate([blocks[k] for k in LAYOUTS[variant]], axis=-1)
    dW_x = s.x.T @ dz
    dW_h = s.h_prev.T @ dz
    db = dz.sum(axis=0)
    dw_c = np.concatenate([(dz_i * s.c_prev).sum(0), (dz_f * s.c_prev).sum(0), (dz_o * s.c).sum(0)])
    dx = dz @ p.W_x.T
    dh_prev = dz @ p.W_h.T
    dparams = VariantParams(dW_x, dW_h, db, dw_c if variant == "peephole" else np.zeros(0, p.dtype))
    return LSTMStepGrads(dx, dh_prev, dc_prev, dparams, dc, dz)


def variant_backward(dHs, trace: LSTMStep, p: VariantParams, variant: str, dh_T=None, dc_T=None,
                     truncate=None) -> VariantGrads:
    """Backpropagation through time for variant_forward: variant_step_backward for t = T .. 1.

    Arguments as for lstm_backward, plus the variant's name. Returns
    VariantGrads(dparams, dX, dh0, dc0, dh, dc).
    """
    check_variant_params(p, variant)
    T = len(trace.h)
    dHs, dh_next, dc_next = check_backward_inputs(dHs, trace.h.shape, p.dtype, truncate, dh_T=dh_T, dc_T=dc_T)
    if variant == "no_forget" and not np.all(trace.f == 1.0):
        raise ValueError("trace was not made by variant 'no_forget' (its f is not 1); "
                         "pass the same variant as to variant_forward.")
    if truncate is not None and truncate < T:
        return truncated_backward(variant_backward, dHs, trace, truncate, (p, variant),
                                  dict(dh_T=dh_next, dc_T=dc_next))
    dh, steps = [None] * T, [None] * T
    for t in reversed(range(T)):
        dh[t] = dHs[t] + dh_next  # the loss at this step, and what the next step sent back
        steps[t] = variant_step_backward(dh[t], dc_next, trace.at(t), p, variant)
        dh_next, dc_next = steps[t].dh_prev, steps[t].dc_prev
    return VariantGrads(
        dparams=VariantParams(*(sum(d) for d in zip(*(s.dparams for s in steps)))),  # the same weights at every step
        dX=np.stack([s.dx for s in steps]),
        dh0=dh_next,
        dc0=dc_next,
        dh=np.stack(dh),
        dc=np.stack([s.dc for s in steps]),
    )


def _peepholes(p, variant):
    """w_ci, w_cf, w_co (H,) each for the peephole variant; zeros (no peepholes) for the others."""
    return np.split(p.w_c, 3) if variant == "peephole" else (0.0, 0.0, 0.0)


def check_variant_params(p, variant: str) -> None:
    """Check the variant's name, and that p is a VariantParams of finite float arrays with its gate blocks."""
    check_choice("variant", variant, VARIANTS)
    if not isinstance(p, VariantParams):
        raise TypeError(f"p must be an lstmlearn.variants.VariantParams, but it is a {type(p).__name__}. "
                        f"Make one with init_variant({variant!r}, ...).")
    check_array_fields(p)
    k, H = len(LAYOUTS[variant]), np.shape(p.W_h)[0]
    gates = " | ".join(LAYOUTS[variant])
    for name, a, shape in (("W_h", p.W_h, (H, k * H)), ("W_x", p.W_x, (None, k * H)), ("b", p.b, (k * H,)),
                           ("w_c", p.w_c, (3 * H,) if variant == "peephole" else (0,))):
        a = as_float_array(f"p.{name}", a)
        check_shape(f"p.{name}", a, shape, f"for variant {variant!r} (gate blocks {gates}, H = {H})")
        check_finite(f"p.{name}", a)
