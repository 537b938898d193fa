"""LSTM variants for the ablations of notebook 09 (Greff et al. 2017, "LSTM: A Search Space Odyssey").

Each variant changes one line of the vanilla step (lstmlearn.lstm):

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
no_output_activation, and f holds ones for no_forget. The variant is passed to
variant_forward and variant_backward by name.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_choice, check_finite, check_shape
from .activations import sigmoid
from .lstm import LSTMStep, _initial_grad, check_sequence
from .params import _uniform_init

LAYOUTS = {"vanilla": "ifgo", "no_forget": "igo", "coupled": "igo", "peephole": "ifgo",
           "no_output_activation": "ifgo"}
VARIANTS = tuple(LAYOUTS)


class VariantParams(NamedTuple):
    """Weights of an LSTM variant (see the module docstring for the layout)."""

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray
    w_c: np.ndarray

    input_size = property(lambda self: self.W_x.shape[0])
    hidden_size = property(lambda self: self.W_h.shape[0])
    dtype = property(lambda self: self.W_x.dtype)


class VariantGrads(NamedTuple):
    """Gradients: params (VariantParams), X (T, B, D), h0, c0 (B, H), h, c (T, B, H)."""

    params: VariantParams
    X: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    h: np.ndarray
    c: np.ndarray


def init_variant(variant: str, input_size: int, hidden_size: int, rng: np.random.Generator,
                 forget_bias: float = 1.0, dtype=np.float64) -> VariantParams:
    """Weights for `variant`, drawn as init_lstm draws them (uniform(-1/sqrt(H), 1/sqrt(H))).

    forget_bias is added to b_f where there is a forget gate. The coupled variant has
    f = 1 - i, so there forget_bias is *subtracted* from b_i instead: the forget value
    starts near 1 - sigmoid(-forget_bias) = sigmoid(forget_bias), as in the other variants.
    Peephole weights start uniform(-1/sqrt(H), 1/sqrt(H)) too."""
    check_choice("variant", variant, VARIANTS)
    k, H = len(LAYOUTS[variant]), hidden_size
    W_x, W_h, b = _uniform_init(input_size, H, k, rng, dtype)
    if "f" in LAYOUTS[variant]:
        b[H:2 * H] += forget_bias
    elif variant == "coupled":
        b[:H] -= forget_bias
    w_c = rng.uniform(-1, 1, size=3 * H) / np.sqrt(H) if variant == "peephole" else np.zeros(0)
    return VariantParams(W_x, W_h, b, w_c.astype(dtype))


def variant_step(x, h_prev, c_prev, p: VariantParams, variant: str) -> LSTMStep:
    """One step of `variant`; x (B, D), h_prev and c_prev (B, H). Returns an LSTMStep."""
    _check(p, variant)
    x, h_prev, c_prev = (as_float_array(n, a, p.dtype) for n, a in (("x", x), ("h_prev", h_prev), ("c_prev", c_prev)))
    check_shape("x", x, x.shape[:-1] + (p.input_size,), f"with D = p.input_size = {p.input_size}")
    for name, a in (("h_prev", h_prev), ("c_prev", c_prev)):
        check_shape(name, a, x.shape[:-1] + (p.hidden_size,), "that is (B, H) with B from x")
    return _step(x @ p.W_x + p.b, h_prev, c_prev, p, variant)


def variant_forward(X, p: VariantParams, variant: str, h0=None, c0=None):
    """Run `variant` over X (T, B, D); returns Hs (T, B, H) and the trace (an LSTMStep stacked over time)."""
    _check(p, variant)
    X = check_sequence("X", X, p)
    T, B, D = X.shape
    H = p.hidden_size
    h = _initial_grad("h0", h0, (B, H), p.dtype)
    c = _initial_grad("c0", c0, (B, H), p.dtype)
    XW = (X.reshape(T * B, D) @ p.W_x).reshape(T, B, -1) + p.b  # input parts of every step
    steps = []
    for t in range(T):
        s = _step(XW[t], h, c, p, variant)
        steps.append(s._replace(x=X[t]))
        h, c = s.h, s.c
    trace = LSTMStep(*(np.stack(a) for a in zip(*steps)))
    return trace.h, trace


def _step(xw, h_prev, c_prev, p, variant):
    """The step from xw = x @ W_x + b; see the module docstring."""
    H, layout = p.hidden_size, LAYOUTS[variant]
    z = xw + h_prev @ p.W_h  # (B, kH)
    block = {k: z[..., n * H:(n + 1) * H] for n, k in enumerate(layout)}
    w_ci, w_cf, w_co = np.split(p.w_c, 3) if variant == "peephole" else (0.0, 0.0, 0.0)
    i = sigmoid(block["i"] + w_ci * c_prev)
    if variant == "no_forget":
        f = np.ones_like(i)
    elif variant == "coupled":
        f = 1.0 - i
    else:
        f = sigmoid(block["f"] + w_cf * c_prev)
    g = np.tanh(block["g"])
    c = f * c_prev + i * g
    o = sigmoid(block["o"] + w_co * c)
    act_c = c if variant == "no_output_activation" else np.tanh(c)
    return LSTMStep(None, h_prev, c_prev, i, f, g, o, c, act_c, o * act_c)


def variant_backward(dHs, trace: LSTMStep, p: VariantParams, variant: str, dh_T=None, dc_T=None) -> VariantGrads:
    """Backpropagation through time for variant_forward. Per step, with a = trace.tanh_c:

        dz_o = dh * a * o (1 - o)
        dc   = dc_next + dh * o * a'  (+ dz_o * w_co for peephole)      a' = 1 - a^2, or 1 for h = o * c
        di   = dc * g   (coupled: dc * (g - c_prev), since f = 1 - i)   dz_i = di * i (1 - i)
        df   = dc * c_prev  (only where f is a gate)                    dz_f = df * f (1 - f)
        dz_g = dc * i * (1 - g^2)
        dc_prev = dc * f  (+ dz_i * w_ci + dz_f * w_cf for peephole)
        dh_prev = dz @ W_h.T;  dw_ci, dw_cf, dw_co = sums of dz_i c_prev, dz_f c_prev, dz_o c
    """
    _check(p, variant)
    T, B, H = trace.h.shape
    dHs = as_float_array("dHs", dHs, p.dtype)
    check_shape("dHs", dHs, (T, B, H), "the shape of Hs from variant_forward")
    check_finite("dHs", dHs)
    if variant == "no_forget" and not np.all(trace.f == 1.0):
        raise ValueError("trace was not made by variant 'no_forget' (its f is not 1); pass the same variant as to variant_forward.")
    dh = _initial_grad("dh_T", dh_T, (B, H), p.dtype)
    dc = _initial_grad("dc_T", dc_T, (B, H), p.dtype)
    layout, peep = LAYOUTS[variant], variant == "peephole"
    w_ci, w_cf, w_co = np.split(p.w_c, 3) if peep else (0.0, 0.0, 0.0)
    dZ = np.empty((T, B, len(layout) * H), p.dtype)
    dw_c = np.zeros(3 * H if peep else 0, p.dtype)
    dh_all, dc_all = np.empty((T, B, H), p.dtype), np.empty((T, B, H), p.dtype)
    for t in reversed(range(T)):
        i, f, g, o, c_prev, c, a = (getattr(trace, k)[t] for k in ("i", "f", "g", "o", "c_prev", "c", "tanh_c"))
        dh = dh_all[t] = dh + dHs[t]
        dz = {"o": dh * a * o * (1.0 - o)}
        da = 1.0 if variant == "no_output_activation" else 1.0 - a * a
        dc = dc_all[t] = dc + dh * o * da + dz["o"] * w_co
        di = dc * (g - c_prev) if variant == "coupled" else dc * g
        dz["i"] = di * i * (1.0 - i)
        dz["g"] = dc * i * (1.0 - g * g)
        if "f" in layout:
            dz["f"] = dc * c_prev * f * (1.0 - f)
        if peep:
            dw_c += np.concatenate([(dz["i"] * c_prev).sum(0), (dz["f"] * c_prev).sum(0), (dz["o"] * c).sum(0)])
        dZ[t] = np.concatenate([dz[k] for k in layout], axis=-1)
        dc = dc * f + dz["i"] * w_ci + dz.get("f", 0.0) * w_cf  # dL/dc_{t-1}
        dh = dZ[t] @ p.W_h.T  # dL/dh_{t-1}
    D, k = p.input_size, len(layout)
    dZ2 = dZ.reshape(T * B, k * H)
    grads = VariantParams(trace.x.reshape(T * B, D).T @ dZ2, trace.h_prev.reshape(T * B, H).T @ dZ2,
                          dZ2.sum(axis=0), dw_c)
    return VariantGrads(grads, (dZ2 @ p.W_x.T).reshape(T, B, D), dh, dc, dh_all, dc_all)


def _check(p, variant):
    check_choice("variant", variant, VARIANTS)
    if not isinstance(p, VariantParams):
        raise TypeError(f"p must be an lstmlearn.variants.VariantParams, but it is a {type(p).__name__}. "
                        f"Make one with init_variant({variant!r}, ...).")
    k, H = len(LAYOUTS[variant]), np.shape(p.W_h)[0]
    gates = " | ".join(LAYOUTS[variant])
    for name, a, shape in (("W_h", p.W_h, (H, k * H)), ("W_x", p.W_x, (None, k * H)), ("b", p.b, (k * H,)),
                           ("w_c", p.w_c, (3 * H,) if variant == "peephole" else (0,))):
        a = as_float_array(f"p.{name}", a)
        check_shape(f"p.{name}", a, shape, f"for variant {variant!r} (gate blocks {gates}, H = {H})")
        check_finite(f"p.{name}", a)
